"""督导简报: 第N期, numbered through the year in the workspace's history, with what changed since
the previous issue. context.py gives the figures and lists, layout.py the wording."""

from pathlib import Path

from docgen.documents.base import DocumentKind, Job, Template, one, write_single
from docgen.documents.brief import layout
from docgen.documents.brief.context import brief_context
from docgen.documents.naming import document_filename
from docgen.history import claim_brief_issue, open_history

TEMPLATE = "supervision_brief.docx"


def write_brief(job: Job, new_issue: bool = False) -> list[Path]:
    """Claim this issue's number, store its snapshot, and write the brief into job.out_dir.

    Re-running for the as-of date of the latest issue rewrites that issue under its number;
    `new_issue` takes the next number instead (see docgen.history.claim_brief_issue).
    """
    summary = job.summary
    year = job.settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:
        issue, previous = claim_brief_issue(
            connection, year, summary.as_of, summary.snapshot(), job.now, new_issue
        )
        context = brief_context(job, issue, previous)
        name = document_filename(f"督导简报（第{issue.number}期）", ".docx")
        return write_single(job, TEMPLATE, context, name)


DOCUMENT = DocumentKind(
    key="brief",
    name="督导简报",
    write=write_brief,
    count=one,
    templates=(Template(TEMPLATE, layout.build),),
)
