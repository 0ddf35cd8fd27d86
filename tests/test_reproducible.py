"""Reproducible files: the same inputs, settings and as-of date give byte-identical .docx and
.xlsx files, their times (zip members, created and modified) the as-of date at midnight UTC, or
SOURCE_DATE_EPOCH when it is set."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL_AS_OF, copy_sample, make_workspace

from docgen.cli import main
from docgen.rendering import document_time, stamp_office_file

AS_OF = "2026-11-26"
CORE_TIMES = re.compile(r"<dcterms:(created|modified)\b[^>]*>([^<]*)</dcterms:\1>")


def build(workspace: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(workspace), "--out", str(out), "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    return out / AS_OF


def office_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".docx", ".xlsx")
    }


def times(data: bytes) -> tuple[set, set]:
    """The zip members' times and the document properties' created and modified."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    core = archive.read("docProps/core.xml").decode("utf-8")
    return {i.date_time for i in archive.infolist()}, {m[1] for m in CORE_TIMES.findall(core)}


def test_two_builds_of_the_sample_are_byte_identical(tmp_path):
    built = []
    for run in ("first", "second"):
        # A fresh copy each time, without the history: both builds number the brief alike.
        workspace = tmp_path / run / "inputs"
        copy_sample(workspace)
        built.append(office_files(build(workspace, tmp_path / run / "outputs")))
    first, second = built
    assert len(first) > 50 and first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"{len(differ)} files differ between two builds: {', '.join(differ)}"
    for name, data in first.items():
        assert times(data) == ({(2026, 11, 26, 0, 0, 0)}, {"2026-11-26T00:00:00Z"}), name


def test_source_date_epoch_sets_every_time(tmp_path, monkeypatch):
    epoch = 1_790_000_000  # 2026-09-21 14:13:20 UTC: even seconds, as zip times keep them
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    workspace = make_workspace(tmp_path / "ws")
    files = office_files(build(workspace, tmp_path / "out"))
    assert any(name.endswith(".xlsx") for name in files)
    assert any(name.endswith(".docx") for name in files)
    when = dt.datetime.fromtimestamp(epoch, dt.UTC)
    for name, data in files.items():
        assert times(data) == ({when.timetuple()[:6]}, {"2026-09-21T14:13:20Z"}), name


def test_document_time_is_the_as_of_date_at_midnight_utc(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert document_time(SMALL_AS_OF) == dt.datetime(2026, 6, 15, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert document_time(SMALL_AS_OF) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_a_malformed_source_date_epoch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(
        main, ["build", "--inputs", str(make_workspace(tmp_path / "ws")), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH" in result.output


@pytest.mark.parametrize(
    "when", [dt.datetime(2026, 11, 26, tzinfo=dt.UTC), dt.datetime(1975, 5, 1)]
)
def test_stamping_keeps_members_order_compression_and_content(tmp_path, when):
    path = tmp_path / "any.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "docProps/core.xml", "<c><dcterms:created x='1'>2001</dcterms:created></c>"
        )
        archive.writestr("b.xml", "<b/>" * 100, zipfile.ZIP_DEFLATED)
        archive.writestr("名字.bin", b"\x00\x01", zipfile.ZIP_STORED)
    stamped = zipfile.ZipFile(io.BytesIO(stamp_office_file(path.read_bytes(), when)))
    original = zipfile.ZipFile(path)
    assert stamped.testzip() is None
    assert stamped.namelist() == original.namelist()
    assert [i.compress_type for i in stamped.infolist()] == [
        i.compress_type for i in original.infolist()
    ]
    assert stamped.read("b.xml") == original.read("b.xml")
    assert stamped.read("名字.bin") == b"\x00\x01"
    # Zip times start in 1980: an earlier time is written as the earliest there is.
    expected = max(when.replace(tzinfo=dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    assert {i.date_time for i in stamped.infolist()} == {expected.timetuple()[:6]}
    core = stamped.read("docProps/core.xml").decode()
    assert f">{when:%Y-%m-%dT%H:%M:%SZ}<" in core
