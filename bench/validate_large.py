"""docgen's whole data stage on a large, valid workspace: read, validate, aggregate.

Builds (once, seeded) a workspace of 5,000 measures and one feedback workbook of 50,000 rows that
satisfy the input contract, then times docgen's loading + validation and aggregation, and, as the
baseline in the same run, `pandas.read_excel` (default engine) reading the same two files.

    python bench/validate_large.py [--measures 5000] [--rows 50000] [--workspace DIR]
"""

import argparse
import datetime as dt
import random
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from docgen.aggregation import summarise_progress
from docgen.validation import validate_inputs
from docgen.workspace import open_workspace

STREAMS = ("警示教育", "以案促改", "巡察整改")
STATUSES = ("已完成", "推进中", "未启动", "长期坚持")
VERBS = ("修订", "制定", "建立", "完善", "开展", "组织", "落实", "排查")
OBJECTS = (
    "公务接待管理办法",
    "干部选拔任用工作规程",
    "廉政风险点防控清单",
    "财务报销审批流程",
    "行政审批事项清单",
    "监管检查计划",
    "警示教育专题学习",
    "重点岗位轮岗交流",
)
PROGRESS = (
    "已召开专题会议{n}次，形成会议纪要",
    "已修订制度{n}项，正在征求意见",
    "已完成自查{n}轮，发现问题{m}个并整改",
    "已组织培训{n}场，覆盖干部{m}人",
)


def build_workspace(root: Path, measures: int, rows: int, seed: int = 2026) -> Path:
    rng = random.Random(seed)
    departments = [f"第{i}分局" for i in range(1, 61)] + [f"综合{i}处" for i in range(1, 41)]
    root.mkdir(parents=True, exist_ok=True)
    (root / "feedback").mkdir(exist_ok=True)

    book = Workbook(write_only=True)
    sheet = book.create_sheet("举措清单")
    sheet.append(["江淮省2026年举措清单"])
    sheet.append(
        [
            "编号",
            "专项",
            "问题",
            "具体举措",
            "重点方面",
            "牵头部门",
            "责任部门",
            "分管领导",
            "完成时限",
        ]
    )
    assignments = []
    for number in range(1, measures + 1):
        stream = STREAMS[number % 3]
        owners = rng.sample(departments, rng.randint(1, 4))
        measure_id = f"M-{number:05d}"
        assignments.extend((measure_id, owner) for owner in owners)
        deadline = "长期坚持" if rng.random() < 0.1 else dt.date(2026, rng.randint(1, 12), 28)
        sheet.append(
            [
                measure_id,
                stream,
                f"{number % 20 + 1}.问题描述" if stream == "巡察整改" else "",
                f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，明确责任分工和完成时限",
                rng.choice(("学习反思", "机制建设", "制度完善", "监管履职")),
                owners[0],
                "、".join(owners[1:]),
                rng.choice(("王建国", "李明", "赵文静")),
                deadline,
            ]
        )
    book.save(root / "measures.xlsx")

    book = Workbook(write_only=True)
    sheet = book.create_sheet("反馈表")
    sheet.append(["编号", "填报单位", "完成状态", "进展情况", "完成时间", "佐证材料", "填报日期"])
    for index in range(rows):
        measure_id, owner = assignments[index % len(assignments)]
        status = rng.choice(STATUSES)
        sheet.append(
            [
                measure_id,
                owner,
                status,
                rng.choice(PROGRESS).format(n=rng.randint(1, 9), m=rng.randint(1, 60)),
                dt.date(2026, rng.randint(1, 11), 15) if status == "已完成" else None,
                "会议纪要、签到表",
                dt.date(2026, 1 + index * 10 // rows, 20),
            ]
        )
    book.save(root / "feedback" / "汇总反馈.xlsx")
    return root


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--workspace", type=Path, help="reuse or create the workspace here")
    args = parser.parse_args(argv)

    root = args.workspace or Path(tempfile.mkdtemp(prefix="docgen-bench-")) / "ws"
    if not (root / "measures.xlsx").exists():
        started = time.perf_counter()
        build_workspace(root, args.measures, args.rows)
        print(f"built {root} in {time.perf_counter() - started:.1f} s")

    as_of = dt.date(2026, 11, 26)
    started = time.perf_counter()
    workspace = open_workspace(root, as_of, as_of)
    inputs = validate_inputs(workspace)
    validated = time.perf_counter() - started
    started = time.perf_counter()
    summary = summarise_progress(
        inputs.measures, inputs.feedback, as_of, workspace.settings, inputs.departments
    )
    aggregated = time.perf_counter() - started
    assert inputs.report.valid, inputs.report.errors[:3]

    started = time.perf_counter()
    for path in (root / "measures.xlsx", root / "feedback" / "汇总反馈.xlsx"):
        pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    baseline = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(inputs.measures):,} measures, {len(inputs.feedback):,} feedback rows, "
        f"{summary.counts.done:,} measures done"
    )
    print(f"{'stage':<44}{'seconds':>9}")
    print(f"{'docgen read + validate':<44}{validated:>9.2f}")
    print(f"{'docgen aggregate':<44}{aggregated:>9.2f}")
    print(f"{'docgen total':<44}{validated + aggregated:>9.2f}")
    print(f"{'baseline: pandas.read_excel, default engine':<44}{baseline:>9.2f}")
    print(
        f"ratio baseline read / docgen read+validate+aggregate: {baseline / (validated + aggregated):.1f}x"
    )
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
