"""The main job on the sample inputs and on a small campaign: everything written, checked and
listed, or nothing at all."""

import contextlib
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SMALL_AS_OF, SMALL_FEEDBACK, copy_sample, make_workspace
from openpyxl import load_workbook
from test_reuse import contents, manifest

from docgen.build import build, load_campaign, manifest_text
from docgen.cli import main
from docgen.errors import ValidationFailed
from docgen.official.checking import check_document
from docgen.workspace import open_workspace

NOW = dt.datetime(2026, 11, 26, 9, 30)
FORBIDDEN = re.compile(r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00[0-9A-Fa-f]{2}_|\d{4}-\d{2}-\d{2}")


def document_texts(path: Path) -> list[str]:
    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_footer):
            texts += [p.text for p in part.paragraphs]
    return texts


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    workspace = root / "inputs"
    copy_sample(workspace)
    as_of = dt.date(2026, 11, 26)
    result = build(open_workspace(workspace, as_of, as_of), root / "outputs", NOW)
    return workspace, result


def test_sample_build_writes_every_document(sample_build):
    workspace, result = sample_build
    assert result.folder.name == "2026-11-26"
    names = {p.relative_to(result.folder).as_posix() for p in result.outputs}
    assert "整改台账.xlsx" in names
    assert "自查报告.docx" in names
    assert any(n.startswith("督导简报") for n in names)
    assert any(n.startswith("2026年度") for n in names)
    departments = 26 - 0  # every department of the sample has assignments
    assert sum(n.startswith("反馈表/") and n.endswith(".docx") for n in names) == departments
    assert sum(n.startswith("反馈表/") and n.endswith(".xlsx") for n in names) == departments
    # A report in the name of every department a form was read from, but the issuing office
    # (办公室, whose items are the party group's) and the three that returned nothing.
    summary = load_campaign(open_workspace(workspace, *[dt.date(2026, 11, 26)] * 2)).summary
    returned = {d.name for d in summary.departments if not d.sent_nothing}
    written = {
        n.removeprefix("部门自查报告/自查报告_").removesuffix(".docx")
        for n in names
        if n.startswith("部门自查报告/")
    }
    assert written == returned - {"办公室"}
    assert len(written) == departments - 3 - 1
    # Departments with overdue or unreported assignments on 2026-11-26 get an urging notice.
    assert sum(n.startswith("催办通知/") for n in names) >= 3
    assert all(p.exists() for p in result.outputs)
    assert not list(result.folder.parent.glob(".*.tmp"))


def test_manifest_lists_inputs_outputs_and_versions(sample_build):
    workspace, result = sample_build
    manifest = json.loads(result.manifest.read_text("utf-8"))
    assert manifest["as_of"] == "2026-11-26"
    inputs = {entry["file"] for entry in manifest["inputs"]}
    assert "measures.xlsx" in inputs and "docgen.toml" in inputs
    assert len([i for i in inputs if i.startswith("feedback/")]) == 24
    assert len(manifest["outputs"]) == len(result.outputs)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["outputs"])
    assert manifest["versions"]["docxtpl"]
    assert manifest["figures"]["total"] == 165
    # one line for each file, the rest indented as json writes it
    lines = result.manifest.read_text("utf-8").splitlines()
    listed = [
        json.loads(line.strip().rstrip(",")) for line in lines if line.startswith('    {"file"')
    ]
    assert listed == manifest["inputs"] + manifest["outputs"]
    assert '  "versions": {' in lines


def test_manifest_text_is_the_json_of_its_data():
    data = {
        "as_of": "2026-11-26",
        "inputs": [{"file": "feedback/办公室.xlsx", "bytes": 1}],
        "outputs": [],
        "versions": {"docgen": "1"},
        "left_out": {"督导抽查情况报告": "还没有收回记录表"},
    }
    for outputs in (
        [],
        [{"file": "甲.docx", "reused": True}, {"file": "乙.docx", "sha256": "0" * 64}],
    ):
        assert json.loads(manifest_text({**data, "outputs": outputs})) == {
            **data,
            "outputs": outputs,
        }


def test_every_word_document_passes_the_checker_and_shows_no_raw_values(sample_build):
    _, result = sample_build
    documents = [p for p in result.outputs if p.suffix == ".docx"]
    assert documents
    for path in documents:
        assert check_document(path) == [], path
        for text in document_texts(path):
            assert not FORBIDDEN.search(text), (path.name, text)


def test_ledger_agrees_with_the_summary(sample_build):
    _, result = sample_build
    sheet = load_workbook(result.folder / "整改台账.xlsx")["整改台账"]
    statuses = [sheet.cell(row=r, column=11).value for r in range(4, sheet.max_row + 1)]
    assert len(statuses) == 165
    assert statuses.count("已完成") == 92  # as `docgen status` shows for 2026-11-26


def test_validation_errors_write_nothing(tmp_path):
    feedback = {k: [list(r) for r in v] for k, v in SMALL_FEEDBACK.items()}
    feedback["办公室.xlsx"][0][2] = "差不多"
    workspace = make_workspace(tmp_path / "ws", feedback=feedback)
    with pytest.raises(ValidationFailed) as caught:
        build(open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW)
    assert caught.value.report.issues[0].code == "bad-status"
    assert not caught.value.report.valid
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_rebuild_replaces_the_dated_folder(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    first = build(open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW)
    (first.folder / "旧文件.txt").write_text("old", "utf-8")
    second = build(open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW)
    assert second.folder == first.folder
    assert not (second.folder / "旧文件.txt").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [SMALL_AS_OF.isoformat()]


def test_build_command(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--inputs",
            str(workspace),
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-06-15",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已生成" in result.stdout
    assert str(tmp_path / "out" / "2026-06-15") in result.stdout
    assert (tmp_path / "out" / "2026-06-15" / "manifest.json").exists()


def test_build_command_stops_on_bad_input(tmp_path):
    feedback = {k: [list(r) for r in v] for k, v in SMALL_FEEDBACK.items()}
    feedback["办公室.xlsx"][0][0] = "JS-99"
    workspace = make_workspace(tmp_path / "ws", feedback=feedback)
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(workspace), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "JS-99" in result.stderr
    assert "没有生成任何文件" in result.stderr
    assert "Traceback" not in result.output


def test_build_command_on_the_sample_inputs(tmp_path):
    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    out = tmp_path / "outputs"
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(workspace), "--out", str(out), "--as-of", "2026-11-26"]
    )
    assert result.exit_code == 0, result.output
    assert f"保存在 {out / '2026-11-26'}" in result.stdout
    assert "反馈表/（52 个文件）" in result.stdout
    assert "输入数据有 2 条提示" in result.stderr
    manifest = json.loads((out / "2026-11-26" / "manifest.json").read_text("utf-8"))
    # 5 documents (the 工作动态 among them: the sample's returns have highlights) + 52 forms
    # + 22 department reports + 18 urging notices (the office urges nobody of itself)
    assert len(manifest["outputs"]) == 5 + 52 + 22 + 18


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_build_with_pdf_writes_a_pdf_beside_every_word_file(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    opened = open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF)
    result = build(opened, tmp_path / "out", NOW, pdf=True)
    documents = [p for p in result.outputs if p.suffix == ".docx"]
    assert documents
    for path in documents:
        assert path.with_suffix(".pdf") in result.outputs
        assert path.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert result.pdf_failed == {}
    manifest = json.loads(result.manifest.read_text("utf-8"))
    assert sum(e["file"].endswith(".pdf") for e in manifest["outputs"]) == len(documents)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_rebuild_converts_only_the_word_files_that_changed(tmp_path, monkeypatch):
    import docgen.build

    workspace = make_workspace(tmp_path / "ws")
    first = build(
        open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW, pdf=True
    )
    pdfs = {p.name: p.read_bytes() for p in first.outputs if p.suffix == ".pdf"}
    converted = []
    convert = docgen.build.convert_to_pdf

    def recorded(documents, **options):
        converted.extend(Path(p).name for p in documents)
        return convert(documents, **options)

    monkeypatch.setattr(docgen.build, "convert_to_pdf", recorded)
    again = build(
        open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW, pdf=True
    )
    assert converted == [] and again.reused == len(again.outputs)
    assert {p.name: p.read_bytes() for p in again.outputs if p.suffix == ".pdf"} == pdfs
    report = next(p for p in again.outputs if p.name.startswith("自查报告_"))
    report.write_bytes(b"changed since")  # opened and saved, say: its Word file is made again
    build(open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW, pdf=True)
    assert converted == []  # the same Word file again: its PDF is taken
    forced = build(
        open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF),
        tmp_path / "out",
        NOW,
        pdf=True,
        force=True,
    )
    assert sorted(converted) == sorted(p.name for p in forced.outputs if p.suffix == ".docx")


def test_pdf_without_libreoffice_is_a_clear_error_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    workspace = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(workspace), "--out", str(tmp_path / "out"), "--pdf"]
    )
    assert result.exit_code == 1
    assert "LibreOffice" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# --- the single documents side by side (build.side_by_side) ---------------------------------


def test_single_documents_written_side_by_side_are_those_written_one_after_another(
    tmp_path, monkeypatch
):
    """A large campaign has its ledger, reports, brief and summary written in worker processes:
    the same files in the same order, and the workers' fingerprints reach the manifest."""
    import docgen.build

    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    as_of = dt.date(2026, 11, 26)
    alone = build(open_workspace(workspace, as_of, as_of), tmp_path / "alone", NOW, force=True)
    monkeypatch.setattr(docgen.build, "SIDE_BY_SIDE_FROM", 0)
    written = []
    side_by_side = docgen.build.side_by_side

    @contextlib.contextmanager
    def recorded(job, kinds):
        with side_by_side(job, kinds) as singles:
            yield lambda: written.append(singles()) or written[-1]

    monkeypatch.setattr(docgen.build, "side_by_side", recorded)
    together = build(open_workspace(workspace, as_of, as_of), tmp_path / "both", NOW, force=True)
    assert len(written[0]) >= 4  # kind name -> its files, from the workers
    assert contents(together.folder) == contents(alone.folder)
    assert [p.relative_to(together.folder) for p in together.outputs] == [
        p.relative_to(alone.folder) for p in alone.outputs
    ]
    listed = manifest(together.folder)
    assert all(listed[name]["fingerprint"] for name in listed if "/" not in name)
    # the same entries but for where each file is and when it was written (reuse.file_state)
    where = ("mtime_ns", "inode")
    assert {n: e | dict.fromkeys(where) for n, e in manifest(alone.folder).items()} == {
        n: e | dict.fromkeys(where) for n, e in listed.items()
    }
    again = build(open_workspace(workspace, as_of, as_of), tmp_path / "both", NOW)
    assert again.reused == len(listed)


def test_a_failure_in_a_side_by_side_document_stops_the_build_with_its_message(
    tmp_path, monkeypatch
):
    import docgen.build
    from docgen.official.builder import BODY, OfficialDocument

    monkeypatch.setattr(docgen.build, "SIDE_BY_SIDE_FROM", 0)
    workspace = make_workspace(tmp_path / "ws")
    document = OfficialDocument()
    document.title("督导简报")
    document.paragraph(BODY, "{{ ''.__class__.__mro__ }}")
    (workspace / "templates").mkdir()
    document.save(workspace / "templates" / "supervision_brief.docx")
    out = tmp_path / "out"
    arguments = ["build", "--inputs", str(workspace), "--out", str(out)]
    result = CliRunner().invoke(main, [*arguments, "--as-of", SMALL_AS_OF.isoformat()])
    assert result.exit_code == 1
    assert "模板 supervision_brief.docx" in result.output and "不允许的操作" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
