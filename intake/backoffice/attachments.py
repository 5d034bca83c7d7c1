"""Evidence files, downloaded by the staff who may see their case; a photo (stored re-encoded
or stripped, workflows.evidence) may also be shown in the page, as a thumbnail. Never anything
else inline."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from intake.backoffice.auth import staff_only
from intake.context import app_context
from intake.requester import client_address
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import READ_ROLES
from workflows.access.visibility import downloaded_attachment
from workflows.cases.tracking import normalize_tracking_code
from workflows.evidence.checks import EXTENSIONS, with_extension

# Photos may be shown in the page (a thumbnail); a PDF never: it is downloaded.
SHOWN_INLINE = frozenset({"image/jpeg", "image/png", "image/webp"})
# Served files may be anything a citizen sent: never let the browser run or sniff them.
ATTACHMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
}


@staff_only(*READ_ROLES)
async def attachment(request: Request, user: StaffUser) -> Response:
    asked_to_show = request.query_params.get("view") == "1"
    found = await downloaded_attachment(
        user, normalize_tracking_code(request.path_params["code"]),
        request.path_params["attachment_id"], client_address(request), shown=asked_to_show)
    if found is None:
        return render(request, "public/not_found.html", status_code=404)
    name = with_extension(found.original_name, EXTENSIONS.get(found.content_type, "bin"))
    shown = asked_to_show and found.content_type in SHOWN_INLINE
    return StreamingResponse(app_context(request).store.chunks(found.storage_name),
                             media_type=found.content_type,
                             headers={**ATTACHMENT_HEADERS,
                                      "Content-Disposition": download_name(name, shown)})


def download_name(filename: str, inline: bool = False) -> str:
    """As Starlette's FileResponse writes it: a name that is not plain ASCII goes RFC 5987-
    encoded, so a Vietnamese file name arrives intact."""
    disposition = "inline" if inline else "attachment"
    quoted = quote(filename)
    if quoted != filename:
        return f"{disposition}; filename*=utf-8''{quoted}"
    return f'{disposition}; filename="{filename}"'
