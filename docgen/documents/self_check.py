"""自查报告: the party group's to its superior, and each department's to the lead office.

The wording lives in the templates (docgen/official/layouts/self_check.py). This module hands
them numbers, names, dates and lists taken from the Summary: the measures of each stream, the
inspection problems, the highlights, the open items and the plans. It writes no sentences.
"""

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from docgen import cn
from docgen.aggregation import (
    AssignmentProgress,
    Counts,
    DepartmentProgress,
    GroupProgress,
    MeasureProgress,
    Summary,
)
from docgen.documents.common import (
    Job,
    base_context,
    deadline_text,
    figures,
    write_docx,
    write_docx_batch,
)
from docgen.documents.naming import document_filename
from docgen.errors import DocgenError
from docgen.model import ASPECTS, DOING, DONE, LEAD, NOT_STARTED, STANDING, UNREPORTED

BUREAU_TEMPLATE = "self_check_report.docx"
DEPARTMENT_TEMPLATE = "department_self_check.docx"
DOCUMENT_NAME = "自查报告"
INSPECTION = "巡察整改"

# An overdue item gets a new date this many days after the as-of date (or the latest date its
# department's next steps name, if later).
CATCH_UP_DAYS = 30
# Departments that have not reported are asked to within a week, the date the urging notices give
# (docgen.documents.urge), so that the report and the notices name the same day.
REPORT_DAYS = 7
# Highlights: examples per aspect in the bureau's report, items in a department's.
EXAMPLES_PER_GROUP = 2
DEPARTMENT_HIGHLIGHTS = 5

_STATUS_FIELDS = (
    (DONE, "done"),
    (DOING, "doing"),
    (NOT_STARTED, "not_started"),
    (STANDING, "standing"),
    (UNREPORTED, "unreported"),
)
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(]\s*\d+\s*[)）]|\d+\s*[.．、]|[一二三四五六七八九十]+\s*[、.．])\s*"
)
_TRAILING = "。；;，,、.： \u3000"
_MONTH_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


def write_self_check(
    job: Job, department: str | None = None, doc_serial: int | None = None
) -> list[Path]:
    """The bureau's self-check report, or the named department's; returns the file written.

    doc_serial, for the bureau's report only, makes it a red-header document with that number.
    """
    if department is None:
        template, context = BUREAU_TEMPLATE, bureau_context(job, doc_serial)
    else:
        if doc_serial is not None:
            raise DocgenError(
                "部门自查报告是部门内部报送的白头材料，不编发文字号；请去掉 --number。"
            )
        template, context = DEPARTMENT_TEMPLATE, department_context(job, department)
    filename = document_filename(DOCUMENT_NAME, ".docx", department or "")
    return [write_docx(job, template, context, filename)]


def write_department_reports(job: Job) -> list[Path]:
    """One self-check report for every department with assignments, written in worker processes."""
    names = [d.name for d in job.summary.departments]
    documents = (
        (department_context(job, name), document_filename(DOCUMENT_NAME, ".docx", name))
        for name in names
    )
    return write_docx_batch(job, DEPARTMENT_TEMPLATE, documents, len(names))


# --- the bureau's report --------------------------------------------------------------------


def bureau_context(job: Job, doc_serial: int | None = None) -> dict:
    """Everything self_check_report.docx uses."""
    summary, settings = job.summary, job.settings
    organisation, addressees = settings.organisation, settings.addressees
    as_of = summary.as_of
    year = settings.year_for(as_of)
    measures = {m.id: _measure(m, as_of) for m in summary.measures}
    streams = [_bureau_stream(group, measures) for group in summary.streams]
    inspection = next((s for s in streams if s["name"] == INSPECTION), None)
    open_measures = [measures[m.id] for m in summary.measures if m.status != DONE]
    return {
        **base_context(job),
        "red_header": doc_serial is not None,
        "org_mark": f"{organisation.party_group_name}文件",
        "doc_number": (
            cn.doc_number(organisation.doc_prefix, year, doc_serial) if doc_serial else ""
        ),
        "signer": organisation.signer,
        "recipient": addressees.superior,
        "lead_office": addressees.lead_office or organisation.office,
        "signature": organisation.party_group_name,
        "cc": list(addressees.copy_to),
        "print_org": _full_name(organisation.office, organisation.name),
        "print_date": as_of,
        "streams": streams,
        "aspects": [
            {"name": g.name, "c": figures(g.counts)} for g in summary.aspects if g.counts.total
        ],
        "n_problems": inspection["named"] if inspection else 0,
        "highlights": _bureau_highlights(summary, measures),
        **_open_items(open_measures, measures.values()),
        "silent_departments": list(summary.silent_departments),
        "partial_departments": [
            {"name": d.name, "n": len(d.unreported_ids)}
            for d in summary.departments
            if not d.sent_nothing and d.unreported_ids
        ],
        "return_deadline": settings.campaign.return_deadline,
        "report_by": as_of + dt.timedelta(days=REPORT_DAYS),
        "feedback_problems": _feedback_problems(
            (a.problems, a.department, m.id) for m in summary.measures for a in m.assignments
        ),
        # Measures nobody has reported on are in the plan to make the departments report.
        "plans": _plans(open_measures, pending=(NOT_STARTED,)),
    }


def _bureau_stream(group: GroupProgress, measures: dict) -> dict:
    items = [measures[i] for i in group.measure_ids]
    stream = {"name": group.name, "c": figures(group.counts), "measures": items, "problems": []}
    if group.name == INSPECTION:
        stream["problems"] = _problems(items)
        stream["named"] = sum(1 for p in stream["problems"] if p["text"])
        stream["fixed"] = sum(1 for p in stream["problems"] if p["text"] and p["c"]["all_done"])
    return stream


def _problems(items: list[dict]) -> list[dict]:
    """The inspection problems in sheet order, each with its measures; measures under no
    problem come last, under an empty text."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["problem"], []).append(item)
    ordered = [key for key in groups if key] + [key for key in groups if not key]
    return [
        {
            "text": key,
            "quoted": _inner_quotes(key),
            "c": figures(_counts(groups[key])),
            "measures": groups[key],
        }
        for key in ordered
    ]


def _bureau_highlights(summary: Summary, measures: dict) -> list[dict]:
    """Done measures by aspect (by stream when a measure names no aspect), each group with its
    best examples. Examples come from outside the inspection stream, whose progress the first
    part already narrates measure by measure."""
    groups: dict[str, list[dict]] = {}
    for m in summary.measures:
        if m.status == DONE:
            groups.setdefault(m.aspect or m.stream, []).append(measures[m.id])
    order = [*ASPECTS, *sorted(groups, key=lambda name: name in ASPECTS)]
    highlights = []
    for name in dict.fromkeys(order):
        if name not in groups:
            continue
        done = groups[name]
        elsewhere = [i for i in done if i["stream"] != INSPECTION and i["progress"]]
        highlights.append(
            {
                "name": name,
                "done": len(done),
                "inspection": sum(1 for i in done if i["stream"] == INSPECTION),
                "examples": sorted(elsewhere, key=_example_rank)[:EXAMPLES_PER_GROUP],
            }
        )
    return highlights


# --- a department's report -------------------------------------------------------------------


def department_context(job: Job, department: str) -> dict:
    """Everything department_self_check.docx uses, for one department's own assignments."""
    summary, settings = job.summary, job.settings
    progress = _find_department(summary, department)
    as_of = summary.as_of
    items = [
        _own(m, a, as_of, summary.warning_days)
        for m in summary.measures
        for a in m.assignments
        if a.department == department
    ]
    streams = []
    for name in dict.fromkeys(item["stream"] for item in items):
        own = [item for item in items if item["stream"] == name]
        streams.append(
            {
                "name": name,
                "c": figures(_counts(own)),
                "measures": own,
                "problems": _problems(own) if name == INSPECTION else [],
            }
        )
    done_elsewhere = [i for i in items if i["status"] == DONE and i["stream"] != INSPECTION]
    candidates = sorted((i for i in done_elsewhere if i["progress"]), key=_example_rank)
    highlights = candidates[:DEPARTMENT_HIGHLIGHTS]
    report_by = as_of + dt.timedelta(days=REPORT_DAYS)
    for item in items:
        item["highlight"] = item in highlights
        # Asked to report by a date after the item is due, a department reports by the deadline.
        deadline = item["deadline"]
        item["report_by"] = (
            min(report_by, deadline) if deadline and deadline >= as_of else report_by
        )
    open_items = [i for i in items if i["status"] != DONE]
    return {
        **base_context(job),
        "department": department,
        "recipient": settings.addressees.lead_office or settings.organisation.office,
        "signature": department,
        "c": figures(progress.counts),
        "lead": progress.lead,
        "support": progress.counts.total - progress.lead,
        "sent_nothing": progress.sent_nothing,
        "streams": streams,
        "highlights": highlights,
        "more_done": len(done_elsewhere) - len(highlights),
        "inspection_done": sum(
            1 for i in items if i["status"] == DONE and i["stream"] == INSPECTION
        ),
        **_open_items(open_items, items),
        "report_by": report_by,
        "feedback_problems": _feedback_problems(
            (i["problems"], department, i["id"]) for i in items
        ),
        # A department that has sent nothing is asked for its form once, not item by item.
        "plans": _plans(open_items, pending=(NOT_STARTED,) if progress.sent_nothing else None),
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


# --- shared pieces -------------------------------------------------------------------------


def _measure(m: MeasureProgress, as_of: dt.date) -> dict:
    """A measure as the bureau's report sees it: its overall status and its lead's words."""
    ordered = sorted(m.assignments, key=lambda a: a.role != LEAD)
    still_open = [a for a in ordered if a.status != DONE]
    return {
        **_measure_fields(m),
        "status": m.status,
        "overdue_days": m.overdue_days,
        "due_soon": m.due_soon,
        "completed_on": m.completed_on,
        "progress": _first(a.progress for a in ordered),
        "evidence": _first(a.evidence for a in ordered),
        "problems": _first(a.problems for a in [*still_open, *ordered]),
        "next_steps": _first(a.next_steps for a in still_open),
        "silent": [a.department for a in m.assignments if a.status == UNREPORTED],
        "plan_date": _plan_date(m.overdue_days, (a.next_steps for a in still_open), as_of),
        "expected": _late_plan(m, (a.next_steps for a in still_open), as_of),
    }


def _own(m: MeasureProgress, a: AssignmentProgress, as_of: dt.date, window: int) -> dict:
    """A department's own part in a measure: its role and what it reported itself."""
    overdue_days = (
        (as_of - m.deadline).days if m.deadline and m.deadline < as_of and a.status != DONE else 0
    )
    days_left = m.days_left
    return {
        **_measure_fields(m),
        "role": a.role,
        "status": a.status,
        "overdue_days": overdue_days,
        "due_soon": a.status != DONE and days_left is not None and 0 <= days_left <= window,
        "completed_on": a.completed_on if a.status == DONE else None,
        "progress": _clean(a.progress),
        "evidence": _clean(a.evidence),
        "problems": _clean(a.problems),
        "next_steps": _clean(a.next_steps) if a.status != DONE else "",
        "silent": [],
        "plan_date": _plan_date(overdue_days, [a.next_steps], as_of),
        "expected": _late_plan(m, [a.next_steps] if a.status != DONE else [], as_of),
    }


def _measure_fields(m: MeasureProgress) -> dict:
    return {
        "id": m.id,
        "stream": m.stream,
        "problem": _problem_text(m.problem) if m.stream == INSPECTION else "",
        "text": _clean(m.text),
        # Inside “…”, the measure's own double quotes become single ones.
        "quoted": _inner_quotes(_clean(m.text)),
        "aspect": m.aspect,
        "lead": m.lead,
        "departments": list(m.departments),
        "deadline": m.deadline,
        "deadline_text": deadline_text(m),
        "days_left": m.days_left,
    }


def _open_items(open_items: list[dict], items: Iterable[dict]) -> dict:
    """The lists part three draws on, each item in one list only where they would repeat."""
    overdue = sorted((i for i in open_items if i["overdue_days"]), key=_lateness)
    return {
        "overdue": overdue,
        "not_started": [
            i for i in open_items if i["status"] == NOT_STARTED and not i["overdue_days"]
        ],
        "unreported": [
            i for i in open_items if i["status"] == UNREPORTED and not i["overdue_days"]
        ],
        "due_soon": sorted(
            (i for i in open_items if i["due_soon"] and i["status"] in (DOING, STANDING)),
            key=lambda i: (i["days_left"], i["id"]),
        ),
        "no_evidence": [i for i in items if i["status"] == DONE and not i["evidence"]],
    }


def _plans(open_items: list[dict], pending=None) -> dict:
    """Part four, grouped: overdue, not started (and unreported), under way, standing."""
    pending = pending or (NOT_STARTED, UNREPORTED)
    on_time = [i for i in open_items if not i["overdue_days"]]
    return {
        "overdue": sorted((i for i in open_items if i["overdue_days"]), key=_lateness),
        "pending": [i for i in on_time if i["status"] in pending],
        "doing": sorted(
            (i for i in on_time if i["status"] == DOING),
            key=lambda i: (i["deadline"] is None, i["deadline"] or dt.date.max, i["id"]),
        ),
        "standing": [i for i in on_time if i["status"] == STANDING],
    }


def _feedback_problems(rows: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Difficulties reported in feedback, each text once, with who reported it and where;
    the most often reported first."""
    found: dict[str, dict] = {}
    for text, department, measure_id in rows:
        text = _clean(text)
        if not text:
            continue
        entry = found.setdefault(text, {"text": text, "departments": [], "ids": []})
        if department not in entry["departments"]:
            entry["departments"].append(department)
        if measure_id not in entry["ids"]:
            entry["ids"].append(measure_id)
    return sorted(found.values(), key=lambda e: -len(e["ids"]))


def _counts(items: list[dict]) -> Counts:
    statuses = [i["status"] for i in items]
    return Counts(
        total=len(items),
        **{key: statuses.count(status) for status, key in _STATUS_FIELDS},
        overdue=sum(1 for i in items if i["overdue_days"]),
        due_soon=sum(1 for i in items if i["due_soon"]),
    )


def _plan_date(overdue_days: int, next_steps: Iterable[str], as_of: dt.date) -> dt.date | None:
    """A new date for an overdue item: a month on, or the latest date its next steps name."""
    if not overdue_days:
        return None
    named = [d for text in next_steps for d in _dates_in(text, as_of)]
    return max([as_of + dt.timedelta(days=CATCH_UP_DAYS), *named])


def _late_plan(m: MeasureProgress, next_steps: Iterable[str], as_of: dt.date) -> dt.date | None:
    """The date the next steps name when it runs past a deadline not yet reached, else None."""
    if not m.deadline or m.deadline < as_of:
        return None
    named = [d for text in next_steps for d in _dates_in(text, as_of)]
    latest = max(named, default=None)
    return latest if latest and latest > m.deadline else None


def _dates_in(text: str, as_of: dt.date) -> list[dt.date]:
    """Dates such as 12月18日 in free text, in the year that puts them after as_of."""
    found = []
    for year, month, day in _MONTH_DAY.findall(text or ""):
        try:
            date = dt.date(int(year) if year else as_of.year, int(month), int(day))
            if not year and date < as_of:
                date = date.replace(year=as_of.year + 1)
        except ValueError:
            continue
        if date > as_of:
            found.append(date)
    return found


def _lateness(item: dict):
    return (-item["overdue_days"], item["id"])


def _example_rank(item: dict):
    """Examples with evidence first, a department's own lead work before its support, then
    accounts that carry numbers, then the fuller ones."""
    progress = item["progress"]
    return (
        not item["evidence"],
        item.get("role", LEAD) != LEAD,
        not re.search(r"\d", progress),
        -len(progress),
        item["id"],
    )


def _first(texts: Iterable[str]) -> str:
    return next((cleaned for cleaned in map(_clean, texts) if cleaned), "")


def _clean(text) -> str:
    """One line of text without trailing punctuation, so that a sentence can carry it."""
    if cn.is_blank(text):
        return ""
    lines = [line.strip().rstrip(_TRAILING) for line in str(text).splitlines()]
    return cn.fullwidth_punct("；".join(line for line in lines if line))


def _inner_quotes(text: str) -> str:
    """Text to be set inside “…”: its own double quotes become single ones (GB/T 15834)."""
    return text.replace("“", "‘").replace("”", "’")


def _problem_text(text) -> str:
    """An inspection problem as the inspectors wrote it, without its list number."""
    return _clean(_ENUMERATOR.sub("", str(text or "")))


def _full_name(office: str, organisation: str) -> str:
    """局办公室 → 江淮省地方金融管理局办公室: the 印发机关 of a 版记 is named in full."""
    if organisation in office:
        return office
    return organisation + (office[1:] if office.startswith("局") else office)
