"""The whole `docgen build` on a province-scale workspace, with the time of each stage.

The workspace (bench/make_province.py: 500 departments, 3,000 measures, 30,000 feedback rows) is
made once and kept with --workspace. Then:

1. A run: `python -m docgen build` as a user runs it, on a fresh copy of the workspace, timed
   from outside with the peak memory of all its processes (workers included): the figure the
   30 s / 1.5 GB target is about. Then `python -m docgen forms` on another fresh copy (so that
   neither finds the tables the other read, validation.TableCache). Then rebuilds into the
   build's folder, as a scheduled run makes them (docgen.reuse; the tables read before are taken
   from the workspace's cache): first with nothing changed, then after one department's return
   changes one row (a measure reported done), with the files each rebuild rendered again, read
   from its manifest. Each run has a user cache of its own (DOCGEN_CACHE_DIR) holding the
   compiled templates, as a machine that has built before has them, and no chart: the build
   draws its charts as a new day's build does, and the rebuild after one return draws those
   whose figures the return changed. (A cache kept between runs would hold the changed charts
   from the run before, and the rebuild would not draw them.)
2. The run is made --repeat times (default 3). Each ratio is taken within a run, of commands
   made one after the other, and the median of the runs is printed against its target (issue
   17: the whole build at most 2.5 times the forms alone; the rebuild after one return at most
   25% of the full build): on a shared machine one minute can be a fifth slower than the next,
   and it slows both sides of a ratio taken within it alike.
3. The same work in this process, stage by stage: load_campaign (read and validate, the
   tables taken from the cache the builds above filled; then summarise_progress timed on its
   own), then each kind of document docgen.build.write_documents writes, one after the other
   (a build writes the single documents side by side on a campaign this large), inside
   build.publish (the staging folder, the manifest and the swap into place are the last
   stage).
4. With --baseline, stage 3 again with the fast paths off (every document through render_bytes,
   the Excel forms through openpyxl, no worker processes), measured in the same run.

docgen's modules are compiled to bytecode first, as an installed package has them.

    python bench/build_province.py [--workspace DIR] [--baseline] [--target 30] [--ratio 2.5]
        [--rebuild-ratio 0.25] [--repeat 3]
"""

import argparse
import collections
import contextlib
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchtools import compile_docgen, machine, parallel_capacity, run_measured  # noqa: E402
from make_province import (  # noqa: E402
    AS_OF,
    add_workspace_arguments,
    ensure_workspace,
    size_line,
)


def stages(job, timings: dict[str, float]) -> list[Path]:
    """What docgen.build.write_documents writes for `build`, one kind of document at a time, timed."""
    from docgen.documents.registry import documents_for

    written = []
    for kind in documents_for(["build"]):
        started = time.perf_counter()
        paths = kind.write(replace(job, out_dir=job.out_dir / kind.folder) if kind.folder else job)
        timings[f"{kind.name} ({kind.key}): {len(paths)} files"] = time.perf_counter() - started
        written += paths
    return written


def run_stages(workspace: Path, out: Path) -> dict[str, float]:
    import docgen.build
    from docgen.build import load_campaign, publish
    from docgen.workspace import open_workspace

    timings = {}
    aggregating = {}
    summarise = docgen.build.summarise_progress

    def timed_summary(*args, **kwargs):
        started = time.perf_counter()
        summary = summarise(*args, **kwargs)
        aggregating["seconds"] = time.perf_counter() - started
        return summary

    started = time.perf_counter()
    with mock.patch.object(docgen.build, "summarise_progress", timed_summary):
        campaign = load_campaign(open_workspace(workspace, AS_OF, AS_OF))
    timings["read + validate (tables cached)"] = (
        time.perf_counter() - started - aggregating["seconds"]
    )
    timings["aggregate (summarise_progress)"] = aggregating["seconds"]
    now = dt.datetime.combine(AS_OF, dt.time(9))
    started = time.perf_counter()
    before = dict(timings)
    publish(campaign, out, now, lambda job: stages(job, timings))
    writing = sum(v for k, v in timings.items() if k not in before)
    timings["manifest and swap into place"] = time.perf_counter() - started - writing
    return timings


@contextlib.contextmanager
def slow_paths():
    """docgen without its fast paths: render_bytes for every document, openpyxl for every Excel
    form and the ledger, one process."""
    from docgen.documents.feedback_form import workbook
    from docgen.documents.ledger import workbook as ledger
    from docgen.rendering import prepared, workers

    def through_docxtpl(self, context, when=None):
        return self._render_with_docxtpl(context, when)

    def through_openpyxl(form, when=None):
        import io

        from docgen.rendering import document_time, stamp_office_file

        buffer = io.BytesIO()
        workbook.openpyxl_form(form).save(buffer)
        return stamp_office_file(buffer.getvalue(), when or document_time(form.as_of))

    def ledger_through_openpyxl(summary, settings):
        import io

        from docgen.rendering import document_time, stamp_office_file

        buffer = io.BytesIO()
        ledger.build_ledger(summary, settings).save(buffer)
        return stamp_office_file(buffer.getvalue(), document_time(summary.as_of))

    with (
        mock.patch.object(prepared.PreparedTemplate, "render", through_docxtpl),
        mock.patch.object(workers, "PARALLEL_FROM", 10**9),
        mock.patch("docgen.documents.feedback_form.form_workbook_bytes", through_openpyxl),
        mock.patch.object(ledger, "ledger_bytes", ledger_through_openpyxl),
    ):
        yield


def print_stages(timings: dict[str, float], baseline: dict[str, float] | None) -> None:
    header = f"{'stage':<52}{'seconds':>9}"
    if baseline:
        header += f"{'slow paths':>12}{'ratio':>8}"
    print(header)
    for name, seconds in timings.items():
        line = f"{name:<52}{seconds:>9.2f}"
        if baseline:
            slow = baseline[name]
            line += f"{slow:>12.2f}{slow / seconds:>7.1f}x"
        print(line)
    total = sum(timings.values())
    line = f"{'total':<52}{total:>9.2f}"
    if baseline:
        slow_total = sum(baseline.values())
        line += f"{slow_total:>12.2f}{slow_total / total:>7.1f}x"
    print(line)


def run_docgen(command: str, workspace: Path, out: Path, cache: Path, as_of: dt.date = AS_OF):
    """`docgen COMMAND` on the workspace as of `as_of` with `cache` as the user's cache, timed
    from outside: (seconds, memory, files written), or None (with the end of its error output
    printed) when it fails."""
    arguments = [sys.executable, "-m", "docgen", command, "--inputs", str(workspace)]
    arguments += ["--out", str(out), "--as-of", as_of.isoformat()]
    environment = {**os.environ, "DOCGEN_CACHE_DIR": str(cache)}
    elapsed, memory, done = run_measured(arguments, env=environment)
    if done.returncode != 0:
        print(done.stderr.decode()[-3000:])
        return None
    files = sum(1 for p in (out / as_of.isoformat()).rglob("*") if p.is_file())
    return elapsed, memory, files


# What a user's cache keeps that does not depend on the day's figures: compiled templates and
# their variables (rendering.kept). Its charts are left out.
KEPT_ACROSS_DAYS = ("templates", "variables")


def warm_cache(source: Path, folder: Path) -> Path | None:
    """A user cache as a machine that has built before has it, made by a build of the day
    before (untimed) on a copy of its own: the folder, or None when that build fails."""
    cache = folder / "cache"
    fresh_copy(source, folder / "workspace")
    before = AS_OF - dt.timedelta(days=1)
    if run_docgen("build", folder / "workspace", folder / "out", cache, before) is None:
        return None
    return cache


def report_one_measure_done(workspace: Path) -> str:
    """One department's return now says one of its open measures is done: one row of one form
    changes (a department with a single form, so that the row is its latest word)."""
    import openpyxl

    forms = collections.Counter(p.name.split("_")[0] for p in workspace.glob("feedback/*.xlsx"))
    path = next(
        p for p in sorted(workspace.glob("feedback/*.xlsx")) if forms[p.name.split("_")[0]] == 1
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[2]]
    row = next(
        r for r in sheet.iter_rows(min_row=3) if r[header.index("完成状态")].value != "已完成"
    )
    row[header.index("完成状态")].value = "已完成"
    row[header.index("进展情况")].value = "已按期完成，形成工作台账1份"
    row[header.index("完成时间")].value = dt.datetime.combine(AS_OF, dt.time()) - dt.timedelta(
        days=2
    )
    workbook.save(path)
    return f"{row[0].value} of {path.name}"


def fresh_copy(workspace: Path, to: Path) -> None:
    """The workspace's inputs without what runs on it remember (.docgen: history, table cache)."""
    shutil.copytree(workspace, to, ignore=shutil.ignore_patterns(".docgen"))


def rendered_again(out: Path) -> list[str]:
    """The files the last build into `out` rendered rather than took from the build before."""
    manifest = json.loads((out / AS_OF.isoformat() / "manifest.json").read_text("utf-8"))
    return [entry["file"] for entry in manifest["outputs"] if not entry.get("reused")]


def each(values: list[float], digits: int = 1) -> str:
    """The runs a median was taken of, for the line that prints it."""
    if len(values) < 2:
        return ""
    shown = ", ".join(f"{v:.{digits}f}" for v in values)
    return f" (median of {len(values)} runs: {shown})"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_workspace_arguments(parser)
    parser.add_argument("--baseline", action="store_true", help="also time the slow paths")
    parser.add_argument("--target", type=float, default=30.0)
    parser.add_argument("--memory-target", type=float, default=1536.0, help="MB")
    parser.add_argument(
        "--ratio", type=float, default=2.5, help="the build at most this times `docgen forms`"
    )
    parser.add_argument(
        "--rebuild-ratio",
        type=float,
        default=0.25,
        help="a rebuild after one changed return at most this share of the full build",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the whole sequence; medians are printed"
    )
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="docgen-build-"))
    source = ensure_workspace(args, root)
    print(machine())
    print(compile_docgen())
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes")
    print(size_line(args))

    warm = warm_cache(source, root / "warm")
    if warm is None:
        return 1
    runs = []
    for run in range(max(args.repeat, 1)):
        found = run_sequence(source, root / f"run-{run}", warm)
        if found is None:
            return 1
        runs.append(found)
        print(
            f"run {run + 1}: build {found['build']:.1f} s, forms {found['forms']:.1f} s, "
            f"rebuild unchanged {found['unchanged']:.1f} s, after one return "
            f"{found['one_row']:.1f} s; capacity {found['capacity']:.2f} CPUs"
        )
    print()

    def median(key: str) -> float:
        return statistics.median(found[key] for found in runs)

    elapsed = median("build")
    peak_total = max(found["memory"].peak_total_mb for found in runs)
    peak_single = max(found["memory"].peak_single_mb for found in runs)
    time_ok = elapsed < args.target
    memory_ok = peak_total < args.memory_target
    print(
        f"`docgen build`: {elapsed:.1f} s{each([f['build'] for f in runs])} "
        f"(target {args.target:.0f} s: {verdict(time_ok)})"
    )
    print(
        f"  peak RSS {peak_total:.0f} MB over all processes, largest process "
        f"{peak_single:.0f} MB (target {args.memory_target:.0f} MB: {verdict(memory_ok)}); "
        f"{runs[0]['files']:,} files"
    )
    print(f"`docgen forms`: {median('forms'):.1f} s{each([f['forms'] for f in runs])}")
    # Each ratio is taken within a run, of commands run one after the other, then the median
    # of the runs: a machine slowed for a minute slows both sides of a ratio alike.
    ratios = [found["build"] / found["forms"] for found in runs]
    ratio = statistics.median(ratios)
    ratio_ok = ratio <= args.ratio
    print(
        f"`docgen build` / `docgen forms`: {ratio:.2f}x{each(ratios, digits=2)} "
        f"(target at most {args.ratio:g}x: {verdict(ratio_ok)})"
    )
    last = runs[-1]
    for key, what, limit in (
        ("unchanged", "rebuild, nothing changed", None),
        ("one_row", f"rebuild after one return changed ({last['changed']})", args.rebuild_ratio),
    ):
        shares = [found[key] / found["build"] for found in runs]
        share = statistics.median(shares)
        ok = limit is None or share <= limit
        target = "" if limit is None else f" (target at most {limit:.0%}: {verdict(ok)})"
        rendered = last[f"{key}_rendered"]
        listed = f": {', '.join(rendered)}" if 0 < len(rendered) <= 12 else ""
        print(
            f"{what}: {median(key):.1f} s{each([f[key] for f in runs])}, "
            f"{share:.0%} of the full build{each([100 * s for s in shares], digits=0)}{target}; "
            f"{len(rendered)} files rendered{listed}"
        )
        if limit is not None:
            rebuild_ok = ok
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes\n")

    workspace = root / f"run-{len(runs) - 1}" / "workspace"
    timings = run_stages(workspace, root / "stages")
    baseline = None
    if args.baseline:
        with slow_paths():
            baseline = run_stages(workspace, root / "slow")
    print("the same build in this process, stage by stage:")
    print_stages(timings, baseline)
    print(f"\nparallel capacity at the end: {parallel_capacity():.2f} CPUs for two processes")
    shutil.rmtree(root, ignore_errors=True)
    return 0 if time_ok and memory_ok and ratio_ok and rebuild_ok else 1


def run_sequence(source: Path, folder: Path, warm: Path) -> dict | None:
    """One run of the sequence, in `folder`: a full build on a fresh copy of the workspace,
    `docgen forms` on another, a rebuild into the build's folder with nothing changed, then one
    after one return changed; all with a user cache of their own, made from `warm` without
    its charts (KEPT_ACROSS_DAYS). The seconds of each, the build's memory and files, the
    files each rebuild rendered; None (the error printed) when a command fails."""
    workspace, out, cache = folder / "workspace", folder / "out", folder / "cache"
    for kind in KEPT_ACROSS_DAYS:
        if (warm / kind).is_dir():
            shutil.copytree(warm / kind, cache / kind)
    fresh_copy(source, workspace)
    found = {"capacity": parallel_capacity()}
    measured = run_docgen("build", workspace, out, cache)
    if measured is None:
        return None
    found["build"], found["memory"], found["files"] = measured
    # On a copy of its own: the tables the build read (.docgen) would spare `docgen forms`
    # reading them and skew the ratio.
    fresh_copy(source, folder / "forms-workspace")
    measured = run_docgen("forms", folder / "forms-workspace", folder / "forms", cache)
    if measured is None:
        return None
    found["forms"] = measured[0]
    measured = run_docgen("build", workspace, out, cache)
    if measured is None:
        return None
    found["unchanged"], found["unchanged_rendered"] = measured[0], rendered_again(out)
    found["changed"] = report_one_measure_done(workspace)
    measured = run_docgen("build", workspace, out, cache)
    if measured is None:
        return None
    found["one_row"], found["one_row_rendered"] = measured[0], rendered_again(out)
    return found


if __name__ == "__main__":
    sys.exit(main())
