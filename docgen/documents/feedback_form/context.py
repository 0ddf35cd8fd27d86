"""What the Word form of one department says: its assignments in the Excel form's order, and the
departments a batch of forms is for."""

import datetime as dt
import difflib
from typing import TypedDict

from docgen.documents.base import Job, deadline_text
from docgen.documents.feedback_form.workbook import assignments_by_department
from docgen.errors import DocgenError
from docgen.model import LEAD, SUPPORT

CLOSE_NAMES_SHOWN = 5


class FormRow(TypedDict):
    id: str
    stream: str
    text: str
    role: str
    deadline: str
    deadline_on: dt.date | None


class FormContext(TypedDict):
    """Everything feedback_form.docx uses."""

    org: str
    year: int
    department: str
    office: str
    due: dt.date
    rows: list[FormRow]
    n_lead: int
    n_support: int


def form_context(job: Job, department: str, due: dt.date, assignments=None) -> FormContext:
    """What feedback_form.docx uses: the department's rows, in the Excel form's order."""
    if assignments is None:
        assignments = assignments_by_department(job.summary).get(department, [])
    rows = [
        FormRow(
            id=measure.id,
            stream=measure.stream,
            text=measure.text,
            role=role,
            deadline=deadline_text(measure),
            deadline_on=measure.deadline,
        )
        for measure, role in assignments
    ]
    settings = job.settings
    return FormContext(
        org=settings.organisation.name,
        year=settings.year_for(job.summary.as_of),
        department=department,
        office=settings.organisation.office,
        due=due,
        rows=rows,
        n_lead=sum(1 for r in rows if r["role"] == LEAD),
        n_support=sum(1 for r in rows if r["role"] == SUPPORT),
    )


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
