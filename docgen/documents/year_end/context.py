"""年终总结: the party group's report on the year, from the one Summary.

This module supplies numbers and lists; every sentence is written by the template
(layout.py). What it picks, and why:

- completions by month and quarter come from each done measure's 完成时间 (the latest of its
  departments'); done measures without one are counted apart, never guessed;
- achievements are done measures whose department reported both progress and evidence, those
  whose progress carries figures first, so that every claim points at its evidence;
- rules (制度) are the 《titles》 named in the evidence of done measures;
- problems are the open measures: overdue, not started, with the reasons their departments gave;
- the plan is owned and dated: the lead department's own next step when it names a date, else
  the catch-up date (the end of the month after the as-of date).
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from typing import TypedDict

from docgen import cn
from docgen.aggregation import Counts, MeasureProgress, count_measures
from docgen.charts import year_end_charts
from docgen.documents.base import BaseContext, Figures, Job, base_context, deadline_text, figures
from docgen.documents.naming import office_name
from docgen.model import DONE, LEAD, NOT_STARTED, STANDING, UNREPORTED
from docgen.rendering import Picture

HIGHLIGHTS_PER_STREAM = 3
DIFFICULTIES_SHOWN = 5
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
    id: str
    text: str
    lead: str
    deadline: str
    days: int
    status: str
    reasons: list[dict]
    next_steps: str
    has_date: bool
    due: dt.date | None


class OpenRow(TypedDict):
    id: str
    text: str
    lead: str
    deadline: str
    status: str
    overdue_days: int


class YearEndContext(BaseContext):
    """Everything year_end_summary.docx uses."""

    charts: dict[str, Picture]
    recipient: str
    signature: str
    cc: list[str]
    print_org: str
    print_date: dt.date
    next_year: int
    aspect_unmarked: int
    quarters: list[dict]
    peak: dict | None
    earlier_done: int
    undated_done: int
    month_rows: list[dict]
    stream_sections: list[StreamSection]
    rules: list[str]
    overdue: list[LateItem]
    not_started: list[LateItem]
    silent: list[str]
    unreported_ids: list[str]
    difficulties: list[dict]
    catch_up: dt.date
    report_by: dt.date
    remaining_total: int
    remaining_by_month: list[dict]
    standing_open: int
    stream_rows: list[Row]
    aspect_rows: list[Row]
    open_rows: list[OpenRow]


def year_end_context(job: Job) -> YearEndContext:
    """Everything year_end_summary.docx uses; see the module docstring for what is picked."""
    summary, settings = job.summary, job.settings
    as_of = summary.as_of
    year = settings.year_for(as_of)
    organisation = settings.organisation

    open_measures = [m for m in summary.measures if m.status != DONE]
    overdue = list(summary.overdue)
    not_started = [m for m in open_measures if m.status == NOT_STARTED and not m.overdue]
    late = overdue + not_started
    late_ids = {m.id for m in late}
    standing = [
        m
        for m in open_measures
        if m.id not in late_ids and (m.status == STANDING or m.deadline is None)
    ]
    standing_ids = {m.id for m in standing}
    remaining = [m for m in open_measures if m.id not in late_ids | standing_ids]

    aspect_unmarked = [m for m in summary.measures if not m.aspect]
    aspect_rows = [_row(a.name, a.counts) for a in summary.aspects]
    if aspect_unmarked and aspect_rows:
        aspect_rows.append(_row(UNMARKED_ASPECT, count_measures(aspect_unmarked)))
    if aspect_rows:
        aspect_rows.append(_row("合计", summary.counts))

    return YearEndContext(
        **base_context(job),
        charts=year_end_charts(summary, year),
        recipient=settings.addressees.superior or "（主送机关）",
        signature=organisation.party_group_name,
        cc=list(settings.addressees.copy_to),
        print_org=office_name(settings),
        print_date=as_of,
        next_year=year + 1,
        aspect_unmarked=len(aspect_unmarked) if summary.aspects else 0,
        **completion_timeline(summary.measures, year, as_of, summary.counts.total),
        stream_sections=[
            {
                "name": group.name,
                "c": figures(group.counts),
                "highlights": highlights(summary.measure(i) for i in group.measure_ids),
                "inspection": _inspection(summary) if group.name == INSPECTION_STREAM else None,
            }
            for group in summary.streams
        ],
        rules=rule_titles(summary.measures),
        overdue=[_late_item(m) for m in overdue],
        not_started=[_late_item(m) for m in not_started],
        silent=list(summary.silent_departments),
        # Those also overdue or not started are named there, not again.
        unreported_ids=[
            m.id for m in summary.measures if m.status == UNREPORTED and m.id not in late_ids
        ],
        difficulties=difficulties([m for m in open_measures if m.id not in late_ids]),
        catch_up=job.catch_up_by,
        report_by=job.report_by,
        remaining_total=len(remaining),
        remaining_by_month=_by_deadline_month(remaining),
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


def _late_item(measure: MeasureProgress) -> LateItem:
    steps = _clean(next((a.next_steps for a in _lead_first(measure) if a.next_steps), ""))
    return {
        "id": measure.id,
        "text": cn.inner_quotes(_clean(measure.text)),
        "lead": measure.lead,
        "deadline": deadline_text(measure),
        "days": measure.overdue_days,
        "status": measure.status,
        "reasons": _reasons(measure),
        "next_steps": steps,
        "has_date": bool(DATE_IN_TEXT.search(steps)),
        # A measure not yet late keeps its own deadline: never moved to the catch-up date.
        "due": measure.deadline,
    }


def difficulties(measures, limit: int = DIFFICULTIES_SHOWN) -> list[dict]:
    """The problems reported on open measures, the most shared first, with the measures named."""
    ids_by_text: dict[str, list[str]] = {}
    for measure in measures:
        for assignment in measure.assignments:
            if assignment.status == DONE or not assignment.problems:
                continue
            ids = ids_by_text.setdefault(_clean(assignment.problems), [])
            if measure.id not in ids:
                ids.append(measure.id)
    ranked = sorted(ids_by_text.items(), key=lambda item: -len(item[1]))[:limit]
    return [
        {
            "text": text,
            "count": len(ids),
        }
        for text, ids in ranked
    ]


def _by_deadline_month(measures) -> list[dict]:
    months: dict[tuple[int, int], int] = {}
    for measure in sorted(measures, key=lambda m: m.deadline):
        key = (measure.deadline.year, measure.deadline.month)
        months[key] = months.get(key, 0) + 1
    return [{"year": y, "month": m, "n": n} for (y, m), n in months.items()]
