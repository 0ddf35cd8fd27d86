"""Show that a change leaves every generated document as it was.

    python scripts/same_documents.py --against 8f38635

Builds the sample inputs (a copy of inputs/, so that the history starts empty) as of 2026-11-26
twice: with the code of the working tree, and with the code of another revision checked out in a
temporary git worktree. Then compares the two output folders: the same files, and in every .docx
and .xlsx the same members with the same bytes, except the creation and modification times in
docProps/core.xml. Prints every difference; exits 0 when there is none, 1 otherwise.

`--folders A B` compares two existing output folders instead.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The only thing two builds of the same inputs write differently (zip member times aside).
_TIMES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")
COMPARED = (".docx", ".xlsx")


def without_times(member: str, data: bytes) -> bytes:
    return _TIMES.sub(b"", data) if member == "docProps/core.xml" else data


def compare_packages(first: Path, second: Path) -> list[str]:
    """Differences between two .docx or .xlsx files, member by member."""
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        names_a, names_b = a.namelist(), b.namelist()
        found = [f"only in the first: {name}" for name in names_a if name not in names_b]
        found += [f"only in the second: {name}" for name in names_b if name not in names_a]
        for name in names_a:
            if name in names_b and without_times(name, a.read(name)) != without_times(
                name, b.read(name)
            ):
                found.append(f"{name} differs")
        return found


def compare_folders(first: Path, second: Path) -> list[str]:
    """Differences between two output folders: files present in one only, and every member of
    every Word and Excel file that differs."""
    files_a = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    files_b = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    found = [f"{name}: only in {first}" for name in sorted(files_a - files_b)]
    found += [f"{name}: only in {second}" for name in sorted(files_b - files_a)]
    for name in sorted(files_a & files_b):
        if name.endswith(COMPARED):
            found += [f"{name}: {d}" for d in compare_packages(first / name, second / name)]
    return found


def build_sample(code: Path, workdir: Path, as_of: str) -> Path:
    """`docgen build` of a fresh copy of the sample inputs with the package found in `code`."""
    inputs = workdir / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    out = workdir / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "docgen",
            "build",
            "--inputs",
            inputs,
            "--out",
            out,
            "--as-of",
            as_of,
        ],
        cwd=code,  # `python -m` puts the working folder first on the path: this code is the one run
        check=True,
        capture_output=True,
    )
    return out / as_of


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="HEAD", help="the revision to compare with")
    parser.add_argument("--as-of", default="2026-11-26")
    parser.add_argument("--folders", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args(argv)
    if args.folders:
        differences = compare_folders(*args.folders)
    else:
        with tempfile.TemporaryDirectory(prefix="docgen-same-") as temporary:
            temporary = Path(temporary)
            tree = temporary / "tree"
            subprocess.run(
                ["git", "worktree", "add", "--detach", tree, args.against],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            try:
                (temporary / "before").mkdir()
                (temporary / "after").mkdir()
                before = build_sample(tree, temporary / "before", args.as_of)
                after = build_sample(ROOT, temporary / "after", args.as_of)
                differences = compare_folders(before, after)
                count = sum(1 for p in after.rglob("*") if p.name.endswith(COMPARED))
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT)
        print(f"{count} Word and Excel files compared ({args.against} against the working tree).")
    for line in differences:
        print(line)
    print("identical" if not differences else f"{len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
