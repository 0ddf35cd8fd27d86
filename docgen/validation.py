"""Checks on a workspace's inputs: every problem found becomes an Issue, reported together.

`validate_inputs(workspace)` reads the measure list and every returned form, checks them against
the contract in model.py and returns typed DataFrames of the rows that passed, with a Report of
every Issue (docgen.issues: the catalogue of codes, what each means and how to fix it). Each check
is a small function that yields the issues of one row or one table.
"""

import calendar
import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import json
import re
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from docgen.errors import OutputError
from docgen.files import abandoned_temporary, atomic_write_bytes, safe_filename
from docgen.history import HISTORY_FOLDER
from docgen.issues import Issue, Report
from docgen.loading import (
    FORMULA_WITHOUT_VALUE,
    MB,
    ReadError,
    ReadLimits,
    Table,
    UnreadableCell,
    column_letter,
    json_value,
    read_table,
    records_from_json,
    table_data,
    table_from_data,
)
from docgen.model import (
    ASPECTS,
    DEPARTMENT_SEPARATORS,
    DONE,
    FEEDBACK_COLUMNS,
    LEAD,
    MEASURE_COLUMNS,
    STANDING_DEADLINE_WORDS,
    STATUS_BY_WORD,
    STREAMS,
    SUPPORT,
    TEMPLATE_TAG,
)
from docgen.reuse import code_fingerprint
from docgen.text import clean_text
from docgen.workspace import Workspace

DEADLINE_HINT = "请写成 2026-12-31、2026年12月31日 或 2026年12月底；没有截止日期的写“长期坚持”。"
DATE_HINT = "请写成 2026-11-26 或 2026年11月26日，或设为 Excel 日期格式。"


@dataclass
class Inputs:
    """What validation hands to aggregation: typed rows that passed, and the Report of every
    Issue found (its `files` name the files checked); `departments` every department named,
    the configured ones first; `returned` every department a form was read from, rows filled
    in or not (domain.md: a department a file was read from is never 未报送)."""

    measures: pd.DataFrame
    feedback: pd.DataFrame
    report: Report = field(default_factory=Report)
    departments: tuple[str, ...] = ()
    returned: tuple[str, ...] = ()
    title: str = ""  # the measure list's title row, where the organ's name may be read
    # The spot-checks read back (verification.read_checks), when any sheet has come back.
    checks: pd.DataFrame | None = None

    @property
    def organ(self) -> str:
        """The organ's name as the measure list's title row gives it (organ_in_title)."""
        return organ_in_title(self.title)


# What ends an organ's name in a title row (江淮省地方金融管理局, 某某市审计局, 某某县财政厅…).
_ORGAN_END = "局厅委办院署部会行所站处中心公司"
# Where the organ's name stops: its party group, a year, or the campaign's subject.
_AFTER_ORGAN = re.compile(r"党组|党委|\d{4}\s*年|关于|警示教育|以案促改|巡察|整改|举措|任务")


def organ_in_title(title: str) -> str:
    """The organ a measure list's title names ("江淮省地方金融管理局2026年…举措清单",
    "中共江南省地方金融管理局党组…任务清单" → the organ), "" when it names none."""
    head = _AFTER_ORGAN.split(title.strip().removeprefix("中共"), maxsplit=1)[0].strip()
    if 3 <= len(head) <= 30 and head.endswith(tuple(_ORGAN_END)) and not re.search(r"\s", head):
        return head
    return ""


# --- values -------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_MONTH_END = re.compile(r"^(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(?:底|末|份)?$")
_YEAR_END = re.compile(r"^(\d{4})\s*年\s*(?:底|末)$")
_BEFORE = re.compile(r"(?:之?前|以前|止)$")


def parse_date(value, year: int | None = None) -> dt.date | None:
    """A date from an Excel cell or text; month-only forms mean the last day of that month.

    Returns None when the value is not a date. `year` fills in forms such as 12月底.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel date stored as its serial number (a cell formatted as 常规).
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        else:
            return None
    text = _BEFORE.sub("", clean_text(value)).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        if match := _YMD.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH_END.match(text):
            if not text.endswith(("底", "末", "月", "份")):
                return None
            full_year = int(match[1]) if match[1] else year
            if full_year is None:
                return None
            month = int(match[2])
            return dt.date(full_year, month, calendar.monthrange(full_year, month)[1])
        if match := _YEAR_END.match(text):
            return dt.date(int(match[1]), 12, 31)
    except ValueError:
        return None
    return None


def is_standing(value) -> bool:
    text = clean_text(value)
    return any(text.startswith(word) for word in STANDING_DEADLINE_WORDS)


# --- department names --------------------------------------------------------------------

_SEPARATOR = re.compile(DEPARTMENT_SEPARATORS)
_SEPARATED = re.compile(f"({DEPARTMENT_SEPARATORS})")


def split_departments(value, whole: Collection[str] = ()) -> list[str]:
    """The departments a 牵头部门 or 责任部门 cell names, in order, each once.

    The cell is split on DEPARTMENT_SEPARATORS, except that a name in `whole` is one department
    where it is the cell's whole text or the text between two separators (or a separator and
    an end): with "综合/后勤科" in `whole`, "综合/后勤科、办公室" names 综合/后勤科 and 办公室.
    The longest such name wins. `whole` is what departments_kept_whole gives."""
    text = clean_text(value)
    if not whole or not _SEPARATOR.search(text):
        names = [clean_text(name) for name in _SEPARATOR.split(text)]
        return list(dict.fromkeys(name for name in names if name))
    # Names at the even places, the separators between them at the odd ones.
    pieces = _SEPARATED.split(text)
    names = []
    start = 0
    while start < len(pieces):
        end = next(
            (
                end
                for end in range(len(pieces) - 1, start, -2)
                if clean_text("".join(pieces[start : end + 1])) in whole
            ),
            start,
        )
        names.append(clean_text("".join(pieces[start : end + 1])))
        start = end + 2
    return list(dict.fromkeys(name for name in names if name))


def departments_kept_whole(listed: Collection[str], reported: Iterable[str]) -> frozenset[str]:
    """The names split_departments does not split (domain.md, "Department identity"): the
    department list of docgen.toml where there is one, for it is authoritative; without it,
    every 填报单位 of the returned forms, so that "综合/后勤科" in the measure list and a form
    filled in by "综合/后勤科" are one department. Only names holding a separator matter."""
    names = listed if listed else reported
    return frozenset(name for name in map(clean_text, names) if _SEPARATOR.search(name))


def reported_departments(tables: Iterable[Table]) -> set[str]:
    """Every 填报单位 the returned forms give: in their column, or as the property of a form
    docgen generated."""
    tables = list(tables)
    names = {table.properties.get("填报单位", "") for table in tables}
    for table in tables:
        names.update(clean_text(row.get("填报单位", "")) for row in table.rows)
    names.discard("")
    return names


# --- where an issue is -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One file, and the table read from it when there is one: what locates its issues."""

    file: str
    table: Table | None = None

    def issue(self, code: str, message: str, row=None, column: str = "", value="") -> Issue:
        """An Issue at `row` (Excel's number) and `column` (canonical name) of this table."""
        table = self.table
        letter = header = ""
        if table is not None and column in table.positions:
            letter = column_letter(table.positions[column])
            header = table.columns[column]
        return Issue.of(
            code,
            message,
            file=self.file,
            sheet=table.sheet if table is not None else "",
            row=row,
            column=column,
            header=header,
            letter=letter,
            value=value if isinstance(value, str) else clean_text(value),
        )


def _missing_columns(table: Table, columns, place: Place, optional=()) -> Iterator[Issue]:
    for column in columns:
        if column.required and column.name not in table.columns and column.name not in optional:
            names = "、".join(column.synonyms)
            also = f"（也可写作：{names}）" if names else ""
            yield place.issue(
                "missing-column",
                f"缺少必填列“{column.name}”{also}。请在第{table.header_row}行表头中补上这一列。",
                row=table.header_row,
                column=column.name,
            )


def _template_like_text(table: Table, place: Place) -> Iterator[Issue]:
    """Text that looks like a template tag ({{ name }}, {% if %}) is printed as typed; say so,
    since `docgen check` will take it for a tag left unfilled. Columns without a brace, almost
    all of them, are passed over in one look."""
    for column in table.columns:
        values = [row[column] for row in table.rows]
        if "{" not in "".join(value for value in values if type(value) is str):
            continue
        for value, number in zip(values, table.row_numbers, strict=True):
            if type(value) is str and "{" in value and (tag := TEMPLATE_TAG.search(value)):
                yield place.issue(
                    "template-like-text",
                    f"“{column}”中的“{tag.group()}……”像模板标记，文件中会原样印出，docgen check "
                    "也会把它当作未替换的模板标记指出。如非有意，请删去或改写这些括号。",
                    row=number,
                    column=column,
                    value=value,
                )


def _unreadable_cells(table: Table, place: Place) -> list[Issue]:
    """A cell whose value cannot be read (loading.UnreadableCell) is an error wherever docgen
    reads it: every column it reads is printed in a document or decides a count, and the cell
    would otherwise pass for an empty one. Columns docgen does not read are not looked at."""
    return [
        place.issue(
            cell.code, _unreadable_message(cell), row=cell.row, column=cell.column, value=cell.text
        )
        for cell in table.unreadable
    ]


def _unreadable_message(cell: UnreadableCell) -> str:
    if cell.code == FORMULA_WITHOUT_VALUE:
        formula = f"公式“{cell.text}”" if cell.text else "公式"
        return (
            f"这一格是{formula}，文件中却没有保存它的计算结果（文件多半由程序生成，没有在 Excel 或 "
            "WPS 中打开保存过），docgen 读不出它的值，也不会把它当作空白。"
            "请用 Excel 或 WPS 打开该文件并保存后再放回。"
        )
    return (
        f"这一格是错误值“{cell.text}”（公式计算出错，或引用的单元格已被删除），docgen 不会把它"
        "当作内容，也不会当作空白。请用 Excel 或 WPS 打开该文件，改正这一格的公式或直接填写内容，"
        "保存后再放回。"
    )


def _beside_unreadable(issues: list[Issue], table: Table) -> list[Issue]:
    """`issues` without those at a cell that cannot be read: its own issue says more than an
    empty required cell or an unrecognised status there would."""
    if not table.unreadable:
        return issues
    cells = {(cell.row, cell.column) for cell in table.unreadable}
    return [issue for issue in issues if (issue.row, issue.column) not in cells]


def sheet_issues(place: Place, columns) -> tuple[list[Issue], bool]:
    """A table's cells that cannot be read and its missing required columns, and whether its
    rows can be checked (no required column missing): for readers of other returned sheets."""
    missing = list(_missing_columns(place.table, columns, place))
    return _unreadable_cells(place.table, place) + missing, not missing


def without_unreadable(issues: list[Issue], table: Table) -> list[Issue]:
    """`issues` without those at a cell whose own issue says it cannot be read."""
    return _beside_unreadable(issues, table)


# --- measures -------------------------------------------------------------------------------


def _measure_record(
    row: dict, number: int, year: int, place: Place, leads: list[str], whole: Collection[str]
) -> dict:
    """A row of the measure list as aggregation reads it: the deadline parsed, the departments
    (`leads`, the 牵头部门 cell split) the first lead first, the aspect one of ASPECTS or 其他."""
    raw_deadline = row.get("完成时限", "")
    standing = is_standing(raw_deadline)
    aspect = clean_text(row.get("重点方面", ""))
    responsible = [
        d for d in split_departments(row.get("责任部门", ""), whole) if d not in leads[:1]
    ]
    departments = list(dict.fromkeys([*leads, *responsible]))
    return {
        "编号": clean_text(row.get("编号", "")),
        "专项": clean_text(row.get("专项", "")),
        "问题": clean_text(row.get("问题", "")),
        "具体举措": clean_text(row.get("具体举措", "")),
        "重点方面": aspect if aspect in ASPECTS else ("其他" if aspect else ""),
        "牵头部门": departments[0] if departments else "",
        "责任部门": departments[1:],
        "部门": departments,
        "分管领导": clean_text(row.get("分管领导", "")),
        "完成时限": None if standing else parse_date(raw_deadline, year),
        "长期坚持": standing,
        "时限原文": clean_text(raw_deadline),
        "备注": clean_text(row.get("备注", "")),
        "_lead_text": clean_text(row.get("牵头部门", "")),  # for names close to a return's
        "_file": place.file,
        "_sheet": place.table.sheet if place.table is not None else "",
        "_row": number,
    }


def _empty_required(row: dict, number: int, place: Place) -> Iterator[Issue]:
    for column in MEASURE_COLUMNS:
        if column.required and column.name in place.table.columns and row.get(column.name) == "":
            yield place.issue(
                "empty-cell", f"必填项“{column.name}”为空，请补填。", row=number, column=column.name
            )


def _duplicate_id(record: dict, number: int, place: Place, first_row: dict) -> Iterator[Issue]:
    measure_id = record["编号"]
    if not measure_id:
        return
    if measure_id in first_row:
        yield place.issue(
            "duplicate-id",
            f"编号“{measure_id}”与第{first_row[measure_id]}行重复，每项举措的编号必须唯一，请修改其中一个。",
            row=number,
            column="编号",
            value=measure_id,
        )
    else:
        first_row[measure_id] = number


def _unknown_stream(record: dict, number: int, place: Place) -> Iterator[Issue]:
    stream = record["专项"]
    if stream and stream not in STREAMS:
        yield place.issue(
            "unknown-stream",
            f"专项“{stream}”不是 {'、'.join(STREAMS)} 之一，请改为其中一个。",
            row=number,
            column="专项",
            value=stream,
        )


def _bad_deadline(row: dict, record: dict, number: int, place: Place) -> Iterator[Issue]:
    raw = row.get("完成时限", "")
    if raw != "" and not record["长期坚持"] and record["完成时限"] is None:
        yield place.issue(
            "bad-date",
            f"完成时限“{clean_text(raw)}”无法识别为日期。{DEADLINE_HINT}",
            row=number,
            column="完成时限",
            value=raw,
        )


def _unknown_aspect(row: dict, number: int, place: Place) -> Iterator[Issue]:
    aspect = clean_text(row.get("重点方面", ""))
    if aspect and aspect not in ASPECTS:
        yield place.issue(
            "unknown-aspect",
            f"重点方面“{aspect}”不是 {'、'.join(ASPECTS)} 之一，统计时归入“其他”。如属笔误请更正。",
            row=number,
            column="重点方面",
            value=aspect,
        )


def _several_leads(row: dict, leads: list[str], number: int, place: Place) -> Iterator[Issue]:
    if len(leads) > 1:
        yield place.issue(
            "several-leads",
            f"牵头部门应只有一个，已将“{leads[0]}”作为牵头部门，其余作为责任部门。请确认。",
            row=number,
            column="牵头部门",
            value=row.get("牵头部门", ""),
        )


def _unknown_departments(
    record: dict, leads: list[str], number: int, place: Place, known: set[str]
) -> Iterator[Issue]:
    if not known:
        return
    for name in record["部门"]:
        if name not in known:
            yield place.issue(
                "unknown-department",
                f"部门“{name}”不在 docgen.toml 的部门名单中，请核对名称是否写错，或在 docgen.toml 中补充。",
                row=number,
                column="牵头部门" if name in leads else "责任部门",
                value=name,
            )


def _check_measures(
    table: Table, place: Place, year: int, known: set[str], whole: Collection[str]
) -> tuple[list[tuple[bool, dict]], list[Issue]]:
    """Every row with its verdict (no error on it), and the issues found, in the order of the
    rows: rows with errors still tell the feedback checks who owns what. `whole`: the
    department names not to split (departments_kept_whole)."""
    issues = list(_template_like_text(table, place))
    first_row: dict[str, int] = {}
    checked = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        leads = split_departments(row.get("牵头部门", ""), whole)
        record = _measure_record(row, number, year, place, leads, whole)
        found = [
            *_empty_required(row, number, place),
            *_duplicate_id(record, number, place, first_row),
            *_unknown_stream(record, number, place),
            *_bad_deadline(row, record, number, place),
            *_unknown_aspect(row, number, place),
            *_several_leads(row, leads, number, place),
            *_unknown_departments(record, leads, number, place, known),
        ]
        issues += found
        checked.append((not any(issue.is_error for issue in found), record))
    return checked, issues


def filename_clashes(names) -> list[list[str]]:
    """Groups of department names that give the same file name (files.safe_filename; Windows
    and macOS do not tell upper from lower case): "财务/审计" and "财务:审计", "IT处" and "it处"."""
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        groups.setdefault(safe_filename(name).casefold(), []).append(name)
    return [group for group in groups.values() if len(group) > 1]


def _department_name_clashes(checked: list[tuple[bool, dict]], place: Place) -> Iterator[Issue]:
    """One document per department is named after it: two departments must not share a name."""
    first_seen: dict[str, tuple[int, str]] = {}
    for _, row in checked:
        for name in row["部门"]:
            column = "牵头部门" if name == row["牵头部门"] else "责任部门"
            first_seen.setdefault(name, (row["_row"], column))
    for group in filename_clashes(first_seen):
        first, *others = group
        for name in others:
            number, column = first_seen[name]
            yield place.issue(
                "department-name-clash",
                f"部门“{name}”与“{first}”（第{first_seen[first][0]}行）只差文件名中不能使用的字符"
                '（/ \\ : * ? " < > |）、首尾的空格和句点或字母大小写，两个部门的文件会同名而互相覆盖。'
                "如是同一部门请统一写法，否则请改用能区分的名称。",
                row=number,
                column=column,
                value=name,
            )


# --- feedback -------------------------------------------------------------------------------


def _feedback_row(
    row: dict,
    number: int,
    place: Place,
    year: int,
    measures: dict[str, dict] | None,
    form_department: str,
) -> tuple[dict | None, list[Issue]]:
    """One row of a returned form: its record if it counts, and its issues. `measures` None
    means the measure list itself failed, so ids go unchecked."""
    measure_id = clean_text(row.get("编号", ""))
    department = clean_text(row.get("填报单位", "")) or form_department
    if not measure_id:
        answers = [
            row.get(c.name, "") for c in FEEDBACK_COLUMNS if c.name not in ("编号", "填报单位")
        ]
        if any(a != "" for a in answers):
            return None, [
                place.issue(
                    "empty-cell",
                    "这一行填写了内容但“编号”为空，请补上举措编号。",
                    row=number,
                    column="编号",
                )
            ]
        return None, []
    if not department:
        return None, [
            place.issue(
                "empty-cell", "“填报单位”为空，请填写本单位名称。", row=number, column="填报单位"
            )
        ]
    issues = list(_unknown_measure(measure_id, number, place, measures))
    raw_status = clean_text(row.get("完成状态", ""))
    if not raw_status:
        issues.append(
            place.issue(
                "empty-status",
                f"编号“{measure_id}”未填写完成状态，按未反馈统计。请让{department}补填。",
                row=number,
                column="完成状态",
            )
        )
        return None, issues
    status = STATUS_BY_WORD.get(raw_status.replace(" ", ""))
    if status is None:
        issues.append(
            place.issue(
                "bad-status",
                f"完成状态“{raw_status}”无法识别，请填写 已完成、推进中、未启动 或 长期坚持。",
                row=number,
                column="完成状态",
                value=raw_status,
            )
        )
    raw_dates = {name: row.get(name, "") for name in ("完成时间", "填报日期")}
    dates = {name: parse_date(raw, year) if raw != "" else None for name, raw in raw_dates.items()}
    issues += [
        place.issue(
            "bad-date",
            f"{name}“{clean_text(raw)}”无法识别为日期。{DATE_HINT}",
            row=number,
            column=name,
            value=raw,
        )
        for name, raw in raw_dates.items()
        if raw != "" and dates[name] is None
    ]
    if any(issue.is_error for issue in issues) or measures is None:
        return None, issues
    measure = measures[measure_id]
    if department not in measure["部门"]:
        assigned = "、".join(measure["部门"])
        issues.append(
            place.issue(
                "not-assigned",
                f"{department}不是编号“{measure_id}”的牵头或责任部门（该举措由{assigned}负责），这一行不计入统计。"
                "如分工有调整，请先修改举措清单。",
                row=number,
                column="填报单位",
                value=department,
            )
        )
        return None, issues
    if status == DONE and dates["完成时间"] is None:
        issues.append(
            place.issue(
                "done-without-date",
                f"编号“{measure_id}”填报为已完成，但没有填写完成时间，请补填。",
                row=number,
                column="完成时间" if "完成时间" in place.table.columns else "",
            )
        )
    record = {
        "编号": measure_id,
        "填报单位": department,
        "角色": LEAD if measure["部门"][0] == department else SUPPORT,
        "完成状态": status,
        "状态原文": raw_status,
        "进展情况": clean_text(row.get("进展情况", "")),
        "完成时间": dates["完成时间"],
        "佐证材料": clean_text(row.get("佐证材料", "")),
        "亮点经验": clean_text(row.get("亮点经验", "")),
        "存在问题": clean_text(row.get("存在问题", "")),
        "下步计划": clean_text(row.get("下步计划", "")),
        "填报人": clean_text(row.get("填报人", "")),
        "填报日期": dates["填报日期"],
        "_file": place.file,
        "_sheet": place.table.sheet,
        "_row": number,
    }
    return record, issues


def _unknown_measure(
    measure_id: str, number: int, place: Place, measures: dict[str, dict] | None
) -> Iterator[Issue]:
    if measures is not None and measure_id not in measures:
        yield place.issue(
            "unknown-measure",
            f"编号“{measure_id}”在举措清单中不存在，请核对编号（可能是笔误，或用了旧版清单）。",
            row=number,
            column="编号",
            value=measure_id,
        )


def _unmatched_returns(
    table: Table,
    place: Place,
    measures: dict[str, dict] | None,
    form_department: str,
    departments: list[str],
) -> Iterator[Issue]:
    """A department whose rows in this form are all on measures it is not assigned: its whole
    return would count nowhere and every document would say it never reported (domain.md,
    "Department identity"). Almost always its name is written otherwise than in the measure
    list. Rows on ids the measure list does not have are unknown-measure errors already."""
    if measures is None:
        return
    rows: dict[str, list[int]] = {}
    matched: set[str] = set()
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        measure = measures.get(clean_text(row.get("编号", "")))
        department = clean_text(row.get("填报单位", "")) or form_department
        # A measure without departments (its 牵头部门 empty or unreadable) says nothing of names.
        if measure is None or not measure["部门"] or not department:
            continue
        rows.setdefault(department, []).append(number)
        if department in measure["部门"]:
            matched.add(department)
    for name, numbers in rows.items():
        if name in matched:
            continue
        close = difflib.get_close_matches(name, [d for d in departments if d != name], 3, 0.5)
        similar = (
            f"举措清单和部门名单中相近的名称：{'、'.join(close)}。"
            if close
            else "举措清单和部门名单中没有与之相近的名称。"
        )
        if any(name in measure["部门"] for measure in measures.values()):
            why = f"但这{len(numbers)}行都不是{name}牵头或负责的举措"
            fix = "请核对填报单位和编号是否填错（是否用了其他部门的反馈表）；如分工有调整，请先修改举措清单。"
        else:
            why = f"但举措清单中没有由“{name}”牵头或负责的举措"
            fix = "请在 docgen.toml 的部门名单中加入该名称，或把反馈表的填报单位改为举措清单中的写法。"
        yield place.issue(
            "unmatched-return",
            f"反馈表“{place.file}”的填报单位写作“{name}”，{why}，这份反馈的{len(numbers)}行都"
            f"无法计入统计，各文件会把该部门写成未反馈。{similar}{fix}",
            row=numbers[0],
            column="填报单位" if "填报单位" in table.columns else "",
            value=name,
        )


def _check_feedback(
    table: Table,
    place: Place,
    year: int,
    measures: dict[str, dict] | None,
    file_order: int,
    departments: list[str],
) -> tuple[list[dict], list[Issue]]:
    """The rows of a returned form that count, and its issues in row order, a second answer of
    one department to one measure in the same file noted as it comes; then each department of
    the form none of whose rows is its own (unmatched-return, in place of a not-assigned
    warning on each row). `departments`: every name known, for the closest ones."""
    issues = list(_template_like_text(table, place))
    form_department = table.properties.get("填报单位", "")
    seen: dict[tuple[str, str], int] = {}
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        record, found = _feedback_row(row, number, place, year, measures, form_department)
        issues += found
        if record is None:
            continue
        key = (record["编号"], record["填报单位"])
        if key in seen:
            issues.append(
                place.issue(
                    "duplicate-feedback",
                    f"同一文件中{key[1]}对编号“{key[0]}”填报了两次（另见第{seen[key]}行），以后一行为准。",
                    row=number,
                    column="编号",
                    value=key[0],
                )
            )
        seen[key] = number
        records.append({**record, "_order": file_order})
    unmatched = list(_unmatched_returns(table, place, measures, form_department, departments))
    if unmatched:
        names = {issue.value for issue in unmatched}
        issues = [i for i in issues if not (i.code == "not-assigned" and i.value in names)]
        issues += unmatched
    return records, issues


MEASURE_FRAME_COLUMNS = [
    "编号",
    "专项",
    "问题",
    "具体举措",
    "重点方面",
    "牵头部门",
    "责任部门",
    "部门",
    "分管领导",
    "完成时限",
    "长期坚持",
    "时限原文",
    "备注",
    "_file",
    "_sheet",
    "_row",
]
FEEDBACK_FRAME_COLUMNS = [
    "编号",
    "填报单位",
    "角色",
    "完成状态",
    "状态原文",
    "进展情况",
    "完成时间",
    "佐证材料",
    "亮点经验",
    "存在问题",
    "下步计划",
    "填报人",
    "填报日期",
    "_file",
    "_sheet",
    "_row",
    "_order",
]


class TableCache:
    """The tables read from a workspace's spreadsheets, kept in its .docgen folder so that the
    next run reads again only the files that changed: a daily build with one new return reads
    one file, not five hundred.

    A table is kept under the SHA-256 of the file's bytes and of how it was read (the columns,
    the sheet, the size limit), in a folder for one version of docgen's code
    (reuse.code_fingerprint): a file whose bytes are the same gives the table read from them.
    What checking a returned form found (its rows that count and its issues) is kept too
    (`checked`), under the form's table and everything else the check reads: the file's name,
    the year, the department names and the measure list's table.

    Each entry is a JSON file of its own (never pickle, since a workspace may be a shared
    folder), so that a run writes only what it read afresh. An entry that cannot be read is
    ignored, and a folder that cannot be written is left as it was (a read-only workspace just
    reads every file). `save` also removes what this run did not use (the tables of files since
    changed, another version's folder), so the folder stays the size of the workspace's inputs.
    """

    FOLDER = "tables"

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder) / HISTORY_FOLDER / self.FOLDER
        self.folder = self.root / code_fingerprint()[:32]
        self.taken: set[str] = set()  # the entries this run took
        self.new: dict[str, dict | Table] = {}  # the entries this run made, to write
        self.keys: dict[Path, str] = {}  # the key of each table this run read

    def _kept(self, name: str) -> dict | None:
        try:
            data = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _key(self, path: Path, columns, sheet: str | None, limits: ReadLimits) -> str | None:
        """The name a table read from `path` this way is kept under (remembered for
        `checked`); None when the file cannot be read or is over the size limit, so that
        read_table reads it and says why."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        how = json.dumps([[repr(c) for c in columns], sheet, limits.max_bytes], ensure_ascii=False)
        key = hashlib.sha256(how.encode("utf-8") + b"\0" + data).hexdigest()
        self.keys[path] = key
        return f"table-{key}" if 0 < len(data) <= limits.max_bytes else None

    def _kept_lines(self, name: str) -> tuple[dict, str] | None:
        """A kept table's head (TableHead's fields) and the text of its table_data, which is
        parsed only when the rows are wanted: an entry is the two as JSON, a line each."""
        try:
            text = (self.folder / f"{name}.json").read_text(encoding="utf-8")
            head, _, rows = text.partition("\n")
            found = json.loads(head)
        except (OSError, ValueError):
            return None
        return (found, rows) if isinstance(found, dict) else None

    def read(self, path: Path, columns, sheet: str | None, limits: ReadLimits) -> Table:
        """read_table(path, columns, sheet, limits), or the table kept for the same bytes read
        the same way. A file over the limits is read, so that read_table refuses it."""
        name = self._key(path, columns, sheet, limits)
        kept = self._kept_lines(name) if name else None
        if kept is not None:
            with contextlib.suppress(KeyError, ValueError, TypeError):
                table = table_from_data(json.loads(kept[1]), path)
                if table.sheet_rows <= limits.max_rows:
                    self.taken.add(name)
                    return table
        table = read_table(path, columns, sheet, limits)
        if name:
            self.new[name] = table
        return table

    def head(self, path: Path, columns, limits: ReadLimits) -> "TableHead | None":
        """What a returned form's kept table says before its rows are read (TableHead): None
        when none is kept for the file's bytes read this way, or it is over the limits."""
        name = self._key(path, columns, None, limits)
        kept = self._kept_lines(name) if name else None
        if kept is None:
            return None
        with contextlib.suppress(KeyError, ValueError, TypeError):
            head = TableHead(path, int(kept[0]["sheet_rows"]), tuple(kept[0]["reported"]))
            if head.sheet_rows <= limits.max_rows and all(
                isinstance(n, str) for n in head.reported
            ):
                self.taken.add(name)
                return head
        return None

    def _answer(self, path: Path, kind: str, how: str, make, to_data, from_data):
        """make(), or its answer kept under the table read from `path` and `how` (everything
        else it reads): `to_data` keeps an answer as JSON-ready data, `from_data` reads it back."""
        table_key = self.keys.get(path)
        if table_key is None:
            return make()
        name = f"{kind}-" + hashlib.sha256(f"{table_key}\0{how}".encode()).hexdigest()
        kept = self._kept(name)
        if kept is not None:
            with contextlib.suppress(KeyError, ValueError, TypeError, AttributeError):
                found = from_data(kept)
                self.taken.add(name)
                return found
        found = make()
        with contextlib.suppress(KeyError, TypeError):
            self.new[name] = to_data(*found)
        return found

    def checked(
        self, path: Path, how: str, order: int, check, values: dict
    ) -> tuple[list[dict], list[Issue]]:
        """check(), _check_form's answer for the table read from `path` (its records carry
        `order`), or the answer kept for the same table checked the same way: `how` names
        everything else the check reads. The records' texts and dates are the objects
        `values` holds (_shared_values)."""

        def make():
            records, issues = check()
            return _shared_values(records, values), issues

        return self._answer(
            path,
            "checked",
            how,
            make,
            _checked_data,
            functools.partial(_checked_from_data, order=order, values=values),
        )

    def measures_checked(
        self, table: Table, place: Place, year: int, known: set[str], whole: Collection[str]
    ) -> tuple[list[tuple[bool, dict]], list[Issue]]:
        """_check_measures(table, place, year, known, whole), or its answer kept for the same
        table checked the same way (the file's name, the year, the configured departments and
        those kept whole)."""
        how = json.dumps([place.file, year, sorted(known), sorted(whole)], ensure_ascii=False)
        return self._answer(
            table.path,
            "measures",
            how,
            functools.partial(_check_measures, table, place, year, known, whole),
            _measures_data,
            _measures_from_data,
        )

    def save(self) -> None:
        """Write the entries this run made and remove those it did not use."""
        with contextlib.suppress(OSError, OutputError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, data in self.new.items():
                text = _entry_text(data)
                # A cache: a file lost to a power cut is read again, so no fsync for each one.
                atomic_write_bytes(self.folder / f"{name}.json", text.encode("utf-8"), sync=False)
            used = self.taken | self.new.keys()
            for entry in self.folder.iterdir():
                unused = entry.suffix == ".json" and entry.stem not in used
                if unused or abandoned_temporary(entry.name):  # or left by a run killed half way
                    entry.unlink(missing_ok=True)
            for other in self.root.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
            # The one file earlier versions kept every table in.
            (self.root.parent / "tables.json").unlink(missing_ok=True)


@dataclass(frozen=True)
class TableHead:
    """A returned form's kept table before its rows are read: its file, its rows as the sheet
    counts them (for the campaign's allowance), and the departments it reports for
    (reported_departments), which decide how the measure list is split before any form is
    checked. When the form's check is kept too, its rows are never read."""

    path: Path
    sheet_rows: int
    reported: tuple[str, ...]


@dataclass(frozen=True)
class _Unread:
    """A returned form whose table is kept and not read yet: its name in the workspace, its
    kept head, and the limits it was to be read under."""

    file: str
    head: TableHead
    limits: ReadLimits


def _entry_text(data: dict | Table) -> str:
    """A TableCache entry as written: a checked form's JSON, or a table's head and its
    table_data, a line each (TableCache._kept_lines)."""
    if not isinstance(data, Table):
        return json.dumps(data, ensure_ascii=False)
    head = {"sheet_rows": data.sheet_rows, "reported": sorted(reported_departments([data]))}
    return (
        json.dumps(head, ensure_ascii=False)
        + "\n"
        + json.dumps(table_data(data), ensure_ascii=False)
    )


# A kept record's columns: every one but _order, which is the form's place in this run.
_KEPT_COLUMNS = [name for name in FEEDBACK_FRAME_COLUMNS if name != "_order"]


def _checked_data(records: list[dict], issues: list[Issue]) -> dict:
    """What _check_form found as JSON-ready data (TableCache.checked): the records' values
    column by column in _KEPT_COLUMNS' order, dates tagged as in the tables, and each issue's
    fields."""
    return {
        "records": [[json_value(record[name]) for name in _KEPT_COLUMNS] for record in records],
        "issues": [asdict(issue) for issue in issues],
    }


def _checked_from_data(data: dict, order: int, values: dict) -> tuple[list[dict], list[Issue]]:
    rows = data["records"]
    records = records_from_json([*_KEPT_COLUMNS, "_order"], [[*row, order] for row in rows], values)
    return records, [Issue(**fields) for fields in data["issues"]]


def _measures_data(checked: list[tuple[bool, dict]], issues: list[Issue]) -> dict:
    """What _check_measures found as JSON-ready data (TableCache.measures_checked): each row's
    verdict and values in the order of its keys, department lists as lists, dates tagged."""
    names = list(checked[0][1]) if checked else []
    for ok, record in checked:
        if list(record) != names or type(ok) is not bool:
            raise TypeError("rows of different columns")
    return {
        "names": names,
        "rows": [[ok, [_kept_value(v) for v in record.values()]] for ok, record in checked],
        "issues": [asdict(issue) for issue in issues],
    }


def _kept_value(value):
    if type(value) is bool:
        return value
    if type(value) is list:
        return [json_value(item) for item in value]
    return json_value(value)


def _measures_from_data(data: dict) -> tuple[list[tuple[bool, dict]], list[Issue]]:
    names, rows = data["names"], data["rows"]
    records = records_from_json(names, [row[1] for row in rows])
    if any(type(row[0]) is not bool for row in rows):
        raise TypeError("a verdict that is not true or false")
    checked = [(row[0], record) for row, record in zip(rows, records, strict=True)]
    return checked, [Issue(**fields) for fields in data["issues"]]


def _shared_values(records: list[dict], values: dict) -> list[dict]:
    """The records with each text and date (and each text of a list: a measure's departments)
    the one object `values` holds for it in this run: what validation hands on is the same objects whether a row was read and checked afresh or
    taken from the TableCache. A form checked afresh holds the code's own status words and
    shares its file name among its rows, one taken from the cache has a copy in each; the same
    rows would then pickle differently, and every document made from them would be rendered
    again (docgen.reuse fingerprints pickles)."""
    same = values.setdefault
    return [
        {
            name: same(value, value)
            if type(value) is str or type(value) is dt.date
            else [same(v, v) if type(v) is str else v for v in value]
            if type(value) is list
            else value
            for name, value in record.items()
        }
        for record in records
    ]


def validate_inputs(
    workspace: Workspace, sheet: str | None = None, remember: bool = True
) -> Inputs:
    """Read and check the workspace's measure list and every returned form.

    Raises InputError only when the measure list cannot be found; every other problem becomes
    an Issue. The as-of date gives the year for deadlines written without one (12月底). The
    forms are read before the measure list is checked: the 填报单位 they give decide which
    department names in it are not split (departments_kept_whole). The tables read are kept in
    the workspace's TableCache when every file is good, unless `remember` is False (a dry run
    writes nothing).
    """
    files = workspace.files
    measure_path = files.require_measures()
    settings = workspace.settings
    year = settings.year_for(workspace.as_of)
    listed = [d.name for d in settings.departments]
    max_bytes = settings.limits.max_file_mb * MB
    rows_left = settings.limits.max_rows

    cache = TableCache(workspace.folder)

    def read(path: Path, columns, sheet_name: str | None) -> Place | Issue:
        """The file and its table, or the issue saying why it could not be read."""
        nonlocal rows_left
        place = Place(files.relative(path))
        limits = ReadLimits(max_bytes, rows_left)
        try:
            table = cache.read(path, columns, sheet_name, limits)
        except ReadError as exc:
            return place.issue(exc.code, str(exc))
        rows_left = max(rows_left - table.sheet_rows, 0)
        return Place(place.file, table)

    def read_form(path: Path) -> Place | Issue | _Unread:
        """read(), or the form's kept head alone when its table is kept (TableHead): its rows
        are read only if it is checked again (full)."""
        nonlocal rows_left
        limits = ReadLimits(max_bytes, rows_left)
        head = cache.head(path, FEEDBACK_COLUMNS, limits)
        if head is None:
            return read(path, FEEDBACK_COLUMNS, None)
        rows_left = max(rows_left - head.sheet_rows, 0)
        return _Unread(files.relative(path), head, limits)

    def full(form: Place | Issue | _Unread) -> Place | Issue:
        if not isinstance(form, _Unread):
            return form
        try:
            return Place(form.file, cache.read(form.head.path, FEEDBACK_COLUMNS, None, form.limits))
        except ReadError as exc:
            return Place(form.file).issue(exc.code, str(exc))

    def check(form: Place | Issue | _Unread, order: int) -> tuple[list[dict], list[Issue]]:
        return _check_form(full(form), year, measures, order, named)

    measure_list = read(measure_path, MEASURE_COLUMNS, sheet)
    forms = [read_form(path) for path in files.forms]
    reported = reported_departments(form.table for form in forms if isinstance(form, Place))
    reported.update(
        name for form in forms if isinstance(form, _Unread) for name in form.head.reported
    )
    whole = departments_kept_whole(listed, reported)
    issues, measure_rows, measures = _check_measure_list(
        measure_list, year, set(listed), whole, cache.measures_checked
    )
    # Every name a return could have meant: a 牵头部门 cell that was split is likely one name.
    named = list(listed)
    for row in (measures or {}).values():
        named.extend(row["部门"])
        if len(row["部门"]) > 1 and _SEPARATOR.search(row["_lead_text"]):
            named.append(row["_lead_text"])
    named = list(dict.fromkeys(named))

    # What a form's check reads besides the form (and its name): kept checks are for the same.
    measure_key = cache.keys.get(measure_path) if measures is not None else None
    checked_by = json.dumps([year, listed, sorted(whole), measure_key], ensure_ascii=False)
    # The texts and dates every row holds are the same objects whether a form was checked
    # afresh or its check taken from the cache; the status words and roles are the code's own.
    values = {word: word for word in (*STATUS_BY_WORD.values(), LEAD, SUPPORT)}
    feedback_rows: list[dict] = []
    for order, form in enumerate(forms):
        if not isinstance(form, Issue) and measure_key is not None:
            path = form.head.path if isinstance(form, _Unread) else form.table.path
            records, found = cache.checked(
                path,
                f"{form.file}\0{checked_by}",
                order,
                functools.partial(check, form, order),
                values,
            )
        else:
            records, found = check(form, order)
            records = _shared_values(records, values)
        feedback_rows.extend(records)
        issues.extend(found)

    departments = list(listed)
    for row in measure_rows:
        departments.extend(row["部门"])
    checked_files = [files.relative(path) for path in (measure_path, *files.forms)]
    report = Report(issues, checked_files)
    if remember and report.valid:  # a run refused for bad input writes nothing at all
        cache.save()
    return Inputs(
        measures=pd.DataFrame(_shared_values(measure_rows, values), columns=MEASURE_FRAME_COLUMNS),
        feedback=pd.DataFrame(feedback_rows, columns=FEEDBACK_FRAME_COLUMNS),
        report=report,
        departments=tuple(dict.fromkeys(departments)),
        returned=tuple(sorted(reported)),
        title=measure_list.table.title if isinstance(measure_list, Place) else "",
    )


def _check_measure_list(
    place: Place | Issue, year: int, known: set[str], whole: Collection[str], check=None
) -> tuple[list[Issue], list[dict], dict[str, dict] | None]:
    """The measure list's issues, its rows that passed, and every row by id (None when the
    list could not be checked, so that feedback ids go unchecked). `check` stands for
    _check_measures (TableCache.measures_checked)."""
    if isinstance(place, Issue):
        return [place], [], None
    table = place.table
    issues = _unreadable_cells(table, place)
    missing = list(_missing_columns(table, MEASURE_COLUMNS, place))
    issues.extend(missing)
    if missing:
        return issues, [], None
    checked, found = (check or _check_measures)(table, place, year, known, whole)
    issues.extend(_beside_unreadable(found, table))
    unreadable_rows = {cell.row for cell in table.unreadable}
    rows = [row for ok, row in checked if ok and row["_row"] not in unreadable_rows]
    measures: dict[str, dict] = {}
    # First row wins for a duplicated id, as the duplicate-id message says.
    for _, row in reversed(checked):
        if row["编号"]:
            measures[row["编号"]] = row
    issues.extend(_department_name_clashes(checked, place))
    if not table.rows:
        issues.append(
            place.issue(
                "empty-file", "举措清单只有表头没有举措，请填写后重试。", row=table.header_row
            )
        )
    return issues, rows, measures


def _check_form(
    place: Place | Issue,
    year: int,
    measures: dict[str, dict] | None,
    order: int,
    departments: list[str],
) -> tuple[list[dict], list[Issue]]:
    """One returned form: its rows that count and its issues."""
    if isinstance(place, Issue):
        return [], [place]
    table = place.table
    issues = _unreadable_cells(table, place)
    optional = ("填报单位",) if table.properties.get("填报单位") else ()
    missing = list(_missing_columns(table, FEEDBACK_COLUMNS, place, optional))
    issues.extend(missing)
    if missing:
        return [], issues
    if not table.rows:
        department = table.properties.get("填报单位")
        counted = (
            f"{department}计为已报送、各项举措均按未填报统计。" if department else "按未反馈统计。"
        )
        issues.append(
            place.issue("empty-form", f"反馈表只有表头没有内容，{counted}", row=table.header_row)
        )
    records, found = _check_feedback(table, place, year, measures, order, departments)
    issues.extend(_beside_unreadable(found, table))
    unreadable_rows = {cell.row for cell in table.unreadable}
    return [r for r in records if r["_row"] not in unreadable_rows], issues
