"""The sample workspace in inputs/ is what scripts/make_sample_inputs.py writes, and it looks real.

The generator is run once into tmp_path; the committed inputs/ must hold the same content, and both
must keep the promises the sample makes: the size of each stream, a few silent departments, one
double submission, one GBK CSV, a late-November status mix, and no validation errors.
"""

import datetime as dt
import importlib.util
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from docgen.config import load_settings
from docgen.model import ASPECTS, FEEDBACK_COLUMNS, MEASURE_COLUMNS, STATUS_BY_WORD
from docgen.workspace import open_workspace

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "inputs"
SCRIPT = ROOT / "scripts" / "make_sample_inputs.py"
AS_OF = dt.date(2026, 11, 26)
MEASURE_HEADER = [column.name for column in MEASURE_COLUMNS]


def load_generator():
    spec = importlib.util.spec_from_file_location("make_sample_inputs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "inputs"
    assert load_generator().main(["--out", str(out)]) == 0
    return out


# --- reading the files back without docgen's loader -----------------------------------------


def sheet_values(path: Path) -> list[list]:
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False, header=None)
        return frame.values.tolist()
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def header_index(rows: list[list], columns) -> tuple[int, dict[str, int]]:
    """The first row naming the id column, and where each canonical column sits in it."""
    for number, row in enumerate(rows[:6]):
        cells = [str(v).strip() if v is not None else "" for v in row]
        found = {}
        for column in columns:
            for position, cell in enumerate(cells):
                if cell in column.headers:
                    found[column.name] = position
                    break
        if "编号" in found:
            return number, found
    raise AssertionError(f"no header row in the first rows: {rows[:6]}")


def records(path: Path, columns) -> list[dict]:
    rows = sheet_values(path)
    number, found = header_index(rows, columns)
    result = []
    for row in rows[number + 1 :]:
        if all(v in (None, "") for v in row):
            continue
        result.append({name: row[position] for name, position in found.items()})
    return result


def as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", str(value).strip())
    assert m, f"not a date: {value!r}"
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def measures(folder: Path) -> list[dict]:
    return records(folder / "measures.xlsx", MEASURE_COLUMNS)


def feedback(folder: Path) -> dict[str, list[dict]]:
    return {
        path.name: records(path, FEEDBACK_COLUMNS)
        for path in sorted((folder / "feedback").iterdir())
    }


def split_departments(cell) -> list[str]:
    return [part for part in re.split(r"[、，,;；/／\n]+", cell or "") if part.strip()]


# --- the committed sample is what the script writes --------------------------------------------


def test_generator_reproduces_the_committed_measures(generated):
    ours, committed = measures(generated), measures(COMMITTED)
    assert [(m["编号"], m["具体举措"]) for m in ours] == [
        (m["编号"], m["具体举措"]) for m in committed
    ]
    assert ours == committed


def test_generator_reproduces_the_committed_feedback_and_config(generated):
    ours = sorted(p.name for p in (generated / "feedback").iterdir())
    committed = sorted(p.name for p in (COMMITTED / "feedback").iterdir())
    assert ours == committed
    for name in ours:
        assert sheet_values(generated / "feedback" / name) == sheet_values(
            COMMITTED / "feedback" / name
        ), name
    config = (generated / "docgen.toml").read_text(encoding="utf-8")
    assert config == (COMMITTED / "docgen.toml").read_text(encoding="utf-8")


def test_generator_is_deterministic(tmp_path, generated):
    again = tmp_path / "again"
    load_generator().main(["--out", str(again)])
    for path in sorted(generated.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(generated)).read_bytes(), path


# --- the measure list -------------------------------------------------------------------------


def test_measure_sheet_has_a_merged_title_above_the_canonical_header():
    sheet = openpyxl.load_workbook(COMMITTED / "measures.xlsx").worksheets[0]
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "举措清单" in sheet["A1"].value
    rows = sheet_values(COMMITTED / "measures.xlsx")
    number, _ = header_index(rows, MEASURE_COLUMNS)
    assert number >= 1
    assert rows[number] == MEASURE_HEADER


def test_streams_have_realistic_sizes_and_ids():
    rows = measures(COMMITTED)
    ids = [m["编号"] for m in rows]
    assert len(ids) == len(set(ids))
    by_stream = {}
    for m in rows:
        by_stream.setdefault(m["专项"], []).append(m)
    assert 12 <= len(by_stream["警示教育"]) <= 18
    assert 55 <= len(by_stream["以案促改"]) <= 65
    assert 85 <= len(by_stream["巡察整改"]) <= 95
    patterns = {"警示教育": r"JS-\d{2}", "以案促改": r"YA-\d{3}", "巡察整改": r"XC-\d{3}"}
    for stream, items in by_stream.items():
        assert all(re.fullmatch(patterns[stream], m["编号"]) for m in items)


def test_inspection_measures_are_grouped_under_numbered_problems():
    inspection = [m for m in measures(COMMITTED) if m["专项"] == "巡察整改"]
    problems = {}
    for m in inspection:
        assert m["问题"], m["编号"]
        problems.setdefault(m["问题"], []).append(m["编号"])
    assert 17 <= len(problems) <= 23
    numbers = sorted(int(re.match(r"(\d+)\.", p)[1]) for p in problems)
    assert numbers == list(range(1, len(problems) + 1))
    assert all(len(ids) >= 2 for ids in problems.values())


def test_measure_text_is_specific_and_never_repeated():
    rows = measures(COMMITTED)
    texts = [m["具体举措"] for m in rows]
    assert len(set(texts)) == len(texts)
    # Stripped of digits, no two measures say the same thing with a number changed.
    assert len({re.sub(r"\d+", "", t) for t in texts}) == len(texts)
    assert sum("\n" in t for t in texts) >= 3
    assert not any(re.search(r"举措\d|lorem|XXX", t, re.I) for t in texts)


def test_measure_owners_aspects_and_deadlines():
    settings = load_settings(COMMITTED)
    known = {d.name for d in settings.departments}
    rows = measures(COMMITTED)
    separators = set()
    standing = text_dates = 0
    for m in rows:
        assert m["牵头部门"] in known
        assert set(split_departments(m["责任部门"])) <= known, m["编号"]
        separators.update(re.findall(r"[、，\n]", m["责任部门"] or ""))
        if m["专项"] != "巡察整改":
            assert m["重点方面"] in ASPECTS
        assert m["分管领导"] == settings.department(m["牵头部门"]).leader
        deadline = m["完成时限"]
        if deadline in ("长期坚持", "持续推进"):
            standing += 1
        elif isinstance(deadline, dt.datetime):
            assert deadline.year == 2026
        else:
            text_dates += 1
            assert re.fullmatch(r"(2026[年/.-])?\d{1,2}([/.-]\d{1,2}|月底|月\d{1,2}日)", deadline)
    assert separators == {"、", "，", "\n"}
    assert 0.08 <= standing / len(rows) <= 0.15
    assert 3 <= text_dates <= 15


# --- docgen.toml ------------------------------------------------------------------------------


def test_config_describes_the_bureau():
    text = (COMMITTED / "docgen.toml").read_text(encoding="utf-8")
    assert "as_of" not in text.split("# 统计截止日期")[0] and not re.search(r"^as_of", text, re.M)
    settings = load_settings(COMMITTED)
    assert settings.organisation.name == "江淮省地方金融管理局"
    assert settings.organisation.party_group == "中共江淮省地方金融管理局党组"
    assert settings.campaign.year == 2026 and settings.campaign.as_of is None
    assert settings.campaign.warning_days == 7 and settings.campaign.return_deadline
    assert settings.addressees.superior and settings.addressees.brief_issue
    assert 24 <= len(settings.departments) <= 28
    assert {d.kind for d in settings.departments} == {"处室", "分局", "党支部"}
    assert all(d.leader for d in settings.departments)


# --- the returned forms -----------------------------------------------------------------------


def test_every_feedback_row_is_valid():
    known = {d.name for d in load_settings(COMMITTED).departments}
    ids = {m["编号"] for m in measures(COMMITTED)}
    undated = 0
    for name, rows in feedback(COMMITTED).items():
        assert rows, name
        for row in rows:
            assert row["编号"] in ids, (name, row["编号"])
            assert row["填报单位"] in known, (name, row["填报单位"])
            assert row["完成状态"] in STATUS_BY_WORD, (name, row["完成状态"])
            reported = as_date(row["填报日期"])
            assert reported and reported < AS_OF
            done_on = as_date(row["完成时间"])
            if STATUS_BY_WORD[row["完成状态"]] == "已完成":
                undated += done_on is None
                assert done_on is None or done_on <= reported
            else:
                assert (
                    row["存在问题"]
                    and row["下步计划"]
                    or row["完成状态"]
                    in (
                        "长期坚持",
                        "持续推进",
                        "长期推进",
                    )
                )
    assert 1 <= undated <= 2


def test_forms_vary_like_real_offices():
    headers, titled = set(), 0
    for path in sorted((COMMITTED / "feedback").iterdir()):
        rows = sheet_values(path)
        number, found = header_index(rows, FEEDBACK_COLUMNS)
        headers.add(tuple(str(rows[number][i]) for i in sorted(found.values())))
        if path.suffix == ".xlsx" and number > 0:
            sheet = openpyxl.load_workbook(path).worksheets[0]
            titled += bool(sheet.merged_cells.ranges)
    assert len(headers) >= 5
    assert titled >= 3
    words = {row["完成状态"] for rows in feedback(COMMITTED).values() for row in rows}
    assert {"已完成", "推进中", "未启动", "长期坚持"} <= words
    assert len(words - {"已完成", "推进中", "未启动", "长期坚持"}) >= 3


def test_one_csv_in_gbk_as_wps_writes_it():
    csvs = list((COMMITTED / "feedback").glob("*.csv"))
    assert len(csvs) == 1
    data = csvs[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gbk")
    assert text.splitlines()[0].split(",")[0] in FEEDBACK_COLUMNS[0].headers
    assert "\r\n" in text


def test_three_or_four_departments_never_reply():
    settings = load_settings(COMMITTED)
    replied = {row["填报单位"] for rows in feedback(COMMITTED).values() for row in rows}
    silent = [d.name for d in settings.departments if d.name not in replied]
    assert 3 <= len(silent) <= 4
    files = [p.name for p in (COMMITTED / "feedback").iterdir()]
    assert not any(name in file for name in silent for file in files)


def test_one_department_submits_twice_and_the_later_form_changes_statuses():
    by_department = {}
    for name, rows in feedback(COMMITTED).items():
        departments = {row["填报单位"] for row in rows}
        assert len(departments) == 1, name
        by_department.setdefault(departments.pop(), []).append(rows)
    counts = sorted(len(forms) for forms in by_department.values())
    assert counts[-1] == 2 and counts[-2] == 1
    twice = [forms for forms in by_department.values() if len(forms) == 2]
    first, second = sorted(twice[0], key=lambda rows: as_date(rows[0]["填报日期"]))
    assert as_date(first[0]["填报日期"]) < as_date(second[0]["填报日期"])
    before = {row["编号"]: STATUS_BY_WORD[row["完成状态"]] for row in first}
    after = {row["编号"]: STATUS_BY_WORD[row["完成状态"]] for row in second}
    assert sum(before.get(i) != s for i, s in after.items()) >= 2


def test_late_november_status_mix():
    """About 55-65% of assignments done (latest form wins), a handful of overdue measures."""
    rows = measures(COMMITTED)
    latest = {}
    for forms in feedback(COMMITTED).values():
        for row in forms:
            key = (row["编号"], row["填报单位"])
            reported = as_date(row["填报日期"])
            if key not in latest or latest[key][0] < reported:
                latest[key] = (reported, STATUS_BY_WORD[row["完成状态"]])
    assignments = [
        (m["编号"], d) for m in rows for d in [m["牵头部门"], *split_departments(m["责任部门"])]
    ]
    done = sum(latest.get(a, (None, ""))[1] == "已完成" for a in assignments)
    assert 0.55 <= done / len(assignments) <= 0.65
    unanswered = [a for a in assignments if a not in latest]
    assert len(unanswered) > 10
    overdue = 0
    for m in rows:
        if isinstance(m["完成时限"], dt.datetime) and m["完成时限"].date() < AS_OF:
            owners = [m["牵头部门"], *split_departments(m["责任部门"])]
            overdue += not all(
                latest.get((m["编号"], d), (None, ""))[1] == "已完成" for d in owners
            )
    assert 3 <= overdue <= 10


def test_files_are_small_and_named_validly_for_windows():
    for path in COMMITTED.rglob("*"):
        # .docgen is what runs on the sample remember (history, table cache): not committed.
        if path.is_file() and ".docgen" not in path.relative_to(COMMITTED).parts:
            assert path.stat().st_size < 100_000, path
            assert not re.search(r'[<>:"/\\|?*]', path.name) and path.name[-1] not in ". "


def test_docgen_validation_finds_no_errors():
    validation = pytest.importorskip("docgen.validation")
    workspace = open_workspace(COMMITTED, AS_OF, AS_OF)
    report = validation.validate_inputs(
        workspace, remember=False
    ).report  # inputs/ stays as committed
    assert not report.errors, [issue.message for issue in report.errors]
    assert {issue.code for issue in report.warnings} <= {"done-without-date"}
