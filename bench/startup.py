"""Start-up: `docgen --help` and `docgen COMMAND --help` for every command, each in a fresh process.

Every command of the click group (subcommands of groups included) is found by importing
docgen.cli here, then each `python -m docgen ... --help` runs `--repeat` times (default 5); the
best and the median are printed beside the bare interpreter (`python -c pass`, the baseline measured
in the same run) and the 0.25 s target. Exit status 1 if any best time misses the target.

    python bench/startup.py [--repeat 5] [--target 0.25]
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchtools import compile_docgen, machine  # noqa: E402


def command_paths() -> list[list[str]]:
    from docgen.cli import main

    found = [[]]

    def walk(group, path):
        for name, command in sorted(group.commands.items()):
            found.append([*path, name])
            if hasattr(command, "commands"):
                walk(command, [*path, name])

    walk(main, [])
    return found


def timed(command: list[str], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--target", type=float, default=0.25)
    args = parser.parse_args(argv)
    print(machine())
    print(compile_docgen())
    baseline = timed([sys.executable, "-c", "pass"], args.repeat)
    print(f"\n{'command':<40}{'best s':>8}{'median s':>10}{'vs python -c pass':>20}")
    print(
        f"{'python -c pass (baseline)':<40}{min(baseline):>8.3f}{statistics.median(baseline):>10.3f}"
    )
    slowest = 0.0
    for path in command_paths():
        runs = timed([sys.executable, "-m", "docgen", *path, "--help"], args.repeat)
        best = min(runs)
        slowest = max(slowest, best)
        label = " ".join(["docgen", *path, "--help"])
        ratio = best / min(baseline)
        print(f"{label:<40}{best:>8.3f}{statistics.median(runs):>10.3f}{ratio:>19.1f}x")
    verdict = "met" if slowest < args.target else "MISSED"
    print(f"\nslowest best time {slowest:.3f} s; target {args.target} s: {verdict}")
    return 0 if slowest < args.target else 1


if __name__ == "__main__":
    sys.exit(main())
