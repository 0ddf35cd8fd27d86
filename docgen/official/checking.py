"""Check any .docx against GB/T 9704-2012: every departure that can be seen in the file.

`check_document(path)` returns a list of Issue (docgen.issues), one per departure, each naming the
part and paragraph; `check_documents(paths)` gathers them in a Report. The checker reads what Word
would apply (direct formatting, then character and paragraph styles, then the document
defaults), so a document passes on how it looks, not on how it was made.
"""

import re
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from docgen.cn import number_cn
from docgen.errors import DocgenError
from docgen.fonts import font_profile as font_profile_named
from docgen.issues import ERROR, Issue, Report
from docgen.model import TEMPLATE_TAG
from docgen.official import geometry as g
from docgen.official.builder import footer_distance_mm


class CheckError(DocgenError):
    """The file given to `docgen check` is not a readable .docx."""


def format_findings(findings: list[Issue], path=None) -> str:
    """One line per finding, in Chinese, for a terminal: "file: 正文第3段“…”：message"."""
    prefix = f"{path}: " if path is not None else ""
    if not findings:
        return f"{prefix}未发现不符合 GB/T 9704-2012 的地方。"
    lines = []
    for finding in findings:
        label = "错误" if finding.severity == ERROR else "提醒"
        lines.append(f"{prefix}[{label}] {finding.location()}：{finding.message}（{finding.code}）")
    return "\n".join(lines)


def check_document(path, font_profile="gb2312") -> list[Issue]:
    """Every departure from GB/T 9704-2012 found in the .docx at path.

    font_profile names the fonts expected ("gb2312": 仿宋_GB2312…, "windows": 仿宋…); None
    accepts any common name of the right family (仿宋, 仿宋_GB2312, FangSong…).
    Raises CheckError if the file cannot be read as a .docx.
    """
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise CheckError(f"无法读取 {path}：不是有效的 Word 文档（.docx）。{exc}") from None
    except Exception as exc:  # lxml and zipfile errors on damaged files
        raise CheckError(f"无法读取 {path}：文件已损坏（{type(exc).__name__}: {exc}）。") from None
    return _Checker(document, font_profile, str(path)).run()


def check_documents(paths, font_profile="gb2312") -> Report:
    """check_document of every file, in one Report (each Issue names its file)."""
    report = Report(files=[str(path) for path in paths])
    for path in paths:
        report.issues.extend(check_document(path, font_profile))
    return report


# ---------------------------------------------------------------------------------------------
# What each role of paragraph should look like

# role: (font family, size in points or None for "not fixed", checked line pitch)
_EXPECTED = {
    "body": ("fangsong", g.BODY_PT, True),
    "line": ("fangsong", g.BODY_PT, True),
    "heading1": ("heiti", g.BODY_PT, True),
    "heading2": ("kaiti", g.BODY_PT, True),
    "heading3": ("fangsong", g.BODY_PT, True),
    "heading4": ("fangsong", g.BODY_PT, True),
    "title": ("xiaobiaosong", g.TITLE_PT, False),
    "mark": ("xiaobiaosong", None, False),
    "colophon": ("fangsong", g.COLOPHON_PT, False),
    "attachment_label": ("heiti", g.BODY_PT, True),
    "table": (None, None, False),
    "page_number": ("songti", g.PAGE_NUMBER_PT, False),
}
_ROLE_NAMES = {
    "body": "正文",
    "line": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题",
    "title": "公文标题",
    "mark": "发文机关标志",
    "colophon": "版记",
    "attachment_label": "附件标识",
    "table": "表格",
    "page_number": "页码",
}
_FAMILY_NAMES = {
    "fangsong": "仿宋",
    "kaiti": "楷体",
    "heiti": "黑体",
    "xiaobiaosong": "小标宋",
    "songti": "宋体",
}
# docgen's own style names tell the role without guessing.
_STYLE_ROLES = {
    "公文正文": "body",
    "主送机关": "body",
    "附件说明": "body",
    "发文机关署名": "line",
    "成文日期": "line",
    "附注": "body",
    "发文字号": "line",
    "简报期号": "line",
    "简报编印": "line",
    "表前信息": "line",
    "一级标题": "heading1",
    "二级标题": "heading2",
    "三级标题": "heading3",
    "四级标题": "heading4",
    "公文标题": "title",
    "发文机关标志": "mark",
    "简报名称": "mark",
    "版记": "colophon",
    "附件标识": "attachment_label",
    "表格文字": "table",
    "表格表头": "table",
    "页码": "page_number",
    "版记锚点": None,
}
_CHAR_STYLE_FAMILIES = {"黑体字": "heiti", "楷体字": "kaiti", "仿宋字": "fangsong"}

_HEADING_PATTERNS = (
    ("heading1", re.compile(r"^[一二三四五六七八九十百]+、")),
    ("heading2", re.compile(r"^（[一二三四五六七八九十百]+）")),
    ("heading3", re.compile(r"^\d{1,2}[.．](?!\d)")),
    ("heading4", re.compile(r"^（\d{1,2}）")),
)

_PADDED_DATE = re.compile(r"\d{4}年0\d月|\d{1,2}月0\d日")
_NUMERIC_DATE = re.compile(
    r"(?<![\d.])(19|20)\d{2}[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])(?![\d.])"
)
_CN_NUMERAL_DATE = re.compile(
    r"^[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日$"
)
_DOC_NUMBER = re.compile(
    r"(?P<open>[〔\[【(（［])\s*(?P<year>(?:19|20)\d{2})\s*(?P<close>[〕\]】)）］])\s*"
    r"(?P<di>第?)\s*(?P<serial>\d+)\s*号"
)
_AMBIGUOUS_PUNCT = re.compile("[“”‘’—…·]")
# Elements between blocks that show nothing: two tables with only these between them touch.
_MARKS = {
    qn(f"w:{tag}")
    for tag in (
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
    )
}
_RED_COLORS = {"FF0000", "E60012", "C00000", "FE0000", "EE0000", "ED1C24", "DA251D"}
# How list numbering (w:numFmt) shows a number, for reading "（一）" in front of a numbered heading.
_NUMBER_FORMATS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "decimalEnclosedParen": lambda n: f"({n})",
    "chineseCounting": number_cn,
    "chineseCountingThousand": number_cn,
    "taiwaneseCounting": number_cn,
    "taiwaneseCountingThousand": number_cn,
    "japaneseCounting": number_cn,
    "ideographDigital": number_cn,
    "none": lambda n: "",
}
_NUMBER_FORMATS["decimalFullWidth2"] = _NUMBER_FORMATS["decimalFullWidth"]


def _excerpt(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------------------------------------
# The checker


class _Checker:
    def __init__(self, document, font_profile, file: str = "") -> None:
        self.document = document
        self.file = file
        self.profile = font_profile_named(font_profile) if font_profile is not None else None
        self.findings: list[Issue] = []
        styles = document.styles.element
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        self.default_paragraph_style = next(
            (
                s
                for s in self.styles.values()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        defaults = styles.find(qn("w:docDefaults"))
        self.default_rpr = (
            None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        )
        self.default_ppr = (
            None if defaults is None else defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        )
        self.tight_spacing_missing: list[tuple[int, str]] = []
        self.line_grid: int | None = None  # the pitch of the current section's line grid
        try:
            self.numbering = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            self.numbering = None

    def add(self, code, message, paragraph=None, excerpt="", part="正文") -> None:
        self.findings.append(
            Issue.of(
                code,
                message,
                file=self.file,
                part=part,
                paragraph=paragraph,
                excerpt=_excerpt(excerpt),
            )
        )

    # -- style resolution -----------------------------------------------------------------

    def _style_chain(self, style_id: str | None) -> list:
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return chain

    def _paragraph_styles(self, p) -> list:
        ppr = p.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        # A style id that names no style is ignored, as Word does: the default paragraph style
        # applies, not the document defaults alone.
        if pstyle is not None and pstyle.get(qn("w:val")) in self.styles:
            return self._style_chain(pstyle.get(qn("w:val")))
        if self.default_paragraph_style is not None:
            return self._style_chain(self.default_paragraph_style.get(qn("w:styleId")))
        return []

    def style_name(self, p) -> str:
        chain = self._paragraph_styles(p)
        if not chain:
            return ""
        name = chain[0].find(qn("w:name"))
        return name.get(qn("w:val")) if name is not None else ""

    def _ppr_levels(self, p) -> list:
        levels = [p.find(qn("w:pPr"))]
        levels += [s.find(qn("w:pPr")) for s in self._paragraph_styles(p)]
        levels.append(self.default_ppr)
        return [level for level in levels if level is not None]

    def _rpr_levels(self, r, p) -> list:
        levels = []
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            levels.append(rpr)
            rstyle = rpr.find(qn("w:rStyle"))
            if rstyle is not None:
                levels += [s.find(qn("w:rPr")) for s in self._style_chain(rstyle.get(qn("w:val")))]
        levels += [s.find(qn("w:rPr")) for s in self._paragraph_styles(p)]
        levels.append(self.default_rpr)
        return [level for level in levels if level is not None]

    def paragraph_value(self, p, tag: str, attr: str):
        for level in self._ppr_levels(p):
            element = level.find(qn(f"w:{tag}"))
            if element is not None and element.get(qn(f"w:{attr}")) is not None:
                return element.get(qn(f"w:{attr}")), element
        return None, None

    def numbering_label(self, p) -> str:
        """The list number Word shows before the paragraph ("（一）", "1."), "" if none."""
        if self.numbering is None:
            return ""
        num_id = level = None
        for ppr in self._ppr_levels(p):
            num_pr = ppr.find(qn("w:numPr"))
            if num_pr is None:
                continue
            found_id, found_level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
            if num_id is None and found_id is not None:
                num_id = found_id.get(qn("w:val"))
            if level is None and found_level is not None:
                level = found_level.get(qn("w:val"))
        if num_id in (None, "0"):
            return ""
        levels = self._numbering_levels(num_id)
        lvl = levels.get(level or "0")
        if lvl is None:
            return ""
        text = lvl.find(qn("w:lvlText"))
        label = (text.get(qn("w:val")) or "") if text is not None else ""

        def number(match) -> str:
            shown = levels.get(str(int(match.group(1)) - 1))
            fmt = shown.find(qn("w:numFmt")) if shown is not None else None
            start = shown.find(qn("w:start")) if shown is not None else None
            value = int(start.get(qn("w:val")) or 1) if start is not None else 1
            kind = fmt.get(qn("w:val")) if fmt is not None else "decimal"
            return _NUMBER_FORMATS.get(kind, str)(value)

        return re.sub(r"%([1-9])", number, label)

    def _numbering_levels(self, num_id: str) -> dict:
        """ilvl -> w:lvl of a numbering instance, its overrides applied."""
        num = next(
            (n for n in self.numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id),
            None,
        )
        if num is None:
            return {}
        abstract_id = num.find(qn("w:abstractNumId"))
        abstract = next(
            (
                a
                for a in self.numbering.findall(qn("w:abstractNum"))
                if abstract_id is not None
                and a.get(qn("w:abstractNumId")) == abstract_id.get(qn("w:val"))
            ),
            None,
        )
        levels = {}
        if abstract is not None:
            levels = {lvl.get(qn("w:ilvl")): lvl for lvl in abstract.findall(qn("w:lvl"))}
        for override in num.findall(qn("w:lvlOverride")):
            lvl = override.find(qn("w:lvl"))
            if lvl is not None:
                levels[override.get(qn("w:ilvl"))] = lvl
        return levels

    def run_value(self, r, p, tag: str, attr: str = "val"):
        for level in self._rpr_levels(r, p):
            element = level.find(qn(f"w:{tag}"))
            if element is not None and element.get(qn(f"w:{attr}")) is not None:
                return element.get(qn(f"w:{attr}"))
        return None

    def east_asian_font(self, r, p) -> str | None:
        """The run's East Asian font name, "theme:…" for a theme font, None if unset."""
        for level in self._rpr_levels(r, p):
            fonts = level.find(qn("w:rFonts"))
            if fonts is None:
                continue
            if fonts.get(qn("w:eastAsia")):
                return fonts.get(qn("w:eastAsia"))
            if fonts.get(qn("w:eastAsiaTheme")):
                return "theme:" + fonts.get(qn("w:eastAsiaTheme"))
        return None

    def run_size_pt(self, r, p) -> float | None:
        value = self.run_value(r, p, "sz")
        return int(value) / 2 if value is not None else None

    def run_char_style(self, r) -> str:
        rstyle = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if rstyle is None:
            return ""
        chain = self._style_chain(rstyle.get(qn("w:val")))
        name = chain[0].find(qn("w:name")) if chain else None
        return name.get(qn("w:val")) if name is not None else ""

    # -- fonts -----------------------------------------------------------------------------

    def allowed_fonts(self, family: str) -> set[str]:
        if self.profile is None:
            return g.FAMILY_ALIASES[family]
        return {getattr(self.profile, family)}

    def font_message(self, family: str) -> str:
        names = "、".join(sorted(self.allowed_fonts(family)))
        return f"应为{_FAMILY_NAMES[family]}（{names}）"

    # -- the checks -----------------------------------------------------------------------

    def run(self) -> list[Issue]:
        self.check_sections()
        self.check_body()
        self.check_tables()
        self.check_footers()
        self.check_headers()
        return self.findings

    def check_sections(self) -> None:
        tolerance = g.MARGIN_TOLERANCE_MM
        width, height = g.mm_to_twips(g.PAGE_WIDTH_MM), g.mm_to_twips(g.PAGE_HEIGHT_MM)
        for number, section in enumerate(self.document.sections, start=1):
            part = f"第{number}节" if len(self.document.sections) > 1 else "页面设置"
            page_w, page_h = section.page_width, section.page_height
            if page_w is None or page_h is None:
                self.add("page-size", "未设置纸张大小，应为 A4（210×297 毫米）。", part=part)
                continue
            page_w, page_h = page_w.twips, page_h.twips
            landscape = page_w > page_h
            expected = (height, width) if landscape else (width, height)
            if _outside(g.twips_to_mm(page_w), g.twips_to_mm(expected[0]), tolerance) or _outside(
                g.twips_to_mm(page_h), g.twips_to_mm(expected[1]), tolerance
            ):
                self.add(
                    "page-size",
                    f"纸张为 {g.twips_to_mm(page_w):.0f}×{g.twips_to_mm(page_h):.0f} 毫米，"
                    "应为 A4（210×297 毫米）。",
                    part=part,
                )
            margins = g.LANDSCAPE_MARGINS_MM if landscape else g.MARGINS_MM
            names = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
            actual = {
                "top": section.top_margin,
                "bottom": section.bottom_margin,
                "left": section.left_margin,
                "right": section.right_margin,
            }
            for side, want in margins.items():
                value = actual[side]
                got = g.twips_to_mm(value.twips) if value is not None else None
                if got is None or _outside(got, want, g.MARGIN_TOLERANCE_MM):
                    shown = "未设置" if got is None else f"{got:.1f} 毫米"
                    orientation = "（横排页）" if landscape else ""
                    self.add(
                        "margin",
                        f"{names[side]}页边距{orientation}为 {shown}，应为 {want} 毫米"
                        f"（允许误差 ±{g.MARGIN_TOLERANCE_MM} 毫米；版心 156×225 毫米）。",
                        part=part,
                    )
            grid = section._sectPr.find(qn("w:docGrid"))
            if grid is not None and grid.get(qn("w:type")) in ("lines", "linesAndChars"):
                pitch = int(grid.get(qn("w:linePitch")) or 0)
                if not 560 <= pitch <= g.LINE_PITCH_TWIPS:
                    self.add(
                        "grid",
                        f"文档网格行距为 {pitch / 20:.2f} 磅，每页排不下 22 行；应为 28.95 磅（579）。",
                        part=part,
                    )

    def _role(self, p, text: str, in_table: bool, first_text: bool) -> str | None:
        style = self.style_name(p)
        if style in _STYLE_ROLES:
            return _STYLE_ROLES[style]
        if in_table:
            if text.startswith(("抄送：", "抄送:")) or text.endswith("印发"):
                return "colophon"
            return "table"
        if text.startswith(("抄送：", "抄送:")) or re.search(r"\d日印发$", text):
            return "colophon"
        runs = [
            r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
        ]
        if runs:
            color = (self.run_value(runs[0], p, "color") or "").upper()
            size = self.run_size_pt(runs[0], p) or 0
            if color in _RED_COLORS and size >= 20:
                return "mark"
            jc, _ = self.paragraph_value(p, "jc", "val")
            if style.lower() in ("title", "标题") or (first_text and jc == "center" and size >= 18):
                return "title"
        if re.match(r"^附件\d*$", text):
            return "attachment_label"
        numbered = self.numbering_label(p) + text
        for role, pattern in _HEADING_PATTERNS:
            if pattern.match(numbered):
                return role
        return "body"

    def check_body(self) -> None:
        body = self.document.element.body
        title_seen = False
        first_text = True
        grids = [_line_grid(section) for section in self.document.sections] or [None]
        section = 0
        for index, p in enumerate(body.iter(qn("w:p")), start=1):
            # A paragraph holding a w:sectPr is the last of its section.
            self.line_grid = grids[min(section, len(grids) - 1)]
            if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                section += 1
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            self.check_text(text, index, "正文")
            if not text.strip():
                continue
            in_table = any(a.tag == qn("w:tc") for a in p.iterancestors())
            role = self._role(p, text.strip(), in_table, first_text)
            first_text = first_text and in_table
            if role is None:
                continue
            title_seen = title_seen or role == "title"
            self.check_paragraph(p, text, role, index, "正文")
        if not title_seen:
            self.add("no-title", "未找到公文标题：标题应为 2号小标宋体字，居中排布（7.3.1）。")
        if self.tight_spacing_missing:
            first, excerpt = self.tight_spacing_missing[0]
            count = len(self.tight_spacing_missing)
            self.add(
                "chars-per-line",
                f"正文字符间距未紧缩，3号字每行只能排 27 字（共 {count} 段）；"
                "应使每行排 28 字（字符间距 −0.25 磅或字符网格）。",
                paragraph=first,
                excerpt=excerpt,
            )

    def check_paragraph(self, p, text: str, role: str, index: int, part: str) -> None:
        family, size, pitch_checked = _EXPECTED[role]
        role_name = _ROLE_NAMES[role]
        runs = [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
        runs = [r for r in runs if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
        heading_by_text = role.startswith("heading") and self.style_name(p) not in _STYLE_ROLES
        font_reported = size_reported = False
        for position, r in enumerate(runs):
            run_text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            expected_family = family
            char_style = self.run_char_style(r)
            if char_style in _CHAR_STYLE_FAMILIES:
                expected_family = _CHAR_STYLE_FAMILIES[char_style]
            elif heading_by_text and position > 0:
                # "（一）标题。" may be followed by body text in 仿宋 in the same paragraph.
                expected_family = "fangsong"
            font = self.east_asian_font(r, p)
            if not font_reported:
                if font is None or font.startswith("theme:"):
                    self.add(
                        "font-unset",
                        f"{role_name}未明确指定中文字体（使用主题或默认字体，在其他电脑上会变）；"
                        + (self.font_message(expected_family) if expected_family else "请指定字体")
                        + "。",
                        paragraph=index,
                        excerpt=text,
                        part=part,
                    )
                    font_reported = True
                elif expected_family and font not in self.allowed_fonts(expected_family):
                    self.add(
                        "font",
                        f"{role_name}的字体为 {font}，{self.font_message(expected_family)}。",
                        paragraph=index,
                        excerpt=text,
                        part=part,
                    )
                    font_reported = True
                elif expected_family is None and not any(
                    font in names for names in g.FAMILY_ALIASES.values()
                ):
                    self.add(
                        "font",
                        f"{role_name}的字体为 {font}，应为仿宋、黑体、楷体或宋体。",
                        paragraph=index,
                        excerpt=text,
                        part=part,
                    )
                    font_reported = True
            run_size = self.run_size_pt(r, p)
            if size is not None and not size_reported and run_size != size:
                shown = "未设置" if run_size is None else f"{run_size:g} 磅"
                self.add(
                    "font-size",
                    f"{role_name}的字号为 {shown}，应为 {size:g} 磅（{_size_name(size)}）。",
                    paragraph=index,
                    excerpt=text,
                    part=part,
                )
                size_reported = True
            if _AMBIGUOUS_PUNCT.search(run_text):
                fonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
                hint = fonts.get(qn("w:hint")) if fonts is not None else None
                if hint != "eastAsia":
                    self.add(
                        "punct-font",
                        "引号、破折号或省略号所在的文字未设置中文字体提示（eastAsia），"
                        "在 Word 中会显示为西文字体。",
                        paragraph=index,
                        excerpt=text,
                        part=part,
                    )
            if role == "body" and run_size == g.BODY_PT and position == 0:
                self._check_char_spacing(r, p, index, text)
        if role == "title":
            jc, _ = self.paragraph_value(p, "jc", "val")
            if jc != "center":
                self.add(
                    "title-align", "公文标题应居中排布。", paragraph=index, excerpt=text, part=part
                )
        if pitch_checked:
            self._check_line_pitch(p, role_name, index, text, part)

    def _check_line_pitch(self, p, role_name: str, index: int, text: str, part: str) -> None:
        line, element = self.paragraph_value(p, "spacing", "line")
        rule = element.get(qn("w:lineRule")) if element is not None else None
        if self._on_line_grid(p, line, rule):
            return
        if line is None or rule not in ("exact",) or not 560 <= int(line) <= g.LINE_PITCH_TWIPS:
            if line is None:
                shown = "单倍行距"
            elif rule == "exact":
                shown = f"固定值 {int(line) / 20:g} 磅"
            elif rule == "atLeast":
                shown = f"最小值 {int(line) / 20:g} 磅"
            else:
                shown = f"{int(line) / 240:g} 倍行距"
            self.add(
                "line-pitch",
                f"{role_name}的行距为{shown}，每页排不出 22 行；应为固定值 28.95 磅（或 28 磅）。",
                paragraph=index,
                excerpt=text,
                part=part,
            )

    def _on_line_grid(self, p, line, rule) -> bool:
        """Whether single-spaced lines snap to the section's 22-line grid, which then sets the pitch."""
        if self.line_grid is None or not 560 <= self.line_grid <= g.LINE_PITCH_TWIPS:
            return False
        if line is not None and (rule not in (None, "auto") or int(line) > 240):
            return False
        for ppr in self._ppr_levels(p):
            snap = ppr.find(qn("w:snapToGrid"))
            if snap is not None:
                return snap.get(qn("w:val")) not in ("0", "false", "off")
        return True

    def _check_char_spacing(self, r, p, index: int, text: str) -> None:
        spacing = int(self.run_value(r, p, "spacing") or 0)
        if spacing <= g.CHAR_SPACING_TWIPS:
            return
        grid = self.document.sections[0]._sectPr.find(qn("w:docGrid"))
        if grid is not None and grid.get(qn("w:type")) == "linesAndChars":
            char_space = int(grid.get(qn("w:charSpace")) or 0)
            if char_space < 0:
                return
        self.tight_spacing_missing.append((index, text))

    def check_text(self, text: str, index: int | None, part: str) -> None:
        if not text:
            return
        tag = TEMPLATE_TAG.search(text)
        if tag:
            self.add(
                "template-tag",
                f"文中留有未替换的模板标记“{tag.group()[:2]}”。",
                paragraph=index,
                excerpt=text,
                part=part,
            )
        padded = _PADDED_DATE.search(text)
        if padded:
            self.add(
                "date-format",
                f"日期“{padded.group()}”不应补零，应写作 2026年8月1日 的形式（7.3.5.4）。",
                paragraph=index,
                excerpt=text,
                part=part,
            )
        numeric = _NUMERIC_DATE.search(text)
        if numeric:
            self.add(
                "date-format",
                f"日期“{numeric.group()}”应写作“年月日”形式，如 2026年11月26日。",
                paragraph=index,
                excerpt=text,
                part=part,
            )
        if _CN_NUMERAL_DATE.match(text.strip()):
            self.add(
                "date-format",
                "成文日期应使用阿拉伯数字，如 2026年11月26日（2012 版起不再用汉字数字）。",
                paragraph=index,
                excerpt=text,
                part=part,
            )
        for match in _DOC_NUMBER.finditer(text):
            problems = []
            if match.group("open") != "〔" or match.group("close") != "〕":
                problems.append("年份应使用六角括号〔〕")
            if match.group("di"):
                problems.append("序号前不加“第”")
            if match.group("serial").startswith("0"):
                problems.append("序号不编虚位（不补零）")
            if problems:
                self.add(
                    "doc-number",
                    f"发文字号“{match.group()}”：{'，'.join(problems)}，如 X党组发〔2026〕3号（7.2.4）。",
                    paragraph=index,
                    excerpt=text,
                    part=part,
                )

    def check_tables(self) -> None:
        """Two tables with nothing between them: Word shows them as one table."""
        body = self.document.element.body
        # the elements stay referenced, so lxml hands out the same objects again below
        paragraphs = list(body.iter(qn("w:p")))
        position = {p: index for index, p in enumerate(paragraphs, start=1)}
        for parent in (body, *body.iter(qn("w:tc"))):
            previous = None
            for child in parent:
                if child.tag in _MARKS:
                    continue
                if (
                    child.tag == qn("w:tbl")
                    and previous is not None
                    and previous.tag == qn("w:tbl")
                ):
                    first = next(child.iter(qn("w:p")), None)
                    self.add(
                        "adjacent-tables",
                        "两个表格之间没有段落，Word 会把它们合成一个表格；"
                        "应在两表之间加一个段落（如表题或说明文字）。",
                        paragraph=position.get(first),
                        excerpt="".join(t.text or "" for t in child.iter(qn("w:t"))),
                    )
                previous = child

    def check_footers(self) -> None:
        settings = self.document.settings.element
        odd_even = settings.find(qn("w:evenAndOddHeaders")) is not None
        numbered = False
        for number, section in enumerate(self.document.sections, start=1):
            suffix = f"（第{number}节）" if len(self.document.sections) > 1 else ""
            footers = [("odd", section.footer, "页脚（奇数页）" if odd_even else "页脚")]
            if odd_even:
                footers.append(("even", section.even_page_footer, "页脚（偶数页）"))
            found = []
            for kind, footer, label in footers:
                if not footer._has_definition and number > 1:
                    continue  # a later section without its own footer inherits the previous one
                found.append(
                    self.check_page_number(footer, kind if odd_even else None, label + suffix)
                )
            numbered = any(found) if found else numbered
            if numbered:
                self.check_footer_distance(section, f"第{number}节" if suffix else "页面设置")
        if not odd_even:
            self.add(
                "page-number-odd-even",
                "页码未设置奇偶页不同：单页码应居右、双页码应居左，各空一字（7.5）。",
                part="页脚",
            )

    def check_footer_distance(self, section, part: str) -> None:
        """The page number's dash sits 7 mm below the type area (7.5): the footer distance that
        puts it there depends on the bottom margin."""
        if section.bottom_margin is None:
            return  # reported as a margin
        bottom = g.twips_to_mm(section.bottom_margin.twips)
        want = footer_distance_mm(bottom)
        distance = section.footer_distance
        got = g.twips_to_mm(distance.twips) if distance is not None else None
        if got is not None and not _outside(got, want, g.MARGIN_TOLERANCE_MM):
            return
        where = (
            "未设置"
            if got is None
            else f"为 {got:.1f} 毫米，页码的一字线约在版心下边缘下 {7 + want - got:.1f} 毫米"
        )
        self.add(
            "footer-distance",
            f"页脚距离{where}；一字线应在版心下边缘下 7 毫米，页脚距离约 {want:.1f} 毫米"
            f"（允许误差 ±{g.MARGIN_TOLERANCE_MM} 毫米，7.5）。",
            part=part,
        )

    def check_page_number(self, footer, kind: str | None, label: str) -> bool:
        """Check the page number of one footer; False if it has none."""
        paragraphs = list(footer._element.iter(qn("w:p"))) if footer._has_definition else []
        with_field = [p for p in paragraphs if _has_page_field(p)]
        for p in paragraphs:
            self.check_text("".join(t.text or "" for t in p.iter(qn("w:t"))), None, label)
        if not with_field:
            self.add(
                "page-number-missing",
                "缺少页码：页码应为 4号半角宋体阿拉伯数字，两边各加一字线，如“— 1 —”（7.5）。",
                part=label,
            )
            return False
        p = with_field[0]
        text = _shown_text(p).strip()
        if not re.fullmatch(r"—\s?\d+\s?—", text):
            self.add(
                "page-number-format",
                f"页码显示为“{text}”，应为“— 1 —”（两边各一字线“—”）。",
                part=label,
            )
        jc, _ = self.paragraph_value(p, "jc", "val")
        want = {"odd": ("right", "end"), "even": ("left", "start")}.get(kind)
        if want and (jc or "left") not in want:
            side = "居右" if kind == "odd" else "居左"
            self.add(
                "page-number-position",
                f"页码应{side}（单页码居右、双页码居左，空一字）。",
                part=label,
            )
        for r in p.iter(qn("w:r")):
            if (
                r.find(qn("w:t")) is None
                or not "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
            ):
                continue
            font = self.east_asian_font(r, p)
            ascii_font = self.run_value(r, p, "rFonts", "ascii")
            size = self.run_size_pt(r, p)
            songti = self.allowed_fonts("songti")
            if font not in songti and ascii_font not in songti:
                self.add(
                    "page-number-font",
                    f"页码字体为 {font or ascii_font or '未设置'}，{self.font_message('songti')}。",
                    part=label,
                )
                break
            if size != g.PAGE_NUMBER_PT:
                shown = "未设置" if size is None else f"{size:g} 磅"
                self.add("page-number-size", f"页码字号为 {shown}，应为 4号（14 磅）。", part=label)
                break
        return True

    def check_headers(self) -> None:
        for section in self.document.sections:
            for header in (section.header, section.even_page_header, section.first_page_header):
                if not header._has_definition:
                    continue
                for p in header._element.iter(qn("w:p")):
                    self.check_text("".join(t.text or "" for t in p.iter(qn("w:t"))), None, "页眉")


def _outside(got: float, want: float, tolerance: float) -> bool:
    """Whether a length in millimetres is off by more than the tolerance, as shown to 0.1 mm
    (27.0 against 26 ± 1 is inside: 1530 twips are 26.99 mm, 1531 are 27.01)."""
    return round(abs(got - want), 1) > tolerance


def _line_grid(section) -> int | None:
    """The line pitch of a section's document grid in twips, None without a line grid."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None or grid.get(qn("w:type")) not in ("lines", "linesAndChars"):
        return None
    pitch = grid.get(qn("w:linePitch"))
    return int(pitch) if pitch else None


def _shown_text(p) -> str:
    """The paragraph's text with each field showing its stored result; a PAGE field stored
    without one (Word fills it in when it lays out the page) shows "1"."""
    out: list[str] = []
    fields: list[tuple[int, list[str]]] = []  # open complex fields: (where, instruction)
    for node in p.iter(qn("w:t"), qn("w:instrText"), qn("w:fldChar"), qn("w:fldSimple")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:instrText"):
            if fields:
                fields[-1][1].append(node.text or "")
        elif node.tag == qn("w:fldSimple"):
            if _is_page_instruction(node.get(qn("w:instr"))) and not any(
                (t.text or "").strip() for t in node.iter(qn("w:t"))
            ):
                out.append("1")
        elif node.get(qn("w:fldCharType")) == "begin":
            fields.append((len(out), []))
        elif node.get(qn("w:fldCharType")) == "end" and fields:
            start, instruction = fields.pop()
            if _is_page_instruction("".join(instruction)) and not "".join(out[start:]).strip():
                out.append("1")
    return "".join(out)


def _is_page_instruction(instruction: str | None) -> bool:
    return bool(re.match(r"\s*PAGE\b", instruction or ""))


def _has_page_field(p) -> bool:
    instructions = "".join(i.text or "" for i in p.iter(qn("w:instrText")))
    simple = " ".join(f.get(qn("w:instr")) or "" for f in p.iter(qn("w:fldSimple")))
    return bool(re.search(r"\bPAGE\b", instructions + " " + simple))


def _size_name(size: float) -> str:
    names = {pt: name for name, pt in g.SIZE_PT.items()}
    return names.get(size, f"{size:g} 磅")
