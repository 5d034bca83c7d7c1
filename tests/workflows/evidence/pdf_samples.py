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


# What the outside tester stored through Open311 `media` after the first fix (issue 31), and kin.
SHARE = "\\\\203.0.113.5\\share\\v.mp4"


def with_base(base: str, uri: str | None = "hoadon.pdf") -> Callable[[pikepdf.Pdf], None]:
    """A catalog /URI /Base, against which a viewer resolves relative links, and a link."""
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.URI = Dictionary(Base=String(base))
        if uri is not None:
            on_a_link(pdf, action("/URI", URI=String(uri)))
    return change


def media_clip(pdf: pikepdf.Pdf) -> Dictionary:
    """A media clip playing a video from the tester's share: nothing inside the PDF."""
    return Dictionary(Type=Name.MediaClip, S=Name.MCD, CT=String("video/mp4"),
                      D=Dictionary(Type=Name.Filespec, FS=Name.URL, F=String(SHARE)))


def screen_rendition(pdf: pikepdf.Pdf) -> None:
    """A /Screen annotation playing the clip when the page opens (/AA /PO, or on a click)."""
    screen = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Screen,
                                          Rect=[72, 72, 300, 200]))
    rendition = Dictionary(Type=Name.Rendition, S=Name.MR, C=media_clip(pdf))
    screen.A = action("/Rendition", OP=0, AN=screen, R=rendition)
    pdf.pages[0].Annots = Array([screen])


def rendition_on_a_link(pdf: pikepdf.Pdf) -> None:
    """The /Rendition action alone, on a plain link: no /Screen, no /Type on the clip."""
    clip = Dictionary(S=Name.MCD, D=String(SHARE))
    on_a_link(pdf, action("/Rendition", OP=0, R=Dictionary(S=Name.MR, C=clip)))


def movie_annotation(pdf: pikepdf.Pdf) -> None:
    on_a_link(pdf, Dictionary(F=String(SHARE)), "/Movie", "/Movie")


def sound_annotation(pdf: pikepdf.Pdf) -> None:
    on_a_link(pdf, pdf.make_stream(b"\x00" * 64, R=8000), "/Sound", "/Sound")


def three_d(script: bool) -> Callable[[pikepdf.Pdf], None]:
    """A /3D annotation activated as the page opens (/3DA /A /PO); its 3D stream may carry
    /OnInstantiate, 3D JavaScript run on activation."""
    def change(pdf: pikepdf.Pdf) -> None:
        model = pdf.make_stream(b"PRC-not-a-real-model", Type=Name("/3D"), Subtype=Name.PRC)
        if script:
            model.OnInstantiate = pdf.make_stream(b"host.app.alert('x');")
        on_a_link(pdf, model, "/3D", "/3DD")
        pdf.pages[0].Annots[0]["/3DA"] = Dictionary(A=Name.PO)
    return change


def launch_in_a_next_chain(pdf: pikepdf.Pdf) -> None:
    """A link that shows a page, then a named action, then launches: /Next within /Next."""
    launch = action("/Launch", F=String("cmd.exe"))
    on_a_link(pdf, action("/GoTo", D=Array([0, Name.Fit]),
                          Next=Array([action("/Named", N=Name.NextPage, Next=launch)])))


def external_stream(pdf: pikepdf.Pdf) -> None:
    """A page whose content stream's data is another file's (a stream's /F)."""
    pdf.pages[0].Contents.F = Dictionary(Type=Name.Filespec, FS=Name.URL,
                                         F=String("\\\\203.0.113.5\\share\\page.bin"))


def page_transition(pdf: pikepdf.Pdf) -> None:
    """A slide's transition (LibreOffice Impress writes them) and a /Trans action: how the next
    page appears, nothing run nor reached."""
    pdf.pages[0].Trans = Dictionary(Type=Name.Trans, S=Name.Dissolve, D=1)
    on_a_link(pdf, action("/Trans", Trans=Dictionary(S=Name.Wipe)))


ACTIVE_SINCE = {
    "a relative link and a file: /Base": (with_base("file://203.0.113.5/share/"), "pdf_action"),
    "a relative link and a \\\\share /Base": (with_base("\\\\203.0.113.5\\share\\"),
                                              "pdf_action"),
    "a file: /Base alone": (with_base("FILE:///C:/", None), "pdf_action"),
    "a relative link, no /Base": (link("/URI", URI=String("hoadon.pdf")), "pdf_action"),
    "a relative link and a web /Base": (with_base("https://shop.vn/", "hoadon.pdf"),
                                        "pdf_action"),
    "a host without a scheme": (link("/URI", URI=String("www.shop.vn")), "pdf_action"),
    "a /Screen with a /Rendition": (screen_rendition, "pdf_action"),
    "a /Rendition on a link": (rendition_on_a_link, "pdf_action"),
    "a /Movie annotation": (movie_annotation, "pdf_action"),
    "a /Movie action": (link("/Movie", T=String("phim")), "pdf_action"),
    "a /Sound annotation": (sound_annotation, "pdf_action"),
    "a /3D annotation with /OnInstantiate": (three_d(script=True), "pdf_script"),
    "a /3D annotation": (three_d(script=False), "pdf_embedded"),
    "/GoTo3DView": (link("/GoTo3DView", TA=Dictionary(), V=Name.F), "pdf_action"),
    "a stream's data in another file": (external_stream, "pdf_action"),
}
# Links whose address a viewer reads after the control characters and spaces it skips: each
# gets past a scheme check that looks at the first character.
HIDDEN_SCHEMES = {
    "\x00file://evil/share": "pdf_action", " \x01\x1ffile://evil/share": "pdf_action",
    "\x08\tsmb://evil/share\n": "pdf_action", "\x00\\\\evil\\share": "pdf_action",
    "javascript:app.alert(1)": "pdf_script", "JaVaScRiPt:app.alert(1)": "pdf_script",
    "\x00 javascript:app.alert(1)": "pdf_script", "vbscript:msgbox(1)": "pdf_script",
    "\u200bfile://evil/share": "pdf_action", "\ufefffile://evil/share": "pdf_action",
}
# Already refused before (a test each, so they stay refused).
STILL_REFUSED = {
    "/Launch in a /Next chain": (launch_in_a_next_chain, "pdf_action"),
    "a \\\\?\\UNC\\ path": (link("/URI", URI=String("\\\\?\\UNC\\203.0.113.5\\share\\a")),
                            "pdf_action"),
    "a //host/share path": (link("/URI", URI=String("//203.0.113.5/share/a")), "pdf_action"),
    "a mixed-case File: link": (link("/URI", URI=String("FiLe:///C:/Windows/calc.exe")),
                                "pdf_action"),
}
