"""督导抽查记录表 as a kind of document: `docgen run` draws a spot-check sample some days before a
督导抽查 milestone (the schedule's spot-check-plan rule) and writes every stream lead's record
sheets and the list, as `docgen spot-check plan` does (docgen.spot_check.plan); `docgen build`
does not draw samples."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job, Template
from docgen.model import DONE
from docgen.spot_check import record_layout
from docgen.spot_check.plan import left_to_check, plan_spot_check
from docgen.spot_check.sheets import FOLDER

if TYPE_CHECKING:
    from docgen.aggregation import Summary


def write_spot_check_plan(job: Job) -> list[Path]:
    """Draw a sample with a new seed and write its sheets into job.out_dir (…/督导抽查)."""
    plan = plan_spot_check(job.summary, job.settings, job.workspace, job.out_dir, job.now)
    job.advance(len(plan.written))
    return list(plan.written)


def count(summary: Summary, settings: Settings) -> int:
    """An Excel and a Word sheet per stream with completions, and the list."""
    streams = {m.stream for m in summary.measures for a in m.assignments if a.status == DONE}
    return 2 * len(streams) + 1 if streams else 0


def left_out(summary: Summary, settings: Settings, asked: bool) -> str:
    """Why no sample is drawn: no completion left that a spot-check has not verified."""
    if left_to_check(summary, settings):
        return ""
    return "没有尚未核验的已完成举措，无需抽查"


DOCUMENT = DocumentKind(
    key="spot-check-plan",
    name="督导抽查记录表",
    write=write_spot_check_plan,
    count=count,
    templates=(Template(record_layout.TEMPLATE, record_layout.build),),
    folder=FOLDER,
    in_build=False,
    left_out=left_out,
)
