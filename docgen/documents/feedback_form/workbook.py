"""反馈表 as Excel: a department's assignments, pre-filled and locked, with answer columns to fill.

The department is recorded in a hidden sheet (loading.PROPERTIES_SHEET), so a returned form is read
back as feedback with no edits: validation takes 填报单位 from there when the column is absent.

openpyxl builds the form (build_form_workbook) in about 50 ms, most of it styling and saving cells
that are the same in every department's form. For a batch, write_form_workbook builds it once, for
a one-row department, and then writes each department's form from that prototype: its two sheets'
cells as XML with the prototype's styles, every other part copied (form_workbook_bytes). Tests
check that both give the same cells, styles, validations and protection.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.cn import date_cn
from docgen.config import Settings
from docgen.documents.base import deadline_text
from docgen.documents.naming import CAMPAIGN
from docgen.files import atomic_write_bytes
from docgen.loading import PROPERTIES_SHEET
from docgen.model import STATUS_ORDER
from docgen.rendering import Package, document_time
from docgen.text import xml_safe
from docgen.workbooks import (
    BODY_FONT,
    cell_xml,
    date_validation,
    form_rows,
    header_row,
    landscape_print,
    lock,
    merged_text,
    title_row,
)

if TYPE_CHECKING:  # only named in annotations: a worker process need not import pandas
    from docgen.aggregation import MeasureProgress, Summary

FIXED = (
    ("序号", 6),
    ("编号", 9),
    ("专项", 10),
    ("具体举措", 42),
    ("承担方式", 8),
    ("完成时限", 14),
)
ANSWERS = (
    ("完成状态", 11),
    ("进展情况", 40),
    ("完成时间", 14),
    ("佐证材料", 24),
    ("亮点经验", 24),
    ("存在问题", 24),
    # The reader drops the note in brackets (loading._HEADER_NOTE): the column reads as 下步计划,
    # and the reports take an open item's expected date from its text (self_check.context.late_plan).
    ("下步计划（写明预计完成时间）", 30),
    ("填报人", 10),
    ("填报日期", 14),
)
DATE_ANSWERS = ("完成时间", "填报日期")
HEADER_ROW = 4
# The pre-filled columns are grey, as the instructions line tells the department.
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")


INSTRUCTIONS = (
    "填报说明：灰色各列请勿修改；完成状态从下拉列表中选择；已完成的请填写完成时间并列明佐证材料"
    "（名称、份数）；有可推广的典型做法的，在亮点经验中简要写明做法和成效，没有的不填；"
    "推进中、未启动的请说明存在问题，下步计划写明措施和预计完成时间（具体到日）。"
)
PROPERTIES_NOTE = "本表由 docgen 生成，用于读回反馈，请勿修改"


@dataclass(frozen=True)
class FormSheet:
    """What one department's Excel form says: its heading lines, the fixed columns of its rows
    (序号, 编号, 专项, 具体举措, 承担方式, 完成时限) and the dates recorded in the hidden sheet."""

    title: str
    department: str
    due_line: str
    as_of: dt.date
    due: dt.date
    rows: tuple[tuple, ...]

    @property
    def properties(self) -> tuple[tuple[str, str], ...]:
        return (
            ("填报单位", self.department),
            ("生成日期", self.as_of.isoformat()),
            ("报送截止", self.due.isoformat()),
            ("说明", PROPERTIES_NOTE),
        )


def form_title(settings: Settings, as_of: dt.date) -> str:
    return f"{settings.organisation.name}{settings.year_for(as_of)}年{CAMPAIGN}自查反馈表"


def due_line(settings: Settings, due: dt.date) -> str:
    return f"请于{date_cn(due)}前报送{settings.organisation.office}"


def return_deadline(settings: Settings, as_of: dt.date) -> dt.date:
    """The configured return date when it is still ahead, else a week from the as-of date."""
    configured = settings.campaign.return_deadline
    if configured and configured >= as_of:
        return configured
    return as_of + dt.timedelta(days=7)


def assignments_for(summary: Summary, department: str) -> list[tuple[MeasureProgress, str]]:
    return assignments_by_department(summary).get(department, [])


def assignments_by_department(summary: Summary) -> dict[str, list[tuple[MeasureProgress, str]]]:
    """Every department's (measure, role) pairs in measure order, in one pass over the measures."""
    found: dict[str, list[tuple[MeasureProgress, str]]] = {}
    for measure in summary.measures:
        for assignment in measure.assignments:
            found.setdefault(assignment.department, []).append((measure, assignment.role))
    return found


def form_sheet(
    summary: Summary,
    settings: Settings,
    department: str,
    due: dt.date,
    assignments: list[tuple[MeasureProgress, str]] | None = None,
) -> FormSheet:
    """The Excel form of a department (its assignments looked up unless given)."""
    if assignments is None:
        assignments = assignments_for(summary, department)
    rows = tuple(
        (index, measure.id, measure.stream, measure.text, role, deadline_text(measure))
        for index, (measure, role) in enumerate(assignments, start=1)
    )
    return FormSheet(
        form_title(settings, summary.as_of),
        department,
        due_line(settings, due),
        summary.as_of,
        due,
        rows,
    )


def build_form_workbook(summary: Summary, settings: Settings, department: str, due: dt.date):
    """The form as an openpyxl Workbook (the reference that form_workbook_bytes reproduces)."""
    return openpyxl_form(form_sheet(summary, settings, department, due))


def openpyxl_form(form: FormSheet):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "反馈表"
    columns = (*FIXED, *ANSWERS)
    title_row(sheet, 1, form.title, len(columns))
    merged_text(sheet, 2, 1, len(FIXED), f"填报单位（盖章）：{form.department}")
    merged_text(sheet, 2, len(FIXED) + 1, len(columns), form.due_line)
    merged_text(sheet, 3, 1, len(columns), INSTRUCTIONS)
    sheet.row_dimensions[3].height = 30
    header_row(sheet, HEADER_ROW, [c[0] for c in columns], [c[1] for c in columns])

    first = HEADER_ROW + 1
    last = first + max(len(form.rows), 1) - 1
    answers = [a[0] for a in ANSWERS]
    form_rows(sheet, HEADER_ROW, form.rows, answers, LOCKED_FILL, left=(4,), dates=DATE_ANSWERS)

    status_column = sheet.cell(row=HEADER_ROW, column=len(FIXED) + 1).column_letter
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(reversed(STATUS_ORDER)) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成状态",
        error="请从下拉列表中选择：已完成、长期坚持、推进中、未启动。",
        promptTitle="完成状态",
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    statuses.add(f"{status_column}{first}:{status_column}{last}")
    dates = date_validation("日期")
    for name in DATE_ANSWERS:
        position = len(FIXED) + 1 + [a[0] for a in ANSWERS].index(name)
        letter = sheet.cell(row=HEADER_ROW, column=position).column_letter
        dates.add(f"{letter}{first}:{letter}{last}")
    sheet.add_data_validation(statuses)
    sheet.add_data_validation(dates)

    lock(sheet)
    sheet.protection.autoFilter = False
    sheet.freeze_panes = sheet.cell(row=first, column=3)
    landscape_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}")

    meta = workbook.create_sheet(PROPERTIES_SHEET)
    for key, value in form.properties:
        meta.append([key, xml_safe(value)])
    for key_cell, value_cell in meta.iter_rows():
        key_cell.font = BODY_FONT
        value_cell.data_type = "s"  # a department named "=..." stays text, as put() keeps it
    meta.sheet_state = "hidden"
    return workbook


def write_form_workbook(
    summary: Summary, settings: Settings, department: str, due: dt.date, path: Path
) -> Path:
    return atomic_write_bytes(
        path, form_workbook_bytes(form_sheet(summary, settings, department, due))
    )


# ---------------------------------------------------------------------------------------------
# The batch writer: openpyxl's form, built once, refilled per department


FORM_MEMBER = "xl/worksheets/sheet1.xml"
PROPERTIES_MEMBER = "xl/worksheets/sheet2.xml"
# Stand-ins for the last row in the prototype's XML (openpyxl writes every non-ASCII character as
# a character reference, so these never occur in it): of the cells, and of the validated ranges.
_LAST_CELL_ROW, _LAST_RANGE_ROW = "\ue000", "\ue001"
_ROW_TAG = re.compile(r'<row r="([0-9]+)"[^>]*>')
_CELL_STYLE = re.compile(r'<c r="([A-Z]+)([0-9]+)"( s="[0-9]+")?')
_COLUMNS = len(FIXED) + len(ANSWERS)


def _heading_cells(form: FormSheet) -> dict[tuple[int, int], str]:
    """(row, column) -> text of the rows above the table, as openpyxl_form writes them."""
    cells = {
        (1, 1): form.title,
        (2, 1): f"填报单位（盖章）：{form.department}",
        (2, len(FIXED) + 1): form.due_line,
        (3, 1): INSTRUCTIONS,
    }
    for column, (name, _) in enumerate((*FIXED, *ANSWERS), start=1):
        cells[(HEADER_ROW, column)] = name
    return cells


def _split_sheet(xml: str) -> tuple[str, str, str]:
    start = xml.index("<sheetData>") + len("<sheetData>")
    end = xml.index("</sheetData>")
    return xml[:start], xml[start:end], xml[end:]


def _styles(cells_xml: str) -> dict[tuple[int, int], str]:
    return {
        (int(m.group(2)), column_index_from_string(m.group(1))): m.group(3) or ""
        for m in _CELL_STYLE.finditer(cells_xml)
    }


class _Prototype:
    """openpyxl's form for a two-row department, taken apart: what surrounds each sheet's cells,
    the opening tag of every row and the style of every cell. (Two rows, so that openpyxl writes
    the validated ranges as ranges, G5:G6, not as a single cell.)"""

    def __init__(self) -> None:
        day = dt.date(2000, 1, 1)
        row = ("I", "S", "T", "R", "D")
        sample = FormSheet("T", "D", "L", day, day, ((1, *row), (2, *row)))
        buffer = io.BytesIO()
        openpyxl_form(sample).save(buffer)
        data = buffer.getvalue()
        archive = zipfile.ZipFile(io.BytesIO(data))
        first, second = HEADER_ROW + 1, HEADER_ROW + 2
        head, cells, tail = _split_sheet(archive.read(FORM_MEMBER).decode("utf-8"))
        dimension = f'<dimension ref="A1:{get_column_letter(_COLUMNS)}{second}"/>'
        self.form_head = head.replace(
            dimension, dimension.replace(f'{second}"', f'{_LAST_CELL_ROW}"')
        )
        sample_range = re.compile(rf"\b([A-Z]+){first}:([A-Z]+){second}\b")
        self.form_tail = re.sub(
            r'sqref="[^"]*"',
            lambda m: sample_range.sub(rf"\g<1>{first}:\g<2>{_LAST_RANGE_ROW}", m.group(0)),
            tail,
        )
        self.row_tags = {int(m.group(1)): m.group(0) for m in _ROW_TAG.finditer(cells)}
        self.styles = _styles(cells)
        self.meta_head, meta_cells, self.meta_tail = _split_sheet(
            archive.read(PROPERTIES_MEMBER).decode("utf-8")
        )
        self.meta_styles = _styles(meta_cells)
        self.meta_row_tags = {int(m.group(1)): m.group(0) for m in _ROW_TAG.finditer(meta_cells)}
        columns = range(1, _COLUMNS + 1)
        expected = set(_heading_cells(sample)) | {(r, c) for r in (first, second) for c in columns}
        if (
            self.form_head.count(_LAST_CELL_ROW) != 1
            or self.form_tail.count(_LAST_RANGE_ROW) != len(DATE_ANSWERS) + 1
            or set(self.styles) != expected
            or [self.styles[(first, c)] for c in columns]
            != [self.styles[(second, c)] for c in columns]
            or self.row_tags[second] != self.row_tags[first].replace(f'"{first}"', f'"{second}"')
        ):
            raise RuntimeError("openpyxl wrote the form in a way form_workbook_bytes does not know")
        self.package = Package(data, {FORM_MEMBER, PROPERTIES_MEMBER})


@functools.lru_cache(maxsize=1)
def _prototype() -> _Prototype:
    return _Prototype()


def form_workbook_bytes(form: FormSheet, when: dt.datetime | None = None) -> bytes:
    """The .xlsx of openpyxl_form(form), written from the prototype without openpyxl; every
    member and the document properties carry `when` (default: document_time of the form's
    as-of date)."""
    prototype = _prototype()
    styles, tags = prototype.styles, prototype.row_tags
    parts = [prototype.form_head.replace(_LAST_CELL_ROW, str(HEADER_ROW + len(form.rows)))]
    heading = _heading_cells(form)
    for row in range(1, HEADER_ROW + 1):
        parts.append(tags[row])
        for (at_row, column), value in heading.items():
            if at_row == row:
                parts.append(cell_xml(row, column, styles[(row, column)], value))
        parts.append("</row>")
    data_row = HEADER_ROW + 1
    data_tag = tags[data_row]
    fixed_styles = [styles[(data_row, column)] for column in range(1, len(FIXED) + 1)]
    # The answer cells are empty: the same element in every row but for the row number.
    answers = "".join(
        f'<c r="{get_column_letter(column)}{{row}}"{styles[(data_row, column)]} t="n"></c>'
        for column in range(len(FIXED) + 1, _COLUMNS + 1)
    )
    for row, fixed in enumerate(form.rows, start=data_row):
        parts.append(data_tag.replace(f'r="{data_row}"', f'r="{row}"', 1))
        for column, value in enumerate(fixed, start=1):
            parts.append(cell_xml(row, column, fixed_styles[column - 1], value))
        parts.append(answers.replace("{row}", str(row)))
        parts.append("</row>")
    parts.append(
        prototype.form_tail.replace(_LAST_RANGE_ROW, str(HEADER_ROW + max(len(form.rows), 1)))
    )
    meta = [prototype.meta_head]
    for row, (key, value) in enumerate(form.properties, start=1):
        meta.append(prototype.meta_row_tags[row])
        meta.append(cell_xml(row, 1, prototype.meta_styles[(row, 1)], key))
        meta.append(cell_xml(row, 2, prototype.meta_styles[(row, 2)], value))
        meta.append("</row>")
    meta.append(prototype.meta_tail)
    members = {
        FORM_MEMBER: "".join(parts).encode("utf-8"),
        PROPERTIES_MEMBER: "".join(meta).encode("utf-8"),
    }
    for member, xml in members.items():
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError as exc:  # a bug here, never the data: every value is escaped
            raise RuntimeError(f"反馈表的 {member} 不是合法的 XML（{exc}）") from None
    return prototype.package.write(members, when=when or document_time(form.as_of))
