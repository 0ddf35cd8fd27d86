"""自查报告 of each department to the lead office, on its own assignments. context.py gives the
department's figures and items, layout.py the wording; what it shares with the party group's
report is in docgen.documents.self_check."""

from pathlib import Path

from docgen.documents.base import (
    FULL,
    DocumentKind,
    Job,
    Template,
    per_department,
    write_docx_batch,
    write_single,
)
from docgen.documents.department_report import layout
from docgen.documents.department_report.context import department_report_context
from docgen.documents.naming import document_filename

TEMPLATE = "department_self_check.docx"
# Every measure narrated where it belongs and part four item by item (`--detail full`).
FULL_TEMPLATE = "department_self_check_full.docx"
DOCUMENT_NAME = "自查报告"
FOLDER = "部门自查报告"


def write_department_report(job: Job, department: str) -> list[Path]:
    """The named department's self-check report into job.out_dir."""
    context = department_report_context(job, department)
    filename = document_filename(DOCUMENT_NAME, ".docx", department)
    return write_single(job, _template(job), context, filename)


def write_department_reports(job: Job) -> list[Path]:
    """One self-check report for every department with assignments, written in worker processes."""
    names = [d.name for d in job.summary.departments]
    documents = (
        (department_report_context(job, name), document_filename(DOCUMENT_NAME, ".docx", name))
        for name in names
    )
    return write_docx_batch(job, _template(job), documents, len(names))


def _template(job: Job) -> str:
    return FULL_TEMPLATE if job.detail == FULL else TEMPLATE


DOCUMENT = DocumentKind(
    key="self-check",
    name="部门自查报告",
    write=write_department_reports,
    count=per_department,
    templates=(Template(TEMPLATE, layout.build), Template(FULL_TEMPLATE, layout.build_full)),
    folder=FOLDER,
)
