"""What docgen remembers between runs, in an SQLite file in the workspace.

Brief issue numbers (第N期, counted per year), each brief's snapshot of measure statuses (so the
next brief can say what changed), the round each department has reached in urging notices, the
督导抽查 samples drawn (seed and items) and the verdicts read back with their dates, the
issues of 工作动态 and 信息专报 (numbers and the items each reported), and
every scheduled run (`docgen run`): when, for which as-of date, on which inputs, what it wrote,
how it ended, and each measure's status at that run (so progress can be shown month by month).
"""

import datetime as dt
import json
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError

HISTORY_FOLDER = ".docgen"
HISTORY_NAME = "history.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS brief_issues (
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    created_at TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (year, number)
);
CREATE TABLE IF NOT EXISTS urge_rounds (
    year INTEGER NOT NULL,
    department TEXT NOT NULL,
    round INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (year, department, round)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    inputs_digest TEXT NOT NULL,
    inputs TEXT NOT NULL,
    documents TEXT NOT NULL,
    forced INTEGER NOT NULL,
    result TEXT NOT NULL,
    exit_code INTEGER,
    folder TEXT NOT NULL DEFAULT '',
    outputs TEXT NOT NULL DEFAULT '[]',
    figures TEXT NOT NULL DEFAULT '{}',
    message TEXT NOT NULL DEFAULT '',
    log TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS runs_by_date ON runs (as_of, result);
CREATE TABLE IF NOT EXISTS run_measures (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    measure_id TEXT NOT NULL,
    status TEXT NOT NULL,
    light TEXT NOT NULL,
    overdue_days INTEGER NOT NULL,
    PRIMARY KEY (run_id, measure_id)
);
CREATE TABLE IF NOT EXISTS spot_check_samples (
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    seed INTEGER NOT NULL,
    ratio REAL NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (year, as_of, seed)
);
CREATE TABLE IF NOT EXISTS spot_check_items (
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    seed INTEGER NOT NULL,
    measure_id TEXT NOT NULL,
    department TEXT NOT NULL,
    stream TEXT NOT NULL,
    checker TEXT NOT NULL,
    reasons TEXT NOT NULL,
    PRIMARY KEY (year, as_of, seed, measure_id, department)
);
CREATE TABLE IF NOT EXISTS info_issues (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    created_at TEXT NOT NULL,
    items TEXT NOT NULL,
    PRIMARY KEY (kind, year, number)
);
CREATE TABLE IF NOT EXISTS spot_check_verdicts (
    year INTEGER NOT NULL,
    measure_id TEXT NOT NULL,
    department TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    verdict TEXT NOT NULL,
    checker TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (year, measure_id, department, checked_on)
);
"""

# How a run ended, as stored in runs.result, and the words `docgen history` shows for it.
RUN_RESULTS = {
    "running": "未结束（正在运行或被中断）",
    "done": "已生成",
    "nothing-due": "按规则无需生成",
    "unchanged": "输入未变，未重复生成",
    "invalid": "数据有错误，未生成",
    "failed": "运行失败，未生成",
    "locked": "另一次运行未结束，未生成",
    "interrupted": "被中断，未生成",
}


class HistoryError(DocgenError):
    """The history file cannot be opened or written (locked, read-only or damaged)."""


@dataclass(frozen=True)
class RunRecord:
    """One `docgen run`: `inputs` maps each input file to its SHA-256, `outputs` are relative to
    `folder`; `exit_code` is None while the run has not finished."""

    id: int
    started_at: dt.datetime
    as_of: dt.date
    inputs_digest: str
    inputs: dict[str, str]
    documents: tuple[str, ...]
    forced: bool
    result: str
    exit_code: int | None
    folder: str
    outputs: tuple[str, ...]
    figures: dict
    message: str
    log: str

    @property
    def result_text(self) -> str:
        return RUN_RESULTS.get(self.result, self.result)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "as_of": self.as_of.isoformat(),
            "result": self.result,
            "result_text": self.result_text,
            "exit_code": self.exit_code,
            "documents": list(self.documents),
            "forced": self.forced,
            "folder": self.folder,
            "outputs": list(self.outputs),
            "inputs_digest": self.inputs_digest,
            "inputs": self.inputs,
            "figures": self.figures,
            "message": self.message,
            "log": self.log,
        }


@dataclass(frozen=True)
class BriefIssue:
    """One issue of the brief: its number in the year, its as-of date and its measure statuses."""

    year: int
    number: int
    as_of: dt.date
    statuses: dict[str, dict]


def history_path(workspace: Path) -> Path:
    return Path(workspace) / HISTORY_FOLDER / HISTORY_NAME


@contextmanager
def open_history(workspace: Path):
    """A connection to the workspace's history, created on first use; commits on success."""
    path = history_path(workspace)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(f"无法打开运行记录 {path}：{exc}") from None
    with closing(connection):
        try:
            connection.executescript(_SCHEMA)
            with connection:
                yield connection
        except sqlite3.DatabaseError as exc:
            raise HistoryError(
                f"运行记录 {path} 无法读写（{exc}）。如文件已损坏，可将其改名备份后重新运行。"
            ) from None


def _issue(row) -> BriefIssue:
    year, number, as_of, snapshot = row
    return BriefIssue(year, number, dt.date.fromisoformat(as_of), json.loads(snapshot))


def brief_issues(connection, year: int) -> list[BriefIssue]:
    rows = connection.execute(
        "SELECT year, number, as_of, snapshot FROM brief_issues WHERE year = ? ORDER BY number",
        (year,),
    )
    return [_issue(row) for row in rows]


def claim_brief_issue(
    connection,
    year: int,
    as_of: dt.date,
    statuses: dict[str, dict],
    now: dt.datetime,
    new_issue: bool = False,
) -> tuple[BriefIssue, BriefIssue | None]:
    """The issue to write for `as_of`, and the one before it.

    Re-running for the as-of date of the latest issue rewrites that issue under the same number
    (a correction, not a new issue) unless `new_issue` is set; any other date takes the next number.
    """
    issues = brief_issues(connection, year)
    latest = issues[-1] if issues else None
    if latest is not None and latest.as_of == as_of and not new_issue:
        number = latest.number
        previous = issues[-2] if len(issues) > 1 else None
    else:
        number = latest.number + 1 if latest else 1
        previous = latest
    connection.execute(
        "INSERT OR REPLACE INTO brief_issues VALUES (?, ?, ?, ?, ?)",
        (year, number, as_of.isoformat(), now.isoformat(timespec="seconds"), json.dumps(statuses)),
    )
    return BriefIssue(year, number, as_of, statuses), previous


def claim_urge_round(
    connection, year: int, department: str, as_of: dt.date, now: dt.datetime
) -> int:
    """The department's round of urging this year: the same as-of date keeps its round."""
    row = connection.execute(
        "SELECT round, as_of FROM urge_rounds WHERE year = ? AND department = ? "
        "ORDER BY round DESC LIMIT 1",
        (year, department),
    ).fetchone()
    if row and row[1] == as_of.isoformat():
        return row[0]
    number = row[0] + 1 if row else 1
    connection.execute(
        "INSERT INTO urge_rounds VALUES (?, ?, ?, ?, ?)",
        (year, department, number, as_of.isoformat(), now.isoformat(timespec="seconds")),
    )
    return number


# --- scheduled runs -------------------------------------------------------------------------

_RUN_COLUMNS = (
    "id, started_at, as_of, inputs_digest, inputs, documents, forced, result, exit_code, "
    "folder, outputs, figures, message, log"
)


def _run(row) -> RunRecord:
    (id_, started, as_of, digest, inputs, documents, forced, result, code) = row[:9]
    folder, outputs, figures, message, log = row[9:]
    return RunRecord(
        id=id_,
        started_at=dt.datetime.fromisoformat(started),
        as_of=dt.date.fromisoformat(as_of),
        inputs_digest=digest,
        inputs=json.loads(inputs),
        documents=tuple(json.loads(documents)),
        forced=bool(forced),
        result=result,
        exit_code=code,
        folder=folder,
        outputs=tuple(json.loads(outputs)),
        figures=json.loads(figures),
        message=message,
        log=log,
    )


def start_run(
    connection,
    now: dt.datetime,
    as_of: dt.date,
    inputs: dict[str, str],
    inputs_digest: str,
    documents: list[str],
    forced: bool = False,
    log: str = "",
) -> int:
    """Record a run as started (result `running`) and return its id; finish_run completes it."""
    cursor = connection.execute(
        "INSERT INTO runs (started_at, as_of, inputs_digest, inputs, documents, forced, result, log)"
        " VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
        (
            now.isoformat(timespec="seconds"),
            as_of.isoformat(),
            inputs_digest,
            json.dumps(inputs, ensure_ascii=False, sort_keys=True),
            json.dumps(list(documents)),
            int(forced),
            log,
        ),
    )
    return cursor.lastrowid


def finish_run(
    connection,
    run_id: int,
    result: str,
    exit_code: int,
    folder: str = "",
    outputs: list[str] | None = None,
    figures: dict | None = None,
    message: str = "",
) -> None:
    if result not in RUN_RESULTS:
        raise ValueError(f"unknown run result {result!r}")
    connection.execute(
        "UPDATE runs SET result = ?, exit_code = ?, folder = ?, outputs = ?, figures = ?, "
        "message = ? WHERE id = ?",
        (
            result,
            exit_code,
            folder,
            json.dumps(list(outputs or []), ensure_ascii=False),
            json.dumps(figures or {}, ensure_ascii=False),
            message,
            run_id,
        ),
    )


def record_statuses(connection, run_id: int, statuses: dict[str, dict]) -> None:
    """Each measure's status, light and days overdue at this run (the brief's snapshot shape)."""
    connection.executemany(
        "INSERT OR REPLACE INTO run_measures VALUES (?, ?, ?, ?, ?)",
        [
            (run_id, measure, s["status"], s["light"], int(s["overdue_days"]))
            for measure, s in statuses.items()
        ],
    )


def run_statuses(connection, run_id: int) -> dict[str, dict]:
    rows = connection.execute(
        "SELECT measure_id, status, light, overdue_days FROM run_measures WHERE run_id = ?",
        (run_id,),
    )
    return {m: {"status": s, "light": light, "overdue_days": d} for m, s, light, d in rows}


def get_run(connection, run_id: int) -> RunRecord | None:
    row = connection.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
    return _run(row) if row else None


def list_runs(connection, limit: int | None = None) -> list[RunRecord]:
    """The latest runs first."""
    query = f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id DESC"
    rows = connection.execute(query + " LIMIT ?", (limit,)) if limit else connection.execute(query)
    return [_run(row) for row in rows]


def last_done_run(connection, as_of: dt.date) -> RunRecord | None:
    """The latest run for this as-of date that wrote its documents."""
    row = connection.execute(
        f"SELECT {_RUN_COLUMNS} FROM runs WHERE as_of = ? AND result = 'done' "
        "ORDER BY id DESC LIMIT 1",
        (as_of.isoformat(),),
    ).fetchone()
    return _run(row) if row else None


def monthly_statuses(connection, year: int) -> dict[int, dict[str, dict]]:
    """For each month of `year` with a completed run, the measure statuses of its latest run
    (by as-of date): what a month-by-month progress table starts from."""
    rows = connection.execute(
        "SELECT id, as_of FROM runs WHERE result = 'done' AND as_of LIKE ? ORDER BY as_of, id",
        (f"{year:04d}-%",),
    )
    latest: dict[int, int] = {}
    for run_id, as_of in rows:
        latest[dt.date.fromisoformat(as_of).month] = run_id
    return {month: run_statuses(connection, run_id) for month, run_id in sorted(latest.items())}


# --- 督导抽查 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampledItem:
    """An assignment drawn for a spot-check: when (the plan's as-of date), with which seed, in
    which stream, checked by whom, and why it was drawn."""

    measure_id: str
    department: str
    as_of: dt.date
    seed: int
    stream: str
    checker: str
    reasons: tuple[str, ...]
    ratio: float = 0.0


def record_sample(
    connection,
    year: int,
    as_of: dt.date,
    seed: int,
    ratio: float,
    items: list[tuple[str, str, str, str, tuple[str, ...]]],
    now: dt.datetime,
) -> None:
    """Keep a plan's sample: (measure id, department, stream, checker, reasons) per item. Every
    plan is kept, one drawn again with the same seed and date in place of the first: a sheet
    sent out stays valid when it comes back, whatever was drawn after it."""
    day = as_of.isoformat()
    connection.execute(
        "DELETE FROM spot_check_items WHERE year = ? AND as_of = ? AND seed = ?", (year, day, seed)
    )
    connection.execute(
        "INSERT OR REPLACE INTO spot_check_samples VALUES (?, ?, ?, ?, ?)",
        (year, day, seed, ratio, now.isoformat(timespec="seconds")),
    )
    connection.executemany(
        "INSERT INTO spot_check_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (year, day, seed, measure, department, stream, checker, "、".join(reasons))
            for measure, department, stream, checker, reasons in items
        ],
    )


def sampled_items(connection, year: int) -> dict[tuple[str, str], SampledItem]:
    """Every assignment drawn this year, by (measure id, department): its latest plan's."""
    rows = connection.execute(
        "SELECT i.measure_id, i.department, i.as_of, i.seed, i.stream, i.checker, i.reasons, "
        "s.ratio "
        "FROM spot_check_items i JOIN spot_check_samples s "
        "ON s.year = i.year AND s.as_of = i.as_of AND s.seed = i.seed "
        "WHERE i.year = ? ORDER BY i.as_of, s.created_at",
        (year,),
    )
    found = {}
    for measure, department, as_of, seed, stream, checker, reasons, ratio in rows:
        found[(measure, department)] = SampledItem(
            measure,
            department,
            dt.date.fromisoformat(as_of),
            seed,
            stream,
            checker,
            tuple(r for r in reasons.split("、") if r),
            ratio,
        )
    return found


def record_verdicts(
    connection, year: int, verdicts: list[tuple[str, str, dt.date, str, str]], now: dt.datetime
) -> None:
    """Keep the verdicts read back: (measure id, department, check date, verdict, checker)."""
    connection.executemany(
        "INSERT OR REPLACE INTO spot_check_verdicts VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (year, m, d, day.isoformat(), verdict, checker, now.isoformat(timespec="seconds"))
            for m, d, day, verdict, checker in verdicts
        ],
    )


def recorded_verdicts(connection, year: int) -> list[tuple[str, str, dt.date, str, str]]:
    rows = connection.execute(
        "SELECT measure_id, department, checked_on, verdict, checker FROM spot_check_verdicts "
        "WHERE year = ? ORDER BY checked_on, measure_id, department",
        (year,),
    )
    return [(m, d, dt.date.fromisoformat(day), v, c) for m, d, day, v, c in rows]


# --- 工作动态 and 信息专报 ---------------------------------------------------------------------


@dataclass(frozen=True)
class InfoIssue:
    """An issue of 工作动态 (kind "dynamic") or a 信息专报 ("special"): its number in the year,
    its as-of date and the items it reported, (measure id, department) each."""

    kind: str
    year: int
    number: int
    as_of: dt.date
    items: tuple[tuple[str, str], ...]


def info_issues(connection, kind: str, year: int) -> list[InfoIssue]:
    rows = connection.execute(
        "SELECT number, as_of, items FROM info_issues WHERE kind = ? AND year = ? ORDER BY number",
        (kind, year),
    )
    return [
        InfoIssue(
            kind, year, n, dt.date.fromisoformat(day), tuple(tuple(i) for i in json.loads(items))
        )
        for n, day, items in rows
    ]


def next_info_issue(connection, kind: str, year: int, as_of: dt.date) -> tuple[int, set]:
    """The number an issue written for `as_of` takes (the latest issue's own when it is for the
    same date: a rerun corrects it), and the items every earlier issue reported."""
    issues = info_issues(connection, kind, year)
    latest = issues[-1] if issues else None
    if latest is not None and latest.as_of == as_of:
        number, earlier = latest.number, issues[:-1]
    else:
        number, earlier = (latest.number + 1 if latest else 1), issues
    return number, {item for issue in earlier for item in issue.items}


def record_info_issue(
    connection,
    kind: str,
    year: int,
    number: int,
    as_of: dt.date,
    items: list[tuple[str, str]],
    now: dt.datetime,
) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO info_issues VALUES (?, ?, ?, ?, ?, ?)",
        (
            kind,
            year,
            number,
            as_of.isoformat(),
            now.isoformat(timespec="seconds"),
            json.dumps([list(i) for i in items], ensure_ascii=False),
        ),
    )
