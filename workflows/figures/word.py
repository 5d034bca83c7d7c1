"""Writing a Word document in the form of Decree 30/2020/NĐ-CP with python-docx: A4 pages and
the Decree's margins, Times New Roman (the East Asian slot too, which Vietnamese text may use),
paragraphs and tables without the empty paragraph a new cell holds, the short rule under a
heading, page numbers at the top from the second page, a section counting its own pages."""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_SIZE = 14
# Decree 30, Appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 20}


def font(run_or_style: object, size: float, bold: bool = False, italic: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    element = getattr(run_or_style, "element", None)
    properties = element.get_or_add_rPr() if element is not None and hasattr(
        element, "get_or_add_rPr") else None
    if properties is not None:  # Vietnamese text is drawn with the East Asian font slot too
        properties.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def paragraph(container: object, text: str = "", size: float = BODY_SIZE, bold: bool = False,
              italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
              indent: bool = False, after: float = 0) -> Paragraph:
    made: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    made.alignment = align
    made.paragraph_format.space_after = Pt(after)
    made.paragraph_format.space_before = Pt(0)
    if indent:
        made.paragraph_format.first_line_indent = Mm(10)
    run = made.add_run()
    for number, line in enumerate(text.split("\n")):
        if number:
            run.add_break()
        run.add_text(line)
    font(run, size, bold, italic)
    return made


def short_rule(cell: object) -> None:
    """The short line under the issuer and under the motto."""
    rule = paragraph(cell, "", 6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    rule.paragraph_format.left_indent = Mm(18)
    rule.paragraph_format.right_indent = Mm(18)
    rule._p.get_or_add_pPr().append(border)


def no_borders(table: WordTable) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def widths(table: WordTable, millimetres: Sequence[float]) -> None:
    """Fixed column widths (Word and LibreOffice read the cells', python-docx the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def clear(cell: object) -> object:
    """A new table cell holds one empty paragraph: remove it, to add ours."""
    for paragraph in list(cell.paragraphs):  # type: ignore[attr-defined]
        paragraph._p.getparent().remove(paragraph._p)
    return cell


def page_number_header(section: object) -> None:
    """Decree 30: the page number at the top, centred, from the second page."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)

def a4(section: object, landscape: bool = False) -> None:
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = width, height  # type: ignore[attr-defined]
    for side, millimetres in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(millimetres))


def repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def own_page_numbers(section: object) -> None:
    """An appendix counts its pages from 1 (Decree 30), its first page unnumbered."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    properties = section._sectPr  # type: ignore[attr-defined]
    for copied in properties.findall(qn("w:pgNumType")):  # the section before's, copied
        properties.remove(copied)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    properties.find(qn("w:pgMar")).addnext(numbering)
