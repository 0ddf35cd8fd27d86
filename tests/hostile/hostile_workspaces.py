"""Workspaces made of what offices really send, and the checks every hostile case must pass.

Not a conftest.py: tests/conftest.py is imported as the module `conftest`, and a second one of
that name here would shadow it. Test modules here import this one by name.
"""

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner
from conftest import SMALL_AS_OF, SMALL_FEEDBACK, SMALL_MEASURES, WORKSPACE_CONFIG
from lxml import etree
from openpyxl import Workbook, load_workbook

from docgen.cli import main

AS_OF = SMALL_AS_OF
MEASURE_HEADER = [
    "编号",
    "专项",
    "问题",
    "具体举措",
    "重点方面",
    "牵头部门",
    "责任部门",
    "分管领导",
    "完成时限",
    "备注",
]
FEEDBACK_HEADER = [
    "编号",
    "填报单位",
    "完成状态",
    "进展情况",
    "完成时间",
    "佐证材料",
    "存在问题",
    "下步计划",
    "填报人",
    "填报日期",
]
# The small campaign of tests/conftest.py with the 备注 column and the full feedback header.
MEASURES = [[*row, ""] for row in SMALL_MEASURES]
FEEDBACK = {
    name: [[*row[:6], "", "", "", row[6]] for row in rows] for name, rows in SMALL_FEEDBACK.items()
}

# Characters XML 1.0 cannot hold: Excel stores them as _xHHHH_, and a literal "_xHHHH_" a user
# typed as "_x005F_xHHHH_". Fixtures are written the same way, so that a reader sees what was typed.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STARTS_AN_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def excel_escaped(text: str) -> str:
    """Text as Excel stores it: an underscore that would start an escape is itself escaped."""
    text = _STARTS_AN_ESCAPE.sub("_x005F_", text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def write_text_sheet(
    path: Path, header: list, rows: list, title: str | None = "江淮省测试局整改工作举措清单"
):
    """An .xlsx as Excel saves what a clerk typed: every text cell is text (never a formula,
    even "=1+1"), dates are dates, and a merged title row sits above the header."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(header)
    for number, values in enumerate(rows, start=sheet.max_row + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = excel_escaped(value)
                cell.data_type = "s"
            else:
                cell.value = value
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def make_workspace(
    root: Path, measures=None, feedback=None, config: str | None = WORKSPACE_CONFIG
) -> Path:
    """The small campaign (or the given rows) with every text cell stored as text."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "docgen.toml").write_text(config, encoding="utf-8")
    write_text_sheet(
        root / "measures.xlsx", MEASURE_HEADER, MEASURES if measures is None else measures
    )
    (root / "feedback").mkdir(exist_ok=True)
    for name, rows in (FEEDBACK if feedback is None else feedback).items():
        write_text_sheet(root / "feedback" / name, FEEDBACK_HEADER, rows, title=None)
    return root


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: relative path -> (size, modification time)."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed_outside(before: dict, after: dict, allowed: tuple[str, ...]) -> list[str]:
    """Files added, changed or removed anywhere but under the `allowed` folders (relative)."""
    names = set(before) | set(after)
    return sorted(
        name
        for name in names
        if before.get(name) != after.get(name) and not name.startswith(allowed)
    )


def run_cli(*args) -> "CliRunner.invoke":
    """A docgen command in this process, wide enough that the issue table does not fold."""
    result = CliRunner(env={"COLUMNS": "400"}).invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert "内部错误" not in result.output, result.output
    return result


def one_line(text: str) -> str:
    return " ".join(text.split())


def strict_parts(path: Path) -> None:
    """Every XML part of an Office file parses without lxml's recovery."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None, path
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))


def docx_texts(path: Path) -> list[str]:
    """Paragraph and cell texts of a Word file (body, tables, headers and footers)."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_footer):
            texts += [p.text for p in part.paragraphs]
    return texts


def xlsx_cells(path: Path) -> list:
    """Every non-empty cell of every sheet of a workbook, as openpyxl reads it."""
    workbook = load_workbook(path)
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]


def _shown(value) -> str:
    """A cell's text as Excel shows it: openpyxl hands _xHHHH_ escapes through undecoded."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), str(value))


def xlsx_texts(path: Path) -> list[str]:
    return [_shown(cell.value) for cell in xlsx_cells(path)]


def assert_outputs_sound(folder: Path, quick: bool = False) -> list[Path]:
    """Every file under folder is finished: no temporary file under a final name, every Word and
    Excel file opens and strict-parses, every text cell that begins like a formula is text.

    `quick`: every file's zip is whole (CRCs) and python-docx or openpyxl opens it; no more."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in files:
        assert not path.name.endswith(".tmp") or path.name.startswith("."), path
        if quick and path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
            if path.suffix == ".docx":
                docx.Document(str(path))
            else:
                load_workbook(path, read_only=True).close()
        elif path.suffix == ".docx":
            strict_parts(path)
            docx.Document(str(path))
        elif path.suffix == ".xlsx":
            strict_parts(path)
            for cell in xlsx_cells(path):
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", (path.name, cell.coordinate, cell.value)
        elif path.suffix == ".pdf":
            assert path.read_bytes().startswith(b"%PDF"), path
    return files


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def workbook_bytes(header: list, rows: list) -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(buffer)
    return buffer.getvalue()


NOW = dt.datetime(2026, 6, 15, 9, 30)
