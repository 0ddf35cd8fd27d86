"""The 工作台 of `docgen serve` (GET /) on a province-scale workspace, through Flask's test client.

The workspace (bench/make_province.py: 500 departments, 3,000 measures, 30,000 feedback rows) is
made once and kept with --workspace. The first load reads, validates and aggregates every input;
the next ones come from the cache keyed by the input files' names, sizes and times
(docgen.web.services.Workbench.load), so they only list the files and render the page. The
baseline is that first load, in the same run.

    python bench/web_dashboard.py [--workspace DIR] [--repeat 10] [--target 1.0]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchtools import machine  # noqa: E402
from make_province import (  # noqa: E402
    AS_OF,
    add_workspace_arguments,
    ensure_workspace,
    size_line,
)

TOKEN = "bench-token"
BASE = "http://127.0.0.1:8765"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_workspace_arguments(parser)
    parser.add_argument("--repeat", type=int, default=10, help="cached loads after the first")
    parser.add_argument("--target", type=float, default=1.0, help="seconds, cached load")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="docgen-web-"))
    workspace = ensure_workspace(args, root)
    print(machine())
    print(size_line(args))

    from docgen.web.app import create_app

    app = create_app(workspace, root / "out", TOKEN, {"127.0.0.1:8765"})
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 302
    path = f"/?as_of={AS_OF.isoformat()}"

    def load() -> tuple[float, str]:
        started = time.perf_counter()
        answer = client.get(path, base_url=BASE)
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, answer.status_code
        return elapsed, answer.get_data(as_text=True)

    first, page = load()
    assert 'id="total">' in page, "the 工作台 did not show the figures (inputs invalid?)"
    total = page.split('id="total">', 1)[1].split("<", 1)[0]
    cached = [load() for _ in range(args.repeat)]
    times = [t for t, _ in cached]
    assert all(p == page for _, p in cached), "a cached 工作台 differs from the first"

    best, median, worst = min(times), statistics.median(times), max(times)
    print(f"工作台 (GET /, {total} measures, page {len(page.encode()) / 1024:.0f} KB):")
    print(f"  first load (read + validate + aggregate + render): {first:8.3f} s")
    print(
        f"  next {args.repeat} loads (cached): best {best:.3f} s, median {median:.3f} s, "
        f"worst {worst:.3f} s"
    )
    print(f"  first / median cached: {first / median:.0f}x")
    met = worst < args.target
    print(f"  target: cached load < {args.target:.1f} s: {'met' if met else 'MISSED'}")
    assert met, f"a cached 工作台 took {worst:.3f} s (target {args.target} s)"
    return 0


if __name__ == "__main__":
    sys.exit(main())
