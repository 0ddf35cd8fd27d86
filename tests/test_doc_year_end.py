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
  plan: XC-001 late, no next step reported -> the catch-up date (30 days on): 2026-07-15.
    Remaining dated open: JS-02 (6-30), YA-001 (6-20) -> 2 due in June 2026. Standing: YA-002.
  June is before the year's end: the summary says it is a pre-summary as of 6月15日.
"""

import dataclasses
import datetime as dt
import re
from collections import Counter

import docx
import pytest
from conftest import SMALL_AS_OF, WORKSPACE_CONFIG, campaign_of, make_workspace, sample_copy
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
    # The one 主送 of the workspace's [addressees] superior.
    assert paragraphs[1] == "中共江淮省纪委监委："
    # No notice configured: a plain factual opening; June is before the year's end.
    assert paragraphs[2] == (
        "2026年，江淮省测试局党组将警示教育、以案促改、巡察整改三项工作分解为具体举措，"
        "逐项明确牵头部门、责任部门和完成时限，通过各部门自查反馈跟踪落实进度。"
        "截至6月15日，年度工作尚未结束，本报告为年度工作预总结，全年完成情况以12月31日的"
        "统计为准。现将有关情况报告如下："
    )
    assert paragraphs.count("特此报告。") == 1


def test_no_placeholder_anywhere(small):
    """No 主送 placeholder, no XX, no filler citing an unnamed superior's 部署要求."""
    text = "".join(texts(small))
    for placeholder in ("主送机关", "XX", "××", "上级关于", "部署要求"):
        assert placeholder not in text


def test_the_notice_is_cited_when_configured(tmp_path):
    notice = "《关于开展警示教育、以案促改和巡察整改工作自查的通知》"
    config = WORKSPACE_CONFIG.replace("[campaign]\n", f'[campaign]\nnotice = "{notice}"\n')
    workspace = make_workspace(tmp_path / "ws", config=config)
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    assert texts(path)[2].startswith(f"按照{notice}要求，2026年江淮省测试局党组将警示教育")


def test_the_review_is_set_by_the_next_spot_check(tmp_path):
    config = WORKSPACE_CONFIG + (
        '\n[[schedule.milestones]]\nname = "年中督导抽查"\ndate = 2026-07-20\nkind = "spot-check"\n'
    )
    workspace = make_workspace(tmp_path / "ws", config=config)
    [path] = write_year_end(make_job(workspace, SMALL_AS_OF, tmp_path / "out"))
    [review] = [t for t in texts(path) if "核验已报完成的举措。" in t]
    assert "局办公室于2026年7月20日前组织督导抽查" in review


def test_headline_figures(small):
    paragraphs = texts(small)
    headline = next(p for p in paragraphs if p.startswith("截至2026年6月15日，三项工作"))
    assert headline == (
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。"
        "其中已完成2项，推进中3项，未反馈1项，完成率33.3%。逾期未完成的举措有1项。"
        # The basis of the completions, said once: nothing is verified yet.
        "以上完成情况依据各部门报送的自查反馈，尚待督导抽查核验。"
    )
    assert "".join(paragraphs).count("依据各部门报送的自查反馈") == 1
    assert not any("已完成整改" in p or "整改到位" in p for p in paragraphs)
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
        # Open items with a deadline only: YA-002 (长期坚持) is continuing work, not a shortcoming;
        # it is named once, as an item nobody has reported on.
        "（一）部分举措逾期未完成。截至2026年6月15日，超过完成时限仍未完成的举措有1项。",
        # 办公室 reported without a reason; 财务处 sent nothing: 未报送进展, never 未说明原因.
        "XC-001“整改公务接待不规范问题”，办公室牵头，完成时限为2026年5月31日，已逾期15天，"
        "仍在推进。办公室未说明逾期原因；财务处未报送进展。要求于2026年7月15日前完成。",
        "（二）部分部门未报送进展。截至2026年6月15日，财务处未报送自查反馈表，所承担举措的进展"
        "不明；1项举措没有任何承担部门反馈进展（YA-002）。",
    ]


def test_plan_has_the_rest_of_the_year_and_the_next(small):
    paragraphs = texts(small)
    start = paragraphs.index("四、下一步工作打算")
    end = paragraphs.index("特此报告。")
    assert paragraphs[start + 1 : end] == [
        "下一步，抓好年内剩余工作，并做好2027年工作安排：",
        # Each late measure's date is in part three, beside its reasons: named once.
        "（一）抓好年内剩余举措的落实。年内到期的其余2项举措按原定完成时限推进，其中6月到期2项。"
        "局办公室在完成时限前7天逐项提醒，牵头部门到期后及时报送完成情况和佐证材料。"
        "对逾期的1项举措，由牵头部门按附件3所列计划完成时间推进，局办公室逐项跟踪督办。",
        "（二）督促报送进展。局办公室于2026年6月22日前督促财务处报送自查反馈表，"
        "并对尚无部门反馈进展的1项举措逐项核实。",
        "（三）2027年继续推进未完成的举措。截至12月31日仍未完成的举措转入2027年继续推进，"
        "由牵头部门说明原因、明确完成时间，局办公室纳入2027年督办台账。",
        # YA-002's deadline is 长期坚持 but nobody has reported a status: not counted as 长期坚持
        # (a status) without saying which 长期坚持 is meant.
        "（四）常态化推进长期坚持的工作。完成时限或完成状态为长期坚持的1项举措作为常态化工作，"
        "2027年继续推进，牵头部门每季度末向局办公室报送一次落实情况，局办公室汇总后报"
        "江淮省测试局党组。",
        "（五）核验已报完成的举措。对各部门报告已完成的2项举措，局办公室于2027年6月30日前组织"
        "督导抽查和“回头看”，逐项核查佐证材料，核查属实的予以销号，防止问题反弹。",
    ]


def test_on_the_last_day_of_the_year_it_is_a_summary(small_workspace, tmp_path):
    """As of 31 December: no pre-summary; the quarters are whole; what is still open is carried
    into 2027 with its dates: XC-001, JS-02 and YA-001 (all overdue now) by the catch-up date."""
    [path] = write_year_end(make_job(small_workspace, dt.date(2026, 12, 31), tmp_path / "out"))
    assert_clean(path)
    paragraphs = texts(path)
    text = "".join(paragraphs)
    assert "预总结" not in text
    assert paragraphs[2].endswith("现将2026年度工作情况报告如下：")
    assert not any("（截至" in p for p in paragraphs if p.startswith("从完成时间看"))
    plan = paragraphs[paragraphs.index("四、下一步工作打算") + 1 : paragraphs.index("特此报告。")]
    assert plan[0] == "2027年，重点抓好以下工作："
    assert not any("年内" in p for p in plan)
    carried = next(p for p in plan if "2027年继续推进未完成的举措" in p)
    assert carried == (
        "（二）2027年继续推进未完成的举措。截至2026年12月31日，有完成时限的举措尚有3项未完成，"
        "转入2027年继续推进，由牵头部门按附件3所列计划完成时间完成，逾期的3项按上述安排办理。"
    )
    assert "2027年1月30日前" in text


def test_attachments_and_signature(small):
    paragraphs = texts(small)
    assert "附件：1.2026年度举措完成情况统计表" in paragraphs
    assert "\u3000\u3000\u30002.2026年度举措分月完成情况表" in paragraphs
    assert "\u3000\u3000\u30003.未完成举措及计划完成时间" in paragraphs
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
    # The deadline is never moved: the planned date stands beside it (XC-001: the catch-up date).
    assert open_items == [
        ["序号", "编号", "具体举措", "牵头部门", "完成时限", "完成状态", "计划完成时间"],
        ["1", "JS-02", "开展专题学习讨论", "机关党委", "2026年6月30日", "推进中", "2026年6月30日"],
        ["2", "YA-001", "修订选人用人制度", "人事处", "2026年6月20日", "推进中", "2026年6月20日"],
        ["3", "YA-002", "落实财务审批双签制度", "财务处", "长期坚持", "未反馈", "长期坚持"],
        [
            "4",
            "XC-001",
            "整改公务接待不规范问题",
            "办公室",
            "2026年5月31日",
            "推进中\n逾期15天",
            "2026年7月15日",
        ],
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
        "截至2026年6月15日，三项工作共分解举措6项，涉及4个部门。各项举措已全部完成。"
        "以上完成情况依据各部门报送的自查反馈，尚待督导抽查核验。"
    ) in paragraphs
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
        "截至2026年6月15日，没有逾期或尚未启动的举措，各部门均已报送自查反馈，"
        "各项举措均已报告完成。"
    )
    plan = paragraphs[paragraphs.index("四、下一步工作打算") + 1 : paragraphs.index("特此报告。")]
    # Only verifying what is reported done is left to plan, numbered (一): nothing comes before.
    assert plan == [
        "2027年，重点抓好以下工作：",
        "（一）核验已报完成的举措。对各部门报告已完成的6项举措，局办公室于2027年6月30日前组织"
        "督导抽查和“回头看”，逐项核查佐证材料，核查属实的予以销号，防止问题反弹。",
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
    assert not any("核验已报完成" in p for p in paragraphs)
    # Silent departments in the summary's ranking order: 机关党委 (nothing overdue), then 人事处
    # and 财务处 (one overdue each, by name), then 办公室 (JS-01 and XC-001 overdue).
    assert (
        "（二）部分部门未报送进展。截至2026年6月15日，机关党委、人事处、财务处、办公室4个部门"
        "未报送自查反馈表，所承担举措的进展不明；除上述举措外，另有3项举措"
        "没有任何承担部门反馈进展（JS-02、YA-001、YA-002）。"
    ) in paragraphs, "the overdue ones are named once, above"
    # Overdue longest first: JS-01 76 days (3-31), XC-001 15, XC-002 5; nobody has reported:
    # 未报送进展 by name, never "未说明原因".
    assert (
        "（一）部分举措逾期未完成。截至2026年6月15日，超过完成时限仍未完成的举措有3项，"
        "承担部门均未报送进展。"
    ) in paragraphs
    overdue = [p for p in paragraphs if re.match(r"[A-Z]{2}-\d+“", p)]
    assert [p.partition("“")[0] for p in overdue] == ["JS-01", "XC-001", "XC-002"]
    assert "办公室、财务处未报送进展。" in overdue[1]
    assert not any("未说明" in p for p in paragraphs)


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
    assert paragraphs[2].startswith("2026年，省测试局党组将")
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
    job = make_job(sample_copy(), dt.date(2026, 11, 26), tmp_path)
    context = year_end_context(job)
    summary = job.summary
    dated_done = context["quarters"][-1]["cumulative"]
    assert dated_done + context["undated_done"] + context["earlier_done"] == summary.counts.done
    late = context["overdue"]["n"] + context["not_started"]["n"]
    assert late == context["late_total"]
    planned = (
        late + context["remaining_total"] + context["next_year_open"] + context["standing_open"]
    )
    assert planned == summary.counts.total - summary.counts.done == len(context["open_rows"])
    assert planned == context["dated_open"] + context["standing_open"]


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


# --- a provincial bureau's campaign in late November (tests/campaigns.py) --------------------

ID = re.compile(r"[A-Z]{2}-\d+")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The 160-measure campaign as of 2026-11-26 (no department gives a reason in its form, three
    send nothing): the summary's paragraphs and the summary it was written from."""
    from campaigns import AS_OF, write_large_campaign

    root = tmp_path_factory.mktemp("large")
    workspace = write_large_campaign(root / "ws")
    job = make_job(workspace, AS_OF, root / "out")
    [path] = write_year_end(job)
    assert_clean(path)
    return texts(path), job.summary


def body(paragraphs: list[str]) -> list[str]:
    return paragraphs[: paragraphs.index("特此报告。")]


def part(paragraphs: list[str], heading: str, following: str) -> list[str]:
    return paragraphs[paragraphs.index(heading) + 1 : paragraphs.index(following)]


def frames(paragraphs: list[str], departments) -> Counter:
    """Sentences with what varies from item to item taken out: quoted text, ids, dates, numbers
    and department names. What is left is the frame docgen wrote."""
    names = sorted(departments, key=len, reverse=True)
    found = Counter()
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[。：])", paragraph):
            frame = re.sub(r"“[^”]*”", "Q", sentence)
            frame = ID.sub("ID", frame)
            frame = re.sub(r"(\d{4}年)?\d{1,2}月\d{1,2}日", "DATE", frame)
            for name in names:
                frame = frame.replace(name, "D")
            frame = re.sub(r"D(、D)+", "D", re.sub(r"\d+", "N", frame))
            if len(frame) > 8:
                found[frame] += 1
    return found


def test_no_sentence_frame_is_used_more_than_a_handful_of_times(large):
    paragraphs, summary = large
    counted = frames(body(paragraphs), [d.name for d in summary.departments])
    frame, times = counted.most_common(1)[0]
    assert times <= 5, frame
    text = "".join(paragraphs)
    # The 36 overdue and 18 not-started items are counted, shown by three examples each, and the
    # rest counted by what their departments said: never one reason-sentence per item.
    assert text.count("未说明") <= 2 * 4
    assert "承担部门未说明原因" not in text


def test_a_department_that_sent_nothing_has_not_reported_progress(large):
    from campaigns import SILENT

    paragraphs, _ = large
    problems = part(paragraphs, "三、存在的问题和不足", "四、下一步工作打算")
    said = "".join(problems)
    assert "未报送进展" in said
    for name in SILENT:
        assert f"{name}未说明" not in said
        assert f"{name}报告" not in said
    # An example whose lead sent nothing says so by name (XC-019, 梅岭分局 leads).
    assert any(p.startswith("XC-019“") and "梅岭分局未报送进展" in p for p in problems)


def test_standing_work_is_never_a_shortcoming(large):
    paragraphs, summary = large
    problems = "".join(part(paragraphs, "三、存在的问题和不足", "四、下一步工作打算"))
    # Standing work: reported 长期坚持, or a 长期坚持 deadline and under way. One nobody has
    # reported on is named for the missing return (未报送进展), not for being standing work.
    standing = {
        m.id
        for m in summary.measures
        if m.status == "长期坚持" or (m.deadline is None and m.status == "推进中")
    }
    assert standing
    assert set(ID.findall(problems)) & standing == set()
    assert "长期坚持" not in problems
    plan = part(paragraphs, "四、下一步工作打算", "特此报告。")
    assert any(p.startswith("（四）常态化推进长期坚持的工作。") for p in plan)


def test_before_the_year_end_a_pre_summary_with_a_plan_for_next_year(large):
    paragraphs, _ = large
    assert "截至11月26日，年度工作尚未结束，本报告为年度工作预总结" in paragraphs[2]
    plan = part(paragraphs, "四、下一步工作打算", "特此报告。")
    assert plan[0] == "下一步，抓好年内剩余工作，并做好2027年工作安排："
    assert plan[1].startswith("（一）抓好年内剩余举措的落实。")
    assert any(p.startswith("（三）2027年继续推进未完成的举措。") for p in plan)


def test_each_measure_is_named_once_in_the_body(large):
    paragraphs, _ = large
    named = Counter(ID.findall("".join(body(paragraphs))))
    assert named and max(named.values()) == 1


def test_difficulties_are_those_of_open_items_only(tmp_path):
    """On the sample, whose departments give reasons: every measure a difficulty is counted for
    is open, has a deadline and is not late (the late ones carry their reasons in part three);
    the paragraph names no measure, so no done one."""
    job = make_job(sample_copy(), dt.date(2026, 11, 26), tmp_path)
    context = year_end_context(job)
    late = set(context["overdue"]["ids"]) | set(context["not_started"]["ids"])
    assert context["difficulties"]
    for difficulty in context["difficulties"]:
        for measure_id in difficulty["ids"]:
            measure = job.summary.measure(measure_id)
            assert measure.status not in ("已完成", "长期坚持") and measure.deadline is not None
            assert measure_id not in late
        assert difficulty["count"] == len(difficulty["ids"])
    [path] = write_year_end(job)
    paragraph = next(p for p in texts(path) if "推进中遇到的困难" in p)
    assert not ID.search(paragraph)
