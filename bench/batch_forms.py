"""Batch forms: docgen against the naive docxtpl loop, in the same run, with the same content.

1. The naive loop of ../shared/bench/naive_docxtpl.py (one DocxTemplate loaded, rendered and
   saved per form) writes FORMS forms of MEASURES measures each. Then docgen writes the same
   forms, from the same template and the same contexts, through docgen.rendering (template prepared
   once per worker process, both cores). A sample of the documents is opened with python-docx on
   both sides and every paragraph and table cell compared.
2. `docgen forms` as a whole, as a user runs it (`python -m docgen forms`: start-up, reading and
   checking the inputs, the Word and the Excel form of every department), on a workspace of FORMS
   departments with MEASURES assignments each, against the naive loop's Word forms alone.
3. Peak memory (every process of the run, workers included) at 100 and at FORMS forms, for both.

    python bench/batch_forms.py [--forms 1000] [--measures 25] [--sample 10]
"""

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import docx
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchtools import (  # noqa: E402
    compile_docgen,
    machine,
    naive_module,
    parallel_capacity,
    run_measured,
    write_naive_form,
)

NAIVE = HERE.parent.parent / "shared" / "bench" / "naive_docxtpl.py"
AS_OF = "2026-11-26"


def naive_loop(naive, template: Path, out: Path, forms: int, measures: int) -> float:
    """The naive benchmark's own loop, as written there."""
    from docxtpl import DocxTemplate

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for index in range(forms):
        document = DocxTemplate(template)
        document.render(naive.ctx(index, measures))
        document.save(out / f"form_{index}.docx")
    return time.perf_counter() - started


def docgen_batch(template: Path, naive_path: Path, out: Path, forms: int, measures: int) -> float:
    from docgen.rendering.workers import map_in_workers, warm_templates

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tasks = ((str(template), str(naive_path), i, measures, str(out)) for i in range(forms))
    map_in_workers(
        write_naive_form,
        tasks,
        count=forms,
        initializer=warm_templates,
        initargs=([(str(template), "gb2312")],),
    )
    return time.perf_counter() - started


def contents(path: Path) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, cells


def compare_sample(naive_out: Path, docgen_out: Path, forms: int, sample: int) -> tuple[int, int]:
    """(paragraphs, cells) compared; raises AssertionError at the first difference."""
    indexes = sorted({round(k * (forms - 1) / max(sample - 1, 1)) for k in range(sample)})
    paragraphs = cells = 0
    for index in indexes:
        name = f"form_{index}.docx"
        expected, got = contents(naive_out / name), contents(docgen_out / name)
        assert got == expected, f"{name} differs: {got[0][:2]} / {expected[0][:2]}"
        paragraphs += len(expected[0])
        cells += sum(len(row) for row in expected[1])
    return paragraphs, cells


def forms_workspace(root: Path, departments: int, measures: int, naive) -> Path:
    """FORMS departments, each answering for MEASURES measures (5 departments per measure), with
    the naive benchmark's measure text; no feedback yet (forms go out before any comes back)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "feedback").mkdir(exist_ok=True)
    names = [f"第{i}分局" for i in range(departments)]
    config = ['[organisation]\nname = "XX省地方金融管理局"\n\n[campaign]\nyear = 2026\n']
    config += [f'[[departments]]\nname = "{n}"\nkind = "分局"\n' for n in names]
    (root / "docgen.toml").write_text("\n".join(config), encoding="utf-8")
    text = naive.ctx(0, 1)["measures"][0]["text"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("举措清单")
    sheet.append(["编号", "专项", "具体举措", "牵头部门", "责任部门", "完成时限"])
    per_measure = 5
    for number in range(departments * measures // per_measure):
        owners = [names[(per_measure * number + k) % departments] for k in range(per_measure)]
        sheet.append(
            [
                f"YA-{number + 1:05d}",
                "以案促改",
                text,
                owners[0],
                "、".join(owners[1:]),
                dt.date(2026, 12, 31),
            ]
        )
    book.save(root / "measures.xlsx")
    return root


def run_forms_command(workspace: Path, out: Path) -> tuple[float, object, int]:
    command = [sys.executable, "-m", "docgen", "forms", "--inputs", str(workspace)]
    elapsed, memory, done = run_measured([*command, "--out", str(out), "--as-of", AS_OF])
    if done.returncode != 0:
        raise SystemExit(f"docgen forms failed:\n{done.stderr.decode()[-2000:]}")
    written = len(list((out / AS_OF / "反馈表").iterdir()))
    return elapsed, memory, written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--measures", type=int, default=25)
    parser.add_argument("--sample", type=int, default=10)
    parser.add_argument("--small", type=int, default=100, help="the smaller size for memory")
    parser.add_argument("--naive", type=Path, default=NAIVE, help="path of naive_docxtpl.py")
    parser.add_argument("--keep", type=Path, help="write everything here and keep it")
    parser.add_argument(
        "--child", nargs=3, metavar=("TEMPLATE", "OUT", "FORMS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:  # a docgen batch alone, in its own process, for its memory
        template, out, forms = args.child
        docgen_batch(Path(template), args.naive, Path(out), int(forms), args.measures)
        return 0

    naive = naive_module(str(args.naive))
    root = args.keep or Path(tempfile.mkdtemp(prefix="docgen-forms-"))
    root.mkdir(parents=True, exist_ok=True)
    template = root / "form.docx"
    naive.make_template(template)
    n, m = args.forms, args.measures
    print(machine())
    print(compile_docgen())
    print(f"parallel capacity now: {parallel_capacity():.2f} CPUs for two processes")
    print(f"\n{n:,} forms of {m} measures each\n")

    naive_s = naive_loop(naive, template, root / "naive", n, m)
    print(f"naive docxtpl loop              {naive_s:7.2f} s  {naive_s / n * 1000:6.1f} ms/form")
    docgen_s = docgen_batch(template, args.naive, root / "docgen", n, m)
    ratio = naive_s / docgen_s
    print(
        f"docgen (docgen.rendering)       {docgen_s:7.2f} s  {docgen_s / n * 1000:6.1f} ms/form"
        f"  {ratio:5.1f}x faster (target 8x)"
    )
    paragraphs, cells = compare_sample(root / "naive", root / "docgen", n, args.sample)
    print(
        f"  same text: {args.sample} forms opened with python-docx on both sides, "
        f"{paragraphs} paragraphs and {cells:,} table cells identical"
    )

    workspace = forms_workspace(root / f"ws{n}", n, m, naive)
    cli_s, cli_memory, written = run_forms_command(workspace, root / f"out{n}")
    cli_ratio = naive_s / cli_s
    print(
        f"\n`docgen forms` (Word + Excel)   {cli_s:7.2f} s  {written:,} files for {n:,} departments"
        f"  {cli_ratio:5.1f}x faster than the naive Word forms alone (target 3x)"
    )
    from docgen.official.checking import check_document

    sample_docs = sorted((root / f"out{n}" / AS_OF / "反馈表").glob("*.docx"))[:: max(n // 5, 1)]
    findings = sum(len(check_document(path)) for path in sample_docs)
    print(f"  docgen check (GB/T 9704) on {len(sample_docs)} of the forms: {findings} findings")

    print(
        f"\n{'forms':>6}  {'docgen batch s':>14}  {'peak RSS, all processes':>24}  {'largest process':>16}"
    )
    rows = {}
    for size in (args.small, n):
        out = root / f"rss{size}"
        command = [sys.executable, __file__, "--naive", str(args.naive), "--measures", str(m)]
        elapsed, memory, done = run_measured(
            [*command, "--child", str(template), str(out), str(size)]
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-2000:])
        rows[size] = memory
        print(
            f"{size:>6,}  {elapsed:>14.2f}  {memory.peak_total_mb:>21.0f} MB  {memory.peak_single_mb:>13.0f} MB"
        )
    small_ws = forms_workspace(root / f"ws{args.small}", args.small, m, naive)
    small_s, small_memory, _ = run_forms_command(small_ws, root / f"out{args.small}")
    print(
        f"\n{'departments':>11}  {'docgen forms s':>14}  {'peak RSS, all processes':>24}  {'largest process':>16}"
    )
    for size, seconds, memory in ((args.small, small_s, small_memory), (n, cli_s, cli_memory)):
        print(
            f"{size:>11,}  {seconds:>14.2f}  {memory.peak_total_mb:>21.0f} MB  {memory.peak_single_mb:>13.0f} MB"
        )
    print(f"\nparallel capacity at the end: {parallel_capacity():.2f} CPUs for two processes")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if ratio >= 8 and cli_ratio >= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
