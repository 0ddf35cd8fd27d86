"""A large campaign for the render tests: what a provincial bureau's inputs look like in the last
week of November, made so that every document kind meets its worst cases.

`write_large_campaign(root)` writes docgen.toml, measures.xlsx and one returned form per answering
department (tests/conftest.py's header, the input contract of README 输入文件夹): 160 measures in
the three streams (ids JS-001, YA-031, XC-105), 28 departments, some with names of 15 characters
and more. Progress texts run to several sentences with line breaks typed inside the cell
(Alt+Enter), as clerks write them; so do some measures. Deadlines fall before the as-of date
(overdue), within the warning window (due soon), later in the year, at 12月底, or are 长期坚持;
statuses are mixed, three departments never answer and two answer twice, so that urging
notices, overdue lists and unreported departments all appear. Seeded: the same seed writes the
same cells.
"""

import datetime as dt
import random
from pathlib import Path

from conftest import FEEDBACK_HEADER, MEASURE_HEADER, write_sheet

AS_OF = dt.date(2026, 11, 26)
YEAR = 2026
ORG = "江淮省地方金融管理局"
MEASURES = 160
DEPARTMENTS = (
    ("办公室", "处室", "陈立新"),
    ("组织人事处", "处室", "陈立新"),
    ("机关党委", "处室", "孙海涛"),
    ("机关纪委", "处室", "孙海涛"),
    ("政策法规处", "处室", "刘晓峰"),
    ("计划财务处", "处室", "赵文静"),
    ("金融发展处", "处室", "赵文静"),
    ("资本市场处", "处室", "赵文静"),
    ("地方金融组织监督管理和风险防范化解第一处", "处室", "王建国"),
    ("地方金融组织监督管理和风险防范化解第二处", "处室", "王建国"),
    ("交易场所监管处", "处室", "王建国"),
    ("风险处置处", "处室", "刘晓峰"),
    ("非法集资监测预警和案件协调处置处", "处室", "刘晓峰"),
    ("信息科技处", "处室", "赵文静"),
    ("行政审批处", "处室", "王建国"),
    ("统计分析处", "处室", "赵文静"),
    ("江州分局", "分局", "王建国"),
    ("临淮分局", "分局", "王建国"),
    ("云溪分局", "分局", "刘晓峰"),
    ("梅岭分局", "分局", "刘晓峰"),
    ("安平分局", "分局", "赵文静"),
    ("青湖经济技术开发区分局", "分局", "赵文静"),
    ("机关第一党支部", "党支部", "孙海涛"),
    ("机关第二党支部", "党支部", "孙海涛"),
    ("机关第三党支部", "党支部", "孙海涛"),
    ("机关第四党支部", "党支部", "孙海涛"),
    ("离退休干部第一党支部", "党支部", "孙海涛"),
    ("离退休干部第二党支部（老干部活动中心）", "党支部", "孙海涛"),
)
# Departments that never return a form, and two that send a second, later one.
SILENT = ("资本市场处", "梅岭分局", "离退休干部第二党支部（老干部活动中心）")
TWICE = ("机关纪委", "地方金融组织监督管理和风险防范化解第一处")
STREAMS = (("警示教育", "JS", 30), ("以案促改", "YA", 55), ("巡察整改", "XC", 75))
ASPECTS = ("学习反思", "机制建设", "制度完善", "监管履职")

VERBS = ("修订", "制定", "建立", "完善", "开展", "组织", "落实", "排查", "健全", "规范", "推行")
OBJECTS = (
    "《局机关公务接待管理办法》，明确接待标准、审批流程和陪餐人数",
    "干部选拔任用全程纪实制度，动议、民主推荐、考察、讨论决定等环节全部留痕",
    "廉政风险点防控清单，对审批、检查、处置、财务岗位逐一查找风险点",
    "财务报销审批“双签”制度，对大额支出实行集体研究",
    "地方金融组织现场检查工作规程，明确检查立项、实施、报告、整改各环节的要求和时限",
    "融资担保公司代偿风险专项排查，建立代偿率超警戒线机构名单",
    "警示教育专题学习，组织观看警示教育片并撰写心得体会",
    "关键岗位干部交流轮岗，对在审批、监管、处置岗位任职满5年的干部有序轮岗",
    "非法集资监测预警平台升级，新增互联网广告、招聘信息等监测模块",
    "“三重一大”事项集体决策制度，重大事项一律经党组会研究",
    "小额贷款公司、融资担保公司设立和变更审批案卷“回头看”",
    "监管人员与监管对象利益冲突排查，建立亲属从业回避名单",
)
PROBLEMS = (
    "落实中央八项规定精神不够严格，公务接待存在超标准、超范围现象，个别处室公务用车管理不规范。",
    "选人用人工作不够规范，个别关键岗位干部长期未轮岗，干部监督管理存在薄弱环节。",
    "财务管理存在薄弱环节，报销审核把关不严，专项资金使用绩效不高。",
    "地方金融组织日常监管存在“宽、松、软”问题，现场检查覆盖面不足，对检查发现问题督促整改不到位。",
    "以案促改走形式，警示教育针对性不强，对系列案件暴露出的制度漏洞整改不彻底。",
)
SENTENCES = (
    "已召开专题会议{n}次，形成会议纪要，明确责任分工和完成时限。",
    "已修订制度{n}项，经两轮征求意见后提交局长办公会审议，预计下月印发。",
    "已完成自查{n}轮，发现问题{m}个，已整改{k}个，其余问题正在整改。",
    "已组织专题培训{n}场，覆盖干部{m}人，收到心得体会{m}篇，择优在局内网刊发。",
    "对照问题清单逐项排查，整改台账实行动态更新，累计销号{n}项。",
    "会同省财政厅、省司法厅等单位研究{n}次，对争议事项形成一致意见。",
    "抽查案卷{m}卷，发现材料不全、程序瑕疵等问题{n}个，已督促经办人员补正。",
    "下一步将加强跟踪督办，对进度滞后的事项实行挂牌督办，确保{month}月底前全部完成。",
    "因{m}家机构资料报送滞后，核查工作较计划推迟，已书面督促相关机构限期报送。",
    "建立工作台账，明确专人负责，每周汇总进展情况报分管局领导。",
)
EVIDENCE = (
    "会议纪要、签到表",
    "制度文本、印发通知、党组会议纪要",
    "培训课件、签到表、照片",
    "整改台账、问题清单、销号记录",
    "自查报告、核查工作底稿",
    "",
)


def _deadline(rng: random.Random, index: int):
    """A spread of deadlines around the as-of date: overdue, due soon, later, 12月底, 长期坚持."""
    kind = index % 10
    if kind in (0, 1, 2):  # overdue
        return AS_OF - dt.timedelta(days=rng.randint(3, 200))
    if kind == 3:  # due within the warning window
        return AS_OF + dt.timedelta(days=rng.randint(1, 6))
    if kind == 4:
        return f"{YEAR}年12月底"
    if kind == 5:
        return "长期坚持"
    return dt.date(YEAR, 12, rng.choice((10, 15, 20, 25, 31)))


def _progress(rng: random.Random, lines: int) -> str:
    """Several sentences, some ending the line inside the cell as a clerk types them."""
    sentences = [
        rng.choice(SENTENCES).format(
            n=rng.randint(2, 12), m=rng.randint(10, 260), k=rng.randint(1, 9), month=12
        )
        for _ in range(lines)
    ]
    text = sentences[0]
    for sentence in sentences[1:]:
        text += ("\n" if rng.random() < 0.6 else "") + sentence
    return text


def write_large_campaign(root: Path, seed: int = 20261126) -> Path:
    """Write the campaign's inputs into root (created) and return root."""
    rng = random.Random(seed)
    root = Path(root)
    (root / "feedback").mkdir(parents=True, exist_ok=True)
    (root / "docgen.toml").write_text(_config(), encoding="utf-8")
    names = [name for name, _, _ in DEPARTMENTS]
    measures, assignments = [], {name: [] for name in names}
    for stream, prefix, count in STREAMS:
        for number in range(1, count + 1):
            index = len(measures)
            lead = names[index % len(names)]
            others = rng.sample([n for n in names if n != lead], rng.choice((0, 1, 1, 2, 3)))
            text = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            if rng.random() < 0.25:
                text += (
                    "\n"
                    + "对发现的问题建立台账，逐项明确整改责任人和完成时限，整改完成后报机关纪委备案"
                )
            deadline = _deadline(rng, index)
            measure_id = f"{prefix}-{number:03d}"
            measures.append(
                [
                    measure_id,
                    stream,
                    f"{(number - 1) // 15 + 1}.{PROBLEMS[(number - 1) // 15 % len(PROBLEMS)]}"
                    if prefix == "XC"
                    else "",
                    text,
                    ASPECTS[index % len(ASPECTS)],
                    lead,
                    "、".join(others),
                    DEPARTMENTS[index % len(DEPARTMENTS)][2],
                    deadline,
                ]
            )
            for owner in (lead, *others):
                assignments[owner].append((measure_id, deadline))
    write_sheet(
        root / "measures.xlsx",
        MEASURE_HEADER,
        measures,
        title=f"{ORG}{YEAR}年警示教育、以案促改和巡察整改工作举措清单",
    )
    for name in names:
        if name in SILENT:
            continue
        rounds = [("反馈表", dt.date(YEAR, 11, rng.randint(12, 20)))]
        if name in TWICE:
            rounds.append(("反馈表（更正）", dt.date(YEAR, 11, rng.randint(21, 25))))
        for label, reported in rounds:
            rows = [
                _feedback_row(rng, measure_id, name, deadline, reported)
                for measure_id, deadline in assignments[name]
                # now and then a department leaves a measure out of its form
                if rng.random() > 0.06
            ]
            write_sheet(root / "feedback" / f"{name}_{label}.xlsx", FEEDBACK_HEADER, rows)
    return root


def _feedback_row(rng: random.Random, measure_id: str, name: str, deadline, reported):
    if deadline == "长期坚持":
        status = rng.choice(("长期坚持", "长期坚持", "推进中"))
    else:
        status = rng.choices(("已完成", "推进中", "未启动"), (5, 4, 1))[0]
    done = dt.date(YEAR, rng.randint(1, 10), rng.randint(1, 28)) if status == "已完成" else ""
    lines = rng.choice((1, 2, 3, 4, 5, 6))
    return [
        measure_id,
        name,
        status,
        _progress(rng, lines) if status != "未启动" or rng.random() < 0.5 else "",
        done,
        rng.choice(EVIDENCE) if status == "已完成" else "",
        reported,
    ]


def _config() -> str:
    lines = [
        "[organisation]",
        f'name = "{ORG}"',
        'short_name = "省金融局"',
        f'party_group = "中共{ORG}党组"',
        'office = "局办公室"',
        'doc_prefix = "江淮金党组发"',
        'signer = "陈立新"',
        "",
        "[campaign]",
        f"year = {YEAR}",
        "warning_days = 7",
        "return_deadline = 2026-11-25",
        "",
        "[addressees]",
        'superior = "中共江淮省纪委监委"',
        'copy_to = ["省纪委监委驻省政府办公厅纪检监察组", "省委巡视工作领导小组办公室"]',
        'lead_office = "局警示教育以案促改和巡察整改工作领导小组办公室"',
        'brief_report = ["省纪委监委驻省政府办公厅纪检监察组"]',
        'brief_send = ["局党组书记、局长", "局党组成员、副局长"]',
        'brief_issue = ["局机关各处室", "各分局", "机关各党支部"]',
        "",
    ]
    for name, kind, leader in DEPARTMENTS:
        lines += ["[[departments]]", f'name = "{name}"', f'kind = "{kind}"', f'leader = "{leader}"']
        lines.append("")
    return "\n".join(lines)
