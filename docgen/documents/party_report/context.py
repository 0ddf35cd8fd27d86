"""What the party group's self-check report is filled with: the measures of each stream, the
inspection problems one by one, the highlights by aspect, the open items and the plans."""

import datetime as dt
from typing import TypedDict

from docgen import cn
from docgen.aggregation import GroupProgress, MeasureProgress, Summary
from docgen.documents.base import (
    BaseContext,
    Figures,
    Job,
    base_context,
    completion_basis,
    figures,
)
from docgen.documents.naming import full_office_name
from docgen.documents.self_check import context as shared
from docgen.model import ASPECTS, DONE, LEAD, NOT_STARTED, UNREPORTED

# Highlights: examples per aspect.
EXAMPLES_PER_GROUP = 2


class Aspect(TypedDict):
    name: str
    c: Figures


class PartyReportContext(BaseContext):
    """Everything self_check_report.docx uses. Its streams and aspects replace the base
    context's: each stream with its measures and problems, the aspects that have measures."""

    basis: str

    streams: list[shared.Stream]
    aspects: list[Aspect]
    red_header: bool
    org_mark: str
    doc_number: str
    signer: str
    recipient: str
    lead_office: str
    signature: str
    cc: list[str]
    print_org: str
    print_date: dt.date
    n_problems: int
    highlights: list[dict]
    overdue: list[dict]
    not_started: list[dict]
    unreported: list[dict]
    due_soon: list[dict]
    no_evidence: list[dict]
    silent_departments: list[str]
    partial_departments: list[dict]
    return_deadline: dt.date | None
    report_by: dt.date
    feedback_problems: list[dict]
    plans: dict[str, list[dict]]
    named: dict[str, shared.Roster]
    attention: list[dict]
    overdue_steps: list[dict]
    notice: str
    inspection: shared.Stream | None


def party_report_context(job: Job, doc_serial: int | None = None) -> PartyReportContext:
    """Everything self_check_report.docx uses."""
    summary, settings = job.summary, job.settings
    organisation, addressees = settings.organisation, settings.addressees
    as_of = summary.as_of
    year = settings.year_for(as_of)
    measures = {m.id: _measure(m, as_of, job.catch_up_by) for m in summary.measures}
    streams = [_bureau_stream(group, measures) for group in summary.streams]
    inspection = next((s for s in streams if s["name"] == shared.INSPECTION), None)
    open_measures = [measures[m.id] for m in summary.measures if m.status != DONE]
    open_lists = shared.open_items(open_measures, measures.values())
    highlights = _bureau_highlights(summary, measures)
    report_by = job.report_by
    plans = shared.plans(open_measures, pending=(NOT_STARTED,))
    return {
        **base_context(job),
        "red_header": doc_serial is not None,
        "basis": completion_basis(
            summary.counts,
            "以上完成情况均为各部门自查报告的结果，尚待督导抽查核实。",
            "以上完成情况为各部门自查报告的结果",
        ),
        "org_mark": f"{organisation.party_group_name}文件",
        "doc_number": (
            cn.doc_number(organisation.doc_prefix, year, doc_serial) if doc_serial else ""
        ),
        "signer": organisation.signer,
        "recipient": addressees.superior,
        "lead_office": addressees.lead_office or organisation.office,
        "signature": organisation.party_group_name,
        "cc": list(addressees.copy_to),
        "print_org": full_office_name(settings),
        "print_date": as_of,
        "streams": streams,
        "aspects": [
            {"name": g.name, "c": figures(g.counts)} for g in summary.aspects if g.counts.total
        ],
        "n_problems": inspection["named"] if inspection else 0,
        "highlights": highlights,
        **open_lists,
        "silent_departments": list(summary.silent_departments),
        # The most incomplete first: a long list names the first three.
        "partial_departments": sorted(
            (
                {"name": d.name, "n": len(d.unreported_ids)}
                for d in summary.departments
                if not d.sent_nothing and d.unreported_ids
            ),
            key=lambda d: -d["n"],
        ),
        "return_deadline": settings.campaign.return_deadline,
        "report_by": report_by,
        # Difficulties of open work only: a finished measure is no difficulty.
        "feedback_problems": shared.feedback_problems(
            (a.problems, a.department, m.id)
            for m in summary.measures
            if m.status != DONE
            for a in m.assignments
            if a.status != DONE
        ),
        # Measures nobody has reported on are in the plan to make the departments report.
        "plans": plans,
        "named": shared.named_once(
            streams, [e for h in highlights for e in h["examples"]], open_lists
        ),
        "attention": shared.attention(open_lists, report_by),
        "overdue_steps": shared.overdue_steps(plans["overdue"], report_by),
        "notice": shared.notice(settings),
        "inspection": inspection if inspection and inspection["named"] else None,
    }


def _bureau_stream(group: GroupProgress, measures: dict) -> shared.Stream:
    items = [measures[i] for i in group.measure_ids]
    stream = {
        "name": group.name,
        "c": figures(group.counts),
        "measures": items,
        "problems": [],
        "aspects": [],
    }
    if group.name == shared.INSPECTION:
        stream["problems"] = shared.problems(items)
        stream["aspects"] = shared.aspect_groups(stream["problems"])
        stream["named"] = sum(1 for p in stream["problems"] if p["text"])
        stream["fixed"] = sum(1 for p in stream["problems"] if p["text"] and p["c"]["all_done"])
    return stream


def _bureau_highlights(summary: Summary, measures: dict) -> list[dict]:
    """Done measures by aspect (by stream when a measure names no aspect), each group with its
    best examples. Examples come from outside the inspection stream, whose progress the first
    part already narrates measure by measure."""
    groups: dict[str, list[dict]] = {}
    scope: dict[str, list[MeasureProgress]] = {}
    for m in summary.measures:
        scope.setdefault(m.aspect or m.stream, []).append(m)
        if m.status == DONE:
            groups.setdefault(m.aspect or m.stream, []).append(measures[m.id])
    order = [*ASPECTS, *sorted(groups, key=lambda name: name in ASPECTS)]
    highlights = []
    for name in dict.fromkeys(order):
        if name not in groups:
            continue
        done = groups[name]
        elsewhere = [i for i in done if i["stream"] != shared.INSPECTION and cn.gist(i["progress"])]
        highlights.append(
            {
                "name": name,
                "done": len(done),
                "total": len(scope[name]),
                "overdue": sum(1 for m in scope[name] if m.overdue),
                "inspection": sum(1 for i in done if i["stream"] == shared.INSPECTION),
                "examples": [
                    {**e, "gist": cn.gist(e["progress"])}
                    for e in sorted(elsewhere, key=shared.example_rank)[:EXAMPLES_PER_GROUP]
                ],
            }
        )
    return highlights


def _measure(m: MeasureProgress, as_of: dt.date, catch_up_by: dt.date) -> dict:
    """A measure as the bureau's report sees it: its overall status and its lead's words."""
    ordered = sorted(m.assignments, key=lambda a: a.role != LEAD)
    still_open = [a for a in ordered if a.status != DONE]
    item = {
        **shared.measure_fields(m),
        "status": m.status,
        "closed": m.closed,
        "refuted": m.refuted,
        "overdue_days": m.overdue_days,
        "due_soon": m.due_soon,
        "completed_on": m.completed_on,
        "progress": shared.achieved(shared.first(a.progress for a in ordered)),
        "evidence": shared.first(a.evidence for a in ordered),
        # A finished measure has no difficulty left to report.
        "problems": shared.first(a.problems for a in still_open),
        "next_steps": shared.next_text(
            shared.first(a.next_steps for a in still_open), m.status, m.overdue_days
        ),
        "silent": [a.department for a in m.assignments if a.status == UNREPORTED],
        "plan_date": shared.plan_date(m.overdue_days, still_open, as_of, catch_up_by),
        "expected": shared.late_plan(m, still_open, as_of),
    }
    item["step"] = shared.step(item)
    return item
