import datetime as dt

import pytest
from conftest import write_sheet
from openpyxl import Workbook

from docgen.loading import (
    ERROR_VALUE,
    FORMULA_WITHOUT_VALUE,
    ReadError,
    UnreadableCell,
    column_letter,
    read_table,
)
from docgen.model import FEEDBACK_COLUMNS, MEASURE_COLUMNS
from docgen.text import clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        (float("nan"), ""),
        ("  编号 ", "编号"),
        ("\u3000\u3000办公室\u3000", "办公室"),  # full-width spaces
        ("第一行_x000D_\n第二行", "第一行\n第二行"),  # Excel's escape for CR
        ("换行_x000B_之后", "换行\n之后"),
        ("a\x0bb", "a\nb"),
        ("响铃\x07字符", "响铃字符"),
        ("a\r\nb", "a\nb"),
        (3.0, "3"),
        (2.5, "2.5"),
        (dt.datetime(2026, 3, 1), "2026-03-01"),
        ("行尾空格   \n  行首空格", "行尾空格\n行首空格"),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_header_found_below_merged_title_and_blank_rows(tmp_path):
    path = write_sheet(
        tmp_path / "m.xlsx",
        ["序号", "工作类别", "整改措施", "牵头单位", "整改时限"],
        [["1", "警示教育", "召开大会", "办公室", dt.date(2026, 3, 31)]],
        title="2026年举措清单",
    )
    table = read_table(path, MEASURE_COLUMNS)
    assert table.header_row == 3  # title on row 1, blank row 2
    assert table.columns == {
        "编号": "序号",
        "专项": "工作类别",
        "具体举措": "整改措施",
        "牵头部门": "牵头单位",
        "完成时限": "整改时限",
    }
    assert table.row_numbers == [4]
    assert table.rows[0]["完成时限"] == dt.date(2026, 3, 31)
    assert table.rows[0]["编号"] == "1"


def test_canonical_header_beats_generic_synonym(tmp_path):
    # A form with both a running 序号 and the real 举措编号: 编号 must be the latter.
    path = write_sheet(
        tmp_path / "f.xlsx",
        ["序号", "举措编号", "填报单位", "完成状态"],
        [[1, "JS-01", "办公室", "已完成"]],
    )
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.rows[0]["编号"] == "JS-01"
    assert column_letter(table.positions["编号"]) == "B"


def test_headers_with_spaces_stars_and_line_breaks(tmp_path):
    path = write_sheet(
        tmp_path / "f.xlsx",
        [" 编 号 ", "填报单位*", "完成\n状态", "进展情况（简要）"],
        [["JS-01", "办公室", "已完成", "已完成"]],
    )
    table = read_table(path, FEEDBACK_COLUMNS)
    assert set(table.columns) == {"编号", "填报单位", "完成状态", "进展情况"}


def test_a_note_in_brackets_may_run_over_lines(tmp_path):
    # As the Word form heads it, typed into a cell with Alt+Enter inside the brackets.
    path = write_sheet(
        tmp_path / "f.xlsx",
        ["编号", "填报单位", "完成状态", "下步计划\n（写明\n预计完成时间）"],
        [["JS-01", "办公室", "推进中", "12月10日前完成"]],
    )
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.columns["下步计划"] == "下步计划\n（写明\n预计完成时间）"
    assert table.rows[0]["下步计划"] == "12月10日前完成"


def test_blank_rows_skipped_and_row_numbers_kept(tmp_path):
    path = write_sheet(
        tmp_path / "f.xlsx",
        ["编号", "填报单位", "完成状态"],
        [["JS-01", "办公室", "已完成"], [None, None, None], ["JS-02", "办公室", "推进中"]],
    )
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.row_numbers == [2, 4]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "f.csv"
    text = "自查反馈表,,\n编号,填报单位,完成状态\nJS-01,办公室,已完成\n"
    path.write_bytes(text.encode(encoding))
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.header_row == 2
    assert table.rows == [{"编号": "JS-01", "填报单位": "办公室", "完成状态": "已完成"}]
    assert table.row_numbers == [3]


def test_csv_row_numbers_count_line_breaks_inside_cells(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(
        '编号,填报单位,完成状态,进展情况\nJS-01,办公室,推进中,"第一行\n第二行"\nJS-02,办公室,已完成,\n',
        "utf-8",
    )
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.row_numbers == [2, 4]
    assert table.rows[0]["进展情况"] == "第一行\n第二行"


def test_named_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表用于……"])
    other = workbook.create_sheet("清单")
    other.append(["编号", "填报单位", "完成状态"])
    other.append(["JS-01", "办公室", "已完成"])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    assert read_table(path, FEEDBACK_COLUMNS, sheet="清单").sheet == "清单"
    with pytest.raises(ReadError, match="找不到名为“不存在”的工作表"):
        read_table(path, FEEDBACK_COLUMNS, sheet="不存在")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "空的"),
        ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 40, "损坏"),
        ("really-csv.xlsx", "编号,状态\nJS-01,已完成\n".encode(), "不是有效的 Excel"),
        ("web-page.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
        ("encrypted.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "加密"),
        ("notes.txt", b"hello", "不支持的文件类型"),
        ("no-header.xlsx", None, "找不到表头"),
    ],
)
def test_unreadable_files_say_why(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        write_sheet(path, ["甲", "乙"], [["1", "2"]])
    else:
        path.write_bytes(content)
    with pytest.raises(ReadError, match=message):
        read_table(path, FEEDBACK_COLUMNS)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_legacy_xls(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("反馈表")
    sheet.write_merge(0, 0, 0, 3, "2026年自查反馈表")
    for column, header in enumerate(["编号", "填报单位", "完成状态", "完成时间"]):
        sheet.write(2, column, header)
    for column, value in enumerate(["JS-01", "办公室", "已完成"]):
        sheet.write(3, column, value)
    sheet.write(3, 3, dt.date(2026, 3, 20), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    book.save(str(tmp_path / "legacy.xls"))
    table = read_table(tmp_path / "legacy.xls", FEEDBACK_COLUMNS)
    assert table.sheet == "反馈表"
    assert table.row_numbers == [4]
    assert table.rows == [
        {
            "编号": "JS-01",
            "填报单位": "办公室",
            "完成状态": "已完成",
            "完成时间": dt.date(2026, 3, 20),
        }
    ]


# --- cells that cannot be read --------------------------------------------------------------


def _form_with(tmp_path, cells: dict, name="f.xlsx"):
    """A returned form (header on row 1, two rows) with `cells` ("D2": value) set by openpyxl,
    which saves a formula without its result, as a program that writes workbooks does."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编号", "填报单位", "完成状态", "进展情况"])
    sheet.append(["JS-01", "办公室", "已完成", "已召开大会"])
    sheet.append(["JS-02", "办公室", "推进中", "已制定计划"])
    for reference, value in cells.items():
        sheet[reference] = value
    path = tmp_path / name
    workbook.save(path)
    return path


def _with_sheet_xml(path, replace: dict[bytes, bytes]):
    """The workbook at `path` with parts of its sheet's XML replaced, as Excel or WPS would
    have saved them."""
    import zipfile

    copy = path.with_name(f"saved-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in replace.items():
                    assert old in data, old
                    data = data.replace(old, new)
            target.writestr(item, data)
    return copy


def test_a_formula_saved_without_its_value_is_located(tmp_path):
    path = _form_with(tmp_path, {"D3": '=A2&"、"&A3', "C2": "=IF(1>0,B2)"})
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.unreadable == [
        UnreadableCell(2, "完成状态", FORMULA_WITHOUT_VALUE, "=IF(1>0,B2)"),
        UnreadableCell(3, "进展情况", FORMULA_WITHOUT_VALUE, '=A2&"、"&A3'),
    ]
    # The cells read as "" — which is why they are listed, and never taken for empty ones.
    assert table.rows[0]["完成状态"] == "" and table.rows[1]["进展情况"] == ""


@pytest.mark.parametrize(
    "error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]
)
def test_an_error_value_is_located(tmp_path, error):
    path = _form_with(tmp_path, {"C3": error})  # openpyxl stores these as error cells
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.unreadable == [UnreadableCell(3, "完成状态", ERROR_VALUE, error)]


def test_an_error_value_exported_to_csv_is_located(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("编号,填报单位,完成状态\nJS-01,办公室,已完成\nJS-02,办公室,#N/A\n", "utf-8")
    table = read_table(path, FEEDBACK_COLUMNS)
    assert table.unreadable == [UnreadableCell(3, "完成状态", ERROR_VALUE, "#N/A")]


def test_a_formula_with_its_saved_value_is_read_as_that_value(tmp_path):
    path = _form_with(tmp_path, {"A3": '="JS-"&"02"', "D2": "=1+2"})
    saved = _with_sheet_xml(
        path,
        {
            b'<f>"JS-"&amp;"02"</f><v></v>': b'<f>"JS-"&amp;"02"</f><v>JS-02</v>',
            b"<f>1+2</f><v></v>": b"<f>1+2</f><v>3</v>",
        },
    )
    saved = _with_sheet_xml(saved, {b'<c r="A3">': b'<c r="A3" t="str">'})
    table = read_table(saved, FEEDBACK_COLUMNS)
    assert table.unreadable == []
    assert table.rows[0]["进展情况"] == 3
    assert table.rows[1]["编号"] == "JS-02"


def test_a_formula_whose_saved_value_is_empty_text_is_empty(tmp_path):
    path = _form_with(tmp_path, {"D3": '=""'})
    saved = _with_sheet_xml(path, {b'<c r="D3">': b'<c r="D3" t="str">'})
    table = read_table(saved, FEEDBACK_COLUMNS)
    assert table.unreadable == []
    assert table.rows[1]["进展情况"] == ""


def test_a_shared_formula_without_its_value_is_located(tmp_path):
    path = _form_with(tmp_path, {"D2": "=1", "D3": "=2"})
    shared = _with_sheet_xml(
        path, {b'<c r="D3"><f>2</f><v></v></c>': b'<c r="D3"><f t="shared" si="0"/></c>'}
    )
    table = read_table(shared, FEEDBACK_COLUMNS)
    assert [(c.row, c.column, c.text) for c in table.unreadable] == [
        (2, "进展情况", "=1"),
        (3, "进展情况", ""),
    ]


def test_unreadable_cells_outside_the_table_are_not_its_concern(tmp_path):
    # A formula in a column docgen does not read, and one in the title above the header.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(['=CONCAT("2026年","反馈表")'])
    sheet.append(["编号", "填报单位", "完成状态", "备用"])
    sheet.append(["JS-01", "办公室", "已完成", "=NOW()"])
    sheet.append(["JS-02", "办公室", "推进中", "#N/A"])
    workbook.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx", FEEDBACK_COLUMNS)
    assert table.header_row == 2
    assert table.unreadable == []


def test_formulas_are_found_across_the_pieces_a_long_sheet_is_read_in(tmp_path, monkeypatch):
    import docgen.loading as loading

    monkeypatch.setattr(loading, "_SCAN_CHUNK", 256)  # a cell is cut by every piece's end
    rows = [[f"JS-{n:03}", "办公室", "推进中", f"=ROW()*{n}"] for n in range(200)]
    path = write_sheet(tmp_path / "f.xlsx", ["编号", "填报单位", "完成状态", "进展情况"], rows)
    table = read_table(path, FEEDBACK_COLUMNS)
    assert [cell.row for cell in table.unreadable] == list(range(2, 202))
    assert table.unreadable[-1].text == "=ROW()*199"
