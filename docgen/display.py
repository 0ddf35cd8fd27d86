"""Rich renderables for the terminal: validation problems and campaign status. Nothing prints here."""

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.table import Table
from rich.text import Text

from docgen.aggregation import RED, YELLOW, Counts, Summary
from docgen.issues import Issue

_LIGHT_STYLE = {RED: "bold red", YELLOW: "yellow"}


def format_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def issues_table(issues: list[Issue]) -> Table:
    table = Table(title=f"发现 {len(issues)} 个问题", box=box.SIMPLE_HEAVY, show_lines=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("位置", overflow="fold", ratio=3)
    table.add_column("值", overflow="fold", ratio=2)
    table.add_column("说明及修改方法", overflow="fold", ratio=5)
    for issue in sorted(issues, key=lambda i: (not i.is_error, i.file, i.row or 0)):
        level = Text("错误", style="bold red") if issue.is_error else Text("提示", style="yellow")
        table.add_row(
            level,
            issue.location(),
            _short(issue.value),
            Text.assemble(issue.message, (f" [{issue.code}]", "dim")),
        )
    return table


def _short(value: str, limit: int = 30) -> str:
    value = value.replace("\n", "⏎")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _counts_row(name: str, counts: Counts) -> list[str]:
    return [
        name,
        str(counts.total),
        str(counts.done),
        str(counts.doing),
        str(counts.not_started),
        str(counts.standing),
        str(counts.unreported),
        str(counts.overdue),
        percent(counts.rate),
    ]


_COUNT_HEADERS = ("总数", "已完成", "推进中", "未启动", "长期坚持", "未反馈", "逾期", "完成率")


def status_view(summary: Summary, limit: int = 20, width: int = 80) -> Group:
    """Headline, streams, ranked departments, overdue, due soon and unreported, as rich tables."""
    counts = summary.counts
    headline = Text.assemble(
        ("截至", ""),
        (format_date(summary.as_of), "bold"),
        ("，共有举措 ", ""),
        (str(counts.total), "bold"),
        (" 项，已完成 ", ""),
        (str(counts.done), "bold green"),
        (" 项，完成率 ", ""),
        (percent(counts.rate), "bold"),
        ("；逾期 ", ""),
        (str(counts.overdue), "bold red" if counts.overdue else ""),
        (" 项，临期 ", ""),
        (str(counts.due_soon), "yellow" if counts.due_soon else ""),
        (f" 项（{summary.warning_days}天内到期）。", ""),
    )

    streams = Table(title="分专项进展", box=box.SIMPLE_HEAVY, padding=(0, 1), pad_edge=False)
    streams.add_column("专项", no_wrap=True)
    for header in _COUNT_HEADERS:
        streams.add_column(header, justify="right", no_wrap=True)
    for group in summary.streams:
        streams.add_row(*_counts_row(group.name, group.counts))
    streams.add_row(*_counts_row("合计", counts), style="bold")

    departments = Table(
        title="部门完成情况排名（按承担任务计）",
        box=box.SIMPLE_HEAVY,
        padding=(0, 1),
        pad_edge=False,
    )
    for header, justify in (
        ("名次", "right"),
        ("部门", "left"),
        ("承担", "right"),
        ("牵头", "right"),
    ):
        departments.add_column(header, justify=justify)
    for header in ("已完成", "逾期", "未反馈", "完成率"):
        departments.add_column(header, justify="right")
    for rank, department in enumerate(summary.departments, start=1):
        c = department.counts
        departments.add_row(
            str(rank),
            department.name,
            str(c.total),
            str(department.lead),
            str(c.done),
            Text(str(c.overdue), style="red" if c.overdue else ""),
            str(c.unreported),
            percent(c.rate),
        )

    parts = [headline, streams, departments]
    if summary.spot_checked:
        parts.extend(_verification(summary, limit, width))
    if summary.overdue:
        parts.append(
            _measure_table(
                f"逾期举措（{len(summary.overdue)}项）", summary.overdue, limit, True, width
            )
        )
    if summary.due_soon:
        title = f"临期举措（{summary.warning_days}天内到期，{len(summary.due_soon)}项）"
        parts.append(_measure_table(title, summary.due_soon, limit, False, width))
    if summary.silent_departments:
        parts.append(
            Text(
                f"未报送反馈表的部门（{len(summary.silent_departments)}个）："
                + "、".join(summary.silent_departments),
                style="yellow",
            )
        )
    unreported = [d for d in summary.departments if d.counts.unreported and not d.sent_nothing]
    if unreported:
        lines = "；".join(f"{d.name}{d.counts.unreported}项" for d in unreported)
        parts.append(Text(f"已报送但有举措未填报的部门：{lines}。"))
    return Group(*parts)


def _fit(text: str, width: int) -> str:
    """Cut text to `width` terminal cells (a Chinese character takes two)."""
    text = text.replace("\n", " ")
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 1)) + "…"


def _measure_table(title, measures, limit, overdue, width) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAVY, padding=(0, 1), pad_edge=False)
    days_header = "逾期" if overdue else "剩余"
    rows = []
    for measure in measures[:limit]:
        days = measure.overdue_days if overdue else measure.days_left
        deadline = format_date(measure.deadline) if measure.deadline else measure.deadline_text
        rows.append(
            [
                measure.id,
                measure.text,
                _fit(measure.lead, 14),
                deadline,
                measure.status,
                f"{days}天",
                measure.light,
            ]
        )
    headers = ["编号", "具体举措", "牵头部门", "完成时限", "状态", days_header]
    widths = [max(cell_len(h), *(cell_len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    # The measure text takes what the other columns leave, so the table fits the terminal.
    widths[1] = max(12, width - sum(widths) + widths[1] - 3 * len(headers))
    for header, column_width in zip(headers, widths, strict=True):
        justify = "right" if header == days_header else "left"
        table.add_column(
            header, no_wrap=True, justify=justify, min_width=column_width, max_width=column_width
        )
    for measure_id, text, lead, deadline, status, days, light in rows:
        table.add_row(
            measure_id,
            _fit(text, widths[1]),
            lead,
            deadline,
            status,
            Text(days, style=_LIGHT_STYLE.get(light, "")),
        )
    if len(measures) > limit:
        table.caption = f"另有 {len(measures) - limit} 项未列出，用 --json 查看全部。"
    return table


def _verification(summary: Summary, limit: int, width: int) -> list:
    """督导抽查: how many finished measures are closed (已销号) or still to verify (待核验), and
    each claim found 不属实 with what the checker found and the new deadline."""
    counts = summary.counts
    line = Text.assemble(
        ("督导抽查：已完成的 ", ""),
        (str(counts.done), "bold"),
        (" 项举措中，已销号 ", ""),
        (str(counts.closed), "bold green"),
        (" 项，待核验 ", ""),
        (str(counts.done - counts.closed), "bold"),
        (" 项；抽查不属实 ", ""),
        (str(counts.refuted), "bold red" if counts.refuted else ""),
        (" 项。", ""),
    )
    if not summary.refuted:
        return [line]
    table = Table(
        title=f"抽查不属实的举措（{len(summary.refuted)}项）", box=box.SIMPLE_HEAVY, pad_edge=False
    )
    for header in ("编号", "责任部门", "核查日期", "发现的问题", "重新完成期限"):
        table.add_column(header, overflow="fold")
    for measure in summary.refuted[:limit]:
        for a in measure.assignments:
            if a.refuted:
                table.add_row(
                    measure.id,
                    a.department,
                    format_date(a.checked_on) if a.checked_on else "",
                    _fit(a.finding or "未写明", max(width // 3, 10)),
                    format_date(a.redo_by) if a.redo_by else "",
                )
    return [line, table]
