"""What a person would notice on the printed page, checked on LibreOffice's PDF of each document
type: the page count, no blank first page, the signature never alone on a page, the 版记 (or the
简报's 报尾) on the last page. Also the PDF copies docgen writes beside the Word files."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SMALL_AS_OF, job_for, make_workspace

from docgen.build import build
from docgen.documents.year_end import write_year_end
from docgen.pdf import convert_to_pdf
from docgen.workspace import open_workspace

FONTS = Path(__file__).resolve().parent / "data" / "fonts.conf"
MISSING = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"render check skipped: {', '.join(MISSING)} not installed"
)
DATE = "2026年6月15日"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every document of the small campaign as of 2026-06-15, and its PDF; the year-end
    summary, which a June build leaves out, asked for by name into the same folder."""
    root = tmp_path_factory.mktemp("render")
    workspace = make_workspace(root / "ws")
    opened = open_workspace(workspace, SMALL_AS_OF, SMALL_AS_OF)
    result = build(opened, root / "out", dt.datetime(2026, 6, 15, 9))
    summary = write_year_end(job_for(workspace, result.folder))
    documents = [p for p in result.outputs + summary if p.suffix == ".docx"]
    patch = pytest.MonkeyPatch()
    patch.setenv("FONTCONFIG_FILE", str(FONTS))
    try:
        converted = convert_to_pdf(documents)
    finally:
        patch.undo()
    assert converted.failed == {}
    return {p.relative_to(result.folder).as_posix(): p.with_suffix(".pdf") for p in documents}


def pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def lines(page: str) -> list[str]:
    """The page's lines without spaces (LibreOffice spaces out digits next to Chinese)."""
    return ["".join(line.split()) for line in page.splitlines() if line.strip()]


def is_page_number(line: str) -> bool:
    return line.strip("—-").isdigit()


# Document, its page count on this campaign, the signature's date line (None: no signature),
# and the text that marks the 版记 or 报尾 (None: none).
EXPECTED = {
    "自查报告.docx": (5, DATE, "印发"),
    "部门自查报告/自查报告_人事处.docx": (4, DATE, None),
    "督导简报（第1期）.docx": (6, None, "共印"),
    "催办通知/催办通知_财务处.docx": (2, DATE, None),
    "2026年度工作总结.docx": (8, DATE, "印发"),
    "反馈表/反馈表_办公室.docx": (2, None, None),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_what_a_reader_sees(pdfs, name):
    expected_pages, date_line, colophon = EXPECTED[name]
    text = pages(pdfs[name])
    assert len(text) == expected_pages, f"{name}: {len(text)} pages"
    first = [line for line in lines(text[0]) if not is_page_number(line)]
    assert len(first) >= 5, f"{name}: first page nearly blank"
    for number, page in enumerate(text, start=1):
        assert [line for line in lines(page) if not is_page_number(line)], (
            f"{name}: page {number} blank"
        )
    if date_line:
        # The 成文日期 is the last line reading just the date; the 署名 is the line above it.
        signed = max(i for i, page in enumerate(text) if date_line in lines(page))
        page = [line for line in lines(text[signed]) if not is_page_number(line)]
        at = len(page) - 1 - page[::-1].index(date_line)
        others = page[: at - 1] + page[at + 1 :]
        assert others, f"{name}: the signature stands alone on page {signed + 1}"
    if colophon:
        assert any(colophon in line for line in lines(text[-1])), (
            f"{name}: no 版记 on the last page"
        )
        assert not any(colophon in line for page in text[:-1] for line in lines(page))


def test_pdf_copies_sit_beside_the_word_files(pdfs):
    for pdf in pdfs.values():
        assert pdf.exists() and pdf.stat().st_size > 1000
        assert pdf.with_suffix(".docx").exists()


def test_a_failed_conversion_keeps_the_word_file(tmp_path, monkeypatch):
    broken = tmp_path / "损坏的文件.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    good = make_workspace(tmp_path / "ws")
    opened = open_workspace(good, SMALL_AS_OF, SMALL_AS_OF)
    result = build(opened, tmp_path / "out", dt.datetime(2026, 6, 15, 9))
    ledger_free = next(p for p in result.outputs if p.name == "自查报告.docx")
    monkeypatch.setenv("FONTCONFIG_FILE", str(FONTS))
    converted = convert_to_pdf([broken, ledger_free])
    assert broken in converted.failed
    assert broken.read_bytes() == b"PK\x03\x04 truncated"
    assert not broken.with_suffix(".pdf").exists()
    assert converted.written == [ledger_free.with_suffix(".pdf")]
