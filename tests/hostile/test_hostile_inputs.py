"""Inputs outside the contract: each fails with the validation report's clear message (file, row,
column, value, how to fix it) and exit 1, writes nothing, and shows no traceback."""

import json
import re
import subprocess
import sys
import zipfile

import pytest
from hostile_workspaces import (
    AS_OF,
    FEEDBACK,
    FEEDBACK_HEADER,
    MEASURE_HEADER,
    MEASURES,
    changed_outside,
    make_workspace,
    one_line,
    run_cli,
    snapshot,
    truncated,
    workbook_bytes,
    write_text_sheet,
)
from openpyxl import load_workbook

REQUIRED_MEASURE_COLUMNS = ["编号", "专项", "具体举措", "牵头部门", "完成时限"]
REQUIRED_FEEDBACK_COLUMNS = ["编号", "填报单位", "完成状态"]


def _without(header: list, rows: list, column: str) -> tuple[list, list]:
    index = header.index(column)
    return header[:index] + header[index + 1 :], [r[:index] + r[index + 1 :] for r in rows]


def _measures_without(column):
    def make(root):
        header, rows = _without(MEASURE_HEADER, MEASURES, column)
        write_text_sheet(root / "measures.xlsx", header, rows)

    return make


def _feedback_without(column):
    def make(root):
        header, rows = _without(FEEDBACK_HEADER, FEEDBACK["办公室.xlsx"], column)
        write_text_sheet(root / "feedback" / "办公室.xlsx", header, rows, title=None)

    return make


def _measure_cell(row: int, column: str, value, **others):
    def make(root):
        rows = [list(r) for r in MEASURES]
        for name, text in {column: value, **others}.items():
            rows[row][MEASURE_HEADER.index(name)] = text
        write_text_sheet(root / "measures.xlsx", MEASURE_HEADER, rows)

    return make


def _feedback_cell(row: int, column: str, value, name="办公室.xlsx"):
    def make(root):
        rows = [list(r) for r in FEEDBACK[name]]
        rows[row][FEEDBACK_HEADER.index(column)] = value
        write_text_sheet(root / "feedback" / name, FEEDBACK_HEADER, rows, title=None)

    return make


def _cell_set_by_a_program(relative: str, reference: str, value):
    """The small campaign's file with one cell set by openpyxl: a formula is saved without its
    result, as by any program that writes workbooks; "#N/A" and the like as error values."""

    def make(root):
        workbook = load_workbook(root / relative)
        workbook.active[reference] = value
        workbook.save(root / relative)

    return make


def _renamed_return(name: str):
    """办公室's return, filled in under another name."""

    def make(root):
        rows = [[r[0], name, *r[2:]] for r in FEEDBACK["办公室.xlsx"]]
        write_text_sheet(root / "feedback" / "办公室.xlsx", FEEDBACK_HEADER, rows, title=None)

    return make


def _file(relative: str, content):
    def make(root):
        data = content() if callable(content) else content
        (root / relative).write_bytes(data)

    return make


def _real_xlsx() -> bytes:
    return workbook_bytes(FEEDBACK_HEADER, [list(r) for r in FEEDBACK["办公室.xlsx"]])


def _encrypted_xlsx() -> bytes:
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(_real_xlsx())).encrypt("密码123", encrypted)
    return encrypted.getvalue()


def _header_only(relative: str, header: list, title=None):
    def make(root):
        write_text_sheet(root / relative, header, [], title=title)

    return make


def _column_fields(label: str) -> tuple[str, str, str]:
    """The machine fields (column, header, letter) an issue shown with `label` carries. These
    workspaces write every header as its canonical name, so header and column agree; a column
    missing from the file has neither header nor letter."""
    if match := re.fullmatch(r"([A-Z]+)列“(.+)”", label):
        return match[2], match[2], match[1]
    if match := re.fullmatch(r"“(.+)”列", label):
        return match[1], "", ""
    assert label == "", label
    return "", "", ""


# (case id, how to spoil the small campaign, issue code, file, row, column label, value, words of
# the fix)
CASES = [
    *[
        (
            f"measures-without-{column}",
            _measures_without(column),
            "missing-column",
            "measures.xlsx",
            3,
            f"“{column}”列",
            "",
            f"缺少必填列“{column}”",
        )
        for column in REQUIRED_MEASURE_COLUMNS
    ],
    *[
        (
            f"feedback-without-{column}",
            _feedback_without(column),
            "missing-column",
            "feedback/办公室.xlsx",
            1,
            f"“{column}”列",
            "",
            f"缺少必填列“{column}”",
        )
        for column in REQUIRED_FEEDBACK_COLUMNS
    ],
    (
        "duplicate-id",
        _measure_cell(1, "编号", "JS-01"),
        "duplicate-id",
        "measures.xlsx",
        5,
        "A列“编号”",
        "JS-01",
        "与第4行重复",
    ),
    (
        "unknown-stream",
        _measure_cell(2, "专项", "廉政建设"),
        "unknown-stream",
        "measures.xlsx",
        6,
        "B列“专项”",
        "廉政建设",
        "改为其中一个",
    ),
    (
        "deadline-outside-the-contract",
        _measure_cell(0, "完成时限", "尽快"),
        "bad-date",
        "measures.xlsx",
        4,
        "I列“完成时限”",
        "尽快",
        "2026年12月底",
    ),
    (
        "impossible-deadline",
        _measure_cell(0, "完成时限", "2026-02-30"),
        "bad-date",
        "measures.xlsx",
        4,
        "I列“完成时限”",
        "2026-02-30",
        "2026年12月底",
    ),
    (
        "formula-saved-without-its-value",
        _cell_set_by_a_program("feedback/办公室.xlsx", "C3", '=IF(D3<>"","已完成","")'),
        "formula-without-value",
        "feedback/办公室.xlsx",
        3,
        "C列“完成状态”",
        '=IF(D3<>"","已完成","")',
        "用 Excel 或 WPS 打开该文件并保存后再放回",
    ),
    (
        "error-value-in-a-deadline",
        _cell_set_by_a_program("measures.xlsx", "I6", "#DIV/0!"),
        "error-value",
        "measures.xlsx",
        6,
        "I列“完成时限”",
        "#DIV/0!",
        "改正这一格的公式或直接填写内容",
    ),
    (
        "return-under-a-name-the-measure-list-does-not-know",
        _renamed_return("局办公室"),
        "unmatched-return",
        "feedback/办公室.xlsx",
        2,
        "B列“填报单位”",
        "局办公室",
        "相近的名称：办公室",
    ),
    (
        "status-outside-the-contract",
        _feedback_cell(0, "完成状态", "差不多了"),
        "bad-status",
        "feedback/办公室.xlsx",
        2,
        "C列“完成状态”",
        "差不多了",
        "已完成、推进中、未启动 或 长期坚持",
    ),
    (
        "completion-date-outside-the-contract",
        _feedback_cell(0, "完成时间", "上周五"),
        "bad-date",
        "feedback/办公室.xlsx",
        2,
        "E列“完成时间”",
        "上周五",
        "2026年11月26日",
    ),
    (
        "feedback-for-an-unknown-measure",
        _feedback_cell(1, "编号", "JS-99"),
        "unknown-measure",
        "feedback/办公室.xlsx",
        3,
        "A列“编号”",
        "JS-99",
        "请核对编号",
    ),
    (
        "empty-measure-list",
        _file("measures.xlsx", b""),
        "unreadable-file",
        "measures.xlsx",
        None,
        "",
        "",
        "文件是空的",
    ),
    (
        "header-only-measure-list",
        _header_only("measures.xlsx", MEASURE_HEADER, title="举措清单"),
        "empty-file",
        "measures.xlsx",
        3,
        "",
        "",
        "只有表头没有举措",
    ),
    (
        "empty-feedback-form",
        _file("feedback/空表.xlsx", b""),
        "unreadable-file",
        "feedback/空表.xlsx",
        None,
        "",
        "",
        "文件是空的",
    ),
    (
        "empty-feedback-csv",
        _file("feedback/空表.csv", b""),
        "unreadable-file",
        "feedback/空表.csv",
        None,
        "",
        "",
        "文件是空的",
    ),
    (
        "corrupt-xlsx",
        _file("feedback/乱码.xlsx", bytes(range(256)) * 40),
        "unreadable-file",
        "feedback/乱码.xlsx",
        None,
        "",
        "",
        "另存为",
    ),
    (
        "truncated-xlsx",
        _file("feedback/半截.xlsx", lambda: truncated(_real_xlsx())),
        "unreadable-file",
        "feedback/半截.xlsx",
        None,
        "",
        "",
        "重新发送",
    ),
    (
        "truncated-measure-list",
        _file("measures.xlsx", lambda: truncated(_real_xlsx())),
        "unreadable-file",
        "measures.xlsx",
        None,
        "",
        "",
        "重新发送",
    ),
    (
        "xlsx-that-is-a-csv",
        _file("feedback/导出.xlsx", "编号,填报单位,完成状态\nJS-01,办公室,已完成\n".encode()),
        "unreadable-file",
        "feedback/导出.xlsx",
        None,
        "",
        "",
        "另存为 .xlsx 或 .csv",
    ),
    (
        "xlsx-that-is-a-web-page",
        _file(
            "feedback/系统导出.xlsx",
            "<html><head><meta charset='utf-8'></head><body><table><tr><td>编号</td></tr>"
            "</table></body></html>".encode(),
        ),
        "unreadable-file",
        "feedback/系统导出.xlsx",
        None,
        "",
        "",
        "网页（HTML）",
    ),
    (
        "password-protected-workbook",
        _file("feedback/加密.xlsx", _encrypted_xlsx),
        "unreadable-file",
        "feedback/加密.xlsx",
        None,
        "",
        "",
        "取消密码",
    ),
    (
        "password-protected-workbook-named-xls",
        _file("feedback/加密.xls", _encrypted_xlsx),
        "unreadable-file",
        "feedback/加密.xls",
        None,
        "",
        "",
        "取消密码",
    ),
    (
        "departments-whose-file-names-clash",
        _measure_cell(3, "牵头部门", "财务处."),
        "department-name-clash",
        "measures.xlsx",
        7,
        "F列“牵头部门”",
        "财务处.",
        "文件会同名",
    ),
    (
        "departments-that-differ-in-case-only",
        _measure_cell(0, "牵头部门", "IT处", 责任部门="it处"),
        "department-name-clash",
        "measures.xlsx",
        4,
        "G列“责任部门”",
        "it处",
        "字母大小写",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "code", "file", "row", "column", "value", "fix"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_defect_fails_with_a_located_message(
    tmp_path, spoil, code, file, row, column, value, fix
):
    root = make_workspace(tmp_path / "ws")
    spoil(root)
    out = tmp_path / "out"
    before = snapshot(tmp_path)

    report = run_cli("validate", "--inputs", root, "--as-of", AS_OF, "--json")
    assert report.exit_code == 1, report.output
    data = json.loads(report.stdout)
    assert set(data) == {"valid", "errors", "warnings", "files", "issues"}
    assert data["valid"] is False and data["errors"] >= 1
    assert file in data["files"]
    issues = data["issues"]
    found = [i for i in issues if i["code"] == code and i["severity"] == "error"]
    assert found, issues
    issue = found[0]
    assert issue["file"] == file
    assert issue["row"] == row
    assert issue["column_label"] == column
    assert (issue["column"], issue["header"], issue["letter"]) == _column_fields(column)
    assert issue["value"] == value
    assert fix in issue["message"]

    build = run_cli("build", "--inputs", root, "--out", out, "--as-of", AS_OF)
    assert build.exit_code == 1
    shown = one_line(build.stderr)
    assert f"[{code}]" in shown and file.rsplit("/", 1)[-1] in shown and fix in shown
    assert "没有生成任何文件" in shown
    assert not out.exists() or not any(out.rglob("*"))
    assert changed_outside(before, snapshot(tmp_path), ()) == []


def test_a_header_only_feedback_form_is_a_warning_and_the_build_goes_on(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_text_sheet(root / "feedback" / "空表.xlsx", FEEDBACK_HEADER, [], title=None)
    result = run_cli("build", "--inputs", root, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    validated = run_cli("validate", "--inputs", root, "--json")
    assert validated.exit_code == 0, validated.output
    report = json.loads(validated.stdout)
    # A header-only returned form is its own code, a warning; a header-only measure list stays
    # the error empty-file (CASES above).
    assert [(i["code"], i["severity"]) for i in report["issues"]] == [("empty-form", "warning")]
    (issue,) = report["issues"]
    assert (issue["file"], issue["row"]) == ("feedback/空表.xlsx", 1)
    assert (report["valid"], report["errors"], report["warnings"]) == (True, 0, 1)
    assert "feedback/空表.xlsx" in report["files"]


# --- limits -----------------------------------------------------------------------------------


def _set_limits(root, **limits):
    lines = "".join(f"{key} = {value}\n" for key, value in limits.items())
    with (root / "docgen.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[limits]\n{lines}")


def _padded_xlsx(extra_bytes: int) -> bytes:
    """A good feedback form made larger by a member of random (incompressible) bytes."""
    import io
    import random

    buffer = io.BytesIO(_real_xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/media/photo.bin", random.Random(7).randbytes(extra_bytes))
    return buffer.getvalue()


def _bomb(declared_lie: bool) -> bytes:
    """A feedback form whose sheet unpacks to far more than any workbook: 60 MB of repeated rows
    packed into about 100 KB, or (declared_lie) a header claiming 3 GB for a small member."""
    import io
    import struct

    source = zipfile.ZipFile(io.BytesIO(_real_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml" and not declared_lie:
                rows = b'<row r="9"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", rows * 1_000_000 + b"</sheetData>")
            archive.writestr(info.filename, data)
    data = bytearray(buffer.getvalue())
    if declared_lie:
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
        struct.pack_into("<I", data, info.header_offset + 22, 3_000_000_000)
        start = data.find(b"PK\x01\x02")
        while start != -1:
            length = struct.unpack_from("<H", data, start + 28)[0]
            if data[start + 46 : start + 46 + length] == b"xl/worksheets/sheet1.xml":
                struct.pack_into("<I", data, start + 24, 3_000_000_000)
            start = data.find(b"PK\x01\x02", start + 4)
    return bytes(data)


def _long_csv(rows: int) -> bytes:
    lines = ["编号,填报单位,完成状态,填报日期"] + [
        f"JS-01,办公室,已完成,2026-06-{1 + i % 28}" for i in range(rows)
    ]
    return "\n".join(lines).encode("utf-8")


LIMIT_CASES = [
    (
        "file-over-max_file_mb",
        {"max_file_mb": 1},
        _file("feedback/附照片.xlsx", lambda: _padded_xlsx(1_200_000)),
        "file-too-large",
        "max_file_mb",
    ),
    ("zip-bomb", {}, _file("feedback/炸弹.xlsx", lambda: _bomb(False)), "zip-bomb", "压缩炸弹"),
    (
        "zip-bomb-declared",
        {},
        _file("feedback/炸弹.xlsx", lambda: _bomb(True)),
        "zip-bomb",
        "压缩炸弹",
    ),
    (
        "more-rows-than-max_rows",
        {"max_rows": 500},
        _file("feedback/长表.csv", lambda: _long_csv(600)),
        "too-many-rows",
        "max_rows",
    ),
    (
        "rows-over-max_rows-in-the-whole-campaign",
        {"max_rows": 500},
        lambda root: [
            _file(f"feedback/长表{n}.csv", lambda: _long_csv(200))(root) for n in range(3)
        ],
        "too-many-rows",
        "合计",
    ),
]


@pytest.mark.parametrize(
    ("limits", "spoil", "code", "fix"),
    [case[1:] for case in LIMIT_CASES],
    ids=[case[0] for case in LIMIT_CASES],
)
def test_limits_fail_with_a_message_naming_the_file(tmp_path, limits, spoil, code, fix):
    root = make_workspace(tmp_path / "ws")
    _set_limits(root, **limits)
    spoil(root)
    report = run_cli("validate", "--inputs", root, "--json")
    assert report.exit_code == 1
    issues = [i for i in json.loads(report.stdout)["issues"] if i["code"] == code]
    assert len(issues) == 1, report.stdout
    assert issues[0]["file"].startswith("feedback/")
    assert fix in issues[0]["message"]
    build = run_cli("build", "--inputs", root, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert build.exit_code == 1
    assert f"[{code}]" in one_line(build.stderr)
    assert not (tmp_path / "out").exists()


def test_a_stray_value_in_the_last_cell_of_the_sheet_is_refused_not_a_crash(tmp_path):
    # calamine lays out every cell between A1 and the last one: 512 GB for XFD1048576, and the
    # process aborted. Run in a child process so that a regression cannot take pytest with it.
    root = make_workspace(tmp_path / "ws")
    workbook = load_workbook(root / "measures.xlsx")
    workbook.active["XFD1048576"] = "误填"
    workbook.save(root / "measures.xlsx")
    far_row = load_workbook(root / "feedback" / "办公室.xlsx")
    far_row.active["J150000"] = "误填"
    far_row.active["ZZ30000"] = "误填"
    far_row.save(root / "feedback" / "办公室.xlsx")
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "validate", "--inputs", str(root), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "COLUMNS": "400"},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    issues = {i["file"]: i for i in json.loads(result.stdout)["issues"]}
    assert issues["measures.xlsx"]["code"] == "too-many-rows"
    assert (
        "Ctrl+End" in issues["measures.xlsx"]["message"]
        or "远处" in issues["measures.xlsx"]["message"]
    )
    assert issues["feedback/办公室.xlsx"]["code"] == "sheet-too-large"
    assert "Ctrl+End" in issues["feedback/办公室.xlsx"]["message"]


def test_default_limits_leave_room_for_a_province(tmp_path):
    """bench/make_province.py: 3,000 measures and 30,000 feedback rows from 500 departments, each
    form well under 1 MB; the defaults must read it all (a run of it takes a minute: see README)."""
    from docgen.config import Limits

    limits = Limits()
    title_rows_per_file = 3
    assert limits.max_rows >= 3_000 + 30_000 + 504 * title_rows_per_file
    assert limits.max_file_mb >= 10


def test_limits_are_documented_in_the_commented_config():
    from docgen.workspace import CONFIG_TEMPLATE

    assert "[limits]" in CONFIG_TEMPLATE
    assert "# max_file_mb = 50" in CONFIG_TEMPLATE and "# max_rows = 200000" in CONFIG_TEMPLATE
