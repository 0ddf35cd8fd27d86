"""`docgen init`: a new workspace with a commented docgen.toml and an empty measure list."""

from pathlib import Path

from docgen.config import CONFIG_NAME
from docgen.errors import DocgenError
from docgen.model import MEASURE_COLUMNS

# Every key commented out: the file documents the settings and still parses to the defaults.
CONFIG_TEMPLATE = """\
# docgen 设置文件。所有设置项都可以省略，省略时使用括号中的默认值。
# 删除行首的“# ”即可启用该项；文字用英文双引号括起来，日期写成 2026-11-26。

[organisation]
# name = "江淮省地方金融管理局"          # 机关全称（默认“XX局”）
# short_name = "省金融局"                # 简称，用于简报等
# party_group = "中共江淮省地方金融管理局党组"  # 党组名称（默认“中共”+全称+“党组”）
# office = "局办公室"                    # 编印简报、发催办通知的部门
# doc_prefix = "江淮金党组发"            # 发文字号前缀，生成“江淮金党组发〔2026〕3号”
# signer = "张某某"                      # 上行文的签发人；不填则不显示签发人

[campaign]
# year = 2026                            # 工作年度（默认取统计截止日期所在年份）
# as_of = 2026-11-26                     # 统计截止日期（默认今天；命令行 --as-of 优先）
# warning_days = 7                       # 临期预警天数：离完成时限不足几天算“临期”
# return_deadline = 2026-12-10           # 反馈表报送截止日期

[addressees]
# superior = "中共江淮省纪委监委"        # 自查报告的主送机关（只能一个）
# copy_to = ["驻局纪检监察组"]           # 抄送机关
# lead_office = "局以案促改工作领导小组办公室"  # 部门自查报告的主送
# brief_report = ["省纪委监委"]          # 简报“报”
# brief_send = ["局领导"]                # 简报“送”
# brief_issue = ["各处室", "各分局", "各党支部"]  # 简报“发”

[format]
# font_profile = "windows"               # 字体方案：gb2312（默认，方正小标宋简体、仿宋_GB2312、楷体_GB2312）
#                                        # 或 windows（Windows 自带的宋体、仿宋、楷体）

# 部门名单：每个部门一节 [[departments]]。kind 为 处室、分局 或 党支部；leader 为分管局领导。
# 名单用于核对举措清单中的部门名称，并列出从未报送反馈表的部门。
# [[departments]]
# name = "办公室"
# kind = "处室"
# leader = "王建国"
"""


def create_workspace(directory: Path) -> list[Path]:
    """Write docgen.toml, measures.xlsx with the header row, and feedback/; never overwrite."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    directory = Path(directory)
    config = directory / CONFIG_NAME
    measures = directory / "measures.xlsx"
    feedback = directory / "feedback"
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
