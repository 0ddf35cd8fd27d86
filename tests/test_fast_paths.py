"""The shortcuts taken for speed give what the long way gives, for any text.

Each shortcut answers the common case early (text with nothing to change); these tests hold it
to the reference written out in full: rendering.environment.finalize, text.clean_text, loading's
column-wise cleaning and header matching, workbooks.put.
"""

import datetime as dt
import io
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape
from openpyxl import Workbook, load_workbook

from docgen import loading, workbooks
from docgen.model import FEEDBACK_COLUMNS, MEASURE_COLUMNS
from docgen.rendering.environment import finalize
from docgen.text import SURROUNDING_SPACE, clean_text, xml_safe

# Characters that each take some branch: controls, line breaks, XML specials, braces, the
# _xHHHH_ escape, surrogates and non-characters, full-width and non-breaking spaces, CJK, emoji.
ALPHABET = st.sampled_from(
    list("\x00\x01\x07\x08\t\n\x0b\x0c\r\x0e\x1f\x7f\x85\x9f &<>\"'{}%_x0B9aAfF编号中")
    + ["\u3000", "\xa0", "\u2028", "\u2029", "\ufffe", "\uffff", "\ud800", "😀", "𠮷"]
)
TEXTS = st.text(ALPHABET, max_size=30) | st.sampled_from(["_x000B_", "_x0041_", "_x005F_x000B_"])


def finalize_the_long_way(value):
    escaped = str(escape(xml_safe(value)))
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))


@given(TEXTS)
@settings(max_examples=400)
def test_finalize_of_text(text):
    assert escape(finalize(text)) == finalize_the_long_way(text)


def test_finalize_of_other_values():
    for value in (0, 7, -3, True, 2.0, 2.5, math.nan, None, dt.date(2026, 3, 5), Markup("<b>")):
        expected = value if isinstance(value, Markup) else finalize_the_long_way(value)
        printed = escape(finalize(value))  # as a template prints it
        assert type(printed) is Markup and printed == expected, value


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean_text_the_long_way(value: str) -> str:
    text = None
    while text != value:  # clean_text's steps 1 and 2, until nothing changes
        text = value
        value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
        for line_break in ("\r\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029"):
            value = value.replace(line_break, "\n")
        value = _CONTROL.sub("", value)
    space = SURROUNDING_SPACE
    return "\n".join(line.strip(space) for line in text.split("\n")).strip(space)


@given(TEXTS)
@settings(max_examples=400)
def test_clean_text(text):
    assert clean_text(text) == clean_text_the_long_way(text)


CELLS = TEXTS | st.none() | st.floats(allow_nan=True) | st.integers() | st.dates()


@given(st.lists(CELLS, max_size=40))
@settings(max_examples=300)
def test_a_column_is_cleaned_as_each_of_its_cells(values):
    cleaned = loading._clean_column(list(values))
    expected = [loading.clean_value(value) for value in values]
    assert len(cleaned) == len(expected)
    for got, want in zip(cleaned, expected, strict=True):
        assert got == want or (got != got and want != want)  # NaN never survives, but be exact
        assert type(got) is type(want)


@given(st.lists(st.lists(TEXTS, max_size=6), max_size=8), st.lists(st.integers(0, 7), max_size=4))
def test_columns_of_ragged_and_even_rows(rows, positions):
    positions = positions or [0]
    expected = [[r[p] if p < len(r) else "" for r in rows] for p in positions]
    assert [list(c) for c in loading._columns(rows, positions)] == expected
    even = [row + [""] * (8 - len(row)) for row in rows]
    expected = [[r[p] for r in even] for p in positions]
    assert [list(c) for c in loading._columns(even, positions)] == expected


def match_header_the_long_way(cells, columns):
    keys = [loading._header_key(cell) if isinstance(cell, str) else "" for cell in cells]
    found, taken = {}, set()
    for rank in range(max(len(c.headers) for c in columns)):
        for column in columns:
            if column.name in found or rank >= len(column.headers):
                continue
            for position, key in enumerate(keys):
                if key == column.headers[rank] and position not in taken:
                    found[column.name] = position
                    taken.add(position)
                    break
    return found


HEADERS = st.sampled_from(
    [h for c in (*FEEDBACK_COLUMNS, *MEASURE_COLUMNS) for h in c.headers]
    + ["编 号", "编号（必填）", "*完成状态", "单位：", "", "其他", "存在问题"]
)


@given(st.lists(HEADERS | TEXTS | st.none(), max_size=12))
def test_header_matching(cells):
    for columns in (FEEDBACK_COLUMNS, MEASURE_COLUMNS):
        assert loading.match_header(cells, columns) == match_header_the_long_way(cells, columns)


def test_read_table_keeps_blank_rows_out_and_row_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["反馈表"])
    sheet.append(["编号", "填报单位", "完成状态", "进展情况"])
    sheet.append(["JS-01", "办公室", "已完成", "  有空格  "])
    sheet.append([None, None, None, None])
    sheet.append(["JS-02", "人事处", "推进中", "换行\r\n第二行_x000B_"])
    sheet.append([3.0, "财务处", "未启动", dt.datetime(2026, 3, 5)])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    table = loading.read_table(path, FEEDBACK_COLUMNS)
    assert table.row_numbers == [3, 5, 6]
    assert [row["进展情况"] for row in table.rows] == [
        "有空格",
        "换行\n第二行",
        dt.date(2026, 3, 5),
    ]
    assert table.rows[2]["编号"] == 3


def test_put_gives_the_styles_openpyxl_assignment_gives():
    def styles(fill) -> list:
        workbook = Workbook()
        sheet = workbook.active
        for row in range(1, 4):
            fill(sheet, row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        cells = load_workbook(buffer)["Sheet"]
        return [
            (c.value, c.data_type, repr(c.font), repr(c.alignment), repr(c.border))
            for row in cells.iter_rows()
            for c in row
        ]

    def by_put(sheet, row):
        workbooks.put(sheet, row, 1, "=A1")
        workbooks.put(sheet, row, 2, 3, font=workbooks.HEADER_FONT, align=workbooks.CENTRE)
        workbooks.put(sheet, row, 3, "x", border=None)

    def by_assignment(sheet, row):
        for column, value, font, align, border in (
            (1, "=A1", workbooks.BODY_FONT, workbooks.WRAP, workbooks.GRID),
            (2, 3, workbooks.HEADER_FONT, workbooks.CENTRE, workbooks.GRID),
            (3, "x", workbooks.BODY_FONT, workbooks.WRAP, None),
        ):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            cell.font, cell.alignment = font, align
            if border is not None:
                cell.border = border

    assert styles(by_put) == styles(by_assignment)


@given(TEXTS)
def test_special_positions(text):
    from docgen.rendering.prepared import _special_positions

    assert _special_positions(text) == [m.start() for m in re.finditer("[\t\a\n\f]", text)]


FRAGMENTS = st.sampled_from(
    [
        "<w:p>",
        '<w:p w:rsidR="1">',
        '<w:p w:rsidR="2"/>',
        "<w:p/>",
        "</w:p>",
        "<w:pPr><w:jc/></w:pPr>",
        "<w:r>",
        "<w:rPr><w:b/></w:rPr>",
        "<w:t>",
        '<w:t xml:space="preserve">',
        "</w:t>",
        "</w:r>",
        "<w:tab/>",
        "字",
        "\n",
        "\t",
        "\a",
        "\f",
    ]
)


@given(st.lists(FRAGMENTS, max_size=40))
@settings(max_examples=500)
def test_resolving_line_breaks_as_docxtpl_does(fragments):
    from docxtpl import DocxTemplate

    from docgen.rendering.prepared import _PreparingTemplate

    xml = "".join(fragments)
    template = object.__new__(_PreparingTemplate)
    template._resolved = {}
    assert template.resolve_listing(xml) == DocxTemplate.resolve_listing(None, xml)
