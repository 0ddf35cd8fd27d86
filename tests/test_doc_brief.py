"""督导简报, read from the generated .docx: on the small campaign of conftest.py (every number
worked out by hand), on a copy of the sample inputs with and without docgen.toml, and on the
160-measure campaign of tests/campaigns.py.

The small campaign as of 2026-06-15 (see tests/test_aggregation.py for the statuses):
  measures 6: done 2 (JS-01, XC-002), doing 3 (JS-02, YA-001, XC-001), unreported 1 (YA-002);
  rate 2/6 = 33.3%; overdue 1 (XC-001, 5-31 -> 6-15 = 15 days); due soon 1 (YA-001, 6-20).
  assignments 10 over 4 departments, done 4 -> 40.0%:
    人事处 3/2 (66.7%), 办公室 3/2 (66.7%, XC-001 overdue), 机关党委 1/0 (0.0%),
    财务处 3 assignments and no form: 未报送、进展不明, not ranked.
  ranking: 人事处 and 办公室 并列第1 (fewer overdue first), 机关党委 第2: no number skipped.
  two distinct ranks: one rank is named each way; the top rank is above 40.0% (both named),
  the bottom below it (机关党委).
  report_by = 6-15 + 7 days = 6-22; catch_up_by = 6-15 + 30 days = 7-15.
"""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from campaigns import AS_OF as LARGE_AS_OF
from campaigns import write_large_campaign
from conftest import (
    CONFIG,
    SMALL_AS_OF,
    SMALL_MEASURES,
    copy_sample,
    job_for,
    make_workspace,
    sample_copy,
    write_sheet,
)

from docgen.documents.brief import write_brief
from docgen.documents.brief.context import NAMED_AT_MOST, named_group, rank_departments
from docgen.history import brief_issues, open_history
from docgen.official.checking import check_document, format_findings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AS_OF = dt.date(2026, 11, 26)
FONTS = Path(__file__).resolve().parent / "data" / "fonts.conf"
FEEDBACK_HEADER = ["编号", "填报单位", "完成状态", "进展情况", "完成时间", "佐证材料", "填报日期"]
ADDRESSEES = """
[addressees]
brief_report = ["市纪委监委", "驻局纪检监察组"]
brief_send = ["局领导"]
brief_issue = ["各处室", "各分局"]
"""
# Raw values, template tags, Excel escapes, ISO dates, placeholders and zero counts never reach
# the page.
FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|XX|ＸＸ|某某|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?<!\d)0(项|个|次|天)"
)
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def brief(workspace, as_of, out, **options) -> Path:
    [path] = write_brief(job_for(workspace, out, as_of), **options)
    return path


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def tables(path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def table_headed(path, first: str) -> list[list[str]]:
    return next(t for t in tables(path) if t[0][0] == first)


def footer(path) -> list[str]:
    return [row[0] for row in tables(path)[-1]]


def all_text(path) -> list[str]:
    return paragraphs(path) + [c for t in tables(path) for row in t for c in row]


def assert_clean(path):
    findings = check_document(path)
    assert findings == [], format_findings(findings, path.name)
    for text in all_text(path):
        assert not FORBIDDEN.search(text), text


def after(texts, start: str) -> str:
    """The paragraph that begins with `start`."""
    return next(t for t in texts if t.startswith(start))


def section(texts, heading: str) -> list[str]:
    """The paragraphs under a first-level heading (一、…), up to the next one."""
    start = next(i for i, t in enumerate(texts) if re.match(r"^[一二三四五]、" + heading, t))
    rest = texts[start + 1 :]
    end = next((i for i, t in enumerate(rest) if re.match(r"^[一二三四五]、|^附件", t)), len(rest))
    return rest[:end]


def dates_in(texts) -> set[dt.date]:
    return {dt.date(*map(int, m)) for t in texts for m in DATE.findall(t)}


def sample_workspace(root: Path, config: bool = True) -> Path:
    """A copy of inputs/ (never written into), with or without its docgen.toml."""
    copy_sample(root)
    if not config:
        (root / "docgen.toml").unlink()
    return root


@pytest.fixture
def workspace(tmp_path):
    return make_workspace(tmp_path / "ws")


@pytest.fixture(scope="module")
def sample_briefs(tmp_path_factory) -> dict[str, Path]:
    """The sample's brief as of 2026-11-26, with its docgen.toml and without it."""
    root = tmp_path_factory.mktemp("sample")
    return {
        name: brief(sample_workspace(root / name, config), SAMPLE_AS_OF, root / f"{name}-out")
        for name, config in (("configured", True), ("bare", False))
    }


# --- the small campaign, by hand ---------------------------------------------------------------


def test_first_issue_says_what_the_numbers_say(workspace, tmp_path):
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert path.name == "督导简报（第1期）.docx"
    assert_clean(path)
    texts = paragraphs(path)
    assert texts[:4] == [
        "警示教育以案促改巡察整改督导简报",
        "第1期",
        "江淮省测试局办公室\t2026年6月15日",
        "警示教育以案促改和巡察整改工作进展情况",
    ]
    lead = texts[4]
    assert "截至2026年6月15日，承担任务的4个部门中，3个部门已报送反馈表，1个部门未报送。" in lead
    # The basis of every completion, said once: reported, not verified.
    assert "本期所称“完成”均为各部门报告的完成情况，尚未经督导抽查核实" in lead
    assert sum("尚未经督导抽查核实" in t for t in texts) == 1
    headings = [t for t in texts if re.match(r"^[一二三四五]、", t)]
    assert headings == ["一、总体进展", "二、各部门进展情况", "三、存在的主要问题", "四、下步要求"]
    assert after(texts, "截至2026年6月15日，警示教育") == (
        "截至2026年6月15日，警示教育、以案促改和巡察整改工作共分解举措6项，涉及4个部门。"
        "其中报告完成2项，完成率33.3%；推进中3项，承担部门均未报送进展的1项。"
        "已超过完成时限仍未完成的举措1项，另有1项将在7天内到期。逾期举措清单见附件1。"
    )
    assert after(texts, "分专项看") == (
        "分专项看，警示教育方面，2项举措报告完成1项，完成率50.0%；"
        "以案促改方面，2项举措尚无报告完成；"
        "巡察整改方面，2项举措报告完成1项，完成率50.0%，逾期1项。"
    )
    assert not any(t.startswith("较上期") for t in texts)  # no previous issue
    assert after(texts, "截至2026年6月15日，4个部门") == (
        "截至2026年6月15日，4个部门共承担任务10项（一项举措由多个部门承担的，分别计入各部门），"
        "报告完成4项，总体完成率40.0%。"
    )


def test_the_ranking_rule_is_stated_and_followed(workspace, tmp_path):
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    texts = paragraphs(path)
    rule = after(texts, "排名规则")
    assert "对已报送反馈表的3个部门" in rule
    assert "相同的并列同一名次" in rule and "不空号" in rule
    assert "未报送反馈表的部门进展不明，不参加排名" in rule
    assert "排名情况见附件2" in rule
    # The named groups are the ones the rule picks, with the ranks of the table.
    assert after(texts, "进展较快") == (
        "进展较快的是排名第1位且完成率高于总体完成率的2个部门："
        "人事处（第1名，66.7%）、办公室（第1名，66.7%），其中办公室仍有逾期任务。"
        "进度滞后的是排名末位且完成率低于总体完成率的1个部门：机关党委（第2名，0.0%）。"
    )
    ranking = table_headed(path, "名次")
    assert ranking == [
        ["名次", "部门", "承担任务", "报告完成", "逾期", "未填报", "完成率"],
        ["1", "人事处", "3", "2", "—", "—", "66.7%"],
        ["1", "办公室", "3", "2", "1", "—", "66.7%"],
        ["2", "机关党委", "1", "0", "—", "—", "0.0%"],
    ]


def test_a_department_that_sent_nothing_is_unknown_not_undone(workspace, tmp_path):
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    texts = paragraphs(path)
    assert "财务处未报送反馈表、进展不明（承担任务3项），不参加排名。" in texts
    assert not any("均未完成" in t or "未说明原因" in t for t in all_text(path))
    assert "财务处" not in [row[1] for row in table_headed(path, "名次")]
    assert table_headed(path, "部门") == [
        ["部门", "承担任务", "其中已过完成时限", "情况"],
        ["财务处", "3", "1", "未报送、进展不明"],
    ]
    # Where an open measure names it, it has not reported: it is not said to be behind.
    open_list = table_headed(path, "编号")
    assert open_list[1][-1] == "办公室（推进中）、财务处（未报送进展）"
    problems = section(texts, "存在的主要问题")
    assert problems[0] == (
        "（一）部分举措逾期未完成。截至2026年6月15日，有1项举措已超过完成时限仍未完成，"
        "涉及2个部门：XC-001逾期15天，办公室报告仍在推进，财务处未报送进展。"
    )
    assert problems[1] == ("（二）部分部门未报送进展。截至2026年6月15日，1个部门未报送反馈表。")


def test_dates_are_the_builds_two(workspace, tmp_path):
    """The one report-by date (Job.report_by) and the one catch-up date (Job.catch_up_by)."""
    job = job_for(workspace, tmp_path / "out", SMALL_AS_OF)
    assert (job.report_by, job.catch_up_by) == (dt.date(2026, 6, 22), dt.date(2026, 7, 15))
    texts = paragraphs(brief(workspace, SMALL_AS_OF, tmp_path / "out"))
    future = {d for d in dates_in(texts) if d > SMALL_AS_OF}
    assert future == {job.report_by, job.catch_up_by}
    requirements = section(texts, "下步要求")
    assert [t[:2] for t in requirements[:3]] == ["一是", "二是", "三是"]
    assert requirements[0] == (
        "一是加快推进逾期举措。请办公室、财务处逐项分析原因、明确措施，"
        "于2026年6月22日前向局办公室书面报告，并于2026年7月15日前完成；"
        "已经完成的，及时报送佐证材料。"
    )
    assert requirements[1].startswith(
        "二是及时报送进展。请未报送反馈表的1个部门于2026年6月22日前报送自查反馈表"
    )
    assert "1项举措将在7天内到期（YA-001）" in requirements[2]
    # Every count sentence carries the one as-of date, and only that one.
    assert set(re.findall(r"截至(\d+年\d+月\d+日)", "".join(texts))) == {"2026年6月15日"}


def test_footer_without_brief_addressees(workspace, tmp_path):
    """报/送/发 always there: 局党组成员; the superior docgen.toml names; the departments by kind.
    共印: one each under 报 and 送, one for each department but the issuing office, one file copy."""
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert footer(path) == [
        "报：局党组成员。",
        "送：中共江淮省纪委监委。",
        "发：局机关各处室。",
        "（共印6份）",
    ]


def test_footer_without_any_docgen_toml(tmp_path):
    workspace = make_workspace(tmp_path / "ws", config=None)
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert_clean(path)
    assert paragraphs(path)[2] == "江淮省测试局办公室\t2026年6月15日"
    assert footer(path) == [
        "报：局党组成员。",
        "送：局警示教育、以案促改和巡察整改工作领导小组成员。",
        "发：局机关各处室。",
        "（共印6份）",
    ]


def test_footer_from_settings(tmp_path):
    workspace = make_workspace(tmp_path / "ws", config=CONFIG + ADDRESSEES)
    # 2 under 报, 1 under 送, the 3 departments other than the office under 发, the file copy.
    assert footer(brief(workspace, SMALL_AS_OF, tmp_path / "out")) == [
        "报：市纪委监委，驻局纪检监察组。",
        "送：局领导。",
        "发：各处室，各分局。",
        "（共印7份）",
    ]


# --- issues and what changed -------------------------------------------------------------------


def test_issue_numbers_count_per_year_and_are_kept_on_rerun(workspace, tmp_path):
    out = tmp_path / "out"
    assert brief(workspace, SMALL_AS_OF, out).name == "督导简报（第1期）.docx"
    assert brief(workspace, SMALL_AS_OF, out).name == "督导简报（第1期）.docx"
    second = brief(workspace, dt.date(2026, 6, 22), out)
    assert second.name == "督导简报（第2期）.docx"
    assert paragraphs(second)[1] == "第2期"
    assert brief(workspace, dt.date(2026, 6, 22), out).name == "督导简报（第2期）.docx"
    assert brief(workspace, dt.date(2026, 6, 22), out, new_issue=True).name == (
        "督导简报（第3期）.docx"
    )
    # A new year starts again at 1.
    assert brief(workspace, dt.date(2027, 1, 5), out).name == "督导简报（第1期）.docx"
    with open_history(workspace) as connection:
        issues = brief_issues(connection, 2026)
    assert [(i.number, i.as_of) for i in issues] == [
        (1, SMALL_AS_OF),
        (2, dt.date(2026, 6, 22)),
        (3, dt.date(2026, 6, 22)),
    ]
    assert issues[0].statuses["XC-001"] == {
        "status": "推进中",
        "light": "红",
        "overdue_days": 15,
        "closed": False,
        "refuted": False,
    }
    assert issues[0].statuses["YA-002"] == {
        "status": "未反馈",
        "light": "绿",
        "overdue_days": 0,
        "closed": False,
        "refuted": False,
    }
    assert len(issues[0].statuses) == 6
    assert (workspace / ".docgen" / "history.sqlite3").is_file()


def test_second_issue_says_what_changed(workspace, tmp_path):
    """Issue 1 on 6-15, then 财务处 and 机关党委 send forms, and issue 2 on 6-22.

    JS-02 done by all three departments (newly completed); YA-001 (人事处 still 推进中) past
    its 6-20 deadline: newly overdue; done 3 of 6 = 50.0%, up from 33.3%.
    Assignments: 机关党委 1/1 (100.0%), 财务处 3/2, 人事处 3/2, 办公室 3/2 (66.7% each):
    7 of 10 = 70.0%; ranks 1 and 2, everybody reported: nobody is left out of the ranking.
    """
    out = tmp_path / "out"
    brief(workspace, SMALL_AS_OF, out)
    when = dt.date(2026, 6, 20)
    write_sheet(
        workspace / "feedback" / "机关党委_第二次.xlsx",
        FEEDBACK_HEADER,
        [["JS-02", "机关党委", "已完成", "已学习", dt.date(2026, 6, 19), "记录", when]],
    )
    write_sheet(
        workspace / "feedback" / "财务处.xlsx",
        FEEDBACK_HEADER,
        [
            ["YA-001", "财务处", "已完成", "已会签", dt.date(2026, 6, 18), "", when],
            ["YA-002", "财务处", "长期坚持", "双签", "", "", when],
            ["XC-001", "财务处", "已完成", "已核对", dt.date(2026, 6, 18), "", when],
        ],
    )
    path = brief(workspace, dt.date(2026, 6, 22), out)
    assert path.name == "督导简报（第2期）.docx"
    assert_clean(path)
    texts = paragraphs(path)
    assert after(texts, "较上期") == (
        "较上期（第1期，2026年6月15日），新增报告完成的举措1项（JS-02）；"
        "完成率由33.3%提高到50.0%，提高16.7个百分点。本期新增逾期举措1项（YA-001）。"
    )
    assert "各部门均已报送反馈表" in texts[4]
    assert [row[:2] for row in table_headed(path, "名次")[1:]] == [
        ["1", "机关党委"],
        ["2", "财务处"],
        ["2", "人事处"],
        ["2", "办公室"],
    ]
    assert after(texts, "进展较快") == (
        "进展较快的是排名第1位且完成率高于总体完成率的1个部门：机关党委（第1名，100.0%）。"
        "进度滞后的是排名末位且完成率低于总体完成率的3个部门："
        "财务处（第2名，66.7%）、人事处（第2名，66.7%）、办公室（第2名，66.7%）。"
    )
    assert not any("未报送反馈表" in t for t in texts)
    # Completions with no evidence: 人事处's JS-02 and 财务处's YA-001 and XC-001, counted, not
    # listed by id.
    problems = section(texts, "存在的主要问题")
    assert problems[-1] == (
        "（二）部分报告完成的任务未附佐证材料。各部门报告完成的7项任务中，"
        "3项未填写佐证材料，有待核实。"
    )


def test_rate_going_down_and_a_measure_reopened(workspace, tmp_path):
    """人事处 takes back XC-002 (已完成 -> 推进中 on 6-20): done 2 -> 1, 33.3% -> 16.7%."""
    out = tmp_path / "out"
    brief(workspace, SMALL_AS_OF, out)
    write_sheet(
        workspace / "feedback" / "人事处_第三次.xlsx",
        FEEDBACK_HEADER,
        [["XC-002", "人事处", "推进中", "复查发现遗漏", "", "", dt.date(2026, 6, 20)]],
    )
    change = after(paragraphs(brief(workspace, dt.date(2026, 6, 22), out)), "较上期")
    assert "没有新增报告完成的举措；完成率由33.3%下降到16.7%，下降16.6个百分点。" in change
    assert "XC-002上期为已完成，本期有部门报告尚未完成，已重新计为未完成" in change


# --- edges --------------------------------------------------------------------------------------


def test_nothing_late_and_everything_done(tmp_path):
    rows = {
        "JS-01": ["办公室"],
        "JS-02": ["机关党委", "办公室", "人事处"],
        "YA-001": ["人事处", "财务处"],
        "YA-002": ["财务处"],
        "XC-001": ["办公室", "财务处"],
        "XC-002": ["人事处"],
    }
    feedback = {
        "全部.xlsx": [
            [i, d, "已完成", "已完成", dt.date(2026, 3, 1), "材料", dt.date(2026, 3, 2)]
            for i, departments in rows.items()
            for d in departments
        ]
    }
    workspace = make_workspace(tmp_path / "ws", feedback=feedback)
    path = brief(workspace, dt.date(2026, 3, 10), tmp_path / "out")
    assert_clean(path)
    texts = paragraphs(path)
    assert after(texts, "截至2026年3月10日，警示教育") == (
        "截至2026年3月10日，警示教育、以案促改和巡察整改工作共分解举措6项，涉及4个部门。"
        "各项举措均已报告完成。本期无逾期举措。"
    )
    # Every department at 100%: one rank, nobody faster or slower than the others.
    assert {row[0] for row in table_headed(path, "名次")[1:]} == {"1"}
    assert not any(t.startswith(("进展较快", "进度滞后")) for t in texts)
    assert "人事处、办公室、财务处、机关党委承担的任务均已报告完成。" in texts
    headings = [t for t in texts if re.match(r"^[一二三四五]、", t)]
    assert headings == ["一、总体进展", "二、各部门进展情况", "三、下步要求"]
    assert section(texts, "下步要求") == [
        "局办公室将持续跟踪，对报告完成的任务组织督导抽查，核实后销号，并在下期简报中通报。"
    ]
    assert "附件：各部门任务完成情况排名表" in texts
    assert len(tables(path)) == 2  # the ranking and the footer


def test_nobody_has_reported(tmp_path):
    workspace = make_workspace(tmp_path / "ws", feedback={})
    path = brief(workspace, dt.date(2026, 3, 10), tmp_path / "out")
    assert_clean(path)
    texts = paragraphs(path)
    assert "截至2026年3月10日，承担任务的4个部门中，尚无部门报送反馈表。" in texts[4]
    assert "尚未经督导抽查核实" not in texts[4]  # nothing reported done: no basis to state
    assert "其中尚无报告完成的举措；承担部门均未报送进展的6项。" in after(
        texts, "截至2026年3月10日，警示教育"
    )
    assert "各部门均未报送反馈表，进展不明，本期不作排名。" in texts
    assert not any(t.startswith("排名规则") for t in texts)
    assert not any(t[0] == "名次" for t in (tab[0] for tab in tables(path)))
    assert "（一）部分部门未报送进展。截至2026年3月10日，4个部门未报送反馈表。" in texts


def test_hostile_text_reaches_the_page_as_written(tmp_path):
    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][3] = "整改 A&B <接待> “超标准”问题"  # XC-001, overdue
    workspace = make_workspace(tmp_path / "ws", measures=measures)
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert check_document(path) == []
    assert table_headed(path, "编号")[1][1] == "整改 A&B <接待> “超标准”问题"


def test_a_long_overdue_list_goes_whole_to_the_attachment(tmp_path):
    extra = [
        [
            f"YA-2{n:02d}",
            "以案促改",
            "",
            f"整改事项{n}",
            "",
            "人事处",
            "",
            "",
            dt.date(2026, 4, 1) + dt.timedelta(days=n),
        ]
        for n in range(25)
    ]
    root = make_workspace(tmp_path / "ws", measures=[*SMALL_MEASURES, *extra])
    path = brief(root, SMALL_AS_OF, tmp_path / "out")
    assert_clean(path)
    texts = paragraphs(path)
    overdue = after(texts, "（一）部分举措逾期未完成")
    assert "有26项举措已超过完成时限仍未完成" in overdue
    assert len(re.findall(r"逾期\d+天", overdue)) == 3  # three examples; the list is 附件1
    rows = table_headed(path, "编号")[1:]
    days = [int(row[3].removeprefix("逾期").rstrip("天")) for row in rows]
    assert len(days) == 26 and days == sorted(days, reverse=True)


# --- ranking and naming rules -----------------------------------------------------------------


def _department(name, done, total=10, overdue=0, sent_nothing=False):
    from docgen.aggregation import Counts, DepartmentProgress

    counts = Counts(total=total, done=done, overdue=overdue, unreported=total * sent_nothing)
    return DepartmentProgress(name, "", "", 0, counts, sent_nothing=sent_nothing)


def test_ranks_are_shared_by_equal_printed_rates_and_never_skipped():
    departments = [
        _department("甲", 9),
        _department("乙", 2, total=3),  # 66.7%
        _department("丙", 667, total=1000),  # 66.7% as printed: the same rank
        _department("丁", 5),
        _department("戊", 0, sent_nothing=True),  # not ranked
        _department("己", 0),  # returned a form, nothing done: ranked last, with 0.0%
    ]
    ranking = rank_departments(departments)
    assert [(r["rank"], r["name"], r["rate"]) for r in ranking] == [
        (1, "甲", "90.0%"),
        (2, "丙", "66.7%"),  # more assignments first within a shared rank
        (2, "乙", "66.7%"),
        (3, "丁", "50.0%"),
        (4, "己", "0.0%"),
    ]


def test_the_named_groups_follow_the_stated_rule():
    rates = (9, 8, 7, 7, 6, 5, 4, 2, 1, 0, 0)
    ranked = rank_departments(
        [
            _department(name, done)
            for name, done in zip("甲乙丙丁戊己庚辛子壬癸", rates, strict=True)
        ]
    )
    # Nine ranks: three named each way, ties included; the rate must beat (or trail) 50.0%.
    fast = named_group(ranked, lambda rate: rate > 50)
    assert fast["ranks"] == 3
    assert [(r["rank"], r["name"]) for r in fast["rows"]] == [
        (1, "甲"),
        (2, "乙"),
        (3, "丁"),
        (3, "丙"),
    ]
    slow = named_group(ranked[::-1], lambda rate: rate < 50)
    assert sorted(r["name"] for r in slow["rows"]) == sorted("壬癸子辛")
    # Fewer ranks, fewer named: a third of them (eight ranks: two).
    fewer = named_group(ranked[:-3] + ranked[-2:], lambda rate: rate > 50)
    assert fewer["ranks"] == 2 and [r["name"] for r in fewer["rows"]] == ["甲", "乙"]
    # Everybody tied: one rank; given as a count when more than NAMED_AT_MOST.
    tied = rank_departments([_department(f"部门{i}", 8) for i in range(NAMED_AT_MOST + 1)])
    group = named_group(tied, lambda rate: rate > 50)
    assert group["tied"] and len(group["rows"]) == NAMED_AT_MOST + 1
    # A tie too wide for the ranks named narrows the group to fewer ranks.
    wide = rank_departments(
        [_department("首", 9), _department("末", 1), _department("尾", 0)]
        + [_department(f"次{i}", 8) for i in range(NAMED_AT_MOST)]
    )
    group = named_group(wide, lambda rate: rate > 50)
    assert group["ranks"] == 1 and [r["name"] for r in group["rows"]] == ["首"]


# --- the sample, with and without docgen.toml ---------------------------------------------------


@pytest.mark.parametrize("name", ["configured", "bare"])
def test_sample_brief_reads_right(sample_briefs, name):
    path = sample_briefs[name]
    assert_clean(path)
    texts = paragraphs(path)
    # As `docgen status` shows for 2026-11-26: 165 measures, 92 done, 55.8%, 6 overdue.
    overall = after(texts, "截至2026年11月26日，警示教育")
    assert "共分解举措165项，涉及26个部门。其中报告完成92项，完成率55.8%" in overall
    assert "已超过完成时限仍未完成的举措6项" in overall
    assert "梅岭分局、资本市场处、离退休干部党支部未报送反馈表、进展不明" in "".join(texts)
    assert not any("均未完成" in t for t in all_text(path))
    ranking = table_headed(path, "名次")[1:]
    assert len(ranking) == 23  # the 26 departments less the 3 that returned nothing
    names = [row[1] for row in ranking]
    assert not {"梅岭分局", "资本市场处", "离退休干部党支部"} & set(names)
    # Ranks start at 1, never skip, and are shared exactly when the printed rates are equal.
    ranks = [int(row[0]) for row in ranking]
    assert ranks[0] == 1
    for (rank, rate), (next_rank, next_rate) in zip(
        [(int(r[0]), r[-1]) for r in ranking],
        [(int(r[0]), r[-1]) for r in ranking[1:]],
        strict=False,
    ):
        assert next_rank == (rank if next_rate == rate else rank + 1)
    # Every department named with a rank in the prose has that rank and rate in the table.
    table = {row[1]: (row[0], row[-1]) for row in ranking}
    named = re.findall(r"([^、：（）]+)（第(\d+)名，([\d.]+%)）", "".join(texts))
    assert named
    for department, rank, rate in named:
        assert table[department] == (rank, rate), department
    # The praised ones are the top ranks, without a gap: every department ranked above the
    # lowest praised rank is praised too.
    fast = after(texts, "进展较快")
    praised = {
        d for d, _, _ in re.findall(r"([^、：（）]+)（第(\d+)名，([\d.]+%)）", fast.split("。")[0])
    }
    lowest = max(int(table[d][0]) for d in praised)
    assert praised == {row[1] for row in ranking if int(row[0]) <= lowest}
    footer_lines = footer(path)
    assert [line[:2] for line in footer_lines[:3]] == ["报：", "送：", "发："]
    copies = int(re.fullmatch(r"（共印(\d+)份）", footer_lines[-1]).group(1))
    assert copies > 25  # one for each department at least


def test_sample_without_docgen_toml_names_its_organ_and_default_recipients(sample_briefs):
    path = sample_briefs["bare"]
    texts = paragraphs(path)
    assert texts[2] == "江淮省地方金融管理局办公室\t2026年11月26日"
    assert footer(path) == [
        "报：局党组成员。",
        "送：局警示教育、以案促改和巡察整改工作领导小组成员。",
        "发：局机关各处室，各分局，机关各党支部。",
        "（共印28份）",  # 1 + 1 + 25 departments (not the office itself) + 1 for the file
    ]


@pytest.mark.parametrize("name", ["configured", "bare"])
def test_difficulties_name_no_completed_measure(sample_briefs, name, tmp_path):
    path = sample_briefs[name]
    texts = paragraphs(path)
    done = {
        row[0]
        for row in table_headed(path, "编号")[1:]
        if "已完成" in row[-1]  # never: the list holds open measures only
    }
    assert done == set()
    job = job_for(sample_copy(), tmp_path / "unused", SAMPLE_AS_OF)
    completed = {m.id for m in job.summary.measures if m.status == "已完成"}
    problems = "".join(section(texts, "存在的主要问题"))
    listed = set(re.findall(r"[A-Z]{2}-\d+", problems))
    assert listed and not listed & completed
    future = {d for d in dates_in(texts) if d > SAMPLE_AS_OF}
    assert future == {job.report_by, job.catch_up_by}


# --- pages --------------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")


def body_pages(path: Path, tmp_path: Path) -> int:
    """The page the 附件说明 (the body's last line) is printed on, in LibreOffice's PDF."""
    pdf = pdf_of(path, tmp_path)
    page = 1
    while True:
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "附件：" in text:
            return page
        page += 1


@pytest.mark.skipif(not SOFFICE, reason="soffice, pdftotext or pdfinfo not installed")
@pytest.mark.parametrize("campaign", ["sample", "large"])
def test_the_body_takes_two_to_four_pages(campaign, tmp_path):
    if campaign == "sample":
        workspace, as_of = sample_workspace(tmp_path / "ws"), SAMPLE_AS_OF
    else:
        workspace, as_of = write_large_campaign(tmp_path / "ws"), LARGE_AS_OF
    path = brief(workspace, as_of, tmp_path / "out")
    assert_clean(path)
    assert 2 <= body_pages(path, tmp_path / "pdf") <= 4


def pdf_of(path: Path, tmp_path: Path) -> Path:
    """LibreOffice's PDF of the document, with the fonts the tests lay out with."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        env={"FONTCONFIG_FILE": str(FONTS), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        check=True,
        timeout=180,
    )
    return tmp_path / path.with_suffix(".pdf").name


def last_page_lines(path: Path, tmp_path: Path) -> list[str]:
    """The lines of the last page of LibreOffice's PDF of the document."""
    pdf = pdf_of(path, tmp_path)
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(pdf))[1])
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def _pdfinfo(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout


@pytest.mark.skipif(not SOFFICE, reason="soffice, pdftotext or pdfinfo not installed")
@pytest.mark.parametrize("campaign", ["sample", "large"])
def test_the_closing_block_never_stands_alone_on_the_last_page(campaign, tmp_path):
    """The sample's ranking ends near a page's foot: the departments that returned nothing go
    to the last page with the 报/送/发 block rather than leave the block alone there."""
    if campaign == "sample":
        workspace, as_of = sample_workspace(tmp_path / "ws"), SAMPLE_AS_OF
    else:
        workspace, as_of = write_large_campaign(tmp_path / "ws"), LARGE_AS_OF
    lines = last_page_lines(brief(workspace, as_of, tmp_path / "out"), tmp_path / "pdf")
    assert any(line.startswith("报：") for line in lines), lines
    block = re.compile(r"^(报|送|发)：|^（共印\s*\d+\s*份）$|^—\s*\d+\s*—$|^[^：（]{0,20}。$")
    assert [line for line in lines if not block.search(line)], lines
