import datetime as dt

import pytest
from conftest import write_sheet
from openpyxl import Workbook

from docgen.loading import ReadError, column_letter, read_table
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
