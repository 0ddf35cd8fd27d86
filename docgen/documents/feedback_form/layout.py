"""反馈表 (Word): a department's assignments as a landscape form to print, fill in by hand, sign
and stamp; the Excel form (workbook.py) carries the same rows for returning.

Generated for every department in one batch, so the template stays plain: text and one table,
no images, no subdocuments. The table header repeats on every page and rows never split; the
answer columns are left empty, each row tall enough to write in.
"""

from docx.oxml.ns import qn

from docgen.official import geometry as g
from docgen.official.builder import FORM_LINE, Column, OfficialDocument, add_tab, set_child

# A 2号 line of the landscape type area holds 29 字: the organ and year on the first line unless
# the whole title fits, so that no line breaks inside a word.
TITLE = (
    "{{ org }}{{ year }}年{% if org|text_width > 3 %}\n{% endif %}"
    "警示教育、以案促改和巡察整改工作自查反馈表"
)

# 225 mm wide: the landscape type area (297 − 35 − 37).
TYPE_WIDTH_MM = g.PAGE_HEIGHT_MM - g.LANDSCAPE_MARGINS_MM["left"] - g.LANDSCAPE_MARGINS_MM["right"]
# The answer columns in the Excel form's order and under its headers (workbook.ANSWERS), so that
# a table typed out from the paper reads back as the spreadsheet does. There is no input column
# for an expected date: an open item's goes in 下步计划, as both forms say, and the reports read
# it from there (self_check.context.late_plan); the reader drops the note in brackets
# (loading._HEADER_NOTE, which does not reach across a line break, so the note wraps by itself).
# 填报人 and 填报日期, one per form on paper, are the signature lines.
# The measure in lines of about ten characters; the answer columns narrow but tall (rows are
# 18 mm or more), their four-character headers broken in the middle rather than before the last
# character. A 小四 character is 4.23 mm and a cell's margins 2.4 mm: two characters a line need
# 11 mm (序号; 亮点经验, which most rows leave empty), 进展情况 on one line 20, YA-001 17;
# 12月31日 needs 24, as LibreOffice spaces digits out beside Chinese (at 21 the 日 wraps), and
# so does the note in lines of five characters ("（写明预计", "完成时间）").
COLUMNS = (
    Column("序号", "{{ loop.index }}", 11),
    Column("编号", "{{ row.id }}", 17),
    Column("专项", "{{ row.stream }}", 12),
    Column("具体举措", "{{ row.text }}", 41, align="left"),
    Column("承担方式", "{{ row.role }}", 12),
    # The year on one line and the day on the next: the column is too narrow for a full date.
    Column(
        "完成时限",
        "{% if row.deadline_on %}{{ row.deadline_on.year }}年\n{{ row.deadline_on|month_day_cn }}"
        "{% else %}{{ row.deadline }}{% endif %}",
        24,
    ),
    Column("完成状态", "", 12),
    Column("进展情况", "", 20, align="left"),
    Column("完成\n时间", "", 12),
    Column("佐证\n材料", "", 14, align="left"),
    Column("亮点\n经验", "", 11, align="left"),
    Column("存在\n问题", "", 14, align="left"),
    Column("下步计划\n（写明预计完成时间）", "", 25, align="left"),
)
# Room to write by hand in a row whose measure is short (about four lines of 小四).
ROW_MIN_TWIPS = g.mm_to_twips(18)

HEAD_LINE = "填报单位（盖章）：{{ department }}\t请于{{ due|date_cn }}前报送{{ office }}"
COUNT_LINE = (
    "本单位承担举措{{ rows|length }}项"
    "{% if n_lead and n_support %}，其中牵头{{ n_lead }}项、配合{{ n_support }}项"
    "{% elif n_lead %}，均为牵头{% else %}，均为配合{% endif %}。"
)
INSTRUCTIONS = (
    "填报说明：完成状态填写已完成、推进中、未启动或长期坚持之一；已完成的填写完成时间，"
    "佐证材料写明名称和份数；有可推广的典型做法的，在亮点经验中简要写明做法和成效，没有的不填；"
    "推进中、未启动的写明存在问题，下步计划写明措施和预计完成时间（具体到日）。"
    "本表经单位负责人签字、加盖公章后，于{{ due|date_cn }}前报送{{ office }}，"
    "电子版请使用同名 Excel 表填报。"
)
# The second item of each signature line starts at the same tab stop, so the two lines align.
SIGN_LINES = (
    "填报人：\t联系电话：",
    "单位负责人（签字）：\t填报日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",
)
SIGN_TAB_MM = 120


def build(profile="gb2312") -> OfficialDocument:
    """The Word 反馈表: title, department and return date, the table, instructions, signatures."""
    doc = OfficialDocument(profile, landscape=True, title="反馈表")
    doc.title(TITLE)
    doc.blank()
    head = doc.paragraph(FORM_LINE, HEAD_LINE)
    add_tab(head.find(qn("w:pPr")), "right", g.mm_to_twips(TYPE_WIDTH_MM))
    doc.paragraph(FORM_LINE, COUNT_LINE)
    table = doc.table(COLUMNS, "row in rows")
    body_row = table.findall(qn("w:tr"))[2]
    set_child(body_row.find(qn("w:trPr")), "trHeight", {"val": ROW_MIN_TWIPS, "hRule": "atLeast"})
    # The instructions and the signature lines stay together on one page.
    for p in (doc.paragraph(FORM_LINE, INSTRUCTIONS), doc.paragraph(FORM_LINE)):
        set_child(p.find(qn("w:pPr")), "keepNext")
        set_child(p.find(qn("w:pPr")), "keepLines")
    for index, line in enumerate(SIGN_LINES):
        ppr = doc.paragraph(FORM_LINE, line).find(qn("w:pPr"))
        add_tab(ppr, "left", g.mm_to_twips(SIGN_TAB_MM))
        if index < len(SIGN_LINES) - 1:
            set_child(ppr, "keepNext")
    return doc
