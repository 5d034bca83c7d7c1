"""Reading config/ TOML files so that a mistake is reported with the file and line at start."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A config/ file is missing or wrong; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class TomlFile:
    path: Path
    text: str
    data: dict[str, Any]

    def where(self, array: str | None = None, index: int | None = None, key: str | None = None) -> str:
        """`path line N` for a key of the index-th `[[array]]` table (or a top-level key)."""
        line = _find_line(self.text, array, index, key)
        return f"{self.path} line {line}" if line else str(self.path)

    def error(
        self, message: str, array: str | None = None, index: int | None = None, key: str | None = None
    ) -> ConfigError:
        return ConfigError(f"{self.where(array, index, key)}: {message}")


def read_toml(path: Path) -> TomlFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message already ends with "(at line N, column M)".
        raise ConfigError(f"{path}: {exc}") from None
    return TomlFile(path, text, data)


def _find_line(text: str, array: str | None, index: int | None, key: str | None) -> int | None:
    lines = text.splitlines()
    start, end = 0, len(lines)
    if array is not None and index is not None:
        headers = [n for n, line in enumerate(lines) if line.strip() == f"[[{array}]]"]
        if index >= len(headers):
            return None
        start = headers[index]
        following = [n for n, line in enumerate(lines) if n > start and line.lstrip().startswith("[")]
        end = following[0] if following else len(lines)
        if key is None:
            return start + 1
    if key is None:
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start, end):
        if pattern.match(lines[number]):
            return number + 1
    return start + 1 if array is not None else None
