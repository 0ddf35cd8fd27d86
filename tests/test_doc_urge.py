"""催办通知 on the small campaign of conftest.py, every number worked out by hand.

Each department's own assignments (see tests/test_aggregation.py):
  办公室   JS-01 done, JS-02 done, XC-001 推进中 (lead; deadline 5-31)
  机关党委 JS-02 推进中 (lead; deadline 6-30)
  人事处   JS-02 done, YA-001 推进中 (lead; deadline 6-20), XC-002 done
  财务处   nothing sent: YA-001 (配合, 6-20), YA-002 (lead, 长期坚持), XC-001 (配合, 5-31)
As of 2026-06-15: 办公室 is late with XC-001 (15 days); 财务处 with everything (XC-001 15 days
overdue, YA-001 not yet due, YA-002 standing). 人事处 and 机关党委 have nothing late: no notice.
As of 6-22: YA-001 (6-20) is overdue too, so 人事处 gets its first notice.
As of 6-29: 机关党委's JS-02 (6-30) is still not due.
"""

import datetime as dt
import re

import docx
import pytest
from conftest import SMALL_AS_OF, SMALL_FEEDBACK, campaign_of, make_workspace

from docgen.build import make_job
from docgen.documents.urge import write_urge_notices
from docgen.official.checking import check_document, format_findings

FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0(项|个|次|天)"
)
CAMPAIGN = "警示教育、以案促改和巡察整改工作"


def notices(workspace, as_of, out, **options) -> dict:
    """Write the notices as of a date; {department: path}, and how many times progress was told."""
    told = []
    job = make_job(
        campaign_of(workspace, as_of),
        out / as_of.isoformat(),
        dt.datetime.combine(as_of, dt.time(9)),
        progress=told.append,
    )
    paths = write_urge_notices(job, **options)
    assert told == [1] * len(paths)
    return {p.stem.split("_", 1)[1]: p for p in paths}


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def table(path) -> list[list[str]]:
    [items] = docx.Document(str(path)).tables
    return [[c.text for c in row.cells] for row in items.rows]


def assert_clean(path):
    findings = check_document(path)
    assert findings == [], format_findings(findings, path.name)
    for text in paragraphs(path) + [c for row in table(path) for c in row]:
        assert not FORBIDDEN.search(text), text


@pytest.fixture
def workspace(tmp_path):
    return make_workspace(tmp_path / "ws")


def test_one_notice_per_late_department(workspace, tmp_path):
    written = notices(workspace, SMALL_AS_OF, tmp_path / "out")
    assert sorted(written) == ["办公室", "财务处"]  # not 人事处 or 机关党委: nothing late
    assert written["办公室"].name == "催办通知_办公室.docx"
    for path in written.values():
        assert_clean(path)


def test_first_notice_for_overdue_work(workspace, tmp_path):
    path = notices(workspace, SMALL_AS_OF, tmp_path / "out")["办公室"]
    texts = paragraphs(path)
    assert texts[0] == "关于督促加快推进警示教育、以案促改\n和巡察整改工作落实的通知"
    assert texts[1] == "办公室："
    assert texts[2] == (
        f"按照中共江淮省测试局党组关于{CAMPAIGN}的部署要求，各部门应按照任务清单确定的时限"
        "完成承担的举措，并按时报送自查反馈表。"
    )
    assert texts[3] == (
        "截至2026年6月15日，你部门承担的3项任务中，有1项已超过完成时限仍未完成。具体如下："
    )
    assert table(path) == [
        ["编号", "具体举措", "分工", "原定完成时限", "逾期天数", "状态"],
        ["XC-001", "整改公务接待不规范问题", "牵头", "2026年5月31日", "15天", "推进中"],
    ]
    # One requirement only: no 一是. The new deadline is 7 days after the as-of date.
    assert texts[4] == "请你部门高度重视，于2026年6月22日前完成以下工作："
    assert texts[5].startswith("对逾期任务逐项说明未按期完成的原因")
    assert texts[6] == "报送材料须经部门主要负责同志审核，以部门名义报送局办公室。"
    # Round 1: a reminder, no sanction.
    assert texts[7] == (
        "确因客观原因不能按期完成的，请书面说明原因及预计完成时间。局办公室将对上述事项持续跟踪。"
    )
    assert texts[8] == "特此通知。"
    assert texts[9].strip() == "江淮省测试局办公室"
    assert texts[10].strip() == "2026年6月15日"
    assert not any(w in "".join(texts) for w in ("督导简报", "约谈", "年度考核", "催办1次"))


def test_a_department_that_sent_nothing(workspace, tmp_path):
    path = notices(workspace, SMALL_AS_OF, tmp_path / "out")["财务处"]
    texts = paragraphs(path)
    assert texts[0].startswith("关于督促加快推进")  # XC-001 is overdue: 督促, not only 催报
    assert texts[3] == (
        "截至2026年6月15日，你部门尚未报送自查反馈表，承担的3项任务均未报送进展情况，"
        "其中1项已超过完成时限。具体如下："
    )
    assert table(path)[1:] == [
        ["YA-001", "修订选人用人制度", "配合", "2026年6月20日", "未到期", "未反馈"],
        ["YA-002", "落实财务审批双签制度", "牵头", "长期坚持", "—", "未反馈"],
        ["XC-001", "整改公务接待不规范问题", "配合", "2026年5月31日", "15天", "未反馈"],
    ]
    assert texts[5].startswith("一是对逾期任务逐项说明")
    assert texts[6].startswith("二是对未报送进展的任务逐项填写自查反馈表")


def test_new_deadline_days(workspace, tmp_path):
    path = notices(workspace, SMALL_AS_OF, tmp_path / "out", new_deadline_days=3)["办公室"]
    assert "于2026年6月18日前完成以下工作" in "".join(paragraphs(path))


def test_rounds_escalate_and_a_rerun_keeps_the_round(workspace, tmp_path):
    out = tmp_path / "out"
    notices(workspace, SMALL_AS_OF, out)
    again = notices(workspace, SMALL_AS_OF, out)["办公室"]  # same date: still round 1
    assert "持续跟踪" in "".join(paragraphs(again))
    assert "此前" not in "".join(paragraphs(again))

    second = notices(workspace, dt.date(2026, 6, 22), out)
    assert sorted(second) == ["人事处", "办公室", "财务处"]
    texts = paragraphs(second["办公室"])
    assert texts[0] == "关于再次督促加快推进警示教育、以案促改\n和巡察整改工作落实的通知"
    assert texts[2].endswith("此前，局办公室已就有关事项向你部门催办1次。")
    assert "截至2026年6月22日，你部门承担的3项任务中，有1项已超过完成时限仍未完成。" in texts[3]
    assert table(second["办公室"])[1][4] == "22天"
    assert (
        "本通知为第2次催办，届时仍未落实的，局办公室将在下一期督导简报中列出部门名称和有关事项。"
        in "".join(texts)
    )
    assert "约谈" not in "".join(texts)
    # 人事处 is late for the first time: round 1.
    first = paragraphs(second["人事处"])
    assert first[0].startswith("关于督促加快推进")
    assert table(second["人事处"])[1] == [
        "YA-001",
        "修订选人用人制度",
        "牵头",
        "2026年6月20日",
        "2天",
        "推进中",
    ]

    third = notices(workspace, dt.date(2026, 6, 29), out)
    assert sorted(third) == ["人事处", "办公室", "财务处"]  # 机关党委's JS-02 is due 6-30
    texts = paragraphs(third["办公室"])
    assert texts[0] == "关于对警示教育、以案促改和巡察整改工作\n逾期未完成事项进行督办的通知"
    assert texts[2].endswith("此前，局办公室已就有关事项向你部门催办2次。")
    joined = "".join(texts)
    assert "部门主要负责同志就未按要求落实的原因向局办公室作出书面说明。" in joined
    assert (
        "本通知为第3次催办，届时仍未落实的，局办公室将报请中共江淮省测试局党组"
        "约谈部门主要负责同志，并将有关情况纳入年度考核。"
    ) in joined
    # Two requirements now, numbered: the overdue work and the head's explanation.
    assert [t[:2] for t in texts if t[:2] in ("一是", "二是", "三是")] == ["一是", "二是"]
    assert "再次督促" in paragraphs(third["人事处"])[0]  # 人事处's second round
    for path in third.values():
        assert_clean(path)

    fourth = notices(workspace, dt.date(2026, 7, 6), out)
    assert "本通知为第4次催办" in "".join(paragraphs(fourth["办公室"]))


def test_only_unreported_is_a_reminder_to_report(tmp_path):
    """As of 3-10 nothing is past its deadline; 财务处 has sent nothing: 催报, not 督促.

    The forms carry no 填报日期 here, so they count whatever the as-of date (a dated form would
    only count from its date on).
    """
    undated = {name: [[*row[:-1], None] for row in rows] for name, rows in SMALL_FEEDBACK.items()}
    workspace = make_workspace(tmp_path / "ws", feedback=undated)
    out = tmp_path / "out"
    written = notices(workspace, dt.date(2026, 3, 10), out)
    assert sorted(written) == ["财务处"]
    texts = paragraphs(written["财务处"])
    assert texts[0] == "关于催报警示教育、以案促改\n和巡察整改工作自查情况的通知"
    assert texts[3] == (
        "截至2026年3月10日，你部门尚未报送自查反馈表，承担的3项任务均未报送进展情况。具体如下："
    )
    assert [row[4] for row in table(written["财务处"])[1:]] == ["未到期", "—", "未到期"]
    assert texts[5].startswith("对未报送进展的任务逐项填写自查反馈表")  # the only requirement
    assert_clean(written["财务处"])
    again = notices(workspace, dt.date(2026, 3, 17), out)
    texts = paragraphs(again["财务处"])
    assert texts[0] == "关于再次催报警示教育、以案促改\n和巡察整改工作自查情况的通知"
    assert "届时仍未报送的，局办公室将在下一期督导简报中列出部门名称和有关事项。" in "".join(texts)


def test_return_deadline_from_settings(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    config = workspace / "docgen.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            "warning_days = 7", "warning_days = 7\nreturn_deadline = 2026-06-10"
        ),
        "utf-8",
    )
    path = notices(workspace, SMALL_AS_OF, tmp_path / "out")["财务处"]
    assert "并于2026年6月10日前报送自查反馈表。" in paragraphs(path)[2]


def test_no_notice_when_nobody_is_late(tmp_path):
    feedback = {
        "财务处.xlsx": [
            ["YA-001", "财务处", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["YA-002", "财务处", "长期坚持", "", "", "", dt.date(2026, 3, 1)],
            ["XC-001", "财务处", "推进中", "", "", "", dt.date(2026, 3, 1)],
        ],
        "其他.xlsx": [
            ["JS-01", "办公室", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["JS-02", "机关党委", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["JS-02", "办公室", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["JS-02", "人事处", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["YA-001", "人事处", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["XC-001", "办公室", "推进中", "", "", "", dt.date(2026, 3, 1)],
            ["XC-002", "人事处", "推进中", "", "", "", dt.date(2026, 3, 1)],
        ],
    }
    workspace = make_workspace(tmp_path / "ws", feedback=feedback)
    assert notices(workspace, dt.date(2026, 3, 10), tmp_path / "out") == {}
    assert not (tmp_path / "out" / "2026-03-10").exists()
