"""Runs killed with SIGKILL at random points (seeded), as a power cut or an impatient scheduler
would: no partial file under a final name, the next run completes and tidies up, and complete
outputs of earlier runs are never destroyed (a same-date build is intact or wholly replaced)."""

import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_workspaces import NOW, assert_outputs_sound, make_workspace, run_cli

from docgen.build import build
from docgen.files import recover_outputs
from docgen.workspace import open_workspace

pytestmark = pytest.mark.skipif(
    not hasattr(os, "killpg"), reason="SIGKILL of a process group is POSIX"
)

EARLIER, DAY = dt.date(2026, 6, 8), dt.date(2026, 6, 15)
# More departments than docgen.rendering.workers.PARALLEL_FROM, so that the forms are written by
# worker processes.
DEPARTMENTS = [f"第{n}处" for n in range(1, 26)]
SEED = 20260615


def _campaign(root: Path) -> Path:
    measures = [
        [
            f"M-{n:02d}",
            "以案促改",
            "",
            f"落实第{n}项整改",
            "制度完善",
            name,
            "",
            "",
            "2026-06-10",
            "",
        ]
        for n, name in enumerate(DEPARTMENTS, start=1)
    ]
    feedback = {
        "汇总.xlsx": [
            [f"M-{n:02d}", name, "推进中", "正在推进", None, "", "", "", "", dt.date(2026, 6, 1)]
            for n, name in enumerate(DEPARTMENTS[:20], start=1)
        ]
    }
    return make_workspace(root, measures, feedback, config=None)


def _checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _complete(folder: Path) -> bool:
    """The folder is one whole build: its manifest lists exactly the files there, unchanged."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {entry["file"]: entry["sha256"] for entry in manifest["outputs"]}
    present = _checksums(folder)
    present.pop("manifest.json")
    return present == listed


def _command(*args) -> list[str]:
    return [sys.executable, "-m", "docgen", *map(str, args)]


def _run_until_killed(command: list[str], after: float) -> int:
    """Start command in its own process group, SIGKILL the whole group after `after` seconds."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def _kill_times(duration: float, count: int, seed: int) -> list[float]:
    """Kill points spread over the whole run: one in each of `count` equal slices of it."""
    rng = random.Random(seed)
    return [duration * (slot + rng.random()) / count for slot in range(count)]


def _leftovers(out: Path) -> list[str]:
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".")]
    return hidden + [p.name for p in out.rglob("*.tmp")]


# A rebuild takes unchanged documents from the build before (docgen.reuse); --force renders
# every one again. Killed either way, the guarantees hold.
@pytest.mark.parametrize("options", [(), ("--force",)], ids=["taking-unchanged", "force"])
def test_a_build_killed_at_random_points(tmp_path, options):
    workspace = _campaign(tmp_path / "ws")
    out = tmp_path / "out"
    earlier = build(open_workspace(workspace, EARLIER, EARLIER), out, NOW).folder
    earlier_files = _checksums(earlier)
    build(open_workspace(workspace, DAY, DAY), out, NOW)
    command = _command("build", "--inputs", workspace, "--out", out, "--as-of", DAY, *options)
    duration = _timed(command)
    for after in _kill_times(duration, 5, SEED):
        _run_until_killed(command, after)
        assert _checksums(earlier) == earlier_files, "a build of another date was touched"
        assert _complete(out / DAY.isoformat()), f"killed after {after:.2f}s: not one whole build"
        assert_outputs_sound(out, quick=True)
        result = build(open_workspace(workspace, DAY, DAY), out, NOW)  # the next run
        assert _complete(result.folder)
        assert _leftovers(out) == [], after
    assert _checksums(earlier) == earlier_files
    assert_outputs_sound(out)


def test_a_forms_batch_killed_at_random_points(tmp_path):
    workspace = _campaign(tmp_path / "ws")
    out = tmp_path / "out"
    earlier = build(open_workspace(workspace, EARLIER, EARLIER), out, NOW).folder
    earlier_files = _checksums(earlier)
    command = _command("forms", "--inputs", workspace, "--out", out, "--as-of", DAY)
    duration = _timed(command)
    forms = out / DAY.isoformat() / "反馈表"
    expected = sorted(p.name for p in forms.iterdir())
    assert len(expected) == 2 * len(DEPARTMENTS)
    for after in _kill_times(duration, 4, SEED + 1):
        _run_until_killed(command, after)
        assert_outputs_sound(out, quick=True)  # each form there is whole; temporaries are hidden
        assert _checksums(earlier) == earlier_files
        result = run_cli("forms", "--inputs", workspace, "--out", out, "--as-of", DAY)
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in forms.iterdir()) == expected
        assert _leftovers(out) == [], after


# Dies right after moving the earlier folder of the date aside, before moving the new one in:
# the one moment a system without an atomic folder swap (Windows, macOS) is exposed.
DIE_BETWEEN_THE_RENAMES = """
import os, pathlib, sys
import docgen.files as files
files.exchange_folders = lambda first, second: False
rename = pathlib.Path.rename
def dying_rename(self, target):
    moved = rename(self, target)
    if str(target).endswith(".old"):
        os._exit(9)
    return moved
pathlib.Path.rename = dying_rename
from docgen.cli import main
main(sys.argv[1:], prog_name="docgen")
"""


@pytest.mark.parametrize("next_command", ["build", "forms"])
def test_a_run_that_dies_between_the_two_renames_is_recovered(tmp_path, next_command):
    workspace = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    first = build(open_workspace(workspace, DAY, DAY), out, NOW).folder
    first_files = _checksums(first)
    arguments = ["build", "--inputs", workspace, "--out", out, "--as-of", DAY]
    died = subprocess.run(
        [sys.executable, "-c", DIE_BETWEEN_THE_RENAMES, *map(str, arguments)],
        capture_output=True,
        timeout=300,
    )
    assert died.returncode == 9
    assert not first.exists()
    (retired,) = [p for p in out.iterdir() if p.name.endswith(".old")]
    assert _checksums(retired) == first_files  # set aside whole, waiting to be put back
    assert_outputs_sound(out)

    if next_command == "build":
        result = build(open_workspace(workspace, DAY, DAY), out, NOW)
        assert _complete(result.folder)
    else:
        result = run_cli("forms", "--inputs", workspace, "--out", out, "--as-of", DAY)
        assert result.exit_code == 0, result.output
        unchanged = {k: v for k, v in _checksums(first).items() if not k.startswith("反馈表/")}
        assert unchanged == {k: v for k, v in first_files.items() if not k.startswith("反馈表/")}
    assert _leftovers(out) == []


def test_recovery_puts_back_a_folder_moved_aside_and_leaves_live_runs_alone(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    first = build(open_workspace(workspace, DAY, DAY), out, NOW).folder
    files = _checksums(first)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead = int(gone.stdout)
    first.rename(out / f".{DAY}.{dead}.old")
    (out / f".{DAY}.{dead}.x1y2.tmp" / "反馈表").mkdir(parents=True)
    live = out / f".{DAY}.{os.getpid()}.abcd.tmp"
    live.mkdir()
    done = recover_outputs(out, DAY)
    assert f"restored {DAY}" in done
    assert _checksums(first) == files
    assert sorted(p.name for p in out.iterdir()) == sorted([DAY.isoformat(), live.name])
