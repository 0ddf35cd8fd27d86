"""What docgen remembers between runs, in an SQLite file in the workspace.

Brief issue numbers (第N期, counted per year), each brief's snapshot of measure statuses (so the
next brief can say what changed), and the round each department has reached in urging notices.
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
"""


class HistoryError(DocgenError):
    """The history file cannot be opened or written (locked, read-only or damaged)."""


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
