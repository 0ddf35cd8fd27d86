"""`docgen check` on documents other GB/T 9704 tools make: each test builds, with python-docx and
lxml, a document that conforms but is made the way another tool makes it, and asserts that the
checker accepts it; the checks added with them (tables that touch, the footer distance) are shown
to find what they look for."""

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from docgen.official.checking import check_document, format_findings

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def element(tag: str, **attrs) -> etree._Element:
    node = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), str(value))
    return node


def set_fonts(rpr, east_asian: str, size_pt: float, spacing: int | None = None) -> None:
    """rFonts with the hint, then spacing and size, in schema order."""
    for child in list(rpr):
        if child.tag in (qn("w:rFonts"), qn("w:spacing"), qn("w:sz"), qn("w:szCs")):
            rpr.remove(child)
    rpr.append(
        element(
            "rFonts",
            ascii="Times New Roman",
            hAnsi="Times New Roman",
            eastAsia=east_asian,
            cs="Times New Roman",
            hint="eastAsia",
        )
    )
    if spacing is not None:
        rpr.append(element("spacing", val=spacing))
    rpr.append(element("sz", val=round(size_pt * 2)))
    rpr.append(element("szCs", val=round(size_pt * 2)))


def add_run(paragraph, text: str, font: str, size_pt: float):
    run = paragraph.add_run(text)
    set_fonts(run._r.get_or_add_rPr(), font, size_pt)
    return run


def page_number(footer, odd: bool, result: str | None = "1", simple: bool = False) -> None:
    """ "— N —" in 4号宋体 as a complex field (or a w:fldSimple); result None stores no result."""
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = 2 if odd else 0
    add_run(paragraph, "— ", "宋体", 14)
    p = paragraph._p
    if simple:
        field = element("fldSimple", instr=" PAGE ")
        if result is not None:
            run = OxmlElement("w:r")
            run.append(element("t"))
            run[-1].text = result
            field.append(run)
        p.append(field)
    else:
        for kind in ("begin", "instr", "separate", "result", "end"):
            run = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            set_fonts(rpr, "宋体", 14)
            run.append(rpr)
            if kind == "instr":
                run.append(element("instrText"))
                run[-1].text = " PAGE "
            elif kind == "result":
                if result is None:
                    continue
                run.append(element("t"))
                run[-1].text = result
            else:
                run.append(element("fldChar", fldCharType=kind))
            p.append(run)
    add_run(paragraph, " —", "宋体", 14)


def gbt_document(page_field: dict | None = None) -> docx.Document:
    """A short report laid out to GB/T 9704-2012, styled the way a plain python-docx tool does:
    Normal carries the body font and pitch, the title and headings are direct formatting."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    normal = document.styles["Normal"].element
    set_fonts(normal.get_or_add_rPr(), "仿宋_GB2312", 16, spacing=-5)
    normal_format = document.styles["Normal"].paragraph_format
    normal_format.line_spacing = Twips(579)
    normal_format.space_after = Pt(0)

    title = document.add_paragraph()
    title.paragraph_format.alignment = 1
    add_run(title, "关于警示教育工作的自查报告", "方正小标宋简体", 22)
    document.add_paragraph("中共江淮省纪委监委：")
    document.add_paragraph("　　今年以来，我局认真落实警示教育各项部署，现将有关情况报告如下。")
    heading = document.add_paragraph()
    add_run(heading, "一、总体情况", "黑体", 16)
    document.add_paragraph("　　全年共有举措60项，已完成48项。")
    document.add_paragraph("江淮省地方金融管理局")
    document.add_paragraph("2026年11月26日")

    document.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer, True, **(page_field or {}))
    page_number(section.even_page_footer, False, **(page_field or {}))
    return document


def checked(document, tmp_path, name="文档.docx"):
    path = tmp_path / name
    document.save(str(path))
    return check_document(path)


def codes(findings) -> set[str]:
    return {finding.code for finding in findings}


def test_the_reference_document_passes(tmp_path):
    findings = checked(gbt_document(), tmp_path)
    assert findings == [], format_findings(findings)


# -- a. a PAGE field stored without its result -------------------------------------------------


@pytest.mark.parametrize("simple", [False, True], ids=["fldChar", "fldSimple"])
def test_a_page_field_without_a_stored_result_is_a_page_number(tmp_path, simple):
    findings = checked(gbt_document({"result": None, "simple": simple}), tmp_path)
    assert findings == [], format_findings(findings)


def test_an_empty_field_that_is_not_page_still_reads_as_dashes(tmp_path):
    document = gbt_document({"result": None})
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        instruction = footer._element.find(f".//{{{W}}}instrText")
        instruction.text = " PAGE "
        # the page number sits in a second, empty NUMPAGES field; the PAGE field shows nothing
        p = footer.paragraphs[0]._p
        for kind, text in (("begin", None), ("instr", " NUMPAGES "), ("end", None)):
            run = OxmlElement("w:r")
            if kind == "instr":
                run.append(element("instrText"))
                run[-1].text = text
            else:
                run.append(element("fldChar", fldCharType=kind))
            p.insert(1, run)
    assert codes(checked(document, tmp_path)) == set()
    # dashes with nothing between them and no PAGE field are still reported
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        for node in footer._element.findall(f".//{{{W}}}instrText"):
            node.text = " NUMPAGES "
    assert "page-number-missing" in codes(checked(document, tmp_path))


def test_a_stored_page_number_in_the_wrong_shape_is_still_reported(tmp_path):
    findings = checked(gbt_document({"result": "i"}), tmp_path)
    assert "page-number-format" in codes(findings)


# -- b. a paragraph style id that names no style ----------------------------------------------


def test_a_missing_style_falls_back_to_the_default_paragraph_style(tmp_path):
    document = gbt_document()
    for paragraph in document.paragraphs[1:]:
        paragraph._p.get_or_add_pPr().insert(0, element("pStyle", val="Body-Text-Missing"))
    findings = checked(document, tmp_path)
    assert findings == [], format_findings(findings)


def test_the_document_defaults_still_apply_without_a_default_style(tmp_path):
    document = gbt_document()
    normal = document.styles["Normal"].element
    normal.attrib.pop(qn("w:default"))
    findings = checked(document, tmp_path)
    # Without a default paragraph style the body falls back to docDefaults: 11 pt, theme fonts.
    assert {"font-size", "font-unset"} <= codes(findings)


# -- c. single spacing snapped to the 22-line grid --------------------------------------------


def grid_spaced(document, snap: str | None = None):
    """Body lines at single spacing, their pitch left to the document grid."""
    spacing = document.styles["Normal"].element.pPr.find(qn("w:spacing"))
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    if snap is not None:
        document.styles["Normal"].element.pPr.append(element("snapToGrid", val=snap))
    return document


def test_single_spacing_on_a_line_grid_takes_the_grid_pitch(tmp_path):
    findings = checked(grid_spaced(gbt_document()), tmp_path)
    assert findings == [], format_findings(findings)


def test_single_spacing_off_the_grid_is_single_spacing(tmp_path):
    findings = checked(grid_spaced(gbt_document(), snap="0"), tmp_path)
    pitch = [f for f in findings if f.code == "line-pitch"]
    assert pitch and "1 倍行距" in pitch[0].message
    document = grid_spaced(gbt_document())
    document.sections[0]._sectPr.find(qn("w:docGrid")).attrib.pop(qn("w:type"))
    assert "line-pitch" in codes(checked(document, tmp_path))


def test_the_grid_of_the_paragraphs_own_section_counts(tmp_path):
    document = grid_spaced(gbt_document())
    # A first section without a line grid ends after the title: its lines are single spaced.
    first = etree.fromstring(etree.tostring(document.sections[0]._sectPr))
    first.find(qn("w:docGrid")).attrib.pop(qn("w:type"))
    for reference in first.findall(qn("w:footerReference")):
        first.remove(reference)
    document.paragraphs[1]._p.get_or_add_pPr().append(first)
    findings = [f for f in checked(document, tmp_path) if f.code == "line-pitch"]
    assert [f.paragraph for f in findings] == [2]


# -- d. headings numbered by list numbering ---------------------------------------------------


def numbered(document, levels: list[tuple[str, str]]):
    """An abstract numbering with the given (numFmt, lvlText) levels, as numId 907."""
    numbering = document.part.numbering_part.element
    abstract = element("abstractNum", abstractNumId=909)
    for level, (fmt, text) in enumerate(levels):
        lvl = element("lvl", ilvl=level)
        lvl.append(element("start", val=1))
        lvl.append(element("numFmt", val=fmt))
        lvl.append(element("lvlText", val=text))
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = element("num", numId=907)
    num.append(element("abstractNumId", val=909))
    numbering.append(num)
    return document


def number_paragraph(paragraph, level: int) -> None:
    num_pr = element("numPr")
    num_pr.append(element("ilvl", val=level))
    num_pr.append(element("numId", val=907))
    paragraph._p.get_or_add_pPr().append(num_pr)


def test_list_numbered_headings_are_headings(tmp_path):
    document = numbered(
        gbt_document(), [("chineseCounting", "%1、"), ("chineseCounting", "（%1）")]
    )
    heading1 = document.paragraphs[3]
    heading1.runs[0].text = "总体情况"
    number_paragraph(heading1, 0)
    heading2 = heading1.insert_paragraph_before()
    heading2._p.getparent().remove(heading2._p)
    heading1._p.addnext(heading2._p)
    add_run(heading2, "学习教育", "楷体_GB2312", 16)
    number_paragraph(heading2, 1)
    findings = checked(document, tmp_path)
    assert findings == [], format_findings(findings)
    # Numbered as a heading but set in 仿宋: a heading in the wrong font.
    set_fonts(heading2.runs[0]._r.get_or_add_rPr(), "仿宋_GB2312", 16)
    findings = checked(document, tmp_path)
    assert codes(findings) == {"font"} and "楷体" in findings[0].message


def test_decimal_list_numbers_are_third_and_fourth_level_headings(tmp_path):
    document = numbered(gbt_document(), [("decimal", "%1."), ("decimal", "（%1）")])
    paragraph = document.paragraphs[4]
    number_paragraph(paragraph, 0)
    assert checked(document, tmp_path) == []


# -- e. tolerances ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "mm", "found"),
    [
        ("right_margin", 27.0, False),
        ("right_margin", 25.0, False),
        ("left_margin", 29.0, False),
        ("top_margin", 36.0, False),
        ("right_margin", 27.2, True),
        ("bottom_margin", 33.5, True),
    ],
)
def test_margins_are_checked_within_one_millimetre(tmp_path, side, mm, found):
    document = gbt_document()
    setattr(document.sections[0], side, Mm(mm))
    if side == "bottom_margin":
        document.sections[0].footer_distance = Mm(mm - 9.5)
    assert ("margin" in codes(checked(document, tmp_path))) is found


def test_a4_is_checked_within_one_millimetre(tmp_path):
    document = gbt_document()
    document.sections[0].page_width = Twips(11906)  # Word's A4: 210.02 mm
    document.sections[0].page_height = Mm(298)
    assert checked(document, tmp_path) == []
    document.sections[0].page_height = Twips(15840)  # US Letter
    assert "page-size" in codes(checked(document, tmp_path))


# -- tables that touch, the footer distance ---------------------------------------------------


def test_two_tables_with_nothing_between_them_are_reported(tmp_path):
    document = gbt_document()
    first = document.add_table(rows=1, cols=2)
    second = document.add_table(rows=1, cols=2)
    second.cell(0, 0).text = "第二个表格"
    document.add_paragraph("2026年11月26日")
    findings = [f for f in checked(document, tmp_path) if f.code == "adjacent-tables"]
    assert len(findings) == 1 and findings[0].excerpt == "第二个表格"
    # a bookmark between them changes nothing; a paragraph does
    first._tbl.addnext(element("bookmarkStart", id=1, name="表2"))
    assert "adjacent-tables" in codes(checked(document, tmp_path))
    first._tbl.addnext(OxmlElement("w:p"))
    assert "adjacent-tables" not in codes(checked(document, tmp_path))


def test_tables_touching_inside_a_cell_are_reported(tmp_path):
    document = gbt_document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    first = cell.add_table(rows=1, cols=1)._tbl
    second = cell.add_table(rows=1, cols=1)._tbl
    first.addnext(second)  # python-docx put a paragraph after each
    document.add_paragraph("2026年11月26日")
    assert "adjacent-tables" in codes(checked(document, tmp_path))


@pytest.mark.parametrize(
    ("distance", "found"),
    [(25.5, False), (24.7, False), (26.4, False), (20, True), (7, True), (28, True)],
)
def test_the_footer_distance_puts_the_dash_7_mm_below_the_type_area(tmp_path, distance, found):
    document = gbt_document()
    document.sections[0].footer_distance = Mm(distance)
    findings = [f for f in checked(document, tmp_path) if f.code == "footer-distance"]
    assert bool(findings) is found
    if found:
        assert f"{distance:.1f} 毫米" in findings[0].message and "25.5" in findings[0].message


def test_the_footer_distance_follows_the_bottom_margin(tmp_path):
    document = gbt_document()
    document.sections[0].bottom_margin = Mm(34.5)
    document.sections[0].footer_distance = Mm(25)
    assert checked(document, tmp_path) == []


def test_no_footer_distance_is_asked_of_a_document_without_page_numbers(tmp_path):
    document = gbt_document()
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        footer.is_linked_to_previous = True
    document.sections[0].footer_distance = Mm(7)
    found = codes(checked(document, tmp_path))
    assert "page-number-missing" in found and "footer-distance" not in found
