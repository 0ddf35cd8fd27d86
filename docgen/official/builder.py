"""Build GB/T 9704-2012 document templates by code.

`OfficialDocument` is a small library: each method appends one element of an official document
(红头, 标题, 主送, body text, 附件说明, 署名 and 成文日期, 版记, 简报 报头/报尾, tables) with a
named paragraph style per role. Text may hold docxtpl/Jinja tags; `when()` and `each()` wrap
elements in `{%p if %}` / `{%p for %}` paragraphs, and `table()` loops rows with `{%tr for %}`.

Every style and every run carries an explicit East Asian font with the eastAsia hint, so that
Chinese text and the ambiguous-width punctuation (“”—…) never fall back to a theme or Latin font.
"""

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

from docgen.files import atomic_write_bytes
from docgen.fonts import font_profile
from docgen.official import geometry as g

# Schema order of the children we write; Word rejects out-of-order properties.
_ORDER = {
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    "rPr": [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ],
    "tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
    ],
    "trPr": [
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
    ],
    "tcPr": [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ],
    "sectPr": [
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
}


def set_child(parent, tag: str, attrs: dict | None = None):
    """Replace or add the child w:<tag> of a property element, in schema order."""
    order = _ORDER[parent.tag.split("}")[1]]
    existing = parent.find(qn(f"w:{tag}"))
    if existing is not None:
        parent.remove(existing)
    child = OxmlElement(f"w:{tag}")
    for key, value in (attrs or {}).items():
        child.set(qn(f"w:{key}"), str(value))
    position = order.index(tag)
    for index, sibling in enumerate(parent):
        name = sibling.tag.split("}")[1] if "}" in sibling.tag else ""
        if name in order and order.index(name) > position:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def set_fonts(rpr, name: str, latin: str | None = None) -> None:
    """All four font slots and the eastAsia hint (python-docx's font.name sets only two)."""
    latin = latin or name
    set_child(
        rpr,
        "rFonts",
        {"ascii": latin, "hAnsi": latin, "eastAsia": name, "cs": latin, "hint": "eastAsia"},
    )


# ---------------------------------------------------------------------------------------------
# Roles: one named style per element of an official document


@dataclass(frozen=True)
class Role:
    """A paragraph style: what an element of the document looks like."""

    style_id: str
    name: str
    font: str  # a FontProfile attribute: fangsong, kaiti, heiti, xiaobiaosong, songti
    size_pt: float = g.BODY_PT
    align: str = "both"
    first_line: int = 0  # twips; negative for a hanging indent
    left: int = 0
    right: int = 0
    line: int | None = g.LINE_PITCH_TWIPS  # exact line height in twips, None for single
    char_spacing: int = g.CHAR_SPACING_TWIPS
    color: str | None = None
    keep_next: bool = False
    latin: bool = True  # digits in the profile's Latin font (page numbers use 宋体 throughout)
    right_tab: int | None = None  # a right-aligned tab stop, twips from the left of the type area


@dataclass(frozen=True)
class CharRole:
    """A character style, for a heading lead-in or a 签发人 name inside a paragraph."""

    style_id: str
    name: str
    font: str


CHAR = g.CHAR_TWIPS
# Normal underlies every style (and table cells, footers): body font and pitch, no indent.
NORMAL = Role("Normal", "Normal", "fangsong")
BODY = Role("GwBody", "公文正文", "fangsong", first_line=2 * CHAR)
TITLE = Role(
    "GwTitle", "公文标题", "xiaobiaosong", size_pt=g.TITLE_PT, align="center", char_spacing=0
)
ADDRESSEE = Role("GwAddressee", "主送机关", "fangsong", align="left")
HEADING1 = Role("GwHeading1", "一级标题", "heiti", first_line=2 * CHAR, keep_next=True)
HEADING2 = Role("GwHeading2", "二级标题", "kaiti", first_line=2 * CHAR, keep_next=True)
HEADING3 = Role("GwHeading3", "三级标题", "fangsong", first_line=2 * CHAR, keep_next=True)
HEADING4 = Role("GwHeading4", "四级标题", "fangsong", first_line=2 * CHAR, keep_next=True)
HEADINGS = {1: HEADING1, 2: HEADING2, 3: HEADING3, 4: HEADING4}
# "附件：" is 3 字 wide; wrapped lines and later attachments align after it.
ATTACHMENT_NOTE = Role(
    "GwAttachmentNote", "附件说明", "fangsong", align="left", left=5 * CHAR, first_line=-3 * CHAR
)
# The tab stop 2 字 from the right is where cn.signature_org/signature_date end their line.
_SIGNATURE_TAB = g.mm_to_twips(g.TYPE_AREA_WIDTH_MM) - 2 * CHAR
# A sealed document's date ends 4 字 from the right (7.3.5.1).
_SEALED_DATE_TAB = g.mm_to_twips(g.TYPE_AREA_WIDTH_MM) - 4 * CHAR
SIGNATURE = Role(
    "GwSignature",
    "发文机关署名",
    "fangsong",
    align="left",
    keep_next=True,
    right_tab=_SIGNATURE_TAB,
)
DATE = Role("GwDate", "成文日期", "fangsong", align="left", right_tab=_SIGNATURE_TAB)
NOTE = Role("GwNote", "附注", "fangsong", first_line=2 * CHAR)
ISSUER_MARK = Role(
    "GwIssuerMark",
    "发文机关标志",
    "xiaobiaosong",
    size_pt=g.SIZE_PT["小初"],
    align="center",
    line=None,
    char_spacing=0,
    color=g.RED,
)
DOC_NUMBER = Role("GwDocNumber", "发文字号", "fangsong", align="center", char_spacing=0)
COLOPHON = Role(
    "GwColophon", "版记", "fangsong", size_pt=g.COLOPHON_PT, align="left", char_spacing=0
)
PAGE_NUMBER = Role(
    "GwPageNumber",
    "页码",
    "songti",
    size_pt=g.PAGE_NUMBER_PT,
    align="right",
    line=None,
    char_spacing=0,
    latin=False,
)
BRIEF_NAME = Role(
    "GwBriefName",
    "简报名称",
    "xiaobiaosong",
    size_pt=g.SIZE_PT["初号"],
    align="center",
    line=None,
    char_spacing=0,
    color=g.RED,
)
BRIEF_ISSUE = Role("GwBriefIssue", "简报期号", "fangsong", align="center", char_spacing=0)
BRIEF_META = Role("GwBriefMeta", "简报编印", "fangsong", align="left", char_spacing=0)
ATTACHMENT_LABEL = Role("GwAttachmentLabel", "附件标识", "heiti", align="left")
FORM_LINE = Role("GwFormLine", "表前信息", "fangsong", align="left")
TABLE_TEXT = Role(
    "GwTableText",
    "表格文字",
    "fangsong",
    size_pt=g.SIZE_PT["小四"],
    align="left",
    line=None,
    char_spacing=0,
)
TABLE_HEAD = Role(
    "GwTableHead",
    "表格表头",
    "heiti",
    size_pt=g.SIZE_PT["小四"],
    align="center",
    line=None,
    char_spacing=0,
)
# A chart on a line of its own: single spacing, since an exact line height would clip the image.
FIGURE = Role(
    "GwFigure", "图表", "fangsong", align="center", line=None, char_spacing=0, keep_next=False
)
# The paragraph Word needs after a table at the end of a document, and between two tables (which
# it would otherwise merge into one); 1 pt high so that it can never push a page of its own.
ANCHOR = Role("GwAnchor", "版记锚点", "fangsong", size_pt=1, align="left", line=20, char_spacing=0)

ROLES = (
    BODY,
    TITLE,
    ADDRESSEE,
    HEADING1,
    HEADING2,
    HEADING3,
    HEADING4,
    ATTACHMENT_NOTE,
    SIGNATURE,
    DATE,
    NOTE,
    ISSUER_MARK,
    DOC_NUMBER,
    COLOPHON,
    PAGE_NUMBER,
    BRIEF_NAME,
    BRIEF_ISSUE,
    BRIEF_META,
    ATTACHMENT_LABEL,
    FORM_LINE,
    TABLE_TEXT,
    TABLE_HEAD,
    FIGURE,
    ANCHOR,
)

HEI = CharRole("GwHeiChar", "黑体字", "heiti")
KAI = CharRole("GwKaiChar", "楷体字", "kaiti")
FANG = CharRole("GwFangChar", "仿宋字", "fangsong")
CHAR_ROLES = (HEI, KAI, FANG)
# The font of a heading's number and words when they lead a body paragraph ("（一）……。正文").
LEAD_IN = {1: HEI, 2: KAI, 3: FANG, 4: FANG}


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph in a character style (None: the paragraph's own font)."""

    text: str
    char: CharRole | None = None


@dataclass(frozen=True)
class Column:
    """One column of a template table: header text, cell template text, width and alignment."""

    header: str
    cell: str
    width_mm: float
    align: str = "center"


# ---------------------------------------------------------------------------------------------
# The document


class OfficialDocument:
    """A GB/T 9704 document under construction; `save()` writes it as a .docx template."""

    def __init__(self, profile="gb2312", *, landscape: bool = False, title: str = "") -> None:
        self.fonts = font_profile(profile)
        self.landscape = landscape
        self.document = Document()
        self._body = self.document.element.body
        for child in list(self._body):
            if child.tag != qn("w:sectPr"):
                self._body.remove(child)
        self._set_defaults()
        self._add_styles()
        self._set_settings(title)
        self._setup_section(self.document.sections[0], landscape)

    # -- document-wide setup ----------------------------------------------------------------

    def _font(self, role) -> str:
        return getattr(self.fonts, role.font)

    def _set_defaults(self) -> None:
        styles = self.document.styles.element
        # python-docx's template brings Heading 1…, Title, Quote and the like, with theme fonts
        # and colours; keep only the defaults every document needs, ours are added below.
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:default")) not in ("1", "true"):
                styles.remove(style)
        # No theme fonts anywhere: WPS reports them as missing, and Chinese text would follow them.
        for element in styles.iter(qn("w:rFonts")):
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                element.attrib.pop(qn(f"w:{attr}"), None)
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_fonts(rpr, self.fonts.fangsong, self.fonts.latin)
        set_child(rpr, "sz", {"val": int(g.BODY_PT * 2)})
        set_child(rpr, "szCs", {"val": int(g.BODY_PT * 2)})
        set_child(rpr, "lang", {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"})
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        set_child(ppr, "widowControl", {"val": 0})
        set_child(ppr, "snapToGrid", {"val": 0})
        set_child(
            ppr,
            "spacing",
            {"before": 0, "after": 0, "line": g.LINE_PITCH_TWIPS, "lineRule": "exact"},
        )
        self._apply_role(self.document.styles["Normal"].element, NORMAL)

    def _add_styles(self) -> None:
        styles = self.document.styles
        for role in ROLES:
            style = styles.add_style(role.name, WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn("w:styleId"), role.style_id)
            style.base_style = styles["Normal"]
            style.quick_style = True
            self._apply_role(style.element, role)
        for char in CHAR_ROLES:
            style = styles.add_style(char.name, WD_STYLE_TYPE.CHARACTER)
            style.element.set(qn("w:styleId"), char.style_id)
            style.quick_style = True
            set_fonts(
                style.element.get_or_add_rPr(), getattr(self.fonts, char.font), self.fonts.latin
            )

    def _apply_role(self, style_element, role: Role) -> None:
        ppr = style_element.get_or_add_pPr()
        if role.keep_next:
            set_child(ppr, "keepNext")
        set_child(ppr, "widowControl", {"val": 0})
        if role.right_tab is not None:
            add_tab(ppr, "right", role.right_tab)
        set_child(ppr, "snapToGrid", {"val": 0})
        if role.line is None:
            spacing = {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}
        else:
            spacing = {"before": 0, "after": 0, "line": role.line, "lineRule": "exact"}
        set_child(ppr, "spacing", spacing)
        indent = {"left": role.left, "right": role.right}
        if role.first_line < 0:
            indent["hanging"] = -role.first_line
        else:
            indent["firstLine"] = role.first_line
        set_child(ppr, "ind", indent)
        set_child(ppr, "jc", {"val": role.align})
        rpr = style_element.get_or_add_rPr()
        self._run_format(rpr, role)

    def _run_format(self, rpr, role: Role, char: CharRole | None = None) -> None:
        name = getattr(self.fonts, char.font) if char else self._font(role)
        set_fonts(rpr, name, self.fonts.latin if role.latin else name)
        if role.color:
            set_child(rpr, "color", {"val": role.color})
        set_child(rpr, "spacing", {"val": role.char_spacing})
        set_child(rpr, "kern", {"val": 0})
        set_child(rpr, "sz", {"val": round(role.size_pt * 2)})
        set_child(rpr, "szCs", {"val": round(role.size_pt * 2)})
        set_child(rpr, "lang", {"val": "en-US", "eastAsia": "zh-CN"})

    def _set_settings(self, title: str) -> None:
        self.document.settings.odd_and_even_pages_header_footer = True
        settings = self.document.settings.element
        zoom = settings.find(qn("w:zoom"))
        if zoom is not None:
            # python-docx's template leaves out w:percent, which the schema requires.
            zoom.set(qn("w:percent"), "100")
        lang = settings.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        core = self.document.core_properties
        core.author = "docgen"
        core.last_modified_by = "docgen"
        core.title = title
        core.comments = ""
        core.subject = ""
        core.keywords = ""
        core.language = "zh-CN"

    def _setup_section(self, section, landscape: bool) -> None:
        sect = section._sectPr
        width, height = g.mm_to_twips(g.PAGE_WIDTH_MM), g.mm_to_twips(g.PAGE_HEIGHT_MM)
        margins = g.LANDSCAPE_MARGINS_MM if landscape else g.MARGINS_MM
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = Twips(width), Twips(height)
        section.top_margin = Twips(g.mm_to_twips(margins["top"]))
        section.bottom_margin = Twips(g.mm_to_twips(margins["bottom"]))
        section.left_margin = Twips(g.mm_to_twips(margins["left"]))
        section.right_margin = Twips(g.mm_to_twips(margins["right"]))
        section.gutter = Twips(0)
        section.header_distance = Twips(g.mm_to_twips(15))
        section.footer_distance = Twips(g.mm_to_twips(footer_distance_mm(margins["bottom"])))
        set_child(sect, "docGrid", {"type": "lines", "linePitch": g.LINE_PITCH_TWIPS})
        self._page_numbers(section)

    def _page_numbers(self, section) -> None:
        """ "— 1 —" in 4号宋体: odd pages right, even pages left, 1 字 from the edge (7.5)."""
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            self._fill_page_number(footer.paragraphs[0]._p, odd)

    def _fill_page_number(self, p, odd: bool) -> None:
        for child in list(p):
            p.remove(child)
        ppr = p.get_or_add_pPr()
        set_child(ppr, "pStyle", {"val": PAGE_NUMBER.style_id})
        one_char = round(g.PAGE_NUMBER_PT * g.TWIPS_PER_PT)
        if odd:
            set_child(ppr, "ind", {"left": 0, "right": one_char})
            set_child(ppr, "jc", {"val": "right"})
        else:
            set_child(ppr, "ind", {"left": one_char, "right": 0})
            set_child(ppr, "jc", {"val": "left"})
        self._text_run(p, "— ", PAGE_NUMBER)
        for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1")):
            r = self._text_run(p, None, PAGE_NUMBER)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                r.append(instr)
            elif kind == "text":
                t = OxmlElement("w:t")
                t.text = text
                r.append(t)
            else:
                set_fld = OxmlElement("w:fldChar")
                set_fld.set(qn("w:fldCharType"), kind)
                r.append(set_fld)
        end = self._text_run(p, None, PAGE_NUMBER)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "end")
        end.append(fld)
        self._text_run(p, " —", PAGE_NUMBER)

    # -- paragraphs and runs ----------------------------------------------------------------

    def _text_run(self, p, text: str | None, role: Role, char: CharRole | None = None):
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        r.append(rpr)
        if char is not None:
            set_child(rpr, "rStyle", {"val": char.style_id})
        name = getattr(self.fonts, char.font) if char else self._font(role)
        set_fonts(rpr, name, self.fonts.latin if role.latin else name)
        if text is not None:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
        p.append(r)
        return r

    def paragraph(self, role: Role, *runs, size_pt: float | None = None):
        """Append a paragraph in a role's style; runs are str or Run. Returns the w:p element."""
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        p.append(ppr)
        set_child(ppr, "pStyle", {"val": role.style_id})
        for item in runs:
            piece = item if isinstance(item, Run) else Run(str(item))
            r = self._text_run(p, piece.text, role, piece.char)
            if size_pt is not None:
                set_child(r.find(qn("w:rPr")), "sz", {"val": round(size_pt * 2)})
                set_child(r.find(qn("w:rPr")), "szCs", {"val": round(size_pt * 2)})
        self._body.insert(len(self._body) - 1, p)  # before the final sectPr
        return p

    def blank(self, count: int = 1, role: Role = BODY) -> None:
        """Empty lines on the 22-line grid (GB/T 9704 counts distances in lines)."""
        for _ in range(count):
            self.paragraph(role)

    def tag(self, statement: str) -> None:
        """A docxtpl paragraph tag ({%p … %}) alone in its paragraph, as docxtpl requires."""
        self.paragraph(BODY, f"{{%p {statement.strip()} %}}")

    @contextmanager
    def when(self, condition: str) -> Iterator[None]:
        """The elements added inside appear only when the Jinja condition holds."""
        self.tag(f"if {condition}")
        yield
        self.tag("endif")

    @contextmanager
    def each(self, loop: str) -> Iterator[None]:
        """The elements added inside repeat for each item: `with doc.each("m in measures"):`."""
        self.tag(f"for {loop}")
        start = len(self._content())
        yield
        body = self._content()[start:]
        # One repetition's last table would touch the next one's first.
        if _may_start_with_table(body) and _may_end_with_table(body):
            self.paragraph(ANCHOR)
        self.tag("endfor")

    def _content(self) -> list:
        """The body's elements so far (the final w:sectPr left out)."""
        return list(self._body)[:-1]

    def _separate_tables(self) -> None:
        """A paragraph before a table that would otherwise follow another table directly."""
        if _may_end_with_table(self._content()):
            self.paragraph(ANCHOR)

    def page_break(self) -> None:
        p = self.paragraph(BODY)
        r = OxmlElement("w:r")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        r.append(br)
        p.append(r)

    # -- elements of an official document ---------------------------------------------------

    def fitted(
        self, role: Role, expression: str, sizes: Sequence[float], width_pt: float, after=""
    ):
        """A one-line element whose size shrinks with its text (发文机关标志, 简报名称).

        The text is only known when the template is filled, so the template holds one paragraph
        per size, each guarded by the width that size can hold on one line.
        """
        sizes = sorted(sizes, reverse=True)
        for index, size in enumerate(sizes):
            capacity = int(width_pt / size * 2) / 2  # in 字, to the half 字 below
            if index == 0:
                self.tag(f"if ({expression})|text_width <= {capacity}")
            elif index < len(sizes) - 1:
                self.tag(f"elif ({expression})|text_width <= {capacity}")
            else:
                self.tag("else")
            p = self.paragraph(role, f"{{{{ {expression} }}}}{after}", size_pt=size)
            yield p, size
        self.tag("endif")

    def issuer_mark(self, expression: str = "org_mark") -> None:
        """发文机关标志: red 小标宋, centred, its top 35 mm below the top of the type area (7.2.3)."""
        for p, size in self.fitted(ISSUER_MARK, expression, (36, 30, 26, 22), _type_width_pt()):
            ppr = p.find(qn("w:pPr"))
            line = round(size * g.TWIPS_PER_PT * 1.25)
            before = g.mm_to_twips(35) - mark_top_offset_twips(size, line)
            set_child(
                ppr, "spacing", {"before": before, "after": 0, "line": line, "lineRule": "exact"}
            )

    def doc_number_line(
        self, number: str = "{{ doc_number }}", signer: str | None = "signer", rule: bool = True
    ) -> None:
        """发文字号 (and 签发人 for 上行文), with the red rule 4 mm below it (7.2.4–7.2.6).

        上行文: the number 1 字 from the left and "签发人：" + name (楷体) 1 字 from the right on the
        same line, by tab stops rather than indents so that the red rule spans the type area.
        """
        if signer:
            p = self.paragraph(
                DOC_NUMBER,
                "\t" + number,
                f"{{% if {signer} %}}\t签发人：",
                Run(f"{{{{ {signer} }}}}{{% endif %}}", KAI),
            )
            ppr = p.find(qn("w:pPr"))
            set_child(ppr, "jc", {"val": "left"})
            add_tab(ppr, "left", CHAR)
            add_tab(ppr, "right", g.mm_to_twips(g.TYPE_AREA_WIDTH_MM) - CHAR)
        else:
            p = self.paragraph(DOC_NUMBER, number)
        if rule:
            red_rule(p, space_pt=RED_RULE_SPACE_PT)

    def red_header(
        self, upward: bool = True, mark="org_mark", number="{{ doc_number }}", signer="signer"
    ):
        """The 版头: 发文机关标志, two blank lines, 发文字号 (+签发人), red rule, then two blank lines."""
        self.issuer_mark(mark)
        self.blank(2)
        self.doc_number_line(number, signer if upward else None)
        self.blank(2)

    def title(self, text: str = "{{ title }}") -> None:
        """标题: 2号小标宋, centred (7.3.1)."""
        self.paragraph(TITLE, text)

    def addressee(self, text: str = "{{ recipient }}：") -> None:
        """主送机关: one blank line below the title, flush left, ending with a full-width colon."""
        self.blank()
        self.paragraph(ADDRESSEE, text)

    def heading(self, level: int, text: str) -> None:
        self.paragraph(HEADINGS[level], text)

    def body_text(self, *runs) -> None:
        self.paragraph(BODY, *runs)

    def attachment_note(self, variable: str = "attachments") -> None:
        """附件说明: a blank line, then 附件：1.XXX, further names aligned under the first (7.3.4)."""
        with self.when(variable):
            self.blank()
            with self.each(f"a in {variable}"):
                self.paragraph(
                    ATTACHMENT_NOTE,
                    "{% if loop.first %}附件：{% else %}\u3000\u3000\u3000{% endif %}"
                    f"{{% if {variable}|length > 1 %}}{{{{ loop.index }}}}.{{% endif %}}{{{{ a }}}}",
                )

    def signature(
        self, org: str = "signature", date: str = "date", sealed: bool = False, keep: int = 2
    ) -> None:
        """发文机关署名 and 成文日期 after one blank line, placed by 7.3.5's rule for their lengths.

        The last `keep` paragraphs of the body (the closing 特此报告。 or 特此通知。 and the
        paragraph before it), with the 附件说明 and the blank lines after them, keep with the
        signature: a page break moves them along rather than leave the signature and date alone
        on a page, or with the closing line only (7.3.5.5). The paragraph before the closing
        may split: at least its last two lines come along, not all of it.
        """
        self._keep_closing(keep)
        blank = self.paragraph(BODY)
        set_child(blank.find(qn("w:pPr")), "keepNext")
        if not sealed:
            self.paragraph(SIGNATURE, f"{{{{ {org}|signature_org({date}) }}}}")
            self.paragraph(DATE, f"{{{{ {date}|signature_date({org}) }}}}")
            return
        self.paragraph(SIGNATURE, f"{{{{ {org}|signature_org({date}, sealed=true) }}}}")
        # The date goes to a tab stop, not after spaces counted from the left by its width in 字:
        # LibreOffice sets its digits apart from the Chinese characters beside them, so that it
        # prints about 1 字 wider than counted and ended 3 字 from the right edge (measured).
        p = self.paragraph(DATE)
        add_tab(p.find(qn("w:pPr")), "right", _SEALED_DATE_TAB)
        self._tab_run(p, DATE)
        self._text_run(p, f"{{{{ {date}|date_cn }}}}", DATE)

    def _keep_closing(self, count: int) -> None:
        """Keep-with-next on the paragraphs back to the last `count` of the body's own text.

        A 附件说明 line or a blank line does not count, a paragraph tag vanishes; the walk stops
        at a table or at the end of a loop, whose every repetition would join the chain, unless
        the loop repeats 附件说明 lines only (attachment_note()). A kept paragraph before the
        closing may split (widow control): its last two lines come along, not all of it.
        """
        kept, loops = 0, 0
        for element in reversed(self._content()):
            if kept >= count or element.tag != qn("w:p"):
                return
            keyword = _block_tag(element)
            if keyword == "endfor":
                loops += 1
            elif keyword == "for" and loops:
                loops -= 1
            if keyword is not None:
                continue
            ppr = element.find(qn("w:pPr"))
            style = ppr.find(qn("w:pStyle")).get(qn("w:val"))
            if loops and style != ATTACHMENT_NOTE.style_id:
                return
            set_child(ppr, "keepNext")
            if style != ATTACHMENT_NOTE.style_id and _text(element).strip():
                if kept:
                    # Widow and orphan control: split, two lines at least on each page.
                    set_child(ppr, "widowControl", {"val": 1})
                kept += 1

    def figure(self, expression: str) -> None:
        """A picture from the context (rendering.Picture), centred on a line of its own, with
        the picture's title and description as its alt text."""
        self.paragraph(
            FIGURE,
            f"{{% filter alt_text({expression}) %}}{{{{ {expression} }}}}{{% endfilter %}}",
        )

    def note(self, text: str) -> None:
        """附注: in brackets, 2 字 in, on the line after the date."""
        self.paragraph(NOTE, text)

    def attachment_page(self, label: str = "附件", title: str = "{{ attachment_title }}") -> None:
        """An attachment on a new page: label in 黑体 on line 1, title centred on line 3.

        The label itself starts the page (page break before), rather than a paragraph holding a
        break: that paragraph would make a blank page whenever the text before it ends a page.
        """
        p = self.paragraph(ATTACHMENT_LABEL, label)
        set_child(p.find(qn("w:pPr")), "pageBreakBefore")
        self.blank()
        self.title(title)

    def colophon(
        self,
        cc: str | None = "cc",
        issuer: str = "{{ print_org }}",
        date: str = "{{ print_date|date_cn }}印发",
    ) -> None:
        """版记 at the foot of the last page: 抄送 and 印发机关/印发日期 between thick rules (7.4)."""
        rows = []
        if cc:
            rows.append(("tag", f"{{%tr if {cc} %}}"))
            rows.append(("cc", f"抄送：{{{{ {cc}|join_cn('，') }}}}。"))
            rows.append(("tag", "{%tr endif %}"))
        rows.append(("issue", f"{issuer}\t{date}"))
        self._foot_table(rows, COLOPHON, label_chars=3)

    def brief_header(
        self,
        name: str = "brief_name",
        issue: str = "第{{ issue_no }}期",
        editor: str = "{{ editor }}",
        date: str = "{{ date|date_cn }}",
    ) -> None:
        """简报 报头: red name, 第N期, 编印单位 left and date right over a red rule (practice)."""
        for p, size in self.fitted(BRIEF_NAME, name, (42, 36, 30, 26), _type_width_pt()):
            ppr = p.find(qn("w:pPr"))
            line = round(size * g.TWIPS_PER_PT * 1.25)
            before = g.mm_to_twips(20) - mark_top_offset_twips(size, line)
            set_child(
                ppr, "spacing", {"before": before, "after": 0, "line": line, "lineRule": "exact"}
            )
        self.blank()
        self.paragraph(BRIEF_ISSUE, issue)
        self.blank()
        p = self.paragraph(BRIEF_META, editor, "\t", date)
        add_tab(p.find(qn("w:pPr")), "right", g.mm_to_twips(g.TYPE_AREA_WIDTH_MM))
        red_rule(p, space_pt=RED_RULE_SPACE_PT, size_eighths=18)
        self.blank()

    def brief_footer(
        self,
        report: str = "brief_report",
        send: str = "brief_send",
        issue: str = "brief_issue",
        copies: str = "copies",
    ) -> None:
        """简报 报尾 at the foot of the last page: 报、送、发 and 共印X份 between rules."""
        rows = []
        for label, variable in (("报", report), ("送", send), ("发", issue)):
            rows.append(("tag", f"{{%tr if {variable} %}}"))
            rows.append(("cc", f"{label}：{{{{ {variable}|join_cn('，') }}}}。"))
            rows.append(("tag", "{%tr endif %}"))
        rows.append(("right", f"（共印{{{{ {copies} }}}}份）"))
        self._foot_table(rows, COLOPHON, label_chars=2)

    def _foot_table(self, rows, role: Role, label_chars: int) -> None:
        self._separate_tables()
        width = g.mm_to_twips(156)
        one_char = round(role.size_pt * g.TWIPS_PER_PT)
        tbl = _table_element(
            [width],
            borders={
                "top": ("single", 8),
                "bottom": ("single", 8),
                "insideH": ("single", 6),
                "left": ("nil", 0),
                "right": ("nil", 0),
                "insideV": ("nil", 0),
            },
            cell_margin=0,
        )
        # Floating and anchored to the bottom margin, so the last rule sits on the bottom edge of
        # the type area whatever the length of the text above (7.4.1).
        set_child(
            tbl.find(qn("w:tblPr")),
            "tblpPr",
            {
                "leftFromText": 0,
                "rightFromText": 0,
                "topFromText": 0,
                "bottomFromText": 0,
                "vertAnchor": "margin",
                # Relative to the page, not the margin: LibreOffice only floats a table as wide
                # as the type area when its horizontal position is taken from the page edge.
                "horzAnchor": "page",
                "tblpX": g.mm_to_twips(self._margins()["left"]),
                "tblpYSpec": "bottom",
            },
        )
        for kind, text in rows:
            tr = _row(tbl, [width])
            p = tr.find(qn("w:tc")).find(qn("w:p"))
            set_child(p.find(qn("w:pPr")), "pStyle", {"val": role.style_id})
            ppr = p.find(qn("w:pPr"))
            if kind == "cc":
                hang = label_chars * one_char
                set_child(ppr, "ind", {"left": one_char + hang, "right": one_char, "hanging": hang})
            elif kind == "issue":
                set_child(ppr, "ind", {"left": one_char, "right": one_char})
                add_tab(ppr, "right", width - one_char)
            elif kind == "right":
                set_child(ppr, "ind", {"left": one_char, "right": one_char})
                set_child(ppr, "jc", {"val": "right"})
            for index, piece in enumerate(text.split("\t")):
                if index:
                    self._tab_run(p, role)
                self._text_run(p, piece, role)
        self._body.insert(len(self._body) - 1, tbl)
        self.paragraph(ANCHOR)

    def _margins(self) -> dict:
        return g.LANDSCAPE_MARGINS_MM if self.landscape else g.MARGINS_MM

    def _tab_run(self, p, role: Role) -> None:
        r = self._text_run(p, None, role)
        r.append(OxmlElement("w:tab"))

    def table(
        self,
        columns: Sequence[Column],
        loop: str = "row in rows",
        header_repeat: bool = True,
    ):
        """A bordered table: a header row repeated on every page, then one row per item.

        Rows never split across pages. Widths go into both w:tblW/w:tcW (Word) and w:gridCol (WPS).
        """
        self._separate_tables()
        widths = [g.mm_to_twips(c.width_mm) for c in columns]
        tbl = _table_element(
            widths,
            borders={
                side: ("single", 4)
                for side in ("top", "bottom", "left", "right", "insideH", "insideV")
            },
            cell_margin=g.mm_to_twips(1.2),
        )
        set_child(tbl.find(qn("w:tblPr")), "jc", {"val": "center"})
        header = _row(tbl, widths, cant_split=True, header=header_repeat)
        for tc, column in zip(header.findall(qn("w:tc")), columns, strict=True):
            self._cell_text(tc, column.header, TABLE_HEAD, "center")
        for texts, role in (
            ([f"{{%tr for {loop} %}}"] + [""] * (len(columns) - 1), TABLE_TEXT),
            ([c.cell for c in columns], TABLE_TEXT),
            (["{%tr endfor %}"] + [""] * (len(columns) - 1), TABLE_TEXT),
        ):
            tr = _row(tbl, widths, cant_split=True)
            for tc, column, text in zip(tr.findall(qn("w:tc")), columns, texts, strict=True):
                self._cell_text(tc, text, role, column.align)
        self._body.insert(len(self._body) - 1, tbl)
        return tbl

    def _cell_text(self, tc, text: str, role: Role, align: str) -> None:
        p = tc.find(qn("w:p"))
        ppr = p.find(qn("w:pPr"))
        set_child(ppr, "pStyle", {"val": role.style_id})
        set_child(ppr, "jc", {"val": align})
        if text:
            self._text_run(p, text, role)

    # -- output ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def save(self, path) -> Path:
        return atomic_write_bytes(Path(path), self.to_bytes())


# ---------------------------------------------------------------------------------------------
# Geometry calibrated by rendering (LibreOffice 7.4, see tests/test_official.py)

RED_RULE_SPACE_PT = 6
# The footer paragraph's bottom sits this far below the page-number dash's centre.
_FOOTER_DASH_OFFSET_MM = 2.5


def footer_distance_mm(bottom_margin_mm: float) -> float:
    """Footer distance that puts the "— 1 —" dash 7 mm below the type area (7.5)."""
    return bottom_margin_mm - 7 - _FOOTER_DASH_OFFSET_MM


def mark_top_offset_twips(size_pt: float, line_twips: int) -> int:
    """How far below the top of its exact-height line a glyph's top sits (half the leading)."""
    return max(round((line_twips - size_pt * g.TWIPS_PER_PT) / 2), 0)


def _type_width_pt() -> float:
    return g.TYPE_AREA_WIDTH_MM * g.TWIPS_PER_MM / g.TWIPS_PER_PT


def add_tab(ppr, alignment: str, position: int) -> None:
    """Add a tab stop (left, right, center) to a paragraph's properties."""
    tabs = ppr.find(qn("w:tabs"))
    if tabs is None:
        tabs = set_child(ppr, "tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), alignment)
    tab.set(qn("w:pos"), str(position))
    tabs.append(tab)


def red_rule(p, space_pt: float, size_eighths: int = 12, color: str = g.RED) -> None:
    """A red rule under a paragraph, as wide as the paragraph (a bottom border)."""
    ppr = p.find(qn("w:pPr"))
    borders = set_child(ppr, "pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("val", "single"),
        ("sz", size_eighths),
        ("space", round(space_pt)),
        ("color", color),
    ):
        bottom.set(qn(f"w:{key}"), str(value))
    borders.append(bottom)


_BLOCK_TAG = re.compile(r"\{%p\s+(\w+)")


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _block_tag(element) -> str | None:
    """The keyword of a docxtpl paragraph tag ("if" for {%p if … %}), None for anything else."""
    if element.tag != qn("w:p"):
        return None
    match = _BLOCK_TAG.match(_text(element).strip())
    return match.group(1) if match else None


def _may_end_with_table(elements) -> bool:
    """Whether the last thing these body elements render to may be a table.

    Paragraph tags vanish when the template is filled, and a paragraph inside {%p if %} or
    {%p for %} may be left out, so only a paragraph outside them is sure to follow a table.
    """
    depth = 0
    for element in reversed(elements):
        if element.tag == qn("w:tbl"):
            return True
        keyword = _block_tag(element)
        if keyword in ("endif", "endfor"):
            depth += 1
        elif keyword in ("if", "for"):
            depth = max(depth - 1, 0)
        elif keyword is None and depth == 0:
            return False
    return False


def _may_start_with_table(elements) -> bool:
    """Whether the first thing these body elements render to may be a table."""
    depth = 0
    for element in elements:
        if element.tag == qn("w:tbl"):
            return True
        keyword = _block_tag(element)
        if keyword in ("if", "for"):
            depth += 1
        elif keyword in ("endif", "endfor"):
            depth = max(depth - 1, 0)
        elif keyword is None and depth == 0:
            return False
    return False


def _table_element(widths: Sequence[int], borders: dict, cell_margin: int):
    tbl = OxmlElement("w:tbl")
    tblpr = OxmlElement("w:tblPr")
    tbl.append(tblpr)
    set_child(tblpr, "tblW", {"w": sum(widths), "type": "dxa"})
    edges = set_child(tblpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        kind, size = borders[side]
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), kind)
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000" if kind != "nil" else "auto")
        edges.append(edge)
    set_child(tblpr, "tblLayout", {"type": "fixed"})
    margins = set_child(tblpr, "tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(cell_margin))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    set_child(
        tblpr,
        "tblLook",
        {
            "val": "0000",
            "firstRow": 0,
            "lastRow": 0,
            "firstColumn": 0,
            "lastColumn": 0,
            "noHBand": 1,
            "noVBand": 1,
        },
    )
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)
    tbl.append(grid)
    return tbl


def _row(tbl, widths: Sequence[int], cant_split: bool = False, header: bool = False):
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    tr.append(trpr)
    if cant_split:
        set_child(trpr, "cantSplit")
    if header:
        set_child(trpr, "tblHeader")
    for width in widths:
        tc = OxmlElement("w:tc")
        tcpr = OxmlElement("w:tcPr")
        tc.append(tcpr)
        set_child(tcpr, "tcW", {"w": width, "type": "dxa"})
        set_child(tcpr, "vAlign", {"val": "center"})
        p = OxmlElement("w:p")
        p.append(OxmlElement("w:pPr"))
        tc.append(p)
        tr.append(tc)
    tbl.append(tr)
    return tr
