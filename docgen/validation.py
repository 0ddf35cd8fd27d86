"""Checks on the inputs folder: every problem is collected as an Issue, then reported together.

`validate_inputs` reads the measure list and every returned form, checks them against the contract
in model.py and returns typed DataFrames of the rows that passed, with the Issues found.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from docgen.config import Settings
from docgen.errors import InputError
from docgen.loading import (
    MB,
    SPREADSHEET_SUFFIXES,
    ReadError,
    ReadLimits,
    Table,
    clean_text,
    column_letter,
    read_table,
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

ERROR, WARNING = "error", "warning"
MEASURE_FILE_STEMS = ("measures", "举措清单")
FEEDBACK_FOLDER = "feedback"

DEADLINE_HINT = "请写成 2026-12-31、2026年12月31日 或 2026年12月底；没有截止日期的写“长期坚持”。"
DATE_HINT = "请写成 2026-11-26 或 2026年11月26日，或设为 Excel 日期格式。"


@dataclass(frozen=True)
class Issue:
    """One problem in the inputs, located as a clerk would look for it in Excel."""

    code: str
    severity: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(self.column)
        return " ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Inputs:
    """What validation hands to aggregation: typed rows that passed, and every Issue found."""

    folder: Path
    measures: pd.DataFrame
    feedback: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    departments: tuple[str, ...] = ()

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]


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


# --- issues ---------------------------------------------------------------------------------


class _Collector:
    """Builds Issues for one table, filling in the file, sheet and column letters."""

    def __init__(self, issues: list[Issue], folder: Path, table: Table | None, path: Path):
        self.issues = issues
        self.table = table
        try:
            self.file = str(path.relative_to(folder))
        except ValueError:
            self.file = str(path)

    def column_label(self, name: str) -> str:
        if self.table is None or name not in self.table.positions:
            return f"“{name}”列" if name else ""
        letter = column_letter(self.table.positions[name])
        return f"{letter}列“{self.table.columns[name]}”"

    def add(self, code, severity, message, row=None, column="", value="") -> None:
        self.issues.append(
            Issue(
                code=code,
                severity=severity,
                file=self.file,
                sheet=self.table.sheet if self.table else "",
                row=row,
                column=self.column_label(column),
                value=clean_text(value) if not isinstance(value, str) else value,
                message=message,
            )
        )


def _read(
    path: Path, columns, issues: list[Issue], folder: Path, sheet: str | None, limits: ReadLimits
):
    try:
        return read_table(path, columns, sheet, limits)
    except ReadError as exc:
        _Collector(issues, folder, None, path).add(exc.code, ERROR, str(exc))
        return None


def _missing_columns(table: Table, columns, collect: _Collector, optional=()) -> bool:
    ok = True
    for column in columns:
        if column.required and column.name not in table.columns and column.name not in optional:
            names = "、".join(column.synonyms)
            also = f"（也可写作：{names}）" if names else ""
            collect.add(
                "missing-column",
                ERROR,
                f"缺少必填列“{column.name}”{also}。请在第{table.header_row}行表头中补上这一列。",
                row=table.header_row,
                column=column.name,
            )
            ok = False
    return ok


def _warn_of_template_tags(table: Table, collect: _Collector) -> None:
    """Text that looks like a template tag ({{ name }}, {% if %}) is printed as typed; say so,
    since `docgen check` will take it for a tag left unfilled. Columns without a brace, almost
    all of them, are passed over in one look."""
    for column in table.columns:
        values = [row[column] for row in table.rows]
        if "{" not in "".join(value for value in values if type(value) is str):
            continue
        for value, number in zip(values, table.row_numbers, strict=True):
            if type(value) is str and "{" in value and (tag := TEMPLATE_TAG.search(value)):
                collect.add(
                    "template-like-text",
                    WARNING,
                    f"“{column}”中的“{tag.group()}……”像模板标记，文件中会原样印出，docgen check "
                    "也会把它当作未替换的模板标记指出。如非有意，请删去或改写这些括号。",
                    row=number,
                    column=column,
                    value=value,
                )


# --- measures -------------------------------------------------------------------------------


def find_measure_file(folder: Path) -> Path:
    candidates = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.stem in MEASURE_FILE_STEMS and p.suffix.lower() in SPREADSHEET_SUFFIXES
    ]
    if not candidates:
        raise InputError(
            f"在 {folder} 中找不到举措清单。请放入 measures.xlsx（或 measures.xls、measures.csv、举措清单.xlsx）。"
        )
    if len(candidates) > 1:
        names = "、".join(p.name for p in candidates)
        raise InputError(f"{folder} 中有多个举措清单：{names}。请只保留一个。")
    return candidates[0]


def feedback_files(folder: Path) -> list[Path]:
    """Returned forms in feedback/, oldest first: later files win ties on 填报日期."""
    root = folder / FEEDBACK_FOLDER
    if not root.is_dir():
        return []
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SPREADSHEET_SUFFIXES
        and not p.name.startswith(("~$", ".", "~"))
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, str(p)))


def _check_measures(
    table: Table, collect: _Collector, year: int, known_departments: set[str]
) -> Iterator[tuple[bool, dict]]:
    """Every row with its verdict: rows with errors still tell feedback checks who owns what."""
    first_row: dict[str, int] = {}
    _warn_of_template_tags(table, collect)
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        ok = True
        for column in MEASURE_COLUMNS:
            if column.required and column.name in table.columns and row.get(column.name) == "":
                collect.add(
                    "empty-cell",
                    ERROR,
                    f"必填项“{column.name}”为空，请补填。",
                    row=number,
                    column=column.name,
                )
                ok = False
        measure_id = clean_text(row.get("编号", ""))
        if measure_id:
            if measure_id in first_row:
                collect.add(
                    "duplicate-id",
                    ERROR,
                    f"编号“{measure_id}”与第{first_row[measure_id]}行重复，每项举措的编号必须唯一，请修改其中一个。",
                    row=number,
                    column="编号",
                    value=measure_id,
                )
                ok = False
            else:
                first_row[measure_id] = number
        stream = clean_text(row.get("专项", ""))
        if stream and stream not in STREAMS:
            collect.add(
                "unknown-stream",
                ERROR,
                f"专项“{stream}”不是 {'、'.join(STREAMS)} 之一，请改为其中一个。",
                row=number,
                column="专项",
                value=stream,
            )
            ok = False
        raw_deadline = row.get("完成时限", "")
        standing = is_standing(raw_deadline)
        deadline = None if standing else parse_date(raw_deadline, year)
        if raw_deadline != "" and not standing and deadline is None:
            collect.add(
                "bad-date",
                ERROR,
                f"完成时限“{clean_text(raw_deadline)}”无法识别为日期。{DEADLINE_HINT}",
                row=number,
                column="完成时限",
                value=raw_deadline,
            )
            ok = False
        aspect = clean_text(row.get("重点方面", ""))
        if aspect and aspect not in ASPECTS:
            collect.add(
                "unknown-aspect",
                WARNING,
                f"重点方面“{aspect}”不是 {'、'.join(ASPECTS)} 之一，统计时归入“其他”。如属笔误请更正。",
                row=number,
                column="重点方面",
                value=aspect,
            )
        leads = split_departments(row.get("牵头部门", ""))
        if len(leads) > 1:
            collect.add(
                "several-leads",
                WARNING,
                f"牵头部门应只有一个，已将“{leads[0]}”作为牵头部门，其余作为责任部门。请确认。",
                row=number,
                column="牵头部门",
                value=row.get("牵头部门", ""),
            )
        responsible = [d for d in split_departments(row.get("责任部门", "")) if d not in leads[:1]]
        departments = list(dict.fromkeys([*leads, *responsible]))
        if known_departments:
            for name in departments:
                if name not in known_departments:
                    column = "牵头部门" if name in leads else "责任部门"
                    collect.add(
                        "unknown-department",
                        WARNING,
                        f"部门“{name}”不在 docgen.toml 的部门名单中，请核对名称是否写错，或在 docgen.toml 中补充。",
                        row=number,
                        column=column,
                        value=name,
                    )
        yield (
            ok,
            {
                "编号": measure_id,
                "专项": stream,
                "问题": clean_text(row.get("问题", "")),
                "具体举措": clean_text(row.get("具体举措", "")),
                "重点方面": aspect if aspect in ASPECTS else ("其他" if aspect else ""),
                "牵头部门": departments[0] if departments else "",
                "责任部门": departments[1:],
                "部门": departments,
                "分管领导": clean_text(row.get("分管领导", "")),
                "完成时限": deadline,
                "长期坚持": standing,
                "时限原文": clean_text(raw_deadline),
                "备注": clean_text(row.get("备注", "")),
                "_file": collect.file,
                "_sheet": table.sheet,
                "_row": number,
            },
        )


def filename_clashes(names) -> list[list[str]]:
    """Groups of department names that give the same file name (rendering.safe_filename; Windows
    and macOS do not tell upper from lower case): "财务/审计" and "财务:审计", "IT处" and "it处"."""
    from docgen.rendering import safe_filename

    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        groups.setdefault(safe_filename(name).casefold(), []).append(name)
    return [group for group in groups.values() if len(group) > 1]


def _check_department_filenames(checked: list[tuple[bool, dict]], collect: _Collector) -> None:
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
            collect.add(
                "department-name-clash",
                ERROR,
                f"部门“{name}”与“{first}”（第{first_seen[first][0]}行）只差文件名中不能使用的字符"
                '（/ \\ : * ? " < > |）、首尾的空格和句点或字母大小写，两个部门的文件会同名而互相覆盖。'
                "如是同一部门请统一写法，否则请改用能区分的名称。",
                row=number,
                column=column,
                value=name,
            )


# --- feedback -------------------------------------------------------------------------------


def _check_feedback(
    table: Table,
    collect: _Collector,
    year: int,
    measures: dict[str, dict] | None,
    file_order: int,
) -> Iterator[dict]:
    """Rows that pass; `measures` None means the measure list itself failed, so ids go unchecked."""
    form_department = table.properties.get("填报单位", "")
    seen: dict[tuple[str, str], int] = {}
    _warn_of_template_tags(table, collect)
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        answers = [
            row.get(c.name, "") for c in FEEDBACK_COLUMNS if c.name not in ("编号", "填报单位")
        ]
        measure_id = clean_text(row.get("编号", ""))
        department = clean_text(row.get("填报单位", "")) or form_department
        raw_status = clean_text(row.get("完成状态", ""))
        if not measure_id:
            if any(a != "" for a in answers):
                collect.add(
                    "empty-cell",
                    ERROR,
                    "这一行填写了内容但“编号”为空，请补上举措编号。",
                    row=number,
                    column="编号",
                )
            continue
        if not department:
            collect.add(
                "empty-cell",
                ERROR,
                "“填报单位”为空，请填写本单位名称。",
                row=number,
                column="填报单位",
            )
            continue
        ok = True
        if measures is not None and measure_id not in measures:
            collect.add(
                "unknown-measure",
                ERROR,
                f"编号“{measure_id}”在举措清单中不存在，请核对编号（可能是笔误，或用了旧版清单）。",
                row=number,
                column="编号",
                value=measure_id,
            )
            ok = False
        status = STATUS_BY_WORD.get(raw_status.replace(" ", ""))
        if not raw_status:
            collect.add(
                "empty-status",
                WARNING,
                f"编号“{measure_id}”未填写完成状态，按未反馈统计。请让{department}补填。",
                row=number,
                column="完成状态",
            )
            continue
        if status is None:
            collect.add(
                "bad-status",
                ERROR,
                f"完成状态“{raw_status}”无法识别，请填写 已完成、推进中、未启动 或 长期坚持。",
                row=number,
                column="完成状态",
                value=raw_status,
            )
            ok = False
        dates = {}
        for name in ("完成时间", "填报日期"):
            raw = row.get(name, "")
            dates[name] = parse_date(raw, year) if raw != "" else None
            if raw != "" and dates[name] is None:
                collect.add(
                    "bad-date",
                    ERROR,
                    f"{name}“{clean_text(raw)}”无法识别为日期。{DATE_HINT}",
                    row=number,
                    column=name,
                    value=raw,
                )
                ok = False
        if not ok or measures is None:
            continue
        measure = measures[measure_id]
        if department not in measure["部门"]:
            assigned = "、".join(measure["部门"])
            collect.add(
                "not-assigned",
                WARNING,
                f"{department}不是编号“{measure_id}”的牵头或责任部门（该举措由{assigned}负责），这一行不计入统计。"
                "如分工有调整，请先修改举措清单。",
                row=number,
                column="填报单位",
                value=department,
            )
            continue
        if status == DONE and dates["完成时间"] is None:
            collect.add(
                "done-without-date",
                WARNING,
                f"编号“{measure_id}”填报为已完成，但没有填写完成时间，请补填。",
                row=number,
                column="完成时间" if "完成时间" in table.columns else "",
            )
        key = (measure_id, department)
        if key in seen:
            collect.add(
                "duplicate-feedback",
                WARNING,
                f"同一文件中{department}对编号“{measure_id}”填报了两次（另见第{seen[key]}行），以后一行为准。",
                row=number,
                column="编号",
                value=measure_id,
            )
        seen[key] = number
        yield {
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
            "_file": collect.file,
            "_sheet": table.sheet,
            "_row": number,
            "_order": file_order,
        }


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


def validate_inputs(
    folder: Path, settings: Settings, as_of: dt.date, sheet: str | None = None
) -> Inputs:
    """Read and check the measure list and every returned form in `folder`.

    Raises InputError only when the folder or the measure list cannot be found; every other
    problem becomes an Issue. `as_of` gives the year for deadlines written without one (12月底).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            f"找不到输入文件夹 {folder}，请用 --inputs 指定存放 measures.xlsx 的文件夹。"
        )
    year = settings.year_for(as_of)
    issues: list[Issue] = []
    measure_path = find_measure_file(folder)
    files = [measure_path]
    known = {d.name for d in settings.departments}
    max_bytes = settings.limits.max_file_mb * MB
    rows_left = settings.limits.max_rows

    def read(path: Path, columns, sheet_name: str | None) -> Table | None:
        nonlocal rows_left
        table = _read(path, columns, issues, folder, sheet_name, ReadLimits(max_bytes, rows_left))
        if table is not None:
            rows_left = max(rows_left - table.sheet_rows, 0)
        return table

    measure_rows: list[dict] = []
    measures: dict[str, dict] | None = None
    table = read(measure_path, MEASURE_COLUMNS, sheet)
    if table is not None:
        collect = _Collector(issues, folder, table, measure_path)
        if _missing_columns(table, MEASURE_COLUMNS, collect):
            checked = list(_check_measures(table, collect, year, known))
            measure_rows = [row for ok, row in checked if ok]
            measures = {}
            # First row wins for a duplicated id, as the duplicate-id message says.
            for _, row in reversed(checked):
                if row["编号"]:
                    measures[row["编号"]] = row
            _check_department_filenames(checked, collect)
            if not table.rows:
                collect.add(
                    "empty-file",
                    ERROR,
                    "举措清单只有表头没有举措，请填写后重试。",
                    row=table.header_row,
                )

    feedback_rows: list[dict] = []
    for order, path in enumerate(feedback_files(folder)):
        files.append(path)
        table = read(path, FEEDBACK_COLUMNS, None)
        if table is None:
            continue
        collect = _Collector(issues, folder, table, path)
        optional = ("填报单位",) if table.properties.get("填报单位") else ()
        if not _missing_columns(table, FEEDBACK_COLUMNS, collect, optional):
            continue
        if not table.rows:
            collect.add(
                "empty-file",
                WARNING,
                "反馈表只有表头没有内容，按未反馈统计。",
                row=table.header_row,
            )
        feedback_rows.extend(_check_feedback(table, collect, year, measures, order))

    departments = [d.name for d in settings.departments]
    for row in measure_rows:
        departments.extend(row["部门"])
    return Inputs(
        folder=folder,
        measures=pd.DataFrame(measure_rows, columns=MEASURE_FRAME_COLUMNS),
        feedback=pd.DataFrame(feedback_rows, columns=FEEDBACK_FRAME_COLUMNS),
        issues=issues,
        files=files,
        departments=tuple(dict.fromkeys(departments)),
    )
