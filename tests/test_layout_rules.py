"""Layout that holds in every document of every kind: the signature kept with the last lines of
the body and placed as GB/T 9704 7.3.5 says, a paragraph between any two tables (Word merges
tables that touch), alt text on every picture, a w:zoom the schema accepts."""

import datetime as dt
import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import NOW, SMALL_AS_OF, campaign_of, job_for, make_workspace
from docx.oxml.ns import qn
from lxml import etree
from test_batch import tiny_png

from docgen.build import build
from docgen.charts import cjk_font_available, completions_by_month
from docgen.documents.year_end import write_year_end
from docgen.official import geometry as g
from docgen.official.builder import Column, OfficialDocument
from docgen.paper import read_pages
from docgen.pdf import convert_to_pdf
from docgen.rendering import Picture, packaged_templates_dir, prepare, render_bytes
from docgen.rendering.environment import png_text
from docgen.workspace import open_workspace

FONTS = Path(__file__).resolve().parent / "data" / "fonts.conf"
WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
DATE = dt.date(2026, 11, 26)
DATE_TEXT = "2026年11月26日"
# Enough 3号 lines of filler before the closing to put it at every line of a page in turn.
PAGE_LINES = range(g.LINES_PER_PAGE)
needs_renderer = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """Every Word document of a build of the small campaign, by its path under the folder, and
    the year-end summary, which a June build leaves out, asked for by name."""
    root = tmp_path_factory.mktemp("layout")
    opened = open_workspace(make_workspace(root / "ws"), SMALL_AS_OF, SMALL_AS_OF)
    result = build(opened, root / "out", NOW)
    [summary] = write_year_end(job_for(root / "ws", root / "year-end"))
    return {
        **{
            path.relative_to(result.folder).as_posix(): path
            for path in result.outputs
            if path.suffix == ".docx"
        },
        summary.name: summary,
    }


def body_of(path: Path):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(qn("w:body"))


def style_of(p) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"))


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def keeps_with_next(p) -> bool:
    return p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


# -- the signature and the end of the body ---------------------------------------------------


def test_every_signature_keeps_the_last_lines_of_the_body_with_it(documents):
    signed = 0
    for name, path in documents.items():
        for signature in body_of(path).iter(qn("w:p")):
            if style_of(signature) != "GwSignature":
                continue
            signed += 1
            chain, before = [], signature.getprevious()
            while before is not None and before.tag == qn("w:p") and keeps_with_next(before):
                chain.insert(0, before)
                before = before.getprevious()
            texts = [text_of(p) for p in chain]
            assert chain and not texts[-1].strip(), f"{name}: no blank line kept with the 署名"
            body = [p for p in chain if text_of(p).strip() and style_of(p) != "GwAttachmentNote"]
            # The closing and, where it is a paragraph of the template's own, the one before it,
            # which may split (widow control): its last two lines come along, not all of it.
            assert 1 <= len(body) <= 2, f"{name}: kept with the signature: {texts}"
            assert text_of(body[-1]).startswith("特此"), f"{name}: kept with the signature: {texts}"
            for paragraph in body[:-1]:
                widow = paragraph.find(qn("w:pPr")).find(qn("w:widowControl"))
                assert widow is not None and widow.get(qn("w:val")) == "1", name
            # The closing, its 附件说明 and blank lines: never a block big enough to leave much
            # of a page empty.
            assert len(chain) <= 8, f"{name}: {len(chain)} paragraphs kept with the signature"
    assert signed >= 4


def test_a_signature_after_a_loop_or_a_table_does_not_chain_them():
    doc = OfficialDocument()
    with doc.each("m in measures"):
        doc.body_text("{{ m }}")
    doc.signature()
    loop_item = [p for p in doc.document.element.body.iter(qn("w:p")) if text_of(p) == "{{ m }}"][0]
    assert not keeps_with_next(loop_item)

    doc = OfficialDocument()
    doc.table([Column("编号", "{{ row }}", 30)])
    doc.signature()
    assert not any(
        keeps_with_next(p) for p in doc.document.element.body.find(qn("w:tbl")).iter(qn("w:p"))
    )


def test_the_signature_styles_keep_the_name_with_the_date():
    with zipfile.ZipFile(packaged_templates_dir() / "urge_notice.docx") as archive:
        root = etree.fromstring(archive.read("word/styles.xml"))
    signature = root.find(f"{qn('w:style')}[@{qn('w:styleId')}='GwSignature']")
    assert signature.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def closing_document(filler_lines: int, report: bool) -> OfficialDocument:
    """A notice (特此通知, unsealed) or a report (特此报告, 附件说明, sealed) whose closing falls
    `filler_lines` lines further down the page than with none."""
    doc = OfficialDocument(title="测试")
    doc.title("关于测试的通知")
    doc.addressee("各部门：")
    for _ in range(filler_lines):
        doc.body_text("一二三四五六七八九十" * 2 + "一二三四五六")
    doc.body_text("这一段占三行。" * 9)
    if report:
        doc.body_text("特此报告。")
        doc.attachment_note("attachments")
    else:
        doc.body_text("特此通知。")
    doc.signature("signature", "date", sealed=report)
    return doc


@pytest.fixture(scope="module")
def closings(tmp_path_factory) -> dict[tuple[bool, int], Path]:
    """The PDF of each closing_document: the closing at every line of a page in turn."""
    folder = tmp_path_factory.mktemp("closings")
    context = {
        "signature": "江淮省地方金融管理局办公室",
        "date": DATE,
        "attachments": ["2026年度举措完成情况统计表", "2026年度举措分月完成情况表"],
    }
    made = {}
    for report in (False, True):
        for lines in PAGE_LINES:
            template = folder / f"{'report' if report else 'notice'}-{lines}.tpl.docx"
            closing_document(lines, report).save(template)
            made[report, lines] = template.with_suffix("").with_suffix(".docx")
            made[report, lines].write_bytes(render_bytes(template, context))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FONTCONFIG_FILE", str(FONTS))
        converted = convert_to_pdf(list(made.values()))
    assert converted.failed == {}
    return {key: path.with_suffix(".pdf") for key, path in made.items()}


def signature_page_body(pdf: Path) -> list[str]:
    """The lines of body text (not 附件说明) above the signature on the signature's page."""
    for page in read_pages(pdf):
        texts = [line.text for line in page.content]
        if DATE_TEXT in texts:
            above = texts[: texts.index(DATE_TEXT) - 1]
            return [t for t in above if not re.match(r"附件：|\d+\.", t)]
    raise AssertionError(f"{pdf.name}: no signature found")


@needs_renderer
@pytest.mark.parametrize("report", [False, True], ids=["notice", "report"])
@pytest.mark.parametrize("lines", PAGE_LINES)
def test_the_signature_never_stands_alone_on_a_page(closings, report, lines):
    body = signature_page_body(closings[report, lines])
    assert body and body[-1] == ("特此报告。" if report else "特此通知。")


# -- 7.3.5: where the 署名 and the 成文日期 sit ------------------------------------------------


def positions(pdf: Path) -> tuple[float, float, float, float]:
    """Where the 署名 starts and the date starts and ends, and the type area's right edge, pt."""
    page = read_pages(pdf)[0]
    lines = page.content
    date = next(i for i, line in enumerate(lines) if line.text == DATE_TEXT)
    return lines[date - 1].x0, lines[date].x0, lines[date].x1, page.area[2]


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> dict[str, Path]:
    """The PDF of a signature block for each case of 7.3.5."""
    folder = tmp_path_factory.mktemp("signed")
    cases = {
        "unsealed, long name": ("江淮省地方金融管理局办公室", False),
        "unsealed, short name": ("局办公室", False),
        "sealed": ("中共江淮省地方金融管理局党组", True),
    }
    made = {}
    for case, (org, sealed) in cases.items():
        doc = OfficialDocument(title="测试")
        doc.body_text("特此报告。")
        doc.signature("signature", "date", sealed=sealed)
        template = folder / f"{len(made)}.tpl.docx"
        doc.save(template)
        made[case] = folder / f"{len(made)}.docx"
        made[case].write_bytes(render_bytes(template, {"signature": org, "date": DATE}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FONTCONFIG_FILE", str(FONTS))
        assert convert_to_pdf(list(made.values())).failed == {}
    return {case: path.with_suffix(".pdf") for case, path in made.items()}


ZI = g.BODY_PT  # 1 字 of 3号 text in points
TOLERANCE = 0.15 * ZI


@needs_renderer
def test_unsealed_the_date_starts_2_zi_right_of_the_name(signed):
    name, date, date_end, right = positions(signed["unsealed, long name"])
    assert date - name == pytest.approx(2 * ZI, abs=TOLERANCE)


@needs_renderer
def test_unsealed_a_date_longer_than_the_name_ends_2_zi_from_the_right(signed):
    name, date, date_end, right = positions(signed["unsealed, short name"])
    assert right - date_end == pytest.approx(2 * ZI, abs=TOLERANCE)
    assert date - name == pytest.approx(2 * ZI, abs=TOLERANCE)


@needs_renderer
def test_sealed_the_date_ends_4_zi_from_the_right(signed):
    name, date, date_end, right = positions(signed["sealed"])
    assert right - date_end == pytest.approx(4 * ZI, abs=TOLERANCE)


def test_the_date_lines_end_at_tab_stops_2_and_4_zi_from_the_right():
    doc = OfficialDocument()
    doc.signature(sealed=True)
    width = g.mm_to_twips(g.TYPE_AREA_WIDTH_MM)
    stops = [
        int(tab.get(qn("w:pos")))
        for tab in doc.document.element.body.iter(qn("w:tab"))
        if tab.getparent().tag == qn("w:tabs")
    ]
    assert stops == [width - 4 * g.CHAR_TWIPS]
    styles = doc.document.styles.element
    for style in ("GwSignature", "GwDate"):
        tabs = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style}']").iter(qn("w:tab"))
        assert [int(t.get(qn("w:pos"))) for t in tabs] == [width - 2 * g.CHAR_TWIPS]


# -- tables ----------------------------------------------------------------------------------


def touching_tables(body) -> int:
    return sum(
        1
        for table in body.iter(qn("w:tbl"))
        if table.getnext() is not None and table.getnext().tag == qn("w:tbl")
    )


def test_no_two_tables_touch_in_any_document(documents):
    for name, path in documents.items():
        assert touching_tables(body_of(path)) == 0, name


COLUMNS = [Column("编号", "{{ row }}", 30), Column("内容", "{{ row }}", 60)]


@pytest.mark.parametrize("shown", [True, False])
def test_a_paragraph_comes_between_tables_however_the_template_is_filled(tmp_path, shown):
    doc = OfficialDocument()
    doc.table(COLUMNS, "row in first")
    with doc.when("shown"):
        doc.table(COLUMNS, "row in second")
    with doc.each("rows in groups"):
        doc.table(COLUMNS, "row in rows")
    doc.colophon(cc=None)
    doc.save(tmp_path / "tables.docx")
    context = {
        "first": [1],
        "second": [5],
        "shown": shown,
        "groups": [[2], [3, 4]],
        "print_org": "局办公室",
        "print_date": DATE,
    }
    (tmp_path / "filled.docx").write_bytes(render_bytes(tmp_path / "tables.docx", context))
    body = body_of(tmp_path / "filled.docx")
    assert len(body.findall(qn("w:tbl"))) == (5 if shown else 4)
    assert touching_tables(body) == 0


# -- pictures and settings -------------------------------------------------------------------


def test_every_picture_has_alt_text(documents):
    described = 0
    for name, path in documents.items():
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        for properties in root.iter(WP_DOC_PR):
            assert properties.get("descr"), name
            assert properties.get("title"), name
            described += 1
    if cjk_font_available():
        assert described >= 3  # the brief's two charts and at least one in the year-end summary


def described_png(title: str, description: str) -> bytes:
    """tiny_png with the Title and Description text a chart carries (iTXt chunks, UTF-8)."""
    png = tiny_png()
    chunks = b""
    for keyword, text in (("Title", title), ("Description", description)):
        body = b"iTXt" + keyword.encode() + b"\0\0\0\0\0" + text.encode()
        chunks += struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return png[:-12] + chunks + png[-12:]  # before IEND


def drawing_properties(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    (properties,) = root.iter(WP_DOC_PR)
    return properties


def test_both_rendering_paths_give_a_picture_its_alt_text(tmp_path):
    doc = OfficialDocument()
    doc.figure("chart")
    doc.save(tmp_path / "figure.docx")
    description = "柱状图：3月7项 & 4月9项 <累计16项>"
    chart = Picture(described_png("各月完成举措数", description), 20)
    strict = render_bytes(tmp_path / "figure.docx", {"chart": chart})
    fast = prepare(tmp_path / "figure.docx").render({"chart": chart})
    for data in (strict, fast):
        properties = drawing_properties(data)
        assert properties.get("title") == "各月完成举措数"
        assert properties.get("descr") == description


def test_a_picture_without_text_is_placed_as_before(tmp_path):
    doc = OfficialDocument()
    doc.figure("chart")
    doc.save(tmp_path / "figure.docx")
    data = render_bytes(tmp_path / "figure.docx", {"chart": Picture(tiny_png(), 20)})
    assert drawing_properties(data).get("descr") is None


@pytest.mark.skipif(not cjk_font_available(), reason="no font with Chinese characters")
def test_a_chart_carries_its_title_and_description_in_its_png(tmp_path):
    summary = campaign_of(make_workspace(tmp_path / "ws")).summary
    chart = completions_by_month(summary, 2026)
    text = png_text(chart.png)
    assert (text["Title"], text["Description"]) == (chart.title, chart.description)
    assert chart.description.startswith("柱状图和折线图，2026年各月完成举措数")
    assert "6月" in chart.description


def test_zoom_has_a_percent_in_every_template_and_document(documents):
    paths = list(packaged_templates_dir().glob("*.docx")) + list(documents.values())
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            settings = etree.fromstring(archive.read("word/settings.xml"))
        zoom = settings.find(qn("w:zoom"))
        assert zoom is not None and zoom.get(qn("w:percent")) == "100", path.name
