"""The main job: validate, aggregate, and write every document into one dated folder with a manifest.

Everything is written into a temporary folder beside the final one and moved into place only when
all documents are done, so a failed or interrupted build leaves the previous outputs as they were.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from docgen import __version__
from docgen.aggregation import Summary, summarise_progress
from docgen.config import CONFIG_NAME, Settings, load_settings
from docgen.documents.common import Job
from docgen.errors import DocgenError, InputError, ValidationFailed
from docgen.validation import Inputs, validate_inputs

MANIFEST_NAME = "manifest.json"
LIBRARIES = ("pandas", "openpyxl", "python-calamine", "python-docx", "docxtpl", "jinja2", "lxml")


@dataclass
class Campaign:
    """Validated inputs and their summary: what every command that writes documents starts from."""

    inputs: Inputs
    settings: Settings
    summary: Summary

    @property
    def warnings(self):
        return self.inputs.warnings


@dataclass
class BuildResult:
    folder: Path
    outputs: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    warnings: int = 0
    pdf_failed: dict[str, str] = field(default_factory=dict)  # Word file -> why no PDF


def load_campaign(inputs: Path, as_of: dt.date | None, today: dt.date) -> Campaign:
    """Read, validate and summarise; raise ValidationFailed (with every Issue) on any error.

    `as_of` wins over docgen.toml's as_of, which wins over `today` (the caller reads the clock).
    """
    settings = load_settings(inputs)
    day = as_of or settings.campaign.as_of or today
    checked = validate_inputs(inputs, settings, day)
    if checked.errors:
        raise ValidationFailed(checked.issues)
    summary = summarise_progress(
        checked.measures, checked.feedback, day, settings, checked.departments
    )
    return Campaign(checked, settings, summary)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    found = {"docgen": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


# The order documents are written in, and what each kind of docgen.config.DOCUMENT_KINDS covers.
WRITING_ORDER = ("ledger", "self-check", "brief", "year-end", "forms", "urge")


def _kinds(kinds) -> set[str]:
    kinds = set(kinds)
    return set(WRITING_ORDER) if "build" in kinds else kinds


def plan_size(campaign: Campaign, kinds=WRITING_ORDER) -> int:
    """How many documents a build (or the named kinds of document) writes, for a progress bar."""
    kinds = _kinds(kinds)
    departments = len(campaign.summary.departments)
    late = sum(1 for d in campaign.summary.departments if d.counts.overdue or d.counts.unreported)
    per_kind = {
        "ledger": 1,
        "self-check": 1 + departments,  # the bureau's report and one per department
        "brief": 1,
        "year-end": 1,
        "forms": departments,  # a Word and an Excel form each, counted once
        "urge": late,
    }
    return sum(per_kind[kind] for kind in kinds if kind in per_kind)


def write_all_documents(job: Job) -> list[Path]:
    """Every document of the campaign into job.out_dir (subfolders for the per-department ones)."""
    return write_documents(job, WRITING_ORDER)


def write_documents(
    job: Job, kinds, forms_due: dt.date | None = None, urge_days: int | None = None
) -> list[Path]:
    """The named kinds of document (docgen.config.DOCUMENT_KINDS; `build` is all of them) into
    job.out_dir, per-department ones in subfolders. `forms_due` is the return date printed on the
    forms (default: the configured one); `urge_days` the new deadline urging notices give."""
    from docgen.documents.brief import write_brief
    from docgen.documents.feedback_form import write_feedback_forms
    from docgen.documents.ledger import write_ledger
    from docgen.documents.naming import document_filename
    from docgen.documents.self_check import write_department_reports, write_self_check
    from docgen.documents.urge import write_urge_notices
    from docgen.documents.year_end import write_year_end

    kinds = _kinds(kinds)
    urge_days = urge_days or job.settings.schedule.urge_days

    def into(folder: str) -> Job:
        return replace(job, out_dir=job.out_dir / folder)

    outputs = []
    if "ledger" in kinds:
        outputs.append(
            write_ledger(
                job.summary, job.settings, job.out_dir / document_filename("整改台账", ".xlsx")
            )
        )
        job.advance()
    if "self-check" in kinds:
        outputs += write_self_check(job)
        job.advance()
    if "brief" in kinds:
        outputs += write_brief(job)
        job.advance()
    if "year-end" in kinds:
        outputs += write_year_end(job)
        job.advance()
    if "forms" in kinds:
        outputs += write_feedback_forms(into("反馈表"), None, forms_due)
    if "self-check" in kinds:
        outputs += write_department_reports(into("部门自查报告"))
    if "urge" in kinds:
        outputs += write_urge_notices(into("催办通知"), urge_days)
    return outputs


def build(
    inputs: Path,
    out_root: Path,
    as_of: dt.date | None,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
    planned: Callable[[int], None] | None = None,
    pdf: bool = False,
) -> BuildResult:
    """Validate, then write every document and a manifest into out_root/<as-of date>.

    `now` stamps the manifest and the history; `planned(n)` is told the number of documents
    before writing starts and `progress(n)` as they are written. With `pdf`, a PDF copy is
    written beside every Word document (LibreOffice must be installed; see docgen.pdf).
    """
    inputs = Path(inputs)
    campaign = load_campaign(inputs, as_of, now.date())
    if pdf:
        from docgen.pdf import find_soffice

        find_soffice()  # before any work: say at once that PDFs cannot be made here
    if planned is not None:
        planned(plan_size(campaign) * (2 if pdf else 1))
    return publish(campaign, inputs, out_root, now, write_all_documents, progress, pdf=pdf)


def with_pdf_copies(write: Callable[[Job], list[Path]], failed: dict[str, str]):
    """`write`, then a PDF copy of every Word document it wrote, beside it.

    Conversion failures are collected in `failed` (file -> reason) and never touch the Word file.
    """

    def write_and_convert(job: Job) -> list[Path]:
        from docgen.pdf import convert_to_pdf

        written = write(job)
        documents = [p for p in written if p.suffix == ".docx"]
        converted = convert_to_pdf(documents, progress=job.progress)
        for path, reason in converted.failed.items():
            failed[path.relative_to(job.out_dir).as_posix()] = reason
        return written + converted.written

    return write_and_convert


def publish(
    campaign: Campaign,
    inputs: Path,
    out_root: Path,
    now: dt.datetime,
    write: Callable[[Job], list[Path]],
    progress: Callable[[int], None] | None = None,
    manifest_extra: dict | None = None,
    pdf: bool = False,
) -> BuildResult:
    """Have `write` fill a staging folder beside out_root/<as-of date>, add the manifest, then
    swap the folder into place; on any failure the staging folder is removed and an earlier
    folder of the same date is left as it was."""
    inputs = Path(inputs)
    out_root = Path(out_root)
    final = out_root / campaign.summary.as_of.isoformat()
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        recover_outputs(out_root, campaign.summary.as_of)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{final.name}.{os.getpid()}.", suffix=".tmp", dir=out_root)
        )
    except OSError as exc:
        raise DocgenError(f"无法在 {out_root} 中创建输出文件夹：{exc.strerror or exc}") from None
    try:
        job = Job(
            summary=campaign.summary,
            settings=campaign.settings,
            workspace=inputs,
            out_dir=staging,
            now=now,
            font_profile=campaign.settings.format.font_profile,
            progress=progress,
        )
        pdf_failed: dict[str, str] = {}
        written = (with_pdf_copies(write, pdf_failed) if pdf else write)(job)
        extra = {**(manifest_extra or {}), **({"pdf_failed": pdf_failed} if pdf_failed else {})}
        manifest = _write_manifest(campaign, inputs, staging, written, now, extra)
        _replace_folder(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outputs = [final / path.relative_to(staging) for path in written]
    return BuildResult(final, outputs, final / manifest.name, len(campaign.warnings), pdf_failed)


def input_files(inputs: Path) -> list[Path]:
    """The files a build reads: the measure list, every returned form, and docgen.toml.

    A missing or ambiguous measure list is left out here; load_campaign reports it.
    """
    from docgen.validation import feedback_files, find_measure_file

    inputs = Path(inputs)
    files = []
    with contextlib.suppress(InputError):
        files.append(find_measure_file(inputs))
    files += feedback_files(inputs)
    if (inputs / CONFIG_NAME).exists():
        files.append(inputs / CONFIG_NAME)
    return files


def input_checksums(inputs: Path) -> dict[str, str]:
    """Each input file (relative, with forward slashes) and its SHA-256."""
    inputs = Path(inputs)
    try:
        return {path.relative_to(inputs).as_posix(): sha256(path) for path in input_files(inputs)}
    except OSError as exc:
        raise DocgenError(f"无法读取输入文件：{exc.strerror or exc}（{exc.filename}）") from None


def checksums_digest(checksums: dict[str, str]) -> str:
    """One SHA-256 over every file name and checksum: equal digests mean equal inputs."""
    lines = "".join(f"{name}\0{checksums[name]}\n" for name in sorted(checksums))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _file_entry(path: Path, base: Path) -> dict:
    return {
        "file": path.relative_to(base).as_posix(),
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
    }


def _write_manifest(
    campaign: Campaign, inputs: Path, folder: Path, written, now, extra: dict | None = None
) -> Path:
    from docgen.rendering import atomic_write_bytes

    sources = list(campaign.inputs.files)
    if (inputs / CONFIG_NAME).exists():
        sources.append(inputs / CONFIG_NAME)
    data = {
        "as_of": campaign.summary.as_of.isoformat(),
        "created_at": now.isoformat(timespec="seconds"),
        "inputs": [_file_entry(path, inputs) for path in sources],
        "outputs": [_file_entry(path, folder) for path in written],
        "figures": campaign.summary.counts.to_dict(),
        "warnings": len(campaign.warnings),
        "versions": versions(),
        **(extra or {}),
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return atomic_write_bytes(folder / MANIFEST_NAME, text.encode("utf-8"))


def _replace_folder(staging: Path, final: Path) -> None:
    """Move the finished folder into place; an earlier build of the same date is removed only after.

    Where the system can swap two folders in one step (Linux), the earlier build is never
    missing for an instant. Elsewhere it is renamed aside first (to .<date>.<pid>.old); if the
    run dies between the two renames, recover_outputs puts it back on the next run."""
    if final.exists():
        try:
            swapped = _exchange(staging, final)
        except OSError as exc:
            raise _not_replaced(final, exc) from None
        if swapped:
            shutil.rmtree(staging, ignore_errors=True)  # it holds the earlier build now
            return
    retired = None
    if final.exists():
        retired = final.with_name(f".{final.name}.{os.getpid()}.old")
        shutil.rmtree(retired, ignore_errors=True)
        try:
            final.rename(retired)
        except OSError as exc:
            raise _not_replaced(final, exc) from None
    try:
        staging.rename(final)
    except OSError as exc:
        if retired is not None:
            with contextlib.suppress(OSError):
                retired.rename(final)
        raise DocgenError(f"无法写入 {final}：{exc.strerror or exc}") from None
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _not_replaced(final: Path, exc: OSError) -> DocgenError:
    return DocgenError(
        f"无法替换 {final}：{exc.strerror or exc}。如其中的文件正在 Word、WPS 或 Excel 中打开，请先关闭。"
    )


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 with RENAME_EXCHANGE); False where the
    system or the file system cannot, so that the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


# What a run leaves behind when it is killed half way: its staging folder, a dated folder it
# had moved aside (see _replace_folder), and temporary files (rendering.atomic_write_bytes).
# Each name holds the process id, so that only what a finished process left is touched.
_STAGING = re.compile(r"^\.\d{4}-\d{2}-\d{2}\.(?P<pid>\d+)\..+\.tmp$")
_RETIRED = re.compile(r"^\.(?P<date>\d{4}-\d{2}-\d{2})\.(?P<pid>\d+)\.old$")
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.tmp$")


def recover_outputs(out_root: Path, day: dt.date | None = None) -> list[str]:
    """Put an output folder in order after runs that were killed or crashed half way.

    A dated folder moved aside and not replaced goes back to its name (the earlier build comes
    back whole); one that was replaced, and staging folders, of processes that no longer run
    are removed, and so are their temporary files in the folder of `day` (the one about to be
    written; the other dates are left alone). Called before any command writes into out_root;
    returns what it did."""
    from docgen.schedule import process_alive

    out_root = Path(out_root)
    done: list[str] = []
    try:
        entries = sorted(out_root.iterdir())
    except OSError:  # no folder yet, or one we cannot list: writing will say what is wrong
        return done
    for entry in entries:
        retired = _RETIRED.match(entry.name)
        staging = _STAGING.match(entry.name)
        match = retired or staging
        if not match or not entry.is_dir() or process_alive(int(match["pid"])):
            continue
        final = out_root / retired["date"] if retired else None
        if final is not None and not final.exists():
            with contextlib.suppress(OSError):
                entry.rename(final)
                done.append(f"restored {final.name}")
                continue
        shutil.rmtree(entry, ignore_errors=True)
        done.append(f"removed {entry.name}")
    if day is None:
        return done
    for folder, _, names in os.walk(out_root / day.isoformat()):
        for name in names:
            match = _TEMPORARY.match(name)
            if match and not process_alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()
                    done.append(f"removed {name}")
    return done
