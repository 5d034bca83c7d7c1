"""Real PDFs for the tests, built with pikepdf: each kind of active content, a name written with
#xx escapes, what is no readable PDF, and one costly to parse."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.helpers import one_page_pdf


def built(change: Callable[[pikepdf.Pdf], None], **save_options: object) -> bytes:
    """A one-page PDF that `change` adds to, as qpdf writes it."""
    with pikepdf.open(io.BytesIO(one_page_pdf())) as pdf:
        change(pdf)
        output = io.BytesIO()
        pdf.save(output, **save_options)  # type: ignore[arg-type]
    return output.getvalue()


def action(kind: str, **entries: object) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name(kind), **entries)


def on_a_link(pdf: pikepdf.Pdf, what: Dictionary, subtype: str = "/Link", key: str = "/A") -> None:
    annotation = Dictionary(Type=Name.Annot, Subtype=Name(subtype), Rect=[72, 72, 200, 100])
    annotation[key] = what
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def script_on_opening(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = action("/JavaScript", JS=String("app.launchURL('http://x.test')"))


def named_script(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(action("/JavaScript", JS=String("app.alert(1)")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), script])))


def launch_on_opening(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = action("/Launch", F=String("cmd.exe"))


def document_actions(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AA = Dictionary(WC=action("/Named", N=Name.NextPage))


def page_actions(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].AA = Dictionary(O=action("/URI", URI=String("https://x.test/opened")))


def annotation_actions(pdf: pikepdf.Pdf) -> None:
    on_a_link(pdf, Dictionary(E=action("/Named", N=Name.NextPage)), key="/AA")


def field_actions(pdf: pikepdf.Pdf) -> None:
    field = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("so_tien"), Rect=[0, 0, 1, 1],
                                         AA=Dictionary(K=action("/Named", N=Name.NextPage))))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def attached_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["hoa-don.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def file_attachment_annotation(pdf: pikepdf.Pdf) -> None:
    on_a_link(pdf, Dictionary(Type=Name.Filespec, F=String("a.txt")), "/FileAttachment", "/FS")


def rich_media(pdf: pikepdf.Pdf) -> None:
    on_a_link(pdf, Dictionary(Assets=Dictionary()), "/RichMedia", "/RichMediaContent")


def xfa_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AcroForm = Dictionary(Fields=Array([]),
                                   XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='x'/>"))


def link(kind: str, **entries: object) -> Callable[[pikepdf.Pdf], None]:
    return lambda pdf: on_a_link(pdf, action(kind, **entries))


ACTIVE = {
    "JavaScript on opening": (script_on_opening, "pdf_script"),
    "a /JavaScript name tree": (named_script, "pdf_script"),
    "/Launch on opening": (launch_on_opening, "pdf_action"),
    "/Launch on a link": (link("/Launch", F=String("calc.exe")), "pdf_action"),
    "/AA of the document": (document_actions, "pdf_action"),
    "/AA of a page": (page_actions, "pdf_action"),
    "/AA of an annotation": (annotation_actions, "pdf_action"),
    "/AA of a form field": (field_actions, "pdf_action"),
    "/SubmitForm": (link("/SubmitForm", F=String("https://x.test/thu")), "pdf_action"),
    "/ImportData": (link("/ImportData", F=String("du-lieu.fdf")), "pdf_action"),
    "/GoToE": (link("/GoToE", D=Array([0, Name.Fit])), "pdf_action"),
    "/GoToR": (link("/GoToR", F=String("\\\\may-chu\\chia-se\\a.pdf"), D=Array([0, Name.Fit])),
               "pdf_action"),
    "a file: link": (link("/URI", URI=String("file://may-chu/chia-se")), "pdf_action"),
    "/EmbeddedFiles": (attached_file, "pdf_embedded"),
    "a /FileAttachment annotation": (file_attachment_annotation, "pdf_embedded"),
    "/RichMedia": (rich_media, "pdf_embedded"),
    "an XFA form": (xfa_form, "pdf_xfa"),
}


def escaped(change: Callable[[pikepdf.Pdf], None], placeholder: bytes, written: bytes) -> bytes:
    """The PDF with one name written with #xx escapes, as a hand-made file may: the placeholder
    name has the same length, so the offsets of the cross-reference table still hold."""
    plain = built(change, compress_streams=False)
    assert plain.count(placeholder) == 1 and len(placeholder) == len(written)
    return plain.replace(placeholder, written)


def html_behind_a_pdf_header() -> bytes:
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def no_pages() -> bytes:
    output = io.BytesIO()
    pikepdf.new().save(output)
    return output.getvalue()


def locked() -> bytes:
    return one_page_pdf(encryption=pikepdf.Encryption(user="mat-khau", owner="chu"))


def latex_opening(pdf: pikepdf.Pdf) -> None:
    """As LaTeX's hyperref writes it: open at the first page, fitted. And a web link."""
    pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))
    on_a_link(pdf, action("/URI", URI=String("https://dichvucong.gov.vn/")))


def pdf_of_many_objects(count: int) -> bytes:
    """A valid one-page PDF of ten megabytes and `count` empty objects: seconds of parsing."""
    parts = [b"%PDF-1.4\n", b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
             b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
             b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"]
    parts += [b"%d 0 obj\n[]\nendobj\n" % number for number in range(4, count + 4)]
    offsets, position = [], 0
    for part in parts:
        if part.endswith(b"endobj\n"):
            offsets.append(position)
        position += len(part)
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    parts += [b"%010d 00000 n \n" % offset for offset in offsets]
    parts.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                 % (len(offsets) + 1, position))
    return b"".join(parts)


def with_script(name: str = "hoa-don.pdf") -> tuple[str, bytes, str]:
    return name, built(script_on_opening, object_stream_mode=pikepdf.ObjectStreamMode.generate), \
        "application/pdf"
