"""反馈表 for every department, in one batch: the Word form to print, sign and stamp, and the Excel
form to fill in and return (docgen.documents.form_workbook), listing the same rows.

Both take their rows from form_workbook.assignments_by_department and their return date from
form_workbook.return_deadline, so the paper and the spreadsheet never disagree.
"""

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from docgen.documents.common import Job, deadline_text
from docgen.documents.form_workbook import (
    FormSheet,
    assignments_by_department,
    form_sheet,
    form_workbook_bytes,
    return_deadline,
)
from docgen.documents.naming import document_filename
from docgen.errors import DocgenError
from docgen.model import LEAD, SUPPORT

TEMPLATE = "feedback_form.docx"
DOCUMENT = "反馈表"
CLOSE_NAMES_SHOWN = 5


@dataclass(frozen=True)
class FormTask:
    """One department's two forms, as a worker process writes them."""

    template: str
    font_profile: str
    context: dict
    sheet: FormSheet
    docx: Path
    xlsx: Path


def write_feedback_forms(
    job: Job, departments: list[str] | None = None, due: dt.date | None = None
) -> list[Path]:
    """For each department with assignments (or only those named), its Word and Excel forms.

    `due` is the return date printed on both (default: return_deadline of the settings). Raises
    DocgenError, before anything is written, for a name that is not a department with assignments.
    A large batch is written by worker processes (docgen.batch), a department at a time.
    """
    from docgen.batch import map_in_workers
    from docgen.rendering import resolve_template

    summary, settings = job.summary, job.settings
    due = due or return_deadline(settings, summary.as_of)
    names = departments_with_assignments(job)
    targets = names if departments is None else checked_departments(departments, names, job)
    template = str(resolve_template(TEMPLATE, job.workspace))
    assignments = assignments_by_department(summary)
    tasks = (
        FormTask(
            template,
            job.font_profile,
            form_context(job, name, due, assignments[name]),
            form_sheet(summary, settings, name, due, assignments[name]),
            job.out_dir / document_filename(DOCUMENT, ".docx", name),
            job.out_dir / document_filename(DOCUMENT, ".xlsx", name),
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
    from docgen.batch import prepared_template

    prepared_template(template, font_profile)
    form_workbook_bytes(FormSheet("", "", "", dt.date.min, dt.date.min, ()))


def write_department_forms(task: FormTask) -> tuple[Path, Path]:
    from docgen.batch import prepared_template, write_soon

    document = prepared_template(task.template, task.font_profile).render(task.context)
    return write_soon(task.docx, document), write_soon(task.xlsx, form_workbook_bytes(task.sheet))


def departments_with_assignments(job: Job) -> list[str]:
    """Every department that answers for at least one measure, in the order of the settings'
    department list, then as they first appear in the measures."""
    assigned = {a.department for m in job.summary.measures for a in m.assignments}
    configured = [d.name for d in job.settings.departments if d.name in assigned]
    appearing = [a.department for m in job.summary.measures for a in m.assignments]
    return list(dict.fromkeys([*configured, *appearing]))


def checked_departments(requested: list[str], names: list[str], job: Job) -> list[str]:
    """The requested names, trimmed and once each; an unknown one is an error naming close ones."""
    wanted = list(dict.fromkeys(name.strip() for name in requested if name.strip()))
    if not wanted:
        raise DocgenError("没有指定部门名称，请在 --dept 后写明部门，如 --dept 办公室。")
    configured = {d.name for d in job.settings.departments}
    for name in wanted:
        if name in names:
            continue
        if name in configured:
            raise DocgenError(f"部门“{name}”在举措清单中没有承担任何举措，无需生成反馈表。")
        raise DocgenError(unknown_department_message(name, names))
    return wanted


def unknown_department_message(name: str, known: list[str]) -> str:
    """找不到部门“X”。名称相近的有：A、B。 — or the whole list when nothing is close."""
    known = list(dict.fromkeys(known))
    close = [k for k in known if name in k or k in name]
    close += difflib.get_close_matches(name, known, n=CLOSE_NAMES_SHOWN, cutoff=0.4)
    close = list(dict.fromkeys(close))[:CLOSE_NAMES_SHOWN]
    if close:
        return f"找不到部门“{name}”。名称相近的有：{'、'.join(close)}。请按举措清单中的名称填写。"
    return f"找不到部门“{name}”。承担举措的部门有：{'、'.join(known)}。"


def form_context(job: Job, department: str, due: dt.date, assignments=None) -> dict:
    """What feedback_form.docx uses: the department's rows, in the Excel form's order."""
    if assignments is None:
        assignments = assignments_by_department(job.summary).get(department, [])
    rows = [
        {
            "id": measure.id,
            "stream": measure.stream,
            "text": measure.text,
            "role": role,
            "deadline": deadline_text(measure),
            "deadline_on": measure.deadline,
        }
        for measure, role in assignments
    ]
    settings = job.settings
    return {
        "org": settings.organisation.name,
        "year": settings.year_for(job.summary.as_of),
        "department": department,
        "office": settings.organisation.office,
        "due": due,
        "rows": rows,
        "n_lead": sum(1 for r in rows if r["role"] == LEAD),
        "n_support": sum(1 for r in rows if r["role"] == SUPPORT),
    }
