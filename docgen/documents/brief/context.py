"""What the brief's template is filled with: numbers, names and lists, never sentences (those
are in layout.py): the figures of this issue, what changed since the previous one (from the two
snapshots), departments ranked by completion, the overdue, not started and unreported lists.
"""

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from docgen import cn
from docgen.aggregation import Counts, DepartmentProgress, MeasureProgress, Summary
from docgen.charts import brief_charts
from docgen.documents.base import BaseContext, Figures, Job, base_context, deadline_text, figures
from docgen.documents.naming import office_name
from docgen.history import BriefIssue
from docgen.model import DONE, NOT_STARTED
from docgen.rendering import Picture

# Days the brief gives late departments to answer when it sets no other date.
# How many departments the brief names as moving fastest or slowest (fewer in a small campaign).
NAMED_DEPARTMENTS = 3


class DepartmentItem(TypedDict):
    name: str
    total: int
    done: int
    rate: str


class RankingRow(TypedDict):
    rank: int
    name: str
    total: int
    done: int
    overdue: int
    unreported: int
    rate: str


class OverdueRow(TypedDict):
    id: str
    text: str
    lead: str
    open: list[str]
    deadline: str
    days: int
    status: str


class Partial(TypedDict):
    name: str
    count: int


class Change(TypedDict):
    """What moved since the previous issue (change_since)."""

    number: int
    as_of: dt.date
    added: list[str]
    newly_done: list[str]
    newly_done_overdue: list[str]
    reopened: list[str]
    newly_overdue: list[str]
    rate_then: str
    rate_now: str
    rate_delta: str
    rate_direction: int


class BriefContext(BaseContext):
    """Everything supervision_brief.docx uses."""

    charts: dict[str, Picture]
    issue_no: int
    editor: str
    change: Change | None
    assignments: Figures
    ranking: list[RankingRow]
    fast: list[DepartmentItem]
    slow: list[DepartmentItem]
    all_done: list[DepartmentItem]
    overdue: list[OverdueRow]
    overdue_owners: list[str]
    not_started: list[str]
    due_soon: list[str]
    silent: list[str]
    partial: list[Partial]
    partial_total: int
    n_reported: int
    return_deadline: dt.date | None
    reply_by: dt.date
    report_by: dt.date
    brief_report: list[str]
    brief_send: list[str]
    brief_issue: list[str]
    copies: int


def brief_context(job: Job, issue: BriefIssue, previous: BriefIssue | None) -> BriefContext:
    """Everything supervision_brief.docx uses, for this issue and the one before it."""
    summary, settings = job.summary, job.settings
    addressees = settings.addressees
    departments = list(summary.departments)
    assignments = _assignment_counts(departments)
    fast, slow = ranked_extremes(departments, assignments.rate)
    overdue_owners = list(
        dict.fromkeys(name for m in summary.overdue for name in open_departments(m))
    )
    partial = [d for d in departments if d.unreported_ids and not d.sent_nothing]
    reply_by = job.report_by
    return_deadline = settings.campaign.return_deadline
    return {
        **base_context(job),
        "charts": brief_charts(summary),
        "issue_no": issue.number,
        "editor": office_name(settings),
        "change": change_since(summary, previous) if previous else None,
        "assignments": figures(assignments),
        "ranking": [_department_row(rank, d) for rank, d in enumerate(departments, start=1)],
        "fast": [_department_item(d) for d in fast],
        "slow": [_department_item(d) for d in slow],
        "all_done": [_department_item(d) for d in departments if d.counts.all_done],
        "overdue": [_overdue_row(m) for m in summary.overdue],
        "overdue_owners": overdue_owners,
        "not_started": [m.id for m in summary.measures if m.status == NOT_STARTED],
        "due_soon": [m.id for m in summary.due_soon],
        "silent": list(summary.silent_departments),
        "partial": [{"name": d.name, "count": len(d.unreported_ids)} for d in partial],
        "partial_total": sum(len(d.unreported_ids) for d in partial),
        "n_reported": sum(1 for d in departments if not d.sent_nothing),
        "return_deadline": return_deadline,
        "reply_by": reply_by,
        "report_by": return_deadline
        if return_deadline and return_deadline > summary.as_of
        else reply_by,
        "brief_report": list(addressees.brief_report),
        "brief_send": list(addressees.brief_send),
        "brief_issue": list(addressees.brief_issue),
        "copies": copies(addressees, len(departments)),
    }


def copies(addressees, departments: int) -> int:
    """共印X份: one for each organ or leader under 报 and 送, one for each department when the
    brief is issued (发) to the departments, and one for the office's file."""
    issued = departments if addressees.brief_issue else 0
    return len(addressees.brief_report) + len(addressees.brief_send) + issued + 1


def open_departments(measure: MeasureProgress) -> list[str]:
    """The departments whose own part of a measure is not done, lead first."""
    return [a.department for a in measure.assignments if a.status != DONE]


def _assignment_counts(departments: list[DepartmentProgress]) -> Counts:
    fields = ("total", "done", "doing", "not_started", "standing", "unreported", "overdue")
    return Counts(**{f: sum(getattr(d.counts, f) for d in departments) for f in fields})


def ranked_extremes(
    departments: list[DepartmentProgress], average: float, named: int = NAMED_DEPARTMENTS
) -> tuple[list[DepartmentProgress], list[DepartmentProgress]]:
    """The departments the brief names as moving fastest and as lagging, in that order.

    Fastest: from the top of the ranking, above the average rate and with nothing overdue.
    Lagging: from the bottom, below the average, the slowest first. A tie at the cut takes in the
    whole tie when that stays within twice the number named; otherwise the tie is left out, so
    that no department is named while another with the same rate is not.
    """
    count = named if len(departments) >= 3 * named else max(1, len(departments) // named)
    fast = [d for d in departments if d.counts.rate > average and not d.counts.overdue]
    slow = [d for d in reversed(departments) if d.counts.rate < average]
    return _cut(fast, count), _cut(slow, count)


def _cut(candidates: list[DepartmentProgress], count: int) -> list[DepartmentProgress]:
    if len(candidates) <= count:
        return candidates
    edge = candidates[count - 1].counts.rate
    before = [d for d in candidates[:count] if d.counts.rate != edge]
    tied = [d for d in candidates if d.counts.rate == edge]
    return before + tied if len(before) + len(tied) <= 2 * count else before


def _department_item(department: DepartmentProgress) -> DepartmentItem:
    c = department.counts
    return {"name": department.name, "total": c.total, "done": c.done, "rate": cn.percent(c.rate)}


def _department_row(rank: int, department: DepartmentProgress) -> RankingRow:
    c = department.counts
    return {
        "rank": rank,
        "name": department.name,
        "total": c.total,
        "done": c.done,
        "overdue": c.overdue,
        "unreported": c.unreported,
        "rate": cn.percent(c.rate),
    }


def _overdue_row(measure: MeasureProgress) -> OverdueRow:
    return {
        "id": measure.id,
        "text": measure.text,
        "lead": measure.lead,
        "open": open_departments(measure),
        "deadline": deadline_text(measure),
        "days": measure.overdue_days,
        "status": measure.status,
    }


def change_since(summary: Summary, previous: BriefIssue) -> Change:
    """What moved between the previous issue's snapshot and this one.

    The rates are compared as printed (one decimal), so that "由X%提高到Y%，提高Z个百分点"
    always adds up on the page.
    """
    before = previous.statuses
    now = {m.id: m for m in summary.measures}

    def was(measure_id: str, key: str, default=None):
        return before.get(measure_id, {}).get(key, default)

    newly_done = [i for i, m in now.items() if m.status == DONE and was(i, "status") != DONE]
    reopened = [i for i, m in now.items() if m.status != DONE and was(i, "status") == DONE]
    newly_overdue = [i for i, m in now.items() if m.overdue and not was(i, "overdue_days", 0)]
    previous_done = sum(1 for s in before.values() if s.get("status") == DONE)
    previous_rate = previous_done / len(before) if before else 0.0
    rate_then = _printed(previous_rate)
    rate_now = _printed(summary.counts.rate)
    delta = rate_now - rate_then
    return {
        "number": previous.number,
        "as_of": previous.as_of,
        "added": [i for i in now if i not in before],
        "newly_done": newly_done,
        "newly_done_overdue": [i for i in newly_done if was(i, "overdue_days", 0)],
        "reopened": reopened,
        "newly_overdue": newly_overdue,
        "rate_then": f"{rate_then}%",
        "rate_now": f"{rate_now}%",
        "rate_delta": f"{abs(delta)}",
        "rate_direction": (delta > 0) - (delta < 0),
    }


def _printed(rate: float) -> Decimal:
    return Decimal(cn.percent(rate).rstrip("%"))
