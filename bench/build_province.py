"""The whole `docgen build` on a province-scale workspace, with the time of each stage.

The workspace (bench/make_province.py: 500 departments, 3,000 measures, 30,000 feedback rows) is
made once and kept with --workspace. Then:

1. `python -m docgen build` runs as a user runs it, timed from outside with the peak memory of all
   its processes (workers included): the figure the 30 s / 1.5 GB target is about. Then, in the
   same run, `python -m docgen forms` on another copy of the workspace (so that neither finds the
   tables the other read, validation.TableCache), and the ratio of the two (issue 17: the whole
   build at most 2.5 times the forms alone).
2. Rebuilds into the same folder, as a scheduled run makes them (docgen.reuse; the tables read
   before are taken from the workspace's cache): first with nothing changed, then after one
   department's return changes one row (a measure reported done); each against the full build
   (issue 17: at most 25% of it), with the files the rebuild rendered again, read from its
   manifest.
3. The same work in this process, stage by stage: load_campaign (read and validate, the
   tables taken from the cache the builds above filled; then summarise_progress timed on its
   own), then each kind of document docgen.build.write_documents writes, one after the other
   (a build writes the single documents side by side on a campaign this large), inside
   build.publish (the staging folder, the manifest and the swap into place are the last
   stage).
4. With --baseline, stage 3 again with the fast paths off (every document through render_bytes,
   the Excel forms through openpyxl, no worker processes), measured in the same run.

The workspace is copied first, without its .docgen folder: the change of step 2 is made to the copy.

    python bench/build_province.py [--workspace DIR] [--baseline] [--target 30] [--ratio 2.5]
        [--rebuild-ratio 0.25]
"""

import argparse
import collections
import contextlib
import datetime as dt
import json
import shutil
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


def run_docgen(command: str, workspace: Path, out: Path):
    """`docgen COMMAND` on the workspace as of AS_OF, timed from outside: (seconds, memory, files
    written), or None (with the end of its error output printed) when it fails."""
    arguments = [sys.executable, "-m", "docgen", command, "--inputs", str(workspace)]
    arguments += ["--out", str(out), "--as-of", AS_OF.isoformat()]
    elapsed, memory, done = run_measured(arguments)
    if done.returncode != 0:
        print(done.stderr.decode()[-3000:])
        return None
    files = sum(1 for p in (out / AS_OF.isoformat()).rglob("*") if p.is_file())
    return elapsed, memory, files


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


def print_rebuild(
    what: str, seconds: float, full: float, out: Path, limit: float | None = None
) -> bool:
    again = rendered_again(out)
    ratio = seconds / full
    ok = limit is None or ratio <= limit
    target = "" if limit is None else f" (target at most {limit:.0%}: {'met' if ok else 'MISSED'})"
    print(
        f"{what}: {seconds:.1f} s, {ratio:.0%} of the full build{target}; "
        f"{len(again)} files rendered" + (f": {', '.join(again)}" if 0 < len(again) <= 12 else "")
    )
    return ok


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
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="docgen-build-"))
    workspace = root / "workspace"
    fresh_copy(ensure_workspace(args, root), workspace)
    print(machine())
    print(compile_docgen())
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes")
    print(size_line(args))

    measured = run_docgen("build", workspace, root / "out")
    if measured is None:
        return 1
    elapsed, memory, files = measured
    time_ok = elapsed < args.target
    memory_ok = memory.peak_total_mb < args.memory_target
    print(
        f"`docgen build`: {elapsed:.1f} s (target {args.target:.0f} s: {'met' if time_ok else 'MISSED'}), "
    )
    print(
        f"  peak RSS {memory.peak_total_mb:.0f} MB over all processes, largest process "
        f"{memory.peak_single_mb:.0f} MB (target {args.memory_target:.0f} MB: "
        f"{'met' if memory_ok else 'MISSED'}); {files:,} files"
    )

    # On its own copy, as the build had: the build kept the tables it read (.docgen), which
    # would spare `docgen forms` reading them and skew the ratio.
    forms_workspace = root / "forms-workspace"
    fresh_copy(ensure_workspace(args, root), forms_workspace)
    measured = run_docgen("forms", forms_workspace, root / "forms")
    if measured is None:
        return 1
    forms_s, _, forms = measured
    ratio = elapsed / forms_s
    ratio_ok = ratio <= args.ratio
    print(f"`docgen forms`: {forms_s:.1f} s, {forms:,} files")
    print(
        f"`docgen build` / `docgen forms`: {ratio:.2f}x "
        f"(target at most {args.ratio:g}x: {'met' if ratio_ok else 'MISSED'})"
    )
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes")

    measured = run_docgen("build", workspace, root / "out")
    if measured is None:
        return 1
    print_rebuild("rebuild, nothing changed", measured[0], elapsed, root / "out")
    changed = report_one_measure_done(workspace)
    measured = run_docgen("build", workspace, root / "out")
    if measured is None:
        return 1
    rebuild_ok = print_rebuild(
        f"rebuild after one return changed ({changed})",
        measured[0],
        elapsed,
        root / "out",
        args.rebuild_ratio,
    )
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes\n")

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


if __name__ == "__main__":
    sys.exit(main())
