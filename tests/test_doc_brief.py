"""督导简报 on the small campaign of conftest.py, every number worked out by hand.

As of 2026-06-15 (see tests/test_aggregation.py for the statuses):
  measures 6: done 2 (JS-01, XC-002), doing 3 (JS-02, YA-001, XC-001), unreported 1 (YA-002);
  rate 2/6 = 33.3%; overdue 1 (XC-001, 5-31 -> 6-15 = 15 days); due soon 1 (YA-001, 6-20).
  streams: 警示教育 2, done 1 (50.0%); 以案促改 2, none done; 巡察整改 2, done 1 (50.0%), overdue 1.
  assignments 10 over 4 departments, done 4 -> 40.0%:
    人事处 3/2 (66.7%, nothing overdue), 办公室 3/2 (66.7%, XC-001 overdue),
    机关党委 1/0, 财务处 3/0 (sent nothing, 3 unreported, XC-001 overdue).
  fastest: above 40.0% with nothing overdue -> 人事处 (办公室 has XC-001 overdue).
  slowest: below 40.0%, slowest first -> 财务处, 机关党委 (tied at 0: both named, none done).
  XC-001 is held up by 办公室 (推进中) and 财务处 (未反馈).
"""

import datetime as dt
import re
import shutil

import docx
import pytest
from conftest import SMALL_AS_OF, SMALL_MEASURES, campaign_of, make_workspace, write_sheet

from docgen.build import make_job
from docgen.documents.brief import write_brief
from docgen.documents.brief.context import ranked_extremes
from docgen.history import brief_issues, open_history
from docgen.official.checking import check_document, format_findings

FEEDBACK_HEADER = ["编号", "填报单位", "完成状态", "进展情况", "完成时间", "佐证材料", "填报日期"]
ADDRESSEES = """
[addressees]
brief_report = ["市纪委监委", "驻局纪检监察组"]
brief_send = ["局领导"]
brief_issue = ["各处室", "各分局"]
"""
# Raw values, template tags, Excel escapes, ISO dates and zero counts never reach the page.
FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0(项|个|次|天)"
)


def job_at(workspace, as_of, out):
    return make_job(campaign_of(workspace, as_of), out, dt.datetime.combine(as_of, dt.time(9)))


def brief(workspace, as_of, out, **options):
    [path] = write_brief(job_at(workspace, as_of, out), **options)
    return path


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def tables(path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def assert_clean(path):
    findings = check_document(path)
    assert findings == [], format_findings(findings, path.name)
    for text in paragraphs(path) + [c for t in tables(path) for row in t for c in row]:
        assert not FORBIDDEN.search(text), text


def after(texts, start: str) -> str:
    """The paragraph that begins with `start`."""
    return next(t for t in texts if t.startswith(start))


@pytest.fixture
def workspace(tmp_path):
    return make_workspace(tmp_path / "ws")


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
    assert "截至2026年6月15日，承担任务的4个部门中，已有3个部门报送反馈表。" in texts[4]
    headings = [t for t in texts if re.match(r"^[一二三四五]、", t)]
    assert headings == ["一、总体进展", "二、各部门进展情况", "三、存在的主要问题", "四、下步要求"]
    assert after(texts, "截至2026年6月15日，警示教育") == (
        "截至2026年6月15日，警示教育、以案促改和巡察整改工作共分解举措6项，涉及4个部门。"
        "其中已完成2项，完成率33.3%；推进中3项，未反馈1项。"
        "已超过完成时限仍未完成的举措1项，另有1项将在7天内到期。"
    )
    assert after(texts, "分专项看") == (
        "分专项看，警示教育方面，2项举措已完成1项，完成率50.0%；以案促改方面，2项举措均未完成；"
        "巡察整改方面，2项举措已完成1项，完成率50.0%，逾期1项。"
    )
    # No previous issue: no change paragraph.
    assert not any(t.startswith("较上期") for t in texts)
    assert after(texts, "截至2026年6月15日，4个部门") == (
        "截至2026年6月15日，4个部门共承担任务10项（一项举措由多个部门承担的，分别计入各部门），"
        "已完成4项，完成率40.0%。各部门完成情况见表1。"
    )
    assert after(texts, "按部门完成率排序") == (
        "按部门完成率排序，进展较快的有人事处（66.7%）；"
        "进度滞后的有财务处、机关党委，所承担的任务均未完成。"
    )
    assert after(texts, "（一）") == (
        "（一）部分举措逾期未完成。截至2026年6月15日，有1项举措已超过完成时限仍未完成（见表2）："
        "由办公室、财务处负责的XC-001逾期15天。"
    )
    assert (
        after(texts, "（二）")
        == "（二）部分部门尚未反馈。截至2026年6月15日，财务处尚未报送反馈表。"
    )
    assert not any(t.startswith("（三）") for t in texts)  # nothing 未启动
    requirements = texts[texts.index("四、下步要求") + 1 :]
    assert [t[:2] for t in requirements[:3]] == ["一是", "二是", "三是"]
    assert "请办公室、财务处对逾期举措逐项分析原因" in requirements[0]
    assert "于2026年6月22日前" in requirements[0]  # 6-15 + 7 days
    assert requirements[1].startswith("二是及时报送反馈表。请财务处于2026年6月22日前报送自查反馈表")
    assert "1项举措将在7天内到期（YA-001）" in requirements[2]
    # Every count sentence carries the one as-of date, and only that one.
    assert set(re.findall(r"截至(\d+年\d+月\d+日)", "".join(texts))) == {"2026年6月15日"}


def test_tables_rank_departments_and_list_the_overdue(workspace, tmp_path):
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    texts = paragraphs(path)
    assert "表1\u3000各部门任务完成情况排名" in texts
    assert "表2\u3000逾期举措清单" in texts
    ranking, overdue, footer = tables(path)
    assert ranking == [
        ["名次", "部门", "承担任务", "已完成", "逾期", "未反馈", "完成率"],
        ["1", "人事处", "3", "2", "—", "—", "66.7%"],
        ["2", "办公室", "3", "2", "1", "—", "66.7%"],
        ["3", "机关党委", "1", "0", "—", "—", "0.0%"],
        ["4", "财务处", "3", "0", "1", "3", "0.0%"],
    ]
    assert overdue == [
        ["编号", "具体举措", "未完成部门", "完成时限", "逾期天数", "状态"],
        ["XC-001", "整改公务接待不规范问题", "办公室、财务处", "2026年5月31日", "15天", "推进中"],
    ]
    # No 报/送/发 in the small campaign's docgen.toml: one copy, for the file.
    assert footer == [["（共印1份）"]]


def test_footer_from_settings(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    config = workspace / "docgen.toml"
    config.write_text(config.read_text("utf-8").replace("[addressees]\n", ADDRESSEES), "utf-8")
    footer = tables(brief(workspace, SMALL_AS_OF, tmp_path / "out"))[-1]
    # 2 under 报, 1 under 送, and 4 departments under 发, plus the file copy.
    assert [row[0] for row in footer] == [
        "报：市纪委监委，驻局纪检监察组。",
        "送：局领导。",
        "发：各处室，各分局。",
        "（共印8份）",
    ]


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
    # The snapshot holds every measure's status, light and days overdue.
    assert issues[0].statuses["XC-001"] == {"status": "推进中", "light": "红", "overdue_days": 15}
    assert issues[0].statuses["YA-002"] == {"status": "未反馈", "light": "绿", "overdue_days": 0}
    assert len(issues[0].statuses) == 6


def test_history_lives_in_the_workspace(workspace, tmp_path):
    brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert (workspace / ".docgen" / "history.sqlite3").is_file()


def test_second_issue_says_what_changed(workspace, tmp_path):
    """Issue 1 on 6-15, then 财务处 and 机关党委 send forms, and issue 2 on 6-22.

    New forms: 机关党委 JS-02 已完成 -> JS-02 done by all three departments (newly completed);
    财务处 YA-001 已完成, XC-001 已完成, YA-002 长期坚持.
    As of 6-22: YA-001 (人事处 still 推进中) is past its 6-20 deadline: newly overdue, 2 days;
    XC-001 (办公室 推进中) is overdue 22 days, as it was in issue 1.
    done 3 (JS-01, JS-02, XC-002) of 6 = 50.0%, up from 33.3%: 16.7 points.
    doing 2 (YA-001, XC-001), standing 1 (YA-002), nothing unreported, nothing due soon.
    assignments: 机关党委 1/1, 财务处 3/2, 人事处 3/2 (YA-001 overdue), 办公室 3/2 (XC-001
    overdue): 7 of 10 = 70.0%. Fastest: 机关党委 (100.0%). Below 70.0%: the three at 66.7%,
    a tie wider than the one department named, so nobody is named as lagging.
    """
    out = tmp_path / "out"
    brief(workspace, SMALL_AS_OF, out)
    write_sheet(
        workspace / "feedback" / "机关党委_第二次.xlsx",
        FEEDBACK_HEADER,
        [
            [
                "JS-02",
                "机关党委",
                "已完成",
                "已学习",
                dt.date(2026, 6, 19),
                "记录",
                dt.date(2026, 6, 20),
            ]
        ],
    )
    write_sheet(
        workspace / "feedback" / "财务处.xlsx",
        FEEDBACK_HEADER,
        [
            [
                "YA-001",
                "财务处",
                "已完成",
                "已会签",
                dt.date(2026, 6, 18),
                "",
                dt.date(2026, 6, 20),
            ],
            ["YA-002", "财务处", "长期坚持", "双签", "", "", dt.date(2026, 6, 20)],
            [
                "XC-001",
                "财务处",
                "已完成",
                "已核对",
                dt.date(2026, 6, 18),
                "",
                dt.date(2026, 6, 20),
            ],
        ],
    )
    path = brief(workspace, dt.date(2026, 6, 22), out)
    assert path.name == "督导简报（第2期）.docx"
    assert_clean(path)
    texts = paragraphs(path)
    assert after(texts, "较上期") == (
        "较上期（第1期，2026年6月15日），新增完成举措1项（JS-02）；"
        "完成率由33.3%提高到50.0%，提高16.7个百分点。本期新增逾期举措1项（YA-001）。"
    )
    assert after(texts, "截至2026年6月22日，警示教育") == (
        "截至2026年6月22日，警示教育、以案促改和巡察整改工作共分解举措6项，涉及4个部门。"
        "其中已完成3项，完成率50.0%；推进中2项，长期坚持1项。长期坚持类举措持续推进，不计入完成率。"
        "已超过完成时限仍未完成的举措2项。"
    )
    assert "各部门均已报送反馈表" in texts[4]
    assert after(texts, "按部门完成率排序") == "按部门完成率排序，进展较快的有机关党委（100.0%）。"
    assert "机关党委承担的任务已全部完成。" in texts
    assert after(texts, "（一）") == (
        "（一）部分举措逾期未完成。截至2026年6月22日，有2项举措已超过完成时限仍未完成（见表2）："
        "由办公室负责的XC-001逾期22天；由人事处负责的YA-001逾期2天。"
    )
    assert not any("尚未反馈" in t or "未按时反馈" in t for t in texts)
    ranking, overdue, _ = tables(path)
    assert [row[1] for row in ranking[1:]] == ["机关党委", "财务处", "人事处", "办公室"]
    assert [row[0] for row in overdue[1:]] == ["XC-001", "YA-001"]
    # Only the overdue item: 一是 alone would be odd, so it has no number.
    requirements = texts[texts.index("四、下步要求") + 1 :]
    assert requirements[0].startswith("加快推进逾期举措。请办公室、人事处对逾期举措")


def test_rate_going_down_and_a_measure_reopened(workspace, tmp_path):
    """人事处 takes back XC-002 (已完成 -> 推进中 on 6-20): done 2 -> 1, 33.3% -> 16.7%."""
    out = tmp_path / "out"
    brief(workspace, SMALL_AS_OF, out)
    write_sheet(
        workspace / "feedback" / "人事处_第三次.xlsx",
        FEEDBACK_HEADER,
        [["XC-002", "人事处", "推进中", "复查发现遗漏", "", "", dt.date(2026, 6, 20)]],
    )
    texts = paragraphs(brief(workspace, dt.date(2026, 6, 22), out))
    change = after(texts, "较上期")
    assert "没有新增完成的举措；完成率由33.3%下降到16.7%，下降16.6个百分点。" in change
    assert "XC-002上期为已完成，本期有部门反馈尚未完成，已重新计为未完成" in change


def test_nothing_late_and_everything_done(tmp_path):
    """Every department reports every measure done before its deadline."""
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
        "各项举措已全部完成。本期无逾期举措。"
    )
    assert "分专项看，警示教育方面，2项举措已全部完成；以案促改方面，2项举措已全部完成；" in after(
        texts, "分专项看"
    )
    assert "已全部完成。各部门完成情况见表1。" in after(texts, "截至2026年3月10日，4个部门")
    # Every department at 100%: none faster or slower than the others.
    assert not any(t.startswith("按部门完成率排序") for t in texts)
    assert "人事处、办公室、财务处、机关党委承担的任务已全部完成。" in texts
    assert "存在的主要问题" not in "".join(texts)
    headings = [t for t in texts if re.match(r"^[一二三四五]、", t)]
    assert headings == ["一、总体进展", "二、各部门进展情况", "三、下步要求"]
    assert after(texts, "三、下步要求") == "三、下步要求"
    assert texts[texts.index("三、下步要求") + 1] == (
        "局办公室将持续跟踪各项举措进展，并在下期简报中通报。"
    )
    assert len(tables(path)) == 2  # the ranking and the footer: no overdue table


def test_nobody_has_reported(tmp_path):
    workspace = make_workspace(tmp_path / "ws", feedback={})
    path = brief(workspace, dt.date(2026, 3, 10), tmp_path / "out")
    assert_clean(path)
    texts = paragraphs(path)
    assert "截至2026年3月10日，承担任务的4个部门中，尚无部门报送反馈表。" in texts[4]
    overall = after(texts, "截至2026年3月10日，警示教育")
    assert "其中尚无已完成的举措；未反馈6项。" in overall
    assert "尚无已完成的任务" in after(texts, "截至2026年3月10日，4个部门")
    assert "有4个部门尚未报送反馈表，分别是人事处、办公室、财务处、机关党委" in after(
        texts, "（一）"
    )


def test_fastest_and_slowest_are_cut_fairly():
    from docgen.aggregation import Counts, DepartmentProgress

    def department(name, done, total=10, overdue=0):
        counts = Counts(total=total, done=done, overdue=overdue)
        return DepartmentProgress(name, "", "", 0, counts, sent_nothing=False)

    ranked = [
        department("甲", 9),
        department("乙", 8, overdue=1),  # fast but overdue: not named as fast
        department("丙", 7),
        department("丁", 7),
        department("戊", 6),
        department("己", 5),
        department("庚", 4),
        department("辛", 2),
        department("壬", 0),
        department("癸", 0),
    ]
    fast, slow = ranked_extremes(ranked, average=0.5, named=3)
    assert [d.name for d in fast] == ["甲", "丙", "丁"]
    assert [d.name for d in slow] == ["癸", "壬", "辛"]
    # A tie at the cut is named whole when it fits in twice the number named...
    fast, _ = ranked_extremes(ranked, average=0.5, named=2)
    assert [d.name for d in fast] == ["甲", "丙", "丁"]
    # ...and left out when it does not.
    many = [department(f"部门{i}", 8) for i in range(5)] + [department("末", 0)]
    fast, slow = ranked_extremes([department("首", 9), *many], average=0.5, named=2)
    assert [d.name for d in fast] == ["首"]
    assert [d.name for d in slow] == ["末"]


def test_sample_brief_passes_the_checker(tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "inputs"
    workspace = tmp_path / "inputs"
    shutil.copytree(sample, workspace, ignore=shutil.ignore_patterns(".docgen"))
    brief(workspace, dt.date(2026, 11, 20), tmp_path / "out")
    path = brief(workspace, dt.date(2026, 11, 26), tmp_path / "out")
    assert path.name == "督导简报（第2期）.docx"
    assert_clean(path)
    texts = paragraphs(path)
    # As `docgen status` shows for 2026-11-26: 165 measures, 92 done, 55.8%, 6 overdue.
    overall = after(texts, "截至2026年11月26日，警示教育")
    assert "共分解举措165项，涉及26个部门。其中已完成92项，完成率55.8%" in overall
    assert "已超过完成时限仍未完成的举措6项" in overall
    assert "较上期（第1期，2026年11月20日）" in after(texts, "较上期")
    assert "有3个部门尚未报送反馈表，分别是梅岭分局、资本市场处、离退休干部党支部" in "".join(texts)
    ranking = tables(path)[0]
    assert len(ranking) == 27  # header and 26 departments


def test_hostile_text_reaches_the_page_as_written(tmp_path):
    from conftest import SMALL_MEASURES

    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][3] = "整改 A&B <接待> “超标准”问题"  # XC-001, overdue
    workspace = make_workspace(tmp_path / "ws", measures=measures)
    path = brief(workspace, SMALL_AS_OF, tmp_path / "out")
    assert check_document(path) == []
    overdue = tables(path)[1]
    assert overdue[1][1] == "整改 A&B <接待> “超标准”问题"


def test_a_long_overdue_list_is_cut_to_the_longest_overdue(tmp_path):
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
    text = paragraphs(path)
    assert any(
        "有26项举措已超过完成时限仍未完成（逾期时间最长的20项见表2，全部见整改台账）" in t
        for t in text
    ), text
    overdue = next(t for t in tables(path) if t[0][0] == "编号")
    days = [int(row[-2].rstrip("天")) for row in overdue[1:]]
    assert len(days) == 20 and days == sorted(days, reverse=True)
    assert days[-1] == 56  # the 25 extra measures and XC-001: the 6 least overdue left out
