"""The main job: validate, aggregate, and write every document into one dated folder with a manifest.

Everything is written into a staging folder beside the final one and swapped into place only
when all documents are done (docgen.files), so a failed or interrupted build leaves the previous
outputs as they were. Which documents there are, and in which order they are written, is
docgen.documents.registry's to say.
"""

import contextlib
import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.aggregation import Summary, summarise_progress
from docgen.config import Settings
from docgen.documents.base import DocumentKind, Job
from docgen.documents.registry import DOCUMENTS, documents_for
from docgen.errors import ConfigError, OutputError, ValidationFailed
from docgen.files import (
    atomic_write_bytes,
    recover_outputs,
    replace_folder,
    sha256,
    staging_folder,
)
from docgen.history import open_history, record_verdicts, sampled_items
from docgen.issues import Issue, Report
from docgen.pdf import convert_to_pdf, find_soffice
from docgen.rendering import in_background
from docgen.reuse import Reuse, code_fingerprint, state_entry, versions
from docgen.validation import Inputs, validate_inputs
from docgen.verification import read_checks
from docgen.workspace import Workspace

MANIFEST_NAME = "manifest.json"


@dataclass
class Campaign:
    """A workspace's validated inputs and their summary: what every command that writes
    documents starts from. `settings` are the workspace's, with the organ's name taken from
    the measure list's title row when docgen.toml gives none (load_campaign)."""

    workspace: Workspace
    inputs: Inputs
    summary: Summary
    settings: Settings

    @property
    def warnings(self) -> list[Issue]:
        return self.inputs.report.warnings


@dataclass
class BuildResult:
    folder: Path
    outputs: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    warnings: int = 0
    pdf_failed: dict[str, str] = field(default_factory=dict)  # Word file -> why no PDF
    left_out: dict[str, str] = field(default_factory=dict)  # kind of document -> why not written
    reused: int = 0  # files taken unchanged from the previous build of the same date

    @property
    def reused_text(self) -> str:
        """What the build took from the previous one, in a clause a clerk reads ("" for none)."""
        return f"其中 {self.reused} 个内容没有变化，沿用上次生成的文件" if self.reused else ""


def check_inputs(workspace: Workspace, remember: bool = True) -> Inputs:
    """The measure list and the returned forms (validate_inputs, which keeps the tables read
    unless not `remember`), then the returned spot-check sheets, checked against the samples
    the history keeps (verification.read_checks)."""
    checked = validate_inputs(workspace, remember=remember)
    files = workspace.files
    if not files.checks:
        return checked
    with open_history(workspace.folder) as connection:
        sampled = sampled_items(connection, workspace.settings.year_for(workspace.as_of))
    checks, issues = read_checks(workspace, checked, sampled)
    report = Report(
        [*checked.report.issues, *issues],
        [*checked.report.files, *(files.relative(path) for path in files.checks)],
    )
    return replace(checked, checks=checks, report=report)


def load_campaign(workspace: Workspace, remember: bool = True) -> Campaign:
    """Read, validate and summarise; raise ValidationFailed (with the Report) on any error.
    Not `remember`: write nothing (check_inputs)."""
    checked = check_inputs(workspace, remember)
    if not checked.report.valid:
        raise ValidationFailed(checked.report)
    summary = summarise_progress(
        checked.measures,
        checked.feedback,
        workspace.as_of,
        workspace.settings,
        checked.departments,
        checked.returned,
        checked.checks,
    )
    return Campaign(workspace, checked, summary, _named(workspace.settings, checked))


def _named(settings: Settings, inputs: Inputs) -> Settings:
    """The settings with the organ's name: docgen.toml's, else the measure list's title row's."""
    organisation = settings.organisation
    if organisation.name or not inputs.organ:
        return settings
    return replace(settings, organisation=replace(organisation, name=inputs.organ))


def require_organ(campaign: Campaign) -> None:
    """Refuse, before anything is written, to write documents in no organ's name."""
    if not campaign.settings.organisation.name:
        measures = campaign.workspace.files.relative(campaign.workspace.files.require_measures())
        title = f"（标题行为“{campaign.inputs.title}”）" if campaign.inputs.title else ""
        raise ConfigError(
            f"不知道以哪个机关的名义行文：docgen.toml 没有写机关名称，举措清单 {measures} 的标题行"
            f'{title}中也找不到。请在 docgen.toml 的 [organisation] 中写 name = "机关全称"，'
            "或在举措清单第1行写上标题，如“XX省XX局2026年警示教育、以案促改和巡察整改工作举措清单”。"
        )


def make_job(
    campaign: Campaign,
    out_dir: Path,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
    **options,
) -> Job:
    """The Job documents are written for: the campaign's summary and settings, the workspace
    (its templates and history), the folder to write into; `options` are Job's (forms_due,
    urge_days, reuse)."""
    return Job(
        summary=campaign.summary,
        settings=campaign.settings,
        workspace=campaign.workspace.folder,
        out_dir=out_dir,
        now=now,
        font_profile=campaign.settings.format.font_profile,
        progress=progress,
        **options,
    )


def chosen_kinds(
    summary: Summary, settings: Settings, keys: Iterable[str] = ("build",)
) -> tuple[list[DocumentKind], dict[str, str]]:
    """The kinds the schedule keys name (config.DOCUMENT_KINDS; `build` is every kind docgen
    build writes) that make sense for this build, and each kind left out with the reason
    (DocumentKind.left_out). A kind named on its own is asked for; `build` asks for none."""
    keys = list(keys)
    asked = "build" not in keys
    kinds, left_out = [], {}
    for kind in documents_for(keys):
        reason = kind.left_out(summary, settings, asked)
        if reason:
            left_out[kind.name] = reason
        else:
            kinds.append(kind)
    return kinds, left_out


def plan_size(summary: Summary, settings: Settings, keys: Iterable[str] = ("build",)) -> int:
    """How many documents a build (or the kinds that schedule keys name) writes, for a progress bar."""
    kinds, _ = chosen_kinds(summary, settings, keys)
    return sum(kind.count(summary, settings) for kind in kinds)


def write_documents(job: Job, keys: Iterable[str] = ("build",)) -> list[Path]:
    """The kinds of document the schedule keys name that make sense for the build
    (chosen_kinds) into job.out_dir, each per-department kind in its subfolder.

    On a large campaign the kinds that write one document each (no subfolder: the ledger, the
    reports, the brief, the summary) are written by worker processes while this one goes on
    with the per-department kinds (side_by_side), which run their own batches of workers."""
    kinds, _ = chosen_kinds(job.summary, job.settings, keys)
    apart = []
    if len(job.summary.measures) >= SIDE_BY_SIDE_FROM:
        apart = [kind for kind in kinds if not kind.folder]
    written: dict[str, list[Path]] = {}
    with side_by_side(job, apart) as singles:
        for kind in kinds:
            if kind not in apart:
                written[kind.name] = kind.write(
                    replace(job, out_dir=job.out_dir / kind.folder) if kind.folder else job
                )
        written.update(singles())
    return [path for kind in kinds for path in written[kind.name]]


# Measures from which the single documents are written side by side: below it each takes a
# fraction of a second, less than starting the workers.
SIDE_BY_SIDE_FROM = 500


@contextlib.contextmanager
def side_by_side(job: Job, kinds: list[DocumentKind]):
    """Write each kind (one document each, no subfolder) in worker processes while the block
    runs (rendering.in_background); yields a function that waits for them and returns kind
    name -> the files it wrote. What each worker's Reuse recorded is added to the job's."""
    child = replace(job, progress=None)
    kinds = sorted(kinds, key=_longest_first)
    indices = [DOCUMENTS.index(kind) for kind in kinds]
    with in_background(_write_kind, indices, initializer=_adopt_job, initargs=(child,)) as results:

        def written() -> dict[str, list[Path]]:
            found = {}
            for kind, (paths, recorded) in zip(kinds, results(), strict=True):
                if job.reuse is not None:
                    job.reuse.fingerprints.update(recorded["fingerprints"])
                    job.reuse.sources.update(recorded["sources"])
                    job.reuse.reused.update(recorded["reused"])
                job.advance(len(paths))
                found[kind.name] = paths
            return found

        yield written


# The single documents that take longest on a province's campaign, longest first: written side
# by side, each worker takes the next kind as it becomes free, so these start first. The brief
# draws its charts (1.2 s when its figures are new), the party report fills a 14 MB body
# (0.85 s), the ledger writes 3,000 rows (0.6 s); the others take a tenth of a second.
LONGEST_FIRST = ("督导简报", "局党组自查报告", "整改台账")


def _longest_first(kind: DocumentKind) -> int:
    return LONGEST_FIRST.index(kind.name) if kind.name in LONGEST_FIRST else len(LONGEST_FIRST)


_adopted: Job | None = None


def _adopt_job(job: Job) -> None:
    """The job a worker writes single documents for (a worker initializer)."""
    global _adopted
    _adopted = job


def _write_kind(index: int) -> tuple[list[Path], dict[str, dict[str, str]]]:
    """Write the kind registry.DOCUMENTS[index] for the adopted job: its files, and what its
    Reuse recorded (fingerprints, sources, files taken), which the parent's copy does not see."""
    job = _adopted
    if job.reuse is not None:
        job = replace(job, reuse=replace(job.reuse, fingerprints={}, sources={}, reused={}))
    paths = DOCUMENTS[index].write(job)
    reuse = job.reuse
    names = ("fingerprints", "sources", "reused")
    return paths, {name: getattr(reuse, name) if reuse else {} for name in names}


def build(
    workspace: Workspace,
    out_root: Path,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
    planned: Callable[[int], None] | None = None,
    pdf: bool = False,
    keys: Iterable[str] = ("build",),
    force: bool = False,
    **options,
) -> BuildResult:
    """Validate, then write every document (or the kinds `keys` name, as schedule rules name
    them) and a manifest into out_root/<as-of date>.

    `now` stamps the manifest and the history; `planned(n)` is told the number of documents
    before writing starts and `progress(n)` as they are written. With `pdf`, a PDF copy is
    written beside every Word document (LibreOffice must be installed; see docgen.pdf).
    A document made of what the previous build of the date made it of is taken from that
    build, unless `force` (publish). `options` are Job's (detail).
    """
    campaign = load_campaign(workspace)
    require_organ(campaign)
    if pdf:
        find_soffice()  # before any work: say at once that PDFs cannot be made here
    keys = tuple(keys)
    if planned is not None:
        planned(plan_size(campaign.summary, campaign.settings, keys) * (2 if pdf else 1))
    _, left_out = chosen_kinds(campaign.summary, campaign.settings, keys)
    extra = {"left_out": left_out} if left_out else None

    def write(job: Job) -> list[Path]:
        return write_documents(job, keys)

    result = publish(campaign, out_root, now, write, progress, extra, pdf, force, **options)
    result.left_out = left_out
    return result


def with_pdf_copies(write: Callable[[Job], list[Path]], failed: dict[str, str]):
    """`write`, then a PDF copy of every Word document it wrote, beside it; the previous build's
    copy of a Word file with the same bytes is taken instead of converting it again.

    Conversion failures are collected in `failed` (file -> reason) and never touch the Word file.
    """

    def write_and_convert(job: Job) -> list[Path]:
        written = write(job)
        documents = [p for p in written if p.suffix == ".docx"]
        taken = [p for p in documents if job.taken(p.with_suffix(".pdf"), "pdf", sha256(p))]
        converted = convert_to_pdf([p for p in documents if p not in taken], progress=job.progress)
        job.advance(len(taken))
        for path, reason in converted.failed.items():
            failed[path.relative_to(job.out_dir).as_posix()] = reason
        return written + [p.with_suffix(".pdf") for p in taken] + converted.written

    return write_and_convert


def publish(
    campaign: Campaign,
    out_root: Path,
    now: dt.datetime,
    write: Callable[[Job], list[Path]],
    progress: Callable[[int], None] | None = None,
    manifest_extra: dict | None = None,
    pdf: bool = False,
    force: bool = False,
    **options,
) -> BuildResult:
    """Have `write` fill a staging folder beside out_root/<as-of date>, add the manifest, then
    swap the folder into place; on any failure the staging folder is removed and an earlier
    folder of the same date is left as it was. `options` are Job's.

    The job takes every document made of the same as in that earlier folder from it rather than
    rendering it again (docgen.reuse); `force` renders everything. The manifest gives each
    file's fingerprint and whether it was taken."""
    out_root = Path(out_root)
    final = out_root / campaign.summary.as_of.isoformat()
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        recover_outputs(out_root, campaign.summary.as_of)
        staging = staging_folder(final)
    except OSError as exc:
        raise OutputError(f"无法在 {out_root} 中创建输出文件夹：{exc.strerror or exc}") from None
    try:
        reuse = Reuse.after(final / MANIFEST_NAME, staging, code_fingerprint(), force)
        job = make_job(campaign, staging, now, progress, reuse=reuse, **options)
        pdf_failed: dict[str, str] = {}
        written = (with_pdf_copies(write, pdf_failed) if pdf else write)(job)
        extra = {**(manifest_extra or {}), **({"pdf_failed": pdf_failed} if pdf_failed else {})}
        manifest = _write_manifest(campaign, staging, written, now, reuse, extra)
        replace_folder(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outputs = [final / path.relative_to(staging) for path in written]
    remember_checks(campaign, now)
    return BuildResult(
        final,
        outputs,
        final / manifest.name,
        len(campaign.warnings),
        pdf_failed,
        reused=len(reuse.reused),
    )


def remember_checks(campaign: Campaign, now: dt.datetime) -> None:
    """Keep the spot-check verdicts the documents were written from in the history: each
    claim's verdict, its date (the 销号 date of a verified one) and the unit that checked."""
    summary = campaign.summary
    if not summary.spot_checked:
        return
    verdicts = [
        (m.id, a.department, a.checked_on, a.verdict, a.checker)
        for m in summary.measures
        for a in m.assignments
        if a.verdict and a.checked_on
    ]
    with open_history(campaign.workspace.folder) as connection:
        record_verdicts(connection, campaign.settings.year_for(summary.as_of), verdicts, now)


def _write_manifest(
    campaign: Campaign,
    folder: Path,
    written,
    now: dt.datetime,
    reuse: Reuse,
    extra: dict | None = None,
) -> Path:
    files = campaign.workspace.files
    checksums = files.checksums
    data = {
        "as_of": campaign.summary.as_of.isoformat(),
        # The manifest records the run, it is not a document: it keeps the real time, while
        # every .docx and .xlsx carries the as-of date (rendering.document_time).
        "created_at": now.isoformat(timespec="seconds"),
        # files.checksums lists the files in the order of files.paths, by relative name
        "inputs": [
            {"file": name, "sha256": digest, "bytes": path.stat().st_size}
            for path, (name, digest) in zip(files.paths, checksums.items(), strict=True)
        ],
        "outputs": [_output_entry(folder, path, reuse) for path in written],
        "reused": len(reuse.reused),
        "figures": campaign.summary.counts.to_dict(),
        "warnings": len(campaign.warnings),
        "versions": versions(),
        **(extra or {}),
    }
    return atomic_write_bytes(folder / MANIFEST_NAME, manifest_text(data).encode("utf-8"))


def manifest_text(data: dict) -> str:
    """The manifest as JSON indented by two, each input and output file on a line of its own:
    two thousand files, one line each, read as easily as six lines each, and written by the
    json module's C encoder (indentation makes it use the Python one, 50 ms a build)."""
    lists = ("inputs", "outputs")
    marked = {key: (f"\0{key}" if key in lists else value) for key, value in data.items()}
    text = json.dumps(marked, ensure_ascii=False, indent=2)
    for key in lists:
        if key in data:
            lines = ",\n    ".join(json.dumps(entry, ensure_ascii=False) for entry in data[key])
            listed = f"[\n    {lines}\n  ]" if lines else "[]"
            text = text.replace(json.dumps(f"\0{key}"), listed, 1)
    return text + "\n"


def _output_entry(folder: Path, path: Path, reuse: Reuse) -> dict:
    """A written file as the manifest lists it: its name, checksum, size, time and file number
    (reuse.state_entry), its fingerprint and whether it was taken from the previous build
    (Reuse.entry)."""
    name = path.relative_to(folder).as_posix()
    return {
        "file": name,
        "sha256": reuse.reused.get(name) or sha256(path),
        **state_entry(path),
        **reuse.entry(name),
    }
