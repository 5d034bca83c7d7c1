"""What uvicorn's access log may not keep: the secrets some requests carry in their URL. An
Open311 client's api_key in the query (FixMyStreet sends it there), and the signed token of
every link mailed to someone (a business's explanation, a brand owner's inquiry and sign-in,
a follower's confirmation, a reporter's feedback): whoever reads the log could otherwise use
them. Which paths carry a token is read from the routes themselves — any `{token}` in a
route's path — so a new link's route is covered without a list to keep in step."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from starlette.routing import BaseRoute, Mount, Route

HIDDEN = "[hidden]"
_KEY_IN_QUERY = re.compile(r"(?i)(api_key=)[^&\s\"]*")
SECRET_PARAMETERS = ("token",)
_SEGMENT = r"[^/?#\s\"]+"


def _paths(routes: Iterable[BaseRoute], prefix: str = "") -> Iterable[str]:
    for route in routes:
        if isinstance(route, Mount):
            yield from _paths(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path


def _before_token(path: str) -> str | None:
    """A pattern of what precedes the route's first secret parameter, or None if it has none."""
    pattern = ""
    for part in re.split(r"(\{[^}]*\})", path):
        if not part.startswith("{"):
            pattern += re.escape(part)
        elif part[1:-1].split(":")[0] in SECRET_PARAMETERS:
            return pattern
        else:
            pattern += _SEGMENT
    return None


def _token_pattern(routes: Iterable[BaseRoute]) -> re.Pattern[str] | None:
    """Group 1: the path up to a token; then the token."""
    befores = sorted({found for path in _paths(routes)
                      if (found := _before_token(path)) is not None})
    if not befores:
        return None
    return re.compile("^(" + "|".join(f"(?:{before})" for before in befores) + ")" + _SEGMENT)


class SecretsOutOfAccessLog(logging.Filter):
    """Rewrites each access record's path: api_key=[hidden], /explain/[hidden]…"""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        super().__init__()
        self.tokens = _token_pattern(routes)

    def _clean(self, path: str) -> str:
        path = _KEY_IN_QUERY.sub(rf"\1{HIDDEN}", path)
        if self.tokens is not None:
            path = self.tokens.sub(rf"\1{HIDDEN}", path)
        return path

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True
