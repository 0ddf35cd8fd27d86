"""openpyxl helpers shared by the Excel documents (feedback forms, ledger): cells that stay text,
the house styles, print setup and atomic saves."""

import datetime as dt
import io
import re
import weakref
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docgen.files import atomic_write_bytes
from docgen.model import LIGHT_COLOURS
from docgen.rendering import stamp_office_file
from docgen.text import xml_safe

BODY_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="黑体", size=11)
TITLE_FONT = Font(name="黑体", size=16)
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
UNLOCKED = Protection(locked=False)

LIGHT_FILLS = {
    light: PatternFill("solid", fgColor=colour) for light, colour in LIGHT_COLOURS.items()
}


def put(sheet: Worksheet, row: int, column: int, value, *, font=BODY_FONT, align=WRAP, border=GRID):
    """Write one cell. Text is stored as text even when it begins with = + - @, never as a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"
    else:
        cell.value = value
    font_id, alignment_id, border_id = _style_ids(sheet.parent, font, align, border)
    if not cell.has_style:
        cell._style = StyleArray()
    # What `cell.font = font` and the like do, without hashing the style objects every time.
    cell._style.fontId = font_id
    cell._style.alignmentId = alignment_id
    if border_id is not None:
        cell._style.borderId = border_id
    return cell


# workbook -> {(id(font), id(align), id(border)): (font, align, border, their indexes)}
_STYLE_IDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _style_ids(workbook, font, align, border) -> tuple[int, int, int | None]:
    """The workbook's indexes of the style objects, looked up once per workbook and object.

    openpyxl finds them by hashing each style object, attribute by attribute: for a ledger of
    thousands of rows that was most of the time spent building it.
    """
    known = _STYLE_IDS.setdefault(workbook, {})
    key = (id(font), id(align), id(border))
    found = known.get(key)
    if found is None or found[0] is not font or found[1] is not align or found[2] is not border:
        ids = (
            workbook._fonts.add(font),
            workbook._alignments.add(align),
            None if border is None else workbook._borders.add(border),
        )
        found = known[key] = (font, align, border, ids)
    return found[3]


def header_row(sheet: Worksheet, row: int, headers, widths) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        put(sheet, row, column, header, font=HEADER_FONT, align=CENTRE).fill = HEADER_FILL
        sheet.column_dimensions[sheet.cell(row=row, column=column).column_letter].width = width


def title_row(sheet: Worksheet, row: int, text: str, columns: int, font=TITLE_FONT) -> None:
    put(sheet, row, 1, text, font=font, align=CENTRE, border=None)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.row_dimensions[row].height = 30


def landscape_print(sheet: Worksheet, header_rows: str) -> None:
    """A4 landscape, fit to one page wide, header rows repeated on every printed page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def merged_text(sheet: Worksheet, row: int, first: int, last: int, text: str) -> None:
    """A line of text above a form's table, across columns `first` to `last`, without borders."""
    put(sheet, row, first, text, border=None)
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def form_rows(
    sheet: Worksheet,
    header: int,
    rows,
    answers: list[str],
    fill: PatternFill,
    left: tuple[int, ...] = (),
    dates: tuple[str, ...] = (),
) -> None:
    """A form's rows under the header row `header`: each row's given values locked and shaded
    with `fill` (centred, but for the columns in `left`), then the `answers` columns empty and
    open to fill in, the columns named in `dates` formatted as dates."""
    given = 0
    for offset, values in enumerate(rows, start=1):
        row = header + offset
        given = len(values)
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.fill = fill
            if column not in left:
                cell.alignment = CENTRE
        for column, name in enumerate(answers, start=given + 1):
            cell = put(sheet, row, column, None)
            cell.protection = UNLOCKED
            if name in dates:
                cell.number_format = DATE_FORMAT


def date_validation(title: str) -> DataValidation:
    """A check that a cell holds a date (a form's date to fill in), with the message Excel and
    WPS show when it does not."""
    return DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="请填写日期，如 2026-11-26。",
    )


def lock(sheet: Worksheet) -> None:
    """Lock a form's sheet without a password (the point is to stop slips, not to keep anyone
    out); its unlocked cells stay open to fill in, columns and rows can still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def save_workbook(workbook, path: Path, when: dt.datetime | None = None) -> Path:
    """Save through a temporary file and a rename, so a reader never sees half a workbook.

    Given `when` (rendering.document_time), the file carries that time instead of openpyxl's
    clock (zip members, created and modified), so that the same workbook gives the same bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if when is not None:
        data = stamp_office_file(data, when)
    return atomic_write_bytes(path, data)


# ---------------------------------------------------------------------------------------------
# Cells as XML, for the workbooks written from an openpyxl prototype (feedback forms, ledger)

# Text that neither xml_safe nor XML escaping would change: most cells, written as they are.
_AS_IT_IS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff\u2028\u2029&<>]|_x[0-9A-Fa-f]{4}_"
)


def cell_xml(row: int, column: int, style: str, value) -> str:
    """One <c> element as openpyxl writes it for a value put() stored; `style` is the
    attribute as the prototype has it (' s="3"', or '')."""
    reference = f"{get_column_letter(column)}{row}"
    if isinstance(value, str):
        if type(value) is str and not _AS_IT_IS.search(value):
            text = escaped = value
        else:
            text = xml_safe(value)
            escaped = escape(text)
        if not text:
            return f'<c r="{reference}"{style} t="inlineStr"></c>'
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        return f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
    if value is None:
        return f'<c r="{reference}"{style} t="n"></c>'
    if isinstance(
        value, dt.date
    ):  # a date or a datetime, as a serial number (its style formats it)
        value = to_excel(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{reference}"{style} t="n"><v>{safe_string(value)}</v></c>'
    raise TypeError(f"表格单元格不支持 {type(value).__name__} 类型的值")
