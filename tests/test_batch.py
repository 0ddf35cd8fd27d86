"""docgen.rendering: prepared templates give the documents render_bytes gives, or hand over to it.

Equivalence is checked part by part: every XML member of the two .docx files, parsed and written
canonically (C14N), must be the same; binary members byte for byte. Then the fallbacks: templates
and values the fast path does not handle go to render_bytes, with the same result.
"""

import datetime as dt
import gc
import io
import multiprocessing
import os
import random
import struct
import threading
import zipfile
import zlib
from pathlib import Path
from unittest import mock

import docx
import pytest
from conftest import SMALL_AS_OF, job_for, make_workspace
from docxtpl import RichText
from lxml import etree
from test_rendering import HOSTILE

from docgen import rendering
from docgen.documents.base import Job
from docgen.documents.feedback_form import TEMPLATE, write_feedback_forms
from docgen.documents.feedback_form.context import departments_with_assignments, form_context
from docgen.documents.feedback_form.workbook import return_deadline
from docgen.errors import DocgenError
from docgen.official.builder import BODY, Column, OfficialDocument
from docgen.official.checking import check_document, format_findings
from docgen.rendering import (
    RenderError,
    map_in_workers,
    packaged_templates_dir,
    prepare,
    remap_fonts,
    render_bytes,
    workers,
    write_soon,
)
from docgen.rendering import prepared as prepared_module
from docgen.rendering.prepared import _fit_as_filled, _grid_needs_repair

_PARSER = etree.XMLParser(remove_blank_text=True)


def parts(data: bytes) -> dict[str, bytes]:
    """Every member of a .docx, XML in canonical form (python-docx's whitespace rule)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            content = archive.read(name)
            if name.endswith((".xml", ".rels")):
                content = etree.tostring(etree.fromstring(content, _PARSER), method="c14n")
            found[name] = content
    return found


def assert_same_document(fast: bytes, slow: bytes) -> None:
    fast_parts, slow_parts = parts(fast), parts(slow)
    assert sorted(fast_parts) == sorted(slow_parts)
    for name, content in slow_parts.items():
        assert fast_parts[name] == content, name


def template_with(tmp_path, *texts, header: str = "", name="t.docx", table: str = ""):
    doc = OfficialDocument()
    doc.title("标题")
    for text in texts:
        doc.paragraph(BODY, text)
    if table:
        doc.table([Column("值", table, 100)], "row in rows")
    if header:
        doc.document.sections[0].header.paragraphs[0].text = header
    path = tmp_path / name
    doc.save(path)
    return path


@pytest.fixture
def value_template(tmp_path):
    """A template printing `value` in a body paragraph, a table cell and a page header."""
    return template_with(tmp_path, "{{ value }}", header="{{ value }}", table="{{ row }}")


def texts_of(data: bytes) -> tuple[list[str], list[list[str]], list[str]]:
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    header = [p.text for p in document.sections[0].header.paragraphs]
    return paragraphs, cells, header


# --- the fast path ---------------------------------------------------------------------------


def test_every_packaged_template_takes_the_fast_path():
    for path in sorted(packaged_templates_dir().glob("*.docx")):
        prepared = prepare(path)
        assert prepared.fast, (path.name, prepared.unsupported)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_render_unchanged_and_as_render_bytes_does(value_template, value):
    prepared = prepare(value_template)
    assert prepared.fast
    context = {"value": value, "rows": [value, value]}
    fast = prepared.render(context)
    paragraphs, cells, header = texts_of(fast)
    assert paragraphs[1] == value
    assert cells[1:] == [[value], [value]]
    assert header[0] == value
    assert_same_document(fast, render_bytes(value_template, context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (float("nan"), ""),
        ("line1\r\nline2", "line1\nline2"),
        ("cell_x000B_AltEnter", "cell\nAltEnter"),
        ("ctrl\x00\x01\x07\x08\x1f\x7fchars", "ctrlchars"),
        ("tab\tbetween", "tab\tbetween"),
        ("page\fbreak", "page\nbreak"),
        (3.0, "3"),
        (dt.date(2026, 3, 5), "2026年3月5日"),
    ],
)
def test_values_are_made_xml_safe_as_render_bytes_makes_them(value_template, value, expected):
    context = {"value": value, "rows": [value]}
    fast = prepare(value_template).render(context)
    paragraphs, cells, header = texts_of(fast)
    assert (paragraphs[1], cells[1][0], header[0]) == (expected, expected, expected)
    assert_same_document(fast, render_bytes(value_template, context))


def small_job(workspace, out, profile="gb2312", **options) -> Job:
    return job_for(workspace, out, profile=profile, **options)


@pytest.mark.parametrize("profile", ["gb2312", "windows"])
def test_the_feedback_form_is_the_document_render_bytes_makes(small_workspace, tmp_path, profile):
    job = small_job(small_workspace, tmp_path, profile)
    template = packaged_templates_dir() / TEMPLATE
    due = return_deadline(job.settings, SMALL_AS_OF)
    for name in departments_with_assignments(job):
        context = form_context(job, name, due)
        slow = remap_fonts(render_bytes(template, context), profile)
        assert_same_document(prepare(template, profile).render(context), slow)


def test_a_changed_template_is_prepared_again(tmp_path):
    path = template_with(tmp_path, "第一版{{ value }}")
    first = prepare(path)
    assert prepare(path) is first
    template_with(tmp_path, "第二版，更长一些{{ value }}")
    second = prepare(path)
    assert second is not first
    assert texts_of(second.render({"value": "！"}))[0][1] == "第二版，更长一些！"


# --- errors: the same as render_bytes --------------------------------------------------------


def error_of(call) -> str:
    with pytest.raises(RenderError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize(
    ("texts", "context"),
    [
        (["{{ value }}{{ other }}"], {"value": "x"}),  # missing variable, named before rendering
        (["{% for m in items %}{{ m.name }}{% endfor %}"], {"items": [{"title": "x"}]}),
        (["{_{ forgotten }_}"], {}),  # a tag left in the output
        (["{{ value.__class__.__mro__ }}"], {"value": "x"}),  # the sandbox
        (
            ["前文", "{% if x %}没有结束", "后文"],
            {"x": True},
        ),  # syntax: the template does not compile
        (["{{ value }}"], ["not", "a", "mapping"]),
    ],
)
def test_errors_are_those_of_render_bytes(tmp_path, texts, context):
    path = template_with(tmp_path, *texts)
    expected = error_of(lambda: render_bytes(path, context))
    assert error_of(lambda: prepare(path).render(context)) == expected


def test_nothing_is_written_when_rendering_fails(tmp_path):
    path = template_with(tmp_path, "{{ value }}{{ other }}")
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    with pytest.raises(RenderError):
        prepare(path).write({"value": 1}, out)
    assert out.read_bytes() == b"previous"


# --- fallbacks -------------------------------------------------------------------------------


def tiny_png(pixel: bytes = b"\x00\xff\x00") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" + pixel))
        + chunk(b"IEND", b"")
    )


def test_a_template_with_a_picture_goes_to_render_bytes(tmp_path):
    doc = OfficialDocument()
    doc.paragraph(BODY, "{{ value }}")
    doc.document.add_picture(io.BytesIO(tiny_png()))
    path = tmp_path / "picture.docx"
    doc.save(path)
    prepared = prepare(path)
    assert not prepared.fast
    assert "picture" in prepared.unsupported or "image" in prepared.unsupported
    data = prepared.render({"value": "A & B"})
    assert texts_of(data)[0][0] == "A & B"
    assert docx.Document(io.BytesIO(data)).inline_shapes


def test_a_templated_document_property_goes_to_render_bytes(tmp_path):
    doc = OfficialDocument(title="{{ value }}的反馈表")
    doc.paragraph(BODY, "{{ value }}")
    path = tmp_path / "title.docx"
    doc.save(path)
    prepared = prepare(path)
    assert not prepared.fast
    data = prepared.render({"value": "办公室"})
    assert docx.Document(io.BytesIO(data)).core_properties.title == "办公室的反馈表"


def test_rich_text_goes_to_render_bytes(tmp_path):
    path = template_with(tmp_path, "{{r value }}")
    prepared = prepare(path)
    assert prepared.fast  # the template is plain; the value is not
    rich = RichText("粗体", bold=True)
    data = prepared.render({"value": rich})
    document = docx.Document(io.BytesIO(data))
    assert [r.bold for r in document.paragraphs[1].runs if r.text == "粗体"] == [True]
    assert_same_document(data, render_bytes(path, {"value": rich}))


def picture_template(tmp_path, header: str = ""):
    doc = OfficialDocument()
    doc.paragraph(BODY, "{{ title }}")
    doc.figure("chart")
    doc.paragraph(BODY, "{% for c in more %}")
    doc.figure("c")
    doc.paragraph(BODY, "{% endfor %}")
    if header:
        doc.document.sections[0].header.paragraphs[0].text = header
    path = tmp_path / "chart.docx"
    doc.save(path)
    return path


def test_pictures_in_the_body_are_placed_as_render_bytes_places_them(tmp_path):
    path = picture_template(tmp_path)
    prepared = prepare(path)
    assert prepared.fast
    other = tiny_png(b"\xff\x00\x00")
    context = {
        "title": "图",
        "chart": rendering.Picture(tiny_png(), 20),
        "more": [rendering.Picture(tiny_png(), 35.5), rendering.Picture(other, 10)],
    }
    with mock.patch.object(prepared, "_render_with_docxtpl", side_effect=AssertionError):
        fast = prepared.render(context)
    assert_same_document(fast, render_bytes(path, context))
    document = docx.Document(io.BytesIO(fast))
    assert len(document.inline_shapes) == 3
    assert len(parts(fast)) == len(parts(render_bytes(path, {**context, "more": []}))) + 1


def test_a_picture_in_a_header_goes_to_render_bytes(tmp_path):
    path = picture_template(tmp_path, header="{{ chart }}")
    prepared = prepare(path)
    context = {"title": "图", "chart": rendering.Picture(tiny_png(), 20), "more": []}
    with mock.patch.object(prepared, "_render_with_docxtpl", wraps=prepared._render_with_docxtpl):
        data = prepared.render(context)
        prepared._render_with_docxtpl.assert_called_once()
    assert_same_document(data, render_bytes(path, context))


def test_a_table_whose_grid_docxtpl_repairs_goes_to_render_bytes(tmp_path):
    # A column loop adds cells beyond the table grid: docxtpl's fix_tables widens the grid.
    doc = OfficialDocument()
    columns = [Column("甲", "{%tc for c in cols %}", 30), Column("乙", "{{ c }}", 30)]
    doc.table([*columns, Column("丙", "{%tc endfor %}", 30)], "row in rows")
    path = tmp_path / "columns.docx"
    doc.save(path)
    context = {"rows": ["一"], "cols": ["a", "b", "c", "d"]}
    prepared = prepare(path)
    assert prepared.fast
    with mock.patch.object(prepared, "_render_with_docxtpl", wraps=prepared._render_with_docxtpl):
        fast = prepared.render(context)
        prepared._render_with_docxtpl.assert_called_once()
    assert_same_document(fast, render_bytes(path, context))
    assert texts_of(fast)[1][1] == ["a", "b", "c", "d"]


def _grid_needs_repair_cell_by_cell(tree, spans: bool = True) -> bool:
    """What the fast path's grid check must answer, read cell by cell as docxtpl's fix_tables
    reads a table."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for table in tree.iter(f"{w}tbl"):
        grid = table.find(f"{w}tblGrid")
        if grid is None:
            return True
        columns = len(grid.findall(f"{w}gridCol"))
        widest = 0
        for row in table.iter(f"{w}tr"):
            cells = row.findall(f"{w}tc")
            if len(cells) > columns:
                return True
            width = 0
            for cell in cells:
                span = cell.find(f"{w}tcPr/{w}gridSpan") if spans else None
                try:
                    width += 1 if span is None else int(span.get(f"{w}val"))
                except (TypeError, ValueError):
                    return True
            widest = max(widest, width)
        if columns > widest:
            return True
    return False


def _random_tables(chance, depth: int = 0, paragraph=None) -> str:
    """A body of random tables: grids of 0 to 3 columns (or none), rows of 0 to 4 cells, some
    spanning (by a number, a word or nothing), a span not in the cell's own properties, a
    table inside a cell. `paragraph(chance)` gives what a cell holds (else an empty paragraph)."""
    tables = []
    for _ in range(chance.randint(1, 2)):
        grid = (
            ""
            if chance.random() < 0.1
            else "<w:tblGrid>" + "<w:gridCol/>" * chance.randint(0, 3) + "</w:tblGrid>"
        )
        rows = []
        for _ in range(chance.randint(0, 4)):
            cells = []
            for _ in range(chance.randint(0, 4)):
                roll = chance.random()
                if roll < 0.15:
                    value = chance.choice(["1", "2", "3", " 2", "two", ""])
                    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{value}"/></w:tcPr><w:p/></w:tc>'
                elif roll < 0.2:
                    cell = "<w:tc><w:tcPr><w:gridSpan/></w:tcPr><w:p/></w:tc>"
                elif roll < 0.25:
                    cell = '<w:tc><w:p><w:gridSpan w:val="3"/></w:p></w:tc>'
                elif roll < 0.3 and depth < 1:
                    cell = f"<w:tc>{_random_tables(chance, depth + 1, paragraph)}<w:p/></w:tc>"
                else:
                    cell = f"<w:tc>{paragraph(chance) if paragraph else '<w:p/>'}</w:tc>"
                cells.append(cell)
            rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        tables.append("<w:tbl>" + grid + "".join(rows) + "</w:tbl>")
    return "".join(tables)


def test_the_grid_check_answers_as_a_cell_by_cell_reading_would():
    chance = random.Random(9704)
    answers = set()
    for _ in range(3000):
        body = _random_tables(chance)
        tree = etree.fromstring(
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        )
        for spans in (True, False):
            expected = _grid_needs_repair_cell_by_cell(tree, spans)
            assert _grid_needs_repair(tree, spans) == expected, (spans, body)
            answers.add(expected)
    assert answers == {True, False}


_W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _random_paragraph(chance, depth: int = 0) -> str:
    """A paragraph as the grid check must pass over it or read into it: plain text, text with
    ">" and "/>", a table or a paragraph inside it (as a text box holds them), a cell or a span
    inside it, an empty or self-closing one, attributes holding ">", a comment, a processing
    instruction or CDATA, a table under another prefix or the default namespace bound to
    WordprocessingML, or the prefix w bound elsewhere."""
    roll = chance.random()
    text = chance.choice(["甲", "a > b", "a/>b", "", "&lt;w:tbl&gt;"])
    if roll < 0.12 and depth < 2:
        inner = (
            _random_tables(chance, 1)
            if chance.random() < 0.7
            else _random_paragraph(chance, depth + 1)
        )
        return f"<w:p><w:r><w:t>{text}</w:t></w:r><w:txbx>{inner}</w:txbx></w:p>"
    if roll < 0.16:
        return chance.choice(
            [
                f'<w:p><w:r><w:t>{text}</w:t></w:r><w:tc><w:tcPr><w:gridSpan w:val="2"/>'
                "</w:tcPr></w:tc></w:p>",
                "<w:p><w:r/><w:tbl><w:tr><w:tc/></w:tr></w:tbl></w:p>",
                "<w:p><w:tr><w:tc/><w:tc/><w:tc/><w:tc/><w:tc/></w:tr></w:p>",
                "<w:p><w:tblGrid><w:gridCol/></w:tblGrid></w:p>",
                '<w:p><w:tr><w:tc><w:tcPr><w:gridSpan w:val="5"/></w:tcPr></w:tc></w:tr></w:p>',
            ]
        )
    if roll < 0.2:
        return '<w:p w:a=">"/>' if chance.random() < 0.5 else '<w:p w:a="/>"></w:p>'
    if roll < 0.24:
        return "<w:p/>" if chance.random() < 0.5 else "<w:p ></w:p >"
    if roll < 0.28:
        return chance.choice(
            [
                f"<w:p><!-- <w:p> --><w:r><w:t>{text}</w:t></w:r></w:p>",
                "<w:p><?x <w:tbl>?></w:p>",
                "<w:p><w:r><w:t><![CDATA[<w:p>]]></w:t></w:r></w:p>",
            ]
        )
    if roll < 0.34:
        table = "<q:tbl><q:tblGrid><q:gridCol/></q:tblGrid><q:tr><q:tc/><q:tc/></q:tr></q:tbl>"
        return chance.choice(
            [
                f'<w:p xmlns:q="{_W_URI}"><w:r><w:t>{text}</w:t></w:r>{table}</w:p>',
                f'<w:p><w:r xmlns="{_W_URI}"><tbl><tr><tc/></tr></tbl></w:r></w:p>',
                '<w:p><w:r xmlns:w="urn:other"><w:tbl><w:tr><w:tc/></w:tr></w:tbl></w:r></w:p>',
                f'<w:p xmlns:q="&#104;ttp://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"{table}</w:p>",
            ]
        )
    return f'<w:p w:rsidR="00A1"><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def _tidy_table(chance) -> str:
    """A table whose grid fits its rows, each cell holding one or two random paragraphs."""
    columns = chance.randint(1, 3)
    grid = "<w:tblGrid>" + "<w:gridCol/>" * columns + "</w:tblGrid>"
    rows = []
    for _ in range(chance.randint(1, 3)):
        cells = [
            "<w:tc>"
            + "".join(_random_paragraph(chance, 1) for _ in range(chance.randint(1, 2)))
            + "</w:tc>"
            for _ in range(columns)
        ]
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return "<w:tbl>" + grid + "".join(rows) + "</w:tbl>"


def test_a_filled_part_is_judged_as_a_whole_tree_would_judge_it(monkeypatch):
    # From TREE_BELOW bytes _fit_as_filled reads no tree of the whole part: it checks the bytes
    # with a target parser, then reads the tables with the plain paragraphs taken out. Its
    # answer must be the tree's.
    monkeypatch.setattr(prepared_module, "TREE_BELOW", 0)
    chance = random.Random(9704)
    answers = set()
    for _ in range(3000):
        pieces = [_random_paragraph(chance) for _ in range(chance.randint(0, 3))]
        table = (
            _tidy_table(chance)
            if chance.random() < 0.6
            else _random_tables(chance, 0, _random_paragraph)
        )
        pieces.insert(chance.randint(0, len(pieces)), table)
        if chance.random() < 0.1:  # output that does not parse
            pieces.append(chance.choice(["<w:p>", "<q:p/>", "<w:p w:a='1' w:a='2'/>", "&x;"]))
        document = (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<w:document xmlns:w="{_W_URI}"><w:body>{"".join(pieces)}</w:body></w:document>'
        ).encode()
        try:
            tree = etree.fromstring(document)
        except etree.XMLSyntaxError:
            expected = False
        else:
            expected = not _grid_needs_repair_cell_by_cell(tree)
        assert _fit_as_filled(document) == expected, document.decode("utf-8")
        answers.add(expected)
    assert answers == {True, False}


def test_a_colspan_inside_the_grid_stays_on_the_fast_path(tmp_path):
    doc = OfficialDocument()
    doc.table([Column("甲", "{% colspan n %}{{ row }}", 50), Column("乙", "x", 50)], "row in rows")
    path = tmp_path / "colspan.docx"
    doc.save(path)
    context = {"rows": ["一", "二"], "n": 2}
    prepared = prepare(path)
    with mock.patch.object(prepared, "_render_with_docxtpl", side_effect=AssertionError):
        fast = prepared.render(context)
    assert_same_document(fast, render_bytes(path, context))


def test_output_that_is_not_xml_goes_to_render_bytes_for_its_message(tmp_path):
    # An {% if %} opened in a paragraph and closed in a table cell: when false, the table's
    # closing tags are left without their opening ones.
    document = docx.Document()
    document.add_paragraph("{% if x %}甲")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{% endif %}乙"
    path = tmp_path / "broken.docx"
    document.save(path)
    prepared = prepare(path)
    assert prepared.fast
    expected = error_of(lambda: render_bytes(path, {"x": False}))
    assert "不是合法的 XML" in expected
    assert error_of(lambda: prepared.render({"x": False})) == expected
    assert texts_of(prepared.render({"x": True}))[1] == [["乙"]]


# --- workers ---------------------------------------------------------------------------------


def square(n: int) -> int:
    if n < 0:
        raise RenderError(f"第{-n}项无法生成")
    return n * n


def test_map_in_workers_keeps_the_order_and_reports_progress():
    ticks = []
    items = list(range(workers.PARALLEL_FROM * 3))
    assert map_in_workers(square, items, done=ticks.append, workers=2) == [n * n for n in items]
    assert sum(ticks) == len(items)


def collector_thresholds(_) -> tuple[int, ...]:
    return gc.get_threshold()


def test_spawned_workers_collect_cycles_as_their_parent_does(monkeypatch):
    """A spawned worker (Windows, macOS) does not inherit the thresholds cli.main sets."""
    monkeypatch.setattr(workers, "_start_method", lambda: "spawn")
    before = gc.get_threshold()
    gc.set_threshold(12345, 11, 12)
    try:
        items = list(range(workers.PARALLEL_FROM))
        found = set(map_in_workers(collector_thresholds, items, workers=2))
        with workers.in_background(collector_thresholds, [1, 2]) as results:
            found |= set(results())
    finally:
        gc.set_threshold(*before)
    assert found == {(12345, 11, 12)}


def test_map_in_workers_small_batches_stay_in_this_process():
    ticks = []
    assert map_in_workers(square, [1, 2, 3], done=ticks.append) == [1, 4, 9]
    assert ticks == [1, 1, 1]


def test_map_in_workers_prepares_nothing_for_nothing_to_do():
    """A rebuild that takes every form prepares no template for them."""
    prepared = []
    assert map_in_workers(square, [], initializer=prepared.append, initargs=("form",)) == []
    assert prepared == []
    assert map_in_workers(square, [2], initializer=prepared.append, initargs=("form",)) == [4]
    assert prepared == ["form"]


def test_map_in_workers_raises_the_first_error():
    items = list(range(workers.PARALLEL_FROM * 2))
    items[30] = -7
    with pytest.raises(RenderError, match="第7项无法生成"):
        map_in_workers(square, items, workers=2)


def test_forms_written_by_worker_processes(tmp_path, monkeypatch):
    """Forty departments, in two processes: every form there, Word and Excel in step."""
    from test_doc_feedback_form import excel_rows, texts, word_rows

    departments = [f"第{i}分局" for i in range(1, 41)]
    config = "\n".join(
        f'[[departments]]\nname = "{name}"\nkind = "分局"\nleader = "李明"\n'
        for name in departments
    )
    measures = [
        ["JS-01", "警示教育", "", "召开警示教育大会 A&B <x>", "学习反思", departments[0],
         "、".join(departments[1:20]), "王建国", dt.date(2026, 3, 31)],
        ["YA-001", "以案促改", "", "修订制度\n严禁超标准", "制度完善", departments[20],
         "、".join(departments[21:]), "李明", "长期坚持"],
    ]  # fmt: skip
    workspace = make_workspace(tmp_path / "ws", measures=measures, feedback={}, config=config)
    ticks = []
    job = small_job(workspace, tmp_path / "out", progress=ticks.append)
    paths = write_feedback_forms(job)
    assert sum(ticks) == len(departments)
    assert len(ticks) < len(departments)  # progress came in chunks, from the workers
    assert [p.name for p in paths[::2]] == [f"反馈表_{name}.docx" for name in departments]
    for docx_path, xlsx_path in zip(paths[::2], paths[1::2], strict=True):
        word = [[*row[:5], row[5].replace("\n", "")] for row in word_rows(docx_path)[1:]]
        assert word == [[str(c) for c in row] for row in excel_rows(xlsx_path)]
    findings = check_document(paths[0])
    assert findings == [], format_findings(findings, paths[0])
    assert "填报单位（盖章）：第1分局" in texts(paths[0])[1]


def test_a_failing_department_stops_the_batch(tmp_path, monkeypatch):
    workspace = make_workspace(tmp_path / "ws")
    job = small_job(workspace, tmp_path / "out")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    broken = tmp_path / "ws" / "templates" / TEMPLATE
    broken.parent.mkdir()
    template_with(broken.parent, "{{ department }}{{ no_such_field }}", name=TEMPLATE)
    with pytest.raises(DocgenError, match="no_such_field"):
        write_feedback_forms(job)


def test_write_docx_batch_writes_each_document_as_write_docx_does(tmp_path):
    from docgen.documents.base import write_docx, write_docx_batch

    workspace = make_workspace(tmp_path / "ws")
    ticks = []
    job = small_job(workspace, tmp_path / "batch", progress=ticks.append)
    template = workspace / "templates" / "note.docx"
    template.parent.mkdir()
    template_with(template.parent, "{{ department }}：{{ text }}", name="note.docx")
    count = workers.PARALLEL_FROM + 6

    def documents():
        for index in range(count):
            # `summary` is not in the template: it stays here, so it need not be picklable.
            context = {"department": f"第{index}分局", "text": "A&B <接待>", "summary": lambda: 0}
            yield context, f"note_{index}.docx"

    paths = write_docx_batch(job, "note.docx", documents(), count)
    assert [p.name for p in paths] == [f"note_{index}.docx" for index in range(count)]
    assert sum(ticks) == count
    one = write_docx(
        Job(job.summary, job.settings, workspace, tmp_path / "one", job.now),
        "note.docx",
        {"department": "第7分局", "text": "A&B <接待>"},
        "note_7.docx",
    )
    assert texts_of(paths[7].read_bytes()) == texts_of(one.read_bytes())
    assert texts_of(one.read_bytes())[0][1] == "第7分局：A&B <接待>"


def write_into(task: tuple[str, int]) -> Path:
    folder, index = task
    return write_soon(Path(folder) / f"{index}.bin", str(index).encode())


def test_writes_behind_are_done_when_the_batch_returns(tmp_path):
    count = workers.PARALLEL_FROM + 10
    paths = map_in_workers(write_into, [(str(tmp_path), i) for i in range(count)], workers=2)
    assert [p.read_bytes() for p in paths] == [str(i).encode() for i in range(count)]
    assert write_soon(tmp_path / "now.bin", b"x").read_bytes() == b"x"  # outside a batch


def test_a_failed_write_behind_fails_the_batch(tmp_path):
    (tmp_path / "file").write_bytes(b"")  # a file where a folder should be
    items = [
        (str(tmp_path / ("file" if i == 5 else "ok")), i) for i in range(workers.PARALLEL_FROM)
    ]
    with pytest.raises(OSError, match="File exists"):
        map_in_workers(write_into, items, workers=2)


# --- in_background: a few long items beside the caller's own work ---------------------------


def pid_and_square(n: int) -> tuple[int, int]:
    if n == 99:
        os._exit(3)  # a worker killed from outside, say
    return os.getpid(), square(n)


def pid_and_square_or_wait(item) -> tuple[int, int]:
    """(pid, n squared), after `event` is set when one is given; setting `done` when given."""
    n, event, done = item
    if event is not None and not event.wait(60):
        raise TimeoutError("the item that sets the event was never taken")
    if done is not None:
        done.set()
    return os.getpid(), square(n)


def test_in_background_gives_the_results_in_order_from_other_processes(monkeypatch):
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    # The first item waits until the third is done: shared out in turn, both would fall to one
    # worker; taken as the workers become free, the other worker does the rest meanwhile.
    event = multiprocessing.get_context(workers._start_method()).Event()
    items = [(1, event, None), (2, None, None), (3, None, event), (4, None, None), (5, None, None)]
    with workers.in_background(pid_and_square_or_wait, items) as results:
        here = [square(n) for n in (6, 7)]  # the caller's own work meanwhile
        found = results()
    assert [value for _, value in found] == [1, 4, 9, 16, 25] and here == [36, 49]
    assert len({pid for pid, _ in found}) == 2 and os.getpid() not in {pid for pid, _ in found}
    assert found[0][0] != found[2][0]  # the third was done while the first waited for it


def test_in_background_raises_a_workers_error_and_names_a_worker_that_died(monkeypatch):
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    failing = workers.in_background(pid_and_square, [1, -4, 3])
    with failing as results, pytest.raises(RenderError, match="第4项无法生成"):
        results()
    dying = workers.in_background(pid_and_square, [1, 99])
    with dying as results, pytest.raises(DocgenError, match="意外退出（退出码 3）"):
        results()


def wait_for_ever(started) -> None:
    started.set()
    threading.Event().wait()


def test_leaving_the_block_early_stops_the_workers(monkeypatch):
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    context = multiprocessing.get_context(workers._start_method())
    started = [context.Event(), context.Event()]
    with pytest.raises(KeyError), workers.in_background(wait_for_ever, started):
        assert all(event.wait(30) for event in started)
        raise KeyError("the caller's own work failed")
    assert multiprocessing.active_children() == []


def test_in_background_on_one_processor_does_the_items_here(monkeypatch):
    monkeypatch.setattr(workers, "worker_count", lambda: 1)
    with workers.in_background(pid_and_square, [2, 3]) as results:
        assert results() == [(os.getpid(), 4), (os.getpid(), 9)]
