"""The deadline calendar ([schedule] in docgen.toml): its settings, which documents it calls for on
each day of a year, `docgen due`, and the run lock. Dates are always passed in."""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner
from conftest import CONFIG, make_workspace

from docgen.cli import main
from docgen.config import DEFAULT_RULES, Settings, load_settings, parse_settings
from docgen.errors import ConfigError
from docgen.files import process_alive
from docgen.schedule.calendar import calendar_milestones, describe_rule, due_on, upcoming
from docgen.schedule.lock import (
    LOCK_STALE_AFTER,
    RunLockHeld,
    _read_holder,
    _remove_stale,
    acquire_run_lock,
    lock_path,
)
from docgen.workspace import CONFIG_TEMPLATE

YEAR_CONFIG = """
[campaign]
year = 2026
return_deadline = 2026-11-25

[[schedule.milestones]]
name = "第一轮反馈表报送截止"
date = 2026-06-10
kind = "form-return"

[[schedule.milestones]]
name = "第三季度督导抽查"
date = 2026-09-15
kind = "督导抽查"

[[schedule.milestones]]
name = "向省纪委监委报送自查报告"
date = 2026-12-15
kind = "self-check"
"""
NOW = dt.datetime(2026, 11, 26, 9, 0)


def settings_from(text: str) -> Settings:
    return parse_settings(tomllib.loads(text))


def days_of(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def every(first: dt.date, step: int, last: dt.date) -> set[dt.date]:
    found = set()
    while first <= last:
        found.add(first)
        first += dt.timedelta(days=step)
    return found


# --- settings -------------------------------------------------------------------------------


def test_no_schedule_section_gives_the_default_rules(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.schedule.rules == DEFAULT_RULES
    assert settings.schedule.milestones == ()
    assert settings.schedule.urge_days == 7


def test_commented_template_spells_out_the_default_rules():
    # The template as written parses to the defaults, and uncommenting its examples gives the
    # same rules, written out, plus one milestone of each kind.
    assert parse_settings(tomllib.loads(CONFIG_TEMPLATE)).schedule.rules == DEFAULT_RULES
    lines = []
    for line in CONFIG_TEMPLATE.splitlines():
        stripped = line.removeprefix("# ")
        if line.startswith("# ") and ("=" in stripped or stripped.startswith("[[")):
            lines.append(stripped)
        elif line.startswith("["):
            lines.append(line)
    data = tomllib.loads("\n".join(lines))
    schedule = parse_settings(data).schedule
    assert schedule.rules == DEFAULT_RULES
    assert {m.kind for m in schedule.milestones} == {
        "form-return",
        "spot-check",
        "self-check",
        "year-end",
    }
    assert set(data["schedule"]) == {"urge_days", "catch_up_days", "milestones", "rules"}


def test_rules_accept_chinese_names_and_weekday_spellings():
    settings = settings_from(
        """
[schedule]
urge_days = 5
[[schedule.milestones]]
name = "报送截止"
date = 2026-11-25
kind = "反馈表报送截止"
[[schedule.rules]]
document = "督导简报"
weekday = ["星期二", "fri", 4]
[[schedule.rules]]
document = "反馈表"
milestone = "报送截止"
days_before = 10
[[schedule.rules]]
document = "urge"
milestone = "反馈表报送截止"
days_after = 0
"""
    )
    brief, forms, urge = settings.schedule.rules
    assert (brief.document, brief.weekday) == ("brief", (2, 4, 5))
    assert (forms.document, forms.milestone, forms.days_before) == ("forms", "报送截止", 10)
    assert urge.milestone == "form-return"
    assert settings.schedule.milestones[0].kind == "form-return"
    assert settings.schedule.urge_days == 5


def test_an_empty_rule_list_turns_the_schedule_off():
    settings = settings_from("[schedule]\nrules = []\n")
    assert settings.schedule.rules == ()
    assert not any(due_on(settings, day).occasions for day in days_of(2026))


RULE = "[[schedule.rules]]\n"
MILESTONE = '[[schedule.milestones]]\nname = "截止"\ndate = 2026-11-25\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[schedule]\nurge = 7", "未知的设置项：urge"),
        ("[schedule]\nurge_days = 0", r"urge_days 的值 0 应为 1 到 90"),
        ("schedule = 3", "应写成 \\[schedule\\]"),
        ("[schedule]\nmilestones = 3", "应写成 \\[\\[schedule.milestones\\]\\]"),
        ("[[schedule.milestones]]\ndate = 2026-11-25", "缺少 name"),
        ('[[schedule.milestones]]\nname = "截止"', "缺少 date"),
        (
            '[[schedule.milestones]]\nname = "截止"\ndate = "11月25日"',
            r"\.date 的值 '11月25日' 不是日期",
        ),
        (MILESTONE + 'kind = "deadline"', r"\.kind 的值 'deadline' 无效"),
        (MILESTONE + MILESTONE, "名称 截止 重复"),
        (MILESTONE + 'when = "x"', "未知的设置项：when"),
        (RULE + 'weekday = "周五"', "缺少 document"),
        (RULE + 'document = "report"\nweekday = "周五"', r"document 的值 'report' 无效"),
        (RULE + 'document = "brief"\nweekday = "Freitag"', r"weekday 的值 'Freitag' 不是星期几"),
        (RULE + 'document = "brief"\nweekday = 8', "weekday 的值 8 不是星期几"),
        (RULE + 'document = "brief"\nweekday = []', "weekday 不能为空"),
        (RULE + 'document = "brief"\nmilestone = "抽查"\ndays_after = 1', "milestone 的值 '抽查'"),
        (RULE + 'document = "brief"\nmilestone = "year-end"', "还需写 days_before"),
        (RULE + 'document = "brief"\ndays_before = 3', "还需写 milestone"),
        (
            RULE + 'document = "brief"\nmilestone = "year-end"\ndays_before = -1',
            r"days_before 的值 -1 应为 0 到 366",
        ),
        (
            RULE + 'document = "brief"\nmilestone = "year-end"\ndays_before = "三"',
            r"days_before 的值 '三'",
        ),
        (
            RULE + 'document = "urge"\nmilestone = "year-end"\ndays_before = 1\nrepeat_every = 7',
            "还需写 days_after",
        ),
        (
            RULE + 'document = "urge"\nmilestone = "year-end"\ndays_after = 1\nrepeat_every = 0',
            "repeat_every 的值 0",
        ),
        (
            RULE + 'document = "urge"\nmilestone = "year-end"\ndays_after = 1\nrepeat_every = 7'
            '\nweekday = "周五"',
            "不能同时写 repeat_every 和 weekday",
        ),
        (RULE + 'document = "ledger"\nwith_others = "是"', "with_others 的值 '是' 应为 true"),
        (RULE + 'document = "ledger"\nwith_others = true\nweekday = "周五"', "就不要再写"),
        (RULE + 'document = "ledger"', "没有说明何时生成"),
        (RULE + 'document = "ledger"\nevery = "day"', "未知的设置项：every"),
    ],
)
def test_bad_schedule_is_a_clear_error_naming_the_key(tmp_path, text, message):
    (tmp_path / "docgen.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(tmp_path)
    assert "docgen.toml" in str(caught.value)


# --- the calendar over a year ---------------------------------------------------------------


def test_default_rules_over_every_day_of_2026():
    settings = settings_from(YEAR_CONFIG)
    d = dt.date
    fridays = {day for day in days_of(2026) if day.isoweekday() == 5}
    expected = {
        "forms": {d(2026, 5, 27), d(2026, 11, 11)},
        # 3 days before each return date; then weekly from the day after it while the round
        # lasts: up to the next return date, or to the end of the year.
        "urge": {d(2026, 6, 7), d(2026, 11, 22)}
        | every(d(2026, 6, 11), 7, d(2026, 11, 24))
        | every(d(2026, 11, 26), 7, d(2026, 12, 31)),
        "brief": fridays | {d(2026, 9, 16)},
        # Every second Friday: the Fridays of the even ISO weeks.
        "info": {day for day in fridays if day.isocalendar().week % 2 == 0},
        # A week before the spot-check (9-15) the sample is drawn; the day after, its report.
        "spot-check-plan": {d(2026, 9, 8)},
        "spot-check": {d(2026, 9, 16)},
        "self-check": {d(2026, 12, 10)},
        "year-end": {d(2026, 12, 21)},
    }
    expected["ledger"] = set().union(*expected.values())
    found = {kind: set() for kind in expected}
    for day in days_of(2026):
        decision = due_on(settings, day)
        assert "build" not in decision.documents
        for kind in decision.documents:
            found[kind].add(day)
    for kind in expected:
        assert found[kind] == expected[kind], kind
    assert max(found["urge"]) == d(2026, 12, 31)
    # 52 Fridays plus the day after the spot-check.
    assert len(found["brief"]) == 53


def test_reasons_name_the_milestone_and_its_date():
    settings = settings_from(YEAR_CONFIG)
    decision = due_on(settings, dt.date(2026, 11, 11))
    assert decision.documents == ("forms", "ledger")
    assert decision.reasons("forms") == ["反馈表报送截止（2026年11月25日）前14天"]
    assert decision.reasons("ledger") == ["随其他文件一并生成"]
    assert decision.forms_due == dt.date(2026, 11, 25)
    assert due_on(settings, dt.date(2026, 6, 18)).reasons("urge") == [
        "第一轮反馈表报送截止（2026年6月10日）后第1天起每7天一次"
    ]
    assert due_on(settings, dt.date(2026, 9, 16)).reasons("brief") == [
        "第三季度督导抽查（2026年9月15日）后第1天"
    ]
    friday = due_on(settings, dt.date(2026, 11, 13))
    assert friday.to_dict() == {
        "date": "2026-11-13",
        "weekday": "周五",
        "documents": [
            {"document": "brief", "name": "督导简报", "reasons": ["每周五"]},
            {"document": "ledger", "name": "整改台账", "reasons": ["随其他文件一并生成"]},
            # 2026-11-13 is in ISO week 46: a 工作动态 Friday.
            {"document": "info", "name": "工作动态", "reasons": ["每两周的周五"]},
        ],
    }


def test_a_weekday_with_a_milestone_means_those_weekdays_in_the_window():
    settings = settings_from(
        """
[[schedule.milestones]]
name = "报送截止"
date = 2026-11-25
kind = "form-return"
[[schedule.rules]]
document = "brief"
milestone = "报送截止"
days_before = 14
weekday = ["周二", "周四"]
[[schedule.rules]]
document = "urge"
milestone = "form-return"
days_after = 7
weekday = "周一"
"""
    )
    briefs = [day for day in days_of(2026) if due_on(settings, day).documents == ("brief",)]
    assert [day.day for day in briefs] == [12, 17, 19, 24]  # 11 to 25 November, Tue and Thu
    urges = [day for day in days_of(2026) if "urge" in due_on(settings, day).documents]
    assert urges == [dt.date(2026, 11, 30)]
    assert due_on(settings, dt.date(2026, 11, 12)).reasons("brief") == [
        "报送截止（2026年11月25日）前14天内的每周二、周四"
    ]


def test_a_rule_for_a_kind_applies_to_every_milestone_of_that_kind():
    settings = settings_from(
        """
[[schedule.milestones]]
name = "一季度抽查"
date = 2026-03-20
kind = "spot-check"
[[schedule.milestones]]
name = "三季度抽查"
date = 2026-09-18
kind = "spot-check"
[[schedule.rules]]
document = "brief"
milestone = "spot-check"
days_after = 0
"""
    )
    days = [day for day in days_of(2026) if due_on(settings, day).occasions]
    assert days == [dt.date(2026, 3, 20), dt.date(2026, 9, 18)]


def test_without_a_campaign_year_every_year_ends_with_a_year_end_summary():
    settings = Settings()
    for year in (2026, 2027):
        days = [day for day in days_of(year) if "year-end" in due_on(settings, day).documents]
        assert days == [dt.date(year, 12, 21)]
    names = [m.name for m in calendar_milestones(settings, dt.date(2027, 3, 1))]
    assert "2027年度工作结束" in names


def test_the_return_deadline_is_a_milestone_unless_listed():
    settings = settings_from(YEAR_CONFIG)
    returns = [
        m for m in calendar_milestones(settings, dt.date(2026, 6, 1)) if m.kind == "form-return"
    ]
    assert [(m.name, m.date) for m in returns] == [
        ("第一轮反馈表报送截止", dt.date(2026, 6, 10)),
        ("反馈表报送截止", dt.date(2026, 11, 25)),
    ]
    listed = settings_from(
        YEAR_CONFIG.replace("2026-06-10", "2026-11-25").replace("第一轮", "第二轮")
    )
    returns = [
        m for m in calendar_milestones(listed, dt.date(2026, 6, 1)) if m.kind == "form-return"
    ]
    assert [m.name for m in returns] == ["第二轮反馈表报送截止"]


def test_upcoming_lists_only_days_with_something_to_produce():
    settings = settings_from(YEAR_CONFIG)
    days = [d.day for d in upcoming(settings, dt.date(2026, 11, 9), 14)]
    # forms on the 11th, briefs on Fridays, urging on Thursdays (weekly since the first round)
    # and three days before the second return date.
    assert days == [dt.date(2026, 11, n) for n in (11, 12, 13, 19, 20, 22)]


def test_rules_described_in_words():
    assert [describe_rule(rule) for rule in DEFAULT_RULES] == [
        "反馈表：反馈表报送截止前14天",
        "催办通知：反馈表报送截止前3天",
        "催办通知：反馈表报送截止后第1天起每7天一次",
        "督导简报：每周五",
        "工作动态：每两周的周五",
        "督导抽查记录表：督导抽查前7天",
        "督导简报：督导抽查后第1天",
        "督导抽查情况报告：督导抽查后第1天",
        "自查报告：自查报告报送截止前5天",
        "年终总结：年度工作结束前10天",
        "整改台账：随其他文件一并生成",
    ]


# --- docgen due -----------------------------------------------------------------------------


def schedule_workspace(tmp_path, extra: str = ""):
    config = CONFIG.replace(
        "[campaign]\nwarning_days = 7", "[campaign]\nwarning_days = 7\nreturn_deadline = 2026-06-19"
    )
    assert config != CONFIG
    return make_workspace(tmp_path / "ws", config=config + extra)


def test_due_lists_milestones_measures_and_what_the_rules_produce(tmp_path):
    workspace = schedule_workspace(tmp_path)
    result = CliRunner().invoke(
        main, ["due", "--inputs", str(workspace), "--as-of", "2026-06-16", "--within", "10"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "截至2026年6月16日（周二），看今后 10 天（到2026年6月26日）" in out
    assert "2026年6月19日（周五）  反馈表报送截止  还有 3 天" in out
    assert "催办通知：反馈表报送截止（2026年6月19日）前3天" in out
    assert "2026年6月19日（周五）  督导简报、整改台账" in out
    assert "2026年6月20日（周六）  催办通知、整改台账" in out
    # XC-001 (due 31 May, in progress) and YA-001 (20 June) in the small campaign.
    assert "逾期" in out and "YA-001  2026年6月20日（4 天后到期）  人事处" in out


def test_due_json(tmp_path):
    workspace = schedule_workspace(tmp_path)
    result = CliRunner().invoke(
        main, ["due", "--inputs", str(workspace), "--as-of", "2026-06-16", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["today"]["documents"][0]["document"] == "urge"
    assert [m["name"] for m in data["milestones"]] == ["反馈表报送截止"]
    assert data["milestones"][0]["days_left"] == 3
    assert [m["id"] for m in data["measures_due"]] == ["YA-001", "JS-02"]
    assert data["overdue"] >= 1
    assert data["rules"][0] == "反馈表：反馈表报送截止前14天"


def test_due_without_anything_near_says_what_comes_next(tmp_path):
    workspace = schedule_workspace(tmp_path)
    result = CliRunner().invoke(
        main, ["due", "--inputs", str(workspace), "--as-of", "2026-01-05", "--within", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "无（下一个：2026年6月19日（周五） 反馈表报送截止，还有 165 天）" in result.output
    assert "今天按规则要生成：无" in result.output


def test_due_bad_within_is_a_usage_error(tmp_path):
    workspace = schedule_workspace(tmp_path)
    result = CliRunner().invoke(main, ["due", "--inputs", str(workspace), "--within", "-1"])
    assert result.exit_code == 2


def test_due_on_bad_schedule_names_the_key(tmp_path):
    workspace = schedule_workspace(tmp_path, '\n[[schedule.rules]]\ndocument = "简讯"\n')
    result = CliRunner().invoke(main, ["due", "--inputs", str(workspace), "--as-of", "2026-06-16"])
    assert result.exit_code == 1
    assert "[[schedule.rules]].document 的值 '简讯' 无效" in result.output
    assert "Traceback" not in result.output


# --- the lock -------------------------------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert not process_alive(process.pid)
    return process.pid


def write_lock(workspace, pid, host=None, started=NOW):
    path = lock_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "pid": pid,
        "host": host or socket.gethostname(),
        "started_at": started.isoformat(),
        "token": "other",
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_lock_is_exclusive_and_released(tmp_path):
    lock = acquire_run_lock(tmp_path, NOW, dt.date(2026, 11, 26))
    holder = json.loads(lock.path.read_text("utf-8"))
    assert holder["pid"] == os.getpid() and holder["as_of"] == "2026-11-26"
    with pytest.raises(RunLockHeld, match=f"进程 {os.getpid()}") as caught:
        acquire_run_lock(tmp_path, NOW)
    assert caught.value.exit_code == 75
    assert "run.lock" in str(caught.value)
    lock.release()
    assert not lock.path.exists()
    with acquire_run_lock(tmp_path, NOW) as again:
        assert again.replaced is None
    assert not lock.path.exists()


def test_release_leaves_a_lock_another_run_has_taken_over(tmp_path):
    lock = acquire_run_lock(tmp_path, NOW)
    write_lock(tmp_path, os.getpid())
    lock.release()
    assert lock.path.exists()


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
    pid = dead_pid()
    write_lock(tmp_path, pid)
    with acquire_run_lock(tmp_path, NOW) as lock:
        assert lock.replaced.pid == pid
        assert json.loads(lock.path.read_text("utf-8"))["pid"] == os.getpid()
    assert not lock_path(tmp_path).exists()
    assert not list(lock_path(tmp_path).parent.glob("*.takeover"))


def test_lock_from_another_computer_is_kept_until_it_is_old(tmp_path):
    write_lock(tmp_path, 12345, host="另一台电脑")
    with pytest.raises(RunLockHeld, match="计算机 另一台电脑"):
        acquire_run_lock(tmp_path, NOW + dt.timedelta(hours=1))
    with acquire_run_lock(tmp_path, NOW + LOCK_STALE_AFTER + dt.timedelta(minutes=1)) as lock:
        assert lock.replaced.host == "另一台电脑"


def test_a_live_lock_is_taken_over_only_when_very_old(tmp_path):
    # pid reuse: a live process may not be the run that wrote the lock half a day ago.
    write_lock(tmp_path, os.getpid())
    with pytest.raises(RunLockHeld):
        acquire_run_lock(tmp_path, NOW + dt.timedelta(hours=2), pid=os.getpid() + 1)
    with acquire_run_lock(tmp_path, NOW + dt.timedelta(hours=13)) as lock:
        assert lock.replaced is not None


def test_an_empty_lock_is_being_written_unless_it_is_old(tmp_path):
    path = lock_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(b"")
    written = dt.datetime.fromtimestamp(path.stat().st_mtime)
    with pytest.raises(RunLockHeld, match="锁文件内容无法读取"):
        acquire_run_lock(tmp_path, written + dt.timedelta(seconds=5))
    with acquire_run_lock(tmp_path, written + dt.timedelta(minutes=5)) as lock:
        assert lock.replaced.pid is None


def test_a_stale_lock_replaced_meanwhile_is_not_deleted(tmp_path):
    # Two runs judged the same lock stale; the first replaced it with its own. The second must
    # not delete the fresh lock.
    path = write_lock(tmp_path, dead_pid())
    stale = _read_holder(path)
    write_lock(tmp_path, os.getpid())
    assert not _remove_stale(path, stale, NOW)
    assert json.loads(path.read_text("utf-8"))["pid"] == os.getpid()
    assert _remove_stale(path, _read_holder(path), NOW)
    assert not path.exists()


def test_process_alive():
    assert process_alive(os.getpid())
    assert not process_alive(0)
    assert not process_alive(dead_pid())
