"""What a department's self-check report is filled with: its own assignments, what it reported
itself, its open items and its plans."""

import datetime as dt
from dataclasses import dataclass

from docgen.aggregation import AssignmentProgress, DepartmentProgress, MeasureProgress, Summary
from docgen.config import Settings
from docgen.documents.base import (
    BaseContext,
    Figures,
    Job,
    base_context,
    completion_basis,
    figures,
)
from docgen.documents.self_check import context as shared
from docgen.errors import DocgenError
from docgen.model import DONE, NOT_STARTED

# Highlights: the items a department's report names.
DEPARTMENT_HIGHLIGHTS = 3


class DepartmentReportContext(BaseContext):
    """Everything department_self_check.docx uses. Its figures (c) and streams are the
    department's own, in place of the base context's."""

    basis: str

    streams: list[shared.Stream]
    department: str
    recipient: str
    signature: str
    lead: int
    support: int
    sent_nothing: bool
    highlights: list[dict]
    more_done: int
    inspection_done: int
    overdue: list[dict]
    not_started: list[dict]
    unreported: list[dict]
    due_soon: list[dict]
    no_evidence: list[dict]
    report_by: dt.date
    feedback_problems: list[dict]
    plans: dict[str, list[dict]]
    named: dict[str, shared.Roster]
    attention: list[dict]
    overdue_steps: list[dict]
    notice: str
    inspection: shared.Stream | None
    inspection_c: Figures | None


# A department's part in a measure: the measure, its assignment, the measure's own fields.
Part = tuple[MeasureProgress, AssignmentProgress, dict]


def parts_by_department(summary: Summary) -> dict[str, list[Part]]:
    """Every department's parts in measure order, in one pass: a batch of reports looks each
    department's up rather than walking every measure for each, and cleans a measure's text
    once rather than once for each department it names."""
    found: dict[str, list[Part]] = {}
    for measure in summary.measures:
        fields = shared.measure_fields(measure)
        for assignment in measure.assignments:
            found.setdefault(assignment.department, []).append((measure, assignment, fields))
    return found


@dataclass(frozen=True)
class Scope:
    """What a department's values (department_values) take from the build besides the
    department's progress and parts: the settings and the dates they count from."""

    settings: Settings
    as_of: dt.date
    warning_days: int
    catch_up_by: dt.date
    report_by: dt.date

    @classmethod
    def of(cls, job: Job) -> "Scope":
        summary = job.summary
        return cls(
            job.settings, summary.as_of, summary.warning_days, job.catch_up_by, job.report_by
        )


def department_report_context(
    job: Job, department: str, parts: list[Part] | None = None, base: BaseContext | None = None
) -> DepartmentReportContext:
    """Everything department_self_check.docx uses, for one department's own assignments
    (`parts`, from parts_by_department; found in the summary when not given): the base context
    (a batch passes base_context(job), the same for every department, as `base`) with the
    department's values in place of the campaign's (department_values)."""
    summary = job.summary
    progress = _find_department(summary, department)
    if parts is None:
        parts = parts_by_department(summary).get(department, [])
    return report_context(base or base_context(job), Scope.of(job), progress, parts)


def report_context(
    base: BaseContext, scope: Scope, progress: DepartmentProgress, parts: list[Part]
) -> DepartmentReportContext:
    """The base context with the department's own values in place (department_values)."""
    return {**base, **department_values(scope, progress, parts)}


# The names department_values gives a value, in place of the base context's of the same name.
OWN_NAMES = frozenset(
    {
        "department",
        "recipient",
        "signature",
        "c",
        "basis",
        "lead",
        "support",
        "sent_nothing",
        "streams",
        "highlights",
        "more_done",
        "inspection_done",
        "overdue",  # the lists of shared.open_items
        "not_started",
        "unreported",
        "due_soon",
        "no_evidence",
        "report_by",
        "feedback_problems",
        "plans",
        "named",
        "attention",
        "overdue_steps",
        "notice",
        "inspection",
        "inspection_c",
    }
)


def department_values(scope: Scope, progress: DepartmentProgress, parts: list[Part]) -> dict:
    """A department's own figures, items and plans (the names OWN_NAMES), from its progress and
    its parts alone (with the scope's settings and dates): the build takes a report whose
    inputs are unchanged without building them (department_report.write_department_reports)."""
    settings, as_of, report_by = scope.settings, scope.as_of, scope.report_by
    department = progress.name
    items = [
        _own(m, a, fields, as_of, scope.warning_days, scope.catch_up_by) for m, a, fields in parts
    ]
    streams = []
    for name in dict.fromkeys(item["stream"] for item in items):
        own = [item for item in items if item["stream"] == name]
        problems = shared.problems(own) if name == shared.INSPECTION else []
        streams.append(
            {
                "name": name,
                "c": figures(shared.counts(own, settings.spot_check.rate_basis)),
                "measures": own,
                "problems": problems,
                "aspects": shared.aspect_groups(problems),
                "named": sum(1 for p in problems if p["text"]),
            }
        )
    inspection = next((s for s in streams if s["name"] == shared.INSPECTION), None)
    done_elsewhere = [i for i in items if i["status"] == DONE and i["stream"] != shared.INSPECTION]
    candidates = sorted((i for i in done_elsewhere if i["progress"]), key=shared.example_rank)
    highlights = candidates[:DEPARTMENT_HIGHLIGHTS]
    for item in items:
        item["highlight"] = item in highlights
        # Asked to report by a date after the item is due, a department reports by the deadline.
        deadline = item["deadline"]
        item["report_by"] = (
            min(report_by, deadline) if deadline and deadline >= as_of else report_by
        )
    not_done = [i for i in items if i["status"] != DONE]
    open_lists = shared.open_items(not_done, items)
    # A department that has sent nothing is asked for its form once, not item by item.
    plans = shared.plans(not_done, pending=(NOT_STARTED,) if progress.sent_nothing else None)
    return {
        "department": department,
        "recipient": settings.addressees.lead_office or settings.organisation.office,
        "signature": department,
        "c": figures(progress.counts),
        "basis": completion_basis(
            progress.counts,
            "以上完成情况为本部门自查结果，尚待督导抽查核实。",
            "以上完成情况为本部门自查结果",
        ),
        "lead": progress.lead,
        "support": progress.counts.total - progress.lead,
        "sent_nothing": progress.sent_nothing,
        "streams": streams,
        "highlights": highlights,
        "more_done": len(done_elsewhere) - len(highlights),
        "inspection_done": sum(
            1 for i in items if i["status"] == DONE and i["stream"] == shared.INSPECTION
        ),
        **open_lists,
        "report_by": report_by,
        # Difficulties of open work only: a finished measure is no difficulty.
        "feedback_problems": shared.feedback_problems(
            (i["problems"], department, i["id"]) for i in items if i["status"] != DONE
        ),
        "plans": plans,
        "named": shared.named_once(streams, highlights, open_lists),
        "attention": shared.attention(open_lists, report_by),
        "overdue_steps": shared.overdue_steps(plans["overdue"], report_by),
        "notice": shared.notice(settings),
        "inspection": inspection if inspection and inspection["named"] else None,
        "inspection_c": inspection["c"] if inspection else None,
    }


def _find_department(summary: Summary, name: str) -> DepartmentProgress:
    for department in summary.departments:
        if department.name == name:
            return department
    known = "、".join(d.name for d in summary.departments)
    raise DocgenError(
        f"举措清单中没有由“{name}”承担的举措，无法生成该部门的自查报告。"
        f"请检查部门名称是否与举措清单一致。承担举措的部门有：{known}。"
    )


def _own(
    m: MeasureProgress,
    a: AssignmentProgress,
    fields: dict,
    as_of: dt.date,
    window: int,
    catch_up_by: dt.date,
) -> dict:
    """A department's own part in a measure (`fields`: shared.measure_fields(m)): its role and
    what it reported itself."""
    # A part a spot-check found 不属实 is due again by its new deadline, when that is later.
    due = max(d for d in (m.deadline, a.redo_by) if d) if m.deadline or a.redo_by else None
    overdue_days = (as_of - due).days if due and due < as_of and a.status != DONE else 0
    days_left = m.days_left
    item = {
        **fields,
        "role": a.role,
        "status": a.status,
        "closed": a.closed,
        "refuted": a.refuted,
        "overdue_days": overdue_days,
        "due_soon": a.status != DONE and days_left is not None and 0 <= days_left <= window,
        "completed_on": a.completed_on if a.status == DONE else None,
        "progress": shared.achieved(a.progress),
        "evidence": shared.clean(a.evidence),
        # A finished item has no difficulty left to report.
        "problems": shared.clean(a.problems) if a.status != DONE else "",
        "next_steps": (
            shared.next_text(a.next_steps, a.status, overdue_days) if a.status != DONE else ""
        ),
        "silent": [],
        "plan_date": shared.plan_date(overdue_days, [a], as_of, catch_up_by),
        "expected": shared.late_plan(m, [a] if a.status != DONE else [], as_of),
    }
    item["step"] = shared.step(item)
    return item
