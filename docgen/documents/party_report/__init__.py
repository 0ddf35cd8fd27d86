"""自查报告 of the party group to its superior: 白头, or 红头 with a document number when a serial
is given. context.py gives the figures and lists, layout.py the wording; what it shares with the
departments' reports is in docgen.documents.self_check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import (
    FULL,
    DocumentKind,
    Job,
    Template,
    needs_superior,
    one,
    write_single,
)
from docgen.documents.naming import document_filename
from docgen.documents.party_report import layout
from docgen.documents.party_report.context import party_report_context

if TYPE_CHECKING:
    from docgen.aggregation import Summary

TEMPLATE = "self_check_report.docx"
# Every measure narrated where it belongs and part four item by item (`--detail full`).
FULL_TEMPLATE = "self_check_report_full.docx"
DOCUMENT_NAME = "自查报告"


def write_party_report(job: Job, doc_serial: int | None = None) -> list[Path]:
    """The party group's self-check report; `doc_serial` makes it a red-header document with
    that number."""
    context = party_report_context(job, doc_serial)
    template = FULL_TEMPLATE if job.detail == FULL else TEMPLATE
    return write_single(job, template, context, document_filename(DOCUMENT_NAME, ".docx"))


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why a build writes no report: no 主送, or no department has returned a form yet (a
    report on nothing but the measure list), unless asked for by name."""
    if not asked and all(d.sent_nothing for d in summary.departments):
        return "还没有部门报送反馈表；需要时用 docgen report self-check 单独生成"
    return needs_superior(summary, settings, asked)


DOCUMENT = DocumentKind(
    key="self-check",
    name="局党组自查报告",
    write=write_party_report,
    count=one,
    templates=(Template(TEMPLATE, layout.build), Template(FULL_TEMPLATE, layout.build_full)),
    left_out=left_out,
)
