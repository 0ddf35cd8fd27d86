"""工作动态 (第N期, numbered through the year in the workspace's history) and 信息专报 on one
measure: highlights reported upward, built only from what departments wrote (issue 16).
context.py chooses and words the items, layout.py sets them in the 简报 form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job, Template, write_single
from docgen.documents.info_bulletin import layout
from docgen.documents.info_bulletin.context import (
    FEWEST,
    MOST,
    SPECIAL_LIMIT,
    best_claim,
    candidates,
    info_context,
    issue_items,
    item,
)
from docgen.documents.naming import document_filename
from docgen.errors import DocgenError
from docgen.history import next_info_issue, open_history, record_info_issue

if TYPE_CHECKING:
    from docgen.aggregation import Summary

TEMPLATE = "info_bulletin.docx"
SPECIAL_TEMPLATE = "info_special.docx"
DYNAMIC, SPECIAL = "dynamic", "special"
DEFAULT_ITEMS = 4


def write_info(job: Job, items: int = DEFAULT_ITEMS) -> list[Path]:
    """This date's 工作动态 (the number the history gives: the same on a rerun of the same date),
    its `items` (3–5) chosen from what no earlier issue reported; nothing when fewer than three
    are worth reporting."""
    summary = job.summary
    year = job.settings.year_for(summary.as_of)
    wanted = min(max(items, FEWEST), MOST)
    with open_history(job.workspace) as connection:
        number, reported = next_info_issue(connection, DYNAMIC, year, summary.as_of)
        chosen = issue_items(candidates(summary, reported), wanted)
        if len(chosen) < FEWEST:
            return []
        record_info_issue(
            connection,
            DYNAMIC,
            year,
            number,
            summary.as_of,
            [(i["id"], i["department"]) for i in chosen],
            job.now,
        )
    context = info_context(job, number, chosen)
    return write_single(
        job, TEMPLATE, context, document_filename(f"工作动态（第{number}期）", ".docx")
    )


def write_special(job: Job, measure_id: str) -> list[Path]:
    """A 信息专报 on one measure, for the superior, at most SPECIAL_LIMIT characters."""
    summary = job.summary
    candidate = best_claim(summary, measure_id)
    if candidate is None:
        known = any(m.id == measure_id for m in summary.measures)
        raise DocgenError(
            f"{measure_id} 还没有部门报告完成并写明亮点经验或佐证材料，无法编写信息专报。"
            if known
            else f"举措清单中没有编号 {measure_id}，请核对编号。"
        )
    if candidate.measure.overdue or candidate.measure.refuted:
        raise DocgenError(f"{measure_id} 已逾期或经督导抽查不属实，不宜作为亮点上报。")
    year = job.settings.year_for(summary.as_of)
    with open_history(job.workspace) as connection:
        number, _ = next_info_issue(connection, SPECIAL, year, summary.as_of)
        record_info_issue(
            connection, SPECIAL, year, number, summary.as_of, [candidate.key], job.now
        )
    context = info_context(job, number, [item(candidate, SPECIAL_LIMIT)], special=True)
    name = document_filename(f"信息专报（第{number}期）", ".docx")
    return write_single(job, SPECIAL_TEMPLATE, context, name)


def count(summary: Summary, settings: Settings) -> int:
    return 1


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why no 工作动态 is written: fewer than three completed items with a highlight or evidence
    that no earlier issue reported (a rough count here; the writer decides with the history)."""
    if len(candidates(summary, set())) >= FEWEST:
        return ""
    return "已完成并写明亮点经验或佐证材料的举措不足3项，本期没有值得报道的内容"


DOCUMENT = DocumentKind(
    key="info",
    name="工作动态",
    write=write_info,
    count=count,
    templates=(
        Template(TEMPLATE, layout.build),
        Template(SPECIAL_TEMPLATE, layout.build_special),
    ),
    left_out=left_out,
)
