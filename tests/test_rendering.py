import datetime as dt
import math

import docx
import pytest

from docgen import files, rendering
from docgen.errors import DocgenError
from docgen.official.builder import BODY, Column, OfficialDocument
from docgen.rendering import RenderError, render_document
from docgen.text import xml_safe

HOSTILE = [
    "A & B",
    "x<y",
    "<select>",
    "a > b",
    "He said \"hi\" and 'ok'",
    "&amp; &lt; &#123;",
    "{{ not_a_tag }}",
    "{% if x %}",
    "{_{ x }_}",
    "%}}{#",
    "😀👍🏽",
    "㛃",
    "𠮷野家",
    "x" * 10_000,
    "中" * 10_000,
    "",
    "   leading and trailing   ",
]


@pytest.fixture
def value_template(tmp_path):
    """A template printing `value` in a body paragraph, a table cell and a page header."""
    doc = OfficialDocument()
    doc.title("标题")
    doc.paragraph(BODY, "{{ value }}")
    doc.table([Column("值", "{{ row }}", 100)], "row in rows")
    header = doc.document.sections[0].header
    header.paragraphs[0].text = "{{ value }}"
    path = tmp_path / "value.docx"
    doc.save(path)
    return path


def _render_value(template, tmp_path, value):
    out = render_document(template, {"value": value, "rows": [value]}, tmp_path / "out.docx")
    document = docx.Document(str(out))
    body = document.paragraphs[1].text
    cell = document.tables[0].rows[1].cells[0].text
    header = document.sections[0].header.paragraphs[0].text
    return body, cell, header


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_render_unchanged(value_template, tmp_path, value):
    body, cell, header = _render_value(value_template, tmp_path, value)
    assert body == value
    assert cell == value
    assert header == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (math.nan, ""),
        ("line1\r\nline2", "line1\nline2"),
        ("line1\rline2", "line1\nline2"),
        ("cell_x000B_AltEnter", "cell\nAltEnter"),
        ("a\x0bb\x0cc", "a\nb\nc"),
        ("ctrl\x00\x01\x07\x08\x1f\x7fchars", "ctrlchars"),
        ("tab\tbetween", "tab\tbetween"),
        (3.0, "3"),
        (2.5, "2.5"),
        (dt.date(2026, 3, 5), "2026年3月5日"),
    ],
)
def test_values_are_made_xml_safe(value_template, tmp_path, value, expected):
    body, cell, header = _render_value(value_template, tmp_path, value)
    assert body == expected
    assert cell == expected
    assert header == expected


def test_xml_safe():
    assert xml_safe(None) == ""
    assert xml_safe(float("nan")) == ""
    assert xml_safe("_x005F_x000B_") == "_x000B_"  # an escaped underscore stays literal
    assert xml_safe("_x0041_BC") == "ABC"
    assert xml_safe("a\u2028b") == "a\nb"
    assert xml_safe("\ud800lone surrogate") == "lone surrogate"
    assert xml_safe(7) == "7"
    pd = pytest.importorskip("pandas")
    assert xml_safe(pd.NA) == ""
    assert xml_safe(pd.NaT) == ""
    assert xml_safe(pd.Timestamp("2026-11-26")) == "2026年11月26日"


def test_missing_variables_are_named_before_rendering(value_template, tmp_path):
    assert rendering.missing_variables(value_template, {}) == ["rows", "value"]
    assert rendering.missing_variables(value_template, {"value": 1, "rows": []}) == []
    out = tmp_path / "out.docx"
    with pytest.raises(RenderError, match="rows") as info:
        render_document(value_template, {"value": "x"}, out)
    assert isinstance(info.value, DocgenError)
    assert not out.exists()


def _template_with(tmp_path, *texts, name="t.docx"):
    doc = OfficialDocument()
    for text in texts:
        doc.paragraph(BODY, text)
    path = tmp_path / name
    doc.save(path)
    return path


def test_a_missing_field_shows_the_template_text_around_it(tmp_path):
    template = _template_with(
        tmp_path, "第一段", "{% for m in items %}{{ m.name }}{% endfor %}", "第三段"
    )
    with pytest.raises(RenderError) as info:
        render_document(template, {"items": [{"title": "x"}]}, tmp_path / "out.docx")
    message = str(info.value)
    assert "name" in message
    assert "m.name" in message  # the failing tag, as the template has it
    assert "第一段" in message or "第三段" in message


def test_a_syntax_error_is_reported_with_its_place(tmp_path):
    template = _template_with(tmp_path, "前文", "{% if x %}没有结束", "后文")
    with pytest.raises(RenderError, match="语法|endif|if"):
        render_document(template, {"x": True}, tmp_path / "out.docx")


def test_the_environment_is_sandboxed(tmp_path):
    template = _template_with(tmp_path, "{{ value.__class__.__mro__ }}")
    with pytest.raises(RenderError):
        render_document(template, {"value": "x"}, tmp_path / "out.docx")
    assert rendering.ENVIRONMENT.autoescape is True


def test_filters_work_in_templates(tmp_path):
    template = _template_with(
        tmp_path,
        "{{ d|date_cn }}|{{ 21|heading1 }}|{{ 0.76|percent }}|{{ 3|count('个') }}|"
        "{{ 'X党组发'|doc_number(2026, 3) }}",
    )
    out = render_document(template, {"d": dt.date(2026, 11, 26)}, tmp_path / "out.docx")
    text = docx.Document(str(out)).paragraphs[0].text
    assert text == "2026年11月26日|二十一、|76.0%|3个|X党组发〔2026〕3号"


def test_a_leftover_tag_is_refused(tmp_path):
    # docxtpl turns {_{ into {{ after rendering: the saved document would still hold a tag.
    template = _template_with(tmp_path, "{_{ forgotten }_}")
    out = tmp_path / "out.docx"
    with pytest.raises(RenderError, match="未处理的模板标记"):
        render_document(template, {}, out)
    assert not out.exists()


def test_a_failed_render_leaves_the_previous_output_untouched(value_template, tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    with pytest.raises(RenderError):
        render_document(value_template, {"value": "x"}, out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_atomic_write_bytes_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "file.bin"
    files.atomic_write_bytes(target, b"one")
    files.atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin"]


def test_resolve_template_prefers_the_workspace(tmp_path):
    packaged = rendering.resolve_template("urge_notice.docx")
    assert packaged.is_file()
    assert packaged.parent == rendering.packaged_templates_dir()
    assert rendering.resolve_template("urge_notice.docx", workspace=tmp_path) == packaged
    override = tmp_path / "templates" / "urge_notice.docx"
    override.parent.mkdir()
    override.write_bytes(packaged.read_bytes())
    assert rendering.resolve_template("urge_notice.docx", workspace=tmp_path) == override
    with pytest.raises(RenderError, match="找不到模板"):
        rendering.resolve_template("nonexistent.docx", workspace=tmp_path)
    # The demo templates (tests/official_demo) are not packaged any more.
    with pytest.raises(RenderError, match="找不到模板"):
        rendering.resolve_template("report.docx")


def test_template_variables_are_cached_per_file(value_template):
    first = rendering.template_variables(value_template)
    assert first == {"value", "rows"}
    assert rendering.template_variables(value_template) is first


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("办公室", "办公室"),
        ("财务/审计科", "财务_审计科"),
        ('a<b>:"c"|?*', "a_b___c____"),
        ("CON", "_CON"),
        ("name. ", "name"),
        ("", "_"),
    ],
)
def test_safe_filename(name, expected):
    assert files.safe_filename(name) == expected


def test_validate_docx_rejects_broken_parts(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed></w:document>")
    with pytest.raises(RenderError, match="document.xml"):
        rendering.validate_docx(buffer.getvalue())
    with pytest.raises(RenderError, match="不是有效"):
        rendering.validate_docx(b"not a zip")
