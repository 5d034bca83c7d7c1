"""Links to the service's pages, built from its routes: the mail templates' one source of
URLs (workflows.mail.links.Links), so a renamed route cannot leave a dead link in a mail."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.routing import BaseRoute, Router


class RouteLinks:
    def __init__(self, routes: list[BaseRoute], base_url: str) -> None:
        self.router = Router(routes=routes)
        self.base_url = base_url.rstrip("/")

    def _url(self, name: str, query: dict[str, str] | None = None, **params: str) -> str:
        path = str(self.router.url_path_for(name, **params))
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")

    def staff_case(self, tracking_code: str) -> str:
        return self._url("case", code=tracking_code)

    def public_case(self, tracking_code: str) -> str:
        return self._url("track", {"code": tracking_code})

    def log_checkpoint(self) -> str:
        return self._url("log_checkpoint")

    def log_key(self) -> str:
        return self._url("log_key")

    def log_proof(self, tracking_code: str) -> str:
        return self._url("log_proof", code=tracking_code)
