"""Incremental builds (docgen.reuse): a rebuild of the same date renders only the documents whose
inputs changed and takes the others from the previous build, with the same bytes a full build
would write; the manifest says which were taken; --force renders everything."""

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import copy_sample

import docgen.charts
import docgen.rendering.kept
import docgen.reuse as reuse_module
from docgen.build import build
from docgen.cli import main
from docgen.reuse import Reuse, file_state
from docgen.workspace import open_workspace

AS_OF = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 0)
DEPARTMENT = "临淮分局"
CHANGED = "YA-012"
# The documents about the whole campaign: any change to a return may change what they say.
SUMMARIES = ("整改台账", "自查报告.docx", "督导简报", "年终总结", "工作动态")


def run_build(workspace: Path, out: Path, force: bool = False):
    return build(open_workspace(workspace, AS_OF, AS_OF), out, NOW, force=force)


def manifest(folder: Path) -> dict[str, dict]:
    data = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {entry["file"]: entry for entry in data["outputs"]}


def contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def report_done(workspace: Path, department: str, measure_id: str) -> None:
    """The department's return now says the measure is done: one row of one form changes."""
    path = next(workspace.glob(f"feedback/{department}_*.xlsx"))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == measure_id)
    assert row[header.index("进展状态")].value != "完成"
    row[header.index("进展状态")].value = "完成"
    row[header.index("进展")].value = "自查完成，发现的2个问题均已整改"
    row[header.index("完成时间")].value = dt.datetime(2026, 11, 22)
    row[header.index("存在问题")].value = None
    row[header.index("下一步措施")].value = None
    workbook.save(path)


@pytest.fixture(scope="module")
def one_row_changed(tmp_path_factory):
    """The sample built, one row of one department's return changed, then built again into the
    same folder (incremental) and into another with --force: (before, incremental, forced)."""
    root = tmp_path_factory.mktemp("reuse")
    workspace = copy_sample(root / "inputs")
    out = root / "out"
    first = run_build(workspace, out)
    before = contents(first.folder)
    report_done(workspace, DEPARTMENT, CHANGED)
    again = run_build(workspace, out)
    forced = run_build(workspace, root / "forced", force=True)
    return before, again, forced


def test_a_rebuild_has_the_bytes_of_a_full_build(one_row_changed):
    _, again, forced = one_row_changed
    incremental, full = contents(again.folder), contents(forced.folder)
    assert incremental.keys() == full.keys() and len(full) > 50
    assert [name for name in full if incremental[name] != full[name]] == []


def test_a_one_row_change_rewrites_only_what_mentions_it_and_the_summaries(one_row_changed):
    before, again, forced = one_row_changed
    full = contents(forced.folder)
    changed = {name for name in full if before.get(name) != full[name]}
    listed = manifest(again.folder)
    rewritten = {name for name, entry in listed.items() if not entry["reused"]}
    # the change shows, and every file whose bytes changed was rendered again
    assert f"部门自查报告/自查报告_{DEPARTMENT}.docx" in changed
    assert changed <= rewritten
    # nothing else was, but the documents about the whole campaign
    others = {name for name in rewritten - changed if not name.startswith(SUMMARIES)}
    assert others == set()
    departments = {name for name in rewritten if "/" in name}
    assert all(DEPARTMENT in name for name in departments), departments
    assert again.reused == len(listed) - len(rewritten) > 80


def count_calls(monkeypatch, module, name: str, calls: list) -> None:
    function = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_department_documents_are_built_only_where_their_inputs_changed(tmp_path, monkeypatch):
    """A rebuild takes a department's report, forms and notice by what they are built from
    (Reuse.take_unchanged): after one row changes, only the departments with a part in that
    measure have theirs built, and the manifest keeps each file's source fingerprint."""
    import docgen.documents.department_report.context as reports
    import docgen.documents.feedback_form as forms
    import docgen.documents.urge as urge

    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    listed = manifest(first.folder)
    per_department = [name for name in listed if "/" in name]
    assert per_department and all(listed[name]["source"] for name in per_department)
    built = []
    for module, name in (
        (reports, "department_values"),
        (forms, "form_context"),
        (urge, "urge_context"),
    ):
        count_calls(monkeypatch, module, name, built)
    run_build(workspace, tmp_path / "out")
    assert built == []

    report_done(workspace, DEPARTMENT, CHANGED)
    again = run_build(workspace, tmp_path / "out")
    summary = again_summary(workspace)
    sharing = {a.department for a in summary.measure(CHANGED).assignments}
    assert DEPARTMENT in sharing and len(sharing) < len(summary.departments)
    assert 0 < built.count("department_values") <= len(sharing)
    assert built.count("form_context") == len(sharing)
    listed = manifest(again.folder)
    assert listed[f"部门自查报告/自查报告_{DEPARTMENT}.docx"]["reused"] is False
    assert all(listed[name]["source"] for name in listed if "/" in name)


def test_a_measure_reworded_is_rewritten_in_every_department_document_that_quotes_it(tmp_path):
    """A measure's text changes in the measure list and no department's figures do: every
    document that quotes it is rendered again (its departments' reports, forms and notices
    take the measure's digest), and the rebuild has the bytes of a full build."""
    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    before = contents(first.folder)
    workbook = openpyxl.load_workbook(workspace / "measures.xlsx")
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == CHANGED)
    row[header.index("具体举措")].value = "逐项复核本处室廉政风险点，修订防控措施清单"
    workbook.save(workspace / "measures.xlsx")
    again = run_build(workspace, tmp_path / "out")
    forced = run_build(workspace, tmp_path / "forced", force=True)
    incremental, full = contents(again.folder), contents(forced.folder)
    assert [name for name in full if incremental[name] != full[name]] == []
    reports = {n for n in full if n.startswith("部门自查报告/") and before[n] != full[n]}
    assert len(reports) > 1  # the measure is shared, and each of its departments quotes it


def again_summary(workspace: Path):
    from docgen.build import load_campaign

    return load_campaign(open_workspace(workspace, AS_OF, AS_OF), remember=False).summary


def test_an_unchanged_rebuild_takes_every_file_and_says_so(tmp_path, monkeypatch):
    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    before = contents(first.folder)
    drawn = []
    chart = docgen.charts._chart
    monkeypatch.setattr(
        docgen.charts, "_chart", lambda *args: drawn.append(args[1]) or chart(*args)
    )
    again = run_build(workspace, tmp_path / "out")
    # The brief's and the year-end summary's charts are not drawn for documents taken.
    assert drawn == []
    listed = manifest(again.folder)
    assert again.reused == len(listed) == len(before)
    assert all(entry["reused"] and entry["fingerprint"] for entry in listed.values())
    assert contents(again.folder) == before
    forced = run_build(workspace, tmp_path / "out", force=True)
    assert forced.reused == 0
    assert not any(entry["reused"] for entry in manifest(forced.folder).values())
    assert contents(forced.folder) == before
    # Rendered again, the charts are those drawn from the same data before (rendering.kept).
    assert drawn == []
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "")
    docgen.rendering.kept._folder.cache_clear()
    try:
        uncached = run_build(workspace, tmp_path / "out", force=True)
        assert contents(uncached.folder) == before
        assert len(drawn) == 4  # two in the brief, two in the summary
    finally:
        docgen.rendering.kept._folder.cache_clear()


def test_a_file_changed_since_the_last_build_is_rendered_again(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    name = f"部门自查报告/自查报告_{DEPARTMENT}.docx"
    good = (first.folder / name).read_bytes()
    (first.folder / name).write_bytes(b"opened and saved in Word")
    again = run_build(workspace, tmp_path / "out")
    assert (again.folder / name).read_bytes() == good
    assert manifest(again.folder)[name]["reused"] is False
    assert again.reused == len(manifest(again.folder)) - 1


def test_a_workspace_template_renders_its_kind_again(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    run_build(workspace, tmp_path / "out")
    packaged = Path(__file__).resolve().parent.parent / "templates" / "urge_notice.docx"
    (workspace / "templates").mkdir()
    shutil.copy(packaged, workspace / "templates" / "urge_notice.docx")
    with (workspace / "templates" / "urge_notice.docx").open("ab") as handle:
        handle.write(b"\0")  # other bytes, the same template to a zip reader
    again = run_build(workspace, tmp_path / "out")
    rewritten = {n for n, e in manifest(again.folder).items() if not e["reused"]}
    assert rewritten and all(name.startswith("催办通知/") for name in rewritten), rewritten


def test_the_command_says_what_it_took_and_force_takes_nothing(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    arguments = ["build", "--inputs", str(workspace), "--out", str(tmp_path / "out")]
    arguments += ["--as-of", AS_OF.isoformat()]
    assert CliRunner().invoke(main, arguments).exit_code == 0
    again = CliRunner().invoke(main, arguments)
    assert again.exit_code == 0, again.output
    assert "个内容没有变化，沿用上次生成的文件；重新生成了 0 个" in again.output
    forced = CliRunner().invoke(main, [*arguments, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "沿用" not in forced.output


def test_a_failed_rebuild_leaves_the_previous_build_whole(tmp_path, monkeypatch):
    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    before = contents(first.folder)
    report_done(workspace, DEPARTMENT, CHANGED)
    taken = []
    take = Reuse._taken

    def take_then_fail(self, name, out, checksum, state):
        if len(taken) == 20:
            raise OSError(28, "No space left on device")
        taken.append(take(self, name, out, checksum, state))
        return taken[-1]

    monkeypatch.setattr(Reuse, "_taken", take_then_fail)
    with pytest.raises(OSError):
        run_build(workspace, tmp_path / "out")
    assert any(taken)
    assert contents(first.folder) == before
    assert [p.name for p in (tmp_path / "out").iterdir()] == [AS_OF.isoformat()]


def test_a_manifest_without_fingerprints_takes_nothing(tmp_path):
    folder = tmp_path / "previous"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        json.dumps({"outputs": [{"file": "a.docx", "sha256": "0" * 64}]}), "utf-8"
    )
    (folder / "a.docx").write_bytes(b"x")
    reuse = Reuse.after(folder / "manifest.json", tmp_path / "new", "salt")
    assert reuse.known == {}
    assert not reuse.take(tmp_path / "new" / "a.docx", "anything")
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    assert Reuse.after(broken, tmp_path / "new", "salt").previous is None


def test_equal_values_give_equal_fingerprints_and_any_difference_another():
    reuse = Reuse(Path("."), b"salt")
    value = {"d": dt.date(2026, 11, 26), "rows": [("YA-012", "完成", 3)]}
    same = {"d": dt.date(2026, 11, 26), "rows": [("YA-012", "完成", 3)]}
    assert reuse.fingerprint(value) == reuse.fingerprint(same)
    for other in (
        {"d": dt.date(2026, 11, 27), "rows": [("YA-012", "完成", 3)]},
        {"d": dt.date(2026, 11, 26), "rows": [("YA-012", "推进中", 3)]},
        {"d": dt.date(2026, 11, 26), "rows": [("YA-012", "完成", 3.0)]},
    ):
        assert reuse.fingerprint(other) != reuse.fingerprint(value)
    assert Reuse(Path("."), b"other").fingerprint(value) != reuse.fingerprint(value)


def test_values_that_cannot_be_pickled_are_rendered_every_time(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    reuse = Reuse(tmp_path / "new", b"salt", previous, {"a.docx": ("x", "y")})
    assert reuse.fingerprint({"f": lambda: 0}) is None
    assert not reuse.take(tmp_path / "new" / "a.docx", {"f": lambda: 0})
    assert reuse.entry("a.docx") == {}


def test_a_file_is_taken_by_its_source_with_the_fingerprint_it_had(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "a.docx").write_bytes(b"report")
    checksum = hashlib.sha256(b"report").hexdigest()
    maker = Reuse(tmp_path / "first", b"salt")
    source = maker.fingerprint("source", "department", ("YA-012", "完成"))
    known = {"a.docx": ("made of", checksum, source, None)}
    reuse = Reuse(tmp_path / "new", b"salt", previous, dict(known))
    assert reuse.take_unchanged(tmp_path / "new" / "a.docx", "department", ("YA-012", "完成"))
    assert (tmp_path / "new" / "a.docx").read_bytes() == b"report"
    assert reuse.entry("a.docx") == {"fingerprint": "made of", "source": source, "reused": True}
    # another source, or the file changed since, takes nothing
    other = Reuse(tmp_path / "other", b"salt", previous, dict(known))
    assert not other.take_unchanged(
        tmp_path / "other" / "a.docx", "department", ("YA-012", "推进中")
    )
    assert not (tmp_path / "other" / "a.docx").exists()
    assert other.entry("a.docx") == {}  # its fingerprint comes from take(), after building
    (previous / "a.docx").write_bytes(b"opened and saved")
    changed = Reuse(tmp_path / "changed", b"salt", previous, dict(known))
    assert not changed.take_unchanged(
        tmp_path / "changed" / "a.docx", "department", ("YA-012", "完成")
    )


def test_digests_are_pickled_once_per_build_and_follow_the_values():
    reuse = Reuse(Path("."), b"salt")
    values = (("YA-012", "完成"), ("YA-013", "推进中"))
    found = reuse.digests(values)
    assert reuse.digests(values) is found
    assert found[id(values[0])] != found[id(values[1])]
    again = (("YA-012", "完成"), ("YA-013", "完成"))
    other = reuse.digests(again)
    assert other[id(again[0])] == found[id(values[0])]
    assert other[id(again[1])] != found[id(values[1])]


def test_a_file_as_the_build_left_it_is_taken_without_reading_it(tmp_path, monkeypatch):
    previous = tmp_path / "previous"
    previous.mkdir()
    path = previous / "a.docx"
    path.write_bytes(b"report")
    checksum = hashlib.sha256(b"report").hexdigest()
    known = {"a.docx": ("made of", checksum, "", file_state(path))}

    def taken(folder: str) -> bool:
        return Reuse(tmp_path / folder, b"salt", previous, dict(known)).take(
            tmp_path / folder / "a.docx", "made of"
        )

    fingerprint = Reuse(tmp_path, b"salt").fingerprint("made of")
    known["a.docx"] = (fingerprint, *known["a.docx"][1:])
    read = []
    real_sha256 = reuse_module.sha256
    monkeypatch.setattr(reuse_module, "sha256", lambda p: read.append(p) or real_sha256(p))
    assert taken("same") and read == []
    # its time alone changed: read, and taken by its checksum
    os.utime(path, ns=(1, 1))
    assert taken("touched") and read == [path]
    # another file of the same size put in its place, with the time the build left
    size, modified, _ = known["a.docx"][3]
    replacement = previous / "other"
    replacement.write_bytes(b"REPORT")
    os.replace(replacement, path)
    os.utime(path, ns=(modified, modified))
    assert file_state(path)[:2] == (size, modified)
    assert not taken("replaced")
    assert not (tmp_path / "replaced" / "a.docx").exists()


def test_the_manifest_keeps_each_file_as_the_build_left_it(tmp_path):
    workspace = copy_sample(tmp_path / "inputs")
    first = run_build(workspace, tmp_path / "out")
    name = f"部门自查报告/自查报告_{DEPARTMENT}.docx"
    entry = manifest(first.folder)[name]
    path = first.folder / name
    assert (entry["bytes"], entry["mtime_ns"], entry["inode"]) == file_state(path)
    again = run_build(workspace, tmp_path / "out")
    assert manifest(again.folder)[name]["reused"] is True
    assert manifest(again.folder)[name]["inode"] == entry["inode"]  # the same file, linked
