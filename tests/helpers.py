"""Building blocks for tests: valid report fields, real images, and form posting."""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Callable

import httpx
import pikepdf
from PIL import ExifTags, Image

from workflows.mail.models import OutboxMessage

VALID_REPORT: dict[str, str] = {
    "category": "counterfeit",
    "product_name": "Nước mắm Phú Quốc 500 ml",
    "brand": "Hưng Thịnh",
    "product_group": "food",
    "barcode": "8934588063053",
    "label_origin": "vn",
    "quantity": "2",
    "price_vnd": "150.000",
    "purchase_date": "2026-10-02",
    "sales_channel": "market",
    "shop_name": "Sạp số 12",
    "commune": "Phường Nha Trang",
    "street": "Chợ Đầm, tầng 1",
    "description": "Chai nước mắm có nhãn mờ, nắp không có tem chống hàng giả, mùi lạ.",
}

REPORTER = {
    "reporter_name": "Nguyễn Thị Hằng",
    "reporter_phone": "0912345678",
    "reporter_email": "hang.nguyen@example.vn",
    "consent": "1",
}


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    """A real JPEG whose EXIF carries a GPS position, as phone cameras write it."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 2.0, 3.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 51.0, 2.0)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes(width: int = 32, height: int = 32) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 255)).save(output, format="PNG")
    return output.getvalue()


PE_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def one_page_pdf(page_content: bytes = b"", **save_options: object) -> bytes:
    """A real PDF of one page, as qpdf writes it (the same bytes every time, unless encrypted)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].Contents = pdf.make_stream(page_content)
    output = io.BytesIO()
    pdf.save(output, deterministic_id="encryption" not in save_options,  # type: ignore[arg-type]
             **save_options)
    return output.getvalue()


MINIMAL_PDF = one_page_pdf(b"0.8 g 72 700 300 80 re f")  # a grey box: nothing to refuse

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def csrf_token(client: httpx.AsyncClient, path: str = "/report") -> str:
    page = await client.get(path)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def post_report(
    client: httpx.AsyncClient,
    fields: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    # "new": a report of its own even when an open case is about the same goods (the offer to
    # add to it instead is tested by tests/intake/public/test_same_goods.py).
    data = {"csrf_token": await csrf_token(client), "join_case": "new",
            **(VALID_REPORT if fields is None else fields)}
    multipart = [("photos", (name, content, kind)) for name, content, kind in files or []]
    # An empty file part, as a browser sends for an untouched file input, keeps it multipart.
    multipart = multipart or [("photos", ("", b"", "application/octet-stream"))]
    return await client.post("/report", data=data, files=multipart)


async def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.02)


async def settled(**which: str) -> OutboxMessage:
    """The message, once the sender has finished with it (sent or failed)."""
    deadline = time.monotonic() + 20
    while (message := await OutboxMessage.get(**which)).status == "pending":
        assert time.monotonic() < deadline, "the message stayed pending"
        await asyncio.sleep(0.02)
    return message

# What a client that prefers English sends: the API answers in Vietnamese otherwise.
ENGLISH = {"accept-language": "en"}
