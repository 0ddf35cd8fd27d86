"""The catalogue of issue codes: every code docgen reports is in it, every code in it is reported
somewhere, docs/issue-codes.md is written from it, and an Issue and a Report have the shape
`--json` users key on."""

import ast
import importlib.util
from pathlib import Path

import pytest

import docgen
from docgen.issues import CATALOGUE, ERROR, WARNING, Issue, Report

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_catalogued_code_is_reported_somewhere_in_the_code():
    package = Path(docgen.__file__).resolve().parent
    used = set()
    for path in package.rglob("*.py"):
        if path.name != "issues.py":
            used |= string_constants(path)
    assert sorted(set(CATALOGUE) - used) == []


def test_the_catalogue_says_what_each_code_means_and_how_to_fix_it():
    for code, kind in CATALOGUE.items():
        assert kind.code == code
        assert kind.severity in (ERROR, WARNING)
        assert kind.meaning and kind.fix, code
        assert kind.source in ("inputs", "documents")


def test_docs_list_the_catalogue_as_the_script_writes_it():
    written = (ROOT / "docs" / "issue-codes.md").read_text(encoding="utf-8")
    assert written == _script("issue_codes").render(), "run: python scripts/issue_codes.py"
    for code in CATALOGUE:
        assert f"| `{code}` |" in written


def test_an_issue_of_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="not-a-code"):
        Issue.of("not-a-code", "…")
    with pytest.raises(ValueError, match="severity"):
        Issue("bad-date", "fatal", "…")


def test_an_issue_takes_its_severity_from_the_catalogue_and_locates_itself():
    issue = Issue.of(
        "unknown-stream",
        "专项“其他”不是……",
        file="measures.xlsx",
        sheet="举措清单",
        row=5,
        column="专项",
        header="类别",
        letter="B",
        value="其他",
    )
    assert issue.is_error and issue.severity == ERROR
    assert issue.column_label == "B列“类别”"
    assert issue.location() == "measures.xlsx 工作表“举措清单” 第5行 B列“类别”"
    data = issue.to_dict()
    assert (data["column"], data["header"], data["letter"], data["row"]) == ("专项", "类别", "B", 5)
    assert data["column_label"] == "B列“类别”"
    missing = Issue.of("missing-column", "缺少必填列“完成状态”", file="a.xlsx", column="完成状态")
    assert missing.column_label == "“完成状态”列"
    found = Issue.of("font", "…", file="a.docx", part="页脚", paragraph=3, excerpt="— 1 —")
    assert found.location() == "页脚第3段“— 1 —”"


def test_a_report_is_valid_without_errors_and_prints_as_it_is():
    warning = Issue.of("empty-form", "反馈表只有表头没有内容，按未反馈统计。", file="f.xlsx", row=3)
    report = Report([warning], ["measures.xlsx", "f.xlsx"])
    assert report.valid and report.warnings == [warning] and report.errors == []
    error = Issue.of("bad-status", "完成状态“好”无法识别", file="f.xlsx", row=4, value="好")
    report.issues.append(error)
    assert not report.valid
    data = report.to_dict()
    assert (data["valid"], data["errors"], data["warnings"]) == (False, 1, 1)
    assert data["files"] == ["measures.xlsx", "f.xlsx"]
    assert [i["code"] for i in data["issues"]] == ["empty-form", "bad-status"]
