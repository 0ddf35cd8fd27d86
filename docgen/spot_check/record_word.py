"""The Word 督导抽查记录表, one per stream lead and stream (documents.md §11.1): the sampled
claims to check on paper and sign. The layout is record_layout.py; the values are filled in
docgen.rendering's environment, which escapes them ("&", "<" in a measure's text print as
written)."""

import datetime as dt
from pathlib import Path
from typing import TypedDict

from docgen.config import Settings
from docgen.files import safe_filename
from docgen.rendering import document_time, prepare, resolve_template
from docgen.spot_check.record_layout import TEMPLATE
from docgen.spot_check.sampling import Drawn, Sample, StreamSample

DOCUMENT_NAME = "督导抽查记录表"
# What the claim columns say where the department wrote nothing.
NOT_GIVEN = "未填写"


class RecordRow(TypedDict):
    id: str
    text: str
    department: str
    completed_on: dt.date | None
    evidence: str
    reasons: str


class RecordContext(TypedDict):
    """Everything spot_check_record.docx uses."""

    stream: str
    checker: str
    office: str
    as_of: dt.date
    seed: int
    pool: int
    random_count: int
    risk_count: int
    rows: list[RecordRow]


def record_row(drawn: Drawn) -> RecordRow:
    assignment = drawn.assignment
    return RecordRow(
        id=drawn.measure.id,
        text=drawn.measure.text,
        department=assignment.department,
        completed_on=assignment.completed_on,
        evidence=(assignment.evidence or "").strip() or NOT_GIVEN,
        # One reason a line: the column is four characters wide.
        reasons="\n".join(drawn.reasons),
    )


def record_context(
    sample: Sample, part: StreamSample, as_of: dt.date, settings: Settings
) -> RecordContext:
    return RecordContext(
        stream=part.stream,
        checker=part.checker,
        office=settings.organisation.office,
        as_of=as_of,
        seed=sample.seed,
        pool=part.pool,
        random_count=part.random_count,
        risk_count=part.risk_count,
        rows=[record_row(drawn) for drawn in part.drawn],
    )


def record_filename(part: StreamSample) -> str:
    """督导抽查记录表_局办公室_警示教育.docx: who checks which stream, valid on Windows."""
    return f"{DOCUMENT_NAME}_{safe_filename(part.checker)}_{safe_filename(part.stream)}.docx"


def write_record_docs(
    sample: Sample,
    summary_as_of: dt.date,
    settings: Settings,
    folder: Path,
    font_profile: str,
    workspace: Path | None = None,
) -> list[Path]:
    """One 督导抽查记录表 per stream of the sample, into `folder` (created); the workspace's own
    spot_check_record.docx if it has one, else ours."""
    prepared = prepare(resolve_template(TEMPLATE, workspace), font_profile)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        prepared.write(
            record_context(sample, part, summary_as_of, settings),
            folder / record_filename(part),
            document_time(summary_as_of),
        )
        for part in sample.streams
    ]
