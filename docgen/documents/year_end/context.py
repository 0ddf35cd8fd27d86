"""年终总结: the party group's report on the year, from the one Summary.

This module supplies numbers and lists; every sentence is written by the template
(layout.py). What it picks, and why:

- completions by month and quarter come from each done measure's 完成时间 (the latest of its
  departments'); done measures without one are counted apart, never guessed;
- achievements are done measures whose department reported both progress and evidence, those
  whose progress carries figures first, so that every claim points at its evidence;
- rules (制度) are the 《titles》 named in the evidence of done measures;
- problems are the open items with a deadline: overdue, not started, unreported, with the
  reasons their departments gave; standing (长期坚持) work is continuing work, never a problem;
  a long list is counted and shown by its longest-late examples, the rest by cause (附件3 lists
  every open measure);
- the plan is owned and dated: the rest of the year while it lasts, then the next year (what is
  carried over, standing work, verifying the reported completions); an overdue measure's date is
  the one its department's next steps name, else the build's catch-up date (Job.catch_up_by); a
  measure not yet late keeps its own deadline, and one that reaches it at the year's end unfinished
  is given the catch-up date in so many words.

Before 31 December the summary is a pre-summary as of its date, and says so once.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from typing import TypedDict

from docgen import cn
from docgen.aggregation import Counts, MeasureProgress, count_measures
from docgen.charts import year_end_charts
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
from docgen.documents.self_check.context import dates_in
from docgen.model import DOING, DONE, LEAD, NOT_STARTED, STANDING, UNREPORTED
from docgen.rendering import Picture

HIGHLIGHTS_PER_STREAM = 3
DIFFICULTIES_SHOWN = 5
# Late items named in part three, each group; the rest are counted by cause (and in 附件3).
EXAMPLES_SHOWN = 3
CAUSES_SHOWN = 3
INSPECTION_STREAM = "巡察整改"
UNMARKED_ASPECT = "未标注"
RULE_TITLE = re.compile(r"《[^《》]+?(?:办法|制度|规定|细则|规程|规则|指引|准则|实施意见)》")
# A next step that already says when ("12月11日前", "12月底", "2027年") needs no date added.
DATE_IN_TEXT = re.compile(r"\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)|\d{4}年")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


class Row(TypedDict):
    """A row of the tables by stream and by aspect."""

    name: str
    c: Figures


class StreamSection(TypedDict):
    name: str
    c: Figures
    highlights: list[dict]
    inspection: dict | None


class LateItem(TypedDict):
    """An overdue or not-started measure as part three names it."""

    id: str
    text: str
    lead: str
    deadline: str
    days: int
    days_left: int | None
    status: str
    reasons: list[dict]
    done_by: list[str]
    unexplained: list[str]
    silent: list[str]
    reported: bool
    plan: dt.date | None
    moved: bool
    own_plan: bool


class LateGroup(TypedDict):
    """Overdue (or not started) measures: how many, their statuses, the examples named, and the
    rest by the cause their departments gave."""

    n: int
    doing: int
    not_started: int
    standing: int
    unreported: int
    examples: list[LateItem]
    rest: int
    causes: list[dict]
    no_reason: int
    silent: int
    ids: list[str]


class OpenRow(TypedDict):
    id: str
    text: str
    lead: str
    deadline: str
    status: str
    overdue_days: int
    plan: str


class YearEndContext(BaseContext):
    """Everything year_end_summary.docx uses."""

    basis: str
    charts: dict[str, Picture]
    recipient: str
    notice: str
    signature: str
    cc: list[str]
    print_org: str
    print_date: dt.date
    pre_summary: bool
    year_end: dt.date
    next_year: int
    # The first 督导抽查 milestone after the as-of date, when the schedule names one.
    next_check: dt.date | None
    aspect_unmarked: int
    quarters: list[dict]
    peak: dict | None
    earlier_done: int
    undated_done: int
    month_rows: list[dict]
    stream_sections: list[StreamSection]
    rules: list[str]
    overdue: LateGroup
    not_started: LateGroup
    late_total: int
    silent: list[str]
    unreported_ids: list[str]
    difficulties: list[dict]
    catch_up: dt.date
    report_by: dt.date
    remaining_total: int
    remaining_by_month: list[dict]
    due_now: int
    next_year_open: int
    carried: int
    dated_open: int
    standing_open: int
    stream_rows: list[Row]
    aspect_rows: list[Row]
    open_rows: list[OpenRow]


def year_end_context(job: Job) -> YearEndContext:
    """Everything year_end_summary.docx uses; see the module docstring for what is picked."""
    summary, settings = job.summary, job.settings
    as_of = summary.as_of
    year = settings.year_for(as_of)
    year_end = dt.date(year, 12, 31)
    pre_summary = as_of < year_end
    organisation = settings.organisation

    by_id = {m.id: m for m in summary.measures}
    open_measures = [m for m in summary.measures if m.status != DONE]
    overdue = sorted(summary.overdue, key=lambda m: (-m.overdue_days, m.id))
    not_started = sorted(
        (m for m in open_measures if m.status == NOT_STARTED and not m.overdue),
        key=lambda m: (m.deadline or dt.date.max, m.id),
    )
    late_ids = {m.id for m in overdue + not_started}
    # Standing work: a 长期坚持 deadline, or reported as 长期坚持 and not late. Continuing work,
    # planned for, never a shortcoming.
    standing = [
        m
        for m in open_measures
        if m.id not in late_ids and (m.status == STANDING or m.deadline is None)
    ]
    placed = late_ids | {m.id for m in standing}
    dated = [m for m in open_measures if m.id not in placed]
    # The rest of this year, what reaches its deadline on the year's last day unfinished, and
    # what is due next year.
    remaining = [m for m in dated if pre_summary and m.deadline <= year_end]
    due_now = [m for m in dated if not pre_summary and m.deadline <= year_end]
    next_year_open = [m for m in dated if m.deadline > year_end]

    def plan(m: MeasureProgress) -> dt.date | None:
        return _plan(m, as_of, job.catch_up_by, pre_summary, year_end)

    aspect_unmarked = [m for m in summary.measures if not m.aspect]
    aspect_rows = [_row(a.name, a.counts) for a in summary.aspects]
    if aspect_unmarked and aspect_rows:
        aspect_rows.append(_row(UNMARKED_ASPECT, count_measures(aspect_unmarked)))
    if aspect_rows:
        aspect_rows.append(_row("合计", summary.counts))

    return YearEndContext(
        **base_context(job),
        basis=completion_basis(
            summary.counts,
            "以上完成情况依据各部门报送的自查反馈，尚待督导抽查核验。",
            "以上完成情况依据各部门报送的自查反馈",
        ),
        charts=year_end_charts(summary, year),
        # The summary is written only with one 主送 ([addressees] superior): never a placeholder.
        recipient=settings.addressees.superior,
        notice=settings.campaign.notice,
        signature=organisation.party_group_name,
        cc=list(settings.addressees.copy_to),
        print_org=office_name(settings),
        print_date=as_of,
        pre_summary=pre_summary,
        year_end=year_end,
        next_year=year + 1,
        next_check=min(
            (
                m.date
                for m in settings.schedule.milestones
                if m.kind == "spot-check" and m.date and m.date > summary.as_of
            ),
            default=None,
        ),
        aspect_unmarked=len(aspect_unmarked) if summary.aspects else 0,
        **completion_timeline(summary.measures, year, as_of, summary.counts.total),
        stream_sections=[
            {
                "name": group.name,
                "c": figures(group.counts),
                "highlights": highlights(by_id[i] for i in group.measure_ids),
                "inspection": _inspection(summary) if group.name == INSPECTION_STREAM else None,
            }
            for group in summary.streams
        ],
        rules=rule_titles(summary.measures),
        overdue=late_group([_late_item(m, plan(m), job.catch_up_by) for m in overdue]),
        not_started=late_group([_late_item(m, plan(m), job.catch_up_by) for m in not_started]),
        late_total=len(late_ids),
        silent=list(summary.silent_departments),
        # Those also overdue or not started are named there, not again.
        unreported_ids=[
            m.id for m in summary.measures if m.status == UNREPORTED and m.id not in late_ids
        ],
        # Open items only: the late ones carry their reasons in part three, standing work is
        # not a difficulty, and a department's done assignment has none.
        difficulties=difficulties(m for m in dated if m.status != UNREPORTED),
        catch_up=job.catch_up_by,
        report_by=job.report_by,
        remaining_total=len(remaining),
        remaining_by_month=_by_deadline_month(remaining),
        due_now=len(due_now),
        next_year_open=len(next_year_open),
        carried=len(late_ids) + len(due_now) + len(next_year_open),
        dated_open=len(late_ids) + len(dated),
        standing_open=len(standing),
        stream_rows=[_row(s.name, s.counts) for s in summary.streams]
        + [_row("合计", summary.counts)],
        aspect_rows=aspect_rows,
        open_rows=[
            {
                "id": m.id,
                "text": m.text,
                "lead": m.lead,
                "deadline": deadline_text(m),
                "status": m.status,
                "overdue_days": m.overdue_days,
                "plan": _plan_text(plan(m), m),
            }
            for m in open_measures
        ],
    )


# --- pieces ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return cn.clause(text)


def _row(name: str, counts: Counts) -> Row:
    return Row(name=name, c=figures(counts))


def _rate(part: int, total: int) -> str:
    return cn.percent_of(part, total) if total else "—"


def completion_timeline(measures, year: int, as_of: dt.date, total: int) -> dict:
    """Done measures by month and quarter of completion within the year, and the table rows.

    Months run from January to the as-of month (to December once the year is over); completions
    before or after the year and done measures without a date are counted apart.
    """
    done = [m for m in measures if m.status == DONE]
    dated = [m for m in done if m.completed_on]
    in_year = [m.completed_on.month for m in dated if m.completed_on.year == year]
    earlier = sum(1 for m in dated if m.completed_on.year < year)
    later = sum(1 for m in dated if m.completed_on.year > year)
    undated = len(done) - len(dated)
    if as_of.year > year:
        last_month = 12
    elif as_of.year == year:
        last_month = as_of.month
    else:
        last_month = 0
    last_month = max([last_month, *in_year])

    per_month = {month: in_year.count(month) for month in range(1, last_month + 1)}
    rows = []
    cumulative = earlier
    if earlier:
        rows.append(_month_row("earlier", 0, earlier, earlier, total))
    cumulative_by_month = {}
    for month, count in per_month.items():
        cumulative += count
        cumulative_by_month[month] = cumulative
        rows.append(_month_row("month", month, count, cumulative, total))
    if later:
        cumulative += later
        rows.append(_month_row("later", 0, later, cumulative, total))
    if undated:
        rows.append(
            {"kind": "undated", "month": 0, "done": undated, "cumulative": "—", "rate": "—"}
        )
    rows.append(_month_row("total", 0, len(done), len(done), total))

    quarters = []
    if in_year:
        for number in range(1, 5):
            months = range(3 * number - 2, 3 * number + 1)
            if months[0] > last_month:
                break
            shown = [m for m in months if m in per_month]
            quarters.append(
                {
                    "number": number,
                    "done": sum(per_month[m] for m in shown),
                    "cumulative": cumulative_by_month[shown[-1]],
                    # The quarter holding the as-of date, before it ends: counted "so far".
                    "current": as_of.year == year
                    and as_of.month in months
                    and as_of < _quarter_end(year, number),
                }
            )

    peak = None
    if in_year:
        best = max(per_month.values())
        best_months = [m for m, n in per_month.items() if n == best]
        if len(best_months) == 1:
            peak = {"month": best_months[0], "done": best}
    return {
        "quarters": quarters,
        "peak": peak,
        "earlier_done": earlier,
        "undated_done": undated,
        "month_rows": rows,
    }


def _month_row(kind: str, month: int, done: int, cumulative: int, total: int) -> dict:
    return {
        "kind": kind,
        "month": month,
        "done": done,
        "cumulative": cumulative,
        "rate": _rate(cumulative, total),
    }


def _quarter_end(year: int, number: int) -> dt.date:
    month = 3 * number
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _lead_first(measure: MeasureProgress):
    return sorted(measure.assignments, key=lambda a: a.role != LEAD)


def highlights(measures: Iterable[MeasureProgress], limit: int = HIGHLIGHTS_PER_STREAM) -> list:
    """Done measures with reported progress and evidence, those with figures first, in list order."""
    candidates = []
    for position, measure in enumerate(measures):
        if measure.status != DONE:
            continue
        source = next((a for a in _lead_first(measure) if cn.gist(a.progress) and a.evidence), None)
        if source is None:
            continue
        figures_in_text = len(_FIGURE.findall(source.progress))
        candidates.append((-figures_in_text, position, measure, source))
    chosen = sorted(sorted(candidates)[:limit], key=lambda item: item[1])
    return [
        {
            "id": measure.id,
            "lead": source.department,
            "progress": cn.gist(source.progress),
            "evidence": _clean(source.evidence),
            # A measure is done when its last department is: that department's date.
            "completed_on": measure.completed_on,
        }
        for _, _, measure, source in chosen
    ]


def rule_titles(measures) -> list[str]:
    """The 《titles》 of rules named in the evidence of done measures, once each, in list order."""
    titles = []
    for measure in measures:
        if measure.status != DONE:
            continue
        for assignment in measure.assignments:
            titles.extend(RULE_TITLE.findall(assignment.evidence))
    return list(dict.fromkeys(titles))


def _inspection(summary) -> dict | None:
    if not summary.problems:
        return None
    return {
        "total": len(summary.problems),
        "fixed": sum(1 for p in summary.problems if p.counts.all_done),
    }


def _reasons(measure: MeasureProgress) -> list[dict]:
    """The problems the departments still working on a measure reported, lead first, merged."""
    by_text: dict[str, list[str]] = {}
    for assignment in _lead_first(measure):
        if assignment.status == DONE or not assignment.problems:
            continue
        by_text.setdefault(_clean(assignment.problems), []).append(assignment.department)
    return [{"department": "、".join(names), "text": text} for text, names in by_text.items()]


def _unexplained(measure: MeasureProgress) -> list[str]:
    """The departments that reported on an open measure, not done, and gave no problem."""
    return [
        a.department
        for a in _lead_first(measure)
        if a.status not in (DONE, UNREPORTED) and not a.problems.strip()
    ]


def _silent(measure: MeasureProgress) -> list[str]:
    """The departments of a measure that reported nothing on it (未报送进展), lead first."""
    return [a.department for a in _lead_first(measure) if a.status == UNREPORTED]


def _plan(
    measure: MeasureProgress,
    as_of: dt.date,
    catch_up_by: dt.date,
    pre_summary: bool,
    year_end: dt.date,
) -> dt.date | None:
    """When an open measure is to be done. A measure past its deadline, or reaching it on the
    year's last day unfinished, takes the latest date its departments' next steps name, else the
    build's catch-up date; any other keeps its own deadline (never moved); standing work has none."""
    if measure.deadline is None:
        return None
    if measure.overdue_days or (not pre_summary and measure.deadline <= year_end):
        # A date in a next step is read in the year of the report it came in; one already past
        # (12月21日 written in November, read on 31 December) no longer plans anything.
        named = [
            d
            for a in measure.assignments
            if a.status != DONE
            for d in dates_in(a.next_steps, a.reported_on or as_of)
            if d > as_of
        ]
        return max(named, default=catch_up_by)
    return measure.deadline


def _plan_text(plan: dt.date | None, measure: MeasureProgress) -> str:
    if plan is not None:
        return cn.date_cn(plan)
    return "尽快启动" if measure.status == NOT_STARTED else "长期坚持"


def _late_item(measure: MeasureProgress, plan: dt.date | None, catch_up_by: dt.date) -> LateItem:
    return {
        "id": measure.id,
        "text": cn.inner_quotes(_clean(measure.text)),
        "lead": measure.lead,
        "deadline": deadline_text(measure),
        "days": measure.overdue_days,
        "days_left": measure.days_left,
        "status": measure.status,
        "reasons": _reasons(measure),
        "done_by": [a.department for a in _lead_first(measure) if a.status == DONE],
        "unexplained": _unexplained(measure),
        "silent": _silent(measure),
        "reported": measure.status != UNREPORTED,
        "plan": plan,
        "moved": plan not in (None, measure.deadline),
        # A date the department named itself, rather than the build's catch-up date.
        "own_plan": plan not in (None, measure.deadline, catch_up_by),
    }


def late_group(items: list[LateItem], shown: int = EXAMPLES_SHOWN) -> LateGroup:
    """Late items as part three tells them: the first `shown` named (the caller's order: the
    longest overdue, the nearest deadline), the rest by the causes their departments gave, then
    how many gave none and how many reported nothing. One left over is named too."""
    if len(items) <= shown + 1:
        shown = len(items)
    rest = items[shown:]
    causes: dict[str, int] = {}
    for item in rest:
        for text in dict.fromkeys(r["text"] for r in item["reasons"]):
            causes[text] = causes.get(text, 0) + 1
    ranked = sorted(causes.items(), key=lambda pair: -pair[1])[:CAUSES_SHOWN]
    by_status = {
        status: sum(1 for i in items if i["status"] == status)
        for status in (DOING, NOT_STARTED, STANDING, UNREPORTED)
    }
    return LateGroup(
        n=len(items),
        doing=by_status[DOING],
        not_started=by_status[NOT_STARTED],
        standing=by_status[STANDING],
        unreported=by_status[UNREPORTED],
        examples=items[:shown],
        rest=len(rest),
        causes=[{"text": text, "n": n} for text, n in ranked],
        no_reason=sum(1 for i in rest if not i["reasons"] and i["unexplained"]),
        silent=sum(1 for i in rest if not i["reasons"] and not i["unexplained"] and i["silent"]),
        ids=[i["id"] for i in items],
    )


def difficulties(
    measures: Iterable[MeasureProgress], limit: int = DIFFICULTIES_SHOWN
) -> list[dict]:
    """The problems reported on the given open measures by departments not yet done with them,
    the most shared first, with the measures' ids (for checking; the text gives the count)."""
    ids_by_text: dict[str, list[str]] = {}
    for measure in measures:
        if measure.status == DONE:
            continue
        for assignment in measure.assignments:
            if assignment.status == DONE or not assignment.problems:
                continue
            ids = ids_by_text.setdefault(_clean(assignment.problems), [])
            if measure.id not in ids:
                ids.append(measure.id)
    ranked = sorted(ids_by_text.items(), key=lambda item: -len(item[1]))[:limit]
    return [{"text": text, "count": len(ids), "ids": ids} for text, ids in ranked]


def _by_deadline_month(measures) -> list[dict]:
    months: dict[tuple[int, int], int] = {}
    for measure in sorted(measures, key=lambda m: m.deadline):
        key = (measure.deadline.year, measure.deadline.month)
        months[key] = months.get(key, 0) + 1
    return [{"year": y, "month": m, "n": n} for (y, m), n in months.items()]
