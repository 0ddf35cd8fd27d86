"""反馈表 (Word and Excel) on the small campaign of conftest.py, worked out by hand.

Assignments, in measure order (the lead first in each measure):
  办公室   JS-01 牵头 3-31, JS-02 配合 6-30, XC-001 牵头 5-31    -> 3: 牵头 2, 配合 1
  机关党委 JS-02 牵头 6-30                                     -> 1: 均为牵头
  人事处   JS-02 配合 6-30, YA-001 牵头 6-20, XC-002 牵头 6-10  -> 3: 牵头 2, 配合 1
  财务处   YA-001 配合 6-20, YA-002 牵头 长期坚持, XC-001 配合 5-31 -> 3: 牵头 1, 配合 2
  第一分局 is configured but answers for nothing: no form.
As of 2026-06-15 with no return date configured, forms are due a week later: 2026-06-22.
财务处 has sent nothing: its 3 assignments are 未反馈 until its form comes back.
"""

import datetime as dt
import re
import shutil

import docx
import pytest
from conftest import SMALL_AS_OF, campaign_of, make_workspace, sample_copy
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from docgen import build
from docgen.build import Campaign
from docgen.documents.base import Job
from docgen.documents.feedback_form import write_feedback_forms
from docgen.documents.feedback_form.workbook import ANSWERS as EXCEL_ANSWERS
from docgen.documents.feedback_form.workbook import HEADER_ROW
from docgen.documents.year_end import write_year_end
from docgen.errors import DocgenError
from docgen.loading import match_header
from docgen.model import FEEDBACK_COLUMNS
from docgen.official.checking import check_document, format_findings

FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0(项|个|次|天)"
)
DEPARTMENTS = ["办公室", "机关党委", "人事处", "财务处"]
FIXED_HEADERS = ["序号", "编号", "专项", "具体举措", "承担方式", "完成时限"]
# The answer columns of the Word form, as its header prints them (line breaks where they fall).
WORD_ANSWERS = [
    "完成状态",
    "进展情况",
    "完成\n时间",
    "佐证\n材料",
    "亮点\n经验",
    "存在\n问题",
    "下步计划\n（写明预计完成时间）",
]
# No placeholder where a value belongs: what a missing value, an unfilled slot or a sample
# name would print.
PLACEHOLDER = re.compile(r"\bnan\b|\bNone\b|\bNaT\b|XX|ＸＸ|××|（主送机关）")


def summarise(workspace, as_of=SMALL_AS_OF) -> Campaign:
    """The campaign as of a date (ValidationFailed on any error): .settings, .inputs, .summary."""
    return campaign_of(workspace, as_of)


def make_job(workspace, out, ticks=None) -> Job:
    campaign = summarise(workspace)
    assert not campaign.inputs.report.errors
    return build.make_job(
        campaign,
        out,
        dt.datetime.combine(SMALL_AS_OF, dt.time(9)),
        progress=ticks.append if ticks is not None else None,
    )


def texts(path) -> list[str]:
    body = docx.Document(str(path)).element.body
    paragraphs = (Paragraph(p, None).text for p in body.iter(qn("w:p")))
    return [text for text in paragraphs if text.strip()]


def document_grid_mm(path) -> list[float]:
    """The table's column widths in millimetres, as w:gridCol gives them."""
    [table] = docx.Document(str(path)).tables
    grid = table._tbl.find(qn("w:tblGrid"))
    return [int(col.get(qn("w:w"))) * 25.4 / 1440 for col in grid.findall(qn("w:gridCol"))]


def word_rows(path) -> list[list[str]]:
    [table] = docx.Document(str(path)).tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def excel_rows(path) -> list[list]:
    sheet = load_workbook(path)["反馈表"]
    return [
        list(row[: len(FIXED_HEADERS)])
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]


@pytest.fixture
def forms(small_workspace, tmp_path):
    ticks = []
    paths = write_feedback_forms(make_job(small_workspace, tmp_path / "forms", ticks))
    return paths, ticks


def test_every_department_with_assignments_gets_both_forms(forms):
    paths, ticks = forms
    assert [p.name for p in paths] == [
        f"反馈表_{name}{suffix}" for name in DEPARTMENTS for suffix in (".docx", ".xlsx")
    ]
    assert ticks == [1, 1, 1, 1]  # one tick per department


def test_word_form_of_a_department(forms):
    paths, _ = forms
    path = next(p for p in paths if p.name == "反馈表_财务处.docx")
    paragraphs = texts(path)
    assert paragraphs[0] == "江淮省测试局2026年\n警示教育、以案促改和巡察整改工作自查反馈表"
    assert paragraphs[1] == "填报单位（盖章）：财务处\t请于2026年6月22日前报送局办公室"
    assert paragraphs[2] == "本单位承担举措3项，其中牵头1项、配合2项。"
    rows = word_rows(path)
    assert rows[0] == [*FIXED_HEADERS, *WORD_ANSWERS]
    blank = [""] * len(WORD_ANSWERS)
    assert rows[1:] == [
        ["1", "YA-001", "以案促改", "修订选人用人制度", "配合", "2026年\n6月20日", *blank],
        ["2", "YA-002", "以案促改", "落实财务审批双签制度", "牵头", "长期坚持", *blank],
        ["3", "XC-001", "巡察整改", "整改公务接待不规范问题", "配合", "2026年\n5月31日", *blank],
    ]
    instructions, signer, head = paragraphs[-3:]
    # The instructions name the columns the table has, under their names in the table.
    assert instructions == (
        "填报说明：完成状态填写已完成、推进中、未启动或长期坚持之一；已完成的填写完成时间，"
        "佐证材料写明名称和份数；有可推广的典型做法的，在亮点经验中简要写明做法和成效，没有的不填；"
        "推进中、未启动的写明存在问题，下步计划写明措施和预计完成时间"
        "（具体到日）。本表经单位负责人签字、加盖公章后，于2026年6月22日前报送局办公室，"
        "电子版请使用同名 Excel 表填报。"
    )
    assert signer == "填报人：\t联系电话："
    assert (
        head
        == "单位负责人（签字）：\t填报日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    )


def test_count_line_for_a_lead_only_department(forms):
    paths, _ = forms
    path = next(p for p in paths if p.name == "反馈表_机关党委.docx")
    assert "本单位承担举措1项，均为牵头。" in texts(path)


def test_word_and_excel_list_the_same_rows(forms):
    paths, _ = forms
    for name in DEPARTMENTS:
        word = word_rows(next(p for p in paths if p.name == f"反馈表_{name}.docx"))
        excel = excel_rows(next(p for p in paths if p.name == f"反馈表_{name}.xlsx"))
        # The Word form breaks a date after the year; the spreadsheet keeps it on one line.
        in_word = [[*row[:5], row[5].replace("\n", "")] for row in word[1:]]
        in_excel = [[str(cell) for cell in row] for row in excel]
        assert in_word == in_excel, name
        assert len(in_word) == {"办公室": 3, "机关党委": 1, "人事处": 3, "财务处": 3}[name]


def test_word_and_excel_ask_for_the_same_answers(forms):
    """Both forms ask the same questions under the same headers (the Word form breaks them into
    lines; 填报人 and 填报日期, one per form on paper, are its signature lines), and both
    instructions ask for the completion date, the highlights and the expected date in the same
    columns."""
    paths, _ = forms
    word = word_rows(next(p for p in paths if p.name == "反馈表_财务处.docx"))[0]
    excel = [name for name, _ in EXCEL_ANSWERS if name not in ("填报人", "填报日期")]
    assert [header.replace("\n", "") for header in word[len(FIXED_HEADERS) :]] == excel
    sheet = load_workbook(next(p for p in paths if p.name == "反馈表_财务处.xlsx"))["反馈表"]
    assert [c.value for c in sheet[HEADER_ROW]][len(FIXED_HEADERS) :] == [
        name for name, _ in EXCEL_ANSWERS
    ]
    highlights = "有可推广的典型做法的，在亮点经验中简要写明做法和成效，没有的不填"
    for asked in ("已完成的填写完成时间", highlights, "下步计划写明措施和预计完成时间（具体到日）"):
        assert asked in texts(next(p for p in paths if p.name == "反馈表_财务处.docx"))[-3]
    assert highlights in sheet["A3"].value
    assert "下步计划写明措施和预计完成时间（具体到日）" in sheet["A3"].value


def test_the_word_header_reads_back_as_the_feedback_columns(forms):
    """A department that types the paper table out into a spreadsheet, headers and all, is read
    as if it had filled the Excel form: 完成时间 is the completion date, and 下步计划（写明预计
    完成时间） is 下步计划 (the reader drops the note in brackets), where the expected date goes."""
    paths, _ = forms
    header = word_rows(next(p for p in paths if p.name == "反馈表_财务处.docx"))[0]
    found = match_header(header, FEEDBACK_COLUMNS)
    assert {name: header[at] for name, at in found.items()} == {
        "编号": "编号",
        "完成状态": "完成状态",
        "进展情况": "进展情况",
        "完成时间": "完成\n时间",
        "佐证材料": "佐证\n材料",
        "亮点经验": "亮点\n经验",
        "存在问题": "存在\n问题",
        "下步计划": "下步计划\n（写明预计完成时间）",
    }


def test_word_forms_are_landscape_repeat_their_header_and_pass_the_checker(forms):
    paths, _ = forms
    for path in (p for p in paths if p.suffix == ".docx"):
        findings = check_document(path)
        assert findings == [], format_findings(findings, path)
        cells = [cell for row in word_rows(path) for cell in row]
        for text in [*texts(path), *cells]:
            assert not FORBIDDEN.search(text), text
            assert not PLACEHOLDER.search(text), text
        # The columns fill the landscape type area (225 mm) and no more.
        grid = document_grid_mm(path)
        assert len(grid) == len(FIXED_HEADERS) + len(WORD_ANSWERS)
        assert sum(grid) == pytest.approx(225, abs=0.5)
        document = docx.Document(str(path))
        section = document.sections[0]
        assert section.page_width > section.page_height
        rows = document.tables[0].rows
        assert rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        # No images or other media: the batch template stays plain.
        assert not [r for r in document.part.rels.values() if "image" in r.reltype]


def test_excel_form_carries_the_department_and_the_same_due_date(forms):
    paths, _ = forms
    workbook = load_workbook(next(p for p in paths if p.name == "反馈表_财务处.xlsx"))
    sheet = workbook["反馈表"]
    assert sheet["A2"].value == "填报单位（盖章）：财务处"
    assert sheet["G2"].value == "请于2026年6月22日前报送局办公室"
    assert [c.value for c in sheet[HEADER_ROW]][:6] == FIXED_HEADERS
    properties = dict(workbook["docgen"].values)
    assert (properties["填报单位"], properties["报送截止"]) == ("财务处", "2026-06-22")


def test_named_departments_and_a_due_date(small_workspace, tmp_path):
    ticks = []
    job = make_job(small_workspace, tmp_path / "forms", ticks)
    paths = write_feedback_forms(job, [" 人事处", "办公室", "人事处"], due=dt.date(2026, 6, 30))
    assert [p.name for p in paths] == [
        "反馈表_人事处.docx",
        "反馈表_人事处.xlsx",
        "反馈表_办公室.docx",
        "反馈表_办公室.xlsx",
    ]
    assert ticks == [1, 1]
    assert texts(paths[0])[1] == "填报单位（盖章）：人事处\t请于2026年6月30日前报送局办公室"
    assert load_workbook(paths[1])["反馈表"]["G2"].value == "请于2026年6月30日前报送局办公室"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("财务", "找不到部门“财务”。名称相近的有：财务处。"),
        ("人事部", "找不到部门“人事部”。名称相近的有：人事处。"),
        ("审计署", "找不到部门“审计署”。承担举措的部门有：办公室、机关党委、人事处、财务处。"),
        ("第一分局", "部门“第一分局”在举措清单中没有承担任何举措，无需生成反馈表。"),
    ],
)
def test_unknown_departments_are_refused_before_anything_is_written(
    small_workspace, tmp_path, name, message
):
    out = tmp_path / "forms"
    with pytest.raises(DocgenError) as error:
        write_feedback_forms(make_job(small_workspace, out), ["办公室", name])
    assert str(error.value).startswith(message)
    assert not out.exists()


def test_blank_names_are_refused(small_workspace, tmp_path):
    with pytest.raises(DocgenError, match="没有指定部门名称"):
        write_feedback_forms(make_job(small_workspace, tmp_path / "forms"), ["  "])


# --- the round trip --------------------------------------------------------------------------

ANSWERS = {
    # id: (完成状态, 进展情况, 完成时间, 下步计划 with the expected date)
    "YA-001": ("已完成", "制度修订稿已会签", dt.date(2026, 6, 12), None),
    "YA-002": ("长期坚持", "双签制度已执行", None, None),
    "XC-001": ("推进中", "已提出接待标准修订意见", None, "修订接待标准，预计6月30日完成"),
}
REPORTED_ON = dt.date(2026, 6, 14)
# 亮点经验, optional: one practice worth passing on, and a 无 that means nothing.
HIGHLIGHTS = {"YA-001": "推行制度修订“一稿三审”，修订稿3轮会签后定稿", "YA-002": "无"}


def fill_as_a_department(path):
    """Write the answers into the answer cells only, as a clerk would in Excel or WPS."""
    workbook = load_workbook(path)
    sheet = workbook["反馈表"]
    column = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    fixed_before = [
        [c.value for c in row[: len(FIXED_HEADERS)]]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        status, progress, completed, plan = ANSWERS[sheet.cell(row, column["编号"]).value]
        for name, value in (
            ("完成状态", status),
            ("进展情况", progress),
            ("完成时间", completed),
            ("下步计划（写明预计完成时间）", plan),
            ("亮点经验", HIGHLIGHTS.get(sheet.cell(row, column["编号"]).value)),
            ("填报日期", REPORTED_ON),
        ):
            cell = sheet.cell(row, column[name])
            assert cell.protection.locked is False, name  # only unlocked cells are touched
            if value is not None:
                cell.value = value
    workbook.save(path)
    fixed_after = [
        [c.value for c in row[: len(FIXED_HEADERS)]]
        for row in load_workbook(path)["反馈表"].iter_rows(min_row=HEADER_ROW + 1)
    ]
    assert fixed_after == fixed_before


def test_a_returned_excel_form_changes_the_counts(small_workspace, tmp_path):
    before_campaign = summarise(small_workspace)
    before = before_campaign.summary
    assert before_campaign.inputs.report.issues == []
    department = before.department("财务处")
    assert department.sent_nothing
    c = department.counts
    assert (c.total, c.done, c.doing, c.standing, c.unreported) == (3, 0, 0, 0, 3)

    [_, workbook] = write_feedback_forms(make_job(small_workspace, tmp_path / "forms"), ["财务处"])
    returned = small_workspace / "feedback" / workbook.name
    shutil.copy(workbook, returned)
    fill_as_a_department(returned)

    after_campaign = summarise(small_workspace)
    after, after_inputs = after_campaign.summary, after_campaign.inputs
    # Read back with no edits: the department comes from the form itself, no issue at all.
    assert after_inputs.report.issues == []
    rows = after_inputs.feedback[after_inputs.feedback["填报单位"] == "财务处"]
    assert sorted(rows["编号"]) == ["XC-001", "YA-001", "YA-002"]

    department = after.department("财务处")
    assert not department.sent_nothing
    c = department.counts
    assert (c.total, c.done, c.doing, c.standing, c.unreported) == (3, 1, 1, 1, 0)
    # Measures: YA-001 stays 推进中 (人事处 still 推进中), YA-002 becomes 长期坚持 (never done),
    # XC-001 stays 推进中 and overdue. Overall: done 2, doing 3, standing 1, nothing unreported.
    statuses = {m.id: m.status for m in after.measures}
    assert (statuses["YA-001"], statuses["YA-002"], statuses["XC-001"]) == (
        "推进中",
        "长期坚持",
        "推进中",
    )
    c = after.counts
    assert (c.done, c.doing, c.standing, c.unreported, c.overdue) == (2, 3, 1, 0, 1)
    assert after.silent_departments == ()
    financial = next(
        a
        for m in after.measures
        if m.id == "YA-001"
        for a in m.assignments
        if a.department == "财务处"
    )
    assert (financial.completed_on, financial.reported_on) == (dt.date(2026, 6, 12), REPORTED_ON)
    assert financial.highlight == HIGHLIGHTS["YA-001"]
    # 无 in 亮点经验 is no highlight, and a row left empty has none.
    highlights = {
        m.id: a.highlight for m in after.measures for a in m.assignments if a.department == "财务处"
    }
    assert highlights["YA-002"] == highlights["XC-001"] == ""
    # The expected date, written in 下步计划 as the form asks, is what the reports read.
    [planned] = [
        a
        for m in after.measures
        if m.id == "XC-001"
        for a in m.assignments
        if a.department == "财务处"
    ]
    assert planned.next_steps == "修订接待标准，预计6月30日完成"

    # The next report tells it: nobody silent any more, YA-002 now standing.
    job = build.make_job(after_campaign, tmp_path / "report", dt.datetime(2026, 6, 15, 9))
    paragraphs = texts(write_year_end(job)[0])
    assert not any("尚未报送自查反馈表" in p for p in paragraphs)
    # The figures only: how the summary goes on to explain them is test_doc_year_end's to check.
    figures = (
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。其中已完成2项，推进中3项，"
        "长期坚持1项，完成率33.3%。逾期未完成的举措有1项。"
    )
    assert [p for p in paragraphs if p.startswith(figures)], figures


def test_sample_department_form(tmp_path):
    """One department of the sample inputs: the same rows in both forms, the checker satisfied."""

    campaign = campaign_of(sample_copy(), dt.date(2026, 11, 26))
    job = build.make_job(campaign, tmp_path, dt.datetime(2026, 11, 26, 9))
    docx_path, xlsx_path = write_feedback_forms(job, ["办公室"])
    assert check_document(docx_path) == []
    # YA-022's text holds a line break, kept in both.
    word = [[*row[:5], row[5].replace("\n", "")] for row in word_rows(docx_path)[1:]]
    assert word == [[str(c) for c in row] for row in excel_rows(xlsx_path)]
    assert len(word) == 46  # 办公室 answers for 46 measures, 21 as lead
    assert "本单位承担举措46项，其中牵头21项、配合25项。" in texts(docx_path)
    # The configured return date (2026-11-25) has passed: a week after the as-of date.
    assert texts(docx_path)[1] == "填报单位（盖章）：办公室\t请于2026年12月3日前报送局办公室"


def test_make_workspace_is_untouched_by_forms(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    before = sorted(p.name for p in (workspace / "feedback").iterdir())
    write_feedback_forms(make_job(workspace, tmp_path / "out"))
    assert sorted(p.name for p in (workspace / "feedback").iterdir()) == before


def test_hostile_text_reaches_the_form_as_written(tmp_path):
    from conftest import SMALL_MEASURES

    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][3] = "整改 A&B <接待> “超标准”{x}问题"  # XC-001: 办公室 and 财务处
    workspace = make_workspace(tmp_path / "ws", measures=measures)
    paths = write_feedback_forms(make_job(workspace, tmp_path / "out"), ["财务处"])
    assert check_document(paths[0]) == []
    assert word_rows(paths[0])[3][3] == "整改 A&B <接待> “超标准”{x}问题"
    assert excel_rows(paths[1])[2][3] == "整改 A&B <接待> “超标准”{x}问题"


def test_windows_font_profile(small_workspace, tmp_path):
    import dataclasses

    job = dataclasses.replace(make_job(small_workspace, tmp_path / "out"), font_profile="windows")
    docx_path, _ = write_feedback_forms(job, ["办公室"])
    assert check_document(docx_path, font_profile="windows") == []
