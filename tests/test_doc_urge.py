"""催办通知 read back from the .docx: which notice each department gets (催报, 督促, 督办 or a
提醒) and when, how the rounds escalate, how the tone follows role and lateness, the cited
deadlines and notice, the contact line, and that count() agrees with the files written.

The small campaign of conftest.py (see tests/test_aggregation.py):
  办公室   the issuing office (局办公室): never urged
  机关党委 JS-02 推进中 (lead; deadline 6-30)
  人事处   JS-02 done, YA-001 推进中 (lead; deadline 6-20), XC-002 done
  财务处   nothing sent: YA-001 (配合, 6-20), YA-002 (lead, 长期坚持), XC-001 (配合, 5-31)
As of 2026-06-15 only 财务处 is late with a measure (XC-001, 15 days); its missing return is
chased only once a return deadline is configured and has passed.

ROLES below is a campaign for tone, as of 2026-06-15:
  人事处   配合 on R-01 (lead 机关党委, who reports it done; due 6-14): 1 day late
  财务处   牵头 on R-02 (due 2026-01-17): 149 days late
  第一分局 nothing sent, nothing due (R-03, R-04 due at the year's end)
"""

import datetime as dt
import re

import docx
import pytest
from click.testing import CliRunner
from conftest import CONFIG, SMALL_AS_OF, campaign_of, make_workspace

from docgen.build import make_job
from docgen.cli import main
from docgen.documents.urge import DOCUMENT, write_urge_notices
from docgen.official.checking import check_document, format_findings

FORBIDDEN = re.compile(
    r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0(项|个|次|天)"
    r"|XX|××|（\s*）|（…+）|……"
)
CAMPAIGN = "警示教育、以案促改和巡察整改工作"
CHASE_TITLE = "关于催报警示教育、以案促改\n和巡察整改工作自查情况的通知"
CATCH_UP_TITLE = "关于督促加快推进警示教育、以案促改\n和巡察整改工作落实的通知"
REMIND_TITLE = "关于按时报送警示教育、以案促改\n和巡察整改工作自查反馈表的提醒"
FORM_NOTICE = "《关于报送警示教育、以案促改和巡察整改工作进展情况的通知》"
AS_OF = SMALL_AS_OF  # 2026-06-15

ROLES_MEASURES = [
    [
        "R-01",
        "以案促改",
        "",
        "修订公务用车管理办法",
        "制度完善",
        "机关党委",
        "人事处",
        "",
        "2026-06-14",
    ],
    ["R-02", "巡察整改", "1.问题A", "清退违规发放的津补贴", "", "财务处", "", "", "2026-01-17"],
    ["R-03", "警示教育", "", "召开分局警示教育会", "学习反思", "第一分局", "", "", "2026-12-31"],
    ["R-04", "以案促改", "", "开展分局廉政风险排查", "监管履职", "第一分局", "", "", "2026-12-31"],
]
REPORTED = dt.date(2026, 6, 10)
ROLES_FEEDBACK = {
    "人事处.xlsx": [["R-01", "人事处", "推进中", "已起草修订稿", "", "", REPORTED]],
    "机关党委.xlsx": [["R-01", "机关党委", "已完成", "已印发", REPORTED, "文件", REPORTED]],
    "财务处.xlsx": [["R-02", "财务处", "推进中", "已清退部分人员", "", "", REPORTED]],
}


def config(return_deadline: str = "", notice: str = "", contact: str = "", phone: str = "") -> str:
    """conftest's CONFIG with the campaign's return date, the forms' notice and a contact."""
    campaign = "[campaign]\nwarning_days = 7\n"
    if return_deadline:
        campaign += f"return_deadline = {return_deadline}\n"
    if notice:
        campaign += f'form_notice = "{notice}"\n'
    organisation = '[organisation]\nname = "江淮省测试局"\n'
    if contact:
        organisation += f'contact = "{contact}"\n'
    if phone:
        organisation += f'phone = "{phone}"\n'
    text = CONFIG.replace("[campaign]\nwarning_days = 7\n", campaign)
    return text.replace('[organisation]\nname = "江淮省测试局"\n', organisation)


def roles_workspace(tmp_path, **settings):
    return make_workspace(
        tmp_path / "ws", ROLES_MEASURES, ROLES_FEEDBACK, config=config(**settings)
    )


def notices(workspace, as_of, out, **options) -> dict:
    """Write the notices as of a date: {department: path}. Checks that count() said how many,
    that left_out() gives a reason exactly when none is written, and that progress was told."""
    told = []
    campaign = campaign_of(workspace, as_of)
    job = make_job(
        campaign,
        out / as_of.isoformat(),
        dt.datetime.combine(as_of, dt.time(9)),
        progress=told.append,
    )
    paths = write_urge_notices(job, **options)
    assert told == [1] * len(paths)
    assert DOCUMENT.count(campaign.summary, campaign.settings) == len(paths)
    assert bool(DOCUMENT.left_out(campaign.summary, campaign.settings, False)) == (not paths)
    for path in paths:
        assert_clean(path)
    return {p.stem.split("_", 1)[1]: p for p in paths}


def left_out(workspace, as_of) -> str:
    campaign = campaign_of(workspace, as_of)
    return DOCUMENT.left_out(campaign.summary, campaign.settings, False)


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def text(path) -> str:
    return "\n".join(paragraphs(path))


def table(path) -> list[list[str]]:
    [items] = docx.Document(str(path)).tables
    return [[c.text for c in row.cells] for row in items.rows]


def assert_clean(path):
    findings = check_document(path)
    assert findings == [], format_findings(findings, path.name)
    for line in paragraphs(path) + [c for row in table(path) for c in row]:
        assert not FORBIDDEN.search(line), line


@pytest.fixture
def workspace(tmp_path):
    return make_workspace(tmp_path / "ws")


# --- which notice, and to whom ---------------------------------------------------------------


def test_the_office_urges_nobody_of_itself_and_only_late_work_is_urged(workspace, tmp_path):
    written = notices(workspace, AS_OF, tmp_path / "out")
    # 办公室 is late with XC-001 but issues the notices; 人事处 and 机关党委 are not late; no
    # return deadline is configured, so 财务处 is urged for its overdue measure only.
    assert sorted(written) == ["财务处"]
    path = written["财务处"]
    assert path.name == "催办通知_财务处.docx"
    texts = paragraphs(path)
    assert texts[0] == CATCH_UP_TITLE
    assert texts[1] == "财务处："
    assert texts[2] == (
        f"按照中共江淮省测试局党组关于{CAMPAIGN}的部署要求，"
        "各部门应在任务清单确定的完成时限内完成承担的举措。"
    )
    assert texts[3] == (
        "截至2026年6月15日，局办公室尚未收到你部门的自查反馈表；你部门承担的3项任务中，"
        "配合落实的1项已超过完成时限，未报送完成情况，已逾期15天。具体如下："
    )
    # Only the overdue measure: nothing asks for a return that has no deadline.
    assert table(path) == [
        ["编号", "具体举措", "分工", "原定完成时限", "逾期天数", "状态"],
        ["XC-001", "整改公务接待不规范问题", "配合", "2026年5月31日", "15天", "未反馈"],
    ]
    assert "催报" not in text(path)


def test_catch_up_and_chase_titles_per_department(tmp_path):
    workspace = roles_workspace(tmp_path, return_deadline="2026-06-10", notice=FORM_NOTICE)
    written = notices(workspace, AS_OF, tmp_path / "out")
    assert sorted(written) == ["人事处", "第一分局", "财务处"]  # 机关党委 reported R-01 done
    assert paragraphs(written["人事处"])[0] == CATCH_UP_TITLE
    assert paragraphs(written["财务处"])[0] == CATCH_UP_TITLE
    # 第一分局 returned nothing five days after the deadline: 催报, not 督促.
    chased = paragraphs(written["第一分局"])
    assert chased[0] == CHASE_TITLE
    assert chased[2] == f"按照{FORM_NOTICE}要求，各部门应于2026年6月10日前报送自查反馈表。"
    assert chased[3] == (
        "截至2026年6月15日，局办公室尚未收到你部门的自查反馈表，已超过报送截止日期5天。"
        "你部门承担的2项任务均未报送进展情况。具体如下："
    )
    assert chased[4] == "请你部门于2026年6月22日前完成以下工作："
    assert chased[5] == "按要求填写自查反馈表，逐项报送完成状态、进展情况和佐证材料。"
    assert "届时仍未报送的，局办公室将在督导简报中通报。" in chased
    assert [row[3:] for row in table(written["第一分局"])[1:]] == [
        ["2026年12月31日", "未到期", "未反馈"],
        ["2026年12月31日", "未到期", "未反馈"],
    ]
    # The measures' notices cite the notice and the return date too, and each deadline.
    late = paragraphs(written["财务处"])
    assert late[2] == (
        f"按照中共江淮省测试局党组关于{CAMPAIGN}的部署要求，各部门应在任务清单确定的完成时限内"
        f"完成承担的举措；按照{FORM_NOTICE}要求，各部门应于2026年6月10日前报送自查反馈表。"
    )
    assert table(written["财务处"])[1] == [
        "R-02",
        "清退违规发放的津补贴",
        "牵头",
        "2026年1月17日",
        "149天",
        "推进中",
    ]


def test_without_a_form_notice_the_date_alone_is_cited(tmp_path):
    workspace = roles_workspace(tmp_path, return_deadline="2026-06-10")
    chased = paragraphs(notices(workspace, AS_OF, tmp_path / "out")["第一分局"])
    assert chased[2] == (
        "按照自查反馈表的填报要求，各部门应于2026年6月10日前将自查反馈表报送局办公室。"
    )
    assert "《" not in "".join(chased)


def test_tone_follows_role_and_lateness(tmp_path):
    """A co-operating department one day late and a lead department 149 days late: different
    facts, different tone, the same first round."""
    written = notices(roles_workspace(tmp_path), AS_OF, tmp_path / "out")
    assert sorted(written) == ["人事处", "财务处"]  # 第一分局: no return date, nothing due
    helper, lead = paragraphs(written["人事处"]), paragraphs(written["财务处"])
    assert helper[3] == (
        "截至2026年6月15日，你部门配合落实的1项举措已超过完成时限仍未完成，已逾期1天。具体如下："
    )
    assert helper[4] == (
        "逾期举措的牵头部门为机关党委，请你部门主动衔接配合，于2026年6月22日前完成以下工作："
    )
    assert helper[5].startswith("对逾期举措逐项报送你部门承担部分的最新进展")
    assert lead[3] == (
        "截至2026年6月15日，你部门牵头落实的1项举措已超过完成时限仍未完成，已逾期149天。具体如下："
    )
    assert lead[4] == ("请你部门高度重视，主要负责同志亲自过问，于2026年6月22日前完成以下工作：")
    assert "高度重视" not in text(written["人事处"])
    assert "主要负责同志" not in text(written["人事处"])
    # Same round, same consequence: the round decides it, not the tone.
    for texts in (helper, lead):
        assert texts[-5].endswith("届时仍未落实的，局办公室将在督导简报中通报。")


def test_a_lead_department_a_little_late_is_asked_to_hurry(workspace, tmp_path):
    written = notices(workspace, dt.date(2026, 6, 22), tmp_path / "out")
    assert sorted(written) == ["人事处", "财务处"]
    texts = paragraphs(written["人事处"])  # YA-001, lead, 2 days late
    assert "牵头落实的1项已超过完成时限仍未完成，已逾期2天" in texts[3]
    assert texts[4] == "请你部门抓紧推进，于2026年6月29日前完成以下工作："


# --- rounds ------------------------------------------------------------------------------------


def test_rounds_escalate_and_a_rerun_keeps_the_round(workspace, tmp_path):
    out = tmp_path / "out"
    first = notices(workspace, AS_OF, out)["财务处"]
    again = notices(workspace, AS_OF, out)["财务处"]  # same date: still round 1
    for path in (first, again):
        joined = text(path)
        assert "此前" not in joined and "本通知为第" not in joined
        assert "确因客观原因不能按期完成的，请书面说明原因及预计完成时间。" in joined
        assert "纳入年度考核" not in joined and "约谈" not in joined

    second = paragraphs(notices(workspace, dt.date(2026, 6, 22), out)["财务处"])
    joined = "".join(second)
    assert second[0] == "关于再次督促加快推进警示教育、以案促改\n和巡察整改工作落实的通知"
    assert second[2].endswith("此前，局办公室已就有关事项向你部门催办1次。")
    assert "写明未按期完成的原因、整改措施和预计完成时间" in joined
    assert "报送材料须经部门主要负责同志审核签字，以部门名义报送局办公室。" in second
    assert (
        "本通知为第2次催办。届时仍未落实的，局办公室将在督导简报中通报，并将有关情况纳入年度考核。"
    ) in second
    assert "约谈" not in joined
    # Round 2 is firm even for a co-operating department, which is still sent to its lead.
    assert "逾期举措的牵头部门为人事处、办公室，请你部门抓紧推进，主动衔接配合，" in joined

    third = paragraphs(notices(workspace, dt.date(2026, 6, 29), out)["财务处"])
    joined = "".join(third)
    assert third[0] == "关于对警示教育、以案促改和巡察整改工作\n逾期未完成事项进行督办的通知"
    assert third[2].endswith("此前，局办公室已就有关事项向你部门催办2次。")
    assert "请你部门高度重视，主要负责同志亲自过问，" in joined
    assert "二是部门主要负责同志就未按要求落实的原因向局办公室作出书面说明。" in third
    assert (
        "本通知为第3次催办。届时仍未落实的，局办公室将报请中共江淮省测试局党组"
        "约谈部门主要负责同志，并将有关情况纳入年度考核。"
    ) in third

    fourth = notices(workspace, dt.date(2026, 7, 6), out)["财务处"]
    assert "本通知为第4次催办" in text(fourth)


def test_a_return_chased_round_by_round(tmp_path):
    workspace = roles_workspace(tmp_path, return_deadline="2026-06-10")
    out = tmp_path / "out"
    notices(workspace, AS_OF, out)
    second = paragraphs(notices(workspace, dt.date(2026, 6, 22), out)["第一分局"])
    assert second[0] == "关于再次催报警示教育、以案促改\n和巡察整改工作自查情况的通知"
    assert "已超过报送截止日期12天" in second[3]
    assert second[4] == "请你部门抓紧填报，于2026年6月29日前完成以下工作："
    assert "二是书面说明未按时报送自查反馈表的原因。" in second
    assert "本通知为第2次催办。届时仍未报送的" in "".join(second)
    third = paragraphs(notices(workspace, dt.date(2026, 6, 29), out)["第一分局"])
    assert third[0] == "关于对逾期未报送警示教育、以案促改\n和巡察整改工作自查情况进行督办的通知"
    assert "二是部门主要负责同志就未按要求报送的原因向局办公室作出书面说明。" in third
    assert "约谈部门主要负责同志" in "".join(third)


# --- dates: nothing before the reminder window, a reminder in it, 催报 after the deadline ----


def first_day_workspace(tmp_path, **settings):
    """Day one of a campaign: nothing due before the year's end, no form back yet."""
    measures = [row[:-1] + ["2026-12-31"] for row in ROLES_MEASURES]
    return make_workspace(tmp_path / "ws", measures, {}, config=config(**settings))


def test_no_notice_before_the_reminder_window(tmp_path):
    workspace = first_day_workspace(tmp_path, return_deadline="2026-03-20")
    assert notices(workspace, dt.date(2026, 3, 1), tmp_path / "out") == {}
    assert not (tmp_path / "out" / "2026-03-01").exists()
    reason = left_out(workspace, dt.date(2026, 3, 1))
    assert reason.startswith("没有逾期举措，也没有超过报送截止日期未报送的部门")
    assert "2026年3月20日" in reason and "3月17日起提醒" in reason
    assert notices(workspace, dt.date(2026, 3, 16), tmp_path / "out") == {}


def test_a_reminder_in_the_window_before_the_deadline(tmp_path):
    workspace = first_day_workspace(tmp_path, return_deadline="2026-03-20", notice=FORM_NOTICE)
    written = notices(workspace, dt.date(2026, 3, 17), tmp_path / "out")
    assert sorted(written) == ["人事处", "机关党委", "第一分局", "财务处"]
    texts = paragraphs(written["第一分局"])
    assert texts[0] == REMIND_TITLE
    assert texts[2] == f"按照{FORM_NOTICE}要求，各部门应于2026年3月20日前报送自查反馈表。"
    assert texts[3] == (
        "截至2026年3月17日，局办公室尚未收到你部门的自查反馈表，你部门承担的2项任务"
        "均未报送进展情况。具体如下："
    )
    assert texts[4].startswith("距报送截止还有3天，请你部门按时报送自查反馈表")
    assert texts[5] == "特此提醒。"
    joined = text(written["第一分局"])
    for word in ("催报", "督促", "督办", "督导简报", "考核", "约谈", "高度重视", "催办"):
        assert word not in joined
    on_the_day = paragraphs(notices(workspace, dt.date(2026, 3, 20), tmp_path / "out")["财务处"])
    assert on_the_day[4].startswith("今天是报送截止日期，请你部门按时报送自查反馈表")


def test_a_reminder_claims_no_round(tmp_path):
    workspace = first_day_workspace(tmp_path, return_deadline="2026-03-20")
    out = tmp_path / "out"
    notices(workspace, dt.date(2026, 3, 17), out)
    notices(workspace, dt.date(2026, 3, 19), out)
    chased = paragraphs(notices(workspace, dt.date(2026, 3, 21), out)["第一分局"])
    assert chased[0] == CHASE_TITLE  # round 1, not 再次
    assert "此前" not in "".join(chased)
    assert "已超过报送截止日期1天" in chased[3]


def test_without_a_return_deadline_no_return_is_chased(tmp_path):
    workspace = first_day_workspace(tmp_path)
    assert notices(workspace, dt.date(2026, 11, 1), tmp_path / "out") == {}
    reason = left_out(workspace, dt.date(2026, 11, 1))
    assert "return_deadline" in reason and "不予催报" in reason


def test_overdue_measures_are_urged_before_the_return_deadline(tmp_path):
    """财务处 is 149 days late with R-02 although the forms are due back in a week: urged now;
    第一分局, which only has its return to send, is not reminded yet."""
    workspace = roles_workspace(tmp_path, return_deadline="2026-06-22")
    assert sorted(notices(workspace, AS_OF, tmp_path / "out")) == ["人事处", "财务处"]


def test_late_measures_beside_a_return_still_ahead(tmp_path):
    """In the reminder window a department late with a measure is urged for it and reminded of
    the return, each by its own date."""
    workspace = make_workspace(
        tmp_path / "ws", config=config(return_deadline="2026-06-17")
    )  # 财务处 has sent nothing; XC-001 is 15 days late
    texts = paragraphs(notices(workspace, AS_OF, tmp_path / "out")["财务处"])
    assert texts[0] == CATCH_UP_TITLE
    assert "此外，你部门尚有2项任务未报送进展情况，请于2026年6月17日前按时报送自查反馈表。" in texts


def test_the_build_on_day_one_writes_no_notice_and_says_why(tmp_path):
    workspace = first_day_workspace(tmp_path, return_deadline="2026-03-20")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(workspace), "--out", str(out), "--as-of", "2026-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert not (out / "2026-03-01" / "催办通知").exists()
    assert "未生成催办通知：没有逾期举措，也没有超过报送截止日期未报送的部门" in result.output


# --- the contact line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {"contact": "王某某", "phone": "0551-62345678"},
            "（联系人：王某某，联系电话：0551-62345678）",
        ),
        ({"contact": "王某某"}, "（联系人：王某某）"),
        ({"phone": "0551-62345678"}, "（联系单位：局办公室，联系电话：0551-62345678）"),
        ({}, "（联系单位：局办公室）"),
    ],
)
def test_contact_line(tmp_path, settings, line):
    written = notices(roles_workspace(tmp_path, **settings), AS_OF, tmp_path / "out")
    for path in written.values():
        texts = paragraphs(path)
        assert texts[-1] == line
        assert texts[-2].strip() == "2026年6月15日"


# --- options -----------------------------------------------------------------------------------


def test_new_deadline_days(workspace, tmp_path):
    path = notices(workspace, AS_OF, tmp_path / "out", new_deadline_days=3)["财务处"]
    assert "于2026年6月18日前完成以下工作" in text(path)


def test_a_long_list_goes_to_the_attachment(tmp_path):
    measures = ROLES_MEASURES + [
        [f"R-1{n}", "以案促改", "", f"分局整改事项{n}", "", "第一分局", "", "", "2026-12-31"]
        for n in range(5)
    ]
    workspace = make_workspace(
        tmp_path / "ws", measures, ROLES_FEEDBACK, config=config(return_deadline="2026-06-10")
    )
    path = notices(workspace, AS_OF, tmp_path / "out")["第一分局"]
    texts = paragraphs(path)
    assert texts[3].endswith("你部门承担的7项任务均未报送进展情况（见附件）。")
    assert "附件：第一分局未报送进展情况的任务清单" in texts
    # The attachment after the signature, the date and the contact line.
    at = texts.index("附件")
    assert texts[at - 1] == "（联系单位：局办公室）"
    assert texts[at + 1] == "第一分局未报送进展情况的任务清单"
    assert len(table(path)) == 1 + 7
    # A short list stays in the body.
    short = paragraphs(
        notices(roles_workspace(tmp_path / "short"), AS_OF, tmp_path / "o")["财务处"]
    )
    assert "附件" not in "".join(short) and short[3].endswith("具体如下：")


def test_a_department_that_returned_nothing_is_chased_for_its_return(tmp_path):
    """财务处 sent nothing and XC-001 is 15 days late: once the return deadline has passed it
    gets a 催报 (its progress is unknown, not known to be undone), which names the late measure."""
    workspace = make_workspace(tmp_path / "ws", config=config(return_deadline="2026-06-10"))
    path = notices(workspace, AS_OF, tmp_path / "out")["财务处"]
    texts = paragraphs(path)
    assert texts[0] == CHASE_TITLE
    assert texts[3] == (
        "截至2026年6月15日，局办公室尚未收到你部门的自查反馈表，已超过报送截止日期5天。"
        "你部门承担的3项任务均未报送进展情况，其中1项已超过完成时限15天。具体如下："
    )
    assert texts[5] == (
        "按要求填写自查反馈表，逐项报送完成状态、进展情况和佐证材料；"
        "已超过完成时限的1项如尚未完成，一并说明预计完成时间。"
    )
    assert [row[0] for row in table(path)[1:]] == ["YA-001", "YA-002", "XC-001"]


def test_no_notice_when_nobody_is_late(tmp_path):
    day = dt.date(2026, 3, 1)
    rows = [
        ("财务处", "YA-001"),
        ("财务处", "YA-002"),
        ("财务处", "XC-001"),
        ("办公室", "JS-01"),
        ("办公室", "JS-02"),
        ("办公室", "XC-001"),
        ("机关党委", "JS-02"),
        ("人事处", "JS-02"),
        ("人事处", "YA-001"),
        ("人事处", "XC-002"),
    ]
    feedback = {"全部.xlsx": [[i, d, "推进中", "", "", "", day] for d, i in rows]}
    workspace = make_workspace(tmp_path / "ws", feedback=feedback)
    assert notices(workspace, dt.date(2026, 3, 10), tmp_path / "out") == {}
    assert left_out(workspace, dt.date(2026, 3, 10)) == "没有逾期举措，也没有未报送的部门"


def test_the_command_says_why_no_notice_is_written(tmp_path):
    workspace = first_day_workspace(tmp_path)
    out = tmp_path / "out"
    args = [
        "report",
        "urge",
        "--inputs",
        str(workspace),
        "--out",
        str(out),
        "--as-of",
        "2026-11-01",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "没有需要催办的部门：" in result.output and "return_deadline" in result.output
    assert not out.exists() or not list(out.rglob("*.docx"))
