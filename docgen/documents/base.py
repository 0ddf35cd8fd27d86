"""What every document package shares: the job it works for, how a kind of document declares
itself to the build, the figures and names every template starts from, and the one way a Word
document is filled and written (docgen.rendering)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from docgen import cn
from docgen.config import Settings
from docgen.documents.naming import CAMPAIGN, campaign_title
from docgen.fonts import DEFAULT_FONT_PROFILE
from docgen.model import DOING, DONE, NOT_STARTED, STANDING, UNREPORTED
from docgen.rendering import (
    document_time,
    made_of,
    prepare,
    resolve_template,
    template_variables,
    write_many,
)
from docgen.reuse import Reuse

if TYPE_CHECKING:  # only named in annotations: a worker process need not import pandas
    from docgen.aggregation import (
        Counts,
        DepartmentProgress,
        GroupProgress,
        MeasureProgress,
        Summary,
    )
    from docgen.official.builder import OfficialDocument


# How much a self-check report narrates (Job.detail, `--detail`).
CONCISE = "concise"
FULL = "full"
DETAILS = (CONCISE, FULL)


@dataclass(frozen=True)
class Job:
    """Everything a document needs besides its own options.

    `workspace` is the workspace folder (its templates/ overrides ours, its history is kept
    there); `now` stamps the history; `progress(n)` is told each time n documents are done.
    `forms_due` is the return date the feedback forms print (None: the configured one) and
    `urge_days` the days urging notices give (None: docgen.toml's [schedule] urge_days).
    `detail` is CONCISE (a report read in ten minutes, long lists in attachments) or FULL
    (every measure narrated where it belongs). `reuse` takes a document whose inputs have not
    changed from the previous build of the same date (docgen.reuse; None: render everything).
    """

    summary: Summary
    settings: Settings
    workspace: Path
    out_dir: Path
    now: dt.datetime
    font_profile: str = DEFAULT_FONT_PROFILE
    progress: Callable[[int], None] | None = field(default=None, compare=False)
    forms_due: dt.date | None = None
    urge_days: int | None = None
    detail: str = CONCISE
    reuse: Reuse | None = field(default=None, compare=False)

    def taken(self, out: Path, *parts) -> bool:
        """Whether the file `out`, made of `parts` and carrying the job's time, was taken from
        the previous build (Reuse.take): the caller writes it only when this is False."""
        return self.reuse is not None and self.reuse.take(out, self.document_time, *parts)

    def taken_unchanged(self, out: Path, *source) -> bool:
        """Whether the file `out`, built from `source` alone (Reuse.take_unchanged) and carrying
        the job's time, was taken from the previous build without being built."""
        return self.reuse is not None and self.reuse.take_unchanged(
            out, self.document_time, *source
        )

    def digests(self, values: tuple) -> dict[int, str]:
        """id(value) -> its digest, for what many files' sources share (Reuse.digests); empty
        when the job takes nothing from a previous build."""
        return self.reuse.digests(values) if self.reuse is not None else {}

    def advance(self, count: int = 1) -> None:
        if self.progress is not None:
            self.progress(count)

    @property
    def document_time(self) -> dt.datetime:
        """The time every file of the job carries (zip members, document properties): the
        as-of date at midnight UTC, or SOURCE_DATE_EPOCH, so that a rerun gives the same bytes."""
        return document_time(self.summary.as_of)

    @property
    def report_by(self) -> dt.date:
        """The one date every document of the build asks late returns by: urge_days (the job's,
        else docgen.toml's [schedule]) after the as-of date."""
        days = self.urge_days or self.settings.schedule.urge_days
        return self.summary.as_of + dt.timedelta(days=days)

    @property
    def catch_up_by(self) -> dt.date:
        """The one date every document gives an overdue measure whose department names no date
        of its own: [schedule] catch_up_days after the as-of date."""
        return self.summary.as_of + dt.timedelta(days=self.settings.schedule.catch_up_days)


@dataclass(frozen=True)
class Template:
    """A Word template of one kind of document: its file name (under templates/, which a
    workspace's own templates/ folder may override) and the function that builds it from
    OfficialDocument, the document's wording and layout (scripts/build_templates.py)."""

    name: str
    layout: Callable[[str], OfficialDocument]


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document as `docgen build`, `docgen run` and scripts/build_templates.py see it.

    `key` is the name schedule rules use (config.DOCUMENT_KINDS); `write(job)` writes every
    document of the kind into job.out_dir (the caller adds `folder`, the subfolder of the
    per-department kinds) and tells job.advance as each is done; `count(summary, settings)` says
    how many that is, for the progress bar; `in_build` whether `docgen build` writes it.
    `left_out(summary, settings, asked)` says, in a sentence a clerk reads, why the kind is not
    written for this build ("" when it is): a report with no 主送 configured, a summary before
    the fourth quarter unless `asked` for by name.
    """

    key: str
    name: str
    write: Callable[[Job], list[Path]]
    count: Callable[[Summary, Settings], int]
    templates: tuple[Template, ...] = ()
    folder: str = ""
    in_build: bool = True
    left_out: Callable[[Summary, Settings, bool], str] = lambda summary, settings, asked: ""


def one(summary: Summary, settings: Settings) -> int:
    """The count of a kind that writes a single document."""
    return 1


def per_department(summary: Summary, settings: Settings) -> int:
    """The count of a kind that writes one document for every department with assignments."""
    return len(summary.departments)


def needs_superior(summary: Summary, settings: Settings, asked: bool) -> str:
    """left_out of a report to the superior: one 主送, [addressees] superior, or none at all."""
    if settings.addressees.superior:
        return ""
    return (
        '没有设置主送机关：请在 docgen.toml 的 [addressees] 中写 superior = "上级机关全称"'
        "（只写一个）"
    )


def is_issuing_office(settings: Settings, department: str) -> bool:
    """Whether a department is the office that issues the forms, briefs and notices
    ([organisation] office, 局办公室, names the department 办公室): it urges and collects, and
    its own items appear in the party group's documents, never in a report to itself."""
    organisation = settings.organisation
    prefixes = {"", "局", "机关", organisation.name, organisation.short_name}
    return any(organisation.office == prefix + department for prefix in prefixes)


def reporting_departments(summary: Summary, settings: Settings) -> tuple[DepartmentProgress, ...]:
    """The departments a self-check report is written in the name of: those a form was read
    from, except the issuing office. A department that returned nothing gets a 催报 notice,
    not a report in its own name."""
    return tuple(
        d
        for d in summary.departments
        if not d.sent_nothing and not is_issuing_office(settings, d.name)
    )


# --- what templates print -------------------------------------------------------------------

_BREAKDOWN = (
    (DONE, "done"),
    (DOING, "doing"),
    (NOT_STARTED, "not_started"),
    (STANDING, "standing"),
    (UNREPORTED, "unreported"),
)


class Figures(TypedDict):
    """Counts as templates use them (figures())."""

    total: int
    done: int
    doing: int
    not_started: int
    standing: int
    unreported: int
    overdue: int
    due_soon: int
    closed: int
    refuted: int
    open: int
    rate: str
    all_done: bool
    breakdown: list[tuple[str, int]]


def figures(counts: Counts) -> Figures:
    """Counts as templates use them: numbers, the rate as text, and the non-zero breakdown.

    `breakdown` lists (status, n) for every status with n > 0, in the order a report names them,
    so that a sentence built from it never says "0项" (documents.md §9 rule 2).
    """
    return Figures(
        total=counts.total,
        done=counts.done,
        doing=counts.doing,
        not_started=counts.not_started,
        standing=counts.standing,
        unreported=counts.unreported,
        overdue=counts.overdue,
        due_soon=counts.due_soon,
        closed=counts.closed,
        refuted=counts.refuted,
        open=counts.total - counts.done,
        rate=cn.percent(counts.rate) if counts.total else "",
        all_done=counts.all_done,
        breakdown=[
            (label, getattr(counts, key)) for label, key in _BREAKDOWN if getattr(counts, key)
        ],
    )


class Group(TypedDict):
    """A stream or aspect with its figures and its measures' ids."""

    name: str
    c: Figures
    ids: list[str]


def group_context(group: GroupProgress) -> Group:
    return Group(name=group.name, c=figures(group.counts), ids=list(group.measure_ids))


def deadline_text(measure: MeasureProgress) -> str:
    """2026年6月30日, or the words the sheet used for a standing measure (长期坚持)."""
    return (
        cn.date_cn(measure.deadline) if measure.deadline else (measure.deadline_text or "长期坚持")
    )


class BaseContext(TypedDict):
    """The names, dates and headline figures every document's template may use."""

    org: str
    org_short: str
    party_group: str
    office: str
    campaign: str
    campaign_title: str
    year: int
    as_of: dt.date
    date: dt.date
    warning_days: int
    c: Figures
    streams: list[Group]
    aspects: list[Group]
    n_departments: int
    summary: Summary


def base_context(job: Job) -> BaseContext:
    """The names, dates and headline figures every document starts from."""
    summary, settings = job.summary, job.settings
    organisation = settings.organisation
    return BaseContext(
        org=organisation.name,
        org_short=organisation.short_name or organisation.name,
        party_group=organisation.party_group_name,
        office=organisation.office,
        campaign=CAMPAIGN,
        campaign_title=campaign_title(settings, summary.as_of),
        year=settings.year_for(summary.as_of),
        as_of=summary.as_of,
        date=summary.as_of,
        warning_days=summary.warning_days,
        c=figures(summary.counts),
        streams=[group_context(g) for g in summary.streams],
        aspects=[group_context(g) for g in summary.aspects],
        n_departments=len(summary.departments),
        summary=summary,
    )


def printed_base(
    job: Job, template: str, base: BaseContext, replaced: frozenset[str] = frozenset()
) -> dict:
    """The base context's values the named template prints (the workspace's own template if it
    has one), but for the names a document's own values `replaced`: what of the base a
    document's source holds (Reuse.take_unchanged)."""
    used = template_variables(resolve_template(template, job.workspace))
    return {name: base[name] for name in sorted(used) if name in base and name not in replaced}


def completion_basis(counts: Counts, unchecked: str, first: str) -> str:
    """What a document's completions rest on, said once: `unchecked` (the document's own
    sentence) while no spot-check verdict has come back; after one, `first` and what the checks
    found (核实销号, 不属实 sent back, the rest still to verify), zero clauses left out. With
    [spot_check] rate_basis "verified" it adds that the rate counts verified items only."""
    verified = counts.basis == "verified"
    only_verified = "完成率按经督导抽查核实销号的举措计算"
    if not counts.closed and not counts.refuted:
        if not counts.done:
            return ""
        return unchecked + (f"{only_verified}，目前尚无核实销号的举措。" if verified else "")
    found = []
    if counts.closed:
        found.append(f"已核实销号{counts.closed}项")
    if counts.refuted:
        found.append(f"不属实{counts.refuted}项、已退回重新整改")
    text = f"{first}。经督导抽查，{'，'.join(found)}"
    rest = counts.done - counts.closed
    if rest > 0:
        text += f"；其余{rest}项尚待核实" if counts.closed else f"；报告完成的{rest}项尚待核实"
    return text + "。" + (f"{only_verified}。" if verified else "")


# --- writing --------------------------------------------------------------------------------


def write_docx(job: Job, template: str, context: dict, filename: str) -> Path:
    """Fill the named template (the workspace's own if it has one) and write it to the job's
    folder, in the job's font profile."""
    path = resolve_template(template, job.workspace)
    out = job.out_dir / filename
    if job.taken(out, *made_of(path, job.font_profile)(context)):
        return out
    return prepare(path, job.font_profile).write(context, out, job.document_time)


def write_single(job: Job, template: str, context: dict, filename: str) -> list[Path]:
    """The one document of a kind that writes one (write_docx), counted on job.progress."""
    path = write_docx(job, template, context, filename)
    job.advance()
    return [path]


def write_docx_batch(
    job: Job, template: str, documents: Iterable[tuple[dict, str]], count: int
) -> list[Path]:
    """write_docx for each of `count` (context, filename) pairs, in worker processes when there
    are enough of them (rendering.write_many); `job.advance(n)` as they are done. `documents`
    may be a generator, run while the workers write the documents before it."""
    path = resolve_template(template, job.workspace)
    pairs = ((context, job.out_dir / name) for context, name in documents)
    return write_many(
        path, job.font_profile, pairs, count, job.advance, job.document_time, job.reuse
    )
