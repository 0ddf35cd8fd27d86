"""Checks on a workspace's inputs: every problem found becomes an Issue, reported together.

`validate_inputs(workspace)` reads the measure list and every returned form, checks them against
the contract in model.py and returns typed DataFrames of the rows that passed, with a Report of
every Issue (docgen.issues: the catalogue of codes, what each means and how to fix it). Each check
is a small function that yields the issues of one row or one table.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from docgen.files import safe_filename
from docgen.issues import Issue, Report
from docgen.loading import MB, ReadError, ReadLimits, Table, column_letter, read_table
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
from docgen.text import clean_text
from docgen.workspace import Workspace

DEADLINE_HINT = "请写成 2026-12-31、2026年12月31日 或 2026年12月底；没有截止日期的写“长期坚持”。"
DATE_HINT = "请写成 2026-11-26 或 2026年11月26日，或设为 Excel 日期格式。"


@dataclass
class Inputs:
    """What validation hands to aggregation: typed rows that passed, and the Report of every
    Issue found (its `files` name the files checked); `departments` every department named,
    the configured ones first."""

    measures: pd.DataFrame
    feedback: pd.DataFrame
    report: Report = field(default_factory=Report)
    departments: tuple[str, ...] = ()


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


def split_departments(value) -> list[str]:
    names = [clean_text(n) for n in re.split(DEPARTMENT_SEPARATORS, clean_text(value))]
    return list(dict.fromkeys(n for n in names if n))


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


# --- measures -------------------------------------------------------------------------------


def _measure_record(row: dict, number: int, year: int, place: Place, leads: list[str]) -> dict:
    """A row of the measure list as aggregation reads it: the deadline parsed, the departments
    (`leads`, the 牵头部门 cell split) the first lead first, the aspect one of ASPECTS or 其他."""
    raw_deadline = row.get("完成时限", "")
    standing = is_standing(raw_deadline)
    aspect = clean_text(row.get("重点方面", ""))
    responsible = [d for d in split_departments(row.get("责任部门", "")) if d not in leads[:1]]
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
    table: Table, place: Place, year: int, known: set[str]
) -> tuple[list[tuple[bool, dict]], list[Issue]]:
    """Every row with its verdict (no error on it), and the issues found, in the order of the
    rows: rows with errors still tell the feedback checks who owns what."""
    issues = list(_template_like_text(table, place))
    first_row: dict[str, int] = {}
    checked = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        leads = split_departments(row.get("牵头部门", ""))
        record = _measure_record(row, number, year, place, leads)
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


def _check_feedback(
    table: Table,
    place: Place,
    year: int,
    measures: dict[str, dict] | None,
    file_order: int,
) -> tuple[list[dict], list[Issue]]:
    """The rows of a returned form that count, and its issues in row order, a second answer of
    one department to one measure in the same file noted as it comes."""
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
    "存在问题",
    "下步计划",
    "填报人",
    "填报日期",
    "_file",
    "_sheet",
    "_row",
    "_order",
]


def validate_inputs(workspace: Workspace, sheet: str | None = None) -> Inputs:
    """Read and check the workspace's measure list and every returned form.

    Raises InputError only when the measure list cannot be found; every other problem becomes
    an Issue. The as-of date gives the year for deadlines written without one (12月底).
    """
    files = workspace.files
    measure_path = files.require_measures()
    settings = workspace.settings
    year = settings.year_for(workspace.as_of)
    issues: list[Issue] = []
    known = {d.name for d in settings.departments}
    max_bytes = settings.limits.max_file_mb * MB
    rows_left = settings.limits.max_rows

    def read(path: Path, columns, sheet_name: str | None) -> tuple[Table | None, Place]:
        nonlocal rows_left
        place = Place(files.relative(path))
        try:
            table = read_table(path, columns, sheet_name, ReadLimits(max_bytes, rows_left))
        except ReadError as exc:
            issues.append(place.issue(exc.code, str(exc)))
            return None, place
        rows_left = max(rows_left - table.sheet_rows, 0)
        return table, Place(place.file, table)

    measure_rows: list[dict] = []
    measures: dict[str, dict] | None = None
    table, place = read(measure_path, MEASURE_COLUMNS, sheet)
    if table is not None:
        missing = list(_missing_columns(table, MEASURE_COLUMNS, place))
        issues.extend(missing)
        if not missing:
            checked, found = _check_measures(table, place, year, known)
            issues.extend(found)
            measure_rows = [row for ok, row in checked if ok]
            measures = {}
            # First row wins for a duplicated id, as the duplicate-id message says.
            for _, row in reversed(checked):
                if row["编号"]:
                    measures[row["编号"]] = row
            issues.extend(_department_name_clashes(checked, place))
            if not table.rows:
                issues.append(
                    place.issue(
                        "empty-file",
                        "举措清单只有表头没有举措，请填写后重试。",
                        row=table.header_row,
                    )
                )

    feedback_rows: list[dict] = []
    for order, path in enumerate(files.forms):
        table, place = read(path, FEEDBACK_COLUMNS, None)
        if table is None:
            continue
        optional = ("填报单位",) if table.properties.get("填报单位") else ()
        missing = list(_missing_columns(table, FEEDBACK_COLUMNS, place, optional))
        issues.extend(missing)
        if missing:
            continue
        if not table.rows:
            issues.append(
                place.issue(
                    "empty-form", "反馈表只有表头没有内容，按未反馈统计。", row=table.header_row
                )
            )
        records, found = _check_feedback(table, place, year, measures, order)
        feedback_rows.extend(records)
        issues.extend(found)

    departments = [d.name for d in settings.departments]
    for row in measure_rows:
        departments.extend(row["部门"])
    checked_files = [files.relative(path) for path in (measure_path, *files.forms)]
    return Inputs(
        measures=pd.DataFrame(measure_rows, columns=MEASURE_FRAME_COLUMNS),
        feedback=pd.DataFrame(feedback_rows, columns=FEEDBACK_FRAME_COLUMNS),
        report=Report(issues, checked_files),
        departments=tuple(dict.fromkeys(departments)),
    )
