"""The lock that keeps two `docgen run` of one workspace from writing at once: a file created
atomically (O_CREAT | O_EXCL) under .docgen/, holding the process, the computer and the time, and
taken over when its run is gone. Works the same on Windows and POSIX.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError
from docgen.files import process_alive
from docgen.history import HISTORY_FOLDER

# Exit code of a run that found the lock held: try again later (EX_TEMPFAIL of sysexits.h).
EXIT_LOCKED = 75

LOCK_NAME = "run.lock"
# A lock whose process cannot be checked (another computer sharing the folder) or whose pid may
# have been reused is taken over when it is older than this; a run takes minutes, not hours.
LOCK_STALE_AFTER = dt.timedelta(hours=12)
# A lock file with no readable content is being written, unless it is older than this.
LOCK_UNREADABLE_GRACE = dt.timedelta(seconds=60)


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
        if create_exclusive(path, content):
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


def create_exclusive(path: Path, content: bytes) -> bool:
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
    if not create_exclusive(guard, str(os.getpid()).encode()):
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
