"""What every document module shares: the job it works for, the figures in the form templates
use them, and the one way a Word document is filled and written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import cn
from docgen.config import Settings
from docgen.documents.naming import CAMPAIGN, campaign_title
from docgen.model import DOING, DONE, NOT_STARTED, STANDING, UNREPORTED

if TYPE_CHECKING:  # only named in annotations: a worker process need not import pandas
    from docgen.aggregation import Counts, GroupProgress, MeasureProgress, Summary


@dataclass(frozen=True)
class Job:
    """Everything a document needs besides its own options.

    `workspace` is the inputs folder (its templates/ overrides ours, its history is kept there);
    `now` stamps the history; `progress(n)` is told each time n documents are done.
    """

    summary: Summary
    settings: Settings
    workspace: Path
    out_dir: Path
    now: dt.datetime
    font_profile: str = "gb2312"
    progress: Callable[[int], None] | None = field(default=None, compare=False)

    def advance(self, count: int = 1) -> None:
        if self.progress is not None:
            self.progress(count)


_BREAKDOWN = (
    (DONE, "done"),
    (DOING, "doing"),
    (NOT_STARTED, "not_started"),
    (STANDING, "standing"),
    (UNREPORTED, "unreported"),
)


def figures(counts: Counts) -> dict:
    """Counts as templates use them: numbers, the rate as text, and the non-zero breakdown.

    `breakdown` lists (status, n) for every status with n > 0, in the order a report names them,
    so that a sentence built from it never says "0项" (documents.md §9 rule 2).
    """
    return {
        "total": counts.total,
        "done": counts.done,
        "doing": counts.doing,
        "not_started": counts.not_started,
        "standing": counts.standing,
        "unreported": counts.unreported,
        "overdue": counts.overdue,
        "due_soon": counts.due_soon,
        "open": counts.total - counts.done,
        "rate": cn.percent(counts.rate) if counts.total else "",
        "all_done": counts.all_done,
        "breakdown": [
            (label, getattr(counts, key)) for label, key in _BREAKDOWN if getattr(counts, key)
        ],
    }


def group_context(group: GroupProgress) -> dict:
    return {"name": group.name, "c": figures(group.counts), "ids": list(group.measure_ids)}


def deadline_text(measure: MeasureProgress) -> str:
    """2026年6月30日, or the words the sheet used for a standing measure (长期坚持)."""
    return (
        cn.date_cn(measure.deadline) if measure.deadline else (measure.deadline_text or "长期坚持")
    )


def base_context(job: Job) -> dict:
    """The names, dates and headline figures every document starts from."""
    summary, settings = job.summary, job.settings
    organisation = settings.organisation
    return {
        "org": organisation.name,
        "org_short": organisation.short_name or organisation.name,
        "party_group": organisation.party_group_name,
        "office": organisation.office,
        "campaign": CAMPAIGN,
        "campaign_title": campaign_title(settings, summary.as_of),
        "year": settings.year_for(summary.as_of),
        "as_of": summary.as_of,
        "date": summary.as_of,
        "warning_days": summary.warning_days,
        "c": figures(summary.counts),
        "streams": [group_context(g) for g in summary.streams],
        "aspects": [group_context(g) for g in summary.aspects],
        "n_departments": len(summary.departments),
        "summary": summary,
    }


def write_docx_batch(
    job: Job, template: str, documents: Iterable[tuple[dict, str]], count: int
) -> list[Path]:
    """write_docx for each of `count` (context, filename) pairs, in worker processes when there
    are enough of them; `job.advance(n)` as they are done.

    `documents` may be a generator: its contexts are built here while the workers write the
    documents before them. Each context travels to a worker with only the variables the
    template uses (not the whole summary), so it must hold plain values.
    """
    from docgen.batch import map_in_workers, warm_templates
    from docgen.rendering import resolve_template, template_variables

    path = str(resolve_template(template, job.workspace))
    used = template_variables(path)
    tasks = (
        (
            path,
            job.font_profile,
            {k: v for k, v in context.items() if k in used},
            job.out_dir / name,
        )
        for context, name in documents
    )
    return map_in_workers(
        _write_document,
        tasks,
        count=count,
        done=job.advance,
        initializer=warm_templates,
        initargs=([(path, job.font_profile)],),
    )


def _write_document(task: tuple[str, str, dict, Path]) -> Path:
    from docgen.batch import prepared_template, write_soon

    path, profile, context, out = task
    return write_soon(out, prepared_template(path, profile).render(context))


def write_docx(job: Job, template: str, context: dict, filename: str) -> Path:
    """Fill the named template (the workspace's own if it has one) and write it to the job's folder.

    The template is prepared once per process (docgen.batch), in the job's font profile.
    """
    from docgen.batch import prepared_template
    from docgen.rendering import resolve_template

    prepared = prepared_template(resolve_template(template, job.workspace), job.font_profile)
    return prepared.write(context, job.out_dir / filename)
