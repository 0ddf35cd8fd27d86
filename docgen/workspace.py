"""A workspace folder, opened once: its settings, the as-of date, the input files and their
checksums; and `docgen init`, which makes a new one.

A workspace holds the measure list (measures.xlsx, or 举措清单.xlsx, .xls, .csv), the returned
forms under feedback/, docgen.toml, optionally its own templates/, and docgen's memory under
.docgen/. Every command opens it through open_workspace, so that the settings are read once, the
as-of date follows one rule and the files a run reads are the files its checksums describe.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from docgen.config import CONFIG_NAME, Settings, load_settings
from docgen.errors import DocgenError, InputError
from docgen.files import sha256
from docgen.loading import SPREADSHEET_SUFFIXES
from docgen.model import MEASURE_COLUMNS

MEASURE_FILE_STEMS = ("measures", "举措清单")
FEEDBACK_FOLDER = "feedback"
SPOT_CHECK_FOLDER = "spot-checks"


def resolve_as_of(option: dt.date | None, settings: Settings | None, today: dt.date) -> dt.date:
    """The as-of date: the one asked for, else docgen.toml's as_of, else today."""
    configured = settings.campaign.as_of if settings is not None else None
    return option or configured or today


@dataclass(frozen=True)
class InputFiles:
    """The files a workspace gives a run, listed once: the measure list (None when the folder
    holds none or several; `measures_problem` says which), the returned forms oldest first
    (later files win ties on 填报日期), and docgen.toml when there is one."""

    folder: Path
    measures: Path | None
    forms: tuple[Path, ...]
    config: Path | None
    measures_problem: str = ""
    # Returned 督导抽查记录表 in spot-checks/, oldest first.
    checks: tuple[Path, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every input file: the measure list, each returned form, and docgen.toml."""
        found = [self.measures] if self.measures else []
        found += self.forms
        found += self.checks
        if self.config:
            found.append(self.config)
        return tuple(found)

    def require_measures(self) -> Path:
        if self.measures is None:
            raise InputError(self.measures_problem)
        return self.measures

    def relative(self, path: Path) -> str:
        """A file's name as messages and records give it: relative, with forward slashes."""
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:
            return str(path)

    @cached_property
    def checksums(self) -> dict[str, str]:
        """Each input file (relative name) and its SHA-256, read once."""
        try:
            return {self.relative(path): sha256(path) for path in self.paths}
        except OSError as exc:
            raise DocgenError(
                f"无法读取输入文件：{exc.strerror or exc}（{exc.filename}）"
            ) from None

    @property
    def digest(self) -> str:
        """One SHA-256 over every file name and checksum: equal digests mean equal inputs."""
        return checksums_digest(self.checksums)


def checksums_digest(checksums: dict[str, str]) -> str:
    lines = "".join(f"{name}\0{checksums[name]}\n" for name in sorted(checksums))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def list_input_files(folder: Path) -> InputFiles:
    folder = Path(folder)
    try:
        measures, problem = find_measure_file(folder), ""
    except InputError as exc:
        measures, problem = None, str(exc)
    config = folder / CONFIG_NAME
    return InputFiles(
        folder=folder,
        measures=measures,
        forms=tuple(feedback_files(folder)),
        config=config if config.exists() else None,
        checks=tuple(feedback_files(folder, SPOT_CHECK_FOLDER)),
        measures_problem=problem,
    )


@dataclass(frozen=True)
class Workspace:
    """An opened workspace: its settings, the as-of date and its input files (and their folder)."""

    settings: Settings
    as_of: dt.date
    files: InputFiles

    @property
    def folder(self) -> Path:
        return self.files.folder


def open_workspace(folder: Path, as_of: dt.date | None, today: dt.date) -> Workspace:
    """Read docgen.toml, settle the as-of date (resolve_as_of) and list the input files.

    Raises InputError when the folder does not exist, ConfigError when docgen.toml is wrong. A
    missing measure list is not raised here: validation reports it, and a scheduled run records
    it first."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            f"找不到输入文件夹 {folder}，请用 --inputs 指定存放 measures.xlsx 的文件夹。"
        )
    settings = load_settings(folder)
    return Workspace(
        settings=settings,
        as_of=resolve_as_of(as_of, settings, today),
        files=list_input_files(folder),
    )


def find_measure_file(folder: Path) -> Path:
    candidates = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.stem in MEASURE_FILE_STEMS and p.suffix.lower() in SPREADSHEET_SUFFIXES
    ]
    if not candidates:
        raise InputError(
            f"在 {folder} 中找不到举措清单。请放入 measures.xlsx（或 measures.xls、measures.csv、举措清单.xlsx）。"
        )
    if len(candidates) > 1:
        names = "、".join(p.name for p in candidates)
        raise InputError(f"{folder} 中有多个举措清单：{names}。请只保留一个。")
    return candidates[0]


def feedback_files(folder: Path, subfolder: str = FEEDBACK_FOLDER) -> list[Path]:
    """Returned forms in feedback/ (or returned sheets in another `subfolder`), oldest first:
    later files win ties on 填报日期."""
    root = folder / subfolder
    if not root.is_dir():
        return []
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SPREADSHEET_SUFFIXES
        and not p.name.startswith(("~$", ".", "~"))
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, str(p)))


# --- docgen init ----------------------------------------------------------------------------

# Every key commented out: the file documents the settings and still parses to the defaults.
CONFIG_TEMPLATE = """\
# docgen 设置文件。所有设置项都可以省略，省略时使用括号中的默认值。
# 删除行首的“# ”即可启用该项；文字用英文双引号括起来，日期写成 2026-11-26。

[organisation]
# name = "江淮省地方金融管理局"          # 机关全称（不写则取举措清单标题行中的机关名称）
# short_name = "省金融局"                # 简称，用于简报等
# party_group = "中共江淮省地方金融管理局党组"  # 党组名称（默认“中共”+全称+“党组”）
# office = "局办公室"                    # 编印简报、发催办通知的部门
# doc_prefix = "江淮金党组发"            # 发文字号前缀，生成“江淮金党组发〔2026〕3号”
# signer = "张某某"                      # 上行文的签发人；不填则不显示签发人
# contact = "王某某"                     # 催办通知的联系人（办公室）
# phone = "0551-12345678"                # 联系电话

[campaign]
# year = 2026                            # 工作年度（默认取统计截止日期所在年份）
# as_of = 2026-11-26                     # 统计截止日期（默认今天；命令行 --as-of 优先）
# warning_days = 7                       # 临期预警天数：离完成时限不足几天算“临期”
# return_deadline = 2026-12-10           # 反馈表报送截止日期
# notice = "《关于开展2026年度警示教育和以案促改工作自查的通知》"  # 上级要求报送的通知，自查报告开头引用
# form_notice = "《关于报送警示教育、以案促改和巡察整改工作进展情况的通知》"  # 本局布置反馈表的通知，催办通知引用

[addressees]
# superior = "中共江淮省纪委监委"        # 局党组自查报告和年终总结的主送机关（只能一个；不写则不生成这两份报告）
# copy_to = ["驻局纪检监察组"]           # 抄送机关
# lead_office = "局以案促改工作领导小组办公室"  # 部门自查报告的主送
# brief_report = ["省纪委监委"]          # 简报“报”
# brief_send = ["局领导"]                # 简报“送”
# brief_issue = ["各处室", "各分局", "各党支部"]  # 简报“发”

[format]
# font_profile = "windows"               # 字体方案：gb2312（默认，方正小标宋简体、仿宋_GB2312、楷体_GB2312）
#                                        # 或 windows（Windows 自带的宋体、仿宋、楷体）

[limits]
# 读取上限：超过时该文件不读取，docgen validate 和 docgen build 会指出是哪个文件、超过了什么、怎么处理。
# max_file_mb = 50                       # 单个输入文件（举措清单或一份反馈表）最大多少 MB
# max_rows = 200000                      # 举措清单和全部反馈表合计最多多少行（含标题行、空行）

[schedule]
# 日程：docgen run 按这里的规则决定某一天生成哪些文件，docgen due 列出近期要做的事。
# 不写规则时使用下面列出的默认规则；写了 [[schedule.rules]] 就只按写出的规则（写成 rules 空列表则不自动生成）。
# urge_days = 7                          # 报送期限：催办通知、督导简报和各报告要求补报的日期，印发后几天（默认 7）
# catch_up_days = 30                     # 逾期举措的新完成期限：印发后几天（部门下步计划写明更早或更晚日期的，以部门所写为准；默认 30）
#
# 时间节点：每个节点一节 [[schedule.milestones]]，写名称 name、日期 date 和类别 kind。
# kind 可写 form-return（反馈表报送截止）、spot-check（督导抽查）、self-check（自查报告报送截止）、
# year-end（年度工作结束）、other（其他，默认），也可以直接写括号中的中文。
# 不写也有两个节点：[campaign] 的 return_deadline 是反馈表报送截止，12月31日是年度工作结束。
# [[schedule.milestones]]
# name = "第二轮反馈表报送截止"
# date = 2026-11-25
# kind = "form-return"
# [[schedule.milestones]]
# name = "第三季度督导抽查"
# date = 2026-09-15
# kind = "spot-check"
# [[schedule.milestones]]
# name = "向省纪委监委报送自查报告"
# date = 2026-12-15
# kind = "self-check"
# [[schedule.milestones]]
# name = "年度工作结束"
# date = 2026-12-31
# kind = "year-end"
#
# 规则：每条一节 [[schedule.rules]]。document 为要生成的文件：forms（反馈表）、brief（督导简报）、
# urge（催办通知）、self-check（自查报告）、year-end（年终总结）、ledger（整改台账）、
# spot-check-plan（督导抽查记录表：抽取样本）、spot-check（督导抽查情况报告）、info（工作动态）、
# build（全部文件）。weekday 规则可加 every_weeks（每几周一次，如 2 为每两周）。
# 何时生成：milestone 写节点名称或类别，再写 days_before（节点前几天）或 days_after（节点后第几天），
# days_after 可加 repeat_every（此后每隔几天再生成一次，直到同类的下一个节点或年底）；
# weekday 写星期几（如 "周五"，或 ["周二", "周五"]），与 milestone 同写时指节点前（后）若干天内的那几天；
# with_others 写 true 表示当天有其他文件要生成时一并生成。
# 下面 11 条就是默认规则：
# [[schedule.rules]]
# document = "forms"                     # 反馈表：报送截止前 14 天
# milestone = "form-return"
# days_before = 14
# [[schedule.rules]]
# document = "urge"                      # 催办通知：报送截止前 3 天
# milestone = "form-return"
# days_before = 3
# [[schedule.rules]]
# document = "urge"                      # 催办通知：截止后第 1 天起每 7 天，只发给有逾期或未反馈举措的部门
# milestone = "form-return"
# days_after = 1
# repeat_every = 7
# [[schedule.rules]]
# document = "brief"                     # 督导简报：每周五
# weekday = "周五"
# [[schedule.rules]]
# document = "info"                      # 工作动态：每两周的周五（ISO 周数为双数的那一周；有值得报道的内容时）
# weekday = "周五"
# every_weeks = 2
# [[schedule.rules]]
# document = "spot-check-plan"           # 督导抽查记录表：督导抽查前 7 天抽取样本
# milestone = "spot-check"
# days_before = 7
# [[schedule.rules]]
# document = "brief"                     # 督导简报：督导抽查后第 1 天
# milestone = "spot-check"
# days_after = 1
# [[schedule.rules]]
# document = "spot-check"                # 督导抽查情况报告：督导抽查后第 1 天（已收回记录表时）
# milestone = "spot-check"
# days_after = 1
# [[schedule.rules]]
# document = "self-check"                # 自查报告：上级要求的报送日期前 5 天
# milestone = "self-check"
# days_before = 5
# [[schedule.rules]]
# document = "year-end"                  # 年终总结：年度工作结束前 10 天（12月21日）
# milestone = "year-end"
# days_before = 10
# [[schedule.rules]]
# document = "ledger"                    # 整改台账：随其他文件一并生成
# with_others = true

[streams]
# 各项工作牵头部门：负责对本专项的举措开展督导抽查（docgen spot-check plan 给每个牵头部门生成督导抽查记录表）。
# 不写的专项由 [organisation] 的 office 抽查。专项名称要加英文引号：
# "警示教育" = "机关党委"
# "以案促改" = "机关纪委"
# "巡察整改" = "办公室"

[spot_check]
# 督导抽查：从各部门报告“已完成”的举措中抽样核查，核查属实的予以销号。
# ratio = 0.2                            # 每个专项随机抽取已完成举措的比例（0 到 1，默认 0.2 即 20%）
# minimum = 2                            # 每个专项至少抽取几项（已完成的不足这个数时全部抽取；默认 2）
# no_evidence = true                     # 未填佐证材料的已完成举措一律抽查（默认 true）
# late = true                            # 超过完成时限才完成的举措一律抽查（默认 true）
# redo_days = 15                         # 抽查“不属实”的举措退回推进中，限期几天内重新完成（默认 15）
# rate_basis = "reported"                # 完成率口径：reported（按部门报告的已完成）或 verified（只计已核验销号的）

# 部门名单：每个部门一节 [[departments]]。kind 为 处室、分局 或 党支部；leader 为分管局领导。
# 名单用于核对举措清单中的部门名称，并列出从未报送反馈表的部门。
# [[departments]]
# name = "办公室"
# kind = "处室"
# leader = "王建国"
"""


def create_workspace(directory: Path) -> list[Path]:
    """Write docgen.toml, measures.xlsx with the header row, and feedback/; never overwrite."""
    directory = Path(directory)
    config = directory / CONFIG_NAME
    measures = directory / "measures.xlsx"
    feedback = directory / FEEDBACK_FOLDER
    existing = [p for p in (config, measures) if p.exists()]
    if existing:
        names = "、".join(str(p) for p in existing)
        raise DocgenError(f"{names} 已存在，为避免覆盖已有数据，未做任何修改。请换一个文件夹。")
    try:
        feedback.mkdir(parents=True, exist_ok=True)
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "举措清单"
        sheet.append([c.name for c in MEASURE_COLUMNS])
        widths = {"具体举措": 50, "问题": 30, "责任部门": 24}
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.column_dimensions[cell.column_letter].width = widths.get(cell.value, 14)
        sheet.freeze_panes = "A2"
        workbook.save(measures)
    except OSError as exc:
        raise DocgenError(f"无法在 {directory} 中创建文件：{exc.strerror or exc}") from None
    return [config, measures, feedback]
