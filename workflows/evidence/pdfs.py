"""A PDF sent as evidence is read by a real parser (qpdf, through pikepdf) before it is accepted.

An officer opens it in a PDF viewer: a file that only begins with "%PDF-" (an HTML page, a
script) or one that acts when opened — JavaScript, launching a program, reaching another file,
the network or a form server, playing media, showing a 3D model, carrying files of its own —
is refused, never stored. Every object qpdf parsed is examined (those packed in compressed
object streams among them, with names as qpdf decodes them, so "/J#53" is "/JS"), not the
bytes, which compression and escapes hide things from. Reading a hostile PDF can cost seconds
and hundreds of megabytes: this runs only in the budgeted child of `workflows.evidence.sandbox`.

A PDF that passes is kept byte for byte: rewriting it would break the digital signature an
e-invoice carries, and its SHA-256 as received is the evidence.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# What each kind of active content is refused as, in the order a refusal names it.
SCRIPT, ACTION, EMBEDDED, XFA = "pdf_script", "pdf_action", "pdf_embedded", "pdf_xfa"
_PRECEDENCE = (SCRIPT, ACTION, EMBEDDED, XFA)

# A key whose presence anywhere makes the PDF active.
_KEYS = {
    "/JS": SCRIPT,  # an action's script
    "/JavaScript": SCRIPT,  # the document's name tree of scripts run on opening
    "/OnInstantiate": SCRIPT,  # a 3D stream's script, run as the model is activated
    "/AA": ACTION,  # additional actions: on opening, closing, printing, a page, a field
    "/EmbeddedFiles": EMBEDDED,
    "/EF": EMBEDDED,  # a file specification carrying the file itself
    "/RichMediaContent": EMBEDDED,
    "/3DD": EMBEDDED,  # a 3D annotation's model
    "/XFA": XFA,  # a form in XML that only some viewers draw, with scripts of its own
}
# An action's type (/S) that runs, launches, submits, opens another file or plays media; and
# the /S of a rendition (/MR, /SR) and a media clip (/MCD, /MCS), whose /Type is optional.
# Media play from a file or an address the clip names (a \\host\share among them), so all
# of them are refused, not only those that name something outside: nobody's evidence needs a
# film inside its PDF, and photos or a video sent apart show the same.
_ACTIONS = {
    "/JavaScript": SCRIPT,
    "/Launch": ACTION,
    "/SubmitForm": ACTION,
    "/ImportData": ACTION,
    "/GoToE": ACTION,
    "/GoToR": ACTION,
    "/RichMediaExecute": ACTION,
    "/Rendition": ACTION,
    "/Movie": ACTION,
    "/Sound": ACTION,
    "/GoTo3DView": ACTION,
    "/MR": ACTION,
    "/SR": ACTION,
    "/MCD": ACTION,
    "/MCS": ACTION,
}
# Annotations and objects refused by their /Subtype and /Type.
# 3D content is refused whole, scripted or not: it activates as its page opens (/3DA /A /PO)
# in the viewer's U3D/PRC engine, a large parser of its own with a history of exploits and a
# JavaScript of its own, and an evidence document shows nothing with it that photos do not.
_SUBTYPES = {
    "/FileAttachment": EMBEDDED, "/RichMedia": EMBEDDED,
    "/3D": EMBEDDED, "/U3D": EMBEDDED, "/PRC": EMBEDDED,
    "/Screen": ACTION, "/Movie": ACTION, "/Sound": ACTION,  # annotations that play media
}
_TYPES = {
    "/EmbeddedFile": EMBEDDED, "/3D": EMBEDDED,
    "/Rendition": ACTION, "/MediaClip": ACTION, "/Sound": ACTION,
}
# A link may lead to a web page or a mail address; file:, smb: and the like reach the
# officer's disk or network share (and hand a Windows password hash to whoever answers).
# A relative one ("hoadon.pdf", "www.shop.vn") is refused too: a viewer resolves it against
# the catalog's /URI /Base, or without one against the file's own folder, so it opens a file
# on the officer's disk or a share; and viewers differ on which base they take.
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_BASE_SCHEMES = frozenset({"http", "https"})  # what a /Base makes of a relative link
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
# What viewers skip around an address before reading its scheme, as browsers do (WHATWG URL:
# C0 controls and space): "\x00file://host" is a file: link to them.
_SKIPPED = "".join(map(chr, range(0x21)))


def pdf_refusal(received: bytes) -> str | None:
    """Why a PDF cannot be accepted (a rejection code), or None when it is a plain document."""
    try:
        # Recovery off: a file qpdf would have to reconstruct (no cross-reference table, cut
        # short, HTML behind a PDF header) is not read as whatever a reconstruction guesses.
        with pikepdf.open(io.BytesIO(received), attempt_recovery=False) as pdf:
            if len(pdf.pages) == 0:
                return "pdf_no_pages"
            found = _active_content(pdf)
    except pikepdf.PasswordError:
        return "pdf_encrypted"
    except MemoryError:
        raise  # past the budget: the sandbox answers for it
    except Exception:  # qpdf's every way of saying it is no readable PDF
        return "pdf_unreadable"
    return next((kind for kind in _PRECEDENCE if kind in found), None)


def _active_content(pdf: pikepdf.Pdf) -> set[str]:
    """The kinds of active content among every object qpdf parsed, reachable or not: a viewer
    that repairs a file may reach what the cross-reference table does not."""
    found: set[str] = set()
    pending: list[pikepdf.Object] = [*pdf.objects, pdf.trailer]
    while pending:
        current = pending.pop()
        if isinstance(current, (Dictionary, Stream)):
            found |= _dictionary_kinds(current)
            children = current.values()
        elif isinstance(current, Array):
            children = list(current)
        else:
            continue
        # Direct objects are inside their parent; indirect ones are in pdf.objects already,
        # so nothing is visited twice and no loop of references is followed.
        pending.extend(child for child in children
                       if isinstance(child, (Dictionary, Array)) and not child.is_indirect)
    return found


def _dictionary_kinds(dictionary: Dictionary | Stream) -> set[str]:
    kinds = {_KEYS[key] for key in dictionary.keys() if key in _KEYS}
    for key, table in (("/S", _ACTIONS), ("/Subtype", _SUBTYPES), ("/Type", _TYPES)):
        value = dictionary.get(key)
        if isinstance(value, Name) and str(value) in table:
            kinds.add(table[str(value)])
    if "/OpenAction" in dictionary and not _opens_at_a_page(dictionary["/OpenAction"]):
        kinds.add(ACTION)
    if isinstance(dictionary, Stream) and "/F" in dictionary:
        kinds.add(ACTION)  # the stream's data is read from another file, or an address
    if dictionary.get("/S") == Name.URI and "/URI" in dictionary:
        kinds |= _link_kinds(dictionary["/URI"], _WEB_SCHEMES)
    uri = dictionary.get("/URI")
    if isinstance(uri, Dictionary) and "/Base" in uri:  # the catalog's base for relative links
        kinds |= _link_kinds(uri["/Base"], _BASE_SCHEMES)
    return kinds


def _opens_at_a_page(open_action: object) -> bool:
    """An /OpenAction that only shows a page of this document (as LibreOffice and LaTeX
    write it); any other action would run as the officer opens the file."""
    if isinstance(open_action, (Array, Name, pikepdf.String)):
        return True
    return (isinstance(open_action, Dictionary) and open_action.get("/S") == Name.GoTo
            and "/Next" not in open_action)


def _link_kinds(address: object, allowed: frozenset[str]) -> set[str]:
    """Nothing when the address is absolute with an allowed scheme, both as its bytes read and
    as its text decodes (a viewer may take either, and UTF-16 text hides a scheme from the
    bytes); a script (javascript:) or an action (any other scheme, none, or no string)."""
    if not isinstance(address, pikepdf.String):
        return {ACTION}
    readings = (bytes(address).decode("latin-1"), str(address))
    schemes = {_scheme(reading) for reading in readings}
    if schemes & _SCRIPT_SCHEMES:
        return {SCRIPT}
    return set() if schemes <= allowed else {ACTION}


def _scheme(address: str) -> str | None:
    found = _URI_SCHEME.match(address.strip(_SKIPPED))
    return found.group()[:-1].lower() if found else None
