"""Evidence PDFs are read by qpdf: a file that only looks like a PDF, a locked one, one without
pages, and one with active content (scripts, actions, files inside, XFA forms) are refused,
however it is packed (object streams, indirect objects, #-escaped names); a plain PDF, from
pikepdf or from LibreOffice, is kept as sent. (Its budget and the web form:
test_pdf_uploads.py.)"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, String

from tests.helpers import MINIMAL_PDF, one_page_pdf
from tests.workflows.evidence.pdf_samples import (
    ACTIVE,
    ACTIVE_SINCE,
    HIDDEN_SCHEMES,
    STILL_REFUSED,
    action,
    built,
    escaped,
    html_behind_a_pdf_header,
    latex_opening,
    link,
    locked,
    no_pages,
    page_transition,
    script_on_opening,
    with_base,
)
from workflows.evidence.checks import AttachmentRejected, check_file

MB = 1024 * 1024


def check(content: bytes, name: str = "hoa-don.pdf"):
    return check_file(name, content, 10 * MB, 40_000_000)


def refusal(content: bytes) -> str:
    with pytest.raises(AttachmentRejected) as rejected:
        check(content)
    return rejected.value.code


@pytest.mark.parametrize("what", ACTIVE)
def test_each_kind_of_active_content_is_refused(what):
    change, code = ACTIVE[what]
    assert refusal(built(change)) == code


@pytest.mark.parametrize("what", [*ACTIVE_SINCE, *STILL_REFUSED])
def test_links_that_resolve_outside_media_3d_and_external_data_are_refused(what):
    """What the outside tester stored after the first fix (issue 31): a relative link, which a
    viewer resolves against a /Base or the file's own folder; media and 3D content."""
    change, code = {**ACTIVE_SINCE, **STILL_REFUSED}[what]
    assert refusal(built(change)) == code


@pytest.mark.parametrize("uri", HIDDEN_SCHEMES)
def test_a_links_scheme_is_judged_after_what_viewers_skip_and_in_any_case(uri):
    assert refusal(built(link("/URI", URI=String(uri)))) == HIDDEN_SCHEMES[uri]


@pytest.mark.parametrize("uri", ["\x00file://evil/share", "hoadon.pdf"])
def test_a_link_is_judged_as_its_bytes_are_and_as_its_text_decodes(uri):
    """A viewer may read the address's bytes or decode them (UTF-16 with a byte order mark):
    either way it must be a web address."""
    encoded = String(("\ufeff" + uri).encode("utf-16-be"))
    assert refusal(built(link("/URI", URI=encoded))) == "pdf_action"


def test_a_script_packed_in_a_compressed_object_stream_is_found():
    packed = built(script_on_opening, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"JavaScript" not in packed and b"/JS" not in packed  # nothing to grep for
    assert refusal(packed) == "pdf_script"


def test_names_written_with_escapes_are_read_as_qpdf_decodes_them():
    launch = escaped(link("/Zzzzzzzz", F=String("calc.exe")), b"/Zzzzzzzz", b"/L#61unch")
    assert b"/Launch" not in launch
    assert refusal(launch) == "pdf_action"
    script = escaped(link("/URI", Zzzz=String("app.alert(1)")), b"/Zzzz", b"/J#53")
    assert b"/JS" not in script
    assert refusal(script) == "pdf_script"


@pytest.mark.parametrize(("content", "code"), [
    (html_behind_a_pdf_header(), "pdf_unreadable"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "pdf_unreadable"),  # no xref
    (MINIMAL_PDF[:-60] + b"\n%%EOF\n", "pdf_unreadable"),  # cut short
    (MINIMAL_PDF[: len(MINIMAL_PDF) // 2], "pdf_unreadable"),
    (locked(), "pdf_encrypted"),
    (no_pages(), "pdf_no_pages"),
], ids=["html", "no-xref", "cut-short", "half", "password", "no-pages"])
def test_what_is_no_readable_pdf_is_refused(content, code):
    assert content.startswith(b"%PDF-")
    assert refusal(content) == code


@pytest.mark.parametrize("content", [
    MINIMAL_PDF,
    built(with_base("https://dichvucong.gov.vn/", "https://dichvucong.gov.vn/tra-cuu")),
    built(link("/URI", URI=String(" HTTPS://shop.vn/hoa-don\n"))),
    built(link("/URI", URI=String("mailto:cskh@shop.vn"))),
    built(page_transition),
    built(latex_opening, object_stream_mode=pikepdf.ObjectStreamMode.generate),
    one_page_pdf(encryption=pikepdf.Encryption(user="", owner="chu")),  # opens without one
], ids=["plain", "web-base-and-link", "spaced-upper-case-web-link", "mailto",
        "page-transition", "goto-and-web-link", "owner-password-only"])
def test_a_plain_pdf_is_accepted_and_kept_byte_for_byte(content):
    checked = check(content, "hoá đơn.PDF")
    assert (checked.content_type, checked.extension) == ("application/pdf", "pdf")
    assert checked.content == content and checked.original_name == "hoá đơn.pdf"


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A PDF written by another program than qpdf: LibreOffice Calc's export of a receipt."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    work = tmp_path_factory.mktemp("libreoffice")
    (work / "hoa-don.csv").write_text("Mặt hàng,Số lượng,Đơn giá\nNước mắm Phú Quốc,2,75000\n",
                                      encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(work),
                    str(work / "hoa-don.csv")], check=True, capture_output=True, timeout=180)
    return Path(work / "hoa-don.pdf").read_bytes()


def test_a_pdf_from_libreoffice_passes_and_fails_once_a_script_is_added(libreoffice_pdf):
    assert check(libreoffice_pdf).content == libreoffice_pdf
    with pikepdf.open(io.BytesIO(libreoffice_pdf)) as pdf:
        assert "LibreOffice" in str(pdf.docinfo["/Producer"])
        assert "/OpenAction" in pdf.Root  # a destination, which stays allowed
        pdf.pages[0].AA = Dictionary(O=action("/JavaScript", JS=String("app.alert(1)")))
        output = io.BytesIO()
        pdf.save(output)
    assert refusal(output.getvalue()) == "pdf_script"
