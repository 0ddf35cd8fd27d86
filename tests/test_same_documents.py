"""scripts/same_documents.py, which shows that a change leaves every generated document as it was,
finds a difference where there is one and none between two builds of the same inputs."""

import datetime as dt
import importlib.util
import shutil
import zipfile
from pathlib import Path

from conftest import SMALL_AS_OF, make_workspace

from docgen.build import build
from docgen.workspace import open_workspace

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "same_documents.py"


def _script():
    spec = importlib.util.spec_from_file_location("same_documents", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(root: Path, out: Path, now: dt.datetime) -> Path:
    return build(open_workspace(root, SMALL_AS_OF, SMALL_AS_OF), out, now).folder


def _rewrite(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members.items():
            archive.writestr(info, change(data) if info.filename == member else data)


def test_two_builds_of_the_same_inputs_are_the_same_and_a_changed_part_is_found(tmp_path):
    same = _script()
    first_ws = make_workspace(tmp_path / "first")
    second_ws = tmp_path / "second"
    shutil.copytree(first_ws, second_ws)
    # A second later: the documents' creation times differ, and nothing else does.
    first = _build(first_ws, tmp_path / "out1", dt.datetime(2026, 6, 15, 9, 0, 0))
    second = _build(second_ws, tmp_path / "out2", dt.datetime(2026, 6, 15, 9, 0, 1))
    assert same.compare_folders(first, second) == []

    ledger = second / "整改台账.xlsx"
    _rewrite(
        ledger,
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b"<sheetData>", b"<sheetData> ", 1),
    )
    (second / "反馈表" / "反馈表_办公室.docx").unlink()
    assert same.compare_folders(first, second) == [
        f"反馈表/反馈表_办公室.docx: only in {first}",
        "整改台账.xlsx: xl/worksheets/sheet1.xml differs",
    ]


def test_creation_and_modification_times_are_all_that_is_ignored():
    same = _script()
    core = (
        b'<cp:coreProperties><dc:title>x</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">'
        b'2026-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">'
        b"2026-01-02T00:00:00Z</dcterms:modified></cp:coreProperties>"
    )
    other = core.replace(b"2026-01-0", b"2027-03-0")
    assert same.without_times("docProps/core.xml", core) == same.without_times(
        "docProps/core.xml", other
    )
    assert same.without_times("word/document.xml", core) != same.without_times(
        "word/document.xml", other
    )
    retitled = core.replace(b">x<", b">y<")
    assert same.without_times("docProps/core.xml", core) != same.without_times(
        "docProps/core.xml", retitled
    )
