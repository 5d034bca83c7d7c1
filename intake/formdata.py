"""Reading a posted form (urlencoded or multipart) within the configured limits."""

from __future__ import annotations

import codecs
from urllib.parse import parse_qsl

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request

from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.settings import Settings
from workflows.i18n.messages import N_, Problem

# Files read beyond those allowed, so that a dozen photos picked from a phone's gallery get a
# message beside the photos field, with the text kept, rather than a refusal of the whole form
# (what the parser holds in memory grows with it: 1 MB per file before it spills to disk).
EXTRA_FILES_READ = 10
# Starlette's parser refuses a form by a message (HTTPException 400): its beginning says why.
TOO_MANY_FILES, PART_TOO_LONG = "Too many files", "Part exceeded maximum size"
TOO_MANY_FIELDS_SAID = "Too many fields"
MAX_FIELDS = 100  # text fields in one form


URLENCODED, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"
FORM_TYPES = frozenset({URLENCODED, MULTIPART})
TOO_MANY_FIELDS = N_("The form has more than {limit} fields: send only the form's own.")


def media_type(request: Request) -> tuple[str, dict[bytes, bytes]]:
    """The body's media type (lower case; "" when none is said) and its parameters, as
    Starlette's own parser reads them."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    return kind.decode("latin-1"), options


async def _urlencoded(request: Request) -> FormData | Problem | None:
    """An urlencoded body, read in the charset it declares (UTF-8 unless it says otherwise),
    escaped or not: browsers escape every byte beyond ASCII (%C3%A1), a script or an older
    client may not, and Starlette reads such bytes as Latin-1, every Vietnamese letter mangled.
    Bytes that are not of the charset become U+FFFD, which the fields refuse by name.
    None: not urlencoded (multipart is Starlette's to read)."""
    kind, options = media_type(request)
    if kind != URLENCODED:
        return None
    declared = options.get(b"charset", b"utf-8").decode("latin-1").strip()
    try:
        charset = codecs.lookup(declared).name
    except LookupError:
        return Problem(N_("The form's charset, {charset}, is not one we can read: send it in "
                          "UTF-8."), {"charset": declared[:40]})
    text = (await request.body()).decode(charset, "replace")
    fields: list[tuple[str, str | UploadFile]] = list(parse_qsl(
        text, keep_blank_values=True, encoding=charset, errors="replace"))
    if len(fields) > MAX_FIELDS:
        return Problem(TOO_MANY_FIELDS, {"limit": MAX_FIELDS})
    return FormData(fields)


def too_large(settings: Settings) -> Problem:
    """A body over the cap (Settings.max_body_bytes), said by what a person can change."""
    return Problem(N_("The form was too large to be read: send at most {files} files of at most "
                      "{megabytes} MB each."),
                   {"files": settings.max_attachments,
                    "megabytes": settings.max_attachment_bytes // (1024 * 1024)})


async def read_form(request: Request, settings: Settings) -> FormData | Problem:
    longest_part = max(settings.max_description_chars * 4, 64 * 1024)  # 4 bytes a character
    try:
        if (urlencoded := await _urlencoded(request)) is not None:
            return urlencoded
        return await request.form(max_files=settings.max_attachments + EXTRA_FILES_READ,
                                  max_fields=MAX_FIELDS, max_part_size=longest_part)
    except HTTPException as refused:
        if refused.status_code == 413:
            return too_large(settings)
        if str(refused.detail).startswith(TOO_MANY_FILES):
            return Problem(N_("Too many files were chosen to read the form: choose at most "
                              "{files}."), {"files": settings.max_attachments})
        if str(refused.detail).startswith(TOO_MANY_FIELDS_SAID):
            return Problem(TOO_MANY_FIELDS, {"limit": MAX_FIELDS})
        if str(refused.detail).startswith(PART_TOO_LONG):
            # Longer than any field allows: the description's limit is the largest.
            return Problem(N_("A text in the form was too long to be read: write at most {chars} "
                              "characters."), {"chars": settings.max_description_chars})
        # A multipart body the parser cannot follow (no boundary, cut short): a client's fault.
        return Problem(N_("The form could not be read: please send it again."))
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
