"""Charts: drawn with a real CJK font, in the ledger's colours, and placed in the documents."""

import datetime as dt
import io
import zipfile

import docx
import pytest
from conftest import SMALL_AS_OF, campaign_of, job_for
from PIL import Image

from docgen import charts
from docgen.model import LIGHT_COLOURS
from docgen.rendering import kept
from docgen.workbooks import LIGHT_FILLS
from docgen.workspace import open_workspace

pytestmark = pytest.mark.skipif(
    not charts.cjk_font_available(),
    reason="no font with Chinese glyphs is installed (apt-get install fonts-noto-cjk)",
)


@pytest.fixture
def summary(small_workspace):
    return campaign_of(small_workspace, SMALL_AS_OF).summary


def colours_in(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 20)}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def test_chinese_labels_use_an_installed_cjk_font(summary, recwarn):
    font = charts.find_cjk_font()
    assert font
    chart = charts.progress_by_group(summary, summary.streams, "分专项完成情况")
    # matplotlib warns "Glyph … missing from font" when it would draw a box instead of a character.
    assert not [w for w in recwarn if "missing from" in str(w.message)]
    assert chart.png.startswith(b"\x89PNG")


def test_print_resolution_and_type_area_width(summary):
    chart = charts.completions_by_month(summary, 2026)
    image = Image.open(io.BytesIO(chart.png))
    dpi = image.info["dpi"][0]
    assert round(dpi) == charts.DPI
    assert chart.width_mm == 156
    # Drawn at least as wide as the type area at 300 dpi (bbox trimming may take a little off).
    assert image.width >= 0.9 * 156 / 25.4 * 300


def test_colours_are_the_ledgers_lights(summary):
    # The small campaign as of 6-15 has one overdue (XC-001) and one due-soon (YA-001) measure.
    png = charts.progress_by_group(summary, summary.streams, "分专项").png
    found = colours_in(png)
    assert rgb(LIGHT_COLOURS["红"]) in found
    assert rgb(LIGHT_COLOURS["黄"]) in found
    assert rgb(LIGHT_COLOURS["绿"]) in found
    assert LIGHT_FILLS["红"].fgColor.rgb.endswith(LIGHT_COLOURS["红"])


def test_departments_chart_marks_overdue_departments_red(summary):
    png = charts.departments_ranked(summary).png
    assert rgb(LIGHT_COLOURS["红"]) in colours_in(png)  # 办公室 and 财务处 have overdue items


def test_brief_and_year_end_carry_their_charts(tmp_path, small_workspace):
    from docgen.build import build
    from docgen.documents.year_end import write_year_end

    workspace = open_workspace(small_workspace, SMALL_AS_OF, SMALL_AS_OF)
    result = build(workspace, tmp_path / "out", dt.datetime(2026, 6, 15, 9))
    brief = next(p for p in result.outputs if p.name.startswith("督导简报"))
    # In June a build leaves the summary out (before the fourth quarter); asked for, it is written.
    [year_end] = write_year_end(job_for(small_workspace, tmp_path / "year-end"))
    for path, expected in ((brief, 2), (year_end, 2)):
        with zipfile.ZipFile(path) as archive:
            media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == expected, path.name
        document = docx.Document(path)
        shapes = document.inline_shapes
        assert len(shapes) == expected
        # Sized to the type area (156 mm wide), never wider.
        assert all(abs(shape.width.mm - 156) < 1 for shape in shapes)


def test_without_a_cjk_font_documents_come_without_charts_and_the_user_is_told(
    tmp_path, small_workspace, monkeypatch
):
    from click.testing import CliRunner

    from docgen.cli import main

    def no_font():
        raise charts.ChartError("没有找到可显示中文的字体")

    monkeypatch.setattr(charts, "find_cjk_font", no_font)
    result = CliRunner().invoke(
        main,
        [
            "report",
            "brief",
            "--inputs",
            str(small_workspace),
            "--out",
            str(tmp_path),
            "--as-of",
            "2026-06-15",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "fonts-noto-cjk" in result.stderr
    brief = next(tmp_path.rglob("督导简报*.docx"))
    assert len(docx.Document(brief).inline_shapes) == 0


def test_a_long_ranking_shows_its_two_ends(summary, monkeypatch):
    import dataclasses

    many = tuple(dataclasses.replace(summary.departments[0], name=f"第{i}分局") for i in range(60))
    big = dataclasses.replace(summary, departments=many)
    chart = charts.departments_ranked(big)
    assert "前20名和后20名，共60个部门" in chart.title
    height = Image.open(io.BytesIO(chart.png)).height
    small = Image.open(io.BytesIO(charts.departments_ranked(summary).png)).height
    assert height < small * 12  # 40 bars, not 60


def test_a_chart_is_drawn_once_for_its_data_and_a_kept_one_cut_short_is_drawn_again(
    summary, tmp_path, monkeypatch
):
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    kept._folder.cache_clear()
    drawn = []
    chart = charts._chart
    monkeypatch.setattr(charts, "_chart", lambda *args: drawn.append(args[1]) or chart(*args))
    try:
        first = charts.ranking_picture(summary, "各部门任务完成率").png
        assert charts.ranking_picture(summary, "各部门任务完成率").png == first
        assert len(drawn) == 1
        assert charts.ranking_picture(summary, "另一个标题").png != first  # other data: drawn
        assert len(drawn) == 2
        for entry in (tmp_path / "cache" / "charts").iterdir():
            entry.write_bytes(entry.read_bytes()[:1000])
        assert charts.ranking_picture(summary, "各部门任务完成率").png == first
        assert len(drawn) == 3
        assert Image.open(io.BytesIO(first)).format == "PNG"
    finally:
        kept._folder.cache_clear()
