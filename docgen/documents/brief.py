"""督导简报: the issue number and snapshot kept in the history, the figures for the template.

The wording is in the template (docgen/official/layouts/brief.py); this module hands it numbers,
names and lists: the figures of this issue, what changed since the previous one (from the two
snapshots), departments ranked by completion, the overdue, not started and unreported lists.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from docgen import cn
from docgen.aggregation import Counts, DepartmentProgress, MeasureProgress, Summary
from docgen.charts import brief_charts
from docgen.documents.common import Job, base_context, deadline_text, figures, write_docx
from docgen.documents.naming import document_filename
from docgen.history import BriefIssue, claim_brief_issue, open_history
from docgen.model import DONE, NOT_STARTED

TEMPLATE = "supervision_brief.docx"
# Days the brief gives late departments to answer when it sets no other date.
REPLY_DAYS = 7
# How many departments the brief names as moving fastest or slowest (fewer in a small campaign).
NAMED_DEPARTMENTS = 3


def write_brief(job: Job, new_issue: bool = False) -> list[Path]:
    """Claim this issue's number, store its snapshot, and write the brief into job.out_dir.

    Re-running for the as-of date of the latest issue rewrites that issue under its number;
    `new_issue` takes the next number instead (see docgen.history.claim_brief_issue).
    """
    summary = job.summary
    year = job.settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:
        issue, previous = claim_brief_issue(
            connection, year, summary.as_of, snapshot(summary), job.now, new_issue
        )
        context = brief_context(job, issue, previous)
        path = write_docx(
            job, TEMPLATE, context, document_filename(f"督导简报（第{issue.number}期）", ".docx")
        )
    return [path]


def snapshot(summary: Summary) -> dict[str, dict]:
    """What the next issue compares against: each measure's status, light and days overdue."""
    return {
        m.id: {"status": m.status, "light": m.light, "overdue_days": m.overdue_days}
        for m in summary.measures
    }


def brief_context(job: Job, issue: BriefIssue, previous: BriefIssue | None) -> dict:
    summary, settings = job.summary, job.settings
    addressees = settings.addressees
    departments = list(summary.departments)
    assignments = _assignment_counts(departments)
    fast, slow = ranked_extremes(departments, assignments.rate)
    overdue_owners = list(
        dict.fromkeys(name for m in summary.overdue for name in open_departments(m))
    )
    partial = [d for d in departments if d.unreported_ids and not d.sent_nothing]
    reply_by = summary.as_of + dt.timedelta(days=REPLY_DAYS)
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


def office_name(settings) -> str:
    """The office in full: 局办公室 of 江淮省地方金融管理局 is 江淮省地方金融管理局办公室."""
    office = settings.organisation.office
    org = settings.organisation.name
    if office.startswith("局") and org.endswith("局"):
        return org + office[1:]
    return office


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


def _department_item(department: DepartmentProgress) -> dict:
    c = department.counts
    return {"name": department.name, "total": c.total, "done": c.done, "rate": cn.percent(c.rate)}


def _department_row(rank: int, department: DepartmentProgress) -> dict:
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


def _overdue_row(measure: MeasureProgress) -> dict:
    return {
        "id": measure.id,
        "text": measure.text,
        "lead": measure.lead,
        "open": open_departments(measure),
        "deadline": deadline_text(measure),
        "days": measure.overdue_days,
        "status": measure.status,
    }


def change_since(summary: Summary, previous: BriefIssue) -> dict:
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
