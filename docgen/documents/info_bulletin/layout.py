"""工作动态 and 信息专报 (documents.md §12): the 简报-style 报头 with 第N期, 编印单位 and the date,
then 本期要目 and the items (工作动态), or the one item (信息专报), and the 报/送/发 报尾. Every
sentence of an item comes from context.py, built from the department's own words."""

from docx.oxml.ns import qn

from docgen.official.builder import BODY, HEADING1, KAI, OfficialDocument, Run, set_child

DYNAMIC_NAME = "工作动态"
SPECIAL_NAME = "信息专报"


def _item(doc: OfficialDocument, item: str, keep: bool = False) -> None:
    """An item's 导语 and paragraphs; with `keep`, each kept with the next, so that the last item
    goes to the next page with the 报尾 rather than leave the 报尾 alone on a page."""
    lead = doc.paragraph(BODY, Run(f"{{{{ {item}.lead }}}}", KAI))
    with doc.each(f"p in {item}.paragraphs"):
        paragraph = doc.paragraph(BODY, "{{ p }}")
    if keep:
        for element in (lead, paragraph):
            set_child(element.find(qn("w:pPr")), "keepNext")


def build(profile="gb2312") -> OfficialDocument:
    doc = OfficialDocument(profile, title=DYNAMIC_NAME)
    doc.tag(f'set brief_name = "{DYNAMIC_NAME}"')
    doc.brief_header(editor="{{ editor }}", date="{{ date|date_cn }}")
    doc.title("{{ campaign }}亮点")
    doc.blank()
    doc.paragraph(HEADING1, "本期要目")
    with doc.each("i in items"):
        doc.body_text("{{ loop.index }}.{{ i.title }}")
    doc.blank()
    with doc.each("i in items[:-1]"):
        doc.paragraph(HEADING1, "{{ i.title }}")
        _item(doc, "i")
    with doc.each("i in items[-1:]"):
        doc.paragraph(HEADING1, "{{ i.title }}")
        _item(doc, "i", keep=True)
    doc.brief_footer()
    return doc


def build_special(profile="gb2312") -> OfficialDocument:
    doc = OfficialDocument(profile, title=SPECIAL_NAME)
    doc.tag(f'set brief_name = "{SPECIAL_NAME}"')
    doc.brief_header(editor="{{ editor }}", date="{{ date|date_cn }}")
    with doc.each("i in items"):
        doc.title("{{ i.title }}")
        doc.blank()
        _item(doc, "i", keep=True)
    doc.brief_footer()
    return doc
