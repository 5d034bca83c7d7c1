"""How brand owners take part (config/brand_owners.toml): whether they are asked about cases
on their brands without staff asking, and how long they have to answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workflows.reference.tomlfile import read_toml

MAX_WORKING_DAYS = 60


@dataclass(frozen=True)
class BrandOwnerPolicy:
    ask_automatically: bool = True
    opinion_working_days: int = 10


def load_brand_policy(path: Path) -> BrandOwnerPolicy:
    """The defaults when the file is absent (a config/ folder older than the feature)."""
    if not path.exists():
        return BrandOwnerPolicy()
    file = read_toml(path)
    ask = file.data.get("ask_automatically", True)
    if not isinstance(ask, bool):
        raise file.error("ask_automatically must be true or false", key="ask_automatically")
    days = file.data.get("opinion_working_days", 10)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
        raise file.error(f"opinion_working_days must be a whole number from 1 to "
                         f"{MAX_WORKING_DAYS}", key="opinion_working_days")
    return BrandOwnerPolicy(ask, days)
