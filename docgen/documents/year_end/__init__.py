"""年终总结: the party group's report on the year. context.py picks the figures, achievements,
problems and plans from the Summary; layout.py writes every sentence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job, Template, needs_superior, one, write_single
from docgen.documents.naming import document_filename
from docgen.documents.year_end import layout
from docgen.documents.year_end.context import year_end_context

if TYPE_CHECKING:
    from docgen.aggregation import Summary

TEMPLATE = "year_end_summary.docx"


def write_year_end(job: Job) -> list[Path]:
    """Write the year-end summary (one .docx) into the job's folder."""
    context = year_end_context(job)
    name = document_filename(f"{context['year']}年度工作总结", ".docx")
    return write_single(job, TEMPLATE, context, name)


# The summary's quarter: before it, a build leaves the summary out unless it is asked for by name.
FIRST_MONTH = 10


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why a build writes no summary: no 主送, or a date before the fourth quarter of the
    campaign year when the summary was not asked for by name (docgen report year-end)."""
    year = settings.year_for(summary.as_of)
    if not asked and summary.as_of.year == year and summary.as_of.month < FIRST_MONTH:
        return (
            f"统计截止日期在四季度之前，年终总结从{FIRST_MONTH}月起生成；"
            "需要时用 docgen report year-end 单独生成"
        )
    return needs_superior(summary, settings, asked)


DOCUMENT = DocumentKind(
    key="year-end",
    name="年终总结",
    write=write_year_end,
    count=one,
    templates=(Template(TEMPLATE, layout.build),),
    left_out=left_out,
)
