import datetime as dt

import pytest

from docgen.history import (
    HistoryError,
    brief_issues,
    claim_brief_issue,
    claim_urge_round,
    history_path,
    open_history,
)

NOW = dt.datetime(2026, 11, 26, 9, 0)


def test_brief_issues_count_per_year_and_keep_their_number_on_rerun(tmp_path):
    day1, day2 = dt.date(2026, 11, 20), dt.date(2026, 11, 27)
    with open_history(tmp_path) as db:
        first, previous = claim_brief_issue(db, 2026, day1, {"A": {"status": "推进中"}}, NOW)
        assert (first.number, previous) == (1, None)
        again, previous = claim_brief_issue(db, 2026, day1, {"A": {"status": "已完成"}}, NOW)
        assert (again.number, previous) == (1, None)  # a correction of issue 1
        second, previous = claim_brief_issue(db, 2026, day2, {"A": {"status": "已完成"}}, NOW)
        assert second.number == 2
        assert previous.number == 1 and previous.statuses == {"A": {"status": "已完成"}}
        extra, previous = claim_brief_issue(db, 2026, day2, {}, NOW, new_issue=True)
        assert (extra.number, previous.number) == (3, 2)
        next_year, previous = claim_brief_issue(db, 2027, dt.date(2027, 1, 5), {}, NOW)
        assert (next_year.number, previous) == (1, None)
    # Remembered between runs: a new connection sees the same issues.
    with open_history(tmp_path) as db:
        assert [i.number for i in brief_issues(db, 2026)] == [1, 2, 3]
    assert history_path(tmp_path).exists()


def test_urge_rounds_per_department(tmp_path):
    with open_history(tmp_path) as db:
        assert claim_urge_round(db, 2026, "办公室", dt.date(2026, 11, 1), NOW) == 1
        assert claim_urge_round(db, 2026, "办公室", dt.date(2026, 11, 1), NOW) == 1
        assert claim_urge_round(db, 2026, "办公室", dt.date(2026, 11, 8), NOW) == 2
        assert claim_urge_round(db, 2026, "财务处", dt.date(2026, 11, 8), NOW) == 1
        assert claim_urge_round(db, 2026, "办公室", dt.date(2026, 11, 15), NOW) == 3


def test_failed_run_keeps_nothing(tmp_path):
    with pytest.raises(RuntimeError), open_history(tmp_path) as db:
        claim_brief_issue(db, 2026, dt.date(2026, 11, 20), {}, NOW)
        raise RuntimeError("document failed")
    with open_history(tmp_path) as db:
        assert brief_issues(db, 2026) == []


def test_damaged_history_is_a_clear_error(tmp_path):
    path = history_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="改名备份"), open_history(tmp_path):
        pass
