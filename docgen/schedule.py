"""Deadlines and scheduled runs: which documents the calendar in docgen.toml calls for on a date,
what falls due soon, and `docgen run` — produce them once, under a lock, logged and recorded.

How a rule ([[schedule.rules]], docgen.config.ScheduleRule) is read, for a day D and each
milestone M it names (by name, or every milestone of a kind):

- `days_before = N`: D is N days before M;  `days_after = N`: D is N days after M;
- `repeat_every = K` (with days_after): again every K days after that, until the next milestone
  of the same kind or the end of M's year (urging notices are only written while someone is late);
- `weekday` alone: every such weekday; with a milestone: those weekdays from N days before M to M
  (days_before) and from M to N days after it (days_after);
- `with_others = true`: whenever another rule produces something on D.

The as-of date and the time are always parameters: nothing here reads the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import cn
from docgen.config import (
    DOCUMENT_KINDS,
    MILESTONE_KINDS,
    WEEKDAY_NAMES,
    Milestone,
    ScheduleRule,
    Settings,
)
from docgen.errors import DocgenError, ValidationFailed
from docgen.history import HISTORY_FOLDER, RUN_RESULTS

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.aggregation import MeasureProgress, Summary
    from docgen.history import RunRecord

# Exit codes of `docgen run`, a contract with the scheduler that starts it (docs/scheduling.md).
EXIT_OK = 0  # done, or nothing to do
EXIT_FAILED = 1  # bad data, bad settings, or a failed run: nothing was written
EXIT_USAGE = 2  # a bad option (click's own code)
EXIT_LOCKED = 75  # another run holds the lock: try again later (EX_TEMPFAIL of sysexits.h)

LOCK_NAME = "run.lock"
LOGS_FOLDER = "logs"
# A lock whose process cannot be checked (another computer sharing the folder) or whose pid may
# have been reused is taken over when it is older than this; a run takes minutes, not hours.
LOCK_STALE_AFTER = dt.timedelta(hours=12)
# A lock file with no readable content is being written, unless it is older than this.
LOCK_UNREADABLE_GRACE = dt.timedelta(seconds=60)

WITH_OTHERS_REASON = "随其他文件一并生成"


# --- the calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    """One reason a document is due on a day: the rule that fired and the milestone it counts from."""

    document: str
    reason: str
    milestone: Milestone | None = None


@dataclass(frozen=True)
class Decision:
    """What the rules call for on one day."""

    day: dt.date
    occasions: tuple[Occasion, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        wanted = {o.document for o in self.occasions}
        return tuple(kind for kind in DOCUMENT_KINDS if kind in wanted)

    @property
    def forms_due(self) -> dt.date | None:
        """The return date to print on forms sent for an upcoming milestone (the nearest one)."""
        dates = [
            o.milestone.date
            for o in self.occasions
            if o.document in ("forms", "build") and o.milestone and o.milestone.date >= self.day
        ]
        return min(dates, default=None)

    def reasons(self, document: str) -> list[str]:
        return list(dict.fromkeys(o.reason for o in self.occasions if o.document == document))

    def to_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "weekday": WEEKDAY_NAMES[self.day.isoweekday() - 1],
            "documents": [
                {"document": kind, "name": DOCUMENT_KINDS[kind], "reasons": self.reasons(kind)}
                for kind in self.documents
            ],
        }


def calendar_milestones(settings: Settings, day: dt.date) -> tuple[Milestone, ...]:
    """The configured milestones, plus the ones every campaign has without saying so.

    [campaign].return_deadline is a 反馈表报送截止 milestone, and each year ends with a 年度工作结束
    milestone on 31 December (the campaign's year, or the years around `day` when none is set),
    unless docgen.toml lists one of that kind for that date or year.
    """
    found = list(settings.schedule.milestones)
    names = {m.name for m in found}
    deadline = settings.campaign.return_deadline
    if (
        deadline
        and MILESTONE_KINDS["form-return"] not in names
        and not any(m.kind == "form-return" and m.date == deadline for m in found)
    ):
        found.append(Milestone(MILESTONE_KINDS["form-return"], deadline, "form-return"))
    years = [settings.campaign.year] if settings.campaign.year else [day.year - 1, day.year]
    for year in years:
        if not any(m.kind == "year-end" and m.date.year == year for m in found):
            found.append(Milestone(f"{year}年度工作结束", dt.date(year, 12, 31), "year-end"))
    return tuple(sorted(found, key=lambda m: (m.date, m.name)))


def due_on(settings: Settings, day: dt.date) -> Decision:
    """Every document the rules call for on `day`, each with the reasons it is due."""
    milestones = calendar_milestones(settings, day)
    rules = settings.schedule.rules
    occasions = [
        occasion
        for rule in rules
        if not rule.with_others
        for occasion in _fired(rule, day, milestones)
    ]
    if occasions:
        occasions += [
            Occasion(rule.document, WITH_OTHERS_REASON) for rule in rules if rule.with_others
        ]
    return Decision(day, tuple(occasions))


def upcoming(settings: Settings, start: dt.date, days: int) -> list[Decision]:
    """The days after `start`, up to `days` days on, on which the rules produce something."""
    found = []
    for offset in range(1, days + 1):
        decision = due_on(settings, start + dt.timedelta(days=offset))
        if decision.occasions:
            found.append(decision)
    return found


def _targets(rule: ScheduleRule, milestones: tuple[Milestone, ...]) -> list[Milestone]:
    named = [m for m in milestones if m.name == rule.milestone]
    return named or [m for m in milestones if m.kind == rule.milestone]


def _weekday_text(days: tuple[int, ...]) -> str:
    return "、".join(WEEKDAY_NAMES[d - 1] for d in days)


def _milestone_text(milestone: Milestone) -> str:
    return f"{milestone.name}（{cn.date_cn(milestone.date)}）"


def _repeat_end(milestone: Milestone, milestones: tuple[Milestone, ...]) -> dt.date:
    """The last day a repeating rule counts from `milestone`: the day before the next milestone
    of the same kind, or the end of its year."""
    later = [m.date for m in milestones if m.kind == milestone.kind and m.date > milestone.date]
    if later:
        return min(later) - dt.timedelta(days=1)
    return dt.date(milestone.date.year, 12, 31)


def _fired(rule: ScheduleRule, day: dt.date, milestones: tuple[Milestone, ...]):
    """(Occasion, …) for each way `rule` calls for its document on `day`."""
    weekday_ok = not rule.weekday or day.isoweekday() in rule.weekday
    if not rule.milestone:
        if weekday_ok:
            yield Occasion(rule.document, f"每{_weekday_text(rule.weekday)}")
        return
    for milestone in _targets(rule, milestones):
        offset = (day - milestone.date).days  # negative before the milestone
        where = _milestone_text(milestone)
        if rule.weekday:
            before = rule.days_before is not None and -rule.days_before <= offset <= 0
            after = rule.days_after is not None and 0 <= offset <= rule.days_after
            if weekday_ok and (before or after):
                span = f"前{rule.days_before}天内" if before else f"后{rule.days_after}天内"
                yield Occasion(
                    rule.document, f"{where}{span}的每{_weekday_text(rule.weekday)}", milestone
                )
            continue
        if rule.days_before is not None and offset == -rule.days_before:
            when = f"前{rule.days_before}天" if rule.days_before else "当天"
            yield Occasion(rule.document, f"{where}{when}", milestone)
        if rule.days_after is not None:
            first = rule.days_after
            if offset == first:
                when = f"后第{first}天" if first else "当天"
                yield Occasion(rule.document, f"{where}{when}", milestone)
            elif (
                rule.repeat_every
                and offset > first
                and (offset - first) % rule.repeat_every == 0
                and day <= _repeat_end(milestone, milestones)
            ):
                yield Occasion(
                    rule.document,
                    f"{where}后第{first}天起每{rule.repeat_every}天一次",
                    milestone,
                )


def describe_rule(rule: ScheduleRule) -> str:
    """A rule in words, for `docgen due` and the log."""
    document = DOCUMENT_KINDS[rule.document]
    if rule.with_others:
        return f"{document}：{WITH_OTHERS_REASON}"
    if not rule.milestone:
        return f"{document}：每{_weekday_text(rule.weekday)}"
    target = MILESTONE_KINDS.get(rule.milestone, rule.milestone)
    parts = []
    if rule.weekday:
        if rule.days_before is not None:
            parts.append(f"{target}前{rule.days_before}天内")
        if rule.days_after is not None:
            parts.append(f"{target}后{rule.days_after}天内")
        return f"{document}：{'及'.join(parts)}的每{_weekday_text(rule.weekday)}"
    if rule.days_before is not None:
        parts.append(f"{target}前{rule.days_before}天")
    if rule.days_after is not None:
        text = f"{target}后第{rule.days_after}天"
        if rule.repeat_every:
            text += f"起每{rule.repeat_every}天一次"
        parts.append(text)
    return f"{document}：{'，'.join(parts)}"


# --- what falls due -------------------------------------------------------------------------


@dataclass
class DueReport:
    """`docgen due`: milestones and measures falling due in the window, lateness, and what the
    rules produce on the as-of date and on the days after it."""

    as_of: dt.date
    within: int
    today: Decision
    coming: list[Decision]
    milestones: list[Milestone]
    measures_due: list[MeasureProgress]
    overdue: int
    due_soon: int
    unreported: int
    silent_departments: list[str]
    late_departments: list[str]
    rules: list[str] = field(default_factory=list)
    next_milestone: Milestone | None = None

    @property
    def until(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.within)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "within": self.within,
            "until": self.until.isoformat(),
            "today": self.today.to_dict(),
            "coming": [d.to_dict() for d in self.coming],
            "milestones": [
                {
                    "name": m.name,
                    "date": m.date.isoformat(),
                    "kind": m.kind,
                    "days_left": (m.date - self.as_of).days,
                }
                for m in self.milestones
            ],
            "measures_due": [
                {
                    "id": m.id,
                    "deadline": m.deadline.isoformat(),
                    "days_left": (m.deadline - self.as_of).days,
                    "lead": m.lead,
                    "status": m.status,
                }
                for m in self.measures_due
            ],
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "unreported": self.unreported,
            "silent_departments": self.silent_departments,
            "late_departments": self.late_departments,
            "rules": self.rules,
            "next_milestone": {
                "name": self.next_milestone.name,
                "date": self.next_milestone.date.isoformat(),
                "kind": self.next_milestone.kind,
            }
            if self.next_milestone
            else None,
        }


def due_report(summary: Summary, settings: Settings, within: int) -> DueReport:
    from docgen.documents.urge import late_departments
    from docgen.model import DONE

    day = summary.as_of
    until = day + dt.timedelta(days=within)
    measures_due = sorted(
        (
            m
            for m in summary.measures
            if m.deadline and day <= m.deadline <= until and m.status != DONE
        ),
        key=lambda m: (m.deadline, m.id),
    )
    milestones = calendar_milestones(settings, day)
    return DueReport(
        as_of=day,
        within=within,
        today=due_on(settings, day),
        coming=upcoming(settings, day, within),
        milestones=[m for m in milestones if day <= m.date <= until],
        next_milestone=next((m for m in milestones if m.date > until), None),
        measures_due=measures_due,
        overdue=summary.counts.overdue,
        due_soon=summary.counts.due_soon,
        unreported=summary.counts.unreported,
        silent_departments=list(summary.silent_departments),
        late_departments=[d.name for d in late_departments(summary)],
        rules=[describe_rule(rule) for rule in settings.schedule.rules],
    )


# --- the lock -------------------------------------------------------------------------------


class RunLockHeld(DocgenError):
    """Another `docgen run` on the same workspace has not finished; nothing was written."""

    exit_code = EXIT_LOCKED


@dataclass(frozen=True)
class LockHolder:
    """What a lock file says about the run holding it; `raw` is the file's bytes."""

    raw: bytes
    pid: int | None = None
    host: str = ""
    started_at: dt.datetime | None = None
    as_of: str = ""
    modified: float = 0.0

    def describe(self) -> str:
        if self.pid is None:
            return "锁文件内容无法读取"
        where = f"进程 {self.pid}" + (f"，计算机 {self.host}" if self.host else "")
        if self.started_at:
            where += f"，开始于 {self.started_at:%Y-%m-%d %H:%M:%S}"
        return where


@dataclass
class RunLock:
    """A held lock; `replaced` describes the stale lock it took over, if any."""

    path: Path
    token: str
    replaced: LockHolder | None = None

    def release(self) -> None:
        """Remove the lock file, unless another run has since taken it over."""
        holder = _read_holder(self.path)
        if holder is not None and self.token.encode() in holder.raw:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def lock_path(workspace: Path) -> Path:
    return Path(workspace) / HISTORY_FOLDER / LOCK_NAME


def acquire_run_lock(
    workspace: Path,
    now: dt.datetime,
    as_of: dt.date | None = None,
    pid: int | None = None,
    host: str | None = None,
) -> RunLock:
    """Create the workspace's lock file atomically (O_CREAT | O_EXCL), holding pid, computer and
    time; take over a stale one (its process is gone, or it is older than LOCK_STALE_AFTER).

    Raises RunLockHeld when a live run holds it. Works the same on Windows and POSIX.
    """
    path = lock_path(workspace)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocgenError(f"无法创建 {path.parent}：{exc.strerror or exc}") from None
    pid = os.getpid() if pid is None else pid
    host = socket.gethostname() if host is None else host
    token = uuid.uuid4().hex
    content = json.dumps(
        {
            "pid": pid,
            "host": host,
            "started_at": now.isoformat(timespec="seconds"),
            "as_of": as_of.isoformat() if as_of else "",
            "token": token,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    replaced = None
    for _ in range(5):
        if _create_exclusive(path, content):
            return RunLock(path, token, replaced)
        holder = _read_holder(path)
        if holder is None:  # released between our attempt and our look: try again
            continue
        if not lock_is_stale(holder, now, host):
            raise RunLockHeld(_held_message(path, holder))
        if _remove_stale(path, holder, now):
            replaced = holder
    raise RunLockHeld(_held_message(path, _read_holder(path) or LockHolder(b"")))


def _held_message(path: Path, holder: LockHolder) -> str:
    return (
        f"另一次 docgen run 正在进行（{holder.describe()}），本次没有生成任何文件，请稍后再运行。"
        f"如确认没有其他运行，可删除锁文件 {path}。"
    )


def _create_exclusive(path: Path, content: bytes) -> bool:
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except FileExistsError:
        return False
    except OSError as exc:
        raise DocgenError(f"无法创建锁文件 {path}：{exc.strerror or exc}") from None
    try:
        os.write(handle, content)
    finally:
        os.close(handle)
    return True


def _read_holder(path: Path) -> LockHolder | None:
    try:
        raw = path.read_bytes()
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        return LockHolder(b"")
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockHolder(
            raw=raw,
            pid=int(data["pid"]),
            host=str(data.get("host", "")),
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            as_of=str(data.get("as_of", "")),
            modified=modified,
        )
    except (ValueError, KeyError, TypeError):
        return LockHolder(raw=raw, modified=modified)


def lock_is_stale(holder: LockHolder, now: dt.datetime, host: str) -> bool:
    """A lock is stale when its process is gone (checked only on this computer), when it is
    older than LOCK_STALE_AFTER, or when it has had no readable content for a minute."""
    if holder.pid is None:
        return now.timestamp() - holder.modified > LOCK_UNREADABLE_GRACE.total_seconds()
    if holder.started_at and now - holder.started_at > LOCK_STALE_AFTER:
        return True
    if holder.host and holder.host != host:
        return False
    return not process_alive(holder.pid)


def _remove_stale(path: Path, holder: LockHolder, now: dt.datetime) -> bool:
    """Delete the stale lock, unless it changed since it was judged stale.

    Two runs may judge the same lock stale at once; a second lock file (O_EXCL as well) lets only
    one of them look again and delete, so neither deletes the fresh lock the other has created.
    """
    guard = path.with_name(path.name + ".takeover")
    if not _create_exclusive(guard, str(os.getpid()).encode()):
        with contextlib.suppress(OSError):
            if now.timestamp() - guard.stat().st_mtime > LOCK_UNREADABLE_GRACE.total_seconds():
                guard.unlink()  # left by a run that died while taking over
        return False
    try:
        current = _read_holder(path)
        if current is None or current.raw != holder.raw:
            return False
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # in use or read-only: leave it to the user (the message names it)
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            guard.unlink()


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (never signals it)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists but belongs to another user
        return True
    except OSError:
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but whose parent has not collected it (a killed run's worker
    whose parent was killed too, say) still answers os.kill; Linux tells it apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    # os.kill(pid, 0) would terminate the process on Windows; ask the kernel instead.
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == access_denied
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


# --- the run log ----------------------------------------------------------------------------


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
                if _create_exclusive(path, "\ufeff".encode()):
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
    inputs: Path,
    out_root: Path,
    as_of: dt.date | None,
    now: dt.datetime,
    force: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    planned: Callable[[int], None] | None = None,
) -> RunOutcome:
    """Produce what the calendar calls for on the as-of date, once.

    A date already done with the same inputs (checksums of every input file and docgen.toml) and
    whose folder is still there is not done again unless `force`. Everything is written into
    out_root/<as-of> through a staging folder, under the workspace's lock, with a log file, and
    the run is recorded in the history whatever its end. Raises ValidationFailed (bad data),
    RunLockHeld (another run), DocgenError (anything else a user can fix) after recording them.
    """
    from docgen.config import load_settings
    from docgen.errors import InputError

    inputs, out_root = Path(inputs), Path(out_root)
    if not inputs.is_dir():
        raise InputError(
            f"找不到输入文件夹 {inputs}，请用 --inputs 指定存放 measures.xlsx 的文件夹。"
        )
    try:
        settings = load_settings(inputs)
    except DocgenError as exc:
        if not dry_run:
            day = as_of or now.date()
            log = RunLog.create(inputs, now, day)
            log.write(f"未运行：{exc}", f"结果：{RUN_RESULTS['failed']}（退出码 {EXIT_FAILED}）")
            _record_unstarted(inputs, now, day, Decision(day), force, log, "failed", str(exc))
        raise
    day = as_of or settings.campaign.as_of or now.date()
    decision = due_on(settings, day)
    if dry_run:
        return _dry_run(inputs, out_root, day, now, decision, force)

    log = RunLog.create(inputs, now, day)
    log.write(
        "docgen 定时运行记录",
        f"开始时间：{now:%Y-%m-%d %H:%M:%S}",
        f"统计截止日期：{day.isoformat()}（{WEEKDAY_NAMES[day.isoweekday() - 1]}）",
        f"输入文件夹：{inputs.resolve()}",
        f"输出文件夹：{out_root.resolve()}",
        f"进程：{os.getpid()}，计算机：{socket.gethostname()}"
        + ("，选项：--force" if force else ""),
        *_decision_lines(decision),
    )
    try:
        lock = acquire_run_lock(inputs, now, day)
    except RunLockHeld as exc:
        log.write(f"未运行：{exc}", f"结果：{RUN_RESULTS['locked']}（退出码 {EXIT_LOCKED}）")
        _record_unstarted(inputs, now, day, decision, force, log, "locked", str(exc))
        raise
    with lock:
        if lock.replaced is not None:
            log.write(f"接管了失效的锁文件（{lock.replaced.describe()}，该运行已不存在）。")
        return _locked_run(
            inputs, out_root, day, now, decision, force, log, lock, progress, planned
        )


def _locked_run(inputs, out_root, day, now, decision, force, log, lock, progress, planned):
    from docgen.build import checksums_digest, input_checksums
    from docgen.history import finish_run, last_done_run, open_history, start_run

    outcome = RunOutcome(day, decision, "nothing-due", log=log.path, replaced_lock=lock.replaced)
    try:
        checksums, unreadable = input_checksums(inputs), None
    except DocgenError as exc:
        checksums, unreadable = {}, exc
    digest = checksums_digest(checksums)
    log.write("输入文件校验值（SHA-256）：", *(f"  {n}  {c}" for n, c in checksums.items()))
    with open_history(inputs) as db:
        outcome.run_id = start_run(
            db, now, day, checksums, digest, list(decision.documents), force, str(log.path)
        )
        outcome.previous = last_done_run(db, day)

    def finish(result, code, message="", **values):
        outcome.message = message
        with open_history(inputs) as db:
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
        result, campaign = _produce(inputs, out_root, day, now, decision, progress, planned)
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
    from docgen.documents.brief import snapshot
    from docgen.history import record_statuses

    with open_history(inputs) as db:
        record_statuses(db, outcome.run_id, snapshot(campaign.summary))
    if result is None:
        names = "、".join(DOCUMENT_KINDS[kind] for kind in decision.documents)
        finish(
            "nothing-due",
            EXIT_OK,
            f"按规则要生成{names}，但没有逾期或未反馈举措的部门，没有需要生成的文件。",
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
        + (f"输入数据有 {result.warnings} 条提示。" if result.warnings else ""),
        folder=str(result.folder.resolve()),
        outputs=relative,
        figures=campaign.summary.counts.to_dict(),
    )
    return outcome


def _produce(inputs, out_root, day, now, decision, progress, planned):
    from docgen.build import load_campaign, plan_size, publish, write_documents

    campaign = load_campaign(inputs, day, now.date())
    size = plan_size(campaign, decision.documents)
    if not size:
        # only urging was due and nobody is late: keep whatever the date's folder already holds
        return None, campaign
    if planned is not None:
        planned(size)
    extra = {
        "run": {
            "documents": list(decision.documents),
            "reasons": {kind: decision.reasons(kind) for kind in decision.documents},
        }
    }
    result = publish(
        campaign,
        inputs,
        out_root,
        now,
        lambda job: write_documents(job, decision.documents, decision.forms_due),
        progress,
        extra,
    )
    return result, campaign


def _record_unstarted(inputs, now, day, decision, force, log, result, message) -> None:
    """Record a run that stopped before it started: bad settings, or another run holds the lock
    (SQLite lets the two share the history)."""
    from docgen.build import checksums_digest, input_checksums
    from docgen.history import finish_run, open_history, start_run

    code = EXIT_LOCKED if result == "locked" else EXIT_FAILED
    try:
        checksums = input_checksums(inputs)
    except DocgenError:
        checksums = {}
    with open_history(inputs) as db:
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


def _dry_run(inputs, out_root, day, now, decision, force) -> RunOutcome:
    """What a run would do, writing nothing at all (not even the history or a log)."""
    from docgen.build import checksums_digest, input_checksums, load_campaign, plan_size
    from docgen.history import history_path, last_done_run, open_history

    outcome = RunOutcome(day, decision, "dry-run")
    if history_path(inputs).exists():
        with open_history(inputs) as db:
            outcome.previous = last_done_run(db, day)
    if not decision.documents:
        return outcome
    campaign = load_campaign(inputs, day, now.date())
    outcome.warnings = len(campaign.warnings)
    outcome.planned = {kind: plan_size(campaign, [kind]) for kind in decision.documents}
    previous = outcome.previous
    final = (out_root / day.isoformat()).resolve()
    if not force and _already_done(previous, checksums_digest(input_checksums(inputs)), final):
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
