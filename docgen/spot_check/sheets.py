"""The Excel side of a spot-check plan (documents.md §11.1): one 督导抽查记录表 per stream lead, to
fill in and return (the sampled rows locked, dropdowns for the method and the verdict, a date
check on the date, the sample's seed and stream kept on a hidden sheet for reading back), and
抽查清单.xlsx, the whole sample with why each item was drawn."""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from docgen import cn
from docgen.config import Settings
from docgen.loading import PROPERTIES_SHEET
from docgen.rendering import document_time
from docgen.spot_check.sampling import Drawn, Sample, StreamSample
from docgen.text import xml_safe
from docgen.workbooks import (
    BODY_FONT,
    CENTRE,
    date_validation,
    form_rows,
    header_row,
    landscape_print,
    lock,
    merged_text,
    put,
    save_workbook,
    title_row,
)

FOLDER = "督导抽查"
LIST_NAME = "抽查清单.xlsx"
METHODS = ("听取汇报", "查阅资料", "实地查看", "个别访谈")
VERDICTS = ("属实", "基本属实", "不属实")
# The sampled claim, locked; then what the checker fills in.
CLAIM = (
    ("序号", 6),
    ("编号", 10),
    ("具体举措", 36),
    ("责任部门", 14),
    ("报称状态", 9),
    ("报称完成时间", 13),
    ("报称佐证材料", 22),
    ("抽取原因", 12),
)
CHECK = (
    ("核查方式", 14),
    ("核查结果", 11),
    ("发现的问题", 28),
    ("整改要求", 24),
    ("核查人", 10),
    ("核查日期", 13),
)
HEADER_ROW = 4
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


def sheet_name(part: StreamSample) -> str:
    """督导抽查记录表_机关党委_警示教育.xlsx (without the suffix): who checks which stream."""
    return f"督导抽查记录表_{part.checker}_{part.stream}"


def basis(sample: Sample, part: StreamSample) -> str:
    """抽样说明: the seed, the pool and what was drawn, zero clauses left out."""
    text = f"按随机数种子{sample.seed}从已完成的{part.pool}项中随机抽取{part.random_count}项"
    if part.risk_count:
        text += f"，另含未填佐证材料或逾期完成的{part.risk_count}项"
    return text + "。"


def claim_row(n: int, drawn: Drawn) -> tuple:
    a = drawn.assignment
    return (
        n,
        drawn.measure.id,
        drawn.measure.text,
        a.department,
        a.status,
        cn.date_cn(a.completed_on) if a.completed_on else "未填写",
        a.evidence.strip() or "未填写",
        "、".join(drawn.reasons),
    )


def record_workbook(sample: Sample, part: StreamSample, settings: Settings, as_of: dt.date):
    """A stream lead's sheet as an openpyxl Workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "督导抽查记录表"
    columns = (*CLAIM, *CHECK)
    title_row(sheet, 1, "督导抽查记录表", len(columns))
    merged_text(sheet, 2, 1, 3, f"专项：{part.stream}")
    merged_text(sheet, 2, 4, len(CLAIM), f"抽查单位（牵头部门）：{part.checker}")
    merged_text(sheet, 2, len(CLAIM) + 1, len(columns), "抽查日期：    年  月  日")
    note = (
        f"抽样说明：{basis(sample, part)}截至{cn.date_cn(as_of)}。"
        "请逐项填写核查方式（可填多种，用顿号隔开）、核查结果（属实、基本属实、不属实）、"
        "发现的问题、整改要求、核查人和核查日期；灰色各列请勿修改。"
    )
    merged_text(sheet, 3, 1, len(columns), note)
    sheet.row_dimensions[3].height = 32
    header_row(sheet, HEADER_ROW, [c[0] for c in columns], [c[1] for c in columns])

    first = HEADER_ROW + 1
    last = first + max(len(part.drawn), 1) - 1
    rows = [claim_row(n, drawn) for n, drawn in enumerate(part.drawn, start=1)]
    answers = [c[0] for c in CHECK]
    form_rows(sheet, HEADER_ROW, rows, answers, LOCKED_FILL, left=(3, 7), dates=("核查日期",))

    def letter(name: str) -> str:
        position = [c[0] for c in columns].index(name) + 1
        return sheet.cell(row=HEADER_ROW, column=position).column_letter

    # Several methods may be written in one cell: the list is offered, anything else is let
    # through after a warning.
    methods = DataValidation(
        type="list",
        formula1='"' + ",".join(METHODS) + '"',
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        errorTitle="核查方式",
        error="核查方式一般为听取汇报、查阅资料、实地查看、个别访谈；多种方式请用顿号隔开。",
    )
    verdicts = DataValidation(
        type="list",
        formula1='"' + ",".join(VERDICTS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="核查结果",
        error="请从下拉列表中选择：属实、基本属实、不属实。",
    )
    dates = date_validation("核查日期")
    methods.add(f"{letter('核查方式')}{first}:{letter('核查方式')}{last}")
    verdicts.add(f"{letter('核查结果')}{first}:{letter('核查结果')}{last}")
    dates.add(f"{letter('核查日期')}{first}:{letter('核查日期')}{last}")
    for validation in (methods, verdicts, dates):
        sheet.add_data_validation(validation)

    signature = last + 2
    put(sheet, signature, 1, "督导组成员签字：", border=None)
    sheet.merge_cells(start_row=signature, start_column=1, end_row=signature, end_column=4)

    lock(sheet)
    sheet.freeze_panes = sheet.cell(row=first, column=3)
    landscape_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}")

    meta = workbook.create_sheet(PROPERTIES_SHEET)
    for key, value in (
        ("种子", str(sample.seed)),
        ("专项", part.stream),
        ("抽查单位", part.checker),
        ("截至日期", as_of.isoformat()),
        ("抽取比例", f"{sample.ratio:g}"),
        ("机关", settings.organisation.name),
    ):
        meta.append([key, xml_safe(value)])
    for key_cell, value_cell in meta.iter_rows():
        key_cell.font = BODY_FONT
        value_cell.data_type = "s"
    meta.sheet_state = "hidden"
    return workbook


LIST_COLUMNS = (
    ("序号", 6),
    ("专项", 10),
    ("抽查单位", 14),
    ("编号", 10),
    ("具体举措", 40),
    ("责任部门", 14),
    ("报称完成时间", 13),
    ("报称佐证材料", 24),
    ("抽取原因", 14),
)


def list_workbook(sample: Sample, as_of: dt.date):
    """抽查清单: every sampled assignment, stream by stream, with why it was drawn."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "抽查清单"
    title_row(sheet, 1, "督导抽查清单", len(LIST_COLUMNS))
    counts = "；".join(
        f"{part.stream}{basis(sample, part).rstrip('。')}" for part in sample.streams
    )
    put(sheet, 2, 1, f"截至{cn.date_cn(as_of)}，随机数种子{sample.seed}，{counts}。", border=None)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(LIST_COLUMNS))
    sheet.row_dimensions[2].height = 45
    header_row(sheet, 3, [c[0] for c in LIST_COLUMNS], [c[1] for c in LIST_COLUMNS])
    row = 3
    for part in sample.streams:
        for drawn in part.drawn:
            row += 1
            claim = claim_row(row - 3, drawn)
            values = (claim[0], part.stream, part.checker, *claim[1:4], *claim[5:])
            for column, value in enumerate(values, start=1):
                cell = put(sheet, row, column, value)
                if column not in (5, 8):
                    cell.alignment = CENTRE
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(row=3, column=len(LIST_COLUMNS)).column_letter}{row}"
    landscape_print(sheet, "3:3")
    return workbook


def write_plan(sample: Sample, settings: Settings, as_of: dt.date, folder: Path) -> list[Path]:
    """Every stream lead's sheet and the list, into `folder` (created), dated by the as-of date
    (rendering.document_time) like every document of a build."""
    folder.mkdir(parents=True, exist_ok=True)
    when = document_time(as_of)
    written = [
        save_workbook(
            record_workbook(sample, part, settings, as_of),
            folder / f"{sheet_name(part)}.xlsx",
            when,
        )
        for part in sample.streams
    ]
    written.append(save_workbook(list_workbook(sample, as_of), folder / LIST_NAME, when))
    return written
