"""A real `intake serve` writes its access log; no secret a URL carries may be in it: no
Open311 api_key, and no signed token of any link mailed to a business, a brand owner, a
follower or a reporter — for every route with a token, found from the routes themselves."""

from __future__ import annotations

import re

import httpx

from intake.access_log import SECRET_PARAMETERS
from intake.routes import routes
from intake.settings import Settings
from tests.live import free_port, start_server
from workflows.access.api_clients import register_client

TOKEN = "c2VjcmV0LXRva2VuLXNpZ25lZA.Zt9Qxw.SeCrEtSiGnAtUrE_42"


def token_paths() -> list[str]:
    """Each route path that takes a token, with ours in its place (other parameters: 1)."""
    found = []

    def walk(entries, prefix: str = "") -> None:
        for route in entries:
            if hasattr(route, "routes") and not hasattr(route, "endpoint"):
                walk(route.routes, prefix + route.path)
            elif any(name in route.path for name in SECRET_PARAMETERS):
                path = re.sub(r"\{token\}", TOKEN, prefix + route.path)
                path = re.sub(r"\{format[^}]*\}", "json", path)
                found.append(re.sub(r"\{[^}]+\}", "1", path))
    walk(routes)
    return found


async def test_no_token_and_no_api_key_reaches_the_access_log(settings: Settings, app, tmp_path):
    paths = token_paths()
    # Every kind of link someone is mailed: the test would miss a new one otherwise.
    for expected in ("/explain/", "/follow/", "/unfollow/", "/feedback/", "/brands/sign-in/",
                     "/brands/inquiries/", "/open311/v2/tokens/"):
        assert any(path.startswith(expected) for path in paths), expected
    _, key = await register_client("Ứng dụng thử")
    log_path = tmp_path / "serve.log"
    port = free_port()
    with log_path.open("w") as log:
        server = start_server(settings, port, output=log)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                for path in paths:
                    await http.get(path)
                    await http.post(path, data={"x": "1"})
                await http.get("/open311/v2/requests.json", params={"api_key": key})
                await http.get("/open311/v2/requests.json", params={"API_KEY": key,
                                                                     "status": "open"})
        finally:
            server.terminate()
            server.wait(timeout=30)
    written = log_path.read_text()
    assert TOKEN not in written and "SeCrEt" not in written and key not in written
    for path in paths:  # each request is there, its token hidden
        assert path.split(TOKEN)[0] + "[hidden]" in written, path
    assert written.count("api_key=[hidden]") + written.count("API_KEY=[hidden]") == 2
