"""The Excel 反馈表 written from the prototype is the workbook openpyxl builds: same cells, values,
types, styles, merged cells, validations, protection, print setup and hidden sheet; and it reads
back the same."""

import dataclasses
import datetime as dt
import io

import pytest
from conftest import SMALL_AS_OF, campaign_of
from excel import describe
from openpyxl import load_workbook

from docgen.documents.feedback_form.workbook import (
    FormSheet,
    form_sheet,
    form_workbook_bytes,
    openpyxl_form,
    return_deadline,
)
from docgen.loading import read_table
from docgen.model import FEEDBACK_COLUMNS


def reference(form: FormSheet) -> bytes:
    buffer = io.BytesIO()
    openpyxl_form(form).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def forms(small_workspace):
    campaign = campaign_of(small_workspace, SMALL_AS_OF)
    summary, settings = campaign.summary, campaign.settings
    due = return_deadline(settings, SMALL_AS_OF)
    return [form_sheet(summary, settings, name, due) for name in ("办公室", "机关党委", "财务处")]


def test_every_department_form_is_the_openpyxl_workbook(forms):
    for form in forms:
        assert describe(form_workbook_bytes(form)) == describe(reference(form)), form.department


HOSTILE_TEXT = [
    "整改 A&B <接待> “超标准”{x}问题",
    "=SUM(A1:A3)",
    "+86 -1 @x",
    "  前后有空格  ",
    "   ",
    "换行\n第二行",
    "ctrl\x00\x07chars_x000B_escape",
    "😀👍🏽 𠮷野家 㛃",
    "中" * 10_000,
    "",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_text_is_written_as_openpyxl_writes_it(forms, text):
    base = forms[0]
    rows = ((1, "JS-01", "警示教育", text, "牵头", text),) + base.rows[1:]
    form = dataclasses.replace(base, department=text or "办公室", rows=rows)
    data = form_workbook_bytes(form)
    assert describe(data) == describe(reference(form))


@pytest.mark.parametrize("count", [0, 1, 2, 300])
def test_any_number_of_rows(forms, count):
    row = forms[0].rows[0]
    rows = tuple((index, *row[1:]) for index in range(1, count + 1))
    form = dataclasses.replace(forms[0], rows=rows)
    assert describe(form_workbook_bytes(form)) == describe(reference(form))


def test_the_written_form_reads_back_as_the_openpyxl_one(forms, tmp_path):
    form = forms[2]
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    fast.write_bytes(form_workbook_bytes(form))
    slow.write_bytes(reference(form))
    read_fast, read_slow = read_table(fast, FEEDBACK_COLUMNS), read_table(slow, FEEDBACK_COLUMNS)
    assert read_fast.properties == read_slow.properties
    assert read_fast.properties["填报单位"] == "财务处"
    assert (read_fast.header_row, read_fast.columns) == (read_slow.header_row, read_slow.columns)
    # Every feedback column but 填报单位 (the hidden sheet names it) is on the form, 亮点经验 too.
    assert set(read_fast.columns) == {c.name for c in FEEDBACK_COLUMNS} - {"填报单位"}
    assert read_fast.rows == read_slow.rows
    assert read_fast.row_numbers == read_slow.row_numbers


def test_the_properties_sheet_is_hidden_and_dated(forms):
    workbook = load_workbook(io.BytesIO(form_workbook_bytes(forms[0])))
    assert workbook["docgen"].sheet_state == "hidden"
    assert dict(workbook["docgen"].values)["生成日期"] == SMALL_AS_OF.isoformat()
    assert (
        dict(workbook["docgen"].values)["报送截止"] == (SMALL_AS_OF + dt.timedelta(7)).isoformat()
    )
