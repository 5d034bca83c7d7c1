"""Reading a posted form (urlencoded or multipart) within the configured limits."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request

from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.settings import Settings
from workflows.i18n.messages import N_, Problem


async def read_form(request: Request, settings: Settings) -> FormData | Problem:
    try:
        return await request.form(
            # Room for a few more files than allowed, so that a 6th photo gets a field message
            # rather than a refusal of the whole request.
            max_files=settings.max_attachments + 5,
            max_fields=100,
            max_part_size=max(settings.max_description_chars * 4, 64 * 1024),
        )
    except HTTPException as refused:
        if refused.status_code == 413:
            return Problem(N_("The form was too large to be read: send at most {files} files of "
                              "at most {megabytes} MB each."),
                           {"files": settings.max_attachments,
                            "megabytes": settings.max_attachment_bytes // (1024 * 1024)})
        return Problem(N_("The form could not be read. Please try again with fewer or smaller files."))
    except ClientDisconnect:
        return Problem(N_("The upload was interrupted. Please send the form again."))


def text_fields(form: FormData) -> dict[str, str]:
    """The first value of each text field."""
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str) and name not in fields:
            fields[name] = value
    return fields


def uploaded_files(form: FormData, name: str) -> list[UploadFile]:
    # A file input left empty still sends a part with no file name.
    return [item for item in form.getlist(name) if isinstance(item, UploadFile) and item.filename]


EXPIRED_FORM = N_("This form had expired. Please send it again.")


async def checked_fields(request: Request, settings: Settings) -> dict[str, str] | Problem:
    """A form without files: its text fields once it is read and its CSRF token is right."""
    form = await read_form(request, settings)
    if isinstance(form, Problem):
        return form
    values = text_fields(form)
    if not csrf_valid(request, settings.secret_key, values.get(CSRF_FIELD)):
        return Problem(EXPIRED_FORM)
    return values
