"""What a reader sees on paper: each Word document rendered to PDF by LibreOffice (docgen.pdf) and
read character by character with pdfplumber, checked for what no look at the .docx can show.

`check_rendered(paths)` renders the documents and returns a Report of Issues, each naming its
page (Issue.part "第3页"): a page holding only the signature (7.3.5.5), a blank page, a body page
whose lines are not 22 lines of 28 characters (5.2.3), a 版记 not on the last page (7.4), a line
whose characters are spread wider than the grid, an id such as YA-031 broken at its hyphen.
`check_pdf(path)` does the same for a PDF that exists already (`docgen build --pdf --check`).

Positions are in PDF points (1/72 inch) from the top left of the page, as pdfplumber gives them.
"""

import re
import shutil
import statistics
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from docgen.issues import Issue, Report
from docgen.official import geometry as g
from docgen.pdf import PdfError, convert_to_pdf, find_soffice

PT_PER_MM = 72 / 25.4

# How far (pt) a line may stand outside the type area and still be part of it: LibreOffice
# places the glyph box of an exact-height line a little above or below the line's own box.
_AREA_SLACK = 8
# A page is "mostly tables" when more than this share of its characters sits in table cells.
_TABLE_SHARE = 0.5
# The grid: 22 lines and 28 characters of 3号 text must fit the type area; a page's lines may
# fall short of a full page by this many (a heading kept with the paragraph after it).
_LINES_SHORT = 1
# A stretched line: the characters of a justified line stand apart by more than this share of
# their size (the median gap). Set as they come they touch (-0.25 pt of tracking); justifying a
# line whose next character did not fit shares out less than 1 字 over 27 gaps, 0.6 pt at 3号.
# An id or a figure that must not be broken (XC-014, （88.9%）) moves down whole and leaves up
# to 4 字 to share out, 0.15 of the size, as in any Chinese text set justified with Latin
# words; past 0.2 of the size (3.2 pt) more than 5 字 of space is spread through the line,
# which shows: a line ended by a line break typed into the text.
_STRETCH = 0.2
# Characters that take a full 字 on the grid: CJK ideographs and full-width punctuation.
_FULL_WIDTH = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2014\u2026“”‘’]")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_PAGE_NUMBER = re.compile(r"[—–\-一]*\d+[—–\-一]*")
_COLOPHON = re.compile(r"^(抄送|主送)[:：]|\d{4}年\d{1,2}月\d{1,2}日印发$|^（?共印\d+份）?$")
_ATTACHMENT_NOTE = re.compile(r"^附件[:：]")
_ATTACHMENT_ITEM = re.compile(r"^\d+[.．]")
_NOTE = re.compile(r"^（.*）$")
# An id such as YA-031 broken after its hyphen: "YA-" ends one line, "031" starts the next.
_ID_HEAD = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,6}[-‐‑]$")
_ID_TAIL = re.compile(r"^\d+")
_BODY_ENDINGS = "。；：，、！？"


@dataclass
class Line:
    """The characters of one printed line (in a table: of one cell), left to right."""

    chars: list[dict]
    in_table: bool = False
    cell: tuple[float, float, float, float] | None = None

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def baseline(self) -> float:
        return statistics.median(c["bottom"] for c in self.chars)

    @property
    def size(self) -> float:
        return statistics.median(c["size"] for c in self.chars)

    def gaps(self) -> list[float]:
        """Space between each two neighbouring full-width characters of the same size."""
        found = []
        for left, right in zip(self.chars, self.chars[1:], strict=False):
            if (
                _FULL_WIDTH.match(left["text"])
                and _FULL_WIDTH.match(right["text"])
                and abs(left["size"] - right["size"]) < 0.5
            ):
                found.append(right["x0"] - left["x1"])
        return found


@dataclass
class Page:
    """One printed page: its lines of text top to bottom and what else is on it."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    images: int = 0

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def area(self) -> tuple[float, float, float, float]:
        """The type area (left, top, right, bottom) GB/T 9704 gives this page."""
        margins = g.LANDSCAPE_MARGINS_MM if self.landscape else g.MARGINS_MM
        return (
            margins["left"] * PT_PER_MM,
            margins["top"] * PT_PER_MM,
            self.width - margins["right"] * PT_PER_MM,
            self.height - margins["bottom"] * PT_PER_MM,
        )

    @property
    def content(self) -> list[Line]:
        """The lines inside the type area: no page number, header or footer."""
        _, top, _, bottom = self.area
        return [
            line
            for line in self.lines
            if line.text
            and line.top >= top - _AREA_SLACK
            and line.bottom <= bottom + _AREA_SLACK
            and not (line.top > bottom - 2 * _AREA_SLACK and _PAGE_NUMBER.fullmatch(line.text))
        ]

    @property
    def table_share(self) -> float:
        chars = sum(len(line.chars) for line in self.content)
        in_tables = sum(len(line.chars) for line in self.content if line.in_table)
        return in_tables / chars if chars else 0.0


def read_pages(pdf: Path) -> list[Page]:
    """Every page of a PDF with its lines of text, the characters of table cells apart."""
    pages = []
    with pdfplumber.open(str(pdf)) as document:
        for number, plumbed in enumerate(document.pages, start=1):
            page = Page(number, float(plumbed.width), float(plumbed.height))
            page.images = len(plumbed.images)
            cells = [cell for table in plumbed.find_tables() for cell in table.cells]
            loose, by_cell = [], {}
            for char in plumbed.chars:
                # spaces are where nothing is printed: a line of "　　正文" starts at 正
                if not char.get("upright", True) or char["text"].isspace():
                    continue
                cell = _cell_of(char, cells)
                if cell is None:
                    loose.append(char)
                else:
                    by_cell.setdefault(cell, []).append(char)
            page.lines = [Line(chars) for chars in _lines(loose)]
            for cell, chars in by_cell.items():
                page.lines += [Line(line, in_table=True, cell=cell) for line in _lines(chars)]
            page.lines.sort(key=lambda line: (line.baseline, line.x0))
            pages.append(page)
    return pages


def _cell_of(char: dict, cells: list) -> tuple | None:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    for cell in cells:
        if cell is not None and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
            return tuple(cell)
    return None


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines by their baseline, each line left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        # a line's characters share a baseline; a digit in a Latin font may sit a point off
        if lines and abs(lines[-1][-1]["bottom"] - char["bottom"]) <= 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


# ---------------------------------------------------------------------------------------------
# The checks


def check_pdf(pdf: Path, file: str = "", kept: frozenset[str] = frozenset()) -> list[Issue]:
    """Everything on the printed pages of one PDF that a reader would notice. `kept` are the ids
    the Word document writes with a non-breaking hyphen (kept_ids): not reported as split."""
    pages = read_pages(Path(pdf))
    file = file or str(pdf)
    findings = []
    for page in pages:
        findings += _page_findings(page, pages, file, kept)
    return findings


# An id written with Word's non-breaking hyphen: XC</w:t><w:noBreakHyphen/><w:t …>013
_KEPT_ID = re.compile(r"([A-Za-z]{1,6})</w:t><w:noBreakHyphen/><w:t[^>]*>(\d+)")


def kept_ids(docx: Path) -> frozenset[str]:
    """The ids a Word document asks never to break (w:noBreakHyphen). Word and WPS keep them on
    one line; LibreOffice 7.4 breaks after a non-breaking hyphen (w:noBreakHyphen or U+2011)
    anyway in a paragraph of Chinese text, so such a break on its page is the renderer's, not
    the document's."""
    try:
        with zipfile.ZipFile(docx) as package:
            xml = package.read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return frozenset()
    return frozenset(f"{head}-{tail}" for head, tail in _KEPT_ID.findall(xml))


def _issue(code: str, message: str, file: str, page: Page, excerpt: str = "") -> Issue:
    return Issue.of(code, message, file=file, part=f"第{page.number}页", excerpt=excerpt[:20])


def _page_findings(page: Page, pages: list[Page], file: str, kept: frozenset[str]) -> list[Issue]:
    last = page.number == len(pages)
    content = page.content
    if not content and not page.images:
        return [_issue("blank-page", f"第{page.number}页是空白页。", file, page)]
    findings = []
    if _signature_alone(content):
        findings.append(
            _issue(
                "signature-alone",
                "这一页只有发文机关署名和成文日期，没有正文；应调整行距、字距，"
                "使署名和日期与正文同处一页（7.3.5.5）。",
                file,
                page,
                " ".join(line.text for line in content),
            )
        )
    colophon = [line for line in content if _COLOPHON.search(line.text)]
    if colophon and not last:
        findings.append(
            _issue(
                "colophon-not-last",
                f"版记出现在第{page.number}页，不在最后一页；版记应位于公文最后一页的最下方（7.4）。",
                file,
                page,
                colophon[0].text,
            )
        )
    findings += _grid_findings(page, pages, file)
    for above, below in _following_lines(content):
        head, tail = _ID_HEAD.search(above.text), _ID_TAIL.match(below.text)
        if head and tail and f"{head.group()[:-1]}-{tail.group()}" not in kept:
            findings.append(
                _issue(
                    "split-id",
                    f"编号 {head.group()}{tail.group()} 在连字符处断开，分在两行。",
                    file,
                    page,
                    f"…{above.text[-10:]}{below.text[:8]}",
                )
            )
    for line in content:
        stretch = _stretch(line)
        if stretch is not None:
            findings.append(
                _issue(
                    "stretched-line",
                    f"这一行的字距被拉开（字间多出约 {stretch:.1f} 磅，"
                    f"{stretch / line.size:.0%} 字宽）：两端对齐的段落中，以换行符结束的一行"
                    "会被拉满，排不下的编号、数字等不能断开的内容移到下一行时也会留下空隙。",
                    file,
                    page,
                    line.text,
                )
            )
    return findings


def _following_lines(content: list[Line]) -> list[tuple[Line, Line]]:
    """Each line with the line after it in the same flow: the body, or one table cell."""
    flows: dict = {}
    for line in content:
        flows.setdefault(line.cell, []).append(line)
    return [pair for lines in flows.values() for pair in zip(lines, lines[1:], strict=False)]


def _signature_alone(content: list[Line]) -> bool:
    """Only the 署名 and 成文日期 (and 附件说明, 附注, 版记), no line of the body."""
    dates = [i for i, line in enumerate(content) if _DATE.fullmatch(line.text)]
    if not dates:
        return False
    attachment = False
    for index, line in enumerate(content):
        text = line.text
        if index in dates or _COLOPHON.search(text) or _NOTE.fullmatch(text):
            continue
        if _ATTACHMENT_NOTE.match(text):
            attachment = True
            continue
        if attachment and _ATTACHMENT_ITEM.match(text):
            continue
        if index + 1 in dates and _is_signature(line, content[index + 1]):
            continue
        return False
    return True


def _is_signature(line: Line, date: Line) -> bool:
    """The 署名 above a 成文日期: a short line that does not end a sentence, set to the right."""
    return (
        len(line.text) <= 24
        and line.text[-1] not in _BODY_ENDINGS
        and not line.in_table
        and line.x1 >= date.x0
    )


def _body_lines(page: Page) -> list[Line]:
    """The lines of 3号 text outside tables."""
    return [
        line
        for line in page.content
        if not line.in_table and abs(line.size - g.BODY_PT) < 0.6 and len(line.chars) >= 2
    ]


def _grid_findings(page: Page, pages: list[Page], file: str) -> list[Issue]:
    """22 lines of 28 characters on a body page that is not the last and mostly not tables."""
    if page.number == len(pages) or page.table_share > _TABLE_SHARE or page.landscape:
        return []
    lines = _body_lines(page)
    if len(lines) < 6:
        return []
    left, top, right, bottom = page.area
    steps = [
        below.baseline - above.baseline
        for above, below in zip(lines, lines[1:], strict=False)
        if 0 < below.baseline - above.baseline < 1.5 * g.LINE_PITCH_TWIPS / g.TWIPS_PER_PT
    ]
    if len(steps) < 4:
        return []
    pitch = statistics.median(steps)
    fit = int((bottom - top + 0.5) / pitch)
    chars = _chars_per_line(lines, right - left)
    used = fit
    if _continues(page, pages) and not page.images:
        used = round((lines[-1].baseline - top) / pitch)
    if (
        fit == g.LINES_PER_PAGE
        and chars == g.CHARS_PER_LINE
        and used >= g.LINES_PER_PAGE - _LINES_SHORT
    ):
        return []
    shown = (
        f"{fit} 行" if used >= g.LINES_PER_PAGE - _LINES_SHORT else f"{used} 行（可排 {fit} 行）"
    )
    return [
        _issue(
            "page-grid",
            f"这一页排 {shown}、每行 {chars} 字（行距 {pitch:.2f} 磅），"
            f"应为每页 22 行、每行 28 字（5.2.3）。",
            file,
            page,
        )
    ]


def _chars_per_line(lines: list[Line], width: float) -> int:
    """How many characters of 3号 text a full line holds, from the pitch they are set at.

    Justification spreads the characters of most full lines a little (a line with digits holds
    a fraction of a 字 less and shares the rest out), so the pitch is read where the characters
    are set as they come: the line whose characters stand closest, such as the last line of a
    paragraph.
    """
    spacings = [statistics.median(gaps) for gaps in map(Line.gaps, lines) if len(gaps) >= 4]
    if not spacings:
        return g.CHARS_PER_LINE
    return int((width + 0.5) / (g.BODY_PT + min(spacings)))


def _continues(page: Page, pages: list[Page]) -> bool:
    """Whether the page's last paragraph runs on to the next page: the next page's first line
    starts at the left edge of the type area, where only the later lines of a paragraph start."""
    if page.number >= len(pages):
        return False
    following = pages[page.number]
    lines = _body_lines(following)
    if not lines or following.table_share > _TABLE_SHARE:
        return False
    left = following.area[0]
    first = lines[0]
    return (
        abs(first.x0 - left) < 2
        and first.top < following.area[1] + g.LINE_PITCH_TWIPS / g.TWIPS_PER_PT
        and not _ATTACHMENT_NOTE.match(first.text)
        and not re.match(r"^附件\d*$", first.text)
    )


def _stretch(line: Line) -> float | None:
    """How far the characters of a stretched line stand apart beyond their tracking, None if the
    line is set normally."""
    gaps = line.gaps()
    if len(gaps) < 3:
        return None
    spread = statistics.median(gaps)
    if spread <= _STRETCH * line.size:
        return None
    return spread


# ---------------------------------------------------------------------------------------------
# Rendering


def find_renderer() -> str:
    """LibreOffice, or a PdfError saying that checking the printed pages needs it."""
    try:
        return find_soffice()
    except PdfError:
        raise PdfError(
            "按排版效果检查（--render、--check）需要 LibreOffice，但本机没有找到，没有检查任何文件。"
            "Windows 请从 libreoffice.org 安装；Linux 请安装 libreoffice-writer"
            "（如 sudo apt-get install libreoffice-writer-nogui）。"
        ) from None


def check_rendered(
    documents: Sequence[Path],
    workers: int = 2,
    progress: Callable[[int], None] | None = None,
    pdfs: Iterable[Path] = (),
) -> Report:
    """Render each .docx with LibreOffice (in a scratch folder: nothing is written beside the
    documents) and check its pages; `pdfs` are PDF copies already made, used as they are.

    Raises docgen.pdf.PdfError if LibreOffice is not installed and something must be rendered.
    """
    documents = [Path(p) for p in documents]
    ready = {Path(p).with_suffix(".docx"): Path(p) for p in pdfs}
    report = Report(files=[str(p) for p in documents])
    with tempfile.TemporaryDirectory(prefix="docgen-paper-") as scratch:
        copies = {}
        for index, path in enumerate(p for p in documents if p not in ready):
            folder = Path(scratch) / f"{index:05d}"
            folder.mkdir()
            copies[path] = shutil.copy2(path, folder / path.name)
        converted = convert_to_pdf(list(map(Path, copies.values())), workers, progress)
        rendered = {
            **ready,
            **{path: Path(copy).with_suffix(".pdf") for path, copy in copies.items()},
        }
        failed = {Path(p) for p in converted.failed}
        for path in documents:
            if path in copies and Path(copies[path]) in failed:
                report.issues.append(
                    Issue.of(
                        "render-failed",
                        "LibreOffice 未能把这个文件转换为 PDF，无法检查排版效果。",
                        file=str(path),
                    )
                )
                continue
            report.issues += check_pdf(rendered[path], str(path), kept_ids(path))
    return report
