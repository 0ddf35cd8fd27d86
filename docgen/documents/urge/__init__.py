"""催办通知: one notice to each late department that a notice is due to (context.notice_plan:
overdue measures at any time, a missing return from a few days before its deadline on), firmer
with each round the department has reached this year."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import (
    DocumentKind,
    Job,
    Template,
    base_context,
    is_issuing_office,
    printed_base,
    write_docx_batch,
)
from docgen.documents.naming import document_filename
from docgen.documents.urge import layout
from docgen.documents.urge.context import (
    REDO,
    REMIND,
    NoticePlan,
    measures_by_department,
    notice_plan,
    urge_context,
    why_no_notice,
)
from docgen.history import claim_urge_round, open_history
from docgen.rendering import Deferred
from docgen.reuse import digest

if TYPE_CHECKING:
    from docgen.aggregation import DepartmentProgress, Summary

TEMPLATE = "urge_notice.docx"
FOLDER = "催办通知"


def recipients(summary: Summary, settings: Settings) -> tuple[DepartmentProgress, ...]:
    """The departments urging notices go to: every late one (Summary.late_departments), and
    every one with a completion a spot-check found 不属实, but the issuing office, which never
    urges itself (its items are in the party group's documents)."""
    late = {d.name for d in summary.late_departments}
    return tuple(
        d
        for d in summary.departments
        if (d.name in late or d.counts.refuted) and not is_issuing_office(settings, d.name)
    )


def notice_plans(summary: Summary, settings: Settings) -> tuple[NoticePlan, ...]:
    """The notices due as of the summary's date, one per recipient that has one due."""
    plans = (notice_plan(summary, settings, d) for d in recipients(summary, settings))
    return tuple(p for p in plans if p is not None)


def count_notices(summary: Summary, settings: Settings) -> int:
    return len(notice_plans(summary, settings))


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why no notice is written as of this date ("" when some are): nobody late, or only
    returns that are not yet due, or no return deadline to cite."""
    if notice_plans(summary, settings):
        return ""
    return why_no_notice(summary, settings, recipients(summary, settings))


def write_urge_notices(job: Job, new_deadline_days: int | None = None) -> list[Path]:
    """Write the notices due (notice_plans) into job.out_dir; none when none is due.

    The notice gives `new_deadline_days` (default: the job's, else docgen.toml's urge_days) to
    catch up. Each urged department's round is claimed in the workspace's history: the first
    notice of the year is round 1, and writing again for the same as-of date keeps the round it
    had. A reminder before the return deadline urges nobody yet and claims no round.
    """
    summary = job.summary
    plans = notice_plans(summary, job.settings)
    if not plans:
        return []
    if new_deadline_days:
        job = replace(job, urge_days=new_deadline_days)
    days = (job.report_by - summary.as_of).days  # the build's one date to report by
    year = job.settings.year_for(summary.as_of)
    base = base_context(job)
    measures = measures_by_department(summary)
    # A notice is built from the settings, the dates, the base context, its round, its plan and
    # the department's measures alone (urge_context): taken unchanged by those, each measure as
    # its digest, it is not built at all.
    shared = digest((job.settings, summary.as_of, days, printed_base(job, TEMPLATE, base)))
    digests = job.digests(summary.measures)
    with open_history(job.workspace) as connection:

        def documents():
            # Rounds are claimed as the contexts are built, while workers write the notices.
            for plan in plans:
                name = plan.department.name
                round_ = 0
                if plan.mode not in (REMIND, REDO):
                    round_ = claim_urge_round(connection, year, name, summary.as_of, job.now)
                own = measures.get(name, [])
                context = Deferred(
                    functools.partial(
                        urge_context, job, plan.department, round_, days, plan, base, own
                    ),
                    (shared, round_, plan, [digests.get(id(m)) for m in own]),
                )
                yield context, document_filename("催办通知", ".docx", name)

        return write_docx_batch(job, TEMPLATE, documents(), len(plans))


DOCUMENT = DocumentKind(
    key="urge",
    name="催办通知",
    write=write_urge_notices,
    count=count_notices,
    templates=(Template(TEMPLATE, layout.build),),
    folder=FOLDER,
    left_out=left_out,
)
