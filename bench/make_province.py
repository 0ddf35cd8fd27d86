"""A province-scale workspace that satisfies docgen's input contract (README 输入文件夹).

500 departments (40 处室, 300 分局, 160 党支部) named in docgen.toml, 3,000 measures in the three
streams (巡察整改 ones under numbered inspection problems), each led by one department with 4 to 15
responsible departments, and 30,000 feedback rows: one form per department that answered (about
95%), a few of them sent twice (初报, then 更新 with later report dates). Statuses, completion dates,
deadlines (Excel dates, 2026年6月底, 12月底, 长期坚持) and texts vary as real forms do. Every row is
valid, so `docgen build` writes every document; seeded, so the same arguments give the same cells.

    python bench/make_province.py [--out DIR] [--departments 500] [--measures 3000] [--rows 30000]
"""

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from docgen.model import FEEDBACK_COLUMNS, MEASURE_COLUMNS

YEAR = 2026
AS_OF = dt.date(2026, 11, 26)
ORG = "江淮省地方金融管理局"
STREAMS = (("警示教育", "JS", 0.15), ("以案促改", "YA", 0.35), ("巡察整改", "XC", 0.50))
ASPECTS = ("学习反思", "机制建设", "制度完善", "监管履职")
LEADERS = ("陈立新", "孙海涛", "刘晓峰", "赵文静", "周明远", "吴海燕")
PLACES = "江州临淮云溪安平青湖梅岭清河白沙石桥东湖西山南浦北岸长宁永安丰泽凤台龙泉金川玉山"
DIVISIONS = (
    "办公室",
    "组织人事处",
    "机关党委",
    "机关纪委",
    "政策法规处",
    "计划财务处",
    "金融发展处",
    "资本市场处",
    "信息科技处",
    "行政审批处",
    "风险处置处",
    "非法集资监测处",
    "交易场所监管处",
    "统计分析处",
    "宣传教育处",
    "审计处",
    "安全保卫处",
    "离退休干部处",
    "地方金融组织监管一处",
    "地方金融组织监管二处",
)
VERBS = ("修订", "制定", "建立", "完善", "开展", "组织", "落实", "排查", "健全", "规范")
OBJECTS = (
    "公务接待管理办法",
    "干部选拔任用工作规程",
    "廉政风险点防控清单",
    "财务报销审批流程",
    "行政审批事项清单",
    "监管检查计划",
    "警示教育专题学习",
    "重点岗位轮岗交流",
    "公务用车使用情况专项检查",
    "“三重一大”事项集体决策制度",
)
PROBLEMS = (
    "落实中央八项规定精神不够严格，公务接待存在超标准现象",
    "选人用人工作不够规范，个别岗位长期未轮岗",
    "财务管理存在薄弱环节，报销审核把关不严",
    "监管履职不到位，对违规行为查处不及时",
    "以案促改走形式，警示教育针对性不强",
)
PROGRESS = (
    "已召开专题会议{n}次，形成会议纪要，明确责任分工",
    "已修订制度{n}项，正在征求意见，预计下月印发",
    "已完成自查{n}轮，发现问题{m}个并全部整改到位",
    "已组织培训{n}场，覆盖干部{m}人，撰写心得体会{m}篇",
    "已对照清单逐项排查，整改台账动态更新，累计销号{n}项",
)
EVIDENCE = ("会议纪要、签到表", "制度文本、印发通知", "培训课件、照片", "整改台账", "自查报告")


def departments(count: int) -> list[tuple[str, str, str]]:
    """(name, kind, leader) for count departments: 处室 first, then 分局, then 党支部."""
    divisions = min(40, count // 12 or 1)
    branches = min(300, (count - divisions) * 3 // 5)
    pairs = (f"{first}{second}分局" for first in PLACES[::2] for second in PLACES[1::2])
    branches_names = list(dict.fromkeys(pairs))
    names = [
        (d if i < len(DIVISIONS) else f"综合{i - len(DIVISIONS) + 1}处", "处室")
        for i, d in enumerate((*DIVISIONS, *[""] * max(divisions - len(DIVISIONS), 0))[:divisions])
    ]
    extra = 0
    while len(branches_names) < branches:
        extra += 1
        branches_names.append(f"第{extra}分局")
    names += [(name, "分局") for name in branches_names[:branches]]
    names += [(f"机关第{i}党支部", "党支部") for i in range(1, count - len(names) + 1)]
    return [(name, kind, LEADERS[i % len(LEADERS)]) for i, (name, kind) in enumerate(names)]


def config_text(depts: list[tuple[str, str, str]]) -> str:
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
        "return_deadline = 2026-12-10",
        "",
        "[addressees]",
        'superior = "中共江淮省纪委监委"',
        'copy_to = ["省纪委监委驻省政府办公厅纪检监察组"]',
        'lead_office = "局警示教育以案促改和巡察整改工作领导小组办公室"',
        'brief_report = ["省纪委监委驻省政府办公厅纪检监察组"]',
        'brief_send = ["局党组书记、局长"]',
        'brief_issue = ["局机关各处室", "各分局", "机关各党支部"]',
        "",
    ]
    for name, kind, leader in depts:
        lines += [
            "[[departments]]",
            f'name = "{name}"',
            f'kind = "{kind}"',
            f'leader = "{leader}"',
            "",
        ]
    return "\n".join(lines)


def deadline_cell(rng: random.Random):
    roll = rng.random()
    if roll < 0.08:
        return "长期坚持"
    month = rng.randint(1, 12)
    if roll < 0.14:
        return f"{YEAR}年{month}月底"
    if roll < 0.18:
        return f"{month}月底"
    return dt.date(YEAR, month, rng.choice((10, 15, 20, 28)))


def build_province_workspace(
    root: Path,
    n_departments: int = 500,
    n_measures: int = 3000,
    n_rows: int = 30000,
    seed: int = 2026,
) -> Path:
    rng = random.Random(seed)
    root = Path(root)
    (root / "feedback").mkdir(parents=True, exist_ok=True)
    depts = departments(n_departments)
    names = [d[0] for d in depts]
    (root / "docgen.toml").write_text(config_text(depts), encoding="utf-8")

    book = Workbook(write_only=True)
    sheet = book.create_sheet("举措清单")
    sheet.append([f"{ORG}{YEAR}年警示教育、以案促改和巡察整改工作举措清单"])
    sheet.append([column.name for column in MEASURE_COLUMNS if column.name != "备注"])
    # Each department gets about the same number of assignments: 30,000 over 500 is 60 each.
    per_measure = max(n_rows // n_measures, 1)
    assignments: dict[str, list[tuple[str, str, object]]] = {name: [] for name in names}
    number = 0
    for stream, prefix, share in STREAMS:
        count = round(n_measures * share) if prefix != "XC" else n_measures - number
        for index in range(1, count + 1):
            number += 1
            owners = rng.sample(names, min(len(names), max(1, per_measure + rng.randint(-5, 5))))
            deadline = deadline_cell(rng)
            measure_id = f"{prefix}-{index:04d}"
            problem = ""
            if prefix == "XC":
                problem = f"{(index - 1) // 30 + 1}.{rng.choice(PROBLEMS)}"
            sheet.append(
                [
                    measure_id,
                    stream,
                    problem,
                    f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，明确责任分工和完成时限，"
                    f"确保整改工作取得实效（第{index}项）",
                    rng.choice(ASPECTS),
                    owners[0],
                    "、".join(owners[1:]),
                    rng.choice(LEADERS),
                    deadline,
                ]
            )
            for owner in owners:
                assignments[owner].append((measure_id, owner, deadline))
    book.save(root / "measures.xlsx")

    silent = set(rng.sample(names, n_departments // 20))
    reporting = [name for name in names if name not in silent]
    planned = sum(len(assignments[name]) for name in reporting)
    # Departments that sent an update after their first form, until the rows add up.
    again = []
    for name in rng.sample(reporting, len(reporting)):
        if planned >= n_rows:
            break
        again.append(name)
        planned += len(assignments[name])
    written = 0
    for name in reporting:
        rounds = [("反馈表", dt.date(YEAR, 11, rng.randint(10, 20)))]
        if name in again:
            rounds.append(("反馈表（更新）", dt.date(YEAR, 11, rng.randint(21, 25))))
        for label, reported in rounds:
            rows = assignments[name]
            if written + len(rows) > n_rows:
                rows = rows[: n_rows - written]
            if not rows:
                continue
            written += len(rows)
            book = Workbook(write_only=True)
            sheet = book.create_sheet("反馈表")
            sheet.append([f"{ORG}警示教育、以案促改和巡察整改工作自查反馈表"])
            sheet.append([column.name for column in FEEDBACK_COLUMNS])
            for measure_id, owner, _ in rows:
                status = rng.choices(("已完成", "推进中", "未启动", "长期坚持"), (5, 3, 1, 1))[0]
                done = (
                    dt.date(YEAR, rng.randint(1, 10), rng.randint(1, 28))
                    if status == "已完成"
                    else None
                )
                progress = rng.choice(PROGRESS).format(n=rng.randint(1, 9), m=rng.randint(1, 60))
                sheet.append(
                    [
                        measure_id,
                        owner,
                        status,
                        progress,
                        done,
                        rng.choice(EVIDENCE),
                        "无" if status == "已完成" else "个别环节推进较慢",
                        "" if status == "已完成" else "加快推进，按时限完成",
                        "张敏",
                        reported,
                    ]
                )
            book.save(root / "feedback" / f"{name}_{label}.xlsx")
    return root


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """--departments, --measures and --rows: the size of a province-scale workspace."""
    parser.add_argument("--departments", type=int, default=500)
    parser.add_argument("--measures", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=30000)


def add_workspace_arguments(parser: argparse.ArgumentParser) -> None:
    """--workspace (made once, then reused) and the size arguments, for the benchmarks."""
    parser.add_argument(
        "--workspace", type=Path, help="make the workspace here once, then reuse it"
    )
    add_size_arguments(parser)


def ensure_workspace(args: argparse.Namespace, root: Path) -> Path:
    """The benchmark's workspace: --workspace, or root/inputs; written when it is not there."""
    workspace = args.workspace or root / "inputs"
    if not (workspace / "measures.xlsx").exists():
        started = time.perf_counter()
        build_province_workspace(workspace, args.departments, args.measures, args.rows)
        print(f"workspace written in {time.perf_counter() - started:.1f} s: {workspace}")
    return workspace


def size_line(args: argparse.Namespace) -> str:
    return (
        f"{args.departments} departments, {args.measures:,} measures, {args.rows:,} feedback rows\n"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="workspace folder (default: a new temp dir)")
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    root = args.out or Path(tempfile.mkdtemp(prefix="docgen-province-")) / "inputs"
    started = time.perf_counter()
    build_province_workspace(root, args.departments, args.measures, args.rows)
    print(f"{root} written in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
