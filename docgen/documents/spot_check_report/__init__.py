"""关于督导抽查情况的报告: the office's report to the party group on the stream leads'
spot-checks, written once a verdict has come back. context.py gathers the checks and the sample,
layout.py writes every sentence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job, Template, one, write_single
from docgen.documents.naming import document_filename
from docgen.documents.spot_check_report import layout
from docgen.documents.spot_check_report.context import spot_check_report_context

if TYPE_CHECKING:
    from docgen.aggregation import Summary

TEMPLATE = "spot_check_report.docx"
DOCUMENT_NAME = "督导抽查情况报告"


def write_spot_check_report(job: Job) -> list[Path]:
    """Write the report on the spot-checks (one .docx) into the job's folder."""
    context = spot_check_report_context(job)
    return write_single(job, TEMPLATE, context, document_filename(DOCUMENT_NAME, ".docx"))


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why no report is written: no verdict has come back from a spot-check yet. Asking for it
    by name does not help: there is nothing to report on."""
    if summary.spot_checked:
        return ""
    return (
        "还没有收回督导抽查记录表（spot-checks 文件夹中没有填写了核查结果的记录表）；"
        "请先用 docgen spot-check plan 抽取样本，将填好的记录表放入 spot-checks 文件夹"
    )


DOCUMENT = DocumentKind(
    key="spot-check",
    name=DOCUMENT_NAME,
    write=write_spot_check_report,
    count=one,
    templates=(Template(TEMPLATE, layout.build),),
    left_out=left_out,
)
