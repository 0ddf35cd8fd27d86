"""The counting rules on the small campaign of conftest.py, every number worked out by hand.

As of 2026-06-15, warning window 7 days. Latest submission per (measure, department):
  JS-01  办公室 已完成                                     -> 已完成, deadline 3-31 passed but done
  JS-02  机关党委 推进中, 办公室 已完成 (synonym 完成),
         人事处 已完成 (second file, 6-12, beats 未启动 of 6-01) -> least reported: 推进中; 6-30 is 15 days away
  YA-001 人事处 推进中, 财务处 no row                    -> 推进中; 6-20 is 5 days away: due soon (yellow)
  YA-002 财务处 no row, 长期坚持 deadline                -> 未反馈, never overdue
  XC-001 办公室 推进中 (synonym 正在推进), 财务处 no row   -> 推进中; 5-31 passed by 15 days: overdue (red)
  XC-002 人事处 已完成 (second file)                     -> 已完成
Totals: 6 measures, done 2, doing 3, unreported 1, overdue 1, due soon 1, rate 2/6 = 33.3%.
"""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from campaigns import write_large_campaign
from click.testing import CliRunner
from conftest import SMALL_AS_OF, campaign_of, copy_sample, make_workspace, sample_copy

from docgen.aggregation import (
    GREEN,
    RED,
    YELLOW,
    Counts,
    Summary,
    measure_status,
    summarise_progress,
)
from docgen.cli import main
from docgen.model import (
    DOING,
    DONE,
    LEAD,
    NOT_STARTED,
    REFUTED,
    STANDING,
    UNREPORTED,
    VERIFIED,
    VERIFIED_WITH_REMARKS,
)
from docgen.spot_check.sheets import CHECK, CLAIM, HEADER_ROW
from docgen.validation import validate_inputs
from docgen.workspace import open_workspace


@pytest.fixture
def summary(small_workspace):
    campaign = campaign_of(small_workspace, SMALL_AS_OF)
    assert campaign.inputs.report.issues == []
    return campaign.summary


def test_measure_statuses_follow_the_least_advanced_rule(summary):
    statuses = {m.id: m.status for m in summary.measures}
    assert statuses == {
        "JS-01": "已完成",
        "JS-02": "推进中",
        "YA-001": "推进中",
        "YA-002": "未反馈",
        "XC-001": "推进中",
        "XC-002": "已完成",
    }


def test_lights_and_days(summary):
    lights = {m.id: m.light for m in summary.measures}
    assert lights == {
        "JS-01": GREEN,
        "JS-02": GREEN,
        "YA-001": YELLOW,
        "YA-002": GREEN,
        "XC-001": RED,
        "XC-002": GREEN,
    }
    assert summary.measure("XC-001").overdue_days == 15  # 5-31 -> 6-15
    assert summary.measure("YA-001").days_left == 5  # 6-15 -> 6-20
    assert summary.measure("YA-002").deadline is None
    assert summary.measure("JS-01").overdue_days == 0  # passed, but done
    assert [m.id for m in summary.overdue] == ["XC-001"]
    assert [m.id for m in summary.due_soon] == ["YA-001"]


def test_overall_counts(summary):
    c = summary.counts
    assert (c.total, c.done, c.doing, c.not_started, c.standing, c.unreported) == (6, 2, 3, 0, 0, 1)
    assert (c.overdue, c.due_soon) == (1, 1)
    assert round(c.rate * 100, 1) == 33.3  # 2 / 6


def test_streams(summary):
    # 警示教育: JS-01 done, JS-02 doing -> 1/2. 以案促改: YA-001 doing (due soon), YA-002 unreported.
    # 巡察整改: XC-002 done, XC-001 doing and overdue.
    rows = {s.name: s.counts for s in summary.streams}
    assert list(rows) == ["警示教育", "以案促改", "巡察整改"]
    assert (rows["警示教育"].total, rows["警示教育"].done, rows["警示教育"].rate) == (2, 1, 0.5)
    assert (rows["以案促改"].done, rows["以案促改"].unreported, rows["以案促改"].due_soon) == (
        0,
        1,
        1,
    )
    assert (rows["巡察整改"].done, rows["巡察整改"].overdue) == (1, 1)


def test_aspects_and_problems(summary):
    aspects = {a.name: (a.counts.total, a.counts.done) for a in summary.aspects}
    # JS-01, JS-02 学习反思; YA-001 制度完善; YA-002 机制建设; XC rows have none.
    assert aspects == {"学习反思": (2, 1), "机制建设": (1, 0), "制度完善": (1, 0)}
    problems = {p.name: (p.counts.total, p.counts.done, p.counts.overdue) for p in summary.problems}
    assert problems == {"1.问题A": (2, 1, 1)}


def test_departments_ranked_by_assignment(summary):
    # 人事处: JS-02 done, YA-001 doing, XC-002 done -> 2/3, overdue 0, leads YA-001 and XC-002.
    # 办公室: JS-01 done, JS-02 done, XC-001 doing (5-31 passed) -> 2/3, overdue 1, leads JS-01, XC-001.
    # 机关党委: JS-02 doing -> 0/1. 财务处: YA-001, YA-002, XC-001 all unreported, XC-001 overdue.
    ranked = [
        (d.name, d.counts.total, d.counts.done, d.counts.overdue, d.lead)
        for d in summary.departments
    ]
    assert ranked == [
        ("人事处", 3, 2, 0, 2),
        ("办公室", 3, 2, 1, 2),
        ("机关党委", 1, 0, 0, 1),
        ("财务处", 3, 0, 1, 1),
    ]
    finance = summary.department("财务处")
    assert finance.sent_nothing and finance.counts.unreported == 3
    assert finance.unreported_ids == ("YA-001", "YA-002", "XC-001")
    assert summary.department("办公室").overdue_ids == ("XC-001",)
    # 第一分局 is in docgen.toml but has no assignment: neither ranked nor listed as silent.
    assert summary.silent_departments == ("财务处",)


def test_leaders_fall_back_to_the_lead_departments_leader(summary):
    # 王建国: JS-01, JS-02, XC-001 (no 分管领导 in the sheet; 办公室's leader in docgen.toml).
    # 李明: YA-001, XC-002, YA-002 (from 财务处's leader).
    leaders = {g.name: (g.counts.total, g.counts.done, g.counts.overdue) for g in summary.leaders}
    assert leaders == {"王建国": (3, 1, 1), "李明": (3, 1, 0)}


def test_latest_submission_wins_and_keeps_its_content(summary):
    hr = next(a for a in summary.measure("XC-002").assignments if a.department == "人事处")
    assert hr.status == "已完成"
    assert hr.progress == "已腾退2间"
    assert hr.completed_on == dt.date(2026, 6, 11)
    assert summary.measure("XC-002").completed_on == dt.date(2026, 6, 11)


def test_same_day_resubmission_is_decided_by_file_order(tmp_path):
    import os

    feedback = {
        "a_first.xlsx": [["JS-01", "办公室", "推进中", "", "", "", dt.date(2026, 6, 1)]],
        "b_second.xlsx": [
            ["JS-01", "办公室", "已完成", "", dt.date(2026, 6, 1), "", dt.date(2026, 6, 1)]
        ],
    }
    root = make_workspace(tmp_path / "ws", measures=None, feedback=feedback)
    # The file modified last wins, whatever its name.
    os.utime(root / "feedback" / "b_second.xlsx", (1_000_000, 1_000_000))
    os.utime(root / "feedback" / "a_first.xlsx", (2_000_000, 2_000_000))
    workspace = open_workspace(root, SMALL_AS_OF, SMALL_AS_OF)
    inputs = validate_inputs(workspace)
    summary = summarise_progress(inputs.measures, inputs.feedback, SMALL_AS_OF, workspace.settings)
    assert summary.measure("JS-01").status == "推进中"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "未反馈"),
        (["未反馈", "未反馈"], "未反馈"),
        (["已完成"], "已完成"),
        (["已完成", "已完成"], "已完成"),
        (["已完成", "未反馈"], "推进中"),  # one done, one silent: not finished
        (["长期坚持", "已完成"], "长期坚持"),
        (["推进中", "长期坚持", "未反馈"], "推进中"),
        (["未启动", "已完成"], "未启动"),
    ],
)
def test_measure_status(statuses, expected):
    assert measure_status(statuses) == expected


def test_standing_measure_never_overdue_and_not_counted_done(tmp_path):
    measures = [["YA-009", "以案促改", "", "常态化开展廉政谈话", "", "办公室", "", "", "持续推进"]]
    feedback = {"办公室.xlsx": [["YA-009", "办公室", "长期坚持", "每季度谈话", "", "", ""]]}
    root = make_workspace(tmp_path / "ws", measures=measures, feedback=feedback)
    workspace = open_workspace(root, dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    inputs = validate_inputs(workspace)
    summary = summarise_progress(
        inputs.measures, inputs.feedback, dt.date(2027, 1, 1), workspace.settings
    )
    assert summary.counts.standing == 1
    assert summary.counts.done == 0
    assert summary.counts.overdue == 0
    assert summary.counts.rate == 0


def test_summary_json_has_iso_dates_and_rates(summary):
    data = summary.to_dict()
    assert data["as_of"] == "2026-06-15"
    assert data["rate"] == 33.3
    assert data["overdue"][0]["id"] == "XC-001"
    assert data["overdue"][0]["deadline"] == "2026-05-31"


def test_submissions_after_the_as_of_date_are_left_out(small_workspace):
    # As of 2026-06-10, 人事处's second file (dated 6-12) is not yet in: XC-002 is 推进中 as its
    # first file says, and JS-02 has 人事处 at 未启动. Every file of 6-01/6-02 counts.
    day = dt.date(2026, 6, 10)
    summary = campaign_of(small_workspace, day).summary
    assert summary.measure("XC-002").status == "推进中"
    assert summary.measure("JS-02").status == "未启动"
    assert summary.counts.done == 1  # JS-01 only


# --- department counts (issue 17): one groupby, the same as counting department by department ---

SAMPLE = sample_copy()
SAMPLE_AS_OF = dt.date(2026, 11, 26)


def counted_one_by_one(summary: Summary) -> list[tuple]:
    """Each department's figures counted the plain way, from the measures' assignments, in the
    order the summary ranks departments."""
    found: dict[str, list] = {}
    for measure in summary.measures:
        for assignment in measure.assignments:
            found.setdefault(assignment.department, []).append((measure, assignment))
    rows = []
    for name, pairs in found.items():
        statuses = [a.status for _, a in pairs]
        open_ = [(m, a) for m, a in pairs if a.status != DONE]
        overdue = tuple(m.id for m, _ in open_ if m.overdue)
        due_soon = sum(
            m.days_left is not None and 0 <= m.days_left <= summary.warning_days for m, _ in open_
        )
        counts = (
            len(pairs),
            *(statuses.count(s) for s in (DONE, DOING, NOT_STARTED, STANDING, UNREPORTED)),
            len(overdue),
            due_soon,
            sum(a.closed for _, a in pairs),
            sum(a.refuted for _, a in pairs),
        )
        lead = sum(a.role == LEAD for _, a in pairs)
        unreported = tuple(m.id for m, a in pairs if a.status == UNREPORTED)
        rows.append((name, counts, lead, overdue, unreported))
    basis = summary.counts.basis
    rows.sort(key=lambda r: (-Counts(*r[1], basis=basis).rate, len(r[3]), -r[1][0], r[0]))
    return rows


def department_rows(summary: Summary) -> list[tuple]:
    return [
        (
            d.name,
            (
                d.counts.total,
                d.counts.done,
                d.counts.doing,
                d.counts.not_started,
                d.counts.standing,
                d.counts.unreported,
                d.counts.overdue,
                d.counts.due_soon,
                d.counts.closed,
                d.counts.refuted,
            ),
            d.lead,
            d.overdue_ids,
            d.unreported_ids,
        )
        for d in summary.departments
    ]


def with_spot_checks(root: Path) -> Path:
    """A copy of the sample with a plan drawn and each stream lead's sheet returned: its first
    claim 不属实, its second 属实, its third 基本属实."""
    workspace = root / "inputs"
    copy_sample(workspace)
    out = root / "plan"
    args = ["spot-check", "plan", "--inputs", workspace, "--out", out, "--as-of", SAMPLE_AS_OF]
    result = CliRunner().invoke(main, [str(a) for a in [*args, "--seed", "20261126"]])
    assert result.exit_code == 0, result.output
    verdict = len(CLAIM) + [c[0] for c in CHECK].index("核查结果") + 1
    for path in sorted((out / SAMPLE_AS_OF.isoformat() / "督导抽查").glob("督导抽查记录表_*.xlsx")):
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["督导抽查记录表"]
        for n, word in enumerate((REFUTED, VERIFIED, VERIFIED_WITH_REMARKS), start=1):
            sheet.cell(HEADER_ROW + n, verdict).value = word
            sheet.cell(HEADER_ROW + n, len(CLAIM) + len(CHECK)).value = "2026-11-25"
        (workspace / "spot-checks").mkdir(exist_ok=True)
        workbook.save(workspace / "spot-checks" / path.name)
    return workspace


@pytest.mark.parametrize("which", ["sample", "sample in June", "160 measures", "spot-checked"])
def test_department_counts_equal_a_count_department_by_department(which, tmp_path):
    if which == "160 measures":
        summary = campaign_of(write_large_campaign(tmp_path / "large"), SAMPLE_AS_OF).summary
    elif which == "spot-checked":
        summary = campaign_of(with_spot_checks(tmp_path), SAMPLE_AS_OF).summary
        assert summary.spot_checked
        assert sum(d.counts.refuted for d in summary.departments) > 0
        assert sum(d.counts.closed for d in summary.departments) > 0
    else:
        as_of = dt.date(2026, 6, 15) if which == "sample in June" else SAMPLE_AS_OF
        summary = campaign_of(SAMPLE, as_of).summary
    assert sum(d.counts.overdue for d in summary.departments) > 0
    assert department_rows(summary) == counted_one_by_one(summary)
