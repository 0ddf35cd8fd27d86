"""自查报告 of each department to the lead office, on its own assignments. context.py gives the
department's figures and items, layout.py the wording; what it shares with the party group's
report is in docgen.documents.self_check."""

import functools
from pathlib import Path

from docgen.documents.base import (
    FULL,
    DocumentKind,
    Job,
    Template,
    base_context,
    is_issuing_office,
    printed_base,
    reporting_departments,
    write_docx_batch,
    write_single,
)
from docgen.documents.department_report import layout
from docgen.documents.department_report.context import (
    OWN_NAMES,
    Scope,
    department_report_context,
    parts_by_department,
    report_context,
)
from docgen.documents.naming import document_filename
from docgen.errors import DocgenError
from docgen.rendering import Deferred
from docgen.reuse import digest

TEMPLATE = "department_self_check.docx"
# Every measure narrated where it belongs and part four item by item (`--detail full`).
FULL_TEMPLATE = "department_self_check_full.docx"
DOCUMENT_NAME = "自查报告"
FOLDER = "部门自查报告"


def write_department_report(job: Job, department: str) -> list[Path]:
    """The named department's self-check report into job.out_dir; refused for a department
    that returned nothing and for the issuing office (reporting_departments)."""
    refusal = _refusal(job, department)
    if refusal:
        raise DocgenError(refusal)
    context = department_report_context(job, department)
    filename = document_filename(DOCUMENT_NAME, ".docx", department)
    return write_single(job, _template(job), context, filename)


def write_department_reports(job: Job) -> list[Path]:
    """One self-check report for every department that returned a form (reporting_departments),
    written in worker processes.

    A report is built from the base context, the build's scope, the department's progress and
    the measures it has a part in (department_values); when none of these has changed since the
    previous build, the report is taken from it without being built (Deferred)."""
    summary = job.summary
    departments = reporting_departments(summary, job.settings)
    parts = parts_by_department(summary)
    base = base_context(job)
    scope = Scope.of(job)
    template = _template(job)
    # What every department's report shares enters each source as its digest, pickled once.
    shared = digest((scope, printed_base(job, template, base, OWN_NAMES)))
    digests = job.digests(summary.measures)
    documents = (
        (
            Deferred(
                functools.partial(
                    report_context, base, scope, progress, parts.get(progress.name, [])
                ),
                (
                    shared,
                    progress,
                    [digests.get(id(m)) for m, _, _ in parts.get(progress.name, [])],
                ),
            ),
            document_filename(DOCUMENT_NAME, ".docx", progress.name),
        )
        for progress in departments
    )
    return write_docx_batch(job, template, documents, len(departments))


def _refusal(job: Job, department: str) -> str:
    """Why no report is written in the department's name, and what to do instead ("" for a
    reporting department, and for a name no measure has, which the context explains)."""
    named = {d.name: d for d in job.summary.departments}
    if department not in named:
        return ""
    if is_issuing_office(job.settings, department):
        return (
            f"{department}是发文的办公室，不向自己报送自查报告；"
            "它承担的举措写在局党组的自查报告和年终总结中。"
        )
    if named[department].sent_nothing:
        return (
            f"{department}尚未报送反馈表，不能以它的名义写自查报告；"
            "可运行 docgen report urge 生成催报通知。"
        )
    return ""


def _template(job: Job) -> str:
    return FULL_TEMPLATE if job.detail == FULL else TEMPLATE


DOCUMENT = DocumentKind(
    key="self-check",
    name="部门自查报告",
    write=write_department_reports,
    count=lambda summary, settings: len(reporting_departments(summary, settings)),
    templates=(Template(TEMPLATE, layout.build), Template(FULL_TEMPLATE, layout.build_full)),
    folder=FOLDER,
    left_out=lambda summary, settings, asked: (
        "" if reporting_departments(summary, settings) else "还没有部门报送反馈表"
    ),
)
