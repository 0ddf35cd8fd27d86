"""What the brief's template is filled with: numbers, names and lists, never sentences (those
are in layout.py): the figures of this issue, what changed since the previous one (from the two
snapshots), the departments that returned a form ranked by completion rate, those that returned
nothing (unknown, never ranked), the overdue and not started measures, and the 报/送/发 lines.

Every count the prose gives is one quantity of docgen.aggregation.Summary or one of the named
lists below, so that two sentences never count the same thing twice in two ways.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import TypedDict

from docgen import cn
from docgen.aggregation import Counts, DepartmentProgress, MeasureProgress, Summary, sum_counts
from docgen.charts import cjk_font_available, progress_picture, ranking_picture
from docgen.documents.base import (
    BaseContext,
    Figures,
    Job,
    base_context,
    completion_basis,
    deadline_text,
    figures,
)
from docgen.documents.naming import office_name
from docgen.documents.recipients import brief_recipients, copies
from docgen.history import BriefIssue
from docgen.model import DONE, NOT_STARTED, UNREPORTED
from docgen.rendering import Picture

# The praised and the lagging groups: departments in the top (bottom) RANKS_NAMED ranks, ties
# included, and above (below) the overall rate. A group of more than NAMED_AT_MOST names is
# narrowed to fewer ranks; a tie for first place that alone is larger is given as a count.
RANKS_NAMED = 3
NAMED_AT_MOST = 5

# What a department's own part of an open measure is called in the lists (wording follows the
# status: a department that sent nothing on it has not reported, which says nothing of the work).
PART_WORDS = {UNREPORTED: "未报送进展"}

ATTACHMENT_RANKING = "各部门任务完成情况排名表"


class RankingRow(TypedDict):
    rank: int
    name: str
    total: int
    done: int
    overdue: int
    unreported: int
    rate: str


class SilentRow(TypedDict):
    """A department that returned nothing: what it answers for, and how much of it is past
    its deadline. Its progress is unknown; it is not ranked."""

    name: str
    total: int
    overdue: int


class NamedGroup(TypedDict):
    """The departments a sentence names by a stated rule: `ranks` is how many ranks from the
    top (or the bottom) the rule took in, `rows` the departments, `tied` when they are too many
    to name and share one rank (then the sentence gives the count)."""

    ranks: int
    rows: list[RankingRow]
    tied: bool


class OpenPart(TypedDict):
    name: str
    status: str


class StatusGroup(TypedDict):
    """The departments of an open measure that reported the same status (未反馈: none)."""

    status: str
    names: list[str]


class OpenRow(TypedDict):
    id: str
    text: str
    deadline: str
    days: int
    not_started: bool
    parts: list[OpenPart]
    groups: list[StatusGroup]


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
    newly_closed: list[str]
    newly_refuted: list[str]
    rate_then: str
    rate_now: str
    rate_delta: str
    rate_direction: int


class BriefContext(BaseContext):
    """Everything supervision_brief.docx uses."""

    basis: str
    refuted: list[dict]
    charts: dict[str, Picture]
    issue_no: int
    editor: str
    change: Change | None
    assignments: Figures
    ranking: list[RankingRow]
    n_ranks: int
    fast: NamedGroup
    slow: NamedGroup
    all_done: list[str]
    silent: list[SilentRow]
    silent_total: int
    partial: list[Partial]
    partial_total: int
    done_without_evidence: int
    overdue: list[OpenRow]
    overdue_departments: list[str]
    not_started: list[str]
    not_started_overdue: int
    open_rows: list[OpenRow]
    due_soon: list[str]
    return_deadline: dt.date | None
    report_by: dt.date
    catch_up_by: dt.date
    attachments: list[str]
    brief_report: list[str]
    brief_send: list[str]
    brief_issue: list[str]
    copies: int


def brief_context(job: Job, issue: BriefIssue, previous: BriefIssue | None) -> BriefContext:
    """Everything supervision_brief.docx uses, for this issue and the one before it."""
    summary, settings = job.summary, job.settings
    departments = list(summary.departments)
    assignments = _assignment_counts(departments)
    ranking = rank_departments(departments)
    average = _printed(assignments.rate)
    silent = [d for d in departments if d.sent_nothing]
    partial = [d for d in departments if d.unreported_ids and not d.sent_nothing]
    overdue = [_open_row(m) for m in summary.overdue]
    not_started = [m for m in summary.measures if m.status == NOT_STARTED]
    overdue_ids = {m.id for m in summary.overdue}
    report, send, issued = brief_recipients(settings, departments)
    open_rows = overdue + [_open_row(m) for m in not_started if m.id not in overdue_ids]
    return {
        **base_context(job),
        "basis": completion_basis(
            summary.counts,
            "本期所称“完成”均为各部门报告的完成情况，尚未经督导抽查核实。",
            "本期所称“完成”为各部门报告的完成情况",
        ),
        "charts": _charts(summary, departments, ranking),
        "issue_no": issue.number,
        "editor": office_name(settings),
        "change": change_since(summary, previous) if previous else None,
        "assignments": figures(assignments),
        "ranking": ranking,
        "n_ranks": ranking[-1]["rank"] if ranking else 0,
        "fast": named_group(ranking, lambda rate: rate > average),
        "slow": _in_ranking_order(named_group(ranking[::-1], lambda rate: rate < average)),
        "all_done": [d.name for d in departments if d.counts.all_done],
        "silent": [
            {"name": d.name, "total": d.counts.total, "overdue": d.counts.overdue} for d in silent
        ],
        "silent_total": sum(d.counts.total for d in silent),
        "partial": [{"name": d.name, "count": len(d.unreported_ids)} for d in partial],
        "partial_total": sum(len(d.unreported_ids) for d in partial),
        # Claims a spot-check found 不属实, each with who checked, what was found, the new date.
        "refuted": [
            {
                "id": m.id,
                "department": a.department,
                "checker": a.checker,
                "finding": a.finding,
                "redo_by": a.redo_by,
            }
            for m in summary.refuted
            for a in m.assignments
            if a.refuted
        ],
        "done_without_evidence": sum(
            1
            for m in summary.measures
            for a in m.assignments
            if a.status == DONE and not a.evidence
        ),
        "overdue": overdue,
        "overdue_departments": list(
            dict.fromkeys(p["name"] for row in overdue for p in row["parts"])
        ),
        "not_started": [m.id for m in not_started],
        "not_started_overdue": sum(1 for m in not_started if m.id in overdue_ids),
        "open_rows": open_rows,
        "due_soon": [m.id for m in summary.due_soon],
        "return_deadline": settings.campaign.return_deadline,
        "report_by": job.report_by,
        "catch_up_by": job.catch_up_by,
        "attachments": [open_list_title(overdue, not_started)] * bool(open_rows)
        + [ATTACHMENT_RANKING],
        "brief_report": report,
        "brief_send": send,
        "brief_issue": issued,
        "copies": copies(report, send, departments, settings),
    }


# --- ranking ----------------------------------------------------------------------------------


def rank_departments(departments: list[DepartmentProgress]) -> list[RankingRow]:
    """The departments that returned a form, by completion rate of their assignments as printed
    (one decimal), highest first. Equal rates share a rank (并列) and the next rate takes the
    next number, so that no number is skipped: 1, 2, 2, 3. Within a rank: fewer overdue, more
    assignments, then the name. A department that returned nothing is not ranked: its progress
    is unknown, not nil."""
    returned = [d for d in departments if not d.sent_nothing]
    returned.sort(
        key=lambda d: (-_printed(d.counts.rate), d.counts.overdue, -d.counts.total, d.name)
    )
    rows: list[RankingRow] = []
    for department in returned:
        c = department.counts
        rate = _printed(c.rate)
        if not rows:
            rank = 1
        elif _printed_text(rows[-1]["rate"]) == rate:
            rank = rows[-1]["rank"]
        else:
            rank = rows[-1]["rank"] + 1
        rows.append(
            {
                "rank": rank,
                "name": department.name,
                "total": c.total,
                "done": c.done,
                "overdue": c.overdue,
                "unreported": c.unreported,
                "rate": cn.percent(c.rate),
            }
        )
    return rows


def named_group(ranked: list[RankingRow], qualifies, ranks: int = RANKS_NAMED) -> NamedGroup:
    """The departments of the first `ranks` ranks of `ranked` (the ranking, or the ranking
    reversed for the lagging ones) whose rate qualifies (above the overall rate, or below it),
    ties included. A campaign with few ranks names fewer of them (a third of the ranks, at least
    one), so that the top and the bottom never meet; a group of more than NAMED_AT_MOST is
    narrowed to fewer ranks, and a tie at the first rank that is still too large is `tied`."""
    distinct = len({row["rank"] for row in ranked})
    ranks = max(1, min(ranks, distinct // 3))
    if not ranked:
        return {"ranks": 0, "rows": [], "tied": False}
    first = ranked[0]["rank"]
    for taken in range(ranks, 0, -1):
        rows = [
            row
            for row in ranked
            if abs(row["rank"] - first) < taken and qualifies(_printed_text(row["rate"]))
        ]
        if len(rows) <= NAMED_AT_MOST:
            return {"ranks": taken, "rows": rows, "tied": False}
    return {"ranks": 1, "rows": rows, "tied": True}


def _in_ranking_order(group: NamedGroup) -> NamedGroup:
    return {**group, "rows": group["rows"][::-1]}


# --- the lists ----------------------------------------------------------------------------------


def open_list_title(overdue: list, not_started: list) -> str:
    """The attachment that lists the open measures, named for what it holds."""
    kinds = "和".join(k for k, items in (("逾期", overdue), ("未启动", not_started)) if items)
    return f"{kinds}举措清单"


def _open_row(measure: MeasureProgress) -> OpenRow:
    """An overdue or not started measure with each department whose part is not done, lead first,
    and what that department reported (`parts` for the table, `groups` for a sentence)."""
    open_parts = [a for a in measure.assignments if a.status != DONE]
    by_status: dict[str, list[str]] = {}
    for part in open_parts:
        by_status.setdefault(part.status, []).append(part.department)
    return {
        "id": measure.id,
        "text": measure.text,
        "deadline": deadline_text(measure),
        "days": measure.overdue_days,
        "not_started": measure.status == NOT_STARTED,
        "parts": [
            {"name": a.department, "status": PART_WORDS.get(a.status, a.status)} for a in open_parts
        ],
        "groups": [{"status": status, "names": names} for status, names in by_status.items()],
    }


def _assignment_counts(departments: list[DepartmentProgress]) -> Counts:
    basis = departments[0].counts.basis if departments else "reported"
    return sum_counts((d.counts for d in departments), basis)


def _charts(
    summary: Summary, departments: list[DepartmentProgress], ranking: list[RankingRow]
) -> dict[str, Picture]:
    """The streams' progress, and the ranked departments' rates in the order of the ranking
    (a department that returned nothing has no rate to draw)."""
    if not cjk_font_available():
        return {}
    charts = {}
    if summary.streams:
        charts["streams"] = progress_picture(summary, summary.streams, "分专项完成情况")
    if ranking:
        by_name = {d.name: d for d in departments}
        ranked = replace(summary, departments=tuple(by_name[row["name"]] for row in ranking))
        charts["departments"] = ranking_picture(ranked, "已报送部门任务完成率")
    return charts


# --- change since the previous issue ----------------------------------------------------------


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
    # The rate then, on this build's basis ([spot_check] rate_basis).
    verified = summary.counts.basis == "verified"
    previous_done = sum(
        1 for s in before.values() if (s.get("closed") if verified else s.get("status") == DONE)
    )
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
        # Closed (已销号) or found 不属实 by a spot-check since the previous issue.
        "newly_closed": [i for i, m in now.items() if m.closed and not was(i, "closed", False)],
        "newly_refuted": [i for i, m in now.items() if m.refuted and not was(i, "refuted", False)],
        "rate_then": f"{rate_then}%",
        "rate_now": f"{rate_now}%",
        "rate_delta": f"{abs(delta)}",
        "rate_direction": (delta > 0) - (delta < 0),
    }


def _printed(rate: float) -> Decimal:
    return _printed_text(cn.percent(rate))


def _printed_text(rate: str) -> Decimal:
    return Decimal(rate.rstrip("%"))
