"""整改台账 as an openpyxl workbook: every measure with its status, light, owners, deadline and
each department's progress, then the counts by stream and by department."""

from pathlib import Path

from openpyxl import Workbook

from docgen.aggregation import Counts, MeasureProgress, Summary
from docgen.cn import date_cn, month_day_cn, percent
from docgen.config import Settings
from docgen.documents.naming import campaign_title
from docgen.model import CLOSED, DONE, REFUTED_MARK, TO_VERIFY
from docgen.rendering import document_time
from docgen.workbooks import (
    CENTRE,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    LIGHT_FILLS,
    header_row,
    landscape_print,
    put,
    save_workbook,
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


def build_ledger(summary: Summary, settings: Settings):
    """The ledger as an openpyxl Workbook: 整改台账 sheet, then 统计 by stream and by department."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    width = len(COLUMNS)
    title = f"{campaign_title(settings, summary.as_of)}整改台账"
    title_row(sheet, 1, title, width)
    put(sheet, 2, 1, f"截至{date_cn(summary.as_of)}", border=None)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header_row(sheet, 3, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])

    for index, measure in enumerate(summary.measures, start=1):
        row = index + 3
        values = [
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
        ]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            if column in (1, 2, 3, 6, 9, 10, 11, 12, 13, 14, 15):
                cell.alignment = CENTRE
            if column in (10, 14) and value is not None and not isinstance(value, str):
                cell.number_format = DATE_FORMAT
        sheet.cell(row=row, column=12).fill = LIGHT_FILLS[measure.light]
    last = len(summary.measures) + 3
    sheet.freeze_panes = "C4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(row=3, column=width).column_letter}{last}"
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
    return save_workbook(build_ledger(summary, settings), path, document_time(summary.as_of))
