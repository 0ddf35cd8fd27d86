"""年终总结 on the small campaign of conftest.py, every number worked out by hand.

As of 2026-06-15 (statuses as in tests/test_aggregation.py):
  measures 6 over 4 departments (办公室, 机关党委, 人事处, 财务处; 第一分局 has none):
    done 2: JS-01 (完成时间 3-20), XC-002 (6-11); doing 3: JS-02, YA-001, XC-001;
    unreported 1: YA-002 (长期坚持, 财务处 sent nothing). Rate 2/6 = 33.3%.
    overdue 1: XC-001, deadline 5-31 -> 15 days, 办公室 推进中, nobody gave a reason.
  streams: 警示教育 2 done 1 (50.0%); 以案促改 2 none done; 巡察整改 2 done 1 (50.0%).
  aspects: 学习反思 2 (JS-01, JS-02) done 1; 机制建设 1 (YA-002); 制度完善 1 (YA-001);
    XC-001 and XC-002 have none: 2 unmarked.
  by month: March 1 (JS-01), June 1 (XC-002); cumulative 1/6 = 16.7% from March, 2/6 = 33.3%
    in June. Quarters: Q1 1; Q2 so far 1, cumulative 2. One each in March and June: no peak month.
  巡察 problems: "1.问题A" holds XC-001 (open) and XC-002 (done): 1 problem, still in progress.
  achievements: JS-01 (办公室: 已召开大会 / 会议纪要, 3-20), XC-002 (人事处: 已腾退2间 /
    腾退清单, 6-11); JS-02's 办公室 reported evidence but the measure is not done.
  plan: XC-001 late, no next step reported -> 办公室, by the end of the next month: 2026-07-31.
    Remaining dated open: JS-02 (6-30), YA-001 (6-20) -> 2 due in June 2026. Standing: YA-002.
"""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from conftest import SMALL_AS_OF, campaign_of, make_workspace
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen import build
from docgen.documents.base import Job
from docgen.documents.party_report import write_party_report
from docgen.documents.urge import write_urge_notices
from docgen.documents.year_end import write_year_end
from docgen.documents.year_end.context import (
    completion_timeline,
    year_end_context,
)
from docgen.official.checking import check_document, format_findings

# Raw values, template tags, Excel escapes, ISO dates and zero counts never reach the page.
FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0(项|个|次|天)"
)
FEEDBACK_HEADER = ["编号", "填报单位", "完成状态", "进展情况", "完成时间", "佐证材料", "填报日期"]


def make_job(workspace, as_of, out) -> Job:
    campaign = campaign_of(workspace, as_of)  # raises ValidationFailed on any error
    assert not campaign.inputs.report.errors
    return build.make_job(campaign, out, dt.datetime.combine(as_of, dt.time(9)))


def texts(path) -> list[str]:
    """Every non-empty paragraph, body and table cells, in document order."""
    body = docx.Document(str(path)).element.body
    paragraphs = (Paragraph(p, None).text for p in body.iter(qn("w:p")))
    return [text for text in paragraphs if text.strip()]


def table_rows(path) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in table.rows]
        for table in docx.Document(str(path)).tables
    ]


def assert_clean(path):
    findings = check_document(path)
    assert findings == [], format_findings(findings, path)
    for text in texts(path):
        assert not FORBIDDEN.search(text), text


@pytest.fixture
def small(small_workspace, tmp_path):
    job = make_job(small_workspace, SMALL_AS_OF, tmp_path / "out")
    [path] = write_year_end(job)
    return path


def test_file_name_and_checker(small):
    assert small.name == "2026年度工作总结.docx"
    assert_clean(small)


def test_title_recipient_opening_and_closing(small):
    paragraphs = texts(small)
    # "中共江淮省测试局党组" is 10 字: the organ stands on its own line of the 2号 title.
    assert paragraphs[0] == (
        "中共江淮省测试局党组\n关于2026年度警示教育、以案促改和\n巡察整改工作情况的报告"
    )
    # No superior configured: a visible placeholder, never an invented organ.
    assert paragraphs[1] == "（主送机关）："
    assert paragraphs[2].startswith("2026年，江淮省测试局党组按照上级关于")
    assert "特此报告。" in paragraphs
    assert paragraphs.count("特此报告。") == 1


def test_headline_figures(small):
    paragraphs = texts(small)
    headline = next(p for p in paragraphs if p.startswith("截至2026年6月15日，三项工作"))
    assert headline == (
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。"
        "其中已完成2项，推进中3项，未反馈1项，完成率33.3%。逾期未完成的举措有1项。"
    )
    assert (
        "分专项看，警示教育举措2项，已完成1项，完成率50.0%；以案促改举措2项，尚无完成；"
        "巡察整改举措2项，已完成1项，完成率50.0%。"
    ) in paragraphs
    assert (
        "按重点方面看，学习反思方面2项，已完成1项；机制建设方面1项，尚无完成；"
        "制度完善方面1项，尚无完成；另有2项未标注重点方面。各专项和各重点方面的统计见附件1。"
    ) in paragraphs
    # No measure is standing by status, so no sentence about how standing ones are counted.
    assert not any("不计入已完成" in p and p.startswith("截至") for p in paragraphs)


def test_quarters_sentence(small):
    assert (
        "从完成时间看，一季度完成1项；二季度（截至6月15日）完成1项，累计2项。各月完成情况见附件2。"
    ) in texts(small)


def test_achievements_cite_progress_and_evidence(small):
    paragraphs = texts(small)
    assert (
        "（一）警示教育。截至2026年6月15日，共安排举措2项，已完成1项，推进中1项。"
        "已完成的举措中，有代表性的是："
    ) in paragraphs
    assert "一是已召开大会（JS-01，办公室牵头，3月20日完成；佐证材料：会议纪要）。" in paragraphs
    # Nothing done in 以案促改: its counts and no list of achievements.
    assert "（二）以案促改。截至2026年6月15日，共安排举措2项，推进中1项，未反馈1项。" in paragraphs
    assert (
        "（三）巡察整改。截至2026年6月15日，共安排举措2项，已完成1项，推进中1项。"
        "巡察反馈问题1个，目前仍在整改。已完成的举措中，有代表性的是："
    ) in paragraphs
    assert "一是已腾退2间（XC-002，人事处牵头，6月11日完成；佐证材料：腾退清单）。" in paragraphs
    # No 《rule》 in any evidence: no sentence about rules made.
    assert not any("制度文件" in p for p in paragraphs)
    # Nothing is claimed complete that is not.
    assert not any("已全部完成" in p for p in paragraphs)


def test_problems_name_the_open_items(small):
    paragraphs = texts(small)
    start = paragraphs.index("三、存在的问题和不足")
    end = paragraphs.index("四、下一步工作打算")
    assert paragraphs[start + 1 : end] == [
        "（一）部分举措尚未完成。截至2026年6月15日，尚有4项举措未完成，其中推进中3项，未反馈1项。",
        "（二）部分举措逾期未完成。超过完成时限仍未完成的举措有1项：",
        "1.XC-001“整改公务接待不规范问题”，办公室牵头，完成时限为2026年5月31日，"
        "已逾期15天，目前仍在推进。承担部门未说明原因。下一步，2026年7月15日前完成并报送佐证材料。",
        "（三）部分部门反馈不及时。截至2026年6月15日，1个部门尚未报送自查反馈表（财务处）；"
        "1项举措没有任何承担部门反馈进展（YA-002）。",
    ]


def test_plan_is_owned_and_dated(small):
    paragraphs = texts(small)
    start = paragraphs.index("四、下一步工作打算")
    end = paragraphs.index("特此报告。")
    assert paragraphs[start + 1 : end] == [
        "针对上述问题，下一步重点抓好以下工作：",
        # Each late measure's plan is in part three, beside its reasons: named once.
        "（一）限期完成逾期和未启动的举措。对逾期和尚未启动的1项举措，由牵头部门按上述安排"
        "限期完成，局办公室逐项跟踪督办。",
        "（二）按期推进其余举措。其余2项尚未完成的举措按原定完成时限推进，其中2026年6月到期2项。"
        "局办公室在完成时限前7天逐项提醒，牵头部门到期后及时报送完成情况和佐证材料。",
        # YA-002's deadline is 长期坚持 but nobody has reported a status: not counted as 长期坚持
        # (a status) without saying which 长期坚持 is meant.
        "（三）常态化推进长期坚持的举措。对完成时限或完成状态为长期坚持的1项举措，牵头部门每季度末"
        "向局办公室报送一次落实情况，局办公室汇总后报江淮省测试局党组。",
        "（四）督促反馈。局办公室于2026年6月22日前督促财务处报送自查反馈表，"
        "并对尚无部门反馈进展的1项举措逐项核实。",
        "（五）巩固整改成果。对已完成的2项举措，局办公室于2027年6月30日前组织“回头看”，"
        "逐项核查佐证材料，防止问题反弹。",
    ]


def test_attachments_and_signature(small):
    paragraphs = texts(small)
    assert "附件：1.2026年度举措完成情况统计表" in paragraphs
    assert "\u3000\u3000\u30002.2026年度举措分月完成情况表" in paragraphs
    assert "\u3000\u3000\u30003.未完成举措清单" in paragraphs
    for label in ("附件1", "附件2", "附件3"):
        assert label in paragraphs
    assert any(p.strip() == "中共江淮省测试局党组" for p in paragraphs)
    assert any(p.strip() == "2026年6月15日" for p in paragraphs)
    assert "江淮省测试局办公室\t2026年6月15日印发" in paragraphs


def test_tables(small):
    by_stream, by_aspect, by_month, open_items, _colophon = table_rows(small)
    head = ["举措数", "已完成", "推进中", "未启动", "长期坚持", "未反馈", "逾期", "完成率"]
    assert by_stream == [
        ["专项", *head],
        ["警示教育", "2", "1", "1", "0", "0", "0", "0", "50.0%"],
        ["以案促改", "2", "0", "1", "0", "0", "1", "0", "0.0%"],
        ["巡察整改", "2", "1", "1", "0", "0", "0", "1", "50.0%"],
        ["合计", "6", "2", "3", "0", "0", "1", "1", "33.3%"],
    ]
    # The unmarked row makes the aspects add up to the total.
    assert by_aspect == [
        ["重点方面", *head],
        ["学习反思", "2", "1", "1", "0", "0", "0", "0", "50.0%"],
        ["机制建设", "1", "0", "0", "0", "0", "1", "0", "0.0%"],
        ["制度完善", "1", "0", "1", "0", "0", "0", "0", "0.0%"],
        ["未标注", "2", "1", "1", "0", "0", "0", "1", "50.0%"],
        ["合计", "6", "2", "3", "0", "0", "1", "1", "33.3%"],
    ]
    assert by_month == [
        ["月份", "当月完成", "累计完成", "累计完成率"],
        ["1月", "0", "0", "0.0%"],
        ["2月", "0", "0", "0.0%"],
        ["3月", "1", "1", "16.7%"],
        ["4月", "0", "1", "16.7%"],
        ["5月", "0", "1", "16.7%"],
        ["6月", "1", "2", "33.3%"],
        ["合计", "2", "2", "33.3%"],
    ]
    assert open_items == [
        ["序号", "编号", "具体举措", "牵头部门", "完成时限", "完成状态"],
        ["1", "JS-02", "开展专题学习讨论", "机关党委", "2026年6月30日", "推进中"],
        ["2", "YA-001", "修订选人用人制度", "人事处", "2026年6月20日", "推进中"],
        ["3", "YA-002", "落实财务审批双签制度", "财务处", "长期坚持", "未反馈"],
        ["4", "XC-001", "整改公务接待不规范问题", "办公室", "2026年5月31日", "推进中\n逾期15天"],
    ]


def test_prose_agrees_with_the_tables(small):
    """The headline, the stream sentence and the total rows tell the same numbers."""
    headline = next(p for p in texts(small) if "共分解举措" in p)
    by_stream, _, by_month, open_items, _ = table_rows(small)
    total = by_stream[-1]
    assert f"共分解举措{total[1]}项" in headline
    assert f"完成率{total[-1]}" in headline
    assert by_month[-1][1] == total[2]
    assert len(open_items) - 1 == int(total[1]) - int(total[2])


# --- other campaigns -------------------------------------------------------------------------

ALL_DONE = {
    "all.xlsx": [
        [
            measure_id,
            department,
            "已完成",
            f"{measure_id}已办结",
            completed,
            "《办公用房管理办法》",
            day,
        ]
        for measure_id, department, completed, day in [
            ("JS-01", "办公室", dt.date(2026, 3, 20), dt.date(2026, 6, 1)),
            ("JS-02", "机关党委", dt.date(2026, 5, 10), dt.date(2026, 6, 1)),
            ("JS-02", "办公室", dt.date(2026, 5, 12), dt.date(2026, 6, 1)),
            ("JS-02", "人事处", dt.date(2026, 5, 20), dt.date(2026, 6, 1)),
            ("YA-001", "人事处", dt.date(2026, 6, 2), dt.date(2026, 6, 3)),
            ("YA-001", "财务处", dt.date(2026, 6, 5), dt.date(2026, 6, 6)),
            ("YA-002", "财务处", dt.date(2026, 4, 1), dt.date(2026, 6, 6)),
            ("XC-001", "办公室", dt.date(2026, 5, 30), dt.date(2026, 6, 1)),
            ("XC-001", "财务处", dt.date(2026, 5, 28), dt.date(2026, 6, 1)),
            ("XC-002", "人事处", dt.date(2026, 6, 11), dt.date(2026, 6, 12)),
        ]
    ]
}


def test_everything_done_says_so_and_finds_no_invented_problems(tmp_path):
    # Completion months: JS-01 March; YA-002 April; JS-02 May (latest 5-20), XC-001 May (5-30);
    # YA-001 June (6-05), XC-002 June (6-11): Q1 1, Q2 5 (cumulative 6); May and June tie at 2.
    workspace = make_workspace(tmp_path / "ws", feedback=ALL_DONE)
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    assert_clean(path)
    paragraphs = texts(path)
    assert (
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。各项举措已全部完成。" in paragraphs
    )
    assert (
        "分专项看，警示教育举措2项，已全部完成；以案促改举措2项，已全部完成；"
        "巡察整改举措2项，已全部完成。"
    ) in paragraphs
    assert (
        "从完成时间看，一季度完成1项；二季度（截至6月15日）完成5项，累计6项。各月完成情况见附件2。"
    ) in paragraphs
    assert "巡察反馈问题1个，其整改举措已全部完成。" in "".join(paragraphs)
    # One rule title, named once although six departments cite it.
    assert (
        "从已完成举措的佐证材料看，全年制定或修订了《办公用房管理办法》制度文件1项。"
    ) in paragraphs
    start = paragraphs.index("三、存在的问题和不足")
    assert paragraphs[start + 1] == (
        "截至2026年6月15日，年度举措已全部完成，各部门均已报送自查反馈，没有逾期或尚未启动的举措。"
    )
    plan = paragraphs[paragraphs.index("四、下一步工作打算") + 1 : paragraphs.index("特此报告。")]
    # Only the review is left to plan, numbered (一) since nothing comes before it.
    assert plan == [
        "下一步重点抓好以下工作：",
        "（一）巩固整改成果。对已完成的6项举措，局办公室于2027年6月30日前组织“回头看”，"
        "逐项核查佐证材料，防止问题反弹。",
    ]
    assert "附件3" not in paragraphs
    assert not any("未完成举措清单" in p for p in paragraphs)


def test_nothing_reported_yet(tmp_path):
    # No returned form: all 6 measures 未反馈; XC-001 (5-31) and JS-01 (3-31) are overdue,
    # XC-002 (6-10) too: 3 overdue. Nothing done, so no quarter sentence and no achievements.
    workspace = make_workspace(tmp_path / "ws", feedback={})
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    assert_clean(path)
    paragraphs = texts(path)
    assert (
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。其中未反馈6项；尚无举措完成。"
        "逾期未完成的举措有3项。"
    ) in paragraphs
    assert not any(p.startswith("从完成时间看") for p in paragraphs)
    assert not any("有代表性的是" in p for p in paragraphs)
    assert not any("巩固整改成果" in p for p in paragraphs)
    # Silent departments in the summary's ranking order: 机关党委 (nothing overdue), then 人事处
    # and 财务处 (one overdue each, by name), then 办公室 (JS-01 and XC-001 overdue).
    assert (
        "（三）部分部门反馈不及时。截至2026年6月15日，4个部门尚未报送自查反馈表"
        "（机关党委、人事处、财务处、办公室）；除上述逾期和未启动的举措外，另有3项举措"
        "没有任何承担部门反馈进展（JS-02、YA-001、YA-002）。"
    ) in paragraphs, "the overdue ones are named once, above"
    # Overdue longest first: JS-01 76 days (3-31), XC-001 15, XC-002 5; nobody has reported.
    overdue = [p for p in paragraphs if re.match(r"\d\.[A-Z]{2}-\d+“", p)]
    assert [p[2:8].rstrip("“") for p in overdue] == ["JS-01", "XC-001", "XC-002"]
    assert all("承担部门未反馈进展。承担部门未说明原因。" in p for p in overdue)


def test_inputs_with_a_superior_and_a_short_name(tmp_path):
    config = (
        '[organisation]\nname = "江淮省测试局"\nshort_name = "省测试局"\n'
        'party_group = "中共省测局党组"\n'
        '[addressees]\nsuperior = "中共江淮省纪委监委"\ncopy_to = ["驻局纪检监察组"]\n'
    )
    workspace = make_workspace(tmp_path / "ws", config=config)
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    paragraphs = texts(path)
    # A short organ name keeps the first line: 中共省测局党组关于2026年度警示教育、 is 18 字.
    assert paragraphs[0] == "中共省测局党组关于2026年度警示教育、\n以案促改和巡察整改工作情况的报告"
    assert paragraphs[1] == "中共江淮省纪委监委："
    assert paragraphs[2].startswith("2026年，省测试局党组按照")
    assert "抄送：驻局纪检监察组。" in paragraphs


# --- the pieces ------------------------------------------------------------------------------


def test_one_date_per_purpose_across_documents(tmp_path):
    """[schedule] urge_days and catch_up_days give the build's two dates: the summary, the party
    group's report and the urging notices ask for late returns by the same day, and give an
    overdue measure whose department names no date the same new date."""
    workspace = make_workspace(
        tmp_path / "ws", config="[schedule]\nurge_days = 5\ncatch_up_days = 20\n"
    )
    job = make_job(workspace, SMALL_AS_OF, tmp_path / "out")
    assert (job.report_by, job.catch_up_by) == (dt.date(2026, 6, 20), dt.date(2026, 7, 5))
    summary = " ".join(texts(write_year_end(job)[0]))
    report = " ".join(texts(write_party_report(job)[0]))
    notices = " ".join(" ".join(texts(path)) for path in write_urge_notices(job))
    for text in (summary, report, notices):
        assert "2026年6月20日前" in text
    for text in (summary, report):
        assert "2026年7月5日前" in text
    # No other date is given to report or to catch up by.
    dates = set(re.findall(r"2026年[67]月\d+日前", summary + report + notices))
    assert dates <= {"2026年6月20日前", "2026年7月5日前", "2026年6月30日前"}


def test_timeline_counts_undated_and_earlier_completions_apart(small_workspace, tmp_path):
    job = make_job(small_workspace, SMALL_AS_OF, tmp_path)
    measures = [
        dataclasses.replace(m, completed_on=dt.date(2025, 12, 30))
        if m.id == "JS-01"
        else dataclasses.replace(m, completed_on=None)
        if m.id == "XC-002"
        else m
        for m in job.summary.measures
    ]
    timeline = completion_timeline(measures, 2026, SMALL_AS_OF, 6)
    # Nothing dated within 2026: no quarter sentence; one earlier, one undated.
    assert timeline["quarters"] == []
    assert (timeline["earlier_done"], timeline["undated_done"]) == (1, 1)
    rows = [(r["kind"], r["done"], r["cumulative"], r["rate"]) for r in timeline["month_rows"]]
    assert rows[0] == ("earlier", 1, 1, "16.7%")
    assert rows[-2:] == [("undated", 1, "—", "—"), ("total", 2, 2, "33.3%")]


def test_context_for_the_sample_workspace_is_consistent(tmp_path):
    """On the sample inputs: the quarters add up, and every open measure is planned for once."""
    inputs = Path(__file__).resolve().parent.parent / "inputs"
    job = make_job(inputs, dt.date(2026, 11, 26), tmp_path)
    context = year_end_context(job)
    summary = job.summary
    dated_done = context["quarters"][-1]["cumulative"]
    assert dated_done + context["undated_done"] + context["earlier_done"] == summary.counts.done
    late = len(context["overdue"]) + len(context["not_started"])
    planned = late + context["remaining_total"] + context["standing_open"]
    assert planned == summary.counts.total - summary.counts.done == len(context["open_rows"])


def test_hostile_text_reaches_the_page_as_written(tmp_path):
    from conftest import SMALL_FEEDBACK, SMALL_MEASURES

    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][3] = "整改 A&B <接待> “超标准”{x}问题"  # XC-001, overdue
    feedback = {name: [list(row) for row in rows] for name, rows in SMALL_FEEDBACK.items()}
    feedback["办公室.xlsx"][0][3] = "召开大会{x}，R&D <b>“警示”</b>"  # JS-01, done
    workspace = make_workspace(tmp_path / "ws", measures=measures, feedback=feedback)
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    assert check_document(path) == []
    paragraphs = texts(path)
    # Quoted by the template, the measure's own double quotes become single ones.
    assert any("XC-001“整改 A&B <接待> ‘超标准’{x}问题”" in p for p in paragraphs)
    assert any(p.startswith("一是召开大会{x}，R&D <b>“警示”</b>（JS-01") for p in paragraphs)


def test_windows_font_profile(small_workspace, tmp_path):
    job = dataclasses.replace(
        make_job(small_workspace, SMALL_AS_OF, tmp_path / "out"), font_profile="windows"
    )
    [path] = write_year_end(job)
    assert check_document(path, font_profile="windows") == []
