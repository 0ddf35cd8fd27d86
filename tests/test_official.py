import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from official_demo import BUILDERS, build_templates, example_context

from docgen.documents.registry import templates
from docgen.issues import ERROR, Issue
from docgen.official import geometry as g
from docgen.official.builder import BODY, OfficialDocument
from docgen.official.checking import (
    CheckError,
    check_document,
    check_documents,
    format_findings,
)
from docgen.rendering import packaged_templates_dir, render_document, resolve_template

TEMPLATES = sorted(BUILDERS)


@pytest.fixture(scope="module")
def filled(tmp_path_factory, demo_templates):
    """Each demo template (tests/official_demo) filled with its example context."""
    folder = tmp_path_factory.mktemp("filled")
    return {
        name: render_document(demo_templates[name], example_context(name), folder / name)
        for name in TEMPLATES
    }


def codes(findings):
    return {finding.code for finding in findings}


# -- templates and the documents made from them ----------------------------------------------


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_filled_template_passes_the_checker(filled, name):
    findings = check_document(filled[name])
    assert findings == [], format_findings(findings, name)


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_windows_font_profile_builds_and_checks(tmp_path, name):
    build_templates(tmp_path / "templates", profile="windows")
    out = render_document(tmp_path / "templates" / name, example_context(name), tmp_path / name)
    assert check_document(out, font_profile="windows") == []
    wrong = check_document(out, font_profile="gb2312")
    assert "font" in codes(wrong)
    assert check_document(out, font_profile=None) == []


def test_packaged_templates_are_up_to_date(tmp_path):
    """templates/*.docx are what the layouts make (compared by content, not bytes)."""
    packaged_templates = templates()
    assert sorted(packaged_templates) == sorted(
        path.name for path in packaged_templates_dir().glob("*.docx")
    )
    for name, template in packaged_templates.items():
        template.layout("gb2312").save(tmp_path / name)
    for name in sorted(packaged_templates):
        built = docx.Document(str(tmp_path / name))
        packaged = docx.Document(str(resolve_template(name)))
        assert [p.text for p in built.paragraphs] == [p.text for p in packaged.paragraphs], name
        assert built.styles.element.xml == packaged.styles.element.xml, name


def test_page_setup(filled):
    section = docx.Document(str(filled["report.docx"])).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [m.mm for m in margins] == pytest.approx([37, 35, 28, 26], abs=0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"


def test_landscape_table_form(filled):
    document = docx.Document(str(filled["table_form.docx"]))
    section = document.sections[0]
    assert section.page_width > section.page_height
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [m.mm for m in margins] == pytest.approx([28, 26, 35, 37], abs=0.1)
    table = document.tables[0]
    rows = table.rows
    assert rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    assert [c.text for c in rows[0].cells][:3] == ["序号", "编号", "工作任务"]
    assert len(rows) == 1 + len(example_context("table_form.docx")["rows"])
    assert rows[3].cells[0].text == "3"
    assert rows[4].cells[3].text == "长期坚持"
    assert rows[1].cells[3].text == "2026年11月26日"


def test_styles_name_every_role_with_explicit_east_asian_fonts(filled):
    document = docx.Document(str(filled["report.docx"]))
    names = {s.name for s in document.styles}
    for role in (
        "公文标题",
        "主送机关",
        "公文正文",
        "一级标题",
        "二级标题",
        "三级标题",
        "四级标题",
    ):
        assert role in names
    styles_xml = document.styles.element.xml
    assert "Theme" not in re.sub(r"w:themeColor|themeShade|themeTint", "", styles_xml)
    fonts = {
        s.name: s.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        for s in document.styles
        if s.name in names and s.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is not None
    }
    assert fonts["公文正文"].get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts["公文标题"].get(qn("w:eastAsia")) == "方正小标宋简体"
    assert fonts["一级标题"].get(qn("w:eastAsia")) == "黑体"
    assert fonts["二级标题"].get(qn("w:eastAsia")) == "楷体_GB2312"
    assert all(f.get(qn("w:hint")) == "eastAsia" for f in fonts.values())
    title = document.styles["公文标题"]
    assert title.font.size == Pt(22)
    assert document.styles["公文正文"].font.size == Pt(16)
    body_spacing = document.styles["公文正文"].element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    assert body_spacing.get(qn("w:val")) == "-5"
    assert "zh-CN" in styles_xml


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_run_has_an_east_asian_font_and_hint(filled, name):
    document = docx.Document(str(filled[name]))
    parts = [document.element] + [s.footer._element for s in document.sections]
    for part in parts:
        for run in part.iter(qn("w:r")):
            if not "".join(t.text or "" for t in run.iter(qn("w:t"))):
                continue
            fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts is not None and fonts.get(qn("w:eastAsia")), run.xml
            assert fonts.get(qn("w:hint")) == "eastAsia"


def test_page_numbers_odd_right_even_left(filled):
    document = docx.Document(str(filled["report.docx"]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert paragraph.text == "— 1 —"
        assert "PAGE" in "".join(i.text for i in paragraph._p.iter(qn("w:instrText")))
        for run in paragraph.runs:
            fonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "宋体"
    assert odd.paragraph_format.alignment == 2  # right
    assert even.paragraph_format.alignment == 0  # left


def test_report_content(filled):
    document = docx.Document(str(filled["report.docx"]))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    context = example_context("report.docx")
    assert texts[0] == "中共XX局党组文件"
    assert texts[1] == "\tX党组发〔2026〕3号\t签发人：张三"
    assert texts[2] == context["title"]
    assert texts[3] == "中共XX市纪委监委："
    assert "一、基本情况" in texts
    assert "附件：1.举措完成情况统计表" in texts
    assert "\u3000\u3000\u30002.逾期举措清单" in texts
    assert texts[-2].strip() == "中共XX局党组"
    assert texts[-1] == "\t2026年11月26日"
    colophon = [c.text for row in document.tables[0].rows for c in row.cells]
    assert colophon == ["抄送：驻局纪检监察组。", "XX局办公室\t2026年11月26日印发"]
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["一、基本情况"] == "一级标题"
    assert styles["（一）警示教育方面"] == "二级标题"
    assert styles["1.召开专题会议"] == "三级标题"
    assert styles["（1）局党组会研究部署"] == "四级标题"
    lead = next(p for p in document.paragraphs if p.text.startswith("（二）"))
    assert lead.runs[1].style.name == "楷体字" and lead.runs[1].text == "（二）以案促改方面。"


def test_report_without_red_header_or_copies(tmp_path, demo_templates):
    context = example_context("report.docx") | {"red_header": False, "cc": [], "attachments": []}
    out = render_document(demo_templates["report.docx"], context, tmp_path / "plain.docx")
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == context["title"]
    assert not any("签发人" in t or "附件" in t for t in texts)
    assert [c.text for row in document.tables[0].rows for c in row.cells] == [
        "XX局办公室\t2026年11月26日印发"
    ]
    assert check_document(out) == []


def test_long_issuer_marks_get_smaller_type(tmp_path, demo_templates):
    context = example_context("report.docx") | {"org_mark": "中共某某省某某市某某区某某局党组文件"}
    out = render_document(demo_templates["report.docx"], context, tmp_path / "long.docx")
    mark = docx.Document(str(out)).paragraphs[0]
    assert mark.text == context["org_mark"]
    assert mark.runs[0].font.size == Pt(22)
    short = render_document(
        demo_templates["report.docx"], example_context("report.docx"), tmp_path / "short.docx"
    )
    assert docx.Document(str(short)).paragraphs[0].runs[0].font.size == Pt(36)


def test_brief_content(filled):
    document = docx.Document(str(filled["brief.docx"]))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:3] == [
        "警示教育以案促改工作简报",
        "第5期",
        "XX局以案促改工作领导小组办公室\t2026年11月26日",
    ]
    footer = [c.text for row in document.tables[0].rows for c in row.cells]
    assert footer == [
        "报：市纪委监委，驻局纪检监察组。",
        "送：局领导。",
        "发：各科室，各直属单位。",
        "（共印30份）",
    ]


# -- the checker ----------------------------------------------------------------------------


def test_blank_python_docx_document_fails(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    findings = check_document(path)
    found = codes(findings)
    assert {"page-size", "margin", "no-title", "page-number-missing"} <= found
    assert {finding.file for finding in findings} == {str(path)}
    report = check_documents([path])
    assert report.files == [str(path)]
    assert report.issues == findings
    assert not report.valid


def _edited(filled, tmp_path, edit, name="report.docx"):
    document = docx.Document(str(filled[name]))
    edit(document)
    path = tmp_path / f"edited-{name}"
    document.save(str(path))
    return check_document(path)


def _body_paragraph(document, start):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def test_checker_finds_wrong_fonts_and_sizes(filled, tmp_path):
    def edit(document):
        paragraph = _body_paragraph(document, "截至")
        fonts = paragraph.runs[-1]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        fonts.set(qn("w:eastAsia"), "宋体")
        heading = _body_paragraph(document, "二、")
        heading.runs[0].font.size = Pt(18)

    findings = _edited(filled, tmp_path, edit)
    font = next(f for f in findings if f.code == "font")
    assert "仿宋" in font.message and font.excerpt.startswith("截至")
    assert font.paragraph is not None
    assert "font-size" in codes(findings)


def test_checker_finds_theme_fonts_and_loose_lines(filled, tmp_path):
    def edit(document):
        paragraph = _body_paragraph(document, "截至")
        for run in paragraph.runs:
            fonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            del fonts.attrib[qn("w:eastAsia")]
            fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
        paragraph.paragraph_format.line_spacing = Pt(29.6)
        paragraph.style.font._element  # noqa: B018 - the style stays as it is

    found = codes(_edited(filled, tmp_path, edit))
    assert {"line-pitch"} <= found
    assert "font-unset" in found


def test_checker_finds_27_character_lines(filled, tmp_path):
    def edit(document):
        spacing = document.styles["公文正文"].element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
        spacing.set(qn("w:val"), "0")

    findings = _edited(filled, tmp_path, edit)
    assert [f.code for f in findings] == ["chars-per-line"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("截至2026年03月05日，", "date-format"),
        ("截至2026-11-26，", "date-format"),
        ("根据X党组发[2026]3号文件", "doc-number"),
        ("根据X党组发〔2026〕第3号文件", "doc-number"),
        ("根据X党组发〔2026〕03号文件", "doc-number"),
        ("未替换的{{ name }}", "template-tag"),
        ("未替换的{%p if x %}", "template-tag"),
        ("未替换的{{r rich", "template-tag"),
    ],
)
def test_checker_finds_text_formats(filled, tmp_path, text, code):
    def edit(document):
        _body_paragraph(document, "截至").runs[-1].text = text

    findings = [f for f in _edited(filled, tmp_path, edit) if f.code == code]
    assert findings and findings[0].paragraph is not None


def test_checker_accepts_correct_text(filled, tmp_path):
    def edit(document):
        _body_paragraph(document, "截至").runs[
            -1
        ].text = "根据X党组发〔2026〕3号文件，于2026年3月5日完成。"

    assert _edited(filled, tmp_path, edit) == []


def test_checker_finds_page_number_departures(filled, tmp_path):
    def edit(document):
        section = document.sections[0]
        section.footer.paragraphs[0].runs[0].text = "- "
        section.even_page_footer.paragraphs[0].paragraph_format.alignment = 1
        section.left_margin = docx.shared.Mm(31.7)

    found = codes(_edited(filled, tmp_path, edit))
    assert {"page-number-format", "page-number-position", "margin"} <= found


def test_findings_format_and_serialise():
    finding = Issue.of(
        "font",
        "正文的字体为 宋体，应为仿宋。",
        file="a.docx",
        part="正文",
        paragraph=3,
        excerpt="截至2026年",
    )
    assert finding.severity == ERROR
    line = format_findings([finding], "a.docx")
    assert line == "a.docx: [错误] 正文第3段“截至2026年”：正文的字体为 宋体，应为仿宋。（font）"
    assert [issue.to_dict() for issue in [finding]] == [
        {
            "code": "font",
            "severity": "error",
            "message": "正文的字体为 宋体，应为仿宋。",
            "file": "a.docx",
            "sheet": "",
            "row": None,
            "column": "",
            "header": "",
            "letter": "",
            "value": "",
            "part": "正文",
            "paragraph": 3,
            "excerpt": "截至2026年",
            "column_label": "",
        }
    ]
    assert "未发现" in format_findings([], "a.docx")


def test_unreadable_files_raise_a_check_error(tmp_path):
    path = tmp_path / "not.docx"
    path.write_text("plain text")
    with pytest.raises(CheckError, match="不是有效"):
        check_document(path)


def test_builder_is_a_small_library(tmp_path):
    doc = OfficialDocument("windows", title="自定义")
    doc.title("{{ title }}")
    with doc.each("item in items"):
        doc.paragraph(BODY, "{{ loop.index|heading2 }}{{ item }}")
    path = doc.save(tmp_path / "custom.docx")
    out = render_document(path, {"title": "标题", "items": ["甲", "乙"]}, tmp_path / "out.docx")
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts == ["标题", "（一）甲", "（二）乙"]
    with zipfile.ZipFile(out) as archive:
        assert "仿宋" in archive.read("word/styles.xml").decode()


# -- rendered by LibreOffice ----------------------------------------------------------------


def _pdf(docx_path, folder):
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        reason = f"LibreOffice render test skipped: {', '.join(missing)} not installed"
        print(reason)
        pytest.skip(reason)
    env = dict(
        os.environ,
        FONTCONFIG_FILE=str(os.path.join(os.path.dirname(__file__), "data", "fonts.conf")),
    )
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    return folder / (docx_path.stem + ".pdf")


def _page_text(pdf, page):
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def test_libreoffice_lays_out_22_lines_of_28_characters(tmp_path):
    doc = OfficialDocument()
    doc.title("测试")
    text = "中华人民共和国国家标准党政机关公文格式规定" * 20
    for _ in range(6):
        doc.paragraph(BODY, text)
    pdf = _pdf(doc.save(tmp_path / "lines.docx"), tmp_path)
    lines = _page_text(pdf, 2)
    assert re.fullmatch(r"—\s*2\s*—", lines[-1]), lines[-1]
    body = lines[:-1]
    print(f"page 2: {len(body)} lines, characters per line {sorted({len(x) for x in body})}")
    assert len(body) == g.LINES_PER_PAGE
    full = [line for line in body if len(line) == g.CHARS_PER_LINE]
    assert len(full) >= g.LINES_PER_PAGE - 2  # a paragraph's first and last lines are short
    assert max(len(line) for line in body) == g.CHARS_PER_LINE


def test_libreoffice_puts_the_colophon_at_the_foot_and_repeats_table_headers(filled, tmp_path):
    pdf = _pdf(filled["report.docx"], tmp_path)
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    words = re.findall(r'yMax="([\d.]+)">([^<]*)</word>', result.stdout)
    colophon = [float(y) for y, word in words if word.endswith("日印发")]
    type_area_bottom = (g.PAGE_HEIGHT_MM - g.MARGINS_MM["bottom"]) / 25.4 * 72
    assert colophon and type_area_bottom - 15 < colophon[0] <= type_area_bottom
    form = _pdf(filled["table_form.docx"], tmp_path)
    assert "工作任务" in " ".join(_page_text(form, 2))
