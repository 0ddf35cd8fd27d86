"""Files that are whole or absent: atomic writes, file names valid on Windows, checksums, the
dated output folder swapped in one step, and the recovery after a run killed half way.

A file is written to a hidden temporary file beside it and renamed into place; a dated folder
is filled under a staging name beside it and swapped in when complete. Both kinds of temporary
name carry the process id, so that recover_outputs removes only what a process that no longer
runs has left.
"""

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from docgen.errors import OutputError
from docgen.text import xml_safe

TEMPORARY_SUFFIX = ".tmp"


def atomic_write_bytes(path, data: bytes, sync: bool = True) -> Path:
    """Write data to path through a temporary file in the same folder and a rename.

    A reader never sees a half-written file, and a failure leaves the old file as it was.
    With `sync` the data is on the disk before the rename (fsync), so that a power cut
    cannot leave an empty file in its place; a cache that reads such a file again does without.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, ending in .tmp and naming this process: never taken for a finished file, and
    # removed by recover_outputs once this process has gone (killed half way, say).
    descriptor, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(
            f"无法写入 {path}：{exc.strerror or exc}。如果该文件正在 Word 或 WPS 中打开，请先关闭。"
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


_FILENAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(
    r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE
)
# Characters kept of a name: 60 CJK characters are 180 bytes, which leaves room within the
# 255 bytes a Linux file name may take for the document's name, the suffix and a temporary name.
MAX_FILENAME_CHARACTERS = 60


def safe_filename(
    name: str, replacement: str = "_", max_length: int = MAX_FILENAME_CHARACTERS
) -> str:
    """A file name valid on Windows and Linux, e.g. for one document per department.

    Characters Windows forbids become `replacement`; leading and trailing spaces and trailing
    dots go; the name is cut to `max_length` characters; a name Windows reserves (CON, NUL,
    COM1, ...) gets `replacement` in front. Two names can come out the same ("a/b", "a:b"):
    validation refuses departments whose names would (see validation.filename_clashes).
    """
    text = _FILENAME_FORBIDDEN.sub(replacement, xml_safe(name).replace("\n", " "))
    text = text.strip()[:max_length].rstrip(". ").strip()
    if not text:
        text = replacement
    if _WINDOWS_RESERVED.match(text):
        text = replacement + text
    return text


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- processes --------------------------------------------------------------------------------


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


# --- the dated folder -------------------------------------------------------------------------


def staging_folder(final: Path) -> Path:
    """A new, empty folder beside `final` to fill before replace_folder swaps it in."""
    return Path(
        tempfile.mkdtemp(
            prefix=f".{final.name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX, dir=final.parent
        )
    )


def replace_folder(staging: Path, final: Path) -> None:
    """Move the finished folder into place; an earlier build of the same date is removed only after.

    Where the system can swap two folders in one step (Linux), the earlier build is never
    missing for an instant. Elsewhere it is renamed aside first (to .<date>.<pid>.old); if the
    run dies between the two renames, recover_outputs puts it back on the next run."""
    if final.exists():
        try:
            swapped = exchange_folders(staging, final)
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
        raise OutputError(f"无法写入 {final}：{exc.strerror or exc}") from None
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _not_replaced(final: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"无法替换 {final}：{exc.strerror or exc}。如其中的文件正在 Word、WPS 或 Excel 中打开，请先关闭。"
    )


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_folders(first: Path, second: Path) -> bool:
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
# had moved aside (see replace_folder), and temporary files (atomic_write_bytes).
_STAGING = re.compile(r"^\.\d{4}-\d{2}-\d{2}\.(?P<pid>\d+)\..+\.tmp$")
_RETIRED = re.compile(r"^\.(?P<date>\d{4}-\d{2}-\d{2})\.(?P<pid>\d+)\.old$")
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.tmp$")


def abandoned_temporary(name: str) -> bool:
    """Whether `name` is a temporary file of atomic_write_bytes whose process no longer runs."""
    match = _TEMPORARY.match(name)
    return bool(match) and not process_alive(int(match["pid"]))


def recover_outputs(out_root: Path, day: dt.date | None = None) -> list[str]:
    """Put an output folder in order after runs that were killed or crashed half way.

    A dated folder moved aside and not replaced goes back to its name (the earlier build comes
    back whole); one that was replaced, and staging folders, of processes that no longer run
    are removed, and so are their temporary files in the folder of `day` (the one about to be
    written; the other dates are left alone). Called before any command writes into out_root;
    returns what it did."""
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
            if abandoned_temporary(name):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()
                    done.append(f"removed {name}")
    return done
