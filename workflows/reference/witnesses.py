"""Who keeps copies of the audit log's checkpoints (config/audit.toml): the mailboxes a signed
checkpoint is mailed to each day, so that a rewrite of the log contradicts what they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.agencies import Agency
from workflows.reference.tomlfile import read_toml


@dataclass(frozen=True)
class Witnesses:
    agencies: bool = True  # every agency's mailbox
    addresses: tuple[str, ...] = ()

    def recipients(self, agencies: Iterable[Agency]) -> list[str]:
        chosen = [agency.email for agency in agencies] if self.agencies else []
        return sorted(set(chosen) | set(self.addresses))


def load_witnesses(path: Path) -> Witnesses:
    """config/audit.toml (every agency's mailbox when the file is absent)."""
    if not path.exists():
        return Witnesses()
    source = read_toml(path)
    agencies = source.data.get("agencies", True)
    if not isinstance(agencies, bool):
        raise source.error("agencies must be true or false", key="agencies")
    addresses = source.data.get("addresses", [])
    if not isinstance(addresses, list) or not all(isinstance(item, str) for item in addresses):
        raise source.error("addresses must be a list of email addresses", key="addresses")
    checked = []
    for address in addresses:
        try:
            checked.append(mailbox(address))
        except NotAMailbox as refused:
            raise source.error(f"{address!r} is not one email address ({refused})",
                               key="addresses") from None
    return Witnesses(agencies, tuple(checked))
