"""督导抽查记录表 (Word, documents.md §11.1): a stream lead's sampled assignments as a landscape
table to print, check by hand and sign; the Excel sheet (sheets.py) carries the same rows.

Built like the Word 反馈表 (documents/feedback_form/layout.py): text and one table, no images, no
subdocuments; the table header repeats on every page and rows never split. The claim columns
come from the sample, the four check columns are left empty, each row tall enough to write in.
"""

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.official import geometry as g
from docgen.official.builder import ANCHOR, FORM_LINE, Column, OfficialDocument, add_tab, set_child

TEMPLATE = "spot_check_record.docx"

# 225 mm wide: the landscape type area (297 − 35 − 37).
TYPE_WIDTH_MM = g.PAGE_HEIGHT_MM - g.LANDSCAPE_MARGINS_MM["left"] - g.LANDSCAPE_MARGINS_MM["right"]
# A 小四 character is 4.23 mm and a cell's margins 2.4 mm: a column of n characters a line is
# 4.23 n + 2.4 mm. 序号 needs 11 mm, an id such as XC-076 18 (kept on one line), a department or a reason four
# characters a line 19.5, the evidence five 23.6; the completion date goes on two lines (2026年 /
# 11月26日, 4.5 字 with the space set between digits and characters), 22. The measure, eight
# characters a line, keeps most rows to six lines. What is left, 73 mm, goes to the columns
# written by hand: 核查方式 four characters a line, 核查结果 two ("基本/属实"), 发现的问题 and
# 整改要求 the widest; rows are 25 mm or more, so each leaves room for a few lines by hand.
COLUMNS = (
    Column("序号", "{{ loop.index }}", 11),
    Column("编号", "{{ row.id|nobreak }}", 18),
    Column("具体举措", "{{ row.text }}", 38, align="left"),
    Column("责任部门", "{{ row.department }}", 19.5),
    Column(
        "报称完成\n时间",
        "{% if row.completed_on %}{{ row.completed_on.year }}年\n"
        "{{ row.completed_on|month_day_cn }}{% else %}未填写{% endif %}",
        22,
    ),
    Column("报称佐证\n材料", "{{ row.evidence }}", 23.6, align="left"),
    Column("抽取原因", "{{ row.reasons }}", 19.5),
    Column("核查方式", "", 19.5, align="left"),
    Column("核查\n结果", "", 12.4),
    Column("发现的\n问题", "", 22, align="left"),
    Column("整改要求", "", 19.5, align="left"),
)
ROW_MIN_TWIPS = g.mm_to_twips(25)

# 专项 at the left, 抽查单位 from a tab stop 8 字 in, the date to fill by hand at the right
# margin. A lead whose name is wider than 4.5 字 would push the date past the margin: the date
# then goes on a line of its own, still at the right.
HEAD_TAB_CHARS = 8
HEAD_LINE = (
    "专项：{{ stream }}\t抽查单位（牵头部门）：{{ checker }}"
    "{% if checker|text_width > 4.5 %}\n\t{% endif %}"
    "\t抽查日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
)
# Zero clauses dropped (domain.md): no "随机抽取0项", no "另含……0项".
BASIS_LINE = (
    "抽样说明：截至{{ as_of|date_cn }}，"
    "{% if random_count %}"
    "按随机数种子{{ seed }}从已完成的{{ pool }}项中随机抽取{{ random_count }}项"
    "{% if risk_count %}，另含未填佐证材料或逾期完成的{{ risk_count }}项，"
    "共{{ rows|length }}项{% endif %}"
    "{% elif risk_count %}"
    "已完成的{{ pool }}项中，未填佐证材料或逾期完成的{{ risk_count }}项全部列入抽查"
    "{% else %}已完成的{{ pool }}项本次未抽取{% endif %}。"
)
INSTRUCTIONS = (
    "填表说明：核查方式填写听取汇报、查阅资料、实地查看、个别访谈，可填多种；"
    "核查结果填写属实、基本属实或不属实；基本属实、不属实的，写明发现的问题和整改要求。"
    "{% if checker != office %}本表经督导组成员签字后报送{{ office }}。{% endif %}"
)
# The last row of the table, across all columns: room to sign, the date at the bottom right.
SIGN_LABEL = "督导组成员签字："
SIGN_DATE = "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
SIGN_ROW_MIN_TWIPS = g.mm_to_twips(30)


def build(profile="gb2312") -> OfficialDocument:
    """The Word 督导抽查记录表: title, stream, checker and date, the basis and the
    instructions, the table, whose last row is for the checkers' signatures."""
    doc = OfficialDocument(profile, landscape=True, title="督导抽查记录表")
    doc.title("督导抽查记录表")
    doc.blank()
    head = doc.paragraph(FORM_LINE, HEAD_LINE).find(qn("w:pPr"))
    add_tab(head, "left", HEAD_TAB_CHARS * (g.CHAR_TWIPS + g.CHAR_SPACING_TWIPS))
    add_tab(head, "right", g.mm_to_twips(TYPE_WIDTH_MM))
    doc.paragraph(FORM_LINE, BASIS_LINE)
    doc.paragraph(FORM_LINE, INSTRUCTIONS)
    table = doc.table(COLUMNS, "row in rows[:-1]")
    body_row = table.findall(qn("w:tr"))[2]
    set_child(body_row.find(qn("w:trPr")), "trHeight", {"val": ROW_MIN_TWIPS, "hRule": "atLeast"})
    keep_last_row_with_signature(table)
    signature_row(table)
    # Word needs a paragraph after a table that ends the document; 1 pt high.
    doc.paragraph(ANCHOR)
    return doc


def keep_last_row_with_signature(table) -> None:
    """The last row in a loop of its own, its paragraphs kept with the next (Word and WPS keep
    the row with the signature row then; LibreOffice 7.4 ignores it).

    The rows doc.table makes are the header, the {%tr for %} row, the body row and the
    {%tr endfor %} row; the loop takes every row but the last, and a copy of the three takes the
    last (rows[-1:], so an empty sample writes no row), numbered by the length of the list."""
    _, loop, body, end = table.findall(qn("w:tr"))
    last_loop, last_body, last_end = (copy.deepcopy(row) for row in (loop, body, end))
    _first_text(last_loop).text = "{%tr for row in rows[-1:] %}"
    _first_text(last_body).text = "{{ rows|length }}"
    for p in last_body.iter(qn("w:p")):
        set_child(p.find(qn("w:pPr")), "keepNext")
    end.addnext(last_loop)
    last_loop.addnext(last_body)
    last_body.addnext(last_end)


def signature_row(table) -> None:
    """督导组成员签字 as the table's last row, one cell across every column, never split: on a
    page of its own it still has the table's header above it, never a line alone."""
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    tr.append(trpr)
    set_child(trpr, "cantSplit")
    set_child(trpr, "trHeight", {"val": SIGN_ROW_MIN_TWIPS, "hRule": "atLeast"})
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tc.append(tcpr)
    set_child(tcpr, "tcW", {"w": g.mm_to_twips(TYPE_WIDTH_MM), "type": "dxa"})
    set_child(tcpr, "gridSpan", {"val": len(COLUMNS)})
    set_child(tcpr, "vAlign", {"val": "top"})
    tr.append(tc)
    for text, align in ((SIGN_LABEL, "left"), ("", "left"), (SIGN_DATE, "right")):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        p.append(ppr)
        set_child(ppr, "pStyle", {"val": FORM_LINE.style_id})
        set_child(ppr, "jc", {"val": align})
        if text:
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
            p.append(r)
        tc.append(p)
    table.append(tr)


def _first_text(row):
    return next(row.iter(qn("w:t")))
