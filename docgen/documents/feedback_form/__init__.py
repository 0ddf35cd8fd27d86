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
from docgen.rendering import (
    left_to_do,
    made_of,
    map_in_workers,
    prepare,
    resolve_template,
    write_soon,
)
from docgen.reuse import digest, fingerprint_file

TEMPLATE = "feedback_form.docx"
DOCUMENT_NAME = "反馈表"
FOLDER = "反馈表"


@dataclass(frozen=True)
class FormTask:
    """One department's two forms, as a worker process writes them; a form the build took from
    the previous one (Job.taken) has no path and is not written."""

    template: str
    font_profile: str
    context: dict
    sheet: FormSheet
    docx: Path | None
    xlsx: Path | None
    when: dt.datetime


def write_feedback_forms(
    job: Job, departments: list[str] | None = None, due: dt.date | None = None
) -> list[Path]:
    """For each department with assignments (or only those named), its Word and Excel forms.

    `due` is the return date printed on both (default: return_deadline of the settings). Raises
    DocgenError, before anything is written, for a name that is not a department with assignments.
    A large batch is written by worker processes (docgen.rendering.workers), a department at a time.
    A form whose rows and settings are those of the previous build is taken from it.
    """
    summary, settings = job.summary, job.settings
    due = due or return_deadline(settings, summary.as_of)
    names = departments_with_assignments(job)
    targets = names if departments is None else checked_departments(departments, names, job)
    template = str(resolve_template(TEMPLATE, job.workspace))
    assignments = assignments_by_department(summary)
    outputs = []
    docx_parts = made_of(template, job.font_profile)
    # A department's forms are built from its (measure, role) pairs, its name, the settings,
    # the as-of date and the return date alone (form_context, form_sheet): taken unchanged by
    # those, each measure as its digest, they are not built at all.
    shared = digest((settings, summary.as_of, due, fingerprint_file(template), job.font_profile))
    digests = job.digests(summary.measures)

    def tasks():
        for name in targets:
            docx = job.out_dir / document_filename(DOCUMENT_NAME, ".docx", name)
            xlsx = job.out_dir / document_filename(DOCUMENT_NAME, ".xlsx", name)
            outputs.extend((docx, xlsx))
            source = (shared, name, [(digests.get(id(m)), role) for m, role in assignments[name]])
            docx_taken = job.taken_unchanged(docx, "docx", *source)
            xlsx_taken = job.taken_unchanged(xlsx, "xlsx", *source)
            if docx_taken and xlsx_taken:
                job.advance()
                continue
            context = form_context(job, name, due, assignments[name])
            sheet = form_sheet(summary, settings, name, due, assignments[name])
            docx_taken = docx_taken or job.taken(docx, *docx_parts(context))
            xlsx_taken = xlsx_taken or job.taken(xlsx, sheet)
            if docx_taken and xlsx_taken:
                job.advance()
                continue
            yield FormTask(
                template,
                job.font_profile,
                context,
                sheet,
                None if docx_taken else docx,
                None if xlsx_taken else xlsx,
                job.document_time,
            )

    pending, count = left_to_do(tasks(), len(targets), job.reuse)
    map_in_workers(
        write_department_forms,
        pending,
        count=count,
        done=job.advance,
        initializer=prepare_forms,
        initargs=(template, job.font_profile),
    )
    return outputs


def prepare_forms(template: str, font_profile: str) -> None:
    """Read and compile the Word template and build the Excel prototype (a worker initializer)."""
    prepare(template, font_profile)
    form_workbook_bytes(FormSheet("", "", "", dt.date.min, dt.date.min, ()))


def write_department_forms(task: FormTask) -> None:
    if task.docx is not None:
        document = prepare(task.template, task.font_profile).render(task.context, task.when)
        write_soon(task.docx, document)
    if task.xlsx is not None:
        write_soon(task.xlsx, form_workbook_bytes(task.sheet, task.when))


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
