import datetime as dt

import pytest

from docgen.history import (
    HistoryError,
    brief_issues,
    claim_brief_issue,
    claim_urge_round,
    finish_run,
    get_run,
    history_path,
    last_done_run,
    list_runs,
    monthly_statuses,
    open_history,
    record_statuses,
    run_statuses,
    start_run,
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


def add_run(db, as_of, result="done", statuses=None, digest="abc"):
    run_id = start_run(db, NOW, as_of, {"measures.xlsx": digest}, digest, ["brief", "ledger"])
    finish_run(
        db, run_id, result, 0, folder="/out/x", outputs=["整改台账.xlsx"], figures={"total": 2}
    )
    if statuses:
        record_statuses(db, run_id, statuses)
    return run_id


def test_runs_are_recorded_with_their_inputs_outputs_and_end(tmp_path):
    with open_history(tmp_path) as db:
        run_id = start_run(
            db, NOW, dt.date(2026, 11, 26), {"measures.xlsx": "a1"}, "d1", ["urge"], forced=True
        )
        started = get_run(db, run_id)
        assert (started.result, started.exit_code, started.result_text) == (
            "running",
            None,
            "未结束（正在运行或被中断）",
        )
        finish_run(db, run_id, "done", 0, "/out/2026-11-26", ["催办通知/a.docx"], {"total": 3})
    with open_history(tmp_path) as db:
        (run,) = list_runs(db)
    assert run.id == run_id and run.forced and run.documents == ("urge",)
    assert run.inputs == {"measures.xlsx": "a1"} and run.inputs_digest == "d1"
    assert run.outputs == ("催办通知/a.docx",) and run.figures == {"total": 3}
    assert run.started_at == NOW and run.as_of == dt.date(2026, 11, 26)
    assert run.to_dict()["result_text"] == "已生成"
    with pytest.raises(ValueError), open_history(tmp_path) as db:
        finish_run(db, run_id, "perhaps", 0)


def test_last_done_run_is_per_date_and_skips_runs_that_wrote_nothing(tmp_path):
    day = dt.date(2026, 11, 20)
    with open_history(tmp_path) as db:
        assert last_done_run(db, day) is None
        first = add_run(db, day, digest="one")
        add_run(db, day, result="unchanged", digest="one")
        add_run(db, day, result="invalid", digest="two")
        add_run(db, dt.date(2026, 11, 27), digest="three")
        assert last_done_run(db, day).id == first
        assert [r.result for r in list_runs(db, limit=2)] == ["done", "invalid"]


def test_statuses_per_run_and_month_by_month(tmp_path):
    def status(s, light="绿"):
        return {"status": s, "light": light, "overdue_days": 0}

    with open_history(tmp_path) as db:
        may = add_run(db, dt.date(2026, 5, 29), statuses={"A": status("推进中")})
        add_run(db, dt.date(2026, 6, 5), statuses={"A": status("推进中"), "B": status("未反馈")})
        june = add_run(db, dt.date(2026, 6, 26), statuses={"A": status("已完成")})
        add_run(db, dt.date(2026, 7, 3), result="invalid", statuses={"A": status("未启动")})
        add_run(db, dt.date(2027, 1, 8), statuses={"A": status("已完成")})
        assert run_statuses(db, may) == {"A": status("推进中")}
        months = monthly_statuses(db, 2026)
        assert months[6] == run_statuses(db, june) == {"A": status("已完成")}
    assert list(months) == [5, 6]  # July's only run failed; 2027 is another year


def test_an_older_history_gains_the_runs_tables(tmp_path):
    # A history written before runs were recorded has only the brief and urge tables.
    import sqlite3

    path = history_path(tmp_path)
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE brief_issues (year INTEGER NOT NULL, number INTEGER NOT NULL, "
            "as_of TEXT NOT NULL, created_at TEXT NOT NULL, snapshot TEXT NOT NULL, "
            "PRIMARY KEY (year, number))"
        )
        connection.execute(
            "INSERT INTO brief_issues VALUES (2026, 1, '2026-11-20', '2026-11-20T09:00:00', '{}')"
        )
    connection.close()
    with open_history(tmp_path) as db:
        assert [i.number for i in brief_issues(db, 2026)] == [1]
        assert list_runs(db) == []
        add_run(db, dt.date(2026, 11, 27))
        assert len(list_runs(db)) == 1
