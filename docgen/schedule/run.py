"""`docgen run`: produce what the calendar calls for on a date, once, under the workspace's lock,
with a log file, and recorded in the history whatever its end.

The as-of date and the time are always parameters: nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen import cn
from docgen.build import (
    Campaign,
    chosen_kinds,
    load_campaign,
    plan_size,
    publish,
    require_organ,
    write_documents,
)
from docgen.config import DOCUMENT_KINDS, WEEKDAY_NAMES
from docgen.errors import DocgenError, InputError, ValidationFailed
from docgen.history import (
    HISTORY_FOLDER,
    RUN_RESULTS,
    RunRecord,
    finish_run,
    history_path,
    last_done_run,
    list_runs,
    open_history,
    record_statuses,
    sampled_items,
    start_run,
)
from docgen.model import DONE
from docgen.schedule.calendar import Decision, Occasion, due_on
from docgen.schedule.lock import (
    EXIT_LOCKED,
    LockHolder,
    RunLock,
    RunLockHeld,
    acquire_run_lock,
    create_exclusive,
)
from docgen.workspace import (
    InputFiles,
    Workspace,
    checksums_digest,
    list_input_files,
    open_workspace,
    resolve_as_of,
)

# Exit codes of `docgen run`, a contract with the scheduler that starts it (docs/scheduling.md).
EXIT_OK = 0  # done, or nothing to do
EXIT_FAILED = 1  # bad data, bad settings, or a failed run: nothing was written
EXIT_USAGE = 2  # a bad option (click's own code)
# EXIT_LOCKED (75): another run holds the lock (docgen.schedule.lock)

LOGS_FOLDER = "logs"


class RunLog:
    """The log of one run, a UTF-8 text file in <workspace>/.docgen/logs/, written as it goes."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, workspace: Path, now: dt.datetime, as_of: dt.date) -> RunLog:
        folder = Path(workspace) / HISTORY_FOLDER / LOGS_FOLDER
        stem = f"{now:%Y%m%d-%H%M%S}_截至{as_of.isoformat()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for number in range(1, 1000):
                path = folder / (f"{stem}.log" if number == 1 else f"{stem}_{number}.log")
                if create_exclusive(path, "\ufeff".encode()):
                    return cls(path)
        except OSError as exc:
            raise DocgenError(f"无法在 {folder} 中写运行日志：{exc.strerror or exc}") from None
        raise DocgenError(f"无法在 {folder} 中写运行日志：同一秒内的日志过多。")

    def write(self, *lines: str) -> None:
        with self.path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.writelines(line + "\n" for line in lines)


# --- docgen run -----------------------------------------------------------------------------


@dataclass
class RunOutcome:
    """How `docgen run` ended when it did not raise.

    result: done (documents written), nothing-due (no rule fires on the date), unchanged (already
    done for this date with the same inputs), or dry-run (nothing written; `planned` counts).
    """

    as_of: dt.date
    decision: Decision
    result: str
    exit_code: int = EXIT_OK
    folder: Path | None = None
    outputs: list[Path] = field(default_factory=list)
    log: Path | None = None
    run_id: int | None = None
    previous: RunRecord | None = None
    warnings: int = 0
    replaced_lock: LockHolder | None = None
    planned: dict[str, int] = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "result": self.result,
            "message": self.message,
            "exit_code": self.exit_code,
            "decision": self.decision.to_dict(),
            "folder": str(self.folder) if self.folder else None,
            "outputs": [str(p) for p in self.outputs],
            "log": str(self.log) if self.log else None,
            "run_id": self.run_id,
            "previous_run": self.previous.to_dict() if self.previous else None,
            "warnings": self.warnings,
            "planned": self.planned,
        }


def run_scheduled(
    folder: Path,
    out_root: Path,
    as_of: dt.date | None,
    now: dt.datetime,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    planned: Callable[[int], None] | None = None,
) -> RunOutcome:
    """Produce what the calendar calls for on the as-of date of the workspace in `folder`, once.

    A date already done with the same inputs (checksums of every input file and docgen.toml) and
    whose folder is still there is not done again unless `force`. Everything is written into
    out_root/<as-of> through a staging folder, under the workspace's lock, with a log file, and
    the run is recorded in the history whatever its end. Raises ValidationFailed (bad data),
    RunLockHeld (another run), DocgenError (anything else a user can fix) after recording them.
    """
    folder, out_root = Path(folder), Path(out_root)
    try:
        workspace = open_workspace(folder, as_of, now.date())
    except InputError:
        raise  # no workspace folder: nowhere to log or record anything
    except DocgenError as exc:
        if not dry_run:
            day = resolve_as_of(as_of, None, now.date())
            log = RunLog.create(folder, now, day)
            log.write(f"未运行：{exc}", f"结果：{RUN_RESULTS['failed']}（退出码 {EXIT_FAILED}）")
            files = list_input_files(folder)
            _record_unstarted(files, now, day, Decision(day), force, log, "failed", str(exc))
        raise
    day = workspace.as_of
    load = _once(workspace, remember=not dry_run)
    decision = with_sheets_in(workspace, due_on(workspace.settings, day), load)
    if dry_run:
        return _dry_run(workspace, out_root, decision, force, load)

    log = RunLog.create(folder, now, day)
    log.write(
        "docgen 定时运行记录",
        f"开始时间：{now:%Y-%m-%d %H:%M:%S}",
        f"统计截止日期：{day.isoformat()}（{WEEKDAY_NAMES[day.isoweekday() - 1]}）",
        f"输入文件夹：{folder.resolve()}",
        f"输出文件夹：{out_root.resolve()}",
        f"进程：{os.getpid()}，计算机：{socket.gethostname()}"
        + ("，选项：--force" if force else ""),
        *_decision_lines(decision),
    )
    try:
        lock = acquire_run_lock(folder, now, day)
    except RunLockHeld as exc:
        log.write(f"未运行：{exc}", f"结果：{RUN_RESULTS['locked']}（退出码 {EXIT_LOCKED}）")
        _record_unstarted(workspace.files, now, day, decision, force, log, "locked", str(exc))
        raise
    with lock:
        if lock.replaced is not None:
            log.write(f"接管了失效的锁文件（{lock.replaced.describe()}，该运行已不存在）。")
        return _locked_run(
            workspace, out_root, now, decision, force, log, lock, progress, planned, load
        )


# Why a run writes the spot-check report on a day no rule names (with_sheets_in).
SHEETS_IN = "督导抽查记录表已全部收回"


def _once(workspace: Workspace, remember: bool = True) -> Callable[[], Campaign]:
    """load_campaign(workspace, remember), read at most once however often a run asks for it
    (the spot-check sheets' check and the documents); a failure is raised again each time."""
    found: dict = {}

    def load() -> Campaign:
        if not found:
            try:
                found["campaign"] = load_campaign(workspace, remember)
            except ValidationFailed as failed:
                found["failed"] = failed
        if "failed" in found:
            raise found["failed"]
        return found["campaign"]

    return load


def with_sheets_in(
    workspace: Workspace, decision: Decision, load: Callable[[], Campaign]
) -> Decision:
    """The day's decision, with the spot-check report added once every claim the latest sample
    drew has its verdict back, unless a run has already written it from the same sheets."""
    files = workspace.files
    if "spot-check" in decision.documents or not files.checks:
        return decision
    sheets = {name: sha for name, sha in files.checksums.items() if name.startswith("spot-checks/")}
    year = workspace.settings.year_for(workspace.as_of)
    with open_history(workspace.folder) as connection:
        written = next((r for r in list_runs(connection) if "spot-check" in r.documents), None)
        sampled = sampled_items(connection, year)
    if written and written.result == "done":
        before = {
            name: sha for name, sha in written.inputs.items() if name.startswith("spot-checks/")
        }
        if before == sheets:
            return decision
    if not sampled:
        return decision
    try:
        summary = load().summary
    except ValidationFailed:
        return decision  # the run itself says what is wrong
    latest = max(item.as_of for item in sampled.values())
    claims = {(m.id, a.department): a for m in summary.measures for a in m.assignments}
    outstanding = [
        key
        for key, item in sampled.items()
        if item.as_of == latest
        and key in claims
        and claims[key].status == DONE
        and not claims[key].verdict
    ]
    if outstanding:
        return decision
    return replace(decision, occasions=(*decision.occasions, Occasion("spot-check", SHEETS_IN)))


def _locked_run(
    workspace: Workspace,
    out_root: Path,
    now: dt.datetime,
    decision: Decision,
    force: bool,
    log: RunLog,
    lock: RunLock,
    progress,
    planned,
    load: Callable[[], Campaign],
) -> RunOutcome:
    day, folder = workspace.as_of, workspace.folder
    outcome = RunOutcome(day, decision, "nothing-due", log=log.path, replaced_lock=lock.replaced)
    try:
        checksums, unreadable = workspace.files.checksums, None
    except DocgenError as exc:
        checksums, unreadable = {}, exc
    digest = checksums_digest(checksums)
    log.write("输入文件校验值（SHA-256）：", *(f"  {n}  {c}" for n, c in checksums.items()))
    with open_history(folder) as db:
        outcome.run_id = start_run(
            db, now, day, checksums, digest, list(decision.documents), force, str(log.path)
        )
        outcome.previous = last_done_run(db, day)

    def finish(result, code, message="", **values):
        outcome.message = message
        with open_history(folder) as db:
            finish_run(db, outcome.run_id, result, code, message=message, **values)
        log.write(message, f"结果：{RUN_RESULTS[result]}（退出码 {code}）")

    if unreadable is not None:
        finish("failed", EXIT_FAILED, f"未生成：{unreadable}")
        raise unreadable
    if not decision.documents:
        finish("nothing-due", EXIT_OK, f"{cn.date_cn(day)}按规则没有需要生成的文件。")
        return outcome
    final = (out_root / day.isoformat()).resolve()
    previous = outcome.previous
    if not force and _already_done(previous, digest, final):
        outcome.result, outcome.folder = "unchanged", final
        finish(
            "unchanged",
            EXIT_OK,
            f"{cn.date_cn(day)}已于 {previous.started_at:%Y-%m-%d %H:%M} 生成过"
            f"（第{previous.id}次运行），输入文件没有变化，本次不再重复生成。",
            folder=str(final),
        )
        return outcome
    try:
        result, campaign, left_out = _produce(
            load, out_root, now, decision, progress, planned, force
        )
    except ValidationFailed as exc:
        finish("invalid", EXIT_FAILED, f"未生成：{exc}（可运行 docgen validate 查看）")
        raise
    except DocgenError as exc:
        finish("failed", EXIT_FAILED, f"未生成：{exc}")
        raise
    except KeyboardInterrupt:
        finish("interrupted", 130, "未生成：运行被中断。")
        raise
    except Exception as exc:
        finish("failed", EXIT_FAILED, f"未生成：内部错误 {type(exc).__name__}: {exc}")
        raise
    with open_history(folder) as db:
        record_statuses(db, outcome.run_id, campaign.summary.snapshot())
    skipped = "".join(f"未生成{name}：{reason}。" for name, reason in left_out.items())
    if result is None:
        names = "、".join(DOCUMENT_KINDS[kind] for kind in decision.documents)
        finish(
            "nothing-due",
            EXIT_OK,
            f"按规则要生成{names}，但没有需要生成的文件。"
            + (skipped or "没有逾期或未反馈举措的部门。"),
            figures=campaign.summary.counts.to_dict(),
        )
        return outcome
    outcome.result, outcome.folder = "done", result.folder
    outcome.outputs, outcome.warnings = result.outputs, result.warnings
    relative = [p.relative_to(result.folder).as_posix() for p in result.outputs]
    log.write("已写入：", *(f"  {result.folder / name}" for name in relative))
    finish(
        "done",
        EXIT_OK,
        f"已生成 {len(relative)} 个文件，保存在 {result.folder}。"
        + skipped
        + (f"输入数据有 {result.warnings} 条提示。" if result.warnings else ""),
        folder=str(result.folder.resolve()),
        outputs=relative,
        figures=campaign.summary.counts.to_dict(),
    )
    return outcome


def _produce(
    load: Callable[[], Campaign],
    out_root: Path,
    now,
    decision: Decision,
    progress,
    planned,
    force: bool = False,
):
    campaign = load()
    require_organ(campaign)
    size = plan_size(campaign.summary, campaign.settings, decision.documents)
    _, left_out = chosen_kinds(campaign.summary, campaign.settings, decision.documents)
    if not size:
        # nothing to write (nobody is late, no 主送 for the report that was due): keep whatever
        # the date's folder already holds
        return None, campaign, left_out
    if planned is not None:
        planned(size)
    extra = {
        "run": {
            "documents": list(decision.documents),
            "reasons": {kind: decision.reasons(kind) for kind in decision.documents},
        },
        **({"left_out": left_out} if left_out else {}),
    }

    def write(job):
        return write_documents(replace(job, forms_due=decision.forms_due), decision.documents)

    # documents unchanged since the date's last build are taken from it, unless forced
    result = publish(campaign, out_root, now, write, progress, extra, force=force)
    result.left_out = left_out
    return result, campaign, left_out


def _record_unstarted(
    files: InputFiles, now, day, decision: Decision, force, log: RunLog, result, message
) -> None:
    """Record a run that stopped before it started: bad settings, or another run holds the lock
    (SQLite lets the two share the history)."""
    code = EXIT_LOCKED if result == "locked" else EXIT_FAILED
    try:
        checksums = files.checksums
    except DocgenError:
        checksums = {}
    with open_history(files.folder) as db:
        run_id = start_run(
            db,
            now,
            day,
            checksums,
            checksums_digest(checksums),
            list(decision.documents),
            force,
            str(log.path),
        )
        finish_run(db, run_id, result, code, message=message)


def _dry_run(
    workspace: Workspace,
    out_root: Path,
    decision: Decision,
    force: bool,
    load: Callable[[], Campaign],
) -> RunOutcome:
    """What a run would do, writing nothing at all (not even the history or a log)."""
    day = workspace.as_of
    outcome = RunOutcome(day, decision, "dry-run")
    if history_path(workspace.folder).exists():
        with open_history(workspace.folder) as db:
            outcome.previous = last_done_run(db, day)
    if not decision.documents:
        return outcome
    campaign = load()
    outcome.warnings = len(campaign.warnings)
    outcome.planned = {
        kind: plan_size(campaign.summary, campaign.settings, [kind]) for kind in decision.documents
    }
    previous = outcome.previous
    final = (out_root / day.isoformat()).resolve()
    if not force and _already_done(previous, workspace.files.digest, final):
        outcome.result = "unchanged"
    return outcome


def _already_done(previous: RunRecord | None, digest: str, final: Path) -> bool:
    """The date was done on the same inputs into the same folder, which is still there."""
    return (
        previous is not None
        and previous.inputs_digest == digest
        and Path(previous.folder) == final
        and final.is_dir()
    )


def _decision_lines(decision: Decision) -> list[str]:
    if not decision.documents:
        return ["按规则应生成：无"]
    return ["按规则应生成："] + [
        f"  {DOCUMENT_KINDS[kind]}：{'；'.join(decision.reasons(kind))}"
        for kind in decision.documents
    ]
