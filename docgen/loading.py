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
import html
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path

from lxml import etree
from python_calamine import CalamineWorkbook

from docgen.model import Column
from docgen.text import NEEDS_CLEANING, SURROUNDING_SPACE, clean_text

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# Rows scanned for the header: title rows, blank rows and notes rarely take more than a few.
HEADER_SCAN_ROWS = 30

_HEADER_NOISE = re.compile(r"[\s\u3000\u00a0*＊:：]")
# A note in brackets after a header (完成时限（年月日）) does not change its meaning.
_HEADER_NOTE = re.compile(r"[(（【\[].*?[)）】\]]", re.DOTALL)

MB = 1024 * 1024

# Issue codes of cells whose value cannot be read (docgen.issues): a formula saved without its
# result (a workbook written by a program and never opened and saved in Excel or WPS), and an
# error value. calamine gives "" for both, which would pass for an empty cell.
FORMULA_WITHOUT_VALUE, ERROR_VALUE = "formula-without-value", "error-value"
# What Excel and WPS show in a cell whose formula failed; a CSV export holds them as text.
ERROR_VALUES = frozenset(
    ("#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!")
)


class ReadError(Exception):
    """A file could not be read as a spreadsheet; the message says why, in Chinese.

    `code` is the validation issue code: unreadable-file, or one of the limits' codes
    (file-too-large, zip-bomb, too-many-rows, sheet-too-large)."""

    def __init__(self, message: str, code: str = "unreadable-file") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ReadLimits:
    """How much a file may hold before it is refused unread (docgen.toml [limits]).

    `max_rows` counts sheet rows (title and blank rows too); validation passes what is left of
    the campaign's allowance. A zip (.xlsx) may unpack to UNPACKED_PER_BYTE times `max_bytes`.
    """

    max_bytes: int = 50 * MB
    max_rows: int = 200_000

    @property
    def max_unpacked(self) -> int:
        return UNPACKED_PER_BYTE * self.max_bytes


# An .xlsx is a zip of XML; real workbooks unpack to 5-20 times their size (a sheet of 100,000
# identical rows: 17). A member a hundred times smaller packed than unpacked is a "zip bomb".
UNPACKED_PER_BYTE = 20
MAX_ZIP_RATIO = 100
ZIP_RATIO_CHECKED_FROM = 1 * MB
MAX_ZIP_MEMBERS = 10_000
# Cells between a sheet's first and last filled cell: calamine holds them all (32 bytes each),
# so one stray value in XFD1048576 would ask for 512 GB.
MAX_SHEET_CELLS = 20_000_000


@dataclass(frozen=True)
class UnreadableCell:
    """A cell under the header whose value cannot be read; its place in `rows` holds "".

    `code` is FORMULA_WITHOUT_VALUE or ERROR_VALUE, `text` the formula (=SUM(B2:B3), "" for
    a shared one) or the error value (#N/A)."""

    row: int  # Excel row
    column: str  # canonical name
    code: str
    text: str


@dataclass
class Table:
    """One sheet, cleaned: `rows` hold values by canonical column name, `row_numbers` the Excel
    rows, `unreadable` the cells of those columns that cannot be read, in sheet order."""

    path: Path
    sheet: str
    columns: dict[str, str]  # canonical name -> header text as written in the file
    positions: dict[str, int]  # canonical name -> 0-based column position
    rows: list[dict[str, object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 0
    properties: dict[str, str] = field(default_factory=dict)
    sheet_rows: int = 0  # rows of the sheet as read, blank and title rows included
    title: str = ""  # the first row above the header holding one text alone (the sheet's title)
    unreadable: list[UnreadableCell] = field(default_factory=list)


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


def _read_csv(path: Path, limits: ReadLimits) -> tuple[str, list[list], list[int]]:
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
            if len(grid) > limits.max_rows:
                raise ReadError(_too_many_rows(path.stem, None, limits), "too-many-rows")
    except csv.Error as exc:
        raise ReadError(f"第{line}行格式有误（{exc}），请检查引号是否成对。") from None
    return path.stem, grid, numbers


def _too_many_rows(sheet: str, rows: int | None, limits: ReadLimits) -> str:
    counted = f"有 {rows:,} 行，" if rows else ""
    return (
        f"工作表“{sheet}”{counted}超过了可读取的行数上限（举措清单和全部反馈表合计 "
        f"{limits.max_rows:,} 行，docgen.toml 中 [limits] 的 max_rows）。如果表格下方有大量空行"
        "或远处误填的内容，请在 Excel 中删除后保存；确需读取这么多行时，请调高 max_rows。"
    )


def _too_wide(sheet: str, rows: int, columns: int, last: str = "") -> str:
    where = f"（从 A1 到 {last}）" if last else ""
    return (
        f"工作表“{sheet}”的内容范围过大{where}：{rows:,} 行 × {columns:,} 列，"
        f"超过 {MAX_SHEET_CELLS:,} 个单元格。通常是远处某个单元格误填了内容：请在 Excel 中按 "
        "Ctrl+End 找到最后一个单元格，删除多余的行和列后保存。"
    )


def _sheet_names(workbook) -> list[str]:
    return [
        sheet.name
        for sheet in workbook.sheets_metadata
        if str(sheet.visible).endswith(".Visible") and str(sheet.typ).endswith(".WorkSheet")
    ]


def _read_excel(
    path: Path, sheet: str | None, limits: ReadLimits
) -> tuple[str, list[list], list[int], dict, dict]:
    archive = _checked_zip(path, limits)  # None for .xls and for what is not a zip at all
    try:
        return _read_workbook(path, sheet, limits, archive)
    finally:
        if archive is not None:
            archive.close()


def _read_workbook(path: Path, sheet: str | None, limits: ReadLimits, archive):
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise ReadError(_explain_unreadable(path, exc)) from None
    # Which zip member holds which sheet matters only where there are several.
    worksheets = [] if archive is None else _worksheet_members(archive)
    parts = _sheet_parts(archive) if len(worksheets) > 1 else {}

    def load(name: str, marks: dict | None = None):
        """The sheet from calamine, once its size is known to be within the limits; `marks`
        gets the cells whose value cannot be read (see _scan_sheet)."""
        if archive is not None:
            member = parts.get(name) or (worksheets[0] if len(worksheets) == 1 else None)
            _scan_sheet(archive, member, name, limits, marks)
        loaded = workbook.get_sheet_by_name(name)
        if loaded.height > limits.max_rows:
            raise ReadError(_too_many_rows(name, loaded.height, limits), "too-many-rows")
        if loaded.height * loaded.width > MAX_SHEET_CELLS:
            raise ReadError(_too_wide(name, loaded.height, loaded.width), "sheet-too-large")
        return loaded

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
    marks: dict[tuple[int, int], tuple[str, str]] = {}
    try:
        properties = _read_properties(workbook, load)
        grid = load(sheet_name, marks).to_python(skip_empty_area=False)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(_explain_unreadable(path, exc)) from None
    return sheet_name, grid, list(range(1, len(grid) + 1)), properties, marks


def _checked_zip(path: Path, limits: ReadLimits) -> zipfile.ZipFile | None:
    """The .xlsx as a zip, its members' declared sizes checked before anything is inflated.

    calamine (the zip crate) stops a member that inflates past its declared size, so checking
    the declared sizes bounds what reading can unpack."""
    if path.suffix.lower() == ".xls":
        return None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # calamine's error and _explain_unreadable say what it is
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    suspicious = len(members) > MAX_ZIP_MEMBERS or unpacked > limits.max_unpacked
    for member in members:
        if member.file_size >= ZIP_RATIO_CHECKED_FROM and (
            member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        ):
            suspicious = True
    if suspicious:
        archive.close()
        packed = path.stat().st_size
        raise ReadError(
            f"文件只有 {packed / MB:.1f} MB，解压后却有 {unpacked / MB:,.0f} MB"
            f"（{len(members):,} 个部件），远超正常的 Excel 工作簿，可能已损坏或是恶意构造的"
            "“压缩炸弹”，为安全起见没有读取。请让填报单位在 Excel 或 WPS 中打开后重新保存再发送。",
            "zip-bomb",
        )
    return archive


_NS_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding it, from xl/workbook.xml and its relationships."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        book = etree.fromstring(archive.read("xl/workbook.xml"), parser)
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    return {
        sheet.get("name"): targets.get(sheet.get(_NS_RELATIONSHIP), "")
        for sheet in book.iter("{*}sheet")
    }


# What bounds a sheet's extent in its XML: row numbers, and the cell references that can make
# it wide (two or three letters) or long (a row number of six digits or more). A reference with
# one letter and up to five digits cannot, on its own, take the sheet past MAX_SHEET_CELLS.
_ROW_NUMBER = re.compile(rb'row r="(\d+)"')
_WIDE_REFERENCE = re.compile(rb' r="([A-Za-z]{2,3})\d')
_LONG_REFERENCE = re.compile(rb' r="[A-Za-z]{1,3}(\d{6,})"')
_ANY_REFERENCE = re.compile(rb' r="[A-Za-z]{1,3}(\d+)"')
_SHORT_ROWS = 99_999
_SCAN_CHUNK = 4 * MB
# Where a piece of XML may be cut: before a cell or a row, looked for near the piece's end.
_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s>/]")
_CUT_SEARCH = 64 * 1024


def _scan_sheet(
    archive: zipfile.ZipFile, member: str | None, sheet: str, limits, marks: dict | None = None
) -> None:
    """Refuse a sheet whose filled cells span more than MAX_SHEET_CELLS (or more rows than
    the limits allow), read from its XML before calamine lays the whole span out in memory.
    Without a known member, every worksheet of the workbook is looked at.

    In the same pass, `marks` (when given and the member is known) gets the cells whose value
    cannot be read: (Excel row, 0-based column) -> (code, formula or error value)."""
    if member:
        names = [member] if member in archive.NameToInfo else []
    else:
        names = _worksheet_members(archive)
        marks = None  # the cells found could belong to any sheet
    for name in names:
        rows, columns = 0, 26
        for text in _xml_chunks(archive, name):
            numbers = _ROW_NUMBER.findall(text) + _LONG_REFERENCE.findall(text)
            if numbers:
                rows = max(rows, *map(int, set(numbers)))
            for letters in set(_WIDE_REFERENCE.findall(text)):
                columns = max(columns, _column_number(letters))
            if marks is not None:
                _mark_unreadable(text, marks)
        if columns * _SHORT_ROWS > MAX_SHEET_CELLS:
            # Wide: a cell's own row number (five digits or fewer) may lie below every row's.
            for text in _xml_chunks(archive, name):
                numbers = _ANY_REFERENCE.findall(text)
                if numbers:
                    rows = max(rows, *map(int, set(numbers)))
        if rows > limits.max_rows:
            raise ReadError(_too_many_rows(sheet, rows, limits), "too-many-rows")
        if rows * columns > MAX_SHEET_CELLS:
            last = f"{column_letter(columns - 1)}{rows}"
            raise ReadError(_too_wide(sheet, rows, columns, last), "sheet-too-large")


# Cells as a sheet's XML holds them. A formula without its result has an <f> and no <v>, or an
# empty <v> where the result is not text (t="str" with an empty <v> is a formula whose result
# is ""). An error value is a cell of type "e". Any namespace prefix and spaces between the
# tags are allowed, but a regular expression tried at every "<" of a sheet costs as much as
# reading it: the XML Excel, WPS and openpyxl write (no prefix, no spaces) is searched for where
# such a cell ends, and a piece of XML without an "<f" (or a "#") is passed over.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_CELL = re.compile(
    rb"<" + _PREFIX + rb"c\b([^>]*)>\s*"
    rb"<" + _PREFIX + rb"f\b[^>]*?(?:/>|>([^<]*)</" + _PREFIX + rb"f>)\s*"
    rb"(<" + _PREFIX + rb"v\s*/>|<" + _PREFIX + rb"v>\s*</" + _PREFIX + rb"v>)?\s*"
    rb"</" + _PREFIX + rb"c>"
)
_FORMULA_CELL_ENDS = (b"</f></c>", b"<v></v></c>", b"/></c>")
_ERROR_CELL = re.compile(
    rb"<" + _PREFIX + rb'c\b([^>]*\bt="e"[^>]*)>\s*'
    rb"(?:<" + _PREFIX + rb"f\b[^>]*?(?:/>|>[^<]*</" + _PREFIX + rb"f>)\s*)?"
    rb"<" + _PREFIX + rb"v>([^<]*)</" + _PREFIX + rb"v>"
)
_CELL_REFERENCE = re.compile(rb'\br="([A-Za-z]{1,3})(\d+)"')
_TEXT_RESULT = re.compile(rb'\bt="str"')


def _mark_unreadable(text: bytes, marks: dict) -> None:
    if b"f" in text:
        for match in _formula_cells(text):
            attributes, formula, empty_value = match.groups()
            if empty_value and _TEXT_RESULT.search(attributes):
                continue
            shown = f"={_xml_text(formula)}" if formula else ""
            _mark(marks, attributes, FORMULA_WITHOUT_VALUE, shown)
    if b"#" in text and b't="e"' in text:
        for match in _ERROR_CELL.finditer(text):
            attributes, value = match.groups()
            _mark(marks, attributes, ERROR_VALUE, _xml_text(value))


def _formula_cells(text: bytes):
    """The cells of `text` holding a formula and no value (see _FORMULA_CELL)."""
    if b"<f" in text:
        for end in _FORMULA_CELL_ENDS:
            position = text.find(end)
            while position >= 0:
                start = text.rfind(b"<c ", 0, position)
                if start >= 0 and (match := _FORMULA_CELL.match(text, start)):
                    yield match
                position = text.find(end, position + 1)
    elif b":f" in text:
        yield from _FORMULA_CELL.finditer(text)


def _mark(marks: dict, attributes: bytes, code: str, text: str) -> None:
    if reference := _CELL_REFERENCE.search(attributes):
        letters, row = reference.groups()
        marks[int(row), _column_number(letters) - 1] = (code, text)


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", errors="replace")).strip()


def _worksheet_members(archive: zipfile.ZipFile) -> list[str]:
    return [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _xml_chunks(archive: zipfile.ZipFile, name: str):
    """A member's XML in pieces of about _SCAN_CHUNK bytes, each cut before the start of a cell
    or a row (or else before a "<") so that no tag, and no cell, is split between two pieces."""
    with archive.open(name) as stream:
        tail = b""
        while chunk := stream.read(_SCAN_CHUNK):
            text = tail + chunk
            cut = -1
            for start in _CELL_OR_ROW.finditer(text, max(len(text) - _CUT_SEARCH, 0)):
                cut = start.start()
            if cut <= 0:
                cut = text.rfind(b"<")
            if cut <= 0:
                cut = len(text)
            yield text[:cut]
            tail = text[cut:]
        if tail:
            yield tail


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


# A form docgen generated records the department in a hidden sheet, so a returned form needs no
# 填报单位 column (see documents/forms).
PROPERTIES_SHEET = "docgen"


def _read_properties(workbook, load) -> dict[str, str]:
    if PROPERTIES_SHEET not in workbook.sheet_names:
        return {}
    try:
        rows = load(PROPERTIES_SHEET).to_python()
    except ReadError:
        raise
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
    if _is_encrypted(path, head, exc):
        return "文件已加密（设置了打开密码），docgen 无法读取。请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存，再放回原处。"
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() != ".xls":
        return "文件已加密（设置了打开密码）或是旧版 .xls 文件却用了 .xlsx 扩展名，请取消密码或另存为 .xlsx 后重试。"
    if b"<html" in lowered or b"<!doctype" in lowered or b"<table" in lowered:
        return "文件实际是网页（HTML），不是 Excel 工作簿，请在 Excel 或 WPS 中打开后另存为 .xlsx。"
    if head and not head.startswith(b"PK") and not head.startswith(b"\xd0\xcf\x11\xe0"):
        return "文件不是有效的 Excel 工作簿（可能是改了扩展名的文本文件），请另存为 .xlsx 或 .csv 后重试。"
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        return "文件已损坏或不完整（可能传输中断），请让填报单位重新发送。"
    return f"文件已损坏或无法读取（{exc}），请在 Excel 或 WPS 中打开检查后另存为 .xlsx。"


# What an encrypted workbook holds: Office puts the real file in an OLE2 stream of this name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _is_encrypted(path: Path, head: bytes, exc: Exception) -> bool:
    if type(exc).__name__ == "PasswordError":
        return True
    if not head.startswith(b"\xd0\xcf\x11\xe0"):
        return False
    try:
        with path.open("rb") as handle:
            return _ENCRYPTED_PACKAGE in handle.read(4 * MB)
    except OSError:
        return False


def read_grid(
    path: Path, sheet: str | None = None, limits: ReadLimits | None = None
) -> tuple[str, list[list], list[int], dict, dict]:
    """All cells of one sheet as raw values, with the Excel row number of each row: the sheet's
    name, its rows, their numbers, the properties of a form docgen generated, and the cells of
    an .xlsx whose value cannot be read ((Excel row, 0-based column) -> (code, formula or
    error value); calamine gives "" for them).

    A file over `limits` (default ReadLimits()) is refused before it is read: ReadError with
    the limit's code and a message saying what to do."""
    path = Path(path)
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ReadError(f"不支持的文件类型“{suffix}”，请使用 .xlsx、.xls 或 .csv。")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ReadError("文件是空的（0 字节），请让填报单位重新发送。")
        if size > limits.max_bytes:
            raise ReadError(
                f"文件有 {size / MB:,.1f} MB，超过了可读取的上限 {limits.max_bytes / MB:g} MB"
                "（docgen.toml 中 [limits] 的 max_file_mb）。举措清单和反馈表通常不到 1 MB："
                "请确认没有放错文件，或删去多余的工作表和图片后另存；确需读取时请调高 max_file_mb。",
                "file-too-large",
            )
        if suffix == ".csv":
            return (*_read_csv(path, limits), {}, {})
        return _read_excel(path, sheet, limits)
    except OSError as exc:
        raise ReadError(
            f"无法打开文件（{exc.strerror or exc}），请确认文件没有被其他程序占用。"
        ) from None


def read_table(
    path: Path,
    columns: tuple[Column, ...],
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> Table:
    """Read one sheet, find its header row and return the rows under it, cleaned.

    Rows that are entirely blank are skipped; the rest keep their Excel row numbers. Raises
    ReadError when the file cannot be read, is over `limits`, or no header row is recognisable.
    """
    with _collector_paused():
        return _read_table(Path(path), columns, sheet, limits)


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


def _read_table(
    path: Path, columns: tuple[Column, ...], sheet: str | None, limits: ReadLimits | None
) -> Table:
    sheet_name, grid, numbers, properties, marks = read_grid(path, sheet, limits)
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
        sheet_rows=len(grid),
        title=_title(grid[:header_index]),
    )
    below = grid[header_index + 1 :]
    cleaned = [_clean_column(column) for column in _columns(below, list(positions.values()))]
    blank = ("",) * len(positions)
    rows = list(zip(*cleaned, strict=True))
    kept = [values != blank for values in rows]
    names = list(positions)
    table.rows = list(map(dict, map(zip, repeat(names), compress(rows, kept))))
    table.row_numbers = list(compress(numbers[header_index + 1 :], kept))
    table.unreadable = _unreadable_cells(
        positions, cleaned, numbers[header_index + 1 :], marks, table.header_row
    )
    return table


def table_data(table: Table) -> dict:
    """A Table as JSON-ready data, for the table cache (validation.TableCache): its values
    strings and numbers as they are, dates and times tagged; table_from_data reads it back."""
    names = list(table.positions)
    return {
        "sheet": table.sheet,
        "columns": table.columns,
        "positions": table.positions,
        "rows": [[json_value(row[name]) for name in names] for row in table.rows],
        "row_numbers": table.row_numbers,
        "header_row": table.header_row,
        "properties": table.properties,
        "sheet_rows": table.sheet_rows,
        "title": table.title,
        "unreadable": [[c.row, c.column, c.code, c.text] for c in table.unreadable],
    }


def table_from_data(data: dict, path: Path) -> Table:
    """The Table that table_data gave `data` for, read from `path`."""
    names = list(data["positions"])
    return Table(
        path=path,
        sheet=data["sheet"],
        columns=data["columns"],
        positions=data["positions"],
        rows=records_from_json(names, data["rows"]),
        row_numbers=data["row_numbers"],
        header_row=data["header_row"],
        properties=data["properties"],
        sheet_rows=data["sheet_rows"],
        title=data["title"],
        unreadable=[UnreadableCell(*cell) for cell in data["unreadable"]],
    )


def json_value(value):
    """A cell's or a checked row's value as JSON: text, numbers and None as they are, dates and
    times tagged (from_json reads them back)."""
    if value is None:
        return value
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    raise TypeError(f"a cleaned value of type {type(value).__name__}")


def records_from_json(names: list[str], rows: list[list], values: dict | None = None) -> list[dict]:
    """Rows of JSON values (json_value) as records by `names`, their dates read back. Given
    `values`, each text and date is the one object `values` holds for it (the first met).

    Done column by column: a column without a tagged date or a shared value needs no work
    value by value, which on a province's 30,000 kept rows is most of the cost. Raises
    ValueError when a row has more or fewer values than there are names."""
    if not rows:
        return []
    columns = []
    for column in zip(*rows, strict=True):
        kinds = set(map(type, column))
        if dict in kinds:
            column = list(map(from_json, column))
            kinds = set(map(type, column))
        if values is not None and kinds & _SHARED:
            if kinds <= _SHARED | {type(None)}:
                column = list(map(values.setdefault, column, column))
            else:
                same = values.setdefault
                column = [same(v, v) if type(v) in _SHARED else v for v in column]
        columns.append(column)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


# The values records_from_json shares: of these types exactly (a datetime is not a date here).
_SHARED = frozenset({str, dt.date})


def from_json(value):
    if type(value) is dict:
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        return dt.datetime.fromisoformat(value["datetime"])
    return value


def _title(rows: list[list]) -> str:
    """The text of the first row above the header that holds one filled cell: a sheet's title
    (江淮省地方金融管理局2026年…举措清单), "" when there is none."""
    for row in rows:
        filled = [text for text in map(clean_text, row) if text]
        if len(filled) == 1 and isinstance(filled[0], str):
            return filled[0]
    return ""


def _unreadable_cells(
    positions: dict[str, int], cleaned: list, numbers: list[int], marks: dict, header_row: int
) -> list[UnreadableCell]:
    """The cells of the table's columns below the header that cannot be read: those `marks`
    holds (found in the sheet's XML), and error values stored as text (a CSV export, or an
    error pasted as text), in sheet order."""
    found: dict[tuple[int, int], UnreadableCell] = {}
    for name, values in zip(positions, cleaned, strict=True):
        if any(map(ERROR_VALUES.__contains__, values)):
            for number, value in zip(numbers, values, strict=True):
                if value in ERROR_VALUES:
                    found[number, positions[name]] = UnreadableCell(
                        number, name, ERROR_VALUE, value
                    )
    if marks:
        names = {position: name for name, position in positions.items()}
        for (number, position), (code, text) in marks.items():
            if number > header_row and position in names:
                found[number, position] = UnreadableCell(number, names[position], code, text)
    return [found[key] for key in sorted(found)]


def _columns(rows: list[list], positions: list[int]) -> list:
    """The cells at `positions` of every row, column by column ("" where a row is too short)."""
    if rows and len(set(map(len, rows))) == 1 and len(rows[0]) > max(positions):
        every = list(zip(*rows, strict=True))  # calamine's rows are all as wide as the sheet
        return [every[position] for position in positions]
    return [[cells[pos] if pos < len(cells) else "" for cells in rows] for pos in positions]


def _clean_column(values: list) -> list:
    """clean_value of every cell. When no text in the column needs more than trimming, texts
    are only trimmed, as clean_text would; two quick checks over all of them at once tell."""
    kinds = set(map(type, values))
    texts = values if kinds == {str} else [value for value in values if type(value) is str]
    joined = "|".join(texts)  # "|" is printable and no part of an _xHHHH_ escape
    plain = joined.isprintable() and ("_" not in joined or "_x" not in joined)
    if not plain and NEEDS_CLEANING.search(joined):
        return [clean_value(value) for value in values]
    if kinds == {str}:
        return list(map(str.strip, values, repeat(SURROUNDING_SPACE)))
    if kinds <= {str, dt.date, int}:  # clean_value keeps dates and whole numbers as they are
        return [value.strip(SURROUNDING_SPACE) if type(value) is str else value for value in values]
    if kinds == {float}:  # calamine's numbers: whole ones become int, NaN ""
        return [
            int(value) if value.is_integer() else ("" if value != value else value)
            for value in values
        ]
    return [
        value.strip(SURROUNDING_SPACE) if type(value) is str else clean_value(value)
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
