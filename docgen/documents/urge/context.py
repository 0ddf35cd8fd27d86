"""What an urging notice is filled with: the department's late items, its round and the dates;
the sentences, and how they firm up round by round, are in layout.py."""

import datetime as dt
from typing import TypedDict

from docgen.aggregation import DepartmentProgress
from docgen.documents.base import BaseContext, Job, base_context, deadline_text
from docgen.documents.naming import office_name


class UrgeItem(TypedDict):
    id: str
    text: str
    role: str
    deadline: str
    standing: bool
    days: int
    status: str


class UrgeContext(BaseContext):
    """Everything urge_notice.docx uses."""

    department: str
    round: int
    items: list[UrgeItem]
    total: int
    sent_nothing: bool
    overdue_count: int
    both_count: int
    pending_count: int
    return_deadline: dt.date | None
    new_due: dt.date
    signature: str
    contact: str


def urge_context(
    job: Job, department: DepartmentProgress, round_: int, new_deadline_days: int
) -> UrgeContext:
    summary, settings = job.summary, job.settings
    overdue, unreported = set(department.overdue_ids), set(department.unreported_ids)
    items = []
    for measure in summary.measures:
        if measure.id not in overdue and measure.id not in unreported:
            continue
        own = next(a for a in measure.assignments if a.department == department.name)
        late_by = (summary.as_of - measure.deadline).days if measure.id in overdue else 0
        items.append(
            UrgeItem(
                id=measure.id,
                text=measure.text,
                role=own.role,
                deadline=deadline_text(measure),
                standing=measure.deadline is None,
                days=late_by,
                status=own.status,
            )
        )
    return UrgeContext(
        **base_context(job),
        department=department.name,
        round=round_,
        items=items,
        total=department.counts.total,
        sent_nothing=department.sent_nothing,
        overdue_count=len(overdue),
        both_count=len(overdue & unreported),
        pending_count=len(unreported - overdue),
        return_deadline=settings.campaign.return_deadline,
        new_due=summary.as_of + dt.timedelta(days=new_deadline_days),
        signature=office_name(settings),
        contact="",
    )
