"""What the report on the spot-checks is filled with: every claim a verdict has come back on
(an assignment, one department's part in one measure), counted by verdict and by stream; the
findings grouped by what the checkers wrote; what each 不属实 or 基本属实 item must do and by when.

Counts are over assignments (measure × department, the unit a sample draws and a checker checks),
said once in the report. The sample's seeds and reasons come from the history
(docgen.history.sampled_items); the checks' dates, units, methods and words from the returned
sheets as aggregation applied them. Sentences are written by layout.py.
"""

import datetime as dt
import re
from typing import TypedDict

from docgen import cn
from docgen.aggregation import AssignmentProgress, MeasureProgress
from docgen.documents.base import BaseContext, Job, base_context
from docgen.documents.naming import office_name
from docgen.history import open_history, sampled_items
from docgen.model import CHECK_METHODS, DONE, REFUTED, VERDICTS, VERIFIED, VERIFIED_WITH_REMARKS

# The party group, as the office addresses it (its short form, as the other documents name it).
PARTY_GROUP = "局党组"
# Why a claim was drawn besides chance (docgen.spot_check.sampling writes these into the history).
NO_EVIDENCE, LATE = "未填佐证材料", "逾期完成"
# Items named one by one in a group of part two or in part three; the rest are counted and listed
# in the attachment (documents.md §9 rule 12).
NAMED = 5

# What a checker's words are about, by the words used: the first group whose word the finding
# holds. 形式整改 first: a claim found not done at all is the gravest, whatever else it says.
FINDING_GROUPS = (
    (
        "形式整改",
        "文字整改、形式整改问题",
        ("形式", "文字整改", "纸面", "未开展", "没有开展", "未实际", "未落实", "未召开", "未组织"),
    ),
    ("台账不规范", "台账不规范", ("台账", "登记", "归档", "不规范", "不一致", "不符")),
    (
        "佐证材料不充分",
        "佐证材料不充分",
        ("佐证", "材料", "照片", "记录", "纪要", "签到", "附件", "未见", "未提供", "缺"),
    ),
    (
        "完成质量不高",
        "完成质量不高",
        ("质量", "不到位", "不深入", "不全面", "流于", "敷衍", "针对性", "不完整", "不彻底"),
    ),
)
OTHER_GROUP = ("其他", "其他问题")
_METHOD_SPLIT = re.compile(r"[、，,；;/\s]+")


class Verdicts(TypedDict):
    """Checked claims by verdict; `breakdown` the non-zero ones in the order a report names them."""

    n: int
    verified: int
    remarks: int
    refuted: int
    breakdown: list[tuple[str, int]]


class Item(TypedDict):
    """One checked claim as the report names it."""

    id: str
    text: str
    department: str
    stream: str
    verdict: str
    checked_on: dt.date | None
    checker: str
    method: str
    finding: str
    requirement: str
    redo_by: dt.date | None


class FindingGroup(TypedDict):
    key: str
    title: str
    n: int
    departments: list[str]
    members: list[Item]
    rest: int


class StreamChecks(TypedDict):
    name: str
    checker: str
    done: int
    v: Verdicts


class Checker(TypedDict):
    """A checking unit and the streams it checked."""

    unit: str
    streams: list[str]


class SpotCheckReportContext(BaseContext):
    """Everything spot_check_report.docx uses."""

    recipient: str
    signature: str
    span: list[dt.date]
    checkers: list[Checker]
    methods: list[str]
    seeds: list[int]
    ratio: str
    minimum: int
    no_evidence: int
    late: int
    v: Verdicts
    done_claims: int
    share: str
    n_departments_checked: int
    by_stream: list[StreamChecks]
    pending: int
    # The units whose sheets have not all come back.
    pending_units: list[str]
    groups: list[FindingGroup]
    unremarked: list[Item]
    refuted: list[Item]
    refuted_rest: int
    remarks: list[Item]
    remarks_rest: int
    report_by: dt.date
    next_check: dt.date | None
    unchecked_done: int
    rows: list[Item]


def verdicts(items: list[Item]) -> Verdicts:
    counts = {verdict: sum(1 for i in items if i["verdict"] == verdict) for verdict in VERDICTS}
    return Verdicts(
        n=len(items),
        verified=counts[VERIFIED],
        remarks=counts[VERIFIED_WITH_REMARKS],
        refuted=counts[REFUTED],
        breakdown=[(verdict, n) for verdict, n in counts.items() if n],
    )


def finding_group(finding: str) -> tuple[str, str]:
    """The (key, title) of the group a checker's words fall in (FINDING_GROUPS), else 其他."""
    for key, title, words in FINDING_GROUPS:
        if any(word in finding for word in words):
            return key, title
    return OTHER_GROUP


def methods(items: list[Item]) -> list[str]:
    """The check methods the sheets name, the usual four in their order, any other after them."""
    named = [m for i in items for m in _METHOD_SPLIT.split(i["method"]) if m]
    known = [m for m in CHECK_METHODS if m in named]
    return known + list(dict.fromkeys(m for m in named if m not in CHECK_METHODS))


def _item(measure: MeasureProgress, claim: AssignmentProgress, checker: str) -> Item:
    return Item(
        id=measure.id,
        text=cn.inner_quotes(cn.clause(measure.text)),
        department=claim.department,
        stream=measure.stream,
        verdict=claim.verdict,
        checked_on=claim.checked_on,
        checker=claim.checker or checker,
        method=cn.clause(claim.check_method),
        finding=cn.inner_quotes(cn.clause(claim.finding)),
        requirement=cn.inner_quotes(cn.clause(claim.requirement)),
        redo_by=claim.redo_by,
    )


def _groups(items: list[Item]) -> list[FindingGroup]:
    """Items with the checker's words, by group in FINDING_GROUPS order, 不属实 first in each."""
    order = [key for key, _, _ in FINDING_GROUPS] + [OTHER_GROUP[0]]
    found: dict[str, tuple[str, list[Item]]] = {}
    for item in items:
        if not item["finding"]:
            continue
        key, title = finding_group(item["finding"])
        found.setdefault(key, (title, []))[1].append(item)
    groups = []
    for key in sorted(found, key=order.index):
        title, members = found[key]
        members.sort(key=lambda i: i["verdict"] != REFUTED)
        groups.append(
            FindingGroup(
                key=key,
                title=title,
                n=len(members),
                departments=list(dict.fromkeys(i["department"] for i in members)),
                members=members[:NAMED],
                rest=max(len(members) - NAMED, 0),
            )
        )
    return groups


def _next_check(job: Job) -> dt.date | None:
    """The next spot-check: the first 督导抽查 milestone after the as-of date, else the last day
    of the campaign year while it is ahead, else none."""
    as_of = job.summary.as_of
    ahead = sorted(
        m.date
        for m in job.settings.schedule.milestones
        if m.kind == "spot-check" and m.date and m.date > as_of
    )
    if ahead:
        return ahead[0]
    year_end = dt.date(job.settings.year_for(as_of), 12, 31)
    return year_end if year_end > as_of else None


def spot_check_report_context(job: Job) -> SpotCheckReportContext:
    """Everything spot_check_report.docx uses; see the module docstring."""
    summary, settings = job.summary, job.settings
    year = settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:
        sampled = sampled_items(connection, year)

    claims = {(m.id, a.department): (m, a) for m in summary.measures for a in m.assignments}
    items: list[Item] = []
    for (measure_id, department), (measure, claim) in claims.items():
        if claim.verdict:
            drawn = sampled.get((measure_id, department))
            unit = drawn.checker if drawn else ""
            unit = unit or settings.stream_lead(measure.stream) or office_name(settings)
            items.append(_item(measure, claim, unit))
    keys = {(i["id"], i["department"]) for i in items}
    drawn = [sampled[key] for key in keys if key in sampled]
    # A claim found 不属实 was a completion when it was checked: it counts among the completions.
    completions = {key for key, (_, a) in claims.items() if a.status == DONE or a.refuted}
    # Drawn this year, still reported done, no verdict back yet: the sheets still out.
    pending = {key for key in sampled if key in completions and not claims[key][1].verdict}

    by_unit: dict[str, list[str]] = {}
    by_stream = []
    for stream in summary.streams:
        checked = [i for i in items if i["stream"] == stream.name]
        if not checked:
            continue
        units = list(dict.fromkeys(i["checker"] for i in checked))
        for unit in units:
            by_unit.setdefault(unit, []).append(stream.name)
        done = sum(1 for key in completions if claims[key][0].stream == stream.name)
        by_stream.append(
            StreamChecks(name=stream.name, checker="、".join(units), done=done, v=verdicts(checked))
        )

    refuted = sorted(
        (i for i in items if i["verdict"] == REFUTED), key=lambda i: i["redo_by"] or dt.date.max
    )
    remarks = [i for i in items if i["verdict"] == VERIFIED_WITH_REMARKS]
    dates = sorted(i["checked_on"] for i in items if i["checked_on"])
    # The share the plans drew at random (--ratio, else [spot_check] ratio): one when they agree.
    ratios = {d.ratio for d in drawn}
    ratio = ratios.pop() if len(ratios) == 1 else 0.0
    return SpotCheckReportContext(
        **base_context(job),
        recipient=PARTY_GROUP,
        signature=settings.addressees.lead_office or office_name(settings),
        span=[dates[0], dates[-1]] if dates else [],
        checkers=[Checker(unit=unit, streams=streams) for unit, streams in by_unit.items()],
        methods=methods(items),
        seeds=sorted({d.seed for d in drawn}),
        ratio=cn.percent(ratio, 0) if ratio else "",
        minimum=settings.spot_check.minimum,
        no_evidence=sum(1 for d in drawn if NO_EVIDENCE in d.reasons),
        late=sum(1 for d in drawn if LATE in d.reasons),
        v=verdicts(items),
        done_claims=len(completions),
        share=cn.percent_of(len(items), len(completions)) if completions else "",
        n_departments_checked=len({i["department"] for i in items}),
        by_stream=by_stream,
        pending=len(pending),
        pending_units=list(dict.fromkeys(sampled[key].checker for key in sorted(pending))),
        groups=_groups(items),
        unremarked=[i for i in refuted + remarks if not i["finding"]],
        refuted=refuted[:NAMED],
        refuted_rest=max(len(refuted) - NAMED, 0),
        remarks=remarks[:NAMED],
        remarks_rest=max(len(remarks) - NAMED, 0),
        report_by=job.report_by,
        next_check=_next_check(job),
        unchecked_done=sum(
            1 for key, (_, a) in claims.items() if a.status == DONE and not a.verdict
        )
        - len(pending),
        rows=sorted(items, key=lambda i: (i["verdict"] != REFUTED, i["id"], i["department"])),
    )
