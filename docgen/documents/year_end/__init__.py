"""年终总结: the party group's report on the year. context.py picks the figures, achievements,
problems and plans from the Summary; layout.py writes every sentence."""

from pathlib import Path

from docgen.documents.base import DocumentKind, Job, Template, one, write_single
from docgen.documents.naming import document_filename
from docgen.documents.year_end import layout
from docgen.documents.year_end.context import year_end_context

TEMPLATE = "year_end_summary.docx"


def write_year_end(job: Job) -> list[Path]:
    """Write the year-end summary (one .docx) into the job's folder."""
    context = year_end_context(job)
    name = document_filename(f"{context['year']}年度工作总结", ".docx")
    return write_single(job, TEMPLATE, context, name)


DOCUMENT = DocumentKind(
    key="year-end",
    name="年终总结",
    write=write_year_end,
    count=one,
    templates=(Template(TEMPLATE, layout.build),),
)
