"""Command line: parse options, call one library function, print, pick the exit code.

Heavy libraries (pandas, rich, python-docx) are imported inside the commands so that
`docgen --help` starts at once.
"""

import datetime as dt
import functools
import json
import sys
import traceback
from pathlib import Path

import click

from docgen import __version__

EXAMPLES = """
\b
常用示例：
  docgen status                      查看 inputs/ 中示例数据的整体进度
  docgen validate --inputs 数据/11月  检查某个文件夹中的举措清单和反馈表
  docgen status --as-of 2026-12-15   按指定日期计算逾期和临期
  docgen init 我的台账                新建一个空的工作文件夹
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
        from docgen.errors import DocgenError

        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except DocgenError as exc:
            if debug:
                traceback.print_exc()
            _stderr().print(f"[bold red]错误：[/]{exc}", highlight=False)
            sys.exit(1)
        except KeyboardInterrupt:
            _stderr().print("已中断。")
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if debug:
                raise
            _stderr().print(
                f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}\n"
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


def _resolve_as_of(as_of, settings) -> dt.date:
    return as_of or settings.campaign.as_of or dt.date.today()


def _load(inputs: Path, as_of):
    from docgen.config import load_settings
    from docgen.validation import validate_inputs

    settings = load_settings(inputs)
    day = _resolve_as_of(as_of, settings)
    return settings, day, validate_inputs(inputs, settings, day)


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", message="docgen %(version)s")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈（供维护人员排查）。")
def main(debug):
    """docgen：督导台账与公文生成工具。

    读取举措清单（measures.xlsx）和各部门返回的自查反馈表（feedback/ 文件夹），
    检查数据、汇总进度，并生成符合 GB/T 9704-2012 的报告、简报、通知和台账。
    """


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
    from docgen.display import issues_table

    _, _, result = _load(inputs, as_of)
    if as_json:
        payload = {
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "issues": [i.to_dict() for i in result.issues],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif result.issues:
        _stdout().print(issues_table(result.issues))
    files = len(result.files)
    summary = (
        f"检查了 {files} 个文件：{len(result.measures)} 项举措、{len(result.feedback)} 条反馈；"
        f"错误 {len(result.errors)} 个，提示 {len(result.warnings)} 个。"
    )
    _stderr().print(summary, highlight=False)
    sys.exit(1 if result.errors else 0)


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
    from docgen.aggregation import summarise_progress
    from docgen.display import issues_table, status_view

    settings, day, result = _load(inputs, as_of)
    if result.errors:
        _stderr().print(issues_table(result.errors))
        _stderr().print(
            f"[bold red]输入数据有 {len(result.errors)} 个错误[/]，请按上表修改后重新运行。",
            highlight=False,
        )
        sys.exit(1)
    summary = summarise_progress(
        result.measures, result.feedback, day, settings, result.departments
    )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        console = _stdout()
        console.print(status_view(summary, limit, console.width))
    if result.warnings:
        _stderr().print(
            f"另有 {len(result.warnings)} 条提示，可运行 docgen validate 查看。", highlight=False
        )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--font-profile",
    type=click.Choice(["gb2312", "windows", "any"]),
    default="any",
    show_default=True,
    help="按哪套字体名称检查：gb2312、windows，或 any（同一字体族的常见名称都接受）。",
)
@json_option
@handle_errors
def check(files, font_profile, as_json):
    """按 GB/T 9704-2012 检查 Word 文档：页面、边距、字体字号、行距、页码、日期和文号格式、残留的模板标记。

    逐条列出不符合之处及所在段落；有任何一条时退出码为 1。

    \b
    示例：
      docgen check outputs/2026-11-26/自查报告.docx
      docgen check outputs/2026-11-26/*.docx --json
    """
    from docgen.official.checking import check_document, findings_to_dicts, format_findings

    profile = None if font_profile == "any" else font_profile
    results = {path: check_document(path, font_profile=profile) for path in files}
    if as_json:
        payload = {str(path): findings_to_dicts(found) for path, found in results.items()}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for path, found in results.items():
            click.echo(format_findings(found, path))
    bad = sum(1 for found in results.values() if found)
    _stderr().print(f"检查了 {len(results)} 个文件，{bad} 个有不符合之处。", highlight=False)
    sys.exit(1 if bad else 0)


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
