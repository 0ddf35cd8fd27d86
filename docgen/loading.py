"""Any spreadsheet -> a table of cleaned values with the Excel row number of every row.

Readers: python-calamine for .xlsx/.xlsm/.xls (several times faster than openpyxl, see
bench/load_excel.py), the csv module for .csv with UTF-8 (with or without BOM) or GBK/GB18030.
The header row is found below title rows by matching cells against the column synonyms in
model.py; every value is cleaned once, here, and never again downstream.
"""

import contextlib
import csv
import datetime as dt
import functools
import gc
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path

from docgen.model import Column

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# Rows scanned for the header: title rows, blank rows and notes rarely take more than a few.
HEADER_SCAN_ROWS = 30

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# C0 controls except tab and line feed, DEL, C1 controls, and the two non-characters.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROUNDING_SPACE = " \t\n\r\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_HEADER_NOISE = re.compile(r"[\s\u3000\u00a0*＊:：]")
# A note in brackets after a header (完成时限（年月日）) does not change its meaning.
_HEADER_NOTE = re.compile(r"[(（【\[].*?[)）】\]]")


class ReadError(Exception):
    """A file could not be read as a spreadsheet; the message says why, in Chinese."""


@dataclass
class Table:
    """One sheet, cleaned: `rows` hold values by canonical column name, `row_numbers` the Excel rows."""

    path: Path
    sheet: str
    columns: dict[str, str]  # canonical name -> header text as written in the file
    positions: dict[str, int]  # canonical name -> 0-based column position
    rows: list[dict[str, object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 0
    properties: dict[str, str] = field(default_factory=dict)


# A text with none of these comes out of clean_text merely trimmed (the common case, checked first).
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def clean_text(value) -> str:
    """One cell as text: Excel escapes decoded, line breaks unified, controls dropped, trimmed."""
    if type(value) is str and not _NEEDS_CLEANING.search(value):
        return value.strip(_SURROUNDING_SPACE)
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if not isinstance(value, str):
        return str(value)
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    text = (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    )
    text = _CONTROL.sub("", text)
    text = "\n".join(line.strip(_SURROUNDING_SPACE) for line in text.split("\n"))
    return text.strip(_SURROUNDING_SPACE)


def clean_value(value):
    """Keep dates and numbers as they are (deadline parsing needs them); clean everything else."""
    if type(value) is str:
        return clean_text(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date | int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return int(value) if value.is_integer() else value
    return clean_text(value)


@functools.lru_cache(maxsize=4096)
def _header_key(text: str) -> str:
    # Cached: the top rows of every file are scanned, and most of their cells repeat.
    return _HEADER_NOISE.sub("", _HEADER_NOTE.sub("", clean_text(text)))


@functools.lru_cache(maxsize=16)
def _header_words(columns: tuple[Column, ...]) -> frozenset[str]:
    return frozenset(header for column in columns for header in column.headers)


def match_header(cells: list, columns: tuple[Column, ...]) -> dict[str, int]:
    """Map canonical names to cell positions; a canonical name beats its synonyms, earlier beats later."""
    positions: dict[str, list[int]] = {}
    words = _header_words(columns)
    for position, cell in enumerate(cells):
        if isinstance(cell, str):
            key = _header_key(cell)
            if key in words:
                positions.setdefault(key, []).append(position)
    found: dict[str, int] = {}
    if not positions:
        return found
    taken: set[int] = set()
    # Canonical names first, so 存在问题 in a feedback form is not taken as a synonym elsewhere.
    for rank in range(max(len(c.headers) for c in columns)):
        for column in columns:
            if column.name in found or rank >= len(column.headers):
                continue
            for position in positions.get(column.headers[rank], ()):
                if position not in taken:
                    found[column.name] = position
                    taken.add(position)
                    break
    return found


def find_header(grid: list[list], columns: tuple[Column, ...]) -> tuple[int, dict[str, int]]:
    """The first row among the top rows that names the most known columns (at least two)."""
    best_index, best = -1, {}
    for index, cells in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = match_header(cells, columns)
        required = sum(1 for c in columns if c.required and c.name in found)
        if required and len(found) >= 2 and len(found) > len(best):
            best_index, best = index, found
    return best_index, best


def _decode_csv(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, which WPS and Excel use on Chinese Windows.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(
            "文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），请用 Excel 或 WPS 另存为 .xlsx 后重试。"
        ) from None


def _read_csv(path: Path) -> tuple[str, list[list], list[int]]:
    text = _decode_csv(path.read_bytes(), path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    grid, numbers = [], []
    line = 1
    try:
        for cells in reader:
            grid.append(cells)
            numbers.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"第{line}行格式有误（{exc}），请检查引号是否成对。") from None
    return path.stem, grid, numbers


def _sheet_names(workbook) -> list[str]:
    return [
        sheet.name
        for sheet in workbook.sheets_metadata
        if str(sheet.visible).endswith(".Visible") and str(sheet.typ).endswith(".WorkSheet")
    ]


def _read_excel(path: Path, sheet: str | None) -> tuple[str, list[list], list[int], dict]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise ReadError(_explain_unreadable(path, exc)) from None
    properties = _read_properties(workbook)
    names = workbook.sheet_names
    if sheet is None:
        visible = _sheet_names(workbook) or names
        if not visible:
            raise ReadError("工作簿中没有工作表。")
        sheet_name = visible[0]
    elif sheet in names:
        sheet_name = sheet
    else:
        raise ReadError(f"找不到名为“{sheet}”的工作表，现有工作表：{'、'.join(names)}。")
    try:
        grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise ReadError(_explain_unreadable(path, exc)) from None
    return sheet_name, grid, list(range(1, len(grid) + 1)), properties


# A form docgen generated records the department in a hidden sheet, so a returned form needs no
# 填报单位 column (see documents/forms).
PROPERTIES_SHEET = "docgen"


def _read_properties(workbook) -> dict[str, str]:
    if PROPERTIES_SHEET not in workbook.sheet_names:
        return {}
    try:
        rows = workbook.get_sheet_by_name(PROPERTIES_SHEET).to_python()
    except Exception:
        return {}
    return {clean_text(row[0]): clean_text(row[1]) for row in rows if len(row) >= 2 and row[0]}


def _explain_unreadable(path: Path, exc: Exception) -> str:
    head = b""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        pass
    lowered = head.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() != ".xls":
        return "文件已加密（设置了打开密码）或是旧版 .xls 文件却用了 .xlsx 扩展名，请取消密码或另存为 .xlsx 后重试。"
    if b"<html" in lowered or b"<!doctype" in lowered or b"<table" in lowered:
        return "文件实际是网页（HTML），不是 Excel 工作簿，请在 Excel 或 WPS 中打开后另存为 .xlsx。"
    if head and not head.startswith(b"PK") and not head.startswith(b"\xd0\xcf\x11\xe0"):
        return "文件不是有效的 Excel 工作簿（可能是改了扩展名的文本文件），请另存为 .xlsx 或 .csv 后重试。"
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        return "文件已损坏或不完整（可能传输中断），请让填报单位重新发送。"
    return f"文件已损坏或无法读取（{exc}），请在 Excel 或 WPS 中打开检查后另存为 .xlsx。"


def read_grid(path: Path, sheet: str | None = None) -> tuple[str, list[list], list[int], dict]:
    """All cells of one sheet as raw values, with the Excel row number of each row."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx、.xls 或 .csv。")
    try:
        if path.stat().st_size == 0:
            raise ReadError("文件是空的（0 字节），请让填报单位重新发送。")
        if suffix == ".csv":
            return (*_read_csv(path), {})
        return _read_excel(path, sheet)
    except OSError as exc:
        raise ReadError(
            f"无法打开文件（{exc.strerror or exc}），请确认文件没有被其他程序占用。"
        ) from None


def read_table(path: Path, columns: tuple[Column, ...], sheet: str | None = None) -> Table:
    """Read one sheet, find its header row and return the rows under it, cleaned.

    Rows that are entirely blank are skipped; the rest keep their Excel row numbers. Raises
    ReadError when the file cannot be read or no header row is recognisable.
    """
    with _collector_paused():
        return _read_table(Path(path), columns, sheet)


@contextlib.contextmanager
def _collector_paused():
    """Reading makes a few objects per cell and no reference cycles; Python's cycle collector
    would still walk every container made so far, again and again (a tenth of the time of a
    50,000-row sheet). Paused while reading, it runs as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_table(path: Path, columns: tuple[Column, ...], sheet: str | None) -> Table:
    sheet_name, grid, numbers, properties = read_grid(path, sheet)
    if not any(any(clean_text(c) for c in row) for row in grid):
        raise ReadError("文件中没有任何内容，请确认填写后保存。")
    header_index, positions = find_header(grid, columns)
    if header_index < 0:
        raise ReadError(
            f"前{HEADER_SCAN_ROWS}行中找不到表头（如“{columns[0].name}”“{columns[1].name}”），"
            "请确认表头文字与模板一致。"
        )
    header_cells = grid[header_index]
    table = Table(
        path=path,
        sheet=sheet_name,
        columns={name: clean_text(header_cells[pos]) for name, pos in positions.items()},
        positions=positions,
        header_row=numbers[header_index],
        properties=properties,
    )
    below = grid[header_index + 1 :]
    cleaned = [_clean_column(column) for column in _columns(below, list(positions.values()))]
    blank = ("",) * len(positions)
    rows = list(zip(*cleaned, strict=True))
    kept = [values != blank for values in rows]
    names = list(positions)
    table.rows = list(map(dict, map(zip, repeat(names), compress(rows, kept))))
    table.row_numbers = list(compress(numbers[header_index + 1 :], kept))
    return table


def _columns(rows: list[list], positions: list[int]) -> list:
    """The cells at `positions` of every row, column by column ("" where a row is too short)."""
    if rows and len(set(map(len, rows))) == 1 and len(rows[0]) > max(positions):
        every = list(zip(*rows, strict=True))  # calamine's rows are all as wide as the sheet
        return [every[position] for position in positions]
    return [[cells[pos] if pos < len(cells) else "" for cells in rows] for pos in positions]


def _clean_column(values: list) -> list:
    """clean_value of every cell. When no text in the column needs more than trimming, texts
    are only trimmed, as clean_text would; two quick checks over all of them at once tell."""
    only_text = set(map(type, values)) == {str}
    texts = values if only_text else [value for value in values if type(value) is str]
    joined = "|".join(texts)  # "|" is printable and no part of an _xHHHH_ escape
    plain = joined.isprintable() and ("_" not in joined or "_x" not in joined)
    if not plain and _NEEDS_CLEANING.search(joined):
        return [clean_value(value) for value in values]
    if only_text:
        return list(map(str.strip, values, repeat(_SURROUNDING_SPACE)))
    return [
        value.strip(_SURROUNDING_SPACE) if type(value) is str else clean_value(value)
        for value in values
    ]


def column_letter(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column letters a user sees in Excel."""
    letters = ""
    position += 1
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
