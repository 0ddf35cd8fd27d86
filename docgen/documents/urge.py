"""催办通知: one notice to each department with overdue or unreported assignments.

Each notice remembers the round the department has reached this year (docgen.history), and the
template (docgen/official/layouts/urge.py) picks its title and its firmness by that round. This
module hands the template the department's late items and the dates; the sentences are there.
"""

import datetime as dt
from pathlib import Path

from docgen.aggregation import DepartmentProgress, Summary
from docgen.documents.brief import office_name
from docgen.documents.common import Job, base_context, deadline_text, write_docx_batch
from docgen.documents.naming import document_filename
from docgen.history import claim_urge_round, open_history

TEMPLATE = "urge_notice.docx"


def late_departments(summary: Summary) -> list[DepartmentProgress]:
    """Departments with an assignment past its deadline and not done, or one never reported."""
    return [d for d in summary.departments if d.overdue_ids or d.unreported_ids]


def write_urge_notices(job: Job, new_deadline_days: int = 7) -> list[Path]:
    """Write a notice for each late department into job.out_dir; none when nobody is late.

    Each department's round is claimed in the workspace's history: the first notice of the year
    is round 1, and writing again for the same as-of date keeps the round it had.
    """
    summary = job.summary
    late = late_departments(summary)
    if not late:
        return []
    year = job.settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:

        def documents():
            # Rounds are claimed as the contexts are built, while workers write the notices.
            for department in late:
                round_ = claim_urge_round(connection, year, department.name, summary.as_of, job.now)
                context = urge_context(job, department, round_, new_deadline_days)
                yield context, document_filename("催办通知", ".docx", department.name)

        return write_docx_batch(job, TEMPLATE, documents(), len(late))


def urge_context(
    job: Job, department: DepartmentProgress, round_: int, new_deadline_days: int
) -> dict:
    summary, settings = job.summary, job.settings
    overdue, unreported = set(department.overdue_ids), set(department.unreported_ids)
    items = []
    for measure in summary.measures:
        if measure.id not in overdue and measure.id not in unreported:
            continue
        own = next(a for a in measure.assignments if a.department == department.name)
        late_by = (summary.as_of - measure.deadline).days if measure.id in overdue else 0
        items.append(
            {
                "id": measure.id,
                "text": measure.text,
                "role": own.role,
                "deadline": deadline_text(measure),
                "standing": measure.deadline is None,
                "days": late_by,
                "status": own.status,
            }
        )
    return {
        **base_context(job),
        "department": department.name,
        "round": round_,
        "items": items,
        "total": department.counts.total,
        "sent_nothing": department.sent_nothing,
        "overdue_count": len(overdue),
        "both_count": len(overdue & unreported),
        "pending_count": len(unreported - overdue),
        "return_deadline": settings.campaign.return_deadline,
        "new_due": summary.as_of + dt.timedelta(days=new_deadline_days),
        "signature": office_name(settings),
        "contact": "",
    }
