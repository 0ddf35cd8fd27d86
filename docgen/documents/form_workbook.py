"""反馈表 as Excel: a department's assignments, pre-filled and locked, with answer columns to fill.

The department is recorded in a hidden sheet (loading.PROPERTIES_SHEET), so a returned form is read
back as feedback with no edits: validation takes 填报单位 from there when the column is absent.
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.aggregation import MeasureProgress, Summary
from docgen.cn import date_cn
from docgen.config import Settings
from docgen.documents.naming import CAMPAIGN
from docgen.loading import PROPERTIES_SHEET
from docgen.model import STATUS_ORDER
from docgen.workbooks import (
    BODY_FONT,
    CENTRE,
    header_row,
    landscape_print,
    put,
    save_workbook,
    title_row,
)

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
    ("存在问题", 24),
    ("下步计划", 24),
    ("填报人", 10),
    ("填报日期", 14),
)
DATE_ANSWERS = ("完成时间", "填报日期")
HEADER_ROW = 4
UNLOCKED = Protection(locked=False)
# The pre-filled columns are grey, as the instructions line tells the department.
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")


def return_deadline(settings: Settings, as_of: dt.date) -> dt.date:
    """The configured return date when it is still ahead, else a week from the as-of date."""
    configured = settings.campaign.return_deadline
    if configured and configured >= as_of:
        return configured
    return as_of + dt.timedelta(days=7)


def assignments_for(summary: Summary, department: str) -> list[tuple[MeasureProgress, str]]:
    return [
        (measure, assignment.role)
        for measure in summary.measures
        for assignment in measure.assignments
        if assignment.department == department
    ]


def deadline_text(measure: MeasureProgress) -> str:
    return date_cn(measure.deadline) if measure.deadline else (measure.deadline_text or "长期坚持")


def build_form_workbook(summary: Summary, settings: Settings, department: str, due: dt.date):
    rows = assignments_for(summary, department)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "反馈表"
    columns = (*FIXED, *ANSWERS)
    year = settings.year_for(summary.as_of)
    title = f"{settings.organisation.name}{year}年{CAMPAIGN}自查反馈表"
    title_row(sheet, 1, title, len(columns))
    put(sheet, 2, 1, f"填报单位（盖章）：{department}", border=None)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(FIXED))
    put(
        sheet,
        2,
        len(FIXED) + 1,
        f"请于{date_cn(due)}前报送{settings.organisation.office}",
        border=None,
    )
    sheet.merge_cells(start_row=2, start_column=len(FIXED) + 1, end_row=2, end_column=len(columns))
    put(
        sheet,
        3,
        1,
        "填报说明：灰色各列请勿修改；完成状态从下拉列表中选择；已完成的请填写完成时间并列明佐证材料"
        "（名称、份数）；未完成的请说明存在问题和下步计划。",
        border=None,
    )
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(columns))
    sheet.row_dimensions[3].height = 30
    header_row(sheet, HEADER_ROW, [c[0] for c in columns], [c[1] for c in columns])

    first = HEADER_ROW + 1
    last = first + max(len(rows), 1) - 1
    for index, (measure, role) in enumerate(rows, start=1):
        row = HEADER_ROW + index
        fixed = [index, measure.id, measure.stream, measure.text, role, deadline_text(measure)]
        for column, value in enumerate(fixed, start=1):
            cell = put(sheet, row, column, value)
            cell.fill = LOCKED_FILL
            if column != 4:
                cell.alignment = CENTRE
        for column in range(len(FIXED) + 1, len(columns) + 1):
            cell = put(sheet, row, column, None)
            cell.protection = UNLOCKED
            if columns[column - 1][0] in DATE_ANSWERS:
                cell.number_format = 'yyyy"年"m"月"d"日"'

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
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期",
        error="请填写日期，如 2026-11-26。",
    )
    for name in DATE_ANSWERS:
        position = len(FIXED) + 1 + [a[0] for a in ANSWERS].index(name)
        letter = sheet.cell(row=HEADER_ROW, column=position).column_letter
        dates.add(f"{letter}{first}:{letter}{last}")
    sheet.add_data_validation(statuses)
    sheet.add_data_validation(dates)

    # Locked without a password: the point is to stop slips, not to keep anyone out.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.freeze_panes = sheet.cell(row=first, column=3)
    landscape_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}")

    meta = workbook.create_sheet(PROPERTIES_SHEET)
    for key, value in (
        ("填报单位", department),
        ("生成日期", summary.as_of.isoformat()),
        ("报送截止", due.isoformat()),
        ("说明", "本表由 docgen 生成，用于读回反馈，请勿修改"),
    ):
        meta.append([key, value])
    for cell in meta["A"]:
        cell.font = BODY_FONT
    meta.sheet_state = "hidden"
    return workbook


def write_form_workbook(
    summary: Summary, settings: Settings, department: str, due: dt.date, path: Path
) -> Path:
    return save_workbook(build_form_workbook(summary, settings, department, due), path)
