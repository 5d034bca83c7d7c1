"""The province and its communes and wards, read from config/communes.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workflows.reference.tomlfile import read_toml


@dataclass(frozen=True)
class Places:
    province: str
    communes: tuple[str, ...]  # empty: the form takes any commune or ward as free text

    def accepts(self, commune: str) -> bool:
        return not self.communes or commune in self.communes


def load_places(path: Path) -> Places:
    source = read_toml(path)
    province = source.data.get("province", "")
    if not isinstance(province, str):
        raise source.error("province must be a text", key="province")
    communes = source.data.get("communes", [])
    if not isinstance(communes, list) or not all(isinstance(c, str) and c.strip() for c in communes):
        raise source.error("communes must be a list of non-empty texts", key="communes")
    duplicates = sorted({c for c in communes if communes.count(c) > 1})
    if duplicates:
        raise source.error(f"commune {duplicates[0]!r} is listed twice", key="communes")
    return Places(province=province.strip(), communes=tuple(c.strip() for c in communes))
