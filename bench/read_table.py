"""docgen's own reader (loading.read_table) on a large feedback workbook against pandas.read_excel.

Times, in one process and round-robin, `read_table(path, FEEDBACK_COLUMNS)` — calamine, header
found below the title rows, every cell cleaned, Excel row numbers kept — and the baseline
`pandas.read_excel(path, header=None, dtype=object)` with pandas' default engine (openpyxl), which
only reads the cells. Then checks that both give the same values: every cell of every row under the
header, as pandas read it and cleaned by docgen's own clean_value, must equal what read_table
returned, at the same Excel row.

    python bench/read_table.py                       # generate 50,000 rows (bench/make_large_workbook.py)
    python bench/read_table.py --rows 20000 --repeat 5
    python bench/read_table.py --layout openpyxl      # openpyxl's inline-string file layout
    python bench/read_table.py path/to/feedback.xlsx  # an existing workbook
"""

import argparse
import math
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_large_workbook import to_excel_layout, write_feedback  # noqa: E402

from docgen.loading import clean_value, read_table  # noqa: E402
from docgen.model import FEEDBACK_COLUMNS  # noqa: E402


def read_with_pandas(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 announces a change of default engine
        return pd.read_excel(path, header=None, dtype=object)


def read_with_docgen(path: Path):
    return read_table(path, FEEDBACK_COLUMNS)


def compare(frame, table) -> tuple[int, int, list[str]]:
    """(cells compared, cells that differ, examples). Empty rows are skipped as read_table does."""
    grid = frame.values.tolist()
    expected_rows, expected_numbers = [], []
    for index in range(table.header_row, len(grid)):
        cells = grid[index]
        row = {
            name: clean_value(None if _is_nan(cells[pos]) else cells[pos])
            if pos < len(cells)
            else ""
            for name, pos in table.positions.items()
        }
        if all(value in ("", None) for value in row.values()):
            continue
        expected_rows.append({k: "" if v is None else v for k, v in row.items()})
        expected_numbers.append(index + 1)
    examples = []
    if expected_numbers != table.row_numbers:
        examples.append(
            f"row numbers differ: {len(expected_numbers)} rows expected, {len(table.rows)} read"
        )
    compared = differ = 0
    for number, want, got in zip(expected_numbers, expected_rows, table.rows, strict=False):
        for name, value in want.items():
            compared += 1
            if got.get(name) != value or type(got.get(name)) is not type(value):
                differ += 1
                if len(examples) < 5:
                    examples.append(
                        f"row {number} {name}: pandas {value!r}, docgen {got.get(name)!r}"
                    )
    return compared, differ, examples


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, help="an existing feedback workbook")
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layout", choices=("excel", "openpyxl"), default="excel")
    parser.add_argument("--out", type=Path, help="folder for the generated workbook")
    args = parser.parse_args(argv)

    path = args.file
    if path is None:
        out = args.out or Path(tempfile.mkdtemp(prefix="docgen-read-"))
        path = out / f"feedback_{args.rows}.xlsx"
        if not path.exists():
            started = time.perf_counter()
            write_feedback(path, args.rows)
            if args.layout == "excel":
                to_excel_layout(path)
            print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")

    readers = {
        "pandas.read_excel (default engine)": read_with_pandas,
        "docgen read_table": read_with_docgen,
    }
    times = {name: [] for name in readers}
    results = {}
    for _ in range(args.repeat):
        for name, reader in readers.items():
            results.pop(name, None)  # each run starts without the last one's result in memory
            started = time.perf_counter()
            results[name] = reader(path)
            times[name].append(time.perf_counter() - started)

    frame, table = results.values()
    baseline = min(times["pandas.read_excel (default engine)"])
    print(f"\n{'reader':<38}{'best s':>8}{'rows/s':>10}{'vs pandas':>11}  all runs (s)")
    for name, runs in times.items():
        best = min(runs)
        rows = len(table.rows)
        runs_text = " ".join(f"{t:.2f}" for t in runs)
        print(f"{name:<38}{best:>8.2f}{rows / best:>10,.0f}{baseline / best:>10.1f}x  {runs_text}")

    compared, differ, examples = compare(frame, table)
    print(
        f"\nvalues: {len(table.rows):,} rows under the header (Excel row {table.header_row}), "
        f"{compared:,} cells compared, {differ} differ"
    )
    for example in examples:
        print("  " + example)
    ratio = baseline / min(times["docgen read_table"])
    print(f"read_table is {ratio:.1f}x faster than pandas.read_excel (target 5x)")
    return 0 if differ == 0 and not examples else 1


if __name__ == "__main__":
    sys.exit(main())
