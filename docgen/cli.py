"""Command line: parse options, call one library function, print, pick the exit code.

The library is imported inside the commands, not at the top: it brings pandas, python-docx and
rich, and `docgen --help` should start at once (tests/test_startup.py). Nothing else is imported
late anywhere in docgen.
"""

import contextlib
import datetime as dt
import functools
import gc
import json
import sys
import time
import traceback
from pathlib import Path

import click

from docgen import __version__

# gc.set_threshold for a run: a collection every 50,000 new objects (the default is 700).
COLLECTOR_THRESHOLDS = (50_000, 20, 20)

EXAMPLES = """
\b
常用示例：
  docgen status                      查看 inputs/ 中示例数据的整体进度
  docgen validate --inputs 数据/11月  检查某个文件夹中的举措清单和反馈表
  docgen status --as-of 2026-12-15   按指定日期计算逾期和临期
  docgen init 我的台账                新建一个空的工作文件夹
  docgen due                         查看近期的时间节点、到期举措和按规则要生成的文件
  docgen run                         按 docgen.toml 中的日程生成今天该生成的文件（供定时任务调用）
"""


def _stderr():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _stdout():
    from rich.console import Console

    return Console(soft_wrap=False)


def handle_errors(command):
    """Turn library errors into a short Chinese message and exit 1; --debug shows the traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from rich.markup import escape

        from docgen.errors import DocgenError, ValidationFailed

        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except ValidationFailed as exc:
            from docgen.display import issues_table

            # The errors stopped the command; thousands of warnings would bury them.
            report = exc.report
            _stderr().print(issues_table(report.errors))
            if report.warnings:
                _stderr().print(
                    f"另有 {len(report.warnings)} 条提示，可运行 docgen validate 查看。",
                    highlight=False,
                )
            _stderr().print(
                f"[bold red]错误：[/]{escape(str(exc))}没有生成任何文件。", highlight=False
            )
            sys.exit(1)
        except DocgenError as exc:
            if debug:
                traceback.print_exc()
            # escaped: messages quote settings such as [campaign] that rich would take for markup
            _stderr().print(f"[bold red]错误：[/]{escape(str(exc))}", highlight=False)
            # a few errors carry their own code for schedulers (docgen.schedule.lock.EXIT_LOCKED)
            sys.exit(getattr(exc, "exit_code", 1))
        except KeyboardInterrupt:
            _stderr().print("已中断。")
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if debug:
                raise
            _stderr().print(
                f"[bold red]内部错误：[/]{type(exc).__name__}: {escape(str(exc))}\n"
                "请加 --debug 重新运行以查看详细信息，并把输出发给维护人员。",
                highlight=False,
            )
            sys.exit(1)

    return wrapper


def parse_as_of(value: str | None):
    if value is None:
        return None
    from docgen.validation import parse_date

    day = parse_date(value)
    if day is None:
        raise click.BadParameter(f"“{value}”不是日期，请写成 2026-11-26 或 2026年11月26日。")
    return day


inputs_option = click.option(
    "--inputs",
    "inputs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="存放 measures.xlsx、feedback/ 和 docgen.toml 的文件夹。",
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="日期",
    callback=lambda ctx, param, value: parse_as_of(value),
    help="统计截止日期，如 2026-11-26；默认取 docgen.toml 中的 as_of，没有则为今天。",
)
json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出，供脚本读取。")


def _workspace(inputs: Path, as_of):
    """The workspace in `inputs`, opened once for the command (docgen.workspace)."""
    from docgen.workspace import open_workspace

    return open_workspace(inputs, as_of, dt.date.today())


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", message="docgen %(version)s")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈（供维护人员排查）。")
def main(debug):
    """docgen：督导台账与公文生成工具。

    读取举措清单（measures.xlsx）和各部门返回的自查反馈表（feedback/ 文件夹），
    检查数据、汇总进度，并生成符合 GB/T 9704-2012 的报告、简报、通知和台账。
    """
    # A campaign is read into tens of thousands of small objects that live as long as the run;
    # the cycle collector's default (a pass every 700 new objects) walks them again and again,
    # a fifth of the time a province's inputs take to read. Few of them form cycles.
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def program() -> None:
    """The docgen program (its console script, `python -m docgen`): main, then an exit without
    the collections Python makes on the way out. A run ends with the whole campaign still in
    memory, and walking its objects for cycles (a fifth of a second after a province's rebuild)
    would only free memory the process is about to give back."""
    try:
        main()
    finally:
        gc.freeze()


@main.command()
@inputs_option
@as_of_option
@json_option
@handle_errors
def validate(inputs, as_of, as_json):
    """检查举措清单和反馈表，列出每个问题的文件、行、列和修改方法。

    有错误时退出码为 1；只有提示（如已完成未填完成时间）时退出码为 0。

    \b
    示例：
      docgen validate
      docgen validate --inputs 数据/11月 --json > 问题.json
    """
    from docgen.build import check_inputs
    from docgen.display import issues_table

    result = check_inputs(_workspace(inputs, as_of))
    report = result.report
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif report.issues:
        _stdout().print(issues_table(report.issues))
    summary = (
        f"检查了 {len(report.files)} 个文件：{len(result.measures)} 项举措、{len(result.feedback)} 条反馈"
        + (f"、{len(result.checks)} 条抽查结果" if result.checks is not None else "")
        + "；"
        + f"错误 {len(report.errors)} 个，提示 {len(report.warnings)} 个。"
    )
    _stderr().print(summary, highlight=False)
    sys.exit(0 if report.valid else 1)


@main.command()
@inputs_option
@as_of_option
@json_option
@click.option("--limit", default=20, show_default=True, help="逾期、临期清单最多显示的行数。")
@handle_errors
def status(inputs, as_of, as_json, limit):
    """显示整体进度：分专项统计、部门排名、逾期、临期和未反馈情况。

    \b
    示例：
      docgen status
      docgen status --as-of 2026-12-15
      docgen status --json > 进度.json
    """
    from docgen.display import status_view

    summary = _campaign(inputs, as_of).summary
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        console = _stdout()
        console.print(status_view(summary, limit, console.width))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--font-profile",
    type=click.Choice(["gb2312", "windows", "any"]),
    default="any",
    show_default=True,
    help="按哪套字体名称检查：gb2312、windows，或 any（同一字体族的常见名称都接受）。",
)
@click.option(
    "--render",
    is_flag=True,
    help="再用 LibreOffice 排版成 PDF 逐页检查：署名单独成页、空白页、每页 22 行×28 字、"
    "版记不在最后一页、字距被拉开的行、编号断行（需要安装 LibreOffice）。",
)
@json_option
@handle_errors
def check(files, font_profile, render, as_json):
    """按 GB/T 9704-2012 检查 Word 文档：页面、边距、页脚距离、字体字号、行距、页码、日期和文号格式、相接的表格、残留的模板标记。

    逐条列出不符合之处及所在段落（加 --render 时还有所在页）；有任何一条时退出码为 1。

    \b
    示例：
      docgen check outputs/2026-11-26/自查报告.docx
      docgen check outputs/2026-11-26/*.docx --json
      docgen check --render outputs/2026-11-26/催办通知/*.docx
    """
    from docgen.official.checking import check_documents, format_findings

    if render:
        from docgen.paper import find_renderer

        find_renderer()  # before any work: say at once that pages cannot be checked here
    profile = None if font_profile == "any" else font_profile
    report = check_documents(files, font_profile=profile)
    if render:
        report.issues += _rendered_findings(files).issues
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for path in files:
            click.echo(format_findings([i for i in report.issues if i.file == str(path)], path))
    bad = len({issue.file for issue in report.issues})
    _stderr().print(f"检查了 {len(files)} 个文件，{bad} 个有不符合之处。", highlight=False)
    sys.exit(1 if report.issues else 0)


def _rendered_findings(documents, pdfs=()):
    """docgen.paper's findings on the printed pages of the documents, with a progress bar."""
    from docgen.paper import check_rendered

    documents = list(documents)
    with _progress("正在排版检查", len(documents)) as (advance, _):
        return check_rendered(documents, progress=advance, pdfs=pdfs)


out_option = click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="输出文件夹；文件写在其中以统计截止日期命名的子文件夹里。",
)


def _campaign(inputs, as_of):
    """Validated inputs and their summary, or the validation table and exit 1."""
    from docgen.build import load_campaign

    campaign = load_campaign(_workspace(inputs, as_of))
    if campaign.warnings:
        _stderr().print(
            f"输入数据有 {len(campaign.warnings)} 条提示，可运行 docgen validate 查看。",
            highlight=False,
        )
    return campaign


@contextlib.contextmanager
def _progress(description: str, total: int | None = None):
    """A progress bar on stderr; yields (advance, set_total) callbacks for the library.

    The bar is redrawn when the library reports progress (at most ten times a second), not by a
    thread of its own: with no other thread running, the worker processes that write the
    documents can be forked (rendering.workers), which on Linux starts them seconds sooner on a
    large build than a fork server does."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = _stderr()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
        # a scheduler's log would get a stray blank line from a bar nobody sees
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=total)
        drawn = [time.monotonic()]
        bar.refresh()

        def advance(n: int = 1) -> None:
            bar.advance(task, n)
            if time.monotonic() - drawn[0] >= 0.1:
                bar.refresh()
                drawn[0] = time.monotonic()

        def set_total(n: int) -> None:
            bar.update(task, total=n, refresh=True)

        yield advance, set_total


def _job(campaign, out: Path, folder: str = "", advance=None, **options):
    """The Job that writes into out/<as-of date>/<folder>, after tidying what a killed run left;
    `options` are Job's."""
    from docgen.build import make_job, require_organ
    from docgen.files import recover_outputs

    require_organ(campaign)
    recover_outputs(out, campaign.summary.as_of)
    dated = out / campaign.summary.as_of.isoformat()
    folder_path = dated / folder if folder else dated
    return make_job(campaign, folder_path, dt.datetime.now(), advance, **options)


def _warn_without_charts() -> None:
    from docgen.charts import cjk_font_available

    if not cjk_font_available():
        _stderr().print(
            "提示：本机没有中文字体，简报和年终总结将不含图表。"
            "Linux 上可运行 sudo apt-get install fonts-noto-cjk 安装。",
            highlight=False,
        )


pdf_option = click.option(
    "--pdf",
    is_flag=True,
    help="同时在每个 Word 文件旁生成 PDF 副本（需要安装 LibreOffice）。",
)
detail_option = click.option(
    "--detail",
    type=click.Choice(["concise", "full"]),
    default="concise",
    show_default=True,
    help="自查报告的详略：concise 正文逐项点名不重复、长清单列入附件（约10页）；"
    "full 逐项叙述每项举措及下一步安排。",
)


def _written(paths, pdf: bool = False) -> None:
    """List what was written; with --pdf, convert the Word files and list the PDFs too."""
    paths = list(paths)
    if not paths:
        click.echo("没有需要生成的文件。")
        return
    for path in paths:
        click.echo(f"已生成 {path}")
    if pdf:
        from docgen.pdf import convert_to_pdf

        with _progress("正在生成 PDF", len(paths)) as (advance, _):
            converted = convert_to_pdf([p for p in paths if p.suffix == ".docx"], progress=advance)
        for path in converted.written:
            click.echo(f"已生成 {path}")
        _pdf_failures({str(p): reason for p, reason in converted.failed.items()})


def _pdf_failures(failed: dict[str, str]) -> None:
    """Name each Word file that got no PDF copy; the Word files themselves are complete."""
    from rich.markup import escape

    if not failed:
        return
    for name, reason in failed.items():
        _stderr().print(
            f"[bold red]未能生成 PDF：[/]{escape(name)}（{escape(reason)}），Word 文件完好。"
        )
    sys.exit(1)


@main.command()
@inputs_option
@out_option
@as_of_option
@pdf_option
@detail_option
@click.option(
    "--check",
    "check_pages",
    is_flag=True,
    help="生成后按 GB/T 9704-2012 检查每个 Word 文件，并用 LibreOffice 排版逐页检查"
    "（同 docgen check --render，需要安装 LibreOffice）；发现错误时退出码为 1，已生成的文件照常保留。",
)
@click.option(
    "--force",
    is_flag=True,
    help="全部重新生成，不沿用同一日期上次生成的文件。",
)
@handle_errors
def build(inputs, out, as_of, pdf, detail, check_pages, force):
    """主任务：检查数据，生成全部文件（反馈表、自查报告、督导简报、催办通知、年终总结、整改台账）。

    数据有错误时只列出问题、不生成任何文件；没有错误时，全部文件和清单 manifest.json
    写入输出文件夹中以截止日期命名的子文件夹（如 outputs/2026-11-26/），
    同一日期再次生成时整体替换：内容不变的文件沿用上次生成的（清单中标明），
    只重新生成内容有变化的。

    \b
    示例：
      docgen build
      docgen build --inputs 数据/11月 --out 报送材料 --as-of 2026-11-26
      docgen build --check           生成后逐个检查格式，并排版检查每一页
      docgen build --force           全部重新生成
    """
    from docgen.build import build as run_build

    workspace = _workspace(inputs, as_of)
    if check_pages:
        from docgen.paper import find_renderer

        find_renderer()  # before any work: say at once that pages cannot be checked here
    _warn_without_charts()

    with _progress("正在生成文件") as (advance, set_total):
        result = run_build(
            workspace,
            out,
            dt.datetime.now(),
            advance,
            set_total,
            pdf=pdf,
            detail=detail,
            force=force,
        )
    click.echo(f"已生成 {len(result.outputs)} 个文件，保存在 {result.folder}")
    if result.reused:
        click.echo(f"{result.reused_text}；重新生成了 {len(result.outputs) - result.reused} 个。")
    for path in result.outputs:
        if path.parent == result.folder:
            click.echo(f"  {path.name}")
    for path in sorted({p.parent for p in result.outputs if p.parent != result.folder}):
        number = sum(1 for p in result.outputs if p.parent == path)
        click.echo(f"  {path.name}/（{number} 个文件）")
    click.echo(f"  {result.manifest.name}（输入文件校验值、输出文件清单和软件版本）")
    for name, reason in result.left_out.items():
        click.echo(f"未生成{name}：{reason}。")
    if result.warnings:
        _stderr().print(
            f"输入数据有 {result.warnings} 条提示，可运行 docgen validate 查看。", highlight=False
        )
    profile = workspace.settings.format.font_profile
    checked = _check_built(result, profile) if check_pages else True
    _pdf_failures(result.pdf_failed)
    if not checked:
        sys.exit(1)


def _check_built(result, font_profile) -> bool:
    """docgen check --render on every Word file a build wrote (its PDF copies used where it
    made them), printed file by file; False if anything is an error. The files stay."""
    from docgen.official.checking import check_documents, format_findings

    documents = [p for p in result.outputs if p.suffix == ".docx"]
    report = check_documents(documents, font_profile)
    pdfs = [p for p in result.outputs if p.suffix == ".pdf"]
    report.issues += _rendered_findings(documents, pdfs).issues
    for path in documents:
        found = [issue for issue in report.issues if issue.file == str(path)]
        if found:
            click.echo(format_findings(found, path.relative_to(result.folder)))
    bad = len({issue.file for issue in report.issues})
    _stderr().print(
        f"检查了 {len(documents)} 个 Word 文件，{bad} 个有不符合之处："
        f"错误 {len(report.errors)} 个，提醒 {len(report.warnings)} 个。"
        + ("" if report.valid else f"文件已照常生成，保留在 {result.folder}。"),
        highlight=False,
    )
    return report.valid


@main.command()
@inputs_option
@out_option
@as_of_option
@click.option(
    "--dept",
    "departments",
    multiple=True,
    metavar="部门",
    help="只生成指定部门的反馈表，可重复使用。",
)
@handle_errors
def forms(inputs, out, as_of, departments):
    """为每个部门生成反馈表：Word 版（横排，供打印盖章）和 Excel 版（填好后放回 feedback/ 即可读取）。

    \b
    示例：
      docgen forms
      docgen forms --dept 办公室 --dept 江州分局
    """
    from docgen.documents import feedback_form

    campaign = _campaign(inputs, as_of)
    total = len(departments) or len(campaign.summary.departments)
    with _progress("正在生成反馈表", total) as (advance, _):
        job = _job(campaign, out, feedback_form.FOLDER, advance)
        paths = feedback_form.write_feedback_forms(job, list(departments) or None)
    _written(paths)


@main.group()
def report():
    """生成报告类文件：自查报告、督导简报、催办通知、年终总结、督导抽查情况报告。

    \b
    示例：
      docgen report self-check
      docgen report brief
    """


@report.command("self-check")
@inputs_option
@out_option
@as_of_option
@click.option(
    "--dept",
    "department",
    metavar="部门",
    help="生成该部门报牵头部门的自查报告；不指定则生成局党组的自查报告。",
)
@click.option("--all-depts", is_flag=True, help="为每个部门各生成一份自查报告。")
@click.option(
    "--number",
    "serial",
    type=click.IntRange(min=1),
    metavar="序号",
    help="发文字号的序号；给出时按红头文件排版，如 3 生成“X党组发〔2026〕3号”。",
)
@pdf_option
@detail_option
@handle_errors
def self_check(inputs, out, as_of, department, all_depts, serial, pdf, detail):
    """自查报告：局党组向上级报送（上行文），或部门向牵头部门报送。

    \b
    示例：
      docgen report self-check
      docgen report self-check --number 3
      docgen report self-check --dept 办公室
      docgen report self-check --detail full
    """
    from docgen.documents import department_report, party_report
    from docgen.errors import DocgenError

    if department and serial is not None:
        raise DocgenError("部门自查报告是部门内部报送的白头材料，不编发文字号；请去掉 --number。")
    campaign = _campaign(inputs, as_of)
    if all_depts:
        _asked(department_report.DOCUMENT, campaign)
        total = department_report.DOCUMENT.count(campaign.summary, campaign.settings)
        with _progress("正在生成部门自查报告", total) as (advance, _):
            job = _job(campaign, out, department_report.FOLDER, advance, detail=detail)
            paths = department_report.write_department_reports(job)
        _written(paths, pdf)
    elif department:
        job = _job(campaign, out, detail=detail)
        _written(department_report.write_department_report(job, department), pdf)
    else:
        _asked(party_report.DOCUMENT, campaign)
        _written(party_report.write_party_report(_job(campaign, out, detail=detail), serial), pdf)


def _asked(kind, campaign) -> None:
    """Refuse, naming the setting that adds it, a document asked for by name that cannot be
    written (DocumentKind.left_out: no 主送 configured, no return read)."""
    from docgen.errors import ConfigError

    reason = kind.left_out(campaign.summary, campaign.settings, True)
    if reason:
        raise ConfigError(f"无法生成{kind.name}：{reason}。")


@report.command("brief")
@inputs_option
@out_option
@as_of_option
@click.option(
    "--new-issue",
    is_flag=True,
    help="同一截止日期已出过一期时，另出新的一期（默认重新生成同一期）。",
)
@pdf_option
@handle_errors
def brief(inputs, out, as_of, new_issue, pdf):
    """督导简报：总体和分专项进展、部门排名、逾期和未报送情况，以及与上一期相比的变化。

    期号按年度连续编号，记录在输入文件夹的 .docgen/history.sqlite3 中。

    \b
    示例：
      docgen report brief
      docgen report brief --as-of 2026-12-15
    """
    from docgen.documents.brief import write_brief

    _warn_without_charts()
    _written(write_brief(_job(_campaign(inputs, as_of), out), new_issue), pdf)


@report.command("urge")
@inputs_option
@out_option
@as_of_option
@click.option(
    "--days",
    type=click.IntRange(min=1, max=90),
    help="新的报送期限：截止日期后多少天（默认取 docgen.toml 中 [schedule] 的 urge_days，没有则为 7）。",
)
@pdf_option
@handle_errors
def urge(inputs, out, as_of, days, pdf):
    """催办通知：给有逾期或未反馈举措的每个部门各发一份，并记住已催办的轮次。

    \b
    示例：
      docgen report urge
      docgen report urge --days 5
    """
    from docgen.documents import urge as notices

    campaign = _campaign(inputs, as_of)
    total = notices.DOCUMENT.count(campaign.summary, campaign.settings)
    if not total:
        reason = notices.DOCUMENT.left_out(campaign.summary, campaign.settings, True)
        click.echo(f"没有需要催办的部门：{reason}。没有生成文件。")
        return
    with _progress("正在生成催办通知", total) as (advance, _):
        job = _job(campaign, out, notices.FOLDER, advance)
        paths = notices.write_urge_notices(job, days)
    _written(paths, pdf)


@report.command("year-end")
@inputs_option
@out_option
@as_of_option
@pdf_option
@handle_errors
def year_end(inputs, out, as_of, pdf):
    """年终总结：全年分专项、分方面、分月份的完成情况，成效、问题和明年打算。

    \b
    示例：
      docgen report year-end --as-of 2026-12-31
    """
    from docgen.documents.year_end import DOCUMENT, write_year_end

    campaign = _campaign(inputs, as_of)
    _asked(DOCUMENT, campaign)
    _warn_without_charts()
    _written(write_year_end(_job(campaign, out)), pdf)


@report.command("info")
@inputs_option
@out_option
@as_of_option
@click.option(
    "--items",
    default=4,
    show_default=True,
    type=click.IntRange(3, 5),
    help="工作动态每期的条数（3 到 5 条）。",
)
@click.option("--item", "measure", metavar="编号", help="改为就这一项举措编写信息专报（报上级）。")
@pdf_option
@handle_errors
def info(inputs, out, as_of, items, measure, pdf):
    """工作动态（第N期）或信息专报：从已完成、写明亮点经验或佐证材料的举措中选取，只用部门自己写的内容。

    每期 3 到 5 条，优先已核实销号的、最新完成的，兼顾各专项和各部门；往期报道过的、逾期的、
    督导抽查不属实的不选。没有值得报道的内容时不生成。

    \b
    示例：
      docgen report info
      docgen report info --items 5
      docgen report info --item JS-04
    """
    from docgen.documents.info_bulletin import write_info, write_special

    campaign = _campaign(inputs, as_of)
    job = _job(campaign, out)
    written = write_special(job, measure) if measure else write_info(job, items)
    if not written:
        click.echo(
            "已完成并写明亮点经验或佐证材料、往期未报道过的举措不足3项，本期没有值得报道的内容，没有生成文件。"
        )
        return
    _written(written, pdf)


@report.command("spot-check")
@inputs_option
@out_option
@as_of_option
@pdf_option
@handle_errors
def spot_check_report(inputs, out, as_of, pdf):
    """督导抽查情况报告：办公室向局党组报告抽查了什么、核查结果、发现的问题和整改要求。

    需要先收回填写了核查结果的督导抽查记录表（放在 spot-checks 文件夹中）。

    \b
    示例：
      docgen report spot-check
      docgen report spot-check --as-of 2026-11-26 --pdf
    """
    from docgen.documents.spot_check_report import DOCUMENT, write_spot_check_report

    campaign = _campaign(inputs, as_of)
    _asked(DOCUMENT, campaign)
    _written(write_spot_check_report(_job(campaign, out)), pdf)


@main.command()
@inputs_option
@out_option
@as_of_option
@handle_errors
def ledger(inputs, out, as_of):
    """整改台账（Excel）：每项举措的状态、红黄绿灯、责任部门、时限、逾期天数和各部门最新进展。

    \b
    示例：
      docgen ledger
      docgen ledger --as-of 2026-12-31
    """
    from docgen.documents import ledger as workbook

    _written(workbook.write(_job(_campaign(inputs, as_of), out)))


@main.command()
@inputs_option
@as_of_option
@json_option
@click.option(
    "--within",
    default=14,
    show_default=True,
    type=click.IntRange(min=0, max=366),
    metavar="天数",
    help="看今后多少天内的时间节点、到期举措和要生成的文件。",
)
@handle_errors
def due(inputs, as_of, as_json, within):
    """近期要做什么：时间节点、到期和逾期的举措，以及按 docgen.toml 中的日程规则当天和今后要生成的文件。

    日程规则见 docgen.toml 的 [schedule] 一节（docgen init 生成的文件中有说明）；
    没有写规则时使用默认日程：反馈表在报送截止前14天，催办通知在截止前3天和截止后每周，
    督导简报每周五，自查报告在上级要求的报送日期前5天，年终总结在12月21日，整改台账随其他文件一并生成。

    \b
    示例：
      docgen due
      docgen due --as-of 2026-11-20 --within 30
      docgen due --json > 日程.json
    """
    from docgen.schedule.calendar import due_report

    campaign = _campaign(inputs, as_of)
    report = due_report(campaign.summary, campaign.settings, within)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in _due_lines(report):
        click.echo(line)


def _due_lines(report) -> list[str]:
    from docgen.cn import date_cn
    from docgen.config import DOCUMENT_KINDS, WEEKDAY_NAMES

    def day_text(day):
        return f"{date_cn(day)}（{WEEKDAY_NAMES[day.isoweekday() - 1]}）"

    lines = [
        f"截至{day_text(report.as_of)}，看今后 {report.within} 天（到{date_cn(report.until)}）："
    ]
    lines.append("")
    lines.append("时间节点：")
    for m in report.milestones:
        left = (m.date - report.as_of).days
        lines.append(
            f"  {day_text(m.date)}  {m.name}  {'今天' if left == 0 else f'还有 {left} 天'}"
        )
    if not report.milestones:
        following = report.next_milestone
        lines.append(
            f"  无（下一个：{day_text(following.date)} {following.name}，"
            f"还有 {(following.date - report.as_of).days} 天）"
            if following
            else "  无"
        )
    lines.append("")
    lines.append(f"今天按规则要生成：{'' if report.today.documents else '无'}")
    late = len(report.late_departments)
    for kind in report.today.documents:
        note = "（目前没有逾期或未反馈的部门，不会生成）" if kind == "urge" and not late else ""
        lines.append(f"  {DOCUMENT_KINDS[kind]}：{'；'.join(report.today.reasons(kind))}{note}")
    lines.append("")
    lines.append(f"今后 {report.within} 天按规则要生成：{'' if report.coming else '无'}")
    for decision in report.coming:
        names = "、".join(DOCUMENT_KINDS[kind] for kind in decision.documents)
        lines.append(f"  {day_text(decision.day)}  {names}")
    lines.append("")
    lines.append(
        f"举措：逾期 {report.overdue} 项，{len(report.measures_due)} 项"
        f"在今后 {report.within} 天内到期且未完成，未反馈 {report.unreported} 项；"
        f"有逾期或未反馈举措的部门 {late} 个，从未报送反馈表的部门 {len(report.silent_departments)} 个。"
    )
    for m in report.measures_due:
        left = (m.deadline - report.as_of).days
        lines.append(
            f"  {m.id}  {date_cn(m.deadline)}（{'今天' if left == 0 else f'{left} 天后'}到期）  "
            f"{m.lead}  {m.status}"
        )
    return lines


@main.command()
@inputs_option
@out_option
@as_of_option
@json_option
@click.option("--dry-run", is_flag=True, help="只列出按规则要生成的文件，不写任何文件。")
@click.option(
    "--force",
    is_flag=True,
    help="即使同一日期已生成过且输入文件没有变化，也全部重新生成，不沿用上次生成的文件。",
)
@handle_errors
def run(inputs, out, as_of, as_json, dry_run, force):
    """按 docgen.toml 中的日程生成这一天该生成的文件，每天只生成一次：供 cron、systemd 定时器或 Windows 任务计划程序调用。

    同一日期再次运行时，若输入文件（举措清单、反馈表、docgen.toml）没有变化则什么也不做；
    有变化或加 --force 时重新生成。文件写入输出文件夹中以截止日期命名的子文件夹；
    每次运行都记入 .docgen/history.sqlite3（docgen history 可查看），并在 .docgen/logs/ 中留一份日志。

    \b
    退出码：
      0   已生成，或今天无需生成（含已生成过、输入未变）
      1   数据有错误、设置有误或运行失败，没有生成任何文件
      2   命令行参数有误
      75  另一次 docgen run 正在运行（锁文件 .docgen/run.lock），没有生成任何文件，稍后重试即可

    \b
    示例：
      docgen run
      docgen run --inputs D:/督导/台账 --out D:/督导/报送材料
      docgen run --as-of 2026-11-22 --dry-run
    """
    from docgen.schedule.run import run_scheduled

    now = dt.datetime.now()
    if dry_run:
        outcome = run_scheduled(inputs, out, as_of, now, force=force, dry_run=True)
    else:
        with _progress("正在生成文件") as (advance, set_total):
            outcome = run_scheduled(inputs, out, as_of, now, force, False, advance, set_total)
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in _run_lines(outcome):
        click.echo(line)
    if outcome.warnings:
        _stderr().print(
            f"输入数据有 {outcome.warnings} 条提示，可运行 docgen validate 查看。", highlight=False
        )


def _run_lines(outcome) -> list[str]:
    from docgen.cn import date_cn
    from docgen.config import DOCUMENT_KINDS

    day = date_cn(outcome.as_of)
    decision = outcome.decision
    if not decision.documents:
        return [f"{day}按规则没有需要生成的文件。"]
    lines = [f"{day}按规则要生成："]
    for kind in decision.documents:
        count = outcome.planned.get(kind)
        amount = f"（{count} 份）" if count is not None else ""
        lines.append(f"  {DOCUMENT_KINDS[kind]}{amount}：{'；'.join(decision.reasons(kind))}")
    previous = outcome.previous
    if outcome.result == "unchanged":
        lines.append(
            f"{day}已于 {previous.started_at:%Y-%m-%d %H:%M} 生成过，输入文件没有变化，"
            f"{'运行时将' if outcome.log is None else '本次'}不再重复生成（如需重新生成，加 --force）。"
        )
    elif outcome.result == "dry-run":
        lines.append("（试运行：没有写任何文件。）")
    elif outcome.result == "done":
        lines.append(f"已生成 {len(outcome.outputs)} 个文件，保存在 {outcome.folder}")
    else:
        lines.append(outcome.message)
    if outcome.replaced_lock is not None:
        lines.append(f"已接管失效的锁文件（{outcome.replaced_lock.describe()}）。")
    if outcome.log is not None:
        lines.append(f"运行日志：{outcome.log}")
    return lines


@main.command()
@inputs_option
@json_option
@click.option("--limit", default=30, show_default=True, help="最多显示最近多少次运行。")
@handle_errors
def history(inputs, as_json, limit):
    """列出 docgen run 的运行记录：时间、截止日期、结果、退出码和生成的文件，最近的在前。

    \b
    示例：
      docgen history
      docgen history --inputs 数据/11月 --json
    """
    from docgen.config import DOCUMENT_KINDS
    from docgen.history import history_path, list_runs, open_history

    runs = []
    if history_path(inputs).exists():
        with open_history(inputs) as connection:
            runs = list_runs(connection, limit)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in runs], ensure_ascii=False, indent=2))
        return
    if not runs:
        click.echo(f"{inputs} 中还没有 docgen run 的运行记录。")
        return
    for r in runs:
        code = "未结束" if r.exit_code is None else f"退出码 {r.exit_code}"
        click.echo(
            f"第{r.id}次  {r.started_at:%Y-%m-%d %H:%M:%S}  截至{r.as_of.isoformat()}  "
            f"{r.result_text}（{code}）{'  --force' if r.forced else ''}"
        )
        if r.documents:
            names = "、".join(DOCUMENT_KINDS.get(d, d) for d in r.documents)
            written = f"，写入 {len(r.outputs)} 个文件到 {r.folder}" if r.outputs else ""
            click.echo(f"    按规则：{names}{written}")
        if r.message and r.result != "done" and (r.result != "nothing-due" or r.documents):
            click.echo(f"    {r.message}")


@main.group("spot-check")
def spot_check():
    """督导抽查：从各部门报告已完成的举措中抽样，生成督导抽查记录表，读回核查结果后销号。"""


def _ratio(ctx, param, value):
    if value is not None and not 0 < value <= 1:
        raise click.BadParameter("抽取比例应为 0 到 1 之间的小数，如 0.2 表示抽取 20%。")
    return value


@spot_check.command("plan")
@inputs_option
@out_option
@as_of_option
@click.option(
    "--seed",
    type=click.IntRange(0, None),
    help="随机数种子；同一种子和同样的数据抽出同样的样本。不写则随机生成并打印出来。",
)
@click.option(
    "--ratio",
    type=float,
    callback=_ratio,
    help="每个专项随机抽取已完成举措的比例（默认取 docgen.toml [spot_check] 的 ratio，即 0.2）。",
)
@handle_errors
def spot_check_plan(inputs, out, as_of, seed, ratio):
    """抽取督导抽查样本：每个专项的牵头部门一份督导抽查记录表（Excel），另有抽查清单。

    未填佐证材料和超过完成时限才完成的举措一律抽取，其余按比例随机抽取；已核验销号的不再抽取。
    填好的记录表放回 inputs/spot-checks/ 后，docgen status 和 docgen build 会读入核查结果。

    \b
    示例：
      docgen spot-check plan
      docgen spot-check plan --seed 20261126 --ratio 0.3
    """
    from docgen.build import require_organ
    from docgen.spot_check.plan import plan_spot_check

    campaign = _campaign(inputs, as_of)
    require_organ(campaign)
    from docgen.spot_check.sheets import FOLDER

    plan = plan_spot_check(
        campaign.summary,
        campaign.settings,
        campaign.workspace.folder,
        out / campaign.summary.as_of.isoformat() / FOLDER,
        dt.datetime.now(),
        seed,
        ratio,
    )
    sample = plan.sample
    if not sample.drawn:
        click.echo("截至统计日期，没有尚未核验的已完成举措，无需抽查，没有生成文件。")
        return
    _stdout().print(_sample_table(sample))
    for part in sample.streams:
        click.echo(
            f"{part.stream}：由{part.checker}抽查，从已完成的{part.pool}项中随机抽取"
            f"{part.random_count}项"
            + (f"，另含风险项{part.risk_count}项" if part.risk_count else "")
        )
    click.echo(f"随机数种子：{sample.seed}（用 --seed {sample.seed} 可重新抽出同一样本）")
    _written(plan.written)


def _sample_table(sample):
    from rich.table import Table

    from docgen import cn

    table = Table(title=f"督导抽查样本（{len(sample.drawn)}项）", title_justify="left")
    for header in ("专项", "抽查单位", "编号", "责任部门", "报称完成时间", "抽取原因"):
        table.add_column(header)
    for part in sample.streams:
        for drawn in part.drawn:
            table.add_row(
                part.stream,
                part.checker,
                drawn.measure.id,
                drawn.assignment.department,
                cn.date_cn(drawn.assignment.completed_on) or "未填写",
                "、".join(drawn.reasons),
            )
    return table


@main.command()
@inputs_option
@out_option
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口。"
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器（只打印地址）。")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听地址。默认只有本机能访问；写局域网地址时同一网络中的电脑凭带令牌的地址也能访问。",
)
@handle_errors
def serve(inputs, out, port, no_browser, host):
    """网页界面：在浏览器中查看进度、检查数据、上传反馈表、生成文件，不用输入命令。

    只在本机运行，数据不联网；打印出的地址带访问令牌，没有令牌的请求一律拒绝。按 Ctrl+C 停止。

    \b
    示例：
      docgen serve
      docgen serve --inputs 数据/11月 --port 8800 --no-browser
    """
    from docgen.web import LOCAL
    from docgen.web import serve as run_server
    from docgen.workspace import open_workspace

    open_workspace(inputs, None, dt.date.today())  # the folder and docgen.toml, checked first
    if host != LOCAL:
        _stderr().print(
            f"注意：网页界面将监听 {host}，同一网络中知道带令牌地址的电脑都能打开它。"
            "只在可信的内部网络中这样做。",
            style="yellow",
            highlight=False,
        )
    run_server(inputs, out, host, port, not no_browser, click.echo)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def init(directory):
    """新建工作文件夹：带注释的 docgen.toml、空白举措清单和 feedback/ 文件夹。

    \b
    示例：
      docgen init 我的台账
    """
    from docgen.workspace import create_workspace

    written = create_workspace(directory)
    for path in written:
        click.echo(f"已创建 {path}")
    click.echo(
        f"下一步：打开 {directory / 'measures.xlsx'} 填写举措，然后运行 docgen status --inputs {directory}"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
