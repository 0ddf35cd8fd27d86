"""What the party group's self-check report and a department's take from the Summary alike:
measures as sentences can carry them (trailing punctuation dropped, the inspection problem
without its list number), the lists part three draws on, part four's plans with their dates, and
the difficulties reported in feedback. Numbers, names, dates and lists, never sentences.
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import NotRequired, TypedDict

from docgen import cn
from docgen.aggregation import AssignmentProgress, Counts, MeasureProgress
from docgen.config import Settings
from docgen.documents.base import Figures, deadline_text, figures
from docgen.model import ASPECTS, DOING, DONE, LEAD, NOT_STARTED, STANDING, UNREPORTED

INSPECTION = "巡察整改"

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
# "问题1：", "问题三、" before an inspection problem: the inspectors' own numbering, which
# restarts under each 方面 and would read as one problem quoted three times.
_PROBLEM_NUMBER = re.compile(r"^\s*问题\s*[0-9一二三四五六七八九十]+\s*[：:．.、]?\s*")
# The lead-in of a department's next steps; part four is already 下一步打算.
_NEXT_LEAD = re.compile(r"^(?:下一步|下步)(?:工作)?(?:将|拟|计划|打算)?[，,：:]?\s*")
_MONTH_DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


class Stream(TypedDict):
    """A stream as a self-check report narrates it (in place of the base context's streams):
    its figures, its measures and, for 巡察整改, the problems they answer and how many of those
    are named and fixed (the party group's report)."""

    name: str
    c: Figures
    measures: list[dict]
    problems: list[dict]
    aspects: list[dict]
    named: NotRequired[int]
    fixed: NotRequired[int]


def problems(items: list[dict]) -> list[dict]:
    """The inspection problems in sheet order, each with its measures; measures under no
    problem come last, under an empty text. `noun` is 问题 unless the quoted text already ends
    with it (关于“……超标准接待问题”的整改, never 问题”问题); `aspect` is the 方面 most of its
    measures name."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["problem"], []).append(item)
    ordered = [key for key in groups if key] + [key for key in groups if not key]
    return [
        {
            "text": key,
            "quoted": cn.inner_quotes(key),
            "noun": "" if key.endswith("问题") else "问题",
            "aspect": _main_aspect(groups[key]),
            "c": figures(counts(groups[key])),
            "measures": groups[key],
            "open": open_groups(groups[key]),
            "evidenced": sum(1 for m in groups[key] if m["status"] == DONE and m["evidence"]),
            # What a problem's only measure achieved, in its department's words.
            "gist": cn.gist(groups[key][0]["progress"]) if len(groups[key]) == 1 else "",
        }
        for key in ordered
    ]


def _main_aspect(measures: list[dict]) -> str:
    """The 方面 most of the measures name (the first of ASPECTS on a tie), "" when none does."""
    tally: dict[str, int] = {}
    for m in measures:
        if m["aspect"]:
            tally[m["aspect"]] = tally.get(m["aspect"], 0) + 1
    order = {name: i for i, name in enumerate(ASPECTS)}
    ranked = sorted(tally, key=lambda name: (-tally[name], order.get(name, len(order)), name))
    return ranked[0] if ranked else ""


def aspect_groups(problem_list: list[dict]) -> list[dict]:
    """The 巡察整改 part nested as the inspectors' feedback is: 方面 → 问题 → 措施. Each group has
    its `heading` (学习反思方面; 其他方面 for problems that name none while others do; 其他整改措施
    for the measures under no problem; "" when no problem names a 方面, and then the level is
    left out), its figures and its problems, in ASPECTS order."""
    named = [p for p in problem_list if p["text"]]
    loose = [p for p in problem_list if not p["text"]]
    by_aspect: dict[str, list[dict]] = {}
    for p in named:
        by_aspect.setdefault(p["aspect"], []).append(p)
    order = {name: i for i, name in enumerate(ASPECTS)}
    keys = sorted(by_aspect, key=lambda k: (not k, order.get(k, len(order)), k))
    any_aspect = any(keys)
    groups = [
        {
            "heading": (f"{key}方面" if key else "其他方面") if any_aspect else "",
            "problems": by_aspect[key],
        }
        for key in keys
    ]
    if loose:
        groups.append({"heading": "其他整改措施" if named else "", "problems": loose})
    for group in groups:
        group["c"] = figures(counts([m for p in group["problems"] for m in p["measures"]]))
    return groups


def measure_fields(m: MeasureProgress) -> dict:
    text = clean(m.text)
    return {
        "id": m.id,
        "stream": m.stream,
        "problem": problem_text(m.problem) if m.stream == INSPECTION else "",
        "text": text,
        # Inside “…”, the measure's own double quotes become single ones.
        "quoted": cn.inner_quotes(text),
        "aspect": m.aspect,
        "lead": m.lead,
        "departments": list(m.departments),
        "deadline": m.deadline,
        "deadline_text": deadline_text(m),
        "days_left": m.days_left,
    }


def notice(settings: Settings) -> str:
    """The superior's notice the reports answer ([campaign] notice) as a title in 《》, or ""."""
    title = settings.campaign.notice.strip()
    if title and not title.startswith("《"):
        title = f"《{title}》"
    return title


def step(item: dict) -> str:
    """What comes next for an item, from its status and lateness: done, report (nothing
    reported), start / start_late (not started, in time or overdue), finish / catch_up (under
    way, in time or overdue), keep (standing, or under way with no end date), standing_late
    (reported as standing although its deadline has passed)."""
    status, late = item["status"], bool(item["overdue_days"])
    if status == DONE:
        return "done"
    if status == UNREPORTED:
        return "report"
    if status == NOT_STARTED:
        return "start_late" if late else "start"
    if status == STANDING:
        return "standing_late" if late else "keep"
    if late:
        return "catch_up"
    return "finish" if item["deadline"] else "keep"


def next_text(text, status: str, overdue_days: int) -> str:
    """A department's next steps as part four can carry them: without the lead-in 下一步将 (the
    part is 下一步打算), and "" for words that presuppose a finished task (巩固成果) on an item
    that has not started, has reported nothing or is overdue."""
    text = _NEXT_LEAD.sub("", clean(text))
    if "巩固" in text and (status in (NOT_STARTED, UNREPORTED) or overdue_days):
        return ""
    return text


def achieved(text) -> str:
    """What a department's progress text says was done, without its plans (下一步将…): those
    belong to part four."""
    return cn.gist(text, limit=10_000)


def overdue_steps(overdue: list[dict], report_by: dt.date) -> list[dict]:
    """Part four's overdue items by what comes next (step()): each group's items and the span
    of their dates (the new completion date; for items nothing was reported on, the report-by
    date)."""
    groups = []
    for key in ("catch_up", "start_late", "standing_late", "report"):
        items = [i for i in overdue if step(i) == key]
        if items:
            dates = [report_by] if key == "report" else [i["plan_date"] for i in items]
            groups.append({"step": key, "measures": items, "dates": date_span(dates)})
    return groups


def open_items(open_items: list[dict], items: Iterable[dict]) -> dict:
    """The lists part three draws on, each item in one list only where they would repeat."""
    overdue = sorted((i for i in open_items if i["overdue_days"]), key=lateness)
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


def alike(items: list[dict], key) -> list[dict]:
    """Part four's items that would read the same, in one line each (so that part four does not
    repeat one line per item): the groups in order of their first item, numbered, each with its
    items, its departments' ids by department (by_lead) and the span of its deadlines."""
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    found = []
    for n, group in enumerate(groups.values(), 1):
        by_lead: dict[str, list[str]] = {}
        for item in group:
            by_lead.setdefault(item["lead"], []).append(item["id"])
        found.append(
            {
                "n": n,
                "measures": group,
                "next_steps": group[0]["next_steps"],
                "by_lead": list(by_lead.items()),
                "ends": date_span(i["deadline"] for i in group),
            }
        )
    return found


def plans(open_items: list[dict], pending=None) -> dict:
    """Part four, grouped: overdue, not started (and unreported), under way (and of those, the
    ones whose plan runs past the deadline), standing. Within the first three, the items whose
    line would say the same (same next step and date) are planned together (the *_alike lists);
    a plan that runs late stays on its own."""
    pending = pending or (NOT_STARTED, UNREPORTED)
    on_time = [i for i in open_items if not i["overdue_days"]]
    # Under way with no end date is standing work, not something to finish on time.
    doing = sorted(
        (i for i in on_time if i["status"] == DOING and i["deadline"]),
        key=lambda i: (i["deadline"], i["id"]),
    )
    overdue = sorted((i for i in open_items if i["overdue_days"]), key=lateness)
    waiting = [i for i in on_time if i["status"] in pending]
    return {
        "overdue": overdue,
        "overdue_alike": alike(overdue, lambda i: (step(i), i["next_steps"], i["plan_date"])),
        "pending": waiting,
        "pending_alike": alike(waiting, lambda i: (i["status"], i["next_steps"])),
        "doing": doing,
        "doing_alike": alike(doing, lambda i: i["id"] if i["expected"] else i["next_steps"]),
        # Under way, but the department's own plan runs past the deadline.
        "late": [i for i in doing if i["expected"]],
        "standing": [
            i
            for i in on_time
            if i["status"] == STANDING or (i["status"] == DOING and not i["deadline"])
        ],
    }


def feedback_problems(rows: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Difficulties reported in feedback, each text once, with who reported it and where;
    the most often reported first."""
    found: dict[str, tuple[dict, dict]] = {}  # text -> (departments, ids), each in order, once
    for text, department, measure_id in rows:
        text = clean(text)
        if not text:
            continue
        departments, ids = found.setdefault(text, ({}, {}))
        departments[department] = None
        ids[measure_id] = None
    entries = [
        {"text": text, "departments": list(departments), "ids": list(ids)}
        for text, (departments, ids) in found.items()
    ]
    return sorted(entries, key=lambda e: -len(e["ids"]))


def counts(items: list[dict], basis: str = "reported") -> Counts:
    """Counts of a report's items (measures, or a department's parts in them): `basis` is
    [spot_check] rate_basis, which the rate follows."""
    statuses = [i["status"] for i in items]
    return Counts(
        total=len(items),
        **{key: statuses.count(status) for status, key in _STATUS_FIELDS},
        overdue=sum(1 for i in items if i["overdue_days"]),
        due_soon=sum(1 for i in items if i["due_soon"]),
        closed=sum(1 for i in items if i.get("closed")),
        refuted=sum(1 for i in items if i.get("refuted")),
        basis=basis,
    )


def named_dates(parts: Iterable[AssignmentProgress], as_of: dt.date) -> list[dt.date]:
    """The dates departments' next steps name, each read in the year of the report it came in
    (12月21日 written in November is this December, even read on 31 December, as the year-end
    summary reads it), those still ahead of as_of: a date already past plans nothing."""
    return [d for a in parts for d in dates_in(a.next_steps, a.reported_on or as_of) if d > as_of]


def plan_date(
    overdue_days: int, parts: Iterable[AssignmentProgress], as_of: dt.date, catch_up_by: dt.date
):
    """A new date for an overdue item: the latest date its departments' next steps name, else
    the build's catch-up date (Job.catch_up_by); None for an item not overdue."""
    if not overdue_days:
        return None
    return max(named_dates(parts, as_of), default=catch_up_by)


def late_plan(
    m: MeasureProgress, parts: Iterable[AssignmentProgress], as_of: dt.date
) -> dt.date | None:
    """The date the next steps name when it runs past a deadline not yet reached, else None."""
    if not m.deadline or m.deadline < as_of:
        return None
    latest = max(named_dates(parts, as_of), default=None)
    return latest if latest and latest > m.deadline else None


def dates_in(text: str, as_of: dt.date) -> list[dt.date]:
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


def lateness(item: dict):
    return (-item["overdue_days"], item["id"])


def example_rank(item: dict):
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


def first(texts: Iterable[str]) -> str:
    return next((cleaned for cleaned in map(clean, texts) if cleaned), "")


def clean(text) -> str:
    """One line of text without trailing punctuation, so that a sentence can carry it."""
    return cn.clause(text)


def problem_text(text) -> str:
    """An inspection problem as the inspectors wrote it, without its list number (1. or
    问题1：)."""
    return clean(_PROBLEM_NUMBER.sub("", _ENUMERATOR.sub("", str(text or ""))))


# --- the concise body (documents.md §9 rule 12) ----------------------------------------------

# A list longer than this goes to the attachment; the body gives the count, where the items
# gather and a few named examples.
LIST_LIMIT = 10
EXAMPLES = 3
# The difficulties most often reported, in the body; the rest are counted.
PROBLEMS_SHOWN = 5
# Unfinished measures of an inspection problem, in the order the paragraph names them.
OPEN_GROUPS = (
    ("overdue", "overdue"),
    (NOT_STARTED, "not_started"),
    (UNREPORTED, "unreported"),
    (DOING, "doing"),
    (STANDING, "standing"),
)


class Roster(TypedDict):
    """A list the body names once: `n` items in all, `earlier` of them already named above,
    `listed` named here (all the rest when `full`, else a few examples), `rest` the items not
    named above, `leads` where those gather (lead department and count, most first)."""

    n: int
    earlier: int
    listed: list[dict]
    full: bool
    rest: int
    leads: list[tuple[str, int]]


class Mentions:
    """The measures a report's body has named so far, so that each is named once."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def name(self, items: Iterable[dict]) -> list[dict]:
        items = list(items)
        self.ids.update(i["id"] for i in items)
        return items

    def roster(self, items: list[dict], limit: int = LIST_LIMIT) -> Roster:
        fresh = [i for i in items if i["id"] not in self.ids]
        full = len(fresh) <= limit
        leads: dict[str, int] = {}
        for item in fresh:
            leads[item["lead"]] = leads.get(item["lead"], 0) + 1
        return Roster(
            n=len(items),
            earlier=len(items) - len(fresh),
            listed=self.name(fresh if full else fresh[:EXAMPLES]),
            full=full,
            rest=len(fresh),
            leads=sorted(leads.items(), key=lambda kv: -kv[1])[:EXAMPLES],
        )


def named_once(streams: list[Stream], examples: list[dict], lists: dict) -> dict[str, Roster]:
    """The lists part three names, each measure named at most once in the body: the inspection
    problems' paragraphs name their unfinished measures first, the highlights their examples."""
    mentions = Mentions()
    for stream in streams:
        for problem in stream["problems"]:
            for group in problem["open"]:
                mentions.name(group["measures"])
    mentions.name(examples)
    rosters = {
        key: mentions.roster(lists[key])
        for key in ("overdue", "not_started", "unreported", "due_soon")
    }
    # A highlight names a finished item for what it achieved, not for its missing evidence:
    # part three names it again for that.
    rosters["no_evidence"] = Mentions().roster(lists["no_evidence"])
    return rosters


def open_groups(measures: list[dict]) -> list[dict]:
    """An inspection problem's unfinished measures by state, overdue first: what its paragraph
    names. At most LIST_LIMIT are named, the most pressing first; a group's others are counted
    (`more`), their names are in the attachments. `serious` groups (overdue, not started, not
    reported) name each measure's lead department too."""
    groups, budget = [], LIST_LIMIT
    for key, name in OPEN_GROUPS:
        if key == "overdue":
            items = [m for m in measures if m["overdue_days"]]
        else:
            items = [m for m in measures if m["status"] == key and not m["overdue_days"]]
        if items:
            named = items[:budget]
            budget -= len(named)
            groups.append(
                {
                    "key": name,
                    "overdue": key == "overdue",
                    "serious": key in ("overdue", NOT_STARTED, UNREPORTED),
                    "measures": named,
                    "more": len(items) - len(named),
                    "n": len(items),
                }
            )
    return groups


def attention(lists: dict, report_by: dt.date) -> list[dict]:
    """The attachment of items needing action: each open or unproven item once, with what is
    wrong and what happens next; overdue first."""
    rows: dict[str, dict] = {}
    for key in ("overdue", "not_started", "unreported", "due_soon", "no_evidence"):
        for item in lists[key]:
            rows.setdefault(item["id"], {**item, "issue": key, "report_by": report_by})
    return list(rows.values())


def date_span(dates: Iterable[dt.date | None]) -> list[dt.date]:
    """The first and the last of some dates (one date when they are the same), for a
    sentence such as 分别于12月26日至2027年1月10日前完成."""
    known = sorted({d for d in dates if d})
    return [known[0], known[-1]] if len(known) > 1 else known
