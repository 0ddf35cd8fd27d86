"""`docgen run`: what the calendar calls for, once per date and inputs, under a lock, logged and
recorded; `docgen history` lists the runs. Every as-of date is passed in."""

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import (
    CONFIG,
    FEEDBACK_HEADER,
    SMALL_MEASURES,
    copy_sample,
    make_workspace,
    write_sheet,
)

from docgen.cli import main
from docgen.files import process_alive
from docgen.history import list_runs, open_history, run_statuses
from docgen.schedule.lock import EXIT_LOCKED, lock_path

# The small campaign with its forms due back on Friday 19 June 2026: forms on 5 June, urging on
# 16 June (three days before) and weekly from 20 June, briefs on Fridays, the ledger with each.
RETURN_CONFIG = CONFIG.replace(
    "[campaign]\nwarning_days = 7", "[campaign]\nwarning_days = 7\nreturn_deadline = 2026-06-19"
)


@pytest.fixture
def workspace(tmp_path) -> Path:
    assert RETURN_CONFIG != CONFIG
    return make_workspace(tmp_path / "ws", config=RETURN_CONFIG)


def run(workspace: Path, day: str, *options: str):
    out = workspace.parent / "out"
    args = ["run", "--inputs", str(workspace), "--out", str(out), "--as-of", day, *options]
    return CliRunner().invoke(main, args)


def runs(workspace: Path) -> list:
    with open_history(workspace) as db:
        return list(reversed(list_runs(db)))


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_date_is_produced_once_unless_inputs_change_or_forced(workspace):
    folder = workspace.parent / "out" / "2026-06-16"
    first = run(workspace, "2026-06-16")
    assert first.exit_code == 0, first.output
    assert "催办通知：反馈表报送截止（2026年6月19日）前3天" in first.output
    assert "已生成" in first.output
    files = tree(folder)
    assert "整改台账.xlsx" in files and "manifest.json" in files
    assert {f for f in files if f.startswith("催办通知/")}
    assert not any(f.startswith(("反馈表/", "督导简报")) for f in files)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["run"]["documents"] == ["urge", "ledger"]
    before = stamps(folder)

    again = run(workspace, "2026-06-16")
    assert again.exit_code == 0, again.output
    assert "输入文件没有变化" in again.output and "--force" in again.output
    assert stamps(folder) == before

    # A department sends a new form: the same date is produced again.
    write_sheet(
        workspace / "feedback" / "财务处.xlsx",
        FEEDBACK_HEADER,
        [["YA-002", "财务处", "长期坚持", "已落实双签", "", "", dt.date(2026, 6, 15)]],
    )
    changed = run(workspace, "2026-06-16")
    assert changed.exit_code == 0, changed.output
    assert "已生成" in changed.output
    assert stamps(folder) != before
    after_change = stamps(folder)

    forced = run(workspace, "2026-06-16", "--force")
    assert forced.exit_code == 0, forced.output
    assert "已生成" in forced.output
    assert stamps(folder) != after_change

    recorded = runs(workspace)
    assert [r.result for r in recorded] == ["done", "unchanged", "done", "done"]
    assert [r.exit_code for r in recorded] == [0, 0, 0, 0]
    assert [r.forced for r in recorded] == [False, False, False, True]
    assert recorded[0].inputs_digest == recorded[1].inputs_digest != recorded[2].inputs_digest
    assert "feedback/财务处.xlsx" in recorded[2].inputs
    assert "docgen.toml" in recorded[0].inputs
    assert recorded[0].documents == ("urge", "ledger")
    assert "整改台账.xlsx" in recorded[0].outputs
    assert Path(recorded[0].folder) == folder.resolve()
    assert recorded[0].figures["total"] == len(SMALL_MEASURES)


def test_a_changed_config_is_a_changed_input(workspace):
    assert run(workspace, "2026-06-16").exit_code == 0
    config = workspace / "docgen.toml"
    config.write_text(config.read_text("utf-8") + "\n[schedule]\nurge_days = 5\n", "utf-8")
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 0 and "已生成" in result.output


def test_a_removed_output_folder_is_written_again(workspace):
    assert run(workspace, "2026-06-16").exit_code == 0
    shutil.rmtree(workspace.parent / "out" / "2026-06-16")
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 0 and "已生成" in result.output
    assert (workspace.parent / "out" / "2026-06-16" / "整改台账.xlsx").exists()


def test_a_quiet_day_writes_nothing_and_is_recorded(workspace):
    result = run(workspace, "2026-06-15")
    assert result.exit_code == 0, result.output
    assert "2026年6月15日按规则没有需要生成的文件" in result.output
    assert not (workspace.parent / "out").exists()
    (recorded,) = runs(workspace)
    assert (recorded.result, recorded.exit_code, recorded.documents) == ("nothing-due", 0, ())


def test_urging_due_with_nobody_late_writes_nothing(tmp_path):
    measures = [["JS-01", "警示教育", "", "召开警示教育大会", "", "办公室", "", "", "2026-12-31"]]
    feedback = {"办公室.xlsx": [["JS-01", "办公室", "推进中", "已筹备", "", "", "2026-06-01"]]}
    config = CONFIG + '\n[[schedule.rules]]\ndocument = "urge"\nweekday = "周二"\n'
    workspace = make_workspace(tmp_path / "ws", measures, feedback, config=config)
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 0, result.output
    assert "催办通知：每周二" in result.output
    assert "但没有需要生成的文件" in result.output
    assert not (tmp_path / "out").exists()
    (recorded,) = runs(workspace)
    assert (recorded.result, recorded.documents) == ("nothing-due", ("urge",))
    with open_history(workspace) as db:
        assert run_statuses(db, recorded.id)["JS-01"]["status"] == "推进中"


def test_dry_run_writes_nothing_at_all(workspace):
    result = run(workspace, "2026-06-05", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "反馈表（4 份）：反馈表报送截止（2026年6月19日）前14天" in result.output
    assert "督导简报（1 份）：每周五" in result.output
    assert "试运行" in result.output
    assert not (workspace / ".docgen").exists()
    assert not (workspace.parent / "out").exists()


def test_forms_carry_the_milestone_as_their_return_date(workspace):
    result = run(workspace, "2026-06-05")
    assert result.exit_code == 0, result.output
    folder = workspace.parent / "out" / "2026-06-05"
    files = tree(folder)
    assert (
        sum(f.startswith("反馈表/") for f in files) == 8
    )  # Word and Excel for the 4 departments with measures
    assert "督导简报（第1期）.docx" in files
    form = docx.Document(folder / "反馈表" / "反馈表_办公室.docx")
    text = "\n".join(p.text for p in form.paragraphs)
    assert "2026年6月19日" in text


def test_run_json(workspace):
    result = run(workspace, "2026-06-16", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["result"] == "done" and data["exit_code"] == 0
    assert [d["document"] for d in data["decision"]["documents"]] == ["urge", "ledger"]
    assert data["log"].endswith(".log") and Path(data["log"]).exists()
    assert data["run_id"] == 1


def test_the_log_says_what_was_decided_and_written(workspace):
    assert run(workspace, "2026-06-16").exit_code == 0
    assert run(workspace, "2026-06-16").exit_code == 0
    logs = sorted((workspace / ".docgen" / "logs").glob("*.log"))
    assert len(logs) == 2
    first, second = (path.read_text("utf-8-sig") for path in logs)
    assert "统计截止日期：2026-06-16（周二）" in first
    assert "催办通知：反馈表报送截止（2026年6月19日）前3天" in first
    assert "measures.xlsx  " in first
    assert "2026-06-16/整改台账.xlsx" in first
    assert "结果：已生成（退出码 0）" in first
    assert "输入文件没有变化" in second
    assert "结果：输入未变，未重复生成（退出码 0）" in second


# --- the lock -------------------------------------------------------------------------------


def hold_lock(workspace: Path, pid: int) -> Path:
    path = lock_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().isoformat(timespec="seconds")
    holder = {"pid": pid, "host": socket.gethostname(), "started_at": started, "token": "x"}
    path.write_text(json.dumps(holder), encoding="utf-8")
    return path


def test_a_held_lock_stops_the_run_with_its_own_exit_code(workspace):
    path = hold_lock(workspace, os.getpid())  # this test process: alive
    result = run(workspace, "2026-06-16")
    assert result.exit_code == EXIT_LOCKED == 75
    assert "另一次 docgen run 正在进行" in result.output
    assert "Traceback" not in result.output
    assert not (workspace.parent / "out").exists()
    assert path.exists()  # still the other run's
    (recorded,) = runs(workspace)
    assert (recorded.result, recorded.exit_code) == ("locked", 75)
    assert "另一次" in Path(recorded.log).read_text("utf-8-sig")


def test_a_stale_lock_is_taken_over(workspace):
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert not process_alive(process.pid)
    path = hold_lock(workspace, process.pid)
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 0, result.output
    assert f"已接管失效的锁文件（进程 {process.pid}" in result.output
    assert (workspace.parent / "out" / "2026-06-16" / "整改台账.xlsx").exists()
    assert not path.exists()


# --- failures -------------------------------------------------------------------------------


def test_bad_data_on_a_due_day_writes_nothing_exits_1_and_is_recorded(tmp_path):
    measures = [row[:] for row in SMALL_MEASURES]
    measures[1][0] = "JS-01"  # a duplicated id
    workspace = make_workspace(tmp_path / "ws", measures=measures, config=RETURN_CONFIG)
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 1
    assert "没有生成任何文件" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "2026-06-16").exists()
    (recorded,) = runs(workspace)
    assert (recorded.result, recorded.exit_code) == ("invalid", 1)
    assert not lock_path(workspace).exists()
    # A day the rules leave quiet does not read the data.
    assert run(workspace, "2026-06-15").exit_code == 0


def test_bad_schedule_exits_1_and_is_recorded(workspace):
    config = workspace / "docgen.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[[schedule.rules]]\ndocument = "brief"\nweekday = "周八"\n',
        "utf-8",
    )
    result = run(workspace, "2026-06-16")
    assert result.exit_code == 1
    assert "weekday 的值 '周八' 不是星期几" in result.output
    (recorded,) = runs(workspace)
    assert (recorded.result, recorded.exit_code) == ("failed", 1)


def test_bad_options_are_usage_errors(workspace):
    assert run(workspace, "2026-13-40").exit_code == 2
    result = CliRunner().invoke(main, ["run", "--inputs", str(workspace), "--when", "today"])
    assert result.exit_code == 2


def test_missing_inputs_folder_is_an_error_without_a_history(tmp_path):
    result = CliRunner().invoke(main, ["run", "--inputs", str(tmp_path / "无此文件夹")])
    assert result.exit_code == 1
    assert "找不到输入文件夹" in result.output
    assert not (tmp_path / "无此文件夹").exists()


# --- history --------------------------------------------------------------------------------


def test_history_lists_the_runs_latest_first(workspace):
    assert (
        "还没有 docgen run 的运行记录"
        in CliRunner().invoke(main, ["history", "--inputs", str(workspace)]).output
    )
    for day in ("2026-06-15", "2026-06-16", "2026-06-16"):
        assert run(workspace, day).exit_code == 0
    hold_lock(workspace, os.getpid())
    assert run(workspace, "2026-06-16", "--force").exit_code == 75

    result = CliRunner().invoke(main, ["history", "--inputs", str(workspace)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0].startswith("第4次")
        and "另一次运行未结束，未生成（退出码 75）  --force" in lines[0]
    )
    assert any(
        line.startswith("第3次") and "输入未变，未重复生成（退出码 0）" in line for line in lines
    )
    assert any("按规则：催办通知、整改台账，写入" in line for line in lines)
    assert (
        lines[-1].startswith("第1次") and "截至2026-06-15  按规则无需生成（退出码 0）" in lines[-1]
    )

    data = json.loads(
        CliRunner().invoke(main, ["history", "--inputs", str(workspace), "--json"]).output
    )
    assert [r["result"] for r in data] == ["locked", "unchanged", "done", "nothing-due"]
    assert [r["exit_code"] for r in data] == [75, 0, 0, 0]
    assert data[2]["as_of"] == "2026-06-16" and data[2]["outputs"]
    assert len(data[2]["inputs"]) == 6  # measures, four forms and docgen.toml
    limited = CliRunner().invoke(main, ["history", "--inputs", str(workspace), "--limit", "1"])
    assert len([line for line in limited.output.splitlines() if line.startswith("第")]) == 1


# --- the brief's change since its last issue, from two scheduled runs -----------------------


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


def test_the_brief_says_what_changed_between_two_scheduled_runs(tmp_path):
    workspace = make_workspace(tmp_path / "ws")  # no return date: briefs on Fridays only
    first = run(workspace, "2026-06-12")
    assert first.exit_code == 0, first.output
    assert "督导简报：每周五" in first.output
    # 机关党委 finishes its part of JS-02, the last one open.
    write_sheet(
        workspace / "feedback" / "机关党委_第二次.xlsx",
        FEEDBACK_HEADER,
        [["JS-02", "机关党委", "已完成", "已学习", dt.date(2026, 6, 16), "", dt.date(2026, 6, 16)]],
    )
    second = run(workspace, "2026-06-19")
    assert second.exit_code == 0, second.output

    out = tmp_path / "out"
    # 2026-06-12 is the Friday of an even ISO week: a 工作动态 too (every second Friday).
    assert tree(out / "2026-06-12") == {
        "manifest.json",
        "整改台账.xlsx",
        "督导简报（第1期）.docx",
        "工作动态（第1期）.docx",
    }
    assert tree(out / "2026-06-19") == {"manifest.json", "整改台账.xlsx", "督导简报（第2期）.docx"}
    assert not any("较上期" in t for t in paragraphs(out / "2026-06-12" / "督导简报（第1期）.docx"))
    change = [t for t in paragraphs(out / "2026-06-19" / "督导简报（第2期）.docx") if "较上期" in t]
    assert len(change) == 1
    assert "较上期（第1期，2026年6月12日）" in change[0]
    assert "新增报告完成的举措1项（JS-02）" in change[0]

    done = [r for r in runs(workspace) if r.result == "done"]
    assert [r.as_of for r in done] == [dt.date(2026, 6, 12), dt.date(2026, 6, 19)]
    with open_history(workspace) as db:
        before, after = (run_statuses(db, r.id) for r in done)
    assert before["JS-02"]["status"] == "推进中" and after["JS-02"]["status"] == "已完成"
    assert len(before) == len(after) == len(SMALL_MEASURES)


# --- done when: a fortnight of daily runs on the sample workspace ---------------------------


def test_a_fortnight_of_daily_runs_on_the_sample_produces_each_document_once(tmp_path):
    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    out = tmp_path / "outputs"
    first_day = dt.date(2026, 11, 9)
    fortnight = [first_day + dt.timedelta(days=n) for n in range(14)]
    # The sample's forms are due back on 25 November; no [schedule], so the default rules.
    expected = {
        dt.date(2026, 11, 11): ("forms", "ledger"),
        dt.date(2026, 11, 13): ("brief", "ledger", "info"),  # an even ISO week
        dt.date(2026, 11, 20): ("brief", "ledger"),
        dt.date(2026, 11, 22): ("urge", "ledger"),
    }
    for day in fortnight:
        for attempt in ("first", "second"):
            result = CliRunner().invoke(
                main,
                ["run", "--inputs", str(workspace), "--out", str(out), "--as-of", str(day)],
            )
            assert result.exit_code == 0, (day, attempt, result.output)
            if day not in expected:
                assert "按规则没有需要生成的文件" in result.output
            elif attempt == "first":
                assert "已生成" in result.output, (day, result.output)
            else:
                assert "不再重复生成" in result.output, (day, result.output)

    assert sorted(p.name for p in out.iterdir()) == [d.isoformat() for d in sorted(expected)]
    folders = {day: tree(out / day.isoformat()) for day in expected}
    forms = folders[dt.date(2026, 11, 11)]
    assert sum(f.startswith("反馈表/") for f in forms) == 52  # Word and Excel, 26 departments
    assert forms - {f for f in forms if f.startswith("反馈表/")} == {
        "整改台账.xlsx",
        "manifest.json",
    }
    # Due on 11-13 too, the 工作动态 has nothing to report yet: the returns come in later.
    assert folders[dt.date(2026, 11, 13)] == {
        "整改台账.xlsx",
        "manifest.json",
        "督导简报（第1期）.docx",
    }
    assert folders[dt.date(2026, 11, 20)] == {
        "整改台账.xlsx",
        "manifest.json",
        "督导简报（第2期）.docx",
    }
    urged = folders[dt.date(2026, 11, 22)]
    assert {f for f in urged if not f.startswith("催办通知/")} == {"整改台账.xlsx", "manifest.json"}
    assert sum(f.startswith("催办通知/") for f in urged) >= 3
    for day, documents in expected.items():
        manifest = json.loads((out / day.isoformat() / "manifest.json").read_text("utf-8"))
        assert tuple(manifest["run"]["documents"]) == documents

    recorded = runs(workspace)
    assert len(recorded) == 28
    assert [r.as_of for r in recorded if r.result == "done"] == sorted(expected)
    assert {r.result for r in recorded if r.as_of not in expected} == {"nothing-due"}
    assert [r.result for r in recorded if r.as_of in expected].count("unchanged") == 4
    assert all(r.exit_code == 0 for r in recorded)
    assert not lock_path(workspace).exists()
    assert not list(out.glob(".*"))  # no staging folder left behind
