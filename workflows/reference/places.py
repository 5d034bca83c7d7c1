"""The province and its communes and wards, from the official list (the `vietnam-provinces`
package: the 34 provinces and their communes, wards and special zones since the reform of
1 July 2025) for the province config/communes.toml names by its code; each with its code,
which a case stores beside the name. A file may instead list names by hand (no codes)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from vietnam_provinces import Province, Ward

from workflows.reference.tomlfile import TomlFile, read_toml
from workflows.reference.vietnamese import fold

# Vietnam with Hoàng Sa and Trường Sa: 6-23.4° N, 102.1-117.9° E.
VIETNAM_BOUNDS = (6.0, 102.1, 23.4, 117.9)
BOUND_KEYS = ("south", "west", "north", "east")


@dataclass(frozen=True)
class Places:
    province: str  # "Tỉnh Khánh Hòa", "Thành phố Hà Nội"
    communes: tuple[str, ...]  # empty: the form takes any commune or ward as free text
    province_code: int | None = None  # the official code (56: Khánh Hòa; 1: Hà Nội)
    codes: dict[str, int] = field(default_factory=dict)  # a commune's official code by name
    # Where a report's position may lie (south, west, north, east in degrees): the
    # province's box from communes.toml, else Vietnam's, islands included.
    bounds: tuple[float, float, float, float] = VIETNAM_BOUNDS

    def contains(self, latitude: float, longitude: float) -> bool:
        south, west, north, east = self.bounds
        return south <= latitude <= north and west <= longitude <= east

    def accepts(self, commune: str) -> bool:
        return not self.communes or commune in self.communes

    def code_of(self, commune: str) -> int | None:
        return self.codes.get(commune)

    def named(self, typed: str) -> str:
        """The commune a client named by its official code ("22366") or by its name."""
        # ASCII digits only, and few: "²" is a digit to str.isdigit() and int() refuses it, and
        # int() refuses thousands of digits.
        if typed.isascii() and typed.isdigit() and len(typed) <= 9:
            return next((name for name, code in self.codes.items() if code == int(typed)), typed)
        return typed

    @property
    def authority(self) -> str:
        """The province's People's Committee: "Ủy ban nhân dân tỉnh Khánh Hòa"."""
        if not self.province:
            return ""
        return f"Ủy ban nhân dân {self.province[0].lower()}{self.province[1:]}"


def official_places(code: int) -> Places:
    """A province of the official list, with its communes, wards and special zones."""
    province = next((found for found in Province.iter_all() if int(found.code) == code), None)
    if province is None:
        raise ValueError(f"no province has the code {code}")
    # One space between words: the list has a few names with two ("Phường  An Nhơn").
    codes = {" ".join(ward.name.split()): int(ward.code) for ward in Ward.iter_all()
             if int(ward.province_code) == code}
    names = sorted(codes, key=_sort_key)
    # "Khánh Hòa" is a tỉnh; "Thành phố Hà Nội" already says what it is.
    name = province.name if province.name.startswith(("Tỉnh", "Thành phố")) else (
        f"Tỉnh {province.name}")
    return Places(province=name, communes=tuple(names), province_code=code,
                  codes={name: codes[name] for name in names})


def _sort_key(name: str) -> tuple[str, str]:
    """Alphabetical as a Vietnamese reader looks a name up: by its letters without marks,
    then as written."""
    return fold(name), name


def load_places(path: Path) -> Places:
    source = read_toml(path)
    places = _official(source) if "province_code" in source.data else _by_hand(source)
    return replace(places, bounds=_bounds(source)) if "bounds" in source.data else places


def _bounds(source: TomlFile) -> tuple[float, float, float, float]:
    table = source.data["bounds"]
    wrong = source.error("bounds = { south = …, west = …, north = …, east = … } in degrees, "
                         "south below north, west of east, within Vietnam", key="bounds")
    if not isinstance(table, dict) or set(table) != set(BOUND_KEYS) or not all(
            isinstance(table[key], int | float) and not isinstance(table[key], bool)
            for key in BOUND_KEYS):
        raise wrong
    south, west, north, east = (float(table[key]) for key in BOUND_KEYS)
    v_south, v_west, v_north, v_east = VIETNAM_BOUNDS
    if not (v_south <= south < north <= v_north and v_west <= west < east <= v_east):
        raise wrong
    return south, west, north, east


def _by_hand(source: TomlFile) -> Places:
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


def _official(source: TomlFile) -> Places:
    code = source.data["province_code"]
    if not isinstance(code, int) or isinstance(code, bool):
        raise source.error("province_code is a number, the province's official code (56: Khánh "
                           "Hòa, 1: Hà Nội)", key="province_code")
    if "communes" in source.data or "province" in source.data:
        raise source.error("with province_code, the province and its communes come from the "
                           "official list: remove 'province' and 'communes'", key="province_code")
    try:
        return official_places(code)
    except ValueError as error:
        raise source.error(f"{error} (the 34 provinces since 1 July 2025: vietnam-provinces)",
                           key="province_code") from None
