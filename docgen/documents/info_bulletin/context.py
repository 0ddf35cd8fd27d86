"""What a 工作动态 issue or a 信息专报 reports (documents.md §12): completed measures with evidence
or a highlight (亮点经验), verified ones first, newest first, spread across streams and
departments, never one an earlier issue reported, never an overdue or refuted one. Each item is
built only from the department's own words and figures — its highlight, its progress, its
evidence — and the measure list: restructured and quoted, never reworded into a claim."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from docgen import cn
from docgen.documents.base import BaseContext, Job, base_context
from docgen.documents.naming import office_name
from docgen.documents.recipients import brief_recipients, copies
from docgen.model import DONE

if TYPE_CHECKING:
    from docgen.aggregation import AssignmentProgress, MeasureProgress, Summary

# documents.md §12: an item at most 800 characters; an issue 1,500–2,000, with 3–5 items; a
# 信息专报 at most 1,500.
ITEM_LIMIT = 800
ISSUE_LIMIT = 2000
SPECIAL_LIMIT = 1500
FEWEST, MOST = 3, 5
ISSUE_TARGET = 1500
TITLE_LIMIT = 28


@dataclass(frozen=True)
class Candidate:
    """A department's completed part in a measure that has something to report."""

    measure: MeasureProgress
    claim: AssignmentProgress

    @property
    def key(self) -> tuple[str, str]:
        return (self.measure.id, self.claim.department)


class Item(TypedDict):
    id: str
    department: str
    title: str
    lead: str
    paragraphs: list[str]
    chars: int


class InfoContext(BaseContext):
    """Everything info_bulletin.docx and info_special.docx use."""

    issue_no: int
    editor: str
    items: list[Item]
    brief_report: list[str]
    brief_send: list[str]
    brief_issue: list[str]
    copies: int


def candidates(summary: Summary, reported: set[tuple[str, str]]) -> list[Candidate]:
    """Every completed claim with a highlight or evidence, of a measure neither overdue nor
    found 不属实, not reported before: verified first, then those with a highlight, the lead
    department's before a co-operating one's, the newest completions first."""
    found = [
        Candidate(m, a)
        for m in summary.measures
        if not m.overdue and not m.refuted
        for a in m.assignments
        if a.status == DONE and (a.highlight or a.evidence) and (m.id, a.department) not in reported
    ]
    return sorted(
        found,
        key=lambda c: (
            not c.claim.closed,
            not c.claim.highlight,
            c.claim.role != "牵头",
            -(c.claim.completed_on or dt.date.min).toordinal(),
            c.measure.id,
            c.claim.department,
        ),
    )


def choose(found: list[Candidate], wanted: int) -> list[Candidate]:
    """Up to `wanted` items spread across streams and departments: round by round, each stream
    gives its best candidate from a department not yet chosen; a department appears twice only
    when no other is left."""
    by_stream: dict[str, list[Candidate]] = {}
    for candidate in found:
        by_stream.setdefault(candidate.measure.stream, []).append(candidate)
    chosen: list[Candidate] = []
    departments: set[str] = set()
    for allow_repeat in (False, True):
        progress = True
        while len(chosen) < wanted and progress:
            progress = False
            for stream in list(by_stream):
                pool = by_stream[stream]
                pick = next(
                    (c for c in pool if allow_repeat or c.claim.department not in departments),
                    None,
                )
                if pick is None:
                    continue
                pool.remove(pick)
                chosen.append(pick)
                departments.add(pick.claim.department)
                progress = True
                if len(chosen) == wanted:
                    break
    return chosen


_CLAUSE = re.compile(r"[，；。,;]")


def headline(candidate: Candidate) -> str:
    """What the item's title says the unit did, in its own words: the first clause of its
    highlight, else of its progress (what it reports it did, never the whole measure's wording,
    which a co-operating department did not do alone); a long clause is cut after its last 、
    within TITLE_LIMIT characters."""
    claim = candidate.claim
    text = (
        cn.clause(claim.highlight) or cn.gist(claim.progress) or cn.clause(candidate.measure.text)
    )
    first = _CLAUSE.split(text, maxsplit=1)[0].strip()
    if len(first) <= TITLE_LIMIT:
        return first
    cut = first[:TITLE_LIMIT].rfind("、")
    return first[:cut] if cut > TITLE_LIMIT // 2 else first


def _trim(text: str, limit: int) -> str:
    """A department's text cut at a sentence or clause within `limit` characters."""
    text = cn.clause(text)
    if len(text) <= limit:
        return text
    kept = ""
    for piece in re.split(r"(?<=[。；，])", text):
        if len(kept) + len(piece) > limit:
            break
        kept += piece
    return kept.rstrip("，；、") + "。" if kept else text[:limit]


def item(candidate: Candidate, limit: int = ITEM_LIMIT) -> Item:
    """A title naming the unit and what it achieved, a 导语 (who, what, when), and the body:
    the department's highlight (主要做法), its progress where it adds to it, its evidence."""
    m, a = candidate.measure, candidate.claim
    when = f"于{cn.date_cn(a.completed_on)}" if a.completed_on else ""
    role = "牵头" if a.role == "牵头" else "配合"
    lead = f"{a.department}{role}落实“{cn.inner_quotes(cn.clause(m.text))}”（{m.id}），{when}报告完成。"
    parts = []
    highlight = cn.clause(a.highlight)
    progress = cn.gist(a.progress, limit=10_000)
    if highlight:
        parts.append(("主要做法：", highlight))
    # What the progress adds to the highlight: its clauses the highlight does not already say.
    rest = "，".join(
        piece
        for piece in (p.strip() for p in _CLAUSE.split(progress))
        if piece and piece not in highlight
    )
    if rest:
        parts.append(("工作进展：", rest))
    if a.evidence:
        parts.append(("佐证材料：", cn.clause(a.evidence)))
    title = f"{a.department}：{headline(candidate)}"
    room = limit - len(lead) - len(title)
    paragraphs = []
    for label, text in parts:
        space = room - len(label) - 1
        if space <= 10:
            break
        body = _trim(text, space)
        body = body if body.endswith(("。", "！", "？")) else body + "。"
        paragraphs.append(label + body)
        room -= len(paragraphs[-1])
    chars = len(title) + len(lead) + sum(len(p) for p in paragraphs)
    return Item(
        id=m.id,
        department=a.department,
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        chars=chars,
    )


def issue_items(found: list[Candidate], wanted: int) -> list[Item]:
    """The issue's items: `wanted` (3–5) spread ones; more, up to MOST, while the issue is
    shorter than ISSUE_TARGET characters (departments that wrote little give short items);
    fewer when they would run past ISSUE_LIMIT, never fewer than FEWEST."""
    spread = [item(c) for c in choose(found, MOST)]
    chosen = spread[:wanted]
    while len(chosen) < len(spread) and sum(i["chars"] for i in chosen) < ISSUE_TARGET:
        chosen.append(spread[len(chosen)])
    while len(chosen) > FEWEST and sum(i["chars"] for i in chosen) > ISSUE_LIMIT:
        chosen.pop()
    return chosen


def info_context(job: Job, number: int, items: list[Item], special: bool = False) -> InfoContext:
    summary, settings = job.summary, job.settings
    departments = list(summary.departments)
    report, send, issued = brief_recipients(settings, departments)
    if special:
        # A 信息专报 goes up: to the superior where one is configured.
        report = [settings.addressees.superior] if settings.addressees.superior else report
        send, issued = [], []
    return InfoContext(
        **base_context(job),
        issue_no=number,
        editor=office_name(settings),
        items=items,
        brief_report=report,
        brief_send=send,
        brief_issue=issued,
        copies=copies(report, send, departments, settings) if issued else len(report) + 1,
    )


def best_claim(summary: Summary, measure_id: str) -> Candidate | None:
    """The claim a 信息专报 on one measure reports: a completed one with a highlight, else with
    evidence, verified first, the lead department first."""
    measure = next((m for m in summary.measures if m.id == measure_id), None)
    if measure is None:
        return None
    claims = [a for a in measure.assignments if a.status == DONE and (a.highlight or a.evidence)]
    claims.sort(key=lambda a: (not a.highlight, not a.closed, a.role != "牵头"))
    return Candidate(measure, claims[0]) if claims else None
