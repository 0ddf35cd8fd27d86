"""Whose name a document goes out in (issue 13, items 1, 2 and 9): the organ's name from
docgen.toml or the measure list's title row, one 主送 or no report, no report in the name of a
department that returned nothing, no notice from the office to itself, and only the documents
that make sense for the date."""

import json
import re

import docx
import pytest
from click.testing import CliRunner
from conftest import CONFIG, MEASURE_HEADER, SMALL_MEASURES, make_workspace, write_sheet

from docgen.cli import main
from docgen.validation import organ_in_title

TITLE = "江南省地方金融管理局党组巡察整改和以案促改任务清单"
# The small workspace's settings without the organ's name and without a 主送.
UNNAMED = CONFIG.replace('name = "江淮省测试局"\n', "", 1)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def text_of(path) -> str:
    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def unnamed_workspace(root, title: str | None = TITLE):
    root = make_workspace(root, config=UNNAMED)
    write_sheet(root / "measures.xlsx", MEASURE_HEADER, SMALL_MEASURES, title=title)
    return root


@pytest.mark.parametrize(
    ("title", "organ"),
    [
        (
            "江淮省地方金融管理局2026年警示教育、以案促改和巡察整改工作举措清单",
            "江淮省地方金融管理局",
        ),
        (TITLE, "江南省地方金融管理局"),
        ("中共某某市审计局党组关于巡察反馈意见整改落实的任务清单", "某某市审计局"),
        ("举措清单", ""),
        ("2026年度整改任务清单", ""),
        ("", ""),
    ],
)
def test_the_organ_is_read_from_the_title_row(title, organ):
    assert organ_in_title(title) == organ


def test_without_a_name_the_title_row_names_every_document(tmp_path):
    root = unnamed_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    result = run("build", "--inputs", root, "--out", out, "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    folder = out / "2026-06-15"
    documents = sorted(folder.rglob("*.docx"))
    assert documents
    for path in documents:
        text = text_of(path)
        assert "XX" not in text and "主送机关" not in text, path.name
    brief = next(folder.glob("督导简报*.docx"))
    assert "江南省地方金融管理局" in text_of(brief)
    # No 主送 configured: the two reports to the superior are left out, and the build says which
    # setting adds them; the manifest records it.
    assert not (folder / "自查报告.docx").exists()
    assert not list(folder.glob("*年度工作总结.docx"))
    assert "未生成局党组自查报告" in result.output and "superior" in result.output
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    # Nor the report on spot-checks: no record sheet has come back.
    assert set(manifest["left_out"]) == {"局党组自查报告", "年终总结", "督导抽查情况报告"}


def test_without_a_name_anywhere_nothing_is_written(tmp_path):
    root = unnamed_workspace(tmp_path / "ws", title=None)
    out = tmp_path / "out"
    result = run("build", "--inputs", root, "--out", out, "--as-of", "2026-06-15")
    assert result.exit_code == 1
    assert "[organisation]" in result.output and "name" in result.output
    assert "标题" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_report_asked_for_without_a_superior_names_the_setting(tmp_path):
    root = unnamed_workspace(tmp_path / "ws")
    for command in (["report", "self-check"], ["report", "year-end"]):
        result = run(*command, "--inputs", root, "--out", tmp_path / "out", "--as-of", "2026-06-15")
        assert result.exit_code == 1, result.output
        assert "superior" in result.output and "Traceback" not in result.output
        assert not list((tmp_path / "out").rglob("*.docx"))


def test_no_report_in_the_name_of_a_department_that_returned_nothing(tmp_path):
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    silent = run("report", "self-check", "--dept", "财务处", "--inputs", root, "--out", out)
    assert silent.exit_code == 1
    assert "财务处尚未报送反馈表" in silent.output and "docgen report urge" in silent.output
    office = run("report", "self-check", "--dept", "办公室", "--inputs", root, "--out", out)
    assert office.exit_code == 1 and "发文的办公室" in office.output
    assert not list(out.rglob("*.docx"))


def test_the_build_writes_in_no_silent_departments_name_and_the_office_urges_nobody_of_itself(
    tmp_path,
):
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    result = run("build", "--inputs", root, "--out", out, "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    folder = out / "2026-06-15"
    reports = {p.stem.removeprefix("自查报告_") for p in (folder / "部门自查报告").glob("*.docx")}
    assert reports == {"机关党委", "人事处"}  # 财务处 returned nothing; 办公室 is the office
    notices = list((folder / "催办通知").glob("*.docx"))
    addressees = {
        next(p.text for p in docx.Document(path).paragraphs if p.text.endswith("："))
        for path in notices
    }
    assert addressees and "办公室：" not in addressees
    for path in notices:
        assert not re.search(r"^(局)?办公室：", text_of(path), re.M)


def test_a_summary_before_the_fourth_quarter_only_when_asked_for(tmp_path):
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    result = run("build", "--inputs", root, "--out", out, "--as-of", "2026-06-15")
    assert "未生成年终总结" in result.output and "四季度" in result.output
    assert not list((out / "2026-06-15").glob("*年度工作总结.docx"))
    asked = run("report", "year-end", "--inputs", root, "--out", out, "--as-of", "2026-06-15")
    assert asked.exit_code == 0, asked.output
    assert list((out / "2026-06-15").glob("*年度工作总结.docx"))
    late = run("build", "--inputs", root, "--out", out, "--as-of", "2026-10-08")
    assert late.exit_code == 0 and "未生成年终总结" not in late.output
    assert list((out / "2026-10-08").glob("*年度工作总结.docx"))
