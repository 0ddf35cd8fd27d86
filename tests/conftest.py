"""Fixtures that build small workspaces by code: every test writes only under tmp_path."""

import atexit
import datetime as dt
import functools
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from official_demo import build_templates
from openpyxl import Workbook

from docgen.build import Campaign, load_campaign, make_job
from docgen.documents.base import Job
from docgen.workspace import open_workspace

# Compiled templates go to a folder of the session's own (rendering.kept), not the user's cache:
# the tests fill thousands of generated templates. Subprocesses inherit it.
os.environ["DOCGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="docgen-cache-")
atexit.register(shutil.rmtree, os.environ["DOCGEN_CACHE_DIR"], True)

# The sample inputs shipped in inputs/ (read only: tests work on a copy_sample).
SAMPLE_INPUTS = Path(__file__).resolve().parent.parent / "inputs"


def copy_sample(folder: Path) -> Path:
    """A copy of the sample inputs at `folder`, without their history (.docgen), so that a
    test never writes into inputs/ and always starts from the brief's first issue."""
    shutil.copytree(SAMPLE_INPUTS, folder, ignore=shutil.ignore_patterns(".docgen"))
    return folder


@functools.cache
def sample_copy() -> Path:
    """One copy of the sample inputs for the whole session, for tests that read the sample as it
    is: what their runs remember (.docgen: history, tables read) goes there, not into inputs/."""
    root = Path(tempfile.mkdtemp(prefix="docgen-sample-"))
    atexit.register(shutil.rmtree, root, True)
    return copy_sample(root / "inputs")


MEASURE_HEADER = [
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
FEEDBACK_HEADER = ["编号", "填报单位", "完成状态", "进展情况", "完成时间", "佐证材料", "填报日期"]

CONFIG = """
[organisation]
name = "江淮省测试局"

[campaign]
warning_days = 7

[[departments]]
name = "办公室"
kind = "处室"
leader = "王建国"

[[departments]]
name = "机关党委"
kind = "处室"
leader = "王建国"

[[departments]]
name = "人事处"
kind = "处室"
leader = "李明"

[[departments]]
name = "财务处"
kind = "处室"
leader = "李明"

[[departments]]
name = "第一分局"
kind = "分局"
leader = "李明"
"""
# The measure list's title row, naming the organ as offices write it (the name a workspace
# without docgen.toml goes by).
MEASURES_TITLE = "江淮省测试局2026年警示教育、以案促改和巡察整改工作举措清单"
# What make_workspace writes by default: CONFIG and the one 主送 the reports to the superior need
# (without it the build leaves them out).
WORKSPACE_CONFIG = CONFIG + '\n[addressees]\nsuperior = "中共江淮省纪委监委"\n'


# A hand-checkable campaign; tests/test_aggregation.py works out every number from these rows.
SMALL_MEASURES = [
    [
        "JS-01",
        "警示教育",
        "",
        "召开警示教育大会",
        "学习反思",
        "办公室",
        "",
        "王建国",
        dt.date(2026, 3, 31),
    ],
    [
        "JS-02",
        "警示教育",
        "",
        "开展专题学习讨论",
        "学习反思",
        "机关党委",
        "办公室、人事处",
        "王建国",
        dt.date(2026, 6, 30),
    ],
    [
        "YA-001",
        "以案促改",
        "",
        "修订选人用人制度",
        "制度完善",
        "人事处",
        "财务处",
        "李明",
        "2026年6月20日",
    ],
    ["YA-002", "以案促改", "", "落实财务审批双签制度", "机制建设", "财务处", "", "", "长期坚持"],
    [
        "XC-001",
        "巡察整改",
        "1.问题A",
        "整改公务接待不规范问题",
        "",
        "办公室",
        "财务处",
        "",
        "2026/5/31",
    ],
    [
        "XC-002",
        "巡察整改",
        "1.问题A",
        "清理超标配备办公用房",
        "",
        "人事处",
        "",
        "李明",
        "2026.6.10",
    ],
]
SMALL_FEEDBACK = {
    "办公室.xlsx": [
        [
            "JS-01",
            "办公室",
            "已完成",
            "已召开大会",
            dt.date(2026, 3, 20),
            "会议纪要",
            dt.date(2026, 6, 1),
        ],
        [
            "JS-02",
            "办公室",
            "完成",
            "已组织学习3次",
            dt.date(2026, 5, 10),
            "签到表",
            dt.date(2026, 6, 1),
        ],
        ["XC-001", "办公室", "正在推进", "已修订接待办法初稿", "", "", dt.date(2026, 6, 1)],
    ],
    "机关党委.xlsx": [
        ["JS-02", "机关党委", "推进中", "已制定学习计划", "", "", dt.date(2026, 6, 2)],
    ],
    "人事处_第一次.xlsx": [
        ["JS-02", "人事处", "未启动", "", "", "", dt.date(2026, 6, 1)],
        ["YA-001", "人事处", "推进中", "已形成修订稿", "", "", dt.date(2026, 6, 1)],
        ["XC-002", "人事处", "推进中", "正在清理", "", "", dt.date(2026, 6, 1)],
    ],
    "人事处_第二次.xlsx": [
        [
            "XC-002",
            "人事处",
            "已完成",
            "已腾退2间",
            dt.date(2026, 6, 11),
            "腾退清单",
            dt.date(2026, 6, 12),
        ],
        ["JS-02", "人事处", "已完成", "已学习", dt.date(2026, 6, 12), "", dt.date(2026, 6, 12)],
    ],
}
SMALL_AS_OF = dt.date(2026, 6, 15)


def write_sheet(
    path: Path, header: list, rows: list, title: str | None = None, sheet: str = "Sheet1"
):
    """An .xlsx with an optional merged title row above the header, as offices make them."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def make_workspace(
    root: Path,
    measures=None,
    feedback=None,
    config: str | None = WORKSPACE_CONFIG,
    measure_header=None,
    feedback_header=None,
) -> Path:
    measures = SMALL_MEASURES if measures is None else measures
    feedback = SMALL_FEEDBACK if feedback is None else feedback
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "docgen.toml").write_text(config, encoding="utf-8")
    write_sheet(
        root / "measures.xlsx", measure_header or MEASURE_HEADER, measures, title=MEASURES_TITLE
    )
    (root / "feedback").mkdir(exist_ok=True)
    for name, rows in feedback.items():
        write_sheet(root / "feedback" / name, feedback_header or FEEDBACK_HEADER, rows)
    return root


@pytest.fixture
def small_workspace(tmp_path) -> Path:
    return make_workspace(tmp_path / "ws")


# The time documents are stamped with in tests (brief issues, urging rounds).
NOW = dt.datetime(2026, 6, 15, 9, 0)


def campaign_of(root: Path, as_of: dt.date = SMALL_AS_OF) -> Campaign:
    """The validated, summarised campaign of a workspace as of a date (ValidationFailed if not valid)."""
    return load_campaign(open_workspace(root, as_of, as_of))


def job_for(
    root: Path, out: Path, as_of: dt.date = SMALL_AS_OF, profile: str | None = None, **options
) -> Job:
    """A Job writing a workspace's documents into `out` (font profile: the settings' unless given)."""
    job = make_job(campaign_of(root, as_of), out, NOW, **options)
    return job if profile is None else replace(job, font_profile=profile)


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory) -> dict[str, Path]:
    """The four demo templates of tests/official_demo, built once: name -> path."""
    return build_templates(tmp_path_factory.mktemp("demo_templates"))
