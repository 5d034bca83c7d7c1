"""Reading one setting's value from the environment: a number, an hour, a switch, a URL, a
map tile template; a bad value raises SettingsError naming the variable."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names it."""


def tile_template(env: Mapping[str, str]) -> str:
    value = optional_url(env, "INTAKE_MAP_TILES")
    if value and not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise SettingsError(f"INTAKE_MAP_TILES: {value!r} needs {{z}}, {{x}} and {{y}}, e.g. "
                            "https://tiles.example.vn/{z}/{x}/{y}.png")
    return value


def tile_origin(tiles: str) -> str:
    """Where the browser fetches tiles from (the page's CSP must allow it)."""
    parts = urlsplit(tiles.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}"


def optional_url(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if value and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc):
        raise SettingsError(f"{name}: {value!r} is not an http(s) URL")
    return value


def positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {raw!r}") from None
    if not value > 0:
        raise SettingsError(f"{name}: must be greater than 0, got {raw}")
    return value


def hour(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        raise SettingsError(f"{name}: expected an hour from 0 to 23, got {raw!r}")
    return int(raw)


def whole(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number, 0 allowed (0 turns a limit off)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name}: must be 0 (no limit) or more, got {value}")
    return value


def switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise SettingsError(f"{name}: expected on or off, got {raw!r}")


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name}: must be greater than 0, got {value}")
    return value
