"""自查报告 on the small campaign of conftest.py, every number worked out by hand.

As of 2026-06-15 (see tests/test_aggregation.py for the statuses):
  JS-01 警示教育 学习反思 办公室           已完成 (3-20, 会议纪要)
  JS-02 警示教育 学习反思 机关党委+办公室+人事处 推进中 (机关党委 推进中; 办公室, 人事处 已完成), 6-30
  YA-001 以案促改 制度完善 人事处+财务处    推进中 (财务处 silent), 6-20: due in 5 days
  YA-002 以案促改 机制建设 财务处           未反馈, 长期坚持
  XC-001 巡察整改 问题A 办公室+财务处       推进中 (财务处 silent), 5-31: 15 days overdue
  XC-002 巡察整改 问题A 人事处              已完成 (6-11, 腾退清单)
Totals: 6 measures, 4 departments; done 2, doing 3, unreported 1; rate 2/6 = 33.3%;
overdue 1, due soon 1. Streams: 警示教育 1/2 = 50.0%, 以案促改 0/2, 巡察整改 1/2 = 50.0%.
Aspects: 学习反思 1 of 2, 机制建设 0 of 1, 制度完善 0 of 1 (the XC rows name none).
财务处 has sent nothing. New date for an overdue item: 6-15 + 30 days = 7-15; departments asked
to report within a week, as the urging notices ask: 6-22.
"""

import datetime as dt
import re
from dataclasses import replace

import docx
import pytest
from click.testing import CliRunner
from conftest import (
    CONFIG,
    SMALL_AS_OF,
    SMALL_FEEDBACK,
    SMALL_MEASURES,
    campaign_of,
    make_workspace,
)
from docx.oxml.ns import qn

from docgen import build
from docgen.cli import main
from docgen.documents.base import FULL, Job
from docgen.documents.department_report import (
    write_department_report,
    write_department_reports,
)
from docgen.documents.party_report import write_party_report
from docgen.documents.year_end import write_year_end
from docgen.errors import DocgenError
from docgen.official.checking import check_document, format_findings

ADDRESSEES = """
[addressees]
superior = "中共江淮省纪委监委"
copy_to = ["驻局纪检监察组"]
lead_office = "局以案促改工作领导小组办公室"
"""
SIGNER = '\n[organisation]\nname = "江淮省测试局"\ndoc_prefix = "江测党组发"\nsigner = "张立"\n'

# An issuing office other than the department 办公室, so that 办公室 writes a report of its own.
OFFICE_ELSEWHERE = (
    CONFIG.replace('name = "江淮省测试局"\n', 'name = "江淮省测试局"\noffice = "局综合办"\n', 1)
    + '\n[addressees]\nsuperior = "中共江淮省纪委监委"\n'
)


def make_job(root, as_of=SMALL_AS_OF, progress=None, **options) -> Job:
    campaign = campaign_of(root, as_of)  # raises ValidationFailed on any error
    assert campaign.inputs.report.errors == []
    return build.make_job(
        campaign, root.parent / "out", dt.datetime(2026, 6, 15, 9), progress=progress, **options
    )


@pytest.fixture
def job(tmp_path) -> Job:
    return make_job(make_workspace(tmp_path / "ws", config=CONFIG + ADDRESSEES))


def texts(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def after(lines: list[str], heading: str, count: int) -> list[str]:
    start = lines.index(heading) + 1
    return lines[start : start + count]


def assert_clean(path) -> None:
    """Passes the GB/T 9704 checker; no leftovers, no ISO dates, no zero counts."""
    findings = check_document(path)
    assert findings == [], format_findings(findings, path)
    document = docx.Document(str(path))
    everything = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    for text in everything:
        for bad in ("nan", "None", "NaT", "{{", "{%", "_x00"):
            assert bad not in text, text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
        assert not re.search(r"(?<![\d.])0(项|个|天|人|次|\.0%)", text), text


# --- the bureau's report ---------------------------------------------------------------------


def test_bureau_report_text(job):
    """The report a party group reads in ten minutes: each measure named once in the body, the
    inspection problem in one paragraph naming its unfinished measures, part four by group."""
    [path] = write_party_report(job)
    assert_clean(path)
    lines = texts(path)
    assert lines[1] == "中共江淮省纪委监委："
    body = lines[: lines.index("特此报告。")]
    # The inspection problems in a part of their own, each headed once (问题 not doubled),
    # its unfinished measures named with their state; the completion as reported.
    assert after(lines, "二、巡察反馈问题整改情况", 2) == [
        "1.关于“问题A”问题的整改",
        "2项整改措施中已报告完成1项，其余XC-001（办公室牵头，逾期15天）已超过完成时限。",
    ]
    # Highlights say what was achieved, in the department's own words; a stream is called
    # advancing (not praised) at half done with an item overdue.
    assert after(lines, "三、主要做法和成效", 2) == [
        "一是学习反思方面取得阶段性进展。该方面2项举措中已完成1项。如办公室已召开大会。",
        "二是巡察整改方面取得阶段性进展。该方面2项举措中已完成1项，另有1项逾期，"
        "整改情况见本报告第二部分。",
    ]
    # XC-001 is overdue and already named under its problem: counted, not named again.
    assert after(lines, "四、存在的问题", 3) == [
        "（一）部分举措逾期未完成。截至2026年6月15日，有1项举措超过完成时限仍未完成，"
        "已在上文列明。",
        "（二）部分部门自查情况报送不完整。截至2026年6月15日，财务处尚未报送。"
        "1项举措尚无任何部门反馈进展：YA-002（财务处牵头）。",
        "（三）部分举措临近完成时限。1项举措将在7日内到期，目前仍在推进："
        "YA-001（人事处牵头，2026年6月20日到期）。",
    ]
    # Part four by group, no measure named; a count under another label carries its qualifier.
    assert after(lines, "五、下一步打算", 3) == [
        "（一）加快推进逾期举措。对超过完成时限的1项举措，仍在推进的1项由牵头部门查明滞后原因、"
        "倒排工期，于2026年7月15日前完成。各项时限见附件2。",
        "（二）按期完成推进中的举措。有完成时限且尚未到期的2项推进中举措按计划推进、按期完成。",
        "（三）督促补报自查情况。由局以案促改工作领导小组办公室督促财务处"
        "于2026年6月22日前补报自查反馈表。",
    ]
    for measure_id in ("JS-01", "JS-02", "YA-001", "YA-002", "XC-001", "XC-002"):
        assert sum(line.count(measure_id) for line in body) <= 1, measure_id
    end = lines.index("特此报告。")
    assert lines[end + 1] == "附件：1.2026年度举措完成情况表\n2.需重点推进的举措清单"
    assert lines[end + 4 : end + 6] == ["附件1", "2026年度举措完成情况表"]
    assert lines[-2:] == ["附件2", "需重点推进的举措清单"]


def test_long_lists_go_to_the_attachment(tmp_path):
    """More overdue items than the body lists: the count, where they gather, three examples and
    the pointer to 附件2, which has every one of them."""
    measures = [
        [
            f"YA-1{n:02d}",
            "以案促改",
            "",
            f"整改事项{n}",
            "制度完善",
            "人事处" if n % 3 else "财务处",
            "",
            "",
            dt.date(2026, 5, 1),
        ]
        for n in range(12)
    ]
    root = make_workspace(tmp_path / "ws", measures=[*SMALL_MEASURES, *measures])
    [path] = write_party_report(make_job(root))
    assert_clean(path)
    lines = texts(path)
    start = next(i for i, line in enumerate(lines) if line.startswith("（一）部分举措逾期未完成。"))
    assert lines[start].endswith(
        "有13项举措超过完成时限仍未完成，除上文已列明的1项外，其余12项主要集中在人事处（8项）、"
        "财务处（4项），如："
    ), lines[start]
    assert [line[:2] for line in lines[start + 1 : start + 4]] == ["1.", "2.", "3."]
    assert lines[start + 4] == "其余9项详见附件2。"
    focus = docx.Document(str(path)).tables[3]
    assert {row.cells[1].text for row in focus.rows[1:]} >= {m[0] for m in measures}


def test_bureau_report_in_full(job):
    """`--detail full`: every measure narrated where it belongs, part four item by item."""
    [path] = write_party_report(replace(job, detail=FULL))
    assert path.name == "自查报告.docx"
    assert_clean(path)
    lines = texts(path)
    # 白头: no serial number, so the title comes first, broken into three lines by hand.
    assert lines[0] == (
        "中共江淮省测试局党组\n关于2026年度警示教育、以案促改\n和巡察整改工作自查情况的报告"
    )
    assert lines[1] == "中共江淮省纪委监委："
    # No notice configured: no "上级关于…的部署要求" filler in its place.
    assert lines[2].startswith("局党组组织4个责任部门，")
    assert lines[2].endswith("现将自查情况报告如下：")
    assert not any("签发人" in line for line in lines)

    assert after(lines, "一、基本情况", 2) == [
        "2026年度，局党组将警示教育、以案促改和巡察整改工作分解为具体举措6项，涉及4个部门，"
        "其中警示教育2项、以案促改2项、巡察整改2项，巡察整改举措对应巡察反馈问题1个。"
        "截至2026年6月15日，据各部门自查填报，已完成2项，推进中3项，完成率33.3%；"
        "另有1项举措的承担部门均未报送进展，情况不明；有1项举措超过完成时限仍未完成。"
        "以上完成情况均为各部门自查报告的结果，尚待督导抽查核实。",
        "从重点方面看，学习反思方面2项，已完成1项；机制建设方面1项，尚无完成；"
        "制度完善方面1项，尚无完成。",
    ]
    # One part per stream with its own counts; a stream with nothing done has no rate.
    assert "（一）警示教育方面。共有举措2项，已完成1项，推进中1项，完成率50.0%。" in lines
    # A unit that sent nothing 未报送进展 (not 未反馈, which is no status of the party group's).
    assert "（二）以案促改方面。共有举措2项，推进中1项，未报送进展1项。" in lines
    assert (
        "（三）巡察整改方面。巡察反馈问题1个，共制定整改措施2项，其中已完成1项，推进中1项，"
        "完成率50.0%；逾期未完成1项。各问题的整改情况在下一部分逐项报告。"
    ) in lines
    # Problem by problem, nested 问题 → 措施: the problem quoted as written once, its counts,
    # then each measure with its progress and its state in one sentence: late with the reason
    # missing, a silent co-department 未报送进展, a completion as reported with its evidence.
    assert after(lines, "二、巡察反馈问题整改情况", 4) == [
        "1.关于“问题A”问题的整改",
        "2项整改措施中已报告完成1项，其余推进中1项。",
        "（1）整改公务接待不规范问题（XC-001，办公室牵头）。已修订接待办法初稿；"
        "已超过完成时限15天仍未完成，未说明滞后原因；财务处未报送进展。",
        "（2）清理超标配备办公用房（XC-002，人事处牵头）。已腾退2间；"
        "据报已于2026年6月11日完成，佐证材料为腾退清单。",
    ]

    # Highlights from feedback: JS-01 by aspect with its evidence; XC-002 names no aspect, so it
    # is counted under its stream and its progress is left to part two.
    assert after(lines, "三、主要做法和成效", 2) == [
        "一是学习反思方面取得阶段性进展。该方面2项举措中已完成1项。"
        "如办公室牵头的“召开警示教育大会”，已召开大会，佐证材料有会议纪要。",
        "二是巡察整改方面取得阶段性进展。该方面2项举措中已完成1项，另有1项逾期，"
        "整改情况见本报告第二部分。",
    ]

    assert after(lines, "四、存在的问题", 4) == [
        "（一）部分举措逾期未完成。截至2026年6月15日，有1项举措超过完成时限仍未完成：",
        "1.整改公务接待不规范问题（XC-001，办公室牵头），已超过完成时限15天仍未完成，"
        "未说明滞后原因。",
        "（二）部分部门自查情况报送不完整。截至2026年6月15日，财务处尚未报送。"
        "1项举措尚无任何部门反馈进展：落实财务审批双签制度（YA-002，财务处牵头）。",
        "（三）部分举措临近完成时限。1项举措将在7日内到期，目前仍在推进："
        "修订选人用人制度（YA-001，人事处牵头，2026年6月20日到期）。",
    ]

    # Items whose plan reads alike share one line, each department with its ids.
    assert after(lines, "五、下一步打算", 6) == [
        "对尚未完成的举措，逐项明确责任和完成时限（举措内容见附件）：",
        "（一）加快推进逾期举措。",
        "1.办公室（XC-001）：查明滞后原因、加快推进，最迟于2026年7月15日前完成。",
        "（二）按期完成推进中的举措。",
        "1.人事处（YA-001）、机关党委（JS-02）：按计划推进，各于完成时限前完成"
        "（2026年6月20日至6月30日）。",
        "（三）督促补报自查情况。由局以案促改工作领导小组办公室督促财务处"
        "于2026年6月22日前补报自查反馈表。",
    ]
    end = lines.index("特此报告。")
    assert lines[end + 1] == "附件：2026年度举措完成情况表"
    assert lines[end + 2].strip() == "中共江淮省测试局党组"
    assert lines[end + 3].strip() == "2026年6月15日"
    assert lines[end + 4 : end + 6] == ["附件", "2026年度举措完成情况表"]
    assert lines[end + 6 :] == ["一、警示教育（2项）", "二、以案促改（2项）", "三、巡察整改（2项）"]
    # Nothing in the report asks for a reply.
    assert not any("请示" in line or "请批示" in line or "妥否" in line for line in lines)


def test_bureau_attachment_table_and_colophon(job):
    [path] = write_party_report(job)
    tables = docx.Document(str(path)).tables
    header = ["序号", "编号", "具体举措", "牵头部门", "完成时限", "完成状态"]
    assert rows(tables[0]) == [
        header,
        ["1", "JS-01", "召开警示教育大会", "办公室", "2026年3月31日", "已完成"],
        ["2", "JS-02", "开展专题学习讨论", "机关党委", "2026年6月30日", "推进中"],
    ]
    assert rows(tables[1]) == [
        header,
        ["1", "YA-001", "修订选人用人制度", "人事处", "2026年6月20日", "推进中"],
        ["2", "YA-002", "落实财务审批双签制度", "财务处", "长期坚持", "未反馈"],
    ]
    assert rows(tables[2]) == [
        header,
        ["1", "XC-001", "整改公务接待不规范问题", "办公室", "2026年5月31日", "推进中\n逾期15天"],
        ["2", "XC-002", "清理超标配备办公用房", "人事处", "2026年6月10日", "已完成"],
    ]
    # 附件2: what needs action, each item once, with its next step and date.
    assert rows(tables[3]) == [
        ["序号", "编号", "具体举措", "牵头部门", "目前情况", "下步措施和时限"],
        [
            "1",
            "XC-001",
            "整改公务接待不规范问题",
            "办公室",
            "推进中，逾期15天",
            "查明滞后原因、加快推进，最迟于2026年7月15日前完成",
        ],
        ["2", "YA-002", "落实财务审批双签制度", "财务处", "未反馈进展", "2026年6月22日前报送进展"],
        [
            "3",
            "YA-001",
            "修订选人用人制度",
            "人事处",
            "2026年6月20日到期",
            "按计划推进，2026年6月20日前完成",
        ],
    ]
    assert [cell.text for row in tables[4].rows for cell in row.cells] == [
        "抄送：驻局纪检监察组。",
        "江淮省测试局办公室\t2026年6月15日印发",
    ]


def test_a_serial_number_makes_a_red_header_with_the_signer(tmp_path):
    root = make_workspace(
        tmp_path / "ws",
        config=CONFIG.replace('[organisation]\nname = "江淮省测试局"\n', "") + SIGNER + ADDRESSEES,
    )
    [path] = write_party_report(make_job(root), doc_serial=3)
    assert_clean(path)
    lines = texts(path)
    assert lines[0] == "中共江淮省测试局党组文件"
    assert lines[1] == "\t江测党组发〔2026〕3号\t签发人：张立"
    assert lines[2].startswith("中共江淮省测试局党组\n关于2026年度")
    assert lines[3] == "中共江淮省纪委监委："


def test_without_a_superior_there_is_no_addressee_line(tmp_path):
    [path] = write_party_report(make_job(make_workspace(tmp_path / "ws", config=CONFIG)))
    assert_clean(path)
    lines = texts(path)
    # Straight from the title to the opening, which cites no superior's requirement.
    assert lines[1].startswith("局党组组织4个责任部门，")
    assert not any("上级" in line for line in lines)
    # The office in the 版记 and in the plan when no lead office is named.
    assert "（三）督促补报自查情况。由局办公室督促财务处于2026年6月22日前补报自查反馈表。" in lines


def test_all_done_says_so_and_leaves_out_the_plan(tmp_path):
    # Two measures, both reported done with evidence: 2 of 2, 100.0%.
    measures = [SMALL_MEASURES[0], SMALL_MEASURES[5]]
    feedback = {
        "办公室.xlsx": [SMALL_FEEDBACK["办公室.xlsx"][0]],
        "人事处.xlsx": [SMALL_FEEDBACK["人事处_第二次.xlsx"][0]],
    }
    root = make_workspace(tmp_path / "ws", measures=measures, feedback=feedback)
    [path] = write_party_report(make_job(root))
    assert_clean(path)
    lines = texts(path)
    assert (
        "截至2026年6月15日，据各部门自查填报，2项举措已全部完成，完成率100.0%。"
        "以上完成情况均为各部门自查报告的结果，尚待督导抽查核实。"
    ) in after(lines, "一、基本情况", 1)[0]
    headings = [line for line in lines if re.match(r"^[一二三四五]、", line)]
    assert headings == [
        "一、基本情况",
        "二、巡察反馈问题整改情况",
        "三、主要做法和成效",
        "四、存在的问题",
        "一、警示教育（1项）",
        "二、巡察整改（1项）",
    ]
    # Praise where every item of an aspect is reported done, and no 均 for one item.
    assert after(lines, "三、主要做法和成效", 2) == [
        "一是以案为鉴，深化学习反思。该方面1项举措已完成。如办公室已召开大会。",
        "二是扎实推进巡察整改。该方面1项举措已完成，整改情况见本报告第二部分。",
    ]
    assert after(lines, "四、存在的问题", 1) == [
        "截至2026年6月15日，未发现逾期、未启动或未反馈的举措，各部门在自查中未反映困难和问题。"
    ]
    # The single problem's one measure is reported done (self-reported: not called 整改到位),
    # with what it achieved.
    assert after(lines, "1.关于“问题A”问题的整改", 1) == ["整改措施已报告完成：已腾退2间。"]


def test_full_completion_is_never_claimed_when_something_is_open(job):
    [path] = write_party_report(job)
    assert not any("全部完成" in line or "均已完成" in line for line in texts(path))


def test_nothing_done_leaves_out_the_achievements(tmp_path):
    feedback = {"机关党委.xlsx": [SMALL_FEEDBACK["机关党委.xlsx"][0]]}
    root = make_workspace(tmp_path / "ws", measures=[SMALL_MEASURES[1]], feedback=feedback)
    [path] = write_party_report(make_job(root))
    assert_clean(path)
    lines = texts(path)
    headings = [line for line in lines if re.match(r"^[一二三四]、", line)][:3]
    assert headings == ["一、基本情况", "二、存在的问题", "三、下一步打算"]
    # JS-02: 机关党委 推进中, 办公室 and 人事处 silent; nothing done, so no basis to state.
    assert after(lines, "一、基本情况", 1)[0].endswith(
        "截至2026年6月15日，据各部门自查填报，推进中1项，尚无已完成的举措。"
    )
    assert after(lines, "二、存在的问题", 1) == [
        "（一）部分部门自查情况报送不完整。截至2026年6月15日，人事处、办公室共2个部门尚未报送。"
    ]


def test_problems_and_next_steps_come_from_feedback(tmp_path):
    header = ["编号", "填报单位", "完成状态", "进展情况", "存在问题", "下步计划", "填报日期"]
    feedback = {
        "办公室.xlsx": [
            [
                "XC-001",
                "办公室",
                "推进中",
                "已起草",
                "审批流程涉及多个部门",
                "7月10日前印发",
                dt.date(2026, 6, 1),
            ],
        ],
        "人事处.xlsx": [
            ["YA-001", "人事处", "未启动", "", "需与上级部门会签", "", dt.date(2026, 6, 1)],
        ],
    }
    root = make_workspace(tmp_path / "ws", feedback=feedback, feedback_header=header)
    job = make_job(root, detail=FULL)
    [path] = write_party_report(job)
    assert_clean(path)
    # Items are numbered within their group; the others are unreported here, JS-01 overdue too.
    items = {re.sub(r"^\d+\.", "", line) for line in texts(path)}
    # XC-001 is 15 days overdue; its reason and its next step are the department's own words, and
    # the new date is the 7-10 its next step names (without one, catch_up_days on: 7-15).
    assert (
        "（1）整改公务接待不规范问题（XC-001，办公室牵头）。已起草；已超过完成时限15天仍未完成，"
        "主要困难是审批流程涉及多个部门；财务处未报送进展。"
    ) in items
    assert (
        "整改公务接待不规范问题（XC-001，办公室牵头），已超过完成时限15天仍未完成，"
        "主要困难是审批流程涉及多个部门。"
    ) in items
    assert "办公室（XC-001）：7月10日前印发，最迟于2026年7月10日前完成。" in items
    # Overdue items nobody reported on report first, planned together on one line.
    assert (
        "办公室（JS-01）、人事处（XC-002）：于2026年6月22日前报送进展，最迟于2026年7月15日前完成。"
    ) in items
    # YA-001 is not started: listed with its reason, and planned with its deadline.
    assert (
        "修订选人用人制度（YA-001，人事处牵头），尚未启动，完成时限为2026年6月20日，"
        "原因是需与上级部门会签。"
    ) in items
    assert "人事处（YA-001）：尽快启动，确保于2026年6月20日前完成。" in items
    assert "审批流程涉及多个部门（办公室反映，涉及XC-001）。" in items
    assert "需与上级部门会签（人事处反映，涉及YA-001）。" in items

    [dept] = write_department_report(job, "人事处")
    assert_clean(dept)
    assert "1.需与上级部门会签（涉及YA-001）。" in texts(dept)


def test_inspection_measures_without_a_problem(tmp_path):
    # No 问题 on either XC row: no problem is counted or quoted, the measures are listed as such.
    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][2] = measures[5][2] = ""
    job = make_job(make_workspace(tmp_path / "ws", measures=measures), detail=FULL)
    [path] = write_party_report(job)
    assert_clean(path)
    lines = texts(path)
    assert "巡察反馈问题" not in after(lines, "一、基本情况", 1)[0]
    start = lines.index(
        "（三）巡察整改方面。共有整改措施2项，其中已完成1项，推进中1项，完成率50.0%；"
        "逾期未完成1项。"
    )
    # No part of its own for problems that are not there; the highlight points back up.
    assert "二、巡察反馈问题整改情况" not in lines
    assert (
        "二是巡察整改方面取得阶段性进展。该方面2项举措中已完成1项，另有1项逾期，整改情况见上文。"
        in lines
    )
    assert lines[start + 1].startswith("（1）整改公务接待不规范问题（XC-001，办公室牵头）。")
    assert not any("关于“" in line or "其他整改措施" in line for line in lines)
    [dept] = write_department_report(job, "人事处")
    assert_clean(dept)
    assert not any("其他整改措施" in line for line in texts(dept))


def test_hostile_text_survives(tmp_path):
    hostile = "落实“三重一大”制度 & 审批<双签>🚀"
    measures = [list(row) for row in SMALL_MEASURES]
    measures[4][3] = hostile  # XC-001: narrated in part one, part three and the attachment
    root = make_workspace(tmp_path / "ws", measures=measures, config=OFFICE_ELSEWHERE)
    job = make_job(root)
    [path] = write_party_report(job)
    assert_clean(path)
    cells = [c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells]
    assert hostile in cells
    [path] = write_party_report(replace(job, detail=FULL))
    assert_clean(path)
    lines = texts(path)
    assert any(line.startswith(f"（1）{hostile}（XC-001，办公室牵头）。") for line in lines)
    [dept] = write_department_report(job, "办公室")
    assert_clean(dept)
    cells = [c.text for t in docx.Document(str(dept)).tables for r in t.rows for c in r.cells]
    assert hostile in cells


# --- the departments' reports ----------------------------------------------------------------


def test_no_report_in_the_name_of_a_department_that_sent_nothing(job):
    # 财务处: YA-001 配合, YA-002 牵头 (standing), XC-001 配合 (15 days overdue); nothing sent.
    # It gets a 催报 notice, not a report in its own name (tests/test_names.py for the CLI).
    with pytest.raises(DocgenError, match="财务处尚未报送反馈表"):
        write_department_report(job, "财务处")
    assert not job.out_dir.exists() or not list(job.out_dir.glob("*.docx"))


def test_every_department_gets_a_report(job):
    advanced = []
    job = replace(job, progress=advanced.append)
    paths = write_department_reports(job)
    # Not 财务处, which returned nothing, nor 办公室, the office the reports go to.
    assert sorted(p.name for p in paths) == sorted(
        f"自查报告_{name}.docx" for name in ("人事处", "机关党委")
    )
    assert advanced == [1, 1]
    for path in paths:
        assert_clean(path)
        lines = texts(path)
        assert lines[1] == "局以案促改工作领导小组办公室："
        assert "特此报告。" in lines
        # Part three is never missing from a department's report.
        assert any(re.match(r"^[二三四]、存在的问题$", line) for line in lines)


def test_unknown_department_and_numbered_department_report_are_refused(job):
    with pytest.raises(DocgenError, match="没有由“宣传处”承担的举措"):
        write_department_report(job, "宣传处")
    # A department's report never has a serial number: the CLI refuses --dept with --number.
    result = CliRunner().invoke(
        main,
        [
            "report",
            "self-check",
            "--inputs",
            str(job.workspace),
            "--out",
            str(job.out_dir),
            "--as-of",
            SMALL_AS_OF.isoformat(),
            "--dept",
            "人事处",
            "--number",
            "2",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "不编发文字号" in result.output
    assert not job.out_dir.exists()


def test_detail_full_on_the_command_line(tmp_path):
    root = make_workspace(tmp_path / "ws", config=CONFIG + ADDRESSEES)
    runner = CliRunner()
    common = ["report", "self-check", "--inputs", str(root), "--as-of", "2026-06-15"]
    for detail in ("concise", "full"):
        out = tmp_path / detail
        result = runner.invoke(main, [*common, "--out", str(out), "--detail", detail])
        assert result.exit_code == 0, result.output
    concise = texts(tmp_path / "concise" / "2026-06-15" / "自查报告.docx")
    full = texts(tmp_path / "full" / "2026-06-15" / "自查报告.docx")
    assert "需重点推进的举措清单" in concise and "需重点推进的举措清单" not in full
    assert any(line.startswith("（1）整改公务接待不规范问题（XC-001") for line in full)
    assert not any(line.startswith("（1）整改公务接待不规范问题") for line in concise)


def test_cell_line_breaks_become_sentences_and_ids_never_break(tmp_path):
    """documents.md §9 rule 13: a line break typed in a cell is joined with "；" in prose (a
    break inside a justified paragraph stretches the line before it); ids carry Word's
    non-breaking hyphen, so that "XC-" never ends a line."""
    header = ["编号", "填报单位", "完成状态", "进展情况", "存在问题", "填报日期"]
    feedback = {
        "办公室.xlsx": [
            [
                "XC-001",
                "办公室",
                "推进中",
                "一是已起草\n二是已征求意见。",
                "人手紧张\n时间紧",
                dt.date(2026, 6, 1),
            ],
        ],
    }
    root = make_workspace(
        tmp_path / "ws", feedback=feedback, feedback_header=header, config=OFFICE_ELSEWHERE
    )
    job = make_job(root)
    written = [
        *write_party_report(job),
        *write_department_report(job, "办公室"),
        *write_year_end(job),
    ]
    for path in written:
        document = docx.Document(str(path))
        body = document.element.body
        end = next(i for i, p in enumerate(document.paragraphs) if p.text == "特此报告。")
        # After the title (its lines are broken by hand) and the addressee.
        for paragraph in document.paragraphs[2:end]:
            assert paragraph._p.findall(".//" + qn("w:br")) == [], paragraph.text
        assert any("人手紧张；时间紧" in p.text for p in document.paragraphs[:end]), path.name
        hyphens = body.findall(".//" + qn("w:noBreakHyphen"))
        assert hyphens, path.name
        assert any("XC-001" in p.text for p in document.paragraphs[:end])


def test_an_inspection_problem_names_ten_measures_at_most(tmp_path):
    """A problem with many unfinished measures: the ten most pressing named, each state's
    others counted; the attachments name them all."""
    extra = [
        [
            f"XC-1{n:02d}",
            "巡察整改",
            "1.问题A",
            f"整改事项{n}",
            "",
            "人事处",
            "",
            "",
            dt.date(2026, 5, 1) if n < 4 else dt.date(2026, 12, 31),
        ]
        for n in range(14)
    ]
    root = make_workspace(tmp_path / "ws", measures=[*SMALL_MEASURES, *extra])
    [path] = write_party_report(make_job(root))
    assert_clean(path)
    [line] = after(texts(path), "1.关于“问题A”问题的整改", 1)
    named = re.findall(r"XC-\d+", line)
    assert len(named) == 10 and len(set(named)) == 10, line
    assert "（人事处牵头，逾期45天）" in line
    assert re.search(r"等\d+项", line), line


def test_a_date_in_next_steps_is_read_in_the_year_of_its_report(tmp_path):
    """12月21日 written in a report of November, read on 31 December: that date has passed and
    plans nothing (the catch-up date applies), as the year-end summary reads it; it is never
    taken for 21 December of the next year."""
    from docgen.aggregation import AssignmentProgress
    from docgen.documents.self_check.context import named_dates, plan_date

    said = AssignmentProgress(
        "办公室", "牵头", "推进中", next_steps="12月21日前完成", reported_on=dt.date(2026, 11, 20)
    )
    new_year_eve = dt.date(2026, 12, 31)
    assert named_dates([said], new_year_eve) == []
    assert plan_date(5, [said], new_year_eve, dt.date(2027, 1, 30)) == dt.date(2027, 1, 30)
    # Read in December, before the date: it plans.
    assert named_dates([said], dt.date(2026, 12, 1)) == [dt.date(2026, 12, 21)]
