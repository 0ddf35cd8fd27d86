"""反馈表 for every department, in one batch: the Word form to print, sign and stamp (layout.py),
and the Excel form to fill in and return (workbook.py), listing the same rows.

Both take their rows from workbook.assignments_by_department and their return date from
workbook.return_deadline, so the paper and the spreadsheet never disagree.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.documents.base import DocumentKind, Job, Template, per_department
from docgen.documents.feedback_form import layout
from docgen.documents.feedback_form.context import (
    checked_departments,
    departments_with_assignments,
    form_context,
)
from docgen.documents.feedback_form.workbook import (
    FormSheet,
    assignments_by_department,
    form_sheet,
    form_workbook_bytes,
    return_deadline,
)
from docgen.documents.naming import document_filename
from docgen.rendering import map_in_workers, prepare, resolve_template, write_soon

TEMPLATE = "feedback_form.docx"
DOCUMENT_NAME = "反馈表"
FOLDER = "反馈表"


@dataclass(frozen=True)
class FormTask:
    """One department's two forms, as a worker process writes them."""

    template: str
    font_profile: str
    context: dict
    sheet: FormSheet
    docx: Path
    xlsx: Path
    when: dt.datetime


def write_feedback_forms(
    job: Job, departments: list[str] | None = None, due: dt.date | None = None
) -> list[Path]:
    """For each department with assignments (or only those named), its Word and Excel forms.

    `due` is the return date printed on both (default: return_deadline of the settings). Raises
    DocgenError, before anything is written, for a name that is not a department with assignments.
    A large batch is written by worker processes (docgen.rendering.workers), a department at a time.
    """
    summary, settings = job.summary, job.settings
    due = due or return_deadline(settings, summary.as_of)
    names = departments_with_assignments(job)
    targets = names if departments is None else checked_departments(departments, names, job)
    template = str(resolve_template(TEMPLATE, job.workspace))
    assignments = assignments_by_department(summary)
    when = job.document_time
    tasks = (
        FormTask(
            template,
            job.font_profile,
            form_context(job, name, due, assignments[name]),
            form_sheet(summary, settings, name, due, assignments[name]),
            job.out_dir / document_filename(DOCUMENT_NAME, ".docx", name),
            job.out_dir / document_filename(DOCUMENT_NAME, ".xlsx", name),
            when,
        )
        for name in targets
    )
    written = map_in_workers(
        write_department_forms,
        tasks,
        count=len(targets),
        done=job.advance,
        initializer=prepare_forms,
        initargs=(template, job.font_profile),
    )
    return [path for pair in written for path in pair]


def prepare_forms(template: str, font_profile: str) -> None:
    """Read and compile the Word template and build the Excel prototype (a worker initializer)."""
    prepare(template, font_profile)
    form_workbook_bytes(FormSheet("", "", "", dt.date.min, dt.date.min, ()))


def write_department_forms(task: FormTask) -> tuple[Path, Path]:
    document = prepare(task.template, task.font_profile).render(task.context, task.when)
    workbook = form_workbook_bytes(task.sheet, task.when)
    return write_soon(task.docx, document), write_soon(task.xlsx, workbook)


def write(job: Job) -> list[Path]:
    return write_feedback_forms(job, None, job.forms_due)


DOCUMENT = DocumentKind(
    key="forms",
    name="反馈表",
    write=write,
    count=per_department,
    templates=(Template(TEMPLATE, layout.build),),
    folder=FOLDER,
)
