"""Charts for the brief and the year-end summary, as PNG bytes at print resolution.

Colours are the ledger's traffic lights (model.LIGHT_COLOURS), so a reader sees the same red,
yellow and green in the chart as in the 整改台账. Labels are Chinese: a CJK font installed on the
machine is found and used, or a ChartError says how to install one; a chart never shows boxes.

matplotlib is imported when a chart is first drawn: its import takes longer than a whole small
build, and a machine without a CJK font never draws. Figures are made without pyplot, whose
state machine and backend loading are for interactive use. The brief and the year-end summary
get their charts as DrawnPicture, drawn only when the document is rendered, and then only when
no chart was drawn from the same data before (rendering.kept keeps the PNGs in the user's cache).
"""

import functools
import io
import pickle
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docgen.aggregation import GroupProgress, MeasureProgress, Summary
from docgen.errors import DocgenError
from docgen.model import DONE, LIGHT_COLOURS
from docgen.rendering import Picture
from docgen.rendering.kept import kept_value

DPI = 300
# The type area is 156 mm wide; charts take its full width.
WIDTH_MM = 156
MM_PER_INCH = 25.4
# Fonts that carry Simplified Chinese, in order of preference: Windows, macOS, Linux packages.
CJK_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
    "SimSun",
)
DONE_COLOUR = "38761D"  # a darker green than the light, so done and on track read apart
GRID_COLOUR = "BFBFBF"
# Departments named at each end of the ranking chart when there are many.
SHOWN = 20


class ChartError(DocgenError):
    """No font with Chinese characters is installed, so charts cannot be drawn legibly."""


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes, the width it is meant to print at, its title and, for the
    alt text, what it shows in words."""

    png: bytes
    width_mm: float
    title: str
    description: str = ""

    @property
    def picture(self) -> Picture:
        return Picture(self.png, self.width_mm)


def find_cjk_font() -> str:
    """The family name of an installed font that has Chinese glyphs."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    for entry in font_manager.fontManager.ttflist:
        if any(word in entry.name for word in ("CJK", "Hei", "Song", "Kai", "Fang")):
            return entry.name
    raise ChartError(
        "没有找到可显示中文的字体，无法绘制图表。Linux 上请安装 fonts-noto-cjk"
        "（如 sudo apt-get install fonts-noto-cjk），Windows 和 macOS 自带的中文字体即可使用。"
    )


def _figure(height_mm: float):
    import matplotlib
    from matplotlib.figure import Figure

    font = find_cjk_font()
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [font],
            "axes.unicode_minus": False,
            "font.size": 9,
            "axes.edgecolor": "#595959",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return Figure(figsize=(WIDTH_MM / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=DPI)


def _chart(figure, title: str, description: str) -> Chart:
    """The figure as a Chart; its PNG carries the title and description as Title and
    Description text, which the templates make the picture's alt text (rendering.alt_text)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # A department name with a character the font lacks (an emoji, a rare ideograph) is
        # drawn with a blank box; matplotlib's warning for each would only clutter the console.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(
            buffer,
            format="png",
            dpi=DPI,
            bbox_inches="tight",
            pad_inches=0.05,
            # No Software entry (matplotlib's version): the PNG's bytes depend on the chart
            # alone, and matplotlib writes no time into a PNG, so a rebuild gives the same file.
            metadata={"Title": title, "Description": description, "Software": None},
        )
    return Chart(buffer.getvalue(), WIDTH_MM, title, description)


def _hex(colour: str) -> str:
    return f"#{colour}"


def _light_segments(measures: Sequence[MeasureProgress]) -> tuple[int, int, int, int]:
    """Done, open on track (green), due soon (yellow), overdue (red)."""
    done = sum(1 for m in measures if m.status == DONE)
    red = sum(1 for m in measures if m.light == "红")
    yellow = sum(1 for m in measures if m.light == "黄")
    return done, len(measures) - done - red - yellow, yellow, red


SEGMENTS = (
    ("已完成", DONE_COLOUR),
    ("未完成（未到期）", LIGHT_COLOURS["绿"]),
    ("临期（黄灯）", LIGHT_COLOURS["黄"]),
    ("逾期（红灯）", LIGHT_COLOURS["红"]),
)


def progress_by_group(summary: Summary, groups: Sequence[GroupProgress], title: str) -> Chart:
    """Stacked horizontal bars, one per stream or aspect: done, on track, due soon, overdue."""
    return _draw_progress(*_progress_data(summary, groups, title))


def _progress_data(summary: Summary, groups: Sequence[GroupProgress], title: str) -> tuple:
    by_id = {m.id: m for m in summary.measures}
    rows = tuple((g.name, _light_segments([by_id[i] for i in g.measure_ids])) for g in groups)
    return rows, title


def _draw_progress(rows: tuple, title: str) -> Chart:
    figure = _figure(18 + 11 * len(rows))
    axes = figure.add_subplot()
    names = [name for name, _ in rows][::-1]
    left = [0] * len(rows)
    for index, (label, colour) in enumerate(SEGMENTS):
        values = [segments[index] for _, segments in rows][::-1]
        bars = axes.barh(
            names, values, left=left, color=_hex(colour), edgecolor="white", label=label
        )
        widest = max(sum(segments) for _, segments in rows) or 1
        for bar, value in zip(bars, values, strict=True):
            # A number only where it fits inside its segment.
            if value and value / widest >= 0.04:
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(value),
                    ha="center",
                    va="center",
                    color="white" if index in (0, 3) else "black",
                    fontsize=8,
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel("举措数（项）")
    axes.set_title(title, fontsize=10)
    axes.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False, fontsize=8)
    axes.xaxis.grid(True, color=_hex(GRID_COLOUR), linewidth=0.5)
    axes.set_axisbelow(True)
    counts = "；".join(
        f"{name}"
        + "、".join(
            f"{label}{value}项" for (label, _), value in zip(SEGMENTS, segments, strict=True)
        )
        for name, segments in rows
    )
    description = f"堆积条形图，{title}：{counts}。"
    return _chart(figure, title, description)


def departments_ranked(summary: Summary, title: str = "各部门任务完成率") -> Chart:
    """Completion rate per department, best first; red where the department has overdue items.

    With more than 2 × SHOWN departments the chart shows the first and the last SHOWN of the
    ranking (its title says so): 500 bars would make a chart metres tall that nobody reads.
    """
    return _draw_ranking(*_ranking_data(summary, title))


def _ranking_data(summary: Summary, title: str) -> tuple:
    """Each department shown as (name, rate, whether it has overdue items), and the title."""
    departments = list(summary.departments)
    if len(departments) > 2 * SHOWN:
        departments = departments[:SHOWN] + departments[-SHOWN:]
        title = f"{title}（前{SHOWN}名和后{SHOWN}名，共{len(summary.departments)}个部门）"
    rows = tuple((d.name, d.counts.rate, bool(d.counts.overdue)) for d in departments)
    return rows, title


def _draw_ranking(rows: tuple, title: str) -> Chart:
    figure = _figure(20 + 5.2 * len(rows))
    axes = figure.add_subplot()
    names = [name for name, _, _ in rows][::-1]
    rates = [round(rate * 100, 1) for _, rate, _ in rows][::-1]
    colours = [_hex(LIGHT_COLOURS["红"] if late else DONE_COLOUR) for _, _, late in rows][::-1]
    bars = axes.barh(names, rates, color=colours, height=0.7)
    for bar, rate in zip(bars, rates, strict=True):
        axes.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{rate:.1f}%",
            va="center",
            fontsize=7,
        )
    axes.set_xlim(0, 110)
    axes.set_xlabel("完成率（%，按承担任务计；红色为有逾期任务的部门）")
    axes.set_title(title, fontsize=10)
    axes.tick_params(axis="y", labelsize=7)
    axes.xaxis.grid(True, color=_hex(GRID_COLOUR), linewidth=0.5)
    axes.set_axisbelow(True)
    rates_text = "、".join(f"{name}{rate * 100:.1f}%" for name, rate, _ in rows)
    description = (
        f"条形图，{title}，按完成率从高到低排列，红色为有逾期任务的部门：{rates_text}。"
        if rows
        else f"条形图，{title}：没有部门。"
    )
    return _chart(figure, title, description)


def completions_by_month(summary: Summary, year: int, title: str = "各月完成举措数") -> Chart:
    """Measures completed in each month of the year (bars) and the running total (line)."""
    return _draw_months(*_months_data(summary, year, title))


def _months_data(summary: Summary, year: int, title: str) -> tuple:
    """The completions of each month of the year up to the as-of date's, the year, the title."""
    months = [0] * 12
    for measure in summary.measures:
        if measure.status == DONE and measure.completed_on and measure.completed_on.year == year:
            months[measure.completed_on.month - 1] += 1
    last = summary.as_of.month if summary.as_of.year == year else 12
    return tuple(months[:last]), year, title


def _draw_months(shown: tuple, year: int, title: str) -> Chart:
    last = len(shown)
    running = [sum(shown[: i + 1]) for i in range(len(shown))]
    figure = _figure(75)
    axes = figure.add_subplot()
    labels = [f"{m}月" for m in range(1, last + 1)]
    bars = axes.bar(labels, shown, color=_hex(DONE_COLOUR), label="当月完成")
    for bar, value in zip(bars, shown, strict=True):
        if value:
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height(),
                str(value),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    axes.set_ylabel("当月完成（项）")
    total_axes = axes.twinx()
    total_axes.plot(
        labels, running, color="#404040", marker="o", markersize=3, linewidth=1.2, label="累计完成"
    )
    total_axes.set_ylabel("累计完成（项）")
    total_axes.set_ylim(0, max(running + [1]) * 1.15)
    total_axes.spines["right"].set_visible(True)
    axes.set_title(title, fontsize=10)
    handles = axes.get_legend_handles_labels()[0] + total_axes.get_legend_handles_labels()[0]
    axes.legend(handles, ["当月完成", "累计完成"], loc="upper left", frameon=False, fontsize=8)
    axes.yaxis.grid(True, color=_hex(GRID_COLOUR), linewidth=0.5)
    axes.set_axisbelow(True)
    per_month = "、".join(f"{label}{value}项" for label, value in zip(labels, shown, strict=True))
    description = (
        f"柱状图和折线图，{year}年{title}，柱为当月完成数，折线为累计完成数："
        f"{per_month}，累计{running[-1] if running else 0}项。"
    )
    return _chart(figure, title, description)


def cjk_font_available() -> bool:
    try:
        find_cjk_font()
    except ChartError:
        return False
    return True


class DrawnPicture(Picture):
    """A chart as a template picture, drawn the first time its PNG is asked for.

    It pickles as what it is drawn from (the drawing function, the font and the chart's data),
    so a document's fingerprint (docgen.reuse) holds the chart's figures, and a build that
    takes the document from the previous build never draws it."""

    def __init__(self, draw: Callable[..., Chart], *data) -> None:
        object.__setattr__(self, "width_mm", WIDTH_MM)
        object.__setattr__(self, "_draw", draw)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_font", find_cjk_font())

    @functools.cached_property
    def png(self) -> bytes:  # type: ignore[override]
        """The chart drawn, or as it was drawn from the same data before (rendering.kept)."""
        return kept_value("charts", pickle.dumps(self, protocol=5), self._drawn_png, _whole_png)

    def _drawn_png(self) -> bytes:
        return self._draw(*self._data).png

    def __reduce__(self):
        return (_drawn, (self._draw, self._font, self._data))


def _drawn(draw: Callable[..., Chart], font: str, data: tuple) -> DrawnPicture:
    return DrawnPicture(draw, *data)


def _whole_png(data: bytes) -> bytes:
    """`data`, a PNG from its signature to its end chunk; ValueError for one cut short."""
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")):
        raise ValueError("not a whole PNG")
    return data


def progress_picture(summary: Summary, groups: Sequence[GroupProgress], title: str) -> Picture:
    """progress_by_group as a template picture, drawn when the document is rendered."""
    return DrawnPicture(_draw_progress, *_progress_data(summary, groups, title))


def ranking_picture(summary: Summary, title: str) -> Picture:
    """departments_ranked as a template picture, drawn when the document is rendered."""
    return DrawnPicture(_draw_ranking, *_ranking_data(summary, title))


def year_end_charts(summary: Summary, year: int) -> dict:
    """The year-end summary's charts as template pictures, or {} where no Chinese font is installed."""
    if not cjk_font_available():
        return {}
    charts = {"months": DrawnPicture(_draw_months, *_months_data(summary, year, "各月完成举措数"))}
    if summary.aspects:
        charts["aspects"] = progress_picture(summary, summary.aspects, "分方面完成情况")
    return charts
