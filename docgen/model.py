"""The vocabulary of the domain, defined once: streams, statuses, aspects, columns and synonyms."""

import re
from dataclasses import dataclass

STREAMS = {"警示教育": "JS", "以案促改": "YA", "巡察整改": "XC"}
STREAM_NAMES = tuple(STREAMS)

ASPECTS = ("学习反思", "机制建设", "制度完善", "监管履职")

DONE, DOING, NOT_STARTED, STANDING = "已完成", "推进中", "未启动", "长期坚持"
UNREPORTED = "未反馈"
# Least advanced first: a measure shared by several departments takes the lowest reported status.
STATUS_ORDER = (NOT_STARTED, DOING, STANDING, DONE)
STATUS_SYNONYMS = {
    DONE: ("已完成", "完成", "已办结", "已整改", "已销号"),
    DOING: ("推进中", "正在推进", "进行中", "基本完成"),
    NOT_STARTED: ("未启动", "未开始"),
    STANDING: ("长期坚持", "持续推进", "长期推进"),
}
STATUS_BY_WORD = {word: status for status, words in STATUS_SYNONYMS.items() for word in words}

STANDING_DEADLINE_WORDS = ("长期坚持", "持续推进", "长期推进", "长期", "常态化")

# What departments write in 存在问题 and similar fields when they mean "nothing to report".
NOTHING_WORDS = ("无", "暂无", "无问题", "没有", "无。", "暂无。", "/", "-", "—", "无无")

# Traffic-light colours (hex RGB), shared by the ledger's cell fills and the charts.
LIGHT_COLOURS = {"红": "E06666", "黄": "F6C343", "绿": "B6D7A8"}

DEPARTMENT_KINDS = ("处室", "分局", "党支部")

LEAD, SUPPORT = "牵头", "配合"

# A template tag as templates write it: {{ name }}, {{ m.text|date_cn }}, {{r rich }},
# {%p if x %}, {%tr for m in rows %}, {% endfor %}, {# note #}, whole or with its end lost.
# `docgen check` reports one as left unfilled. Braces a department types ("{{ }}", "{% %}",
# "{{待补充}}") do not match; text that does is printed as typed and validation warns of it.
TEMPLATE_TAG = re.compile(
    r"\{\{-?\s*(?:[rp]\s+)?[A-Za-z_]"
    r"|\{%-?\s*(?:(?:p|tr|tc|r)\s+)?(?:if|elif|else|endif|for|endfor|set|endset|macro|endmacro"
    r"|call|endcall|filter|endfilter|with|endwith|raw|endraw|include|import|from|block"
    r"|endblock|extends|cellbg|colspan|hm|vm)\b"
    r"|\{#.*?#\}"
)

# Separators between several responsible departments in one cell.
DEPARTMENT_SEPARATORS = r"[、，,;；/／\n]+"


@dataclass(frozen=True)
class Column:
    """One canonical column of an input sheet and the header texts that mean it."""

    name: str
    required: bool
    synonyms: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


MEASURE_COLUMNS = (
    Column("编号", True, ("举措编号", "任务编号", "序号")),
    Column("专项", True, ("类别", "工作类别", "专项工作")),
    Column("问题", False, ("巡察反馈问题", "存在问题")),
    Column("具体举措", True, ("举措", "整改措施", "落实举措", "任务内容", "工作任务", "举措内容")),
    Column("重点方面", False, ("方面", "领域")),
    Column("牵头部门", True, ("牵头单位",)),
    Column("责任部门", False, ("责任单位", "配合部门")),
    Column("分管领导", False, ("责任领导",)),
    Column("完成时限", True, ("时限", "整改时限", "完成时间")),
    Column("备注", False, ()),
)

# 督导抽查 (domain.md "Stream leads, spot-checks and 销号"): a checker's verdicts, and what they make
# of an assignment: 属实 and 基本属实 close it (已销号); 不属实 sends it back to 推进中, marked.
VERIFIED, VERIFIED_WITH_REMARKS, REFUTED = "属实", "基本属实", "不属实"
VERDICTS = (VERIFIED, VERIFIED_WITH_REMARKS, REFUTED)
CLOSED, TO_VERIFY, REFUTED_MARK = "已销号", "待核验", "抽查不属实"
CHECK_METHODS = ("听取汇报", "查阅资料", "实地查看", "个别访谈")

SPOT_CHECK_COLUMNS = (
    Column("编号", True, ("举措编号", "任务编号")),
    Column("责任部门", True, ("填报单位", "部门", "被抽查单位")),
    Column("核查结果", True, ("抽查结果", "核查结论", "抽查结论")),
    Column("核查方式", False, ("抽查方式",)),
    Column("发现的问题", False, ("存在问题", "发现问题")),
    Column("整改要求", False, ()),
    Column("核查人", False, ("抽查人",)),
    Column("核查日期", False, ("抽查日期", "核查时间")),
)

FEEDBACK_COLUMNS = (
    Column("编号", True, ("举措编号", "任务编号", "序号")),
    Column("填报单位", True, ("单位", "部门", "填报部门", "责任部门")),
    Column("完成状态", True, ("状态", "进展状态", "完成情况")),
    Column("进展情况", False, ("进展", "工作进展", "落实情况")),
    Column("完成时间", False, ("办结时间",)),
    Column("佐证材料", False, ("佐证", "证明材料")),
    Column("亮点经验", False, ("典型做法", "经验做法", "工作亮点")),
    Column("存在问题", False, ("问题及困难",)),
    Column("下步计划", False, ("下一步计划", "下步措施", "下一步措施")),
    Column("填报人", False, ("联系人",)),
    Column("填报日期", False, ("报送日期",)),
)
