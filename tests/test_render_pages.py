"""The printed pages, checked by docgen.paper on LibreOffice's PDF of every document.

First, documents built here with python-docx show that each finding is found where it is and
not where it is not. Then every Word document of two campaigns is rendered and must show none:
the sample in inputs/ and the large campaign of tests/campaigns.py (160 measures, 28
departments, long progress texts with line breaks typed in the cells). Every document is
rendered, not a selection of the per-department ones: the ~160 documents take about 30 s to
convert and 40 s to read on two cores, and a department is the worst case of one kind by what
its measures say, which no selection made in advance would know.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from campaigns import AS_OF as LARGE_AS_OF
from campaigns import write_large_campaign
from conftest import copy_sample
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from test_official_check import add_run, gbt_document

from docgen.build import build
from docgen.official.checking import format_findings
from docgen.paper import check_pdf, check_rendered, kept_ids
from docgen.pdf import convert_to_pdf
from docgen.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path(__file__).resolve().parent / "data" / "fonts.conf"
pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="render check skipped: LibreOffice not installed"
)
SAMPLE_AS_OF = dt.date(2026, 11, 26)
SENTENCE = "按照局党组关于警示教育、以案促改和巡察整改工作的部署要求，各部门对照任务清单逐项推进，"


@pytest.fixture(autouse=True)
def fonts(monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", str(FONTS))


def report(paragraphs: int = 40, signature_on_new_page: bool = False):
    """A report of `paragraphs` body paragraphs with its signature set to the right."""
    document = gbt_document()
    signature = document.paragraphs[-2:]
    for _ in range(paragraphs):
        paragraph = signature[0].insert_paragraph_before("　　" + SENTENCE * 2)
        paragraph.paragraph_format.alignment = 3
    for line in signature:
        line.paragraph_format.alignment = 2
        line.paragraph_format.right_indent = Pt(64)
    if signature_on_new_page:
        signature[0].insert_paragraph_before().add_run().add_break(WD_BREAK.PAGE)
    return document


def findings_of(document, tmp_path, name="文档.docx"):
    path = tmp_path / name
    document.save(str(path))
    found = check_rendered([path]).issues
    return found


def codes_pages(found) -> set[tuple[str, str]]:
    return {(issue.code, issue.part) for issue in found}


def test_a_well_set_report_shows_nothing(tmp_path):
    found = findings_of(report(), tmp_path)
    assert found == [], format_findings(found)


def test_the_signature_alone_on_the_last_page(tmp_path):
    found = findings_of(report(12, signature_on_new_page=True), tmp_path)
    assert codes_pages(found) == {("signature-alone", "第4页")}, format_findings(found)


def test_a_blank_page(tmp_path):
    document = report(10)
    # a break ends its page where it stands: two empty paragraphs each ending one leave page 2 empty
    for _ in range(2):
        document.paragraphs[5].insert_paragraph_before().add_run().add_break(WD_BREAK.PAGE)
    found = findings_of(document, tmp_path)
    assert ("blank-page", "第2页") in codes_pages(found), format_findings(found)


def test_a_colophon_before_the_last_page(tmp_path):
    document = report(10)
    colophon = document.add_paragraph()
    add_run(colophon, "抄送：省纪委监委驻省政府办公厅纪检监察组。", "仿宋_GB2312", 14)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("附件")
    found = findings_of(document, tmp_path)
    assert {code for code, _ in codes_pages(found)} == {"colophon-not-last"}, format_findings(found)


def test_lines_off_the_grid(tmp_path):
    document = report()
    document.styles["Normal"].paragraph_format.line_spacing = Pt(32)
    # LibreOffice keeps lines that snap to a line grid on the grid whatever their spacing
    document.sections[0]._sectPr.find(qn("w:docGrid")).attrib.pop(qn("w:type"))
    found = findings_of(document, tmp_path, "行距.docx")
    grid = [issue for issue in found if issue.code == "page-grid"]
    assert grid and "排 19 行" in grid[0].message, format_findings(found)
    document = report()
    spacing = document.styles["Normal"].element.rPr.find(qn("w:spacing"))
    spacing.getparent().remove(spacing)
    found = findings_of(document, tmp_path, "字距.docx")
    grid = [issue for issue in found if issue.code == "page-grid"]
    assert grid and "每行 27 字" in grid[0].message, format_findings(found)


def test_a_line_ended_by_a_line_break_is_stretched(tmp_path):
    document = report(20)
    paragraph = document.paragraphs[6]
    paragraph.runs[0].text = "　　已召开专题会议3次，形成会议纪要。"
    paragraph.runs[0].add_break()
    paragraph.add_run(SENTENCE)
    found = findings_of(document, tmp_path)
    stretched = [issue for issue in found if issue.code == "stretched-line"]
    assert [(i.part, i.excerpt) for i in stretched] == [
        ("第1页", "已召开专题会议3次，形成会议纪要。")
    ]


def test_an_id_broken_at_its_hyphen(tmp_path):
    document = report(20)
    document.paragraphs[6].runs[0].text = "　　" + SENTENCE[:22] + "（YA-031）" + SENTENCE
    found = findings_of(document, tmp_path)
    split = [issue for issue in found if issue.code == "split-id"]
    assert split and "YA-031" in split[0].message, format_findings(found)


def test_a_file_libreoffice_cannot_read(tmp_path):
    broken = tmp_path / "损坏的文件.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    found = check_rendered([broken]).issues
    assert [issue.code for issue in found] == ["render-failed"]
    assert not list(tmp_path.glob("*.pdf")), "nothing is written beside the documents"


# -- every document of two campaigns ------------------------------------------------------------

KINDS = {
    "自查报告": "自查报告.docx",
    "督导简报": "督导简报*.docx",
    "年度工作总结": "*年度工作总结.docx",
    "催办通知": "催办通知/*.docx",
    "部门自查报告": "部门自查报告/*.docx",
    "反馈表": "反馈表/*.docx",
}


def _sample(root: Path) -> tuple[Path, dt.date]:
    copy_sample(root)
    return root, SAMPLE_AS_OF


def _large(root: Path) -> tuple[Path, dt.date]:
    return write_large_campaign(root), LARGE_AS_OF


CAMPAIGNS = {"sample": _sample, "large": _large}


@pytest.fixture(scope="module", params=CAMPAIGNS)
def printed(request, tmp_path_factory) -> tuple[str, Path, dict[str, list]]:
    """One campaign built and rendered: its name, its output folder, and each Word document's
    findings by name relative to that folder. One fixture per campaign, so that a campaign that
    cannot be built leaves the other's tests standing."""
    campaign = request.param
    patch = pytest.MonkeyPatch()
    patch.setenv("FONTCONFIG_FILE", str(FONTS))
    try:
        root = tmp_path_factory.mktemp(campaign)
        inputs, as_of = CAMPAIGNS[campaign](root / "inputs")
        opened = open_workspace(inputs, as_of, as_of)
        result = build(opened, root / "outputs", dt.datetime(2026, 11, 26, 9))
        documents = [p for p in result.outputs if p.suffix == ".docx"]
        converted = convert_to_pdf(documents)
        assert converted.failed == {}
    finally:
        patch.undo()
    return (
        campaign,
        result.folder,
        {
            p.relative_to(result.folder).as_posix(): check_pdf(
                p.with_suffix(".pdf"), kept=kept_ids(p)
            )
            for p in documents
        },
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_printed_pages_show_nothing_wrong(printed, kind):
    campaign, folder, documents = printed
    names = [name for name in documents if Path(name).match(KINDS[kind])]
    assert names, f"{campaign}: no {kind} in {sorted(documents)}"
    found = {name: documents[name] for name in names if documents[name]}
    assert found == {}, f"{campaign} ({folder}):\n" + "\n".join(
        format_findings(issues, name) for name, issues in found.items()
    )


def test_an_id_written_with_a_non_breaking_hyphen_is_not_reported(tmp_path):
    """Word keeps XC</w:t><w:noBreakHyphen/><w:t>031 on one line; LibreOffice breaks it anyway,
    and that break is the renderer's, not the document's."""
    document = report(20)
    run = document.paragraphs[6].runs[0]
    run.text = "　　" + SENTENCE[:22] + "（YA"
    run._r.append(OxmlElement("w:noBreakHyphen"))
    tail = OxmlElement("w:t")
    tail.set(qn("xml:space"), "preserve")
    tail.text = "031）" + SENTENCE
    run._r.append(tail)
    path = tmp_path / "文档.docx"
    document.save(str(path))
    assert kept_ids(path) == {"YA-031"}
    assert convert_to_pdf([path]).failed == {}
    pdf = path.with_suffix(".pdf")
    # The break is on the page (LibreOffice 7.4), and it is not the document's to answer for.
    assert "split-id" in {issue.code for issue in check_pdf(pdf)}
    found = check_pdf(pdf, kept=kept_ids(path))
    assert not [issue for issue in found if issue.code == "split-id"], format_findings(found)
