"""整改台账 as an Excel workbook: every measure with its status, light, owners, deadline and
each department's progress, then the counts by stream and by department.

build_ledger builds it with openpyxl, which takes seconds for a campaign of thousands of measures
(storing, styling and writing each cell). ledger_bytes, which a build writes, has openpyxl build
it with a few sample rows and writes every measure's cells as XML with the samples' styles; tests
check that both give the same workbook."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from docgen.aggregation import Counts, MeasureProgress, Summary
from docgen.cn import date_cn, month_day_cn, percent
from docgen.config import Settings
from docgen.documents.naming import campaign_title
from docgen.files import atomic_write_bytes
from docgen.model import CLOSED, DONE, REFUTED_MARK, TO_VERIFY
from docgen.rendering import Package, document_time
from docgen.workbooks import (
    CENTRE,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    LIGHT_FILLS,
    cell_xml,
    header_row,
    landscape_print,
    put,
    title_row,
)

COLUMNS = (
    ("序号", 6),
    ("编号", 9),
    ("专项", 10),
    ("巡察反馈问题", 28),
    ("具体举措", 40),
    ("重点方面", 10),
    ("牵头部门", 14),
    ("责任部门", 18),
    ("分管领导", 9),
    ("完成时限", 15),
    ("完成状态", 9),
    ("预警", 7),
    ("逾期天数", 8),
    ("完成时间", 15),
    ("核验情况", 10),
    ("督导抽查结果", 36),
    ("各部门进展情况", 50),
    ("佐证材料", 30),
    ("存在问题", 30),
    ("下步计划", 30),
)
LIGHT_WORDS = {"红": "红灯", "黄": "黄灯", "绿": "绿灯"}


def _per_department(measure: MeasureProgress, field: str, with_status: bool = False) -> str:
    """One line per department, named, so a shared measure shows who said what."""
    several = len(measure.assignments) > 1
    lines = []
    for a in measure.assignments:
        text = getattr(a, field)
        if with_status:
            when = f"，{month_day_cn(a.reported_on)}填报" if a.reported_on else ""
            head = f"{a.department}（{a.role}，{a.status}{when}）"
            lines.append(f"{head}：{text}" if text else head)
        elif text:
            lines.append(f"{a.department}：{text}" if several else text)
    return "\n".join(lines)


def verification(measure: MeasureProgress) -> str:
    """核验情况: 已销号 (done, every department's completion verified), 抽查不属实, 待核验 (done,
    not yet verified), or nothing for a measure not done."""
    if measure.refuted:
        return REFUTED_MARK
    if measure.status != DONE:
        return ""
    return CLOSED if measure.closed else TO_VERIFY


def checks_text(measure: MeasureProgress) -> str:
    """督导抽查结果: each checked department's verdict, when and by whom, what was found and,
    for 不属实, the new deadline."""
    lines = []
    for a in measure.assignments:
        if not a.verdict:
            continue
        said = [f"{date_cn(a.checked_on)}{a.checker}核查" if a.checked_on else a.checker]
        if a.finding:
            said.append(a.finding)
        if a.refuted and a.redo_by:
            said.append(f"限{date_cn(a.redo_by)}前重新完成")
        lines.append(f"{a.department}：{a.verdict}（{'；'.join(s for s in said if s)}）")
    return "\n".join(lines)


def _counts_cells(counts: Counts) -> list:
    return [
        counts.total,
        counts.done,
        counts.doing,
        counts.not_started,
        counts.standing,
        counts.unreported,
        counts.overdue,
        percent(counts.rate),
    ]


# One measure's row of the 整改台账 sheet: its cells, and its light (the 预警 cell's colour).
LedgerRow = tuple[list, str]
CENTRED = (1, 2, 3, 6, 9, 10, 11, 12, 13, 14, 15)
DATED = (10, 14)  # 完成时限, 完成时间: a date is formatted as one
LIGHT_COLUMN = 12
FIRST_ROW = 4


def ledger_rows(summary: Summary) -> list[LedgerRow]:
    return [
        (
            [
                index,
                measure.id,
                measure.stream,
                measure.problem,
                measure.text,
                measure.aspect,
                measure.lead,
                "、".join(measure.departments[1:]),
                measure.leader,
                measure.deadline if measure.deadline else (measure.deadline_text or "长期坚持"),
                measure.status,
                LIGHT_WORDS[measure.light],
                measure.overdue_days or None,
                measure.completed_on,
                verification(measure),
                checks_text(measure),
                _per_department(measure, "progress", with_status=True),
                _per_department(measure, "evidence"),
                _per_department(measure, "problems"),
                _per_department(measure, "next_steps"),
            ],
            measure.light,
        )
        for index, measure in enumerate(summary.measures, start=1)
    ]


def _is_date(value) -> bool:
    return value is not None and not isinstance(value, str)


def build_ledger(summary: Summary, settings: Settings, rows: list[LedgerRow] | None = None):
    """The ledger as an openpyxl Workbook: 整改台账 sheet, then 统计 by stream and by department.
    `rows` stand in for the measures' rows (ledger_bytes builds its prototype so)."""
    rows = ledger_rows(summary) if rows is None else rows
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    width = len(COLUMNS)
    title = f"{campaign_title(settings, summary.as_of)}整改台账"
    title_row(sheet, 1, title, width)
    put(sheet, 2, 1, f"截至{date_cn(summary.as_of)}", border=None)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header_row(sheet, 3, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])

    for row, (values, light) in enumerate(rows, start=FIRST_ROW):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            if column in CENTRED:
                cell.alignment = CENTRE
            if column in DATED and _is_date(value):
                cell.number_format = DATE_FORMAT
        sheet.cell(row=row, column=LIGHT_COLUMN).fill = LIGHT_FILLS[light]
    last = len(rows) + FIRST_ROW - 1
    sheet.freeze_panes = "C4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(width)}{last}"
    landscape_print(sheet, "3:3")

    stats = workbook.create_sheet("统计")
    headers = ["", "举措总数", "已完成", "推进中", "未启动", "长期坚持", "未反馈", "逾期", "完成率"]
    title_row(stats, 1, f"{title}统计（截至{date_cn(summary.as_of)}）", len(headers))
    header_row(stats, 3, ["专项", *headers[1:]], [22, *[10] * (len(headers) - 1)])
    row = 4
    for group in summary.streams:
        for column, value in enumerate([group.name, *_counts_cells(group.counts)], start=1):
            put(stats, row, column, value, align=CENTRE)
        row += 1
    for column, value in enumerate(["合计", *_counts_cells(summary.counts)], start=1):
        put(stats, row, column, value, align=CENTRE)
    row += 2
    department_headers = [
        "部门",
        "承担任务",
        "已完成",
        "推进中",
        "未启动",
        "长期坚持",
        "未反馈",
        "逾期",
        "完成率",
    ]
    for column, header in enumerate(department_headers, start=1):
        put(stats, row, column, header, font=HEADER_FONT, align=CENTRE).fill = HEADER_FILL
    for department in summary.departments:
        row += 1
        cells = [department.name, *_counts_cells(department.counts)]
        for column, value in enumerate(cells, start=1):
            put(stats, row, column, value, align=CENTRE)
    put(
        stats,
        row + 2,
        1,
        "注：部门统计按“部门×举措”计，一项举措由几个部门承担就计几次。",
        border=None,
    )
    landscape_print(stats, "3:3")
    return workbook


def write_ledger(summary: Summary, settings: Settings, path: Path) -> Path:
    return atomic_write_bytes(path, ledger_bytes(summary, settings))


# ---------------------------------------------------------------------------------------------
# The fast writer: openpyxl's ledger with a few sample rows, their cells rewritten as XML

SHEET_MEMBER = "xl/worksheets/sheet1.xml"
_ROW_TAG = re.compile(r'<row r="([0-9]+)"[^>]*>')
_CELL_STYLE = re.compile(r'<c r="([A-Z]+)([0-9]+)"( s="[0-9]+")?')


def _samples() -> list[LedgerRow]:
    """Rows that between them carry every style a measure's cells take: one per light with
    dates, one with the dates given as text."""
    day = dt.date(2000, 1, 1)
    values = ["T"] * len(COLUMNS)
    dated = list(values)
    for column in DATED:
        dated[column - 1] = day
    return [(dated, light) for light in LIGHT_FILLS] + [(values, next(iter(LIGHT_FILLS)))]


def _style_key(column: int, value, light: str) -> tuple:
    """What a cell's style depends on besides its column."""
    if column == LIGHT_COLUMN:
        return (column, light)
    if column in DATED:
        return (column, _is_date(value))
    return (column,)


def ledger_bytes(summary: Summary, settings: Settings) -> bytes:
    """The .xlsx of build_ledger(summary, settings), dated document_time(as-of), without
    openpyxl storing and writing every cell: openpyxl builds the ledger with a few sample rows
    (_samples), then the sample rows' cells are replaced by every measure's, written as XML
    with the samples' styles. Tests check that both give the same workbook."""
    samples = _samples()
    buffer = io.BytesIO()
    build_ledger(summary, settings, samples).save(buffer)
    data = buffer.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SHEET_MEMBER).decode("utf-8")
    start = xml.index("<sheetData>") + len("<sheetData>")
    end = xml.index("</sheetData>")
    head, cells, tail = xml[:start], xml[start:end], xml[end:]
    tags = {int(m.group(1)): m for m in _ROW_TAG.finditer(cells)}
    styles = {
        (int(m.group(2)), column_index_from_string(m.group(1))): m.group(3) or ""
        for m in _CELL_STYLE.finditer(cells)
    }
    style_of: dict[tuple, str] = {}
    for row, (values, light) in enumerate(samples, start=FIRST_ROW):
        for column, value in enumerate(values, start=1):
            key = _style_key(column, value, light)
            if style_of.setdefault(key, styles[(row, column)]) != styles[(row, column)]:
                raise RuntimeError("openpyxl wrote the ledger in a way ledger_bytes does not know")
    sample_last = FIRST_ROW + len(samples) - 1
    rows = ledger_rows(summary)
    last = FIRST_ROW + len(rows) - 1
    letter = get_column_letter(len(COLUMNS))
    bounds = {f'ref="A1:{letter}{sample_last}"': f'ref="A1:{letter}{max(last, 3)}"'}
    tail_bounds = {f'ref="A3:{letter}{sample_last}"': f'ref="A3:{letter}{last}"'}
    if any(head.count(old) != 1 for old in bounds) or any(
        tail.count(old) != 1 for old in tail_bounds
    ):
        raise RuntimeError("openpyxl wrote the ledger in a way ledger_bytes does not know")
    for old, new in bounds.items():
        head = head.replace(old, new)
    for old, new in tail_bounds.items():
        tail = tail.replace(old, new)
    row_tag = tags[FIRST_ROW].group(0)
    parts = [head, cells[: tags[FIRST_ROW].start()]]
    for row, (values, light) in enumerate(rows, start=FIRST_ROW):
        parts.append(row_tag.replace(f'r="{FIRST_ROW}"', f'r="{row}"', 1))
        for column, value in enumerate(values, start=1):
            parts.append(cell_xml(row, column, style_of[_style_key(column, value, light)], value))
        parts.append("</row>")
    parts.append(tail)
    sheet = "".join(parts).encode("utf-8")
    try:  # expat checks it without building a tree (lxml's would take 80 MB on 3,000 measures)
        expat.ParserCreate().Parse(sheet, True)
    except expat.ExpatError as exc:  # a bug here, never the data: every value is escaped
        raise RuntimeError(f"整改台账的 {SHEET_MEMBER} 不是合法的 XML（{exc}）") from None
    package = Package(data, {SHEET_MEMBER})
    return package.write({SHEET_MEMBER: sheet}, when=document_time(summary.as_of))
