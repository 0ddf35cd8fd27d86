"""The table cache (validation.TableCache): a run reads again only the spreadsheets whose bytes
changed, and what it hands on is what reading every file gives."""

import datetime as dt
import json
import shutil

import pytest
from conftest import FEEDBACK_HEADER, SMALL_AS_OF, SMALL_FEEDBACK, copy_sample, write_sheet

import docgen.validation
from docgen.history import HISTORY_FOLDER
from docgen.loading import Table, UnreadableCell, records_from_json, table_data, table_from_data
from docgen.validation import TableCache, validate_inputs
from docgen.workspace import open_workspace

SAMPLE_AS_OF = dt.date(2026, 11, 26)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files read from disk (not taken from the cache) from now on."""
    names = []
    read_table = docgen.validation.read_table

    def counted(path, *args, **kwargs):
        names.append(path.name)
        return read_table(path, *args, **kwargs)

    monkeypatch.setattr(docgen.validation, "read_table", counted)
    return names


def entries(root, prefix: str = "") -> list:
    """The cache's entries in `root` (TableCache), those whose names start with `prefix`."""
    return [
        path
        for folder in (root / HISTORY_FOLDER / TableCache.FOLDER).iterdir()
        for path in folder.iterdir()
        if path.name.startswith(prefix)
    ]


def validate(root, as_of=SAMPLE_AS_OF):
    return validate_inputs(open_workspace(root, as_of, as_of))


def same_inputs(first, second) -> None:
    assert first.measures.equals(second.measures)
    assert first.feedback.equals(second.feedback)
    assert first.report.to_dict() == second.report.to_dict()
    assert (first.departments, first.returned, first.title) == (
        second.departments,
        second.returned,
        second.title,
    )


def test_a_second_run_reads_nothing_and_gives_the_same_inputs(tmp_path, reads):
    workspace = copy_sample(tmp_path / "inputs")
    files = 1 + len(list((workspace / "feedback").iterdir()))
    first = validate(workspace)
    assert len(reads) == files
    assert len(entries(workspace, "table-")) == files
    second = validate(workspace)
    assert len(reads) == files  # every table taken from the cache
    same_inputs(first, second)
    assert len(second.feedback) > 100 and second.report.warnings


def test_a_form_checked_before_is_not_read_at_all(tmp_path, reads, monkeypatch):
    """Its kept table's head gives what the run needs before the checks (its rows as the sheet
    counts them, the departments it reports for); its rows are read only to check it again."""
    workspace = copy_sample(tmp_path / "inputs")
    first = validate(workspace)
    forms = len(list((workspace / "feedback").iterdir()))
    parsed = []
    table_from_data = docgen.validation.table_from_data

    def counted(data, path):
        parsed.append(path.name)
        return table_from_data(data, path)

    monkeypatch.setattr(docgen.validation, "table_from_data", counted)
    reads.clear()
    same_inputs(first, validate(workspace))
    assert reads == [] and parsed == ["measures.xlsx"]
    # A department renamed: every form is checked again, its rows read from the cache.
    config = workspace / "docgen.toml"
    config.write_text(
        config.read_text("utf-8").replace('name = "办公室"', 'name = "局办公室"', 1), "utf-8"
    )
    parsed.clear()
    renamed = validate(workspace)
    assert reads == [] and len(parsed) == forms + 1
    same_inputs(renamed, fresh(workspace))


def test_the_measure_list_checked_before_is_not_checked_again(tmp_path, monkeypatch):
    workspace = copy_sample(tmp_path / "inputs")
    first = validate(workspace)
    calls = []
    check_measures = docgen.validation._check_measures

    def counted(*args):
        calls.append(args[1].file)
        return check_measures(*args)

    monkeypatch.setattr(docgen.validation, "_check_measures", counted)
    same_inputs(first, validate(workspace))
    assert calls == []
    # Another department list changes what the check finds: it is done again.
    config = workspace / "docgen.toml"
    config.write_text(
        config.read_text("utf-8").replace('name = "办公室"', 'name = "局办公室"', 1), "utf-8"
    )
    renamed = validate(workspace)
    assert calls == ["measures.xlsx"]
    same_inputs(renamed, fresh(workspace))
    assert renamed.report.to_dict() != first.report.to_dict()


def test_a_changed_file_is_read_again_and_only_it(tmp_path, reads):
    workspace = copy_sample(tmp_path / "inputs")
    validate(workspace)
    reads.clear()
    form = workspace / "feedback" / "办公室_反馈表.xlsx"
    rows = [list(row) for row in SMALL_FEEDBACK["办公室.xlsx"]]
    rows[0][FEEDBACK_HEADER.index("进展情况")] = "改过的进展"
    write_sheet(form, FEEDBACK_HEADER, rows)
    changed = validate(workspace, SMALL_AS_OF)
    assert reads == [form.name]
    assert "改过的进展" in set(changed.feedback["进展情况"])
    reads.clear()
    cached = validate(workspace, SMALL_AS_OF)
    assert reads == []
    same_inputs(changed, cached)


def test_another_version_of_the_code_or_a_broken_cache_reads_every_file(tmp_path, reads):
    workspace = copy_sample(tmp_path / "inputs")
    first = validate(workspace)
    files = len(reads)
    (folder,) = (workspace / HISTORY_FOLDER / TableCache.FOLDER).iterdir()
    folder.rename(folder.with_name("another-version"))
    reads.clear()
    same_inputs(first, validate(workspace))
    assert len(reads) == files
    # the other version's entries are gone, this one's are kept
    assert [p.name for p in (workspace / HISTORY_FOLDER / TableCache.FOLDER).iterdir()] == [
        folder.name
    ]
    for entry in entries(workspace):
        entry.write_text('{"code": ', "utf-8")
    reads.clear()
    same_inputs(first, validate(workspace))
    assert len(reads) == files


def test_a_run_keeps_only_what_it_used_and_the_single_file_of_earlier_versions_goes(
    tmp_path, reads
):
    workspace = copy_sample(tmp_path / "inputs")
    old = workspace / HISTORY_FOLDER / "tables.json"
    old.parent.mkdir()
    old.write_text("{}", "utf-8")
    validate(workspace)
    before = {p.name for p in entries(workspace)}
    form = workspace / "feedback" / "办公室_反馈表.xlsx"
    rows = [list(row) for row in SMALL_FEEDBACK["办公室.xlsx"]]
    rows[0][FEEDBACK_HEADER.index("进展情况")] = "改过的进展"
    write_sheet(form, FEEDBACK_HEADER, rows)
    (folder,) = (workspace / HISTORY_FOLDER / TableCache.FOLDER).iterdir()
    killed = folder / f".table-x.json.{2**22 + 7}.abc.tmp"  # of a run killed half way
    killed.write_text("{", "utf-8")
    validate(workspace, SMALL_AS_OF)
    after = {p.name for p in entries(workspace)}
    assert len(after) == len(before) and len(after - before) >= 2  # its table and its check
    assert not old.exists() and not killed.exists()


def test_a_run_refused_for_bad_input_writes_no_cache(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    (workspace / "feedback" / "坏文件.xlsx").write_bytes(b"not a spreadsheet")
    inputs = validate(workspace)
    assert not inputs.report.valid
    assert not (workspace / HISTORY_FOLDER / TableCache.FOLDER).exists()


def test_a_cached_file_over_a_lowered_limit_is_still_refused(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    assert validate(workspace).report.valid
    config = workspace / "docgen.toml"
    config.write_text(config.read_text("utf-8") + "\n[limits]\nmax_rows = 100\n", "utf-8")
    codes = {issue.code for issue in validate(workspace).report.errors}
    assert "too-many-rows" in codes


def test_every_kind_of_value_survives_the_cache(tmp_path):
    table = Table(
        path=tmp_path / "a.xlsx",
        sheet="反馈表",
        columns={"编号": "编号", "完成时间": "完成时间（年月日）"},
        positions={"编号": 0, "完成时间": 3},
        rows=[
            {"编号": "JS-01", "完成时间": dt.date(2026, 5, 1)},
            {"编号": "=A1", "完成时间": dt.datetime(2026, 5, 1, 8, 30)},
            {"编号": 12, "完成时间": 1.5},
            {"编号": "😀\n𠮷", "完成时间": ""},
        ],
        row_numbers=[4, 5, 7, 9],
        header_row=3,
        properties={"填报单位": "办公室"},
        sheet_rows=9,
        title="标题",
        unreadable=[UnreadableCell(6, "完成时间", "error-value", "#N/A")],
    )
    data = json.loads(json.dumps(table_data(table)))
    again = table_from_data(data, table.path)
    assert again == table
    assert [type(row["完成时间"]) for row in again.rows] == [dt.date, dt.datetime, float, str]


def test_kept_rows_share_their_texts_and_dates_and_a_ragged_row_is_refused():
    name = "".join(["临淮", "分局"])
    values = {name: name}
    rows = json.loads(json.dumps([["临淮分局", {"date": "2026-05-01"}, 3], ["临淮分局", None, 4]]))
    records = records_from_json(["单位", "完成时间", "_row"], rows, values)
    assert records == [
        {"单位": name, "完成时间": dt.date(2026, 5, 1), "_row": 3},
        {"单位": name, "完成时间": None, "_row": 4},
    ]
    assert all(record["单位"] is name for record in records)
    assert (
        records_from_json(["a"], [[{"date": "2026-05-01"}]], values)[0]["a"]
        is values[dt.date(2026, 5, 1)]
    )
    with pytest.raises(ValueError):
        records_from_json(["a", "b"], [["x", 1], ["y"]])
    with pytest.raises(ValueError):
        records_from_json(["a"], [["x", 1]])


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The names of the returned forms checked (not taken from the cache) from now on."""
    names = []
    check_form = docgen.validation._check_form

    def counted(place, *args, **kwargs):
        names.append(place.table.path.name)
        return check_form(place, *args, **kwargs)

    monkeypatch.setattr(docgen.validation, "_check_form", counted)
    return names


def fresh(root, as_of=SAMPLE_AS_OF):
    """What validating `root` gives with nothing kept from before."""
    shutil.rmtree(root / HISTORY_FOLDER / TableCache.FOLDER, ignore_errors=True)
    return validate(root, as_of)


def test_a_second_run_checks_no_form_again_and_finds_the_same(tmp_path, checks):
    workspace = copy_sample(tmp_path / "inputs")
    first = validate(workspace)
    forms = len(checks)
    assert forms == len(list((workspace / "feedback").iterdir()))
    checks.clear()
    second = validate(workspace)
    assert checks == []
    same_inputs(first, second)
    assert any(issue.file.startswith("feedback/") for issue in second.report.warnings)


def test_only_a_changed_form_is_checked_again(tmp_path, checks):
    workspace = copy_sample(tmp_path / "inputs")
    validate(workspace)
    form = workspace / "feedback" / "办公室_反馈表.xlsx"
    rows = [list(row) for row in SMALL_FEEDBACK["办公室.xlsx"]]
    rows[0][FEEDBACK_HEADER.index("进展情况")] = "改过的进展"
    write_sheet(form, FEEDBACK_HEADER, rows)
    checks.clear()
    changed = validate(workspace, SMALL_AS_OF)
    assert checks == [form.name]
    assert "改过的进展" in set(changed.feedback["进展情况"])
    checks.clear()
    same_inputs(changed, validate(workspace, SMALL_AS_OF))
    assert checks == []


def test_a_changed_measure_list_or_department_list_checks_every_form_again(tmp_path, checks):
    workspace = copy_sample(tmp_path / "inputs")
    validate(workspace)
    forms = len(checks)
    checks.clear()
    config = workspace / "docgen.toml"
    config.write_text(
        config.read_text("utf-8").replace('name = "办公室"', 'name = "局办公室"', 1), "utf-8"
    )
    renamed = validate(workspace)
    assert len(checks) == forms
    same_inputs(renamed, fresh(workspace))


def test_a_form_renamed_or_moved_up_is_checked_or_placed_as_it_now_is(tmp_path, checks):
    """Its issues name the file by its new name, and its rows carry its new place among the
    forms (which decides between two answers of the same date)."""
    workspace = copy_sample(tmp_path / "inputs")
    validate(workspace)
    folder = workspace / "feedback"
    last = sorted(folder.iterdir())[-1]
    last.rename(folder / f"0_{last.name}")
    checks.clear()
    moved = validate(workspace)
    assert checks == [f"0_{last.name}"]
    checks.clear()
    again = fresh(workspace)
    same_inputs(moved, again)
    assert sorted(set(moved.feedback["_order"])) == list(range(len(list(folder.iterdir()))))


def test_a_broken_kept_check_is_done_again(tmp_path, checks):
    workspace = copy_sample(tmp_path / "inputs")
    first = validate(workspace)
    kept = entries(workspace, "checked-")
    assert kept
    for entry in kept:
        entry.write_text(json.dumps({"records": [[1]], "issues": []}), "utf-8")
    checks.clear()
    same_inputs(first, validate(workspace))
    assert len(checks) == len(kept)
