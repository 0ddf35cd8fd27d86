import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_workspace

from docgen.cli import main

FONTS = Path(__file__).resolve().parent / "data" / "fonts.conf"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_help_explains_with_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert "常用示例" in result.output
    for command in ("validate", "status", "init"):
        sub = run(command, "--help")
        assert sub.exit_code == 0
        assert "示例" in sub.output


def test_status_shows_the_campaign(small_workspace):
    result = run("status", "--inputs", small_workspace, "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    assert "截至2026年6月15日，共有举措 6 项，已完成 2 项，完成率 33.3%" in result.output
    assert "逾期举措（1项）" in result.output
    assert "XC-001" in result.output
    assert "未报送反馈表的部门（1个）：财务处" in result.output


def test_status_json(small_workspace):
    result = run("status", "--inputs", small_workspace, "--as-of", "2026年6月15日", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["total"], data["done"], data["rate"]) == (6, 2, 33.3)
    assert data["silent_departments"] == ["财务处"]


def test_as_of_from_config(tmp_path):
    config = "[campaign]\nas_of = 2026-06-15\n"
    root = make_workspace(tmp_path / "ws", config=config)
    data = json.loads(run("status", "--inputs", root, "--json").stdout)
    assert data["as_of"] == "2026-06-15"


def test_bad_as_of_is_a_usage_error(small_workspace):
    result = run("status", "--inputs", small_workspace, "--as-of", "下周")
    assert result.exit_code == 2
    assert "不是日期" in result.output


def test_validate_clean_inputs(small_workspace):
    result = run("validate", "--inputs", small_workspace)
    assert result.exit_code == 0
    assert "错误 0 个，提示 0 个" in result.stderr


def test_validate_names_file_row_column_and_value(tmp_path):
    from conftest import SMALL_MEASURES

    measures = [list(r) for r in SMALL_MEASURES]
    measures[1][8] = "明年春天"
    root = make_workspace(tmp_path / "ws", measures=measures)
    result = run("validate", "--inputs", root)
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "measures.xlsx" in out
    assert "第5行" in out
    assert "I列“完成时限”" in out
    assert "明年春天" in out
    assert "2026年12月底" in out  # how to fix it
    assert "Traceback" not in result.output


def test_validate_json(tmp_path):
    from conftest import SMALL_FEEDBACK

    feedback = {k: [list(r) for r in v] for k, v in SMALL_FEEDBACK.items()}
    feedback["办公室.xlsx"][0][2] = "OK"
    root = make_workspace(tmp_path / "ws", feedback=feedback)
    result = run("validate", "--inputs", root, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["valid"], data["errors"], data["warnings"]) == (False, 1, 0)
    assert data["files"][0] == "measures.xlsx"
    assert sorted(data["files"][1:]) == sorted(f"feedback/{name}" for name in feedback)
    assert len(data["issues"]) == 1
    issue = data["issues"][0]
    assert (issue["code"], issue["severity"], issue["file"], issue["row"], issue["value"]) == (
        "bad-status",
        "error",
        "feedback/办公室.xlsx",
        2,
        "OK",
    )
    assert (issue["column"], issue["header"], issue["letter"], issue["column_label"]) == (
        "完成状态",
        "完成状态",
        "C",
        "C列“完成状态”",
    )


def test_warnings_only_exit_zero(tmp_path):
    from conftest import SMALL_FEEDBACK

    feedback = {k: [list(r) for r in v] for k, v in SMALL_FEEDBACK.items()}
    feedback["办公室.xlsx"][0][4] = None  # 已完成 without 完成时间
    root = make_workspace(tmp_path / "ws", feedback=feedback)
    result = run("validate", "--inputs", root)
    assert result.exit_code == 0
    assert "done-without-date" in result.stdout
    status = run("status", "--inputs", root, "--as-of", "2026-06-15")
    assert status.exit_code == 0
    assert "输入数据有 1 条提示" in status.stderr


def test_status_stops_on_errors_without_traceback(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "feedback" / "损坏.xlsx").write_bytes(b"PK\x03\x04")
    result = run("status", "--inputs", root)
    assert result.exit_code == 1
    assert "损坏.xlsx" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "找不到输入文件夹"),
        (lambda p: p.mkdir(), "找不到举措清单"),
        (
            lambda p: (p.mkdir(), (p / "docgen.toml").write_text("[x]\n", encoding="utf-8")),
            "未知的设置节",
        ),
    ],
)
def test_input_errors_exit_one_with_message(tmp_path, setup, message):
    folder = tmp_path / "ws"
    setup(folder)
    result = run("status", "--inputs", folder)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_init_then_status(tmp_path):
    target = tmp_path / "新台账"
    result = run("init", target)
    assert result.exit_code == 0
    assert (target / "docgen.toml").exists()
    again = run("init", target)
    assert again.exit_code == 1
    assert "已存在" in again.stderr


def test_module_entry_point(small_workspace):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "docgen", "status", "--inputs", str(small_workspace), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 6


def test_check_passes_a_filled_template_and_fails_a_blank_document(tmp_path, demo_templates):
    from docx import Document
    from official_demo import example_context

    from docgen.rendering import render_document

    good = render_document(
        demo_templates["report.docx"], example_context("report.docx"), tmp_path / "报告.docx"
    )
    assert run("check", good).exit_code == 0
    blank = tmp_path / "blank.docx"
    Document().save(blank)
    result = run("check", blank, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["valid"], data["files"]) == (False, [str(blank)])
    assert data["errors"] + data["warnings"] == len(data["issues"])
    assert {f["file"] for f in data["issues"]} == {str(blank)}
    codes = {f["code"] for f in data["issues"]}
    assert {"page-size", "margin", "page-number-missing"} <= codes
    # Several files: one report for all of them, each issue naming its file.
    both = run("check", good, blank, "--json")
    assert both.exit_code == 1
    together = json.loads(both.stdout)
    assert together["files"] == [str(good), str(blank)]
    assert together["issues"] == data["issues"]
    missing = run("check", tmp_path / "没有.docx")
    assert missing.exit_code == 1
    assert "Traceback" not in missing.output


def _without_libreoffice(monkeypatch):
    monkeypatch.setattr("docgen.pdf.shutil.which", lambda name: None)
    monkeypatch.setattr("docgen.pdf.sys.platform", "linux")


def test_check_render_and_build_check_need_libreoffice(tmp_path, monkeypatch, small_workspace):
    _without_libreoffice(monkeypatch)
    document = tmp_path / "报告.docx"
    document.write_bytes(b"not read: the command stops before any work")
    result = run("check", "--render", document)
    assert result.exit_code == 1
    assert "需要 LibreOffice" in result.output and "没有检查任何文件" in result.output
    out = tmp_path / "out"
    built = run(
        "build", "--inputs", small_workspace, "--out", out, "--as-of", "2026-06-15", "--check"
    )
    assert built.exit_code == 1
    assert "需要 LibreOffice" in built.output
    assert not out.exists()


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice not installed"
)


@needs_libreoffice
def test_check_render_reports_pages_in_the_report_shape(tmp_path, monkeypatch, demo_templates):
    from official_demo import example_context

    from docgen.rendering import render_document

    monkeypatch.setenv("FONTCONFIG_FILE", str(FONTS))
    good = render_document(
        demo_templates["report.docx"], example_context("report.docx"), tmp_path / "报告.docx"
    )
    result = run("check", "--render", good, "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"valid", "errors", "warnings", "files", "issues"}
    assert result.exit_code == (1 if data["issues"] else 0)
    assert all(issue["part"].startswith("第") for issue in data["issues"])
    assert not list(tmp_path.glob("*.pdf")), "the check writes nothing beside the documents"


@needs_libreoffice
def test_build_check_keeps_the_files_and_exits_1_on_an_error(
    tmp_path, monkeypatch, small_workspace
):
    monkeypatch.setenv("FONTCONFIG_FILE", str(FONTS))
    out = tmp_path / "out"
    result = run(
        "build", "--inputs", small_workspace, "--out", out, "--as-of", "2026-06-15", "--check"
    )
    assert "检查了" in result.output and "个 Word 文件" in result.output
    errors = "[错误]" in result.stdout
    assert result.exit_code == (1 if errors else 0), result.output
    if errors:
        assert "文件已照常生成" in result.output
    assert (out / "2026-06-15" / "自查报告.docx").exists()


@pytest.mark.parametrize("arguments", [["--version"], ["no-such-command"]])
def test_the_program_leaves_what_it_holds_to_the_exit(monkeypatch, arguments):
    """docgen's console script and `python -m docgen` run main, then freeze the objects left
    (no collection at exit walks them), whether the command succeeds or fails."""
    import gc
    import sys

    from docgen import cli

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["docgen", *arguments])
    with pytest.raises(SystemExit):
        cli.program()
    assert frozen == [True]
