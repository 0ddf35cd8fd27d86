"""What an urging notice is filled with, and which notice a department gets at all.

notice_plan() reads the facts: a department with measures past their deadline is urged to catch
up (督促, 督办 from round 3) at any time; one whose return is missing is chased (催报) only once
the configured return deadline ([campaign] return_deadline) has passed, and reminded (提醒) in
the few days before it; with no return deadline there is nothing to cite, and a missing return
alone brings no notice. The tone follows the worst case: the department's role (牵头 or 配合),
how many days it is late and the round it has reached. The sentences are in layout.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from docgen import cn
from docgen.config import DEFAULT_RULES, MILESTONE_KINDS, Settings
from docgen.documents.base import BaseContext, Job, base_context, deadline_text
from docgen.documents.naming import office_name
from docgen.model import LEAD

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docgen.aggregation import DepartmentProgress, MeasureProgress, Summary

# The three kinds of notice (NoticePlan.mode).
REMIND = "remind"  # the return is due within the next few days: 提醒
CHASE = "chase"  # the return is past its deadline: 催报
CATCH_UP = "catch-up"  # measures are past their deadline: 督促加快推进, 督办 from round 3
REDO = "redo"  # only completions a spot-check found 不属实: 限期整改

# More items than this go to an attachment: the notice itself stays a page or so.
INLINE_ROWS = 5
# Days late that make the tone firmer: a week late is late; a month late is long late.
LATE_DAYS = 7
LONG_LATE_DAYS = 30


def reminder_days(settings: Settings) -> int:
    """How many days before the return deadline a department that has not returned is reminded:
    the longest `days_before` of the schedule's urge rules on the 反馈表报送截止 milestone, else
    the default rule's (3)."""

    def before(rules, names) -> list[int]:
        return [
            rule.days_before
            for rule in rules
            if rule.document == "urge" and rule.days_before is not None and rule.milestone in names
        ]

    names = {"form-return", MILESTONE_KINDS["form-return"]} | {
        m.name for m in settings.schedule.milestones if m.kind == "form-return"
    }
    return max(before(settings.schedule.rules, names) or before(DEFAULT_RULES, names))


@dataclass(frozen=True)
class NoticePlan:
    """The notice one department gets: its `mode` (REMIND, CHASE or CATCH_UP), the measures past
    their deadline it has not done (`overdue_ids`), the ones it has not reported on that the
    notice also lists (`missing_ids`: only once the return is late, or in the reminder window),
    and how many days its return is late (0 when the return deadline has not passed)."""

    department: DepartmentProgress
    mode: str
    overdue_ids: tuple[str, ...]
    missing_ids: tuple[str, ...]
    return_late: int
    # Its completions a spot-check found 不属实 (named in any notice it gets; alone, a REDO one).
    refuted_ids: tuple[str, ...] = ()


def notice_plan(
    summary: Summary, settings: Settings, department: DepartmentProgress
) -> NoticePlan | None:
    """The notice a late department gets as of the summary's date, or None when none is due."""
    as_of, deadline = summary.as_of, settings.campaign.return_deadline
    overdue = department.overdue_ids
    missing = tuple(i for i in department.unreported_ids if i not in overdue)
    return_late = (as_of - deadline).days if deadline and as_of > deadline else 0
    reminding = bool(deadline) and 0 <= (deadline - as_of).days <= reminder_days(settings)
    if not (return_late or reminding):
        missing = ()  # no deadline to cite, or it is still weeks away
    # Walked only for a department with one: a build asks for the plans several times (count,
    # left_out, write), and a walk over every measure for each of 500 departments costs seconds.
    refuted = (
        tuple(
            m.id
            for m in summary.measures
            for a in m.assignments
            if a.department == department.name and a.refuted
        )
        if department.counts.refuted
        else ()
    )
    if not overdue and not missing:
        return NoticePlan(department, REDO, (), (), 0, refuted) if refuted else None
    if return_late and (department.sent_nothing or not overdue):
        mode = CHASE
    elif overdue:
        mode = CATCH_UP
    else:
        mode = REMIND
    return NoticePlan(department, mode, overdue, missing, return_late, refuted)


def why_no_notice(summary: Summary, settings: Settings, late: tuple) -> str:
    """Why no department gets a notice, in a sentence a clerk reads (DocumentKind.left_out).
    `late` are the late departments notices may go to (the issuing office is not one)."""
    office = settings.organisation.office
    others = len(late) < len(summary.late_departments)
    unreported = [d for d in late if d.unreported_ids]
    if not unreported:
        reason = "没有逾期举措，也没有未报送的部门"
        return f"除发文的{office}外，{reason}" if others else reason
    deadline = settings.campaign.return_deadline
    if deadline is None:
        return (
            f"没有逾期举措；有{len(unreported)}个部门尚未报送反馈表，但没有设置反馈表报送截止日期"
            "（docgen.toml 的 [campaign] return_deadline），不予催报"
        )
    start = deadline - dt.timedelta(days=reminder_days(settings))
    return (
        "没有逾期举措，也没有超过报送截止日期未报送的部门；反馈表报送截止日期为"
        f"{cn.date_cn(deadline)}，{cn.month_day_cn(start)}起提醒尚未报送的{len(unreported)}个部门，"
        "截止日期过后催报"
    )


class UrgeItem(TypedDict):
    id: str
    text: str
    role: str
    lead: str
    deadline: str
    standing: bool
    days: int
    status: str


class UrgeContext(BaseContext):
    """Everything urge_notice.docx uses. `level` is the tone: 1 plain (a co-operating
    department, or a return, a little late), 2 firm (a lead department late, or anyone a
    month late, or round 2), 3 the head's attention (a lead department or a return more than a
    month late, or round 3 on)."""

    department: str
    mode: str
    round: int
    level: int
    items: list[UrgeItem]
    total: int
    sent_nothing: bool
    overdue_count: int
    lead_count: int
    shortest: int
    longest: int
    both_count: int
    unreported_count: int
    missing_count: int
    missing_late: bool
    leads: str
    return_deadline: dt.date | None
    return_late: int
    days_left: int
    form_notice: str
    new_due: dt.date
    signature: str
    contact: str
    attachments: list[str]
    refuted: list[dict]


def tone_level(plan: NoticePlan, items: list[UrgeItem], round_: int) -> int:
    """1, 2 or 3 (UrgeContext.level), from the worst of the department's facts."""
    lead_late = max((i["days"] for i in items if i["days"] and i["role"] == LEAD), default=0)
    support_late = max((i["days"] for i in items if i["days"] and i["role"] != LEAD), default=0)
    # The return counts when the notice chases it, not when only the measures are late.
    return_late = plan.return_late if plan.mode == CHASE or plan.missing_ids else 0
    if round_ >= 3 or lead_late > LONG_LATE_DAYS or return_late > LONG_LATE_DAYS:
        return 3
    if round_ == 2 or lead_late or support_late > LONG_LATE_DAYS or return_late > LATE_DAYS:
        return 2
    return 1


def contact_line(settings: Settings) -> str:
    """The 附注 of a notice: the office's contact and phone from [organisation], or the office."""
    organisation = settings.organisation
    who = organisation.contact.strip()
    phone = organisation.phone.strip()
    parts = [f"联系人：{who}" if who else f"联系单位：{organisation.office}"]
    if phone:
        parts.append(f"联系电话：{phone}")
    return "，".join(parts)


def form_notice(settings: Settings) -> str:
    """The office's notice that sent out the forms ([campaign] form_notice) in 《》, or ""."""
    title = settings.campaign.form_notice.strip()
    if title and not title.startswith("《"):
        title = f"《{title}》"
    return title


def urge_context(
    job: Job,
    department: DepartmentProgress,
    round_: int,
    new_deadline_days: int,
    plan: NoticePlan | None = None,
    base: BaseContext | None = None,
    measures: Iterable[MeasureProgress] | None = None,
) -> UrgeContext:
    """The notice's context; `plan` is notice_plan()'s (worked out here when not given, and for
    a department no notice is due to, as the notice it would get once its return is late). A
    batch passes base_context(job) as `base` and the department's measures in the summary's
    order (measures_by_department) as `measures`, both found here when not given."""
    summary, settings = job.summary, job.settings
    plan = plan or notice_plan(summary, settings, department)
    if plan is None:
        mode = CATCH_UP if department.overdue_ids else CHASE
        missing = tuple(i for i in department.unreported_ids if i not in department.overdue_ids)
        plan = NoticePlan(department, mode, department.overdue_ids, missing, 0)
    listed = set(plan.overdue_ids) | set(plan.missing_ids)
    measures = summary.measures if measures is None else measures
    items = []
    for measure in measures:
        if measure.id not in listed:
            continue
        own = next(a for a in measure.assignments if a.department == department.name)
        items.append(
            UrgeItem(
                id=measure.id,
                text=measure.text,
                role=own.role,
                lead=measure.lead,
                deadline=deadline_text(measure),
                standing=measure.deadline is None,
                days=(summary.as_of - measure.deadline).days
                if measure.id in plan.overdue_ids
                else 0,
                status=own.status,
            )
        )
    late = [i for i in items if i["days"]]
    unreported = set(department.unreported_ids)
    leads = [i["lead"] for i in late if i["role"] != LEAD]
    deadline = settings.campaign.return_deadline
    return UrgeContext(
        **(base or base_context(job)),
        department=department.name,
        mode=plan.mode,
        round=round_,
        level=tone_level(plan, items, round_),
        items=items,
        total=department.counts.total,
        sent_nothing=department.sent_nothing,
        overdue_count=len(late),
        lead_count=sum(i["role"] == LEAD for i in late),
        shortest=min((i["days"] for i in late), default=0),
        longest=max((i["days"] for i in late), default=0),
        both_count=len(unreported & set(plan.overdue_ids)),
        unreported_count=len(unreported),
        missing_count=len(plan.missing_ids),
        missing_late=bool(plan.missing_ids and plan.return_late),
        leads="、".join(dict.fromkeys(leads)),
        return_deadline=deadline,
        return_late=plan.return_late,
        days_left=(deadline - summary.as_of).days if deadline and plan.mode == REMIND else 0,
        form_notice=form_notice(settings),
        new_due=summary.as_of + dt.timedelta(days=new_deadline_days),
        signature=office_name(settings),
        contact=contact_line(settings),
        attachments=[attachment_title(plan, department)] if len(items) > INLINE_ROWS else [],
        refuted=[
            {
                "id": m.id,
                # Inside “…”, the measure's own double quotes become single ones.
                "text": cn.inner_quotes(m.text),
                "checker": a.checker,
                "checked_on": a.checked_on,
                "finding": a.finding,
                "redo_by": a.redo_by,
            }
            for m in measures
            if m.id in plan.refuted_ids
            for a in m.assignments
            if a.department == department.name and a.refuted
        ],
    )


def measures_by_department(summary: Summary) -> dict[str, list[MeasureProgress]]:
    """Each department's measures in the summary's order, found in one pass."""
    found: dict[str, list[MeasureProgress]] = {}
    for measure in summary.measures:
        for name in dict.fromkeys(a.department for a in measure.assignments):
            found.setdefault(name, []).append(measure)
    return found


def attachment_title(plan: NoticePlan, department: DepartmentProgress) -> str:
    """What the attached list holds, as its title and in the 附件说明."""
    if plan.mode == CATCH_UP:
        what = "逾期未完成的举措" if not plan.missing_ids else "逾期未完成及未报送进展情况的任务"
    else:
        what = "未报送进展情况的任务"
    return f"{department.name}{what}清单"
