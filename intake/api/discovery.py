"""Open311 discovery: where the GeoReport v2 endpoint is, in which formats, and whom to ask
for a key (wiki.open311.org/Service_Discovery)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer
from intake.api.formats import MEDIA_TYPES
from intake.api.refusals import wrong_key
from intake.context import app_context

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed in a way a client may notice.
CHANGESET = "2026-12-01T00:00:00Z"
KEY_SERVICE = ("Registered clients (a FixMyStreet instance, an app) get a key from the "
               "service's operators: intake api-client create NAME. Without a key the API is "
               "open, under per-address limits.")


async def discovery(request: Request) -> Response:
    if refused := await wrong_key(request):
        return refused
    settings = app_context(request).settings
    endpoint = {
        "specification": SPECIFICATION,
        "url": f"{settings.base_url}/open311/v2",
        "changeset": CHANGESET,
        "type": "production",
        "formats": [MEDIA_TYPES["xml"].split(";")[0], MEDIA_TYPES["json"].split(";")[0]],
    }
    return answer(request, "discovery", {
        "changeset": CHANGESET,
        "contact": settings.open311_contact or f"{settings.base_url}/",
        "key_service": KEY_SERVICE,
        "endpoints": [endpoint],
    })
