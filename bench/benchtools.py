"""Helpers the benchmarks share: the machine they ran on, and the peak memory of a command with
every process it starts (docgen's worker processes included)."""

import compileall
import contextlib
import functools
import importlib.util
import os
import platform
import subprocess
import threading
import time
from importlib import metadata
from pathlib import Path


def machine() -> str:
    """One line: CPU model and count, memory, OS, Python and the libraries that matter."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    libraries = []
    for name in (
        "docxtpl",
        "python-docx",
        "lxml",
        "jinja2",
        "openpyxl",
        "python-calamine",
        "pandas",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            libraries.append(f"{name} {metadata.version(name)}")
    return (
        f"{model or 'unknown CPU'}, {os.cpu_count()} CPUs{memory}, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}; {', '.join(libraries)}"
    )


def compile_docgen() -> str:
    """Compile docgen's modules to bytecode, as installing the package does (pip compiles what it
    installs), and say so: with PYTHONDONTWRITEBYTECODE set, or from a source tree that was never
    run, every `python -m docgen` the benchmark times would otherwise compile them again (about
    0.15 s a run, the same in every command, which would blur the ratios between them)."""
    import docgen

    folder = Path(docgen.__file__).parent
    done = compileall.compile_dir(folder, quiet=1)
    state = "compiled" if done else "could not all be compiled"
    return f"docgen's bytecode {state} before timing, as an installed package has it ({folder})"


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            children = []
            for task in tasks:
                text = (task / "children").read_text().split()
                children.extend(int(child) for child in text)
        except OSError:
            continue
        found.extend(children)
        todo.extend(children)
    return found


class TreeMemory:
    """Samples, every few milliseconds, the resident memory of a process and all its descendants.

    `peak_total_mb` is the largest sum seen (pages a forked worker shares with its parent are
    counted twice, so it errs high); `peak_single_mb` the largest single process. Linux only:
    elsewhere both stay 0.
    """

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid, self.interval = pid, interval
        self.peak_total_mb = self.peak_single_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [_rss_kb(pid) for pid in [self.pid, *_descendants(self.pid)]]
            self.peak_total_mb = max(self.peak_total_mb, sum(sizes) / 1024)
            self.peak_single_mb = max(self.peak_single_mb, max(sizes, default=0) / 1024)
            self._stop.wait(self.interval)


def run_measured(
    command: list[str], **kwargs
) -> tuple[float, TreeMemory, subprocess.CompletedProcess]:
    """Run a command to its end: (wall seconds, its memory, the completed process)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return elapsed, memory, done


@functools.lru_cache(maxsize=2)
def naive_module(path: str):
    """The naive loop's module (../shared/bench/naive_docxtpl.py), imported from its file."""
    spec = importlib.util.spec_from_file_location("naive_docxtpl", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_naive_form(task: tuple[str, str, int, int, str]) -> str:
    """One form of the naive benchmark's content, written through docgen's prepared template
    (a worker function for docgen.rendering.map_in_workers)."""
    from docgen.rendering import prepare, write_soon

    template, naive_path, index, measures, out = task
    document = prepare(template).render(naive_module(naive_path).ctx(index, measures))
    return str(write_soon(Path(out) / f"form_{index}.docx", document))


def _spin(n: int = 10_000_000) -> None:
    total = 0
    for i in range(n):
        total += i


def parallel_capacity() -> float:
    """How many CPUs' worth of Python this machine gives two processes right now: the time of
    one busy loop, doubled, over the time of two of them run side by side (2.0 on two idle
    cores; a shared or busy virtual machine gives less). Worker processes can gain no more."""
    import multiprocessing

    started = time.perf_counter()
    _spin()
    one = time.perf_counter() - started
    processes = [multiprocessing.Process(target=_spin) for _ in range(2)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return 2 * one / (time.perf_counter() - started)
