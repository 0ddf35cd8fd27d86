"""`docgen spot-check plan`: draw the sample, write every stream lead's record sheets (Excel to
fill in and return, Word to print and sign) and the list into <out>/<as-of>/督导抽查/, and keep the sample (seed and items) in the workspace's history, so
that the sheets that come back are checked against it and later samples skip what is verified."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.aggregation import Summary
from docgen.config import Settings
from docgen.history import open_history, record_sample
from docgen.model import DONE
from docgen.spot_check.record_word import write_record_docs
from docgen.spot_check.sampling import Sample, draw, new_seed
from docgen.spot_check.sheets import write_plan


@dataclass(frozen=True)
class Plan:
    sample: Sample
    folder: Path
    written: tuple[Path, ...]


def verified_keys(summary: Summary) -> set[tuple[str, str]]:
    """The assignments a spot-check has already verified (done and 属实 / 基本属实)."""
    return {(m.id, a.department) for m in summary.measures for a in m.assignments if a.closed}


def plan_spot_check(
    summary: Summary,
    settings: Settings,
    workspace: Path,
    folder: Path,
    now: dt.datetime,
    seed: int | None = None,
    ratio: float | None = None,
) -> Plan:
    """Draw (a new seed when none is given), write the sheets into `folder` (<out>/<as-of>/督导抽查
    as the commands give it) and record the sample. With no completion left to check, nothing is
    written or recorded."""
    seed = new_seed() if seed is None else seed
    sample = draw(summary, settings, seed, ratio, verified_keys(summary))
    if not sample.drawn:
        return Plan(sample, folder, ())
    written = write_plan(sample, settings, summary.as_of, folder)
    # The Word sheets, to print and sign, beside the Excel ones to fill in and return.
    written += write_record_docs(
        sample, summary.as_of, settings, folder, settings.format.font_profile, workspace
    )
    items = [
        (d.measure.id, d.assignment.department, part.stream, part.checker, d.reasons)
        for part in sample.streams
        for d in part.drawn
    ]
    with open_history(workspace) as connection:
        record_sample(
            connection,
            settings.year_for(summary.as_of),
            summary.as_of,
            seed,
            sample.ratio,
            items,
            now,
        )
    return Plan(sample, folder, tuple(written))


def left_to_check(summary: Summary, settings: Settings) -> int:
    """How many completions a plan could draw from now (none verified yet)."""
    verified = verified_keys(summary)
    return sum(
        1
        for m in summary.measures
        for a in m.assignments
        if a.status == DONE and (m.id, a.department) not in verified
    )
