"""催办通知: one notice to each department with overdue or unreported assignments
(Summary.late_departments), firmer with each round the department has reached this year."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job, Template, is_issuing_office, write_docx_batch
from docgen.documents.naming import document_filename
from docgen.documents.urge import layout
from docgen.documents.urge.context import urge_context
from docgen.history import claim_urge_round, open_history

if TYPE_CHECKING:
    from docgen.aggregation import DepartmentProgress, Summary

TEMPLATE = "urge_notice.docx"
FOLDER = "催办通知"


def recipients(summary: Summary, settings: Settings) -> tuple[DepartmentProgress, ...]:
    """The departments urging notices go to: every late one (Summary.late_departments) but the
    issuing office, which never urges itself (its items are in the party group's documents)."""
    return tuple(d for d in summary.late_departments if not is_issuing_office(settings, d.name))


def write_urge_notices(job: Job, new_deadline_days: int | None = None) -> list[Path]:
    """Write a notice for each late department into job.out_dir; none when nobody is late.

    The notice gives `new_deadline_days` (default: the job's, else docgen.toml's urge_days) to
    catch up. Each department's round is claimed in the workspace's history: the first notice
    of the year is round 1, and writing again for the same as-of date keeps the round it had.
    """
    summary = job.summary
    late = recipients(summary, job.settings)
    if not late:
        return []
    if new_deadline_days:
        job = replace(job, urge_days=new_deadline_days)
    days = (job.report_by - summary.as_of).days  # the build's one date to report by
    year = job.settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:

        def documents():
            # Rounds are claimed as the contexts are built, while workers write the notices.
            for department in late:
                round_ = claim_urge_round(connection, year, department.name, summary.as_of, job.now)
                context = urge_context(job, department, round_, days)
                yield context, document_filename("催办通知", ".docx", department.name)

        return write_docx_batch(job, TEMPLATE, documents(), len(late))


DOCUMENT = DocumentKind(
    key="urge",
    name="催办通知",
    write=write_urge_notices,
    count=lambda summary, settings: len(recipients(summary, settings)),
    templates=(Template(TEMPLATE, layout.build),),
    folder=FOLDER,
)
