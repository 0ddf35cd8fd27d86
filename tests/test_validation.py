"""Each defect of the contract, made by code in a tiny workspace, found with its exact location."""

import copy
import datetime as dt

import pytest
from conftest import (
    FEEDBACK_HEADER,
    MEASURE_HEADER,
    SMALL_AS_OF,
    SMALL_FEEDBACK,
    SMALL_MEASURES,
    campaign_of,
    make_workspace,
    write_sheet,
)

from docgen.errors import InputError
from docgen.validation import parse_date, split_departments, validate_inputs
from docgen.workspace import open_workspace


def _measures(**changes):
    """SMALL_MEASURES with cells changed: key 'r{index}c{column}' -> value."""
    rows = copy.deepcopy(SMALL_MEASURES)
    for key, value in changes.items():
        row, column = key[1:].split("c")
        rows[int(row)][MEASURE_HEADER.index(column)] = value
    return rows


def _feedback(file, index, column, value):
    files = copy.deepcopy(SMALL_FEEDBACK)
    files[file][index][FEEDBACK_HEADER.index(column)] = value
    return files


def _run(root):
    return validate_inputs(open_workspace(root, SMALL_AS_OF, SMALL_AS_OF))


# Measures sit on Excel rows 4.. (title row 1, blank row 2, header row 3); feedback rows on 2..
# Each defect: the workspace options; (code, severity, file, row, column label, value) as a reader
# sees them; and the machine fields (canonical column, header as written, column letter), which
# are empty header and letter when the column is missing from the file.
DEFECTS = {
    "bad-deadline": (
        dict(measures=_measures(**{"r2c完成时限": "2026年13月1日"})),
        ("bad-date", "error", "measures.xlsx", 6, "I列“完成时限”", "2026年13月1日"),
        ("完成时限", "完成时限", "I"),
    ),
    "unknown-stream": (
        dict(measures=_measures(**{"r0c专项": "警示教育工作"})),
        ("unknown-stream", "error", "measures.xlsx", 4, "B列“专项”", "警示教育工作"),
        ("专项", "专项", "B"),
    ),
    "empty-measure-text": (
        dict(measures=_measures(**{"r1c具体举措": None})),
        ("empty-cell", "error", "measures.xlsx", 5, "D列“具体举措”", ""),
        ("具体举措", "具体举措", "D"),
    ),
    "duplicate-id": (
        dict(measures=_measures(**{"r3c编号": "YA-001"})),
        ("duplicate-id", "error", "measures.xlsx", 7, "A列“编号”", "YA-001"),
        ("编号", "编号", "A"),
    ),
    "unknown-status": (
        dict(feedback=_feedback("办公室.xlsx", 0, "完成状态", "差不多了")),
        ("bad-status", "error", "feedback/办公室.xlsx", 2, "C列“完成状态”", "差不多了"),
        ("完成状态", "完成状态", "C"),
    ),
    "unknown-measure": (
        dict(feedback=_feedback("机关党委.xlsx", 0, "编号", "JS-99")),
        ("unknown-measure", "error", "feedback/机关党委.xlsx", 2, "A列“编号”", "JS-99"),
        ("编号", "编号", "A"),
    ),
    "bad-completion-date": (
        dict(feedback=_feedback("办公室.xlsx", 0, "完成时间", "上个月")),
        ("bad-date", "error", "feedback/办公室.xlsx", 2, "E列“完成时间”", "上个月"),
        ("完成时间", "完成时间", "E"),
    ),
    "not-assigned": (
        dict(feedback=_feedback("办公室.xlsx", 0, "编号", "YA-002")),
        ("not-assigned", "warning", "feedback/办公室.xlsx", 2, "B列“填报单位”", "办公室"),
        ("填报单位", "填报单位", "B"),
    ),
    # 机关党委's one row is on a measure it is not assigned: its whole return would vanish.
    "unmatched-return": (
        dict(feedback=_feedback("机关党委.xlsx", 0, "编号", "JS-01")),
        ("unmatched-return", "error", "feedback/机关党委.xlsx", 2, "B列“填报单位”", "机关党委"),
        ("填报单位", "填报单位", "B"),
    ),
    "done-without-date": (
        dict(feedback=_feedback("办公室.xlsx", 0, "完成时间", None)),
        ("done-without-date", "warning", "feedback/办公室.xlsx", 2, "E列“完成时间”", ""),
        ("完成时间", "完成时间", "E"),
    ),
    "missing-deadline-column": (
        dict(
            measures=[row[:-1] for row in SMALL_MEASURES],
            measure_header=MEASURE_HEADER[:-1],
        ),
        ("missing-column", "error", "measures.xlsx", 3, "“完成时限”列", ""),
        ("完成时限", "", ""),
    ),
    "missing-status-column": (
        dict(
            feedback={"办公室.xlsx": [[r[0], r[1], r[3]] for r in SMALL_FEEDBACK["办公室.xlsx"]]},
            feedback_header=["编号", "填报单位", "进展情况"],
        ),
        ("missing-column", "error", "feedback/办公室.xlsx", 1, "“完成状态”列", ""),
        ("完成状态", "", ""),
    ),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_is_located(tmp_path, defect):
    options, expected, (column, header, letter) = DEFECTS[defect]
    issues = _run(make_workspace(tmp_path / defect, **options)).report.issues
    found = [(i.code, i.severity, i.file, i.row, i.column_label, i.value) for i in issues]
    assert expected in found
    assert len(found) == 1, found  # exactly this defect, nothing else flagged
    assert all(i.message for i in issues)
    (issue,) = issues
    assert (issue.column, issue.header, issue.letter) == (column, header, letter)
    assert issue.to_dict()["column_label"] == expected[4]


def test_issue_keeps_the_header_as_written_beside_the_canonical_column(tmp_path):
    header = ["类别" if name == "专项" else name for name in MEASURE_HEADER]
    measures = _measures(**{"r0c专项": "警示教育工作"})
    root = make_workspace(tmp_path / "ws", measures=measures, measure_header=header)
    (issue,) = _run(root).report.issues
    assert (issue.code, issue.column, issue.header, issue.letter) == (
        "unknown-stream",
        "专项",
        "类别",
        "B",
    )
    assert issue.column_label == "B列“类别”"
    assert issue.location() == "measures.xlsx 工作表“Sheet1” 第4行 B列“类别”"


def test_good_inputs_have_no_issues(small_workspace):
    result = _run(small_workspace)
    assert result.report.issues == []
    assert result.report.valid
    assert len(result.measures) == 6
    assert len(result.feedback) == 9


def test_every_problem_is_collected_before_reporting(tmp_path):
    measures = _measures(**{"r0c专项": "其他", "r2c完成时限": "明年", "r3c牵头部门": None})
    feedback = _feedback("办公室.xlsx", 0, "完成状态", "好")
    result = _run(make_workspace(tmp_path / "ws", measures=measures, feedback=feedback))
    codes = sorted(i.code for i in result.report.errors)
    assert codes == ["bad-date", "bad-status", "empty-cell", "unknown-stream"]
    # Rows with errors are left out of the data; the rest is kept.
    assert sorted(result.measures["编号"]) == ["JS-02", "XC-001", "XC-002"]


def test_unreadable_feedback_file_is_an_error_naming_the_file(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "feedback" / "坏文件.xlsx").write_bytes(b"PK\x03\x04broken")
    result = _run(root)
    assert [(i.code, i.file) for i in result.report.errors] == [
        ("unreadable-file", "feedback/坏文件.xlsx")
    ]


def test_excel_lock_files_are_ignored(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "feedback" / "~$办公室.xlsx").write_bytes(b"lock")
    assert _run(root).report.issues == []


def test_missing_measure_list_is_an_input_error(tmp_path):
    (tmp_path / "ws").mkdir()
    with pytest.raises(InputError, match="找不到举措清单"):
        _run(tmp_path / "ws")


def test_unknown_department_is_a_warning(tmp_path):
    measures = _measures(**{"r0c牵头部门": "办工室"})
    result = _run(make_workspace(tmp_path / "ws", measures=measures, feedback={}))
    assert [(i.code, i.value, i.row) for i in result.report.issues] == [
        ("unknown-department", "办工室", 4)
    ]


def test_feedback_rows_use_synonym_statuses(small_workspace):
    feedback = _run(small_workspace).feedback
    office = feedback[feedback["填报单位"] == "办公室"].set_index("编号")
    assert office.loc["JS-02", "完成状态"] == "已完成"  # written 完成
    assert office.loc["XC-001", "完成状态"] == "推进中"  # written 正在推进


HIGHLIGHT = "建立“一会一课一测”学习机制，3次集中学习后逐人测试，参学率100%"
# 亮点经验 is optional: a form may name it, name it by a synonym, or leave it out.
HIGHLIGHT_FORMS = {
    "办公室.xlsx": (
        "亮点经验",
        [
            [
                "JS-01",
                "办公室",
                "已完成",
                "已召开大会",
                dt.date(2026, 3, 20),
                "会议纪要",
                HIGHLIGHT,
            ],
            ["JS-02", "办公室", "已完成", "已组织学习3次", dt.date(2026, 5, 10), "签到表", "无"],
        ],
    ),
    "机关党委.xlsx": (
        "典型做法",
        [["JS-02", "机关党委", "推进中", "已制定学习计划", "", "", "暂无"]],
    ),
    "人事处.xlsx": (None, [["JS-02", "人事处", "已完成", "已学习", dt.date(2026, 6, 12), ""]]),
}


def test_highlights_are_read_under_any_of_their_names_or_not_at_all(tmp_path):
    root = make_workspace(tmp_path / "ws", feedback={})
    for name, (header, rows) in HIGHLIGHT_FORMS.items():
        columns = FEEDBACK_HEADER[:6] + ([header] if header else [])
        write_sheet(root / "feedback" / name, columns, rows)
    result = _run(root)
    assert result.report.issues == []
    highlights = {
        (row["编号"], row["填报单位"]): row["亮点经验"] for _, row in result.feedback.iterrows()
    }
    assert highlights == {
        ("JS-01", "办公室"): HIGHLIGHT,
        ("JS-02", "办公室"): "无",
        ("JS-02", "机关党委"): "暂无",
        ("JS-02", "人事处"): "",
    }
    # In the summary 无 and 暂无 mean the department has nothing to offer.
    summary = campaign_of(root).summary
    found = {
        (measure.id, a.department): a.highlight
        for measure in summary.measures
        for a in measure.assignments
        if a.department in ("办公室", "机关党委", "人事处")
    }
    assert found["JS-01", "办公室"] == HIGHLIGHT
    assert found["JS-02", "办公室"] == found["JS-02", "机关党委"] == found["JS-02", "人事处"] == ""


def test_generated_form_needs_no_department_column(tmp_path):
    from openpyxl import Workbook

    root = make_workspace(tmp_path / "ws", feedback={})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编号", "完成状态", "完成时间"])
    sheet.append(["JS-01", "已完成", dt.date(2026, 3, 1)])
    meta = workbook.create_sheet("docgen")
    meta.append(["填报单位", "办公室"])
    meta.sheet_state = "hidden"
    workbook.save(root / "feedback" / "办公室反馈表.xlsx")
    result = _run(root)
    assert result.report.issues == []
    assert list(result.feedback["填报单位"]) == ["办公室"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("2026/1/5", dt.date(2026, 1, 5)),
        ("2026.03.09", dt.date(2026, 3, 9)),
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026年6月30日前", dt.date(2026, 6, 30)),
        ("2026年2月底", dt.date(2026, 2, 28)),
        ("2028年2月底", dt.date(2028, 2, 29)),
        ("12月底", dt.date(2026, 12, 31)),
        ("2026年9月", dt.date(2026, 9, 30)),
        ("2026年底", dt.date(2026, 12, 31)),
        ("20260131", dt.date(2026, 1, 31)),
        (46022, dt.date(2025, 12, 31)),  # an Excel serial number
        (dt.datetime(2026, 5, 1, 0, 0), dt.date(2026, 5, 1)),
        ("2026年13月1日", None),
        ("2026-02-30", None),
        ("尽快", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, 2026) == expected


def test_split_departments():
    assert split_departments("办公室、人事处，财务处;第一分局\n机关党委 / 办公室") == [
        "办公室",
        "人事处",
        "财务处",
        "第一分局",
        "机关党委",
    ]


def test_cells_that_cannot_be_read_are_errors_at_their_place(tmp_path):
    from openpyxl import load_workbook

    root = make_workspace(tmp_path / "ws")
    # A program wrote a formula into a returned form and nobody opened and saved it since; the
    # measure list holds an error value. Neither is read as an empty cell.
    form = root / "feedback" / "机关党委.xlsx"
    workbook = load_workbook(form)
    workbook.active["C2"] = '=IF(D2<>"","推进中","未启动")'
    workbook.save(form)
    measures = root / "measures.xlsx"
    workbook = load_workbook(measures)
    workbook.active["I5"] = "#REF!"
    workbook.save(measures)

    result = _run(root)
    found = [
        (i.code, i.severity, i.file, i.sheet, i.row, i.column_label, i.value)
        for i in result.report.issues
    ]
    # Only these: not also an empty required cell or an empty status at the same place.
    assert found == [
        ("error-value", "error", "measures.xlsx", "Sheet1", 5, "I列“完成时限”", "#REF!"),
        (
            "formula-without-value",
            "error",
            "feedback/机关党委.xlsx",
            "Sheet1",
            2,
            "C列“完成状态”",
            '=IF(D2<>"","推进中","未启动")',
        ),
    ]
    error_value, formula = result.report.issues
    assert "用 Excel 或 WPS 打开该文件" in error_value.message
    assert "用 Excel 或 WPS 打开该文件并保存后再放回" in formula.message
    assert "JS-02" not in set(result.measures["编号"])  # the row with the error value
    assert "机关党委" not in set(result.feedback["填报单位"])
