"""What the pages show and do, through the library calls the command line makes: the campaign
(load_campaign, cached by the input files' names, sizes and times so that the 工作台 answers at
once after the first load), the validation report (check_inputs), the schedule (due_report) and
the history of runs (list_runs)."""

import datetime as dt
import hashlib
import io
import secrets
import shutil
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.aggregation import Summary
from docgen.build import Campaign, build, check_inputs, load_campaign
from docgen.errors import DocgenError, ValidationFailed
from docgen.files import atomic_write_bytes, safe_filename
from docgen.history import HISTORY_FOLDER, RunRecord, list_runs, open_history
from docgen.issues import Report
from docgen.loading import ReadError, read_table
from docgen.model import SPOT_CHECK_COLUMNS
from docgen.pdf import PdfError, convert_to_pdf, find_soffice
from docgen.schedule.calendar import DueReport, due_report
from docgen.schedule.lock import RunLockHeld, acquire_run_lock
from docgen.workspace import (
    FEEDBACK_FOLDER,
    SPOT_CHECK_FOLDER,
    Workspace,
    list_input_files,
    open_workspace,
)


@dataclass
class Loaded:
    """The campaign as of a date, or the report of the errors that stop it from loading."""

    campaign: Campaign | None
    report: Report | None = None


@dataclass
class Workbench:
    """One workspace folder served to one clerk: where its documents go, and the campaign last
    loaded (kept while the input files are unchanged)."""

    folder: Path
    out_root: Path
    generations: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def workspace(self, as_of: dt.date | None = None) -> Workspace:
        return open_workspace(self.folder, as_of, dt.date.today())

    def fingerprint(self) -> tuple:
        """The input files by name, size and modification time: a cheap key that changes with
        any file added, removed, replaced or saved."""
        files = list_input_files(self.folder)
        stats = ((files.relative(p), p.stat()) for p in files.paths)
        return tuple((name, stat.st_size, stat.st_mtime_ns) for name, stat in stats)

    def load(self, as_of: dt.date | None = None) -> Loaded:
        """The campaign as of `as_of` (docgen.toml's, else today), from the cache when the
        inputs have not changed since it was loaded."""
        key = (as_of, self.fingerprint())
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            try:
                loaded = Loaded(load_campaign(self.workspace(as_of)))
            except ValidationFailed as failed:
                loaded = Loaded(None, failed.report)
            self._cache = {key: loaded}  # only the latest: inputs change, old entries go stale
            return loaded

    def forget(self) -> None:
        with self._lock:
            self._cache = {}

    def check(self, as_of: dt.date | None = None) -> Report:
        """Every problem the inputs have, as `docgen validate` lists them."""
        loaded = self.load(as_of)
        return loaded.report if loaded.campaign is None else loaded.campaign.inputs.report

    def schedule(self, summary: Summary, settings, within: int = 14) -> DueReport:
        return due_report(summary, settings, within)

    def runs(self, limit: int = 50) -> list[RunRecord]:
        with open_history(self.folder) as connection:
            return list_runs(connection, limit)


# --- 上传 -------------------------------------------------------------------------------------

UPLOAD_SUFFIXES = (".xlsx", ".xls", ".csv")


@dataclass
class Arrival:
    """One uploaded file: where it went (or why not), and what validation found in it."""

    name: str
    saved_as: str = ""
    refused: str = ""
    replaced: str = ""
    issues: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return [i for i in self.issues if i.is_error]

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "saved_as": self.saved_as,
            "refused": self.refused,
            "replaced": self.replaced,
            "ok": self.ok,
            "issues": [i.to_dict() for i in self.issues],
        }


def is_spot_check_sheet(path: Path) -> bool:
    """A 督导抽查记录表 docgen wrote: its hidden sheet names the sample's seed."""
    try:
        return bool(read_table(path, SPOT_CHECK_COLUMNS).properties.get("种子"))
    except ReadError:
        return False


def receive(
    bench: "Workbench", uploads: list[tuple[str, bytes]], now: dt.datetime
) -> list[Arrival]:
    """Take uploaded files into the workspace: a returned feedback form into feedback/, a
    returned spot-check sheet into spot-checks/, under a name valid on Windows and without any
    folder the sender's name carried. They are checked there, with every other input, in one
    check_inputs; a file with errors is taken out again, kept under .docgen/rejected/, and the
    file it would have replaced is put back. A file replaced by a good one is kept under
    .docgen/replaced/. Works under the workspace's run lock, as a build does."""
    arrivals = [Arrival(name) for name, _ in uploads]
    stamp = now.strftime("%Y%m%d-%H%M%S")
    private = bench.folder / HISTORY_FOLDER
    placed = []  # (arrival, where it went, the file it replaced or None)
    with acquire_run_lock(bench.folder, now):
        for arrival, (name, data) in zip(arrivals, uploads, strict=True):
            # Only the last part of the name: a path, Windows or not, and the dots a parser
            # leaves of "..\\" (Werkzeug 3.1.9 reads a backslash as an escape) go.
            safe = safe_filename(name.replace("\\", "/").rsplit("/", 1)[-1].lstrip(". "))
            if Path(safe).suffix.lower() not in UPLOAD_SUFFIXES:
                arrival.refused = "只接收 Excel（.xlsx、.xls）或 CSV 文件。"
                continue
            staging = private / "uploads" / safe
            staging.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(staging, data)
            kind = SPOT_CHECK_FOLDER if is_spot_check_sheet(staging) else FEEDBACK_FOLDER
            target = bench.folder / kind / safe
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = None
            if target.exists():
                kept = private / "replaced" / stamp / kind / safe
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(target, kept)
                arrival.replaced = kept.relative_to(bench.folder).as_posix()
            shutil.move(staging, target)
            arrival.saved_as = target.relative_to(bench.folder).as_posix()
            placed.append((arrival, target, kept))
        if placed:
            report = check_inputs(bench.workspace()).report
        for arrival, target, kept in reversed(placed):
            arrival.issues = [i for i in report.issues if i.file == arrival.saved_as]
            if arrival.errors:
                rejected = private / "rejected" / stamp / target.name
                rejected.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(target, rejected)
                if kept is not None:
                    shutil.move(kept, target)
                    arrival.replaced = ""
                arrival.refused = (
                    f"文件有 {len(arrival.errors)} 个错误，没有采用（原文件另存在 "
                    f"{rejected.relative_to(bench.folder).as_posix()}）。请按下面的说明修改后重新上传。"
                )
                arrival.saved_as = ""
    bench.forget()
    return arrivals


# --- 生成 -------------------------------------------------------------------------------------


@dataclass
class Generation:
    """One build started from the page: its progress, and how it ended."""

    id: str
    as_of: dt.date | None
    keys: tuple[str, ...]
    detail: str
    state: str = "running"  # running, done, failed
    total: int = 0
    done: int = 0
    message: str = ""
    folder: Path | None = None
    outputs: list[Path] = field(default_factory=list)
    left_out: dict = field(default_factory=dict)
    invalid: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "state": self.state,
            "total": self.total,
            "done": self.done,
            "message": self.message,
            "files": [p.relative_to(self.folder).as_posix() for p in self.outputs]
            if self.folder
            else [],
        }


BUSY = "另一次生成（或定时运行）正在进行，请等它完成后再试。"


def start_generation(
    bench: "Workbench", as_of: dt.date | None, keys: tuple[str, ...], detail: str
) -> Generation:
    """Build in a background thread (build(), as `docgen build` does, the kinds `keys` name),
    under the workspace's run lock; one at a time: while one runs, a second is refused (BUSY)."""
    with bench._lock:
        running = [g for g in bench.generations.values() if g.state == "running"]
        generation = Generation(new_id(), as_of, keys, detail)
        bench.generations[generation.id] = generation
        if running:
            generation.state, generation.message = "failed", BUSY
            return generation
    threading.Thread(target=_generate, args=(bench, generation), daemon=True).start()
    return generation


def new_id() -> str:
    return secrets.token_hex(6)


def _generate(bench: "Workbench", generation: Generation) -> None:
    now = dt.datetime.now()

    def planned(n: int) -> None:
        generation.total = n

    def advance(n: int = 1) -> None:
        generation.done += n

    try:
        workspace = bench.workspace(generation.as_of)
        with acquire_run_lock(bench.folder, now, workspace.as_of):
            result = build(
                workspace,
                bench.out_root,
                now,
                advance,
                planned,
                keys=generation.keys,
                detail=generation.detail,
            )
        generation.folder, generation.outputs = result.folder, list(result.outputs)
        generation.left_out = dict(result.left_out)
        generation.state = "done"
        generation.message = f"已生成 {len(result.outputs)} 个文件。" + (
            f"{result.reused_text}。" if result.reused else ""
        )
    except ValidationFailed as failed:
        generation.state, generation.invalid = "failed", True
        generation.message = f"输入数据有 {len(failed.report.errors)} 个错误，没有生成任何文件。"
    except RunLockHeld:
        generation.state, generation.message = "failed", BUSY
    except DocgenError as exc:
        generation.state, generation.message = "failed", str(exc)
    except Exception as exc:  # shown on the page; the server keeps serving
        generation.state, generation.message = "failed", f"生成失败：{exc}"


def zip_folder(folder: Path) -> bytes:
    """The dated folder as one zip, its files under the folder's name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, (Path(folder.name) / path.relative_to(folder)).as_posix())
    return buffer.getvalue()


def preview_png(bench: "Workbench", document: Path) -> bytes | None:
    """The first page of a Word document as a PNG, where LibreOffice is installed (None where
    it is not): converted in a private copy, so no PDF lands among the documents."""
    try:
        find_soffice()
    except PdfError:
        return None
    digest = hashlib.sha256(document.read_bytes()).hexdigest()[:16]
    cache = bench.folder / HISTORY_FOLDER / "previews" / f"{digest}.png"
    if cache.exists():
        return cache.read_bytes()
    work = cache.parent / digest
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "preview.docx"
    shutil.copyfile(document, copy)
    converted = convert_to_pdf([copy], workers=1)
    pdf = next(iter(converted.written), None)
    if pdf is None:
        return None
    import pypdfium2

    page = pypdfium2.PdfDocument(str(pdf))[0]
    image = page.render(scale=0.8).to_pil()
    image.save(cache, "PNG")
    shutil.rmtree(work, ignore_errors=True)
    return cache.read_bytes()
