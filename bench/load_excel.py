"""Benchmark the Excel readers docgen could use for its loading stage.

docgen reads the measures workbook and every feedback workbook *whole*: it looks for
the header row below the title rows, needs every cell as a Python value (dates as
dates) and keeps the Excel row number of every row.  This script times, in one process,
reading whole workbooks with

  (a) ``pandas.read_excel(path, header=None, dtype=object)`` -- default engine (openpyxl)
  (b) ``openpyxl.load_workbook(read_only=True, data_only=True)`` + ``ws.iter_rows(values_only=True)``
  (c) ``pandas.read_excel(path, header=None, dtype=object, engine="calamine")``
  (d) ``python_calamine.CalamineWorkbook.from_path(p).get_sheet_by_index(0)
      .to_python(skip_empty_area=False)``

Each reader runs ``--repeat`` times (default 3, round-robin so that drift in machine
load hits every reader alike); the best time is reported with rows/s and the speed-up
against (a).  The peak RSS of the benchmark process is read with ``resource.getrusage``
at the end.  Because memory freed by one reader stays in the process for the next, that
single figure cannot tell the readers apart, so each reader additionally reads each file
once in a fresh child process and its peak RSS (VmHWM there, see child_peak_rss_mb) is
shown in the table, with the part above the RSS after importing the reader's library
(skip with ``--no-child-rss``).

Afterwards every reader's result is compared cell by cell, by Excel row and column,
against (a) and against (b).  Only two things are normalised: a whole-number float
equals the same int, and a datetime at midnight equals the same date (for date cells).
Every other difference -- including how an empty cell is represented (None, NaN, ""),
rows of different length and equal values of different types -- is counted and reported
with examples.

Usage::

    python bench/load_excel.py                      # generate 50,000 + 5,000-row workbooks
    python bench/load_excel.py --rows 20000         # smaller feedback workbook
    python bench/load_excel.py --layout openpyxl    # openpyxl's inline-string files instead
    python bench/load_excel.py path/to/a.xlsx ...   # benchmark existing workbooks
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

Rows = list[list[Any]]


# --------------------------------------------------------------------------- readers


def read_pandas_default(path: Path) -> Any:
    import pandas as pd

    with warnings.catch_warnings():
        # pandas 3.1 warns that the default xlsx engine will change to calamine.
        warnings.filterwarnings("ignore", message=".*default engine.*")
        return pd.read_excel(path, header=None, dtype=object)


def read_openpyxl(path: Path) -> Any:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def read_pandas_calamine(path: Path) -> Any:
    import pandas as pd

    return pd.read_excel(path, header=None, dtype=object, engine="calamine")


def read_calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        wb.close()


READERS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "a": ("pandas.read_excel (default=openpyxl)", read_pandas_default),
    "b": ("openpyxl read_only iter_rows", read_openpyxl),
    "c": ("pandas.read_excel engine=calamine", read_pandas_calamine),
    "d": ("python-calamine to_python", read_calamine),
}


def as_rows(result: Any) -> Rows:
    """Turn a reader's result into a list of rows; list index i is Excel row i + 1."""
    if hasattr(result, "to_numpy"):  # DataFrame with header=None: RangeIndex 0..n-1
        if list(result.index) != list(range(len(result))):
            raise AssertionError("DataFrame index is not 0..n-1: Excel row numbers lost")
        return result.to_numpy(dtype=object).tolist()
    return [list(row) for row in result]


# ---------------------------------------------------------------------------- memory


def peak_rss_mb() -> float:
    """Peak RSS of this process from getrusage (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


_READER_IMPORTS = {"a": "pandas", "b": "openpyxl", "c": "pandas", "d": "python_calamine"}


def _vm_hwm_mb() -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def child_peak_rss_mb() -> float:
    """Peak RSS for a child process.

    On Linux a child's ru_maxrss starts at the size of the parent at fork/exec time (the
    kernel carries the old address space's high-water mark across execve), so a child of
    a big benchmark process would report the parent's size; VmHWM belongs to the child's
    own address space.  Elsewhere fall back to getrusage.
    """
    hwm = _vm_hwm_mb()
    return hwm if hwm is not None else peak_rss_mb()


def rss_child(key: str, path: Path) -> None:
    """Run in a fresh process: import what reader `key` needs, read once, print peaks."""
    importlib.import_module(_READER_IMPORTS[key])
    before = child_peak_rss_mb()
    result = READERS[key][1](path)
    print(f"{before:.1f} {child_peak_rss_mb():.1f} {len(result)}")


def isolated_rss(key: str, path: Path) -> tuple[float, float]:
    """(RSS after imports, peak RSS) of reading `path` once with `key` in a child process."""
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", key, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


# ------------------------------------------------------------------------ comparison


class _Absent:
    def __repr__(self) -> str:
        return "<no cell>"


ABSENT = _Absent()


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _is_empty(v: Any) -> bool:
    return v is None or v is ABSENT or v == "" or _is_nan(v)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _tname(v: Any) -> str:
    if v is ABSENT:
        return "no cell"
    if _is_nan(v):
        return "nan"
    if v == "" and isinstance(v, str):
        return "''"
    return type(v).__name__


def classify(x: Any, y: Any) -> str:
    """Return 'same', 'normalised: ...', or a description of the difference."""
    if type(x) is type(y) and (x == y or (_is_nan(x) and _is_nan(y))):
        return "same"
    if _is_empty(x) and _is_empty(y):
        return f"empty cell: {_tname(x)} vs {_tname(y)}"
    if _is_number(x) and _is_number(y):
        if x == y and float(x).is_integer():
            return "normalised: int vs whole float"
        return "VALUE: number differs" if x != y else f"type: {_tname(x)} vs {_tname(y)}"
    if isinstance(x, date) and isinstance(y, date):
        dx = x.date() if isinstance(x, datetime) and x.time() == datetime.min.time() else x
        dy = y.date() if isinstance(y, datetime) and y.time() == datetime.min.time() else y
        if isinstance(x, datetime) != isinstance(y, datetime):
            if type(dx) is date and type(dy) is date and dx == dy:
                return "normalised: datetime vs date"
            return f"VALUE: {_tname(x)} vs {_tname(y)}"
        if x == y:
            return f"type: {_tname(x)} vs {_tname(y)}"
        return "VALUE: date differs"
    if type(x) is type(y):
        return f"VALUE: {_tname(x)} differs"
    return f"VALUE: {_tname(x)} vs {_tname(y)}"


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def compare(ref: Rows, other: Rows, max_examples: int = 3) -> tuple[Counter[str], dict]:
    """Compare two readers' rows cell by cell (Excel row = index + 1)."""
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for i in range(max(len(ref), len(other))):
        rx = ref[i] if i < len(ref) else []
        ry = other[i] if i < len(other) else []
        if i >= len(ref) or i >= len(other):
            kind = "row only in " + ("reference" if i >= len(other) else "other")
            counts[kind] += 1
            examples.setdefault(kind, [])
            if len(examples[kind]) < max_examples:
                examples[kind].append(f"row {i + 1}: {rx or ry!r}"[:160])
            continue
        for j in range(max(len(rx), len(ry))):
            x = rx[j] if j < len(rx) else ABSENT
            y = ry[j] if j < len(ry) else ABSENT
            kind = classify(x, y)
            counts[kind] += 1
            if kind != "same" and not kind.startswith("normalised"):
                ex = examples.setdefault(kind, [])
                if len(ex) < max_examples:
                    ex.append(f"{_col_letters(j + 1)}{i + 1}: {x!r:.60} vs {y!r:.60}")
    return counts, examples


# ------------------------------------------------------------------------------ main


def versions() -> str:
    parts = []
    for dist in ("pandas", "openpyxl", "python-calamine", "lxml"):
        try:
            parts.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist} (not installed)")
    return ", ".join(parts)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def generate(out: Path, rows: int, measures: int, layout: str) -> list[Path]:
    """Generate the workbooks in a child process so its memory does not count here."""
    cmd = [
        sys.executable,
        str(HERE / "make_large_workbook.py"),
        "--out",
        str(out),
        "--rows",
        str(rows),
        "--measures",
        str(measures),
        "--layout",
        layout,
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(f"generated workbooks in {time.perf_counter() - t0:.1f} s (child process) in {out}")
    suffix = "" if layout == "excel" else "_openpyxl"
    return [out / f"feedback_{rows}{suffix}.xlsx", out / f"measures_{measures}{suffix}.xlsx"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="workbooks to read (default: generate)")
    ap.add_argument(
        "--rows", type=int, default=50000, help="rows of the generated feedback workbook"
    )
    ap.add_argument(
        "--measures", type=int, default=5000, help="rows of the generated measures workbook"
    )
    ap.add_argument(
        "--layout",
        choices=("excel", "openpyxl"),
        default="excel",
        help="layout of generated workbooks (see make_large_workbook.py)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per reader; the best counts")
    ap.add_argument("--readers", default="abcd", help="subset of readers to run, e.g. 'ad'")
    ap.add_argument("--out", type=Path, default=None, help="keep generated workbooks here")
    ap.add_argument(
        "--no-child-rss", action="store_true", help="skip the per-reader child-process RSS runs"
    )
    ap.add_argument("--rss-child", metavar="KEY", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.rss_child:
        rss_child(args.rss_child, args.paths[0])
        return 0

    readers = [k for k in args.readers if k in READERS]
    if "a" not in readers:
        readers.insert(0, "a")  # the reference for ratios and comparisons

    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs ({cpu_model()})"
    )
    print(versions())

    # Import the libraries now so that no timed run pays for an import.
    for module in sorted({_READER_IMPORTS[k] for k in readers}):
        importlib.import_module(module)

    tmpdir = None
    paths = args.paths
    if not paths:
        out = args.out
        if out is None:
            tmpdir = tempfile.mkdtemp(prefix="docgen-bench-")
            out = Path(tmpdir)
        paths = generate(out, args.rows, args.measures, args.layout)

    print(f"peak RSS before reading: {peak_rss_mb():.0f} MB")
    table = []
    try:
        for path in paths:
            size_mb = path.stat().st_size / 1e6
            times: dict[str, list[float]] = {k: [] for k in readers}
            child: dict[str, tuple[float, float] | None] = dict.fromkeys(readers)
            nrows: dict[str, int] = {}
            for _ in range(args.repeat):
                for key in readers:
                    fn = READERS[key][1]
                    gc.collect()
                    t0 = time.perf_counter()
                    result = fn(path)
                    times[key].append(time.perf_counter() - t0)
                    nrows[key] = len(result)
                    del result
            if not args.no_child_rss:
                for key in readers:
                    child[key] = isolated_rss(key, path)
            for key in readers:
                table.append((path.name, size_mb, key, nrows[key], times[key], child[key]))
            print_table([r for r in table if r[0] == path.name], args.repeat)

        print(
            f"\npeak RSS of this benchmark process (resource.getrusage): {peak_rss_mb():.0f} MB"
            " (all timing runs; before the comparison below)"
        )

        print("\nCell-by-cell comparison (Excel row = list index + 1)")
        strict, values = True, True
        for path in paths:
            s_ok, v_ok = verify(path, readers)
            strict &= s_ok
            values &= v_ok
        if strict:
            verdict = "all readers return the same cells (after the two allowed normalisations)"
        elif values:
            verdict = (
                "no reader returns a different non-empty value, but they differ in how empty "
                "cells/short rows or value types are represented -- see above"
            )
        else:
            verdict = "readers return DIFFERENT VALUES -- see above"
        print("\nVERDICT: " + verdict)
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


def print_table(rows: list[tuple], repeat: int) -> None:
    name, size_mb = rows[0][0], rows[0][1]
    best_a = min(next(r for r in rows if r[2] == "a")[4])
    print(
        f"\n{name} ({size_mb:.1f} MB), best of {repeat}; RSS columns: one read in a child process"
    )
    head = (
        f"{'reader':<44} {'rows':>7} {'best s':>7} {'rows/s':>9} {'vs (a)':>7}"
        f" {'peak RSS':>9} {'by read':>9}  all runs (s)"
    )
    print(head)
    print("-" * len(head))
    for _, _, key, n, times, child in rows:
        best = min(times)
        runs = " ".join(f"{t:.2f}" for t in times)
        label = f"({key}) {READERS[key][0]}"
        rss = (
            f"{child[1]:>6.0f} MB {child[1] - child[0]:>6.0f} MB" if child else f"{'-':>9} {'-':>9}"
        )
        print(
            f"{label:<44} {n:>7} {best:>7.2f} {n / best:>9,.0f} {best_a / best:>6.1f}x {rss}  {runs}"
        )


def verify(path: Path, readers: list[str]) -> tuple[bool, bool]:
    """Compare every reader against (a) and (b).

    Returns (strict, values): strict is True if nothing but the two allowed
    normalisations differs; values is True if no non-empty value differs.
    """
    results = {key: as_rows(READERS[key][1](path)) for key in readers}
    agree = values_agree = True
    refs = [k for k in ("a", "b") if k in results]
    print(
        f"\n{path.name}: rows returned " + ", ".join(f"({k}) {len(r)}" for k, r in results.items())
    )
    for ref in refs:
        for key in readers:
            if key == ref or (ref == "b" and key == "a"):
                continue
            counts, examples = compare(results[ref], results[key])
            other = {
                k: v for k, v in counts.items() if k != "same" and not k.startswith("normalised")
            }
            value_diffs = sum(v for k, v in other.items() if k.startswith(("VALUE", "row only")))
            agree &= not other
            values_agree &= not value_diffs
            total = sum(counts.values())
            norm = {k: v for k, v in counts.items() if k.startswith("normalised")}
            status = (
                "identical"
                if not other and not norm
                else ("equal after normalising" if not other else "DIFFERENT")
            )
            print(
                f"  ({key}) vs ({ref}): {status}; {total:,} cells, {counts['same']:,} same"
                + "".join(f", {v:,} {k}" for k, v in sorted(norm.items()))
            )
            for kind, n in sorted(other.items()):
                print(f"      {n:>8,}  {kind}   e.g. " + " | ".join(examples.get(kind, [])))
            if other and not value_diffs:
                print("      (no differing non-empty values: only representation differences)")
    return agree, values_agree


if __name__ == "__main__":
    raise SystemExit(main())
