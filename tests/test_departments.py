"""Department identity (domain.md): a name holding a separator is one department where
docgen.toml lists it or, without a list, where a returned form is filled in by it, and every
count and document sees that one department; a return none of whose rows is its department's
own is an error naming the file, the name as written, the closest known names and the fix."""

import copy
import datetime as dt
import re
import shutil

import docx
import pytest
from conftest import (
    CONFIG,
    SMALL_AS_OF,
    SMALL_FEEDBACK,
    SMALL_MEASURES,
    campaign_of,
    job_for,
    make_workspace,
)
from openpyxl import Workbook
from test_build import NOW, document_texts

from docgen.build import build
from docgen.documents.feedback_form import write_feedback_forms
from docgen.documents.party_report import write_party_report
from docgen.errors import ValidationFailed
from docgen.files import safe_filename
from docgen.validation import departments_kept_whole, split_departments, validate_inputs
from docgen.workspace import open_workspace

SLASHED = "综合/后勤科"
# The small campaign with 综合/后勤科 leading one measure and sharing another.
MEASURES = [
    *(
        [*row[:6], SLASHED, *row[7:]] if row[0] == "YA-002" else list(row)
        for row in copy.deepcopy(SMALL_MEASURES)
    ),
    ["YA-003", "以案促改", "", "规范公务用车管理", "机制建设", SLASHED, "办公室", "", "2026-12-31"],
]
RETURN = [
    ["YA-002", SLASHED, "长期坚持", "已建立用车台账", "", "", dt.date(2026, 6, 10)],
    ["YA-003", SLASHED, "推进中", "已修订用车办法", "", "", dt.date(2026, 6, 10)],
]
LISTED = CONFIG + f'\n[[departments]]\nname = "{SLASHED}"\nkind = "处室"\n'


def _workspace(root, config=LISTED, name=SLASHED, rows=RETURN):
    feedback = copy.deepcopy(SMALL_FEEDBACK)
    feedback[f"{safe_filename(name)}.xlsx"] = [[r[0], name, *r[2:]] for r in rows]
    return make_workspace(root, measures=MEASURES, feedback=feedback, config=config)


def _validate(root):
    return validate_inputs(open_workspace(root, SMALL_AS_OF, SMALL_AS_OF))


@pytest.mark.parametrize(
    ("cell", "whole", "names"),
    [
        (SLASHED, {SLASHED}, [SLASHED]),
        (f"{SLASHED}、办公室", {SLASHED}, [SLASHED, "办公室"]),
        (f"财务处；{SLASHED}\n人事处", {SLASHED}, ["财务处", SLASHED, "人事处"]),
        (f"财务/{SLASHED}", {SLASHED}, ["财务", SLASHED]),
        ("办公室（党办）/人事处", {"办公室（党办）/人事处"}, ["办公室（党办）/人事处"]),
        (SLASHED, set(), ["综合", "后勤科"]),
        (SLASHED, {"后勤科/综合"}, ["综合", "后勤科"]),
        ("办公室、人事处，财务处", {SLASHED}, ["办公室", "人事处", "财务处"]),
    ],
)
def test_a_name_kept_whole_is_one_department_wherever_it_stands(cell, whole, names):
    assert split_departments(cell, whole) == names


def test_the_list_in_docgen_toml_is_authoritative_and_the_forms_speak_without_it():
    listed = ["办公室（党办）", SLASHED, "财务处"]
    reported = {"财务/审计", "人事处"}
    assert departments_kept_whole(listed, reported) == {SLASHED}
    assert departments_kept_whole([], reported) == {"财务/审计"}


@pytest.mark.parametrize("config", [LISTED, None], ids=["listed-in-docgen-toml", "no-list"])
def test_a_department_named_with_a_slash_is_one_department(tmp_path, config):
    result = _validate(_workspace(tmp_path / "ws", config=config))
    assert result.report.issues == []
    measures = result.measures.set_index("编号")
    assert measures.loc["YA-003", "部门"] == [SLASHED, "办公室"]
    assert measures.loc["YA-002", "部门"] == ["财务处", SLASHED]
    assert SLASHED in result.departments
    assert not {"综合", "后勤科"} & set(result.departments)
    assert list(result.feedback[result.feedback["填报单位"] == SLASHED]["编号"]) == [
        "YA-002",
        "YA-003",
    ]

    summary = campaign_of(_workspace(tmp_path / "again", config=config)).summary
    department = summary.department(SLASHED)
    assert not department.sent_nothing
    assert (department.counts.total, department.counts.unreported) == (2, 0)
    assert not {"综合", "后勤科"} & {d.name for d in summary.departments}
    assert SLASHED not in summary.silent_departments


def test_a_form_docgen_generated_names_its_department_by_its_property(tmp_path):
    root = _workspace(tmp_path / "ws", config=None, rows=[])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编号", "完成状态", "进展情况"])
    sheet.append(["YA-003", "推进中", "已修订用车办法"])
    meta = workbook.create_sheet("docgen")
    meta.append(["填报单位", SLASHED])
    meta.sheet_state = "hidden"
    workbook.save(root / "feedback" / f"{safe_filename(SLASHED)}.xlsx")
    result = _validate(root)
    assert result.report.issues == []
    assert list(result.feedback[result.feedback["填报单位"] == SLASHED]["编号"]) == ["YA-003"]


def test_a_return_under_a_name_written_otherwise_is_an_error_saying_what_to_do(tmp_path):
    root = _workspace(tmp_path / "ws", config=None, name="综合后勤科")
    result = _validate(root)
    assert not result.report.valid
    found = [
        (i.code, i.severity, i.file, i.row, i.column_label, i.value) for i in result.report.issues
    ]
    # Without a list and without a return by 综合/后勤科, the measure list's cell is split.
    assert found == [
        ("several-leads", "warning", "measures.xlsx", 10, "F列“牵头部门”", SLASHED),
        ("unmatched-return", "error", "feedback/综合后勤科.xlsx", 2, "B列“填报单位”", "综合后勤科"),
    ]  # one error in place of a not-assigned warning on each of its rows
    message = result.report.errors[0].message
    assert "反馈表“feedback/综合后勤科.xlsx”" in message
    assert "填报单位写作“综合后勤科”" in message
    assert f"相近的名称：{SLASHED}" in message
    assert "2行" in message and "未反馈" in message
    assert (
        "在 docgen.toml 的部门名单中加入该名称，或把反馈表的填报单位改为举措清单中的写法" in message
    )
    with pytest.raises(ValidationFailed):
        campaign_of(root)  # no document may say that the department did not report


def test_with_a_list_that_lacks_the_name_it_is_split_and_its_return_is_an_error(tmp_path):
    result = _validate(_workspace(tmp_path / "ws", config=CONFIG))
    found = [(i.code, i.severity, i.value) for i in result.report.issues]
    assert ("unknown-department", "warning", "综合") in found
    assert ("unknown-department", "warning", "后勤科") in found
    (error,) = result.report.errors
    assert (error.code, error.value) == ("unmatched-return", SLASHED)
    assert "后勤科" in error.message.split("相近的名称：")[1]
    assert "在 docgen.toml 的部门名单中加入该名称" in error.message


def test_a_known_department_answering_only_for_others_is_an_error(tmp_path):
    feedback = copy.deepcopy(SMALL_FEEDBACK)
    feedback["机关党委.xlsx"] = [["JS-01", "机关党委", "已完成", "", dt.date(2026, 3, 1), "", ""]]
    result = _validate(make_workspace(tmp_path / "ws", feedback=feedback))
    (error,) = result.report.errors
    assert (error.code, error.file, error.value) == (
        "unmatched-return",
        "feedback/机关党委.xlsx",
        "机关党委",
    )
    assert "都不是机关党委牵头或负责的举措" in error.message
    assert "是否用了其他部门的反馈表" in error.message


def test_a_build_counts_the_return_of_a_department_named_with_a_slash(tmp_path):
    root = _workspace(tmp_path / "ws", config=None)
    result = build(open_workspace(root, SMALL_AS_OF, SMALL_AS_OF), tmp_path / "out", NOW)
    names = {p.relative_to(result.folder).as_posix() for p in result.outputs}
    own = safe_filename(SLASHED)
    assert f"反馈表/反馈表_{own}.docx" in names
    assert f"部门自查报告/自查报告_{own}.docx" in names
    assert not [n for n in names if re.search(r"(?<!综合)_后勤科\.|_综合\.", n)]
    report = "\n".join(document_texts(result.folder / f"部门自查报告/自查报告_{own}.docx"))
    # Its return counted: its two measures with the statuses it reported, nothing unreported.
    assert "综合/后勤科对照本部门承担的2项举措" in report
    assert "推进中" in report and "未反馈" not in report
    for path in result.outputs:
        if path.suffix == ".docx":
            text = "\n".join(document_texts(path))
            # 后勤科 only ever as part of the one department's name.
            assert not re.search("(?<!综合/)后勤科", text), path.name


def test_a_form_returned_empty_is_a_return_not_a_silence(tmp_path):
    """domain.md: never write that a department has not reported while a file from it was read.
    财务处 sends back the form docgen made for it without filling anything in: it has reported,
    and each of its measures is 未填报."""
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "forms"
    written = write_feedback_forms(job_for(root, out), ["财务处"])
    [form] = [path for path in written if path.suffix == ".xlsx"]
    shutil.copy(form, root / "feedback" / form.name)
    campaign = campaign_of(root, SMALL_AS_OF)
    # The form docgen made lists 财务处's three measures; none has a status.
    assert {i.code for i in campaign.inputs.report.issues} == {"empty-status"}
    summary = campaign.summary
    assert "财务处" not in summary.silent_departments
    finance = next(d for d in summary.departments if d.name == "财务处")
    assert not finance.sent_nothing and finance.counts.unreported == finance.counts.total
    [report] = write_party_report(job_for(root, tmp_path / "out"))
    text = "".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "财务处尚未报送" not in text and "财务处（3项）已报送反馈表，但有举措未填报" in text
