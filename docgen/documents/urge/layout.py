"""催办通知: a short 通知 to one late department, worded from its facts (documents.md §6).

Three kinds (context.notice_plan): a 提醒 a few days before the return deadline; a 催报 once the
return is late (a department that returned nothing is chased for its return, whatever else is
late); a 督促加快推进 notice for measures past their deadline, 督办 from round 3. The round
raises what is asked and what follows: round 1 asks for progress and dates and names the brief
as the consequence; round 2 asks for the reasons in writing, signed by the department's head,
and adds the annual assessment; round 3 on asks the head to explain in writing and names 约谈.
The tone sentence follows the worst case (context.tone_level): a co-operating department a few
days late is asked to work with the lead department; a lead department a month late is asked
for its head's attention. The original deadlines (the table; the return date) and the notice
that sent out the forms ([campaign] form_notice) are cited; the contact line is the 附注.
"""

from docgen.official.builder import ANCHOR, Column, OfficialDocument

AS_OF = "截至{{ as_of|date_cn }}，"
REMIND, CHASE = "mode == 'remind'", "mode == 'chase'"
CATCH_UP = "mode == 'catch-up'"
REDO = "mode == 'redo'"

# Two lines broken where the sense breaks (a 梯形 title), not wherever the line runs out.
BREAK = "{{ '\\n' }}"
TITLE = (
    f"{{% if {REDO} %}}关于对督导抽查不属实事项" + BREAK + "限期整改的通知"
    f"{{% elif {REMIND} %}}关于按时报送警示教育、以案促改"
    + BREAK
    + "和巡察整改工作自查反馈表的提醒"
    f"{{% elif {CHASE} %}}"
    "{% if round >= 3 %}关于对逾期未报送警示教育、以案促改"
    + BREAK
    + "和巡察整改工作自查情况进行督办的通知"
    "{% else %}关于{% if round == 2 %}再次{% endif %}催报警示教育、以案促改"
    + BREAK
    + "和巡察整改工作自查情况的通知{% endif %}"
    "{% elif round >= 3 %}关于对警示教育、以案促改和巡察整改工作"
    + BREAK
    + "逾期未完成事项进行督办的通知"
    "{% else %}关于{% if round == 2 %}再次{% endif %}督促加快推进警示教育、以案促改"
    + BREAK
    + "和巡察整改工作落实的通知{% endif %}"
)

ITEM_COLUMNS = (
    Column("编号", "{{ row.id }}", 18),
    Column("具体举措", "{{ row.text }}", 50, align="left"),
    Column("分工", "{{ row.role }}", 13),
    Column("原定完成时限", "{{ row.deadline }}", 38),
    Column(
        "逾期天数",
        "{% if row.days %}{{ row.days }}天{% elif row.standing %}—{% else %}未到期{% endif %}",
        20,
    ),
    Column("状态", "{{ row.status }}", 17),
)

# 缘由: where the return date comes from, with the office's notice when one is configured.
RETURN_RULE = (
    "{% if form_notice %}按照{{ form_notice }}要求，各部门应"
    "{% if return_deadline %}于{{ return_deadline|date_cn }}前{% else %}按时{% endif %}"
    "报送自查反馈表"
    "{% elif return_deadline %}按照自查反馈表的填报要求，各部门应于{{ return_deadline|date_cn }}前"
    "将自查反馈表报送{{ office }}{% endif %}"
)
GROUNDS = (
    f"{{% if {REDO} %}}按照{{{{ party_group }}}}关于{{{{ campaign }}}}的部署要求，{{{{ office }}}}"
    "组织对各部门报告完成的任务开展了督导抽查"
    f"{{% elif {CATCH_UP} %}}按照{{{{ party_group }}}}关于{{{{ campaign }}}}的部署要求，"
    "各部门应在任务清单确定的完成时限内完成承担的举措"
    "{% if form_notice or return_deadline %}；" + RETURN_RULE + "{% endif %}"
    "{% else %}" + RETURN_RULE + "{% endif %}。"
    "{% if round > 1 %}此前，{{ office }}已就有关事项向你部门催办{{ round - 1 }}次。{% endif %}"
)

# 事实, measures late: which role, how many days.
LATE_WORK = (
    "{% if total > overdue_count %}你部门承担的{{ total }}项任务中，"
    "{% if lead_count and lead_count < overdue_count %}有{{ overdue_count }}项"
    "（牵头{{ lead_count }}项、配合{{ overdue_count - lead_count }}项）"
    "{% elif lead_count %}牵头落实的{{ overdue_count }}项"
    "{% else %}配合落实的{{ overdue_count }}项{% endif %}"
    "{% elif lead_count and lead_count < overdue_count %}你部门承担的{{ overdue_count }}项任务"
    "（牵头{{ lead_count }}项、配合{{ overdue_count - lead_count }}项）"
    "{% elif lead_count %}你部门牵头落实的{{ overdue_count }}项举措"
    "{% else %}你部门配合落实的{{ overdue_count }}项举措{% endif %}"
    "{% if both_count == overdue_count %}已超过完成时限，未报送完成情况"
    "{% else %}已超过完成时限仍未完成{% endif %}，"
    "{% if overdue_count == 1 %}已逾期{{ longest }}天"
    "{% elif shortest == longest %}均已逾期{{ longest }}天"
    "{% else %}逾期{{ shortest }}天至{{ longest }}天不等{% endif %}"
    "{% if both_count and both_count < overdue_count %}，"
    "其中{{ both_count }}项未报送进展情况{% endif %}"
)
# The items: in the body when there are a few, else in the attachment (documents.md §6.2).
LISTED = "{% if attachments %}（见附件）。{% else %}。具体如下：{% endif %}"
# The completions a spot-check found 不属实: what, checked by whom and when, what was found.
REFUTED_ITEMS = (
    "{% for r in refuted %}{{ r.id|nobreak }}“{{ r.text }}”（{{ r.checker }}"
    "{% if r.checked_on %}于{{ r.checked_on|date_cn }}{% endif %}核查"
    "{% if r.finding %}，发现{{ r.finding }}{% endif %}）{{ '；' if not loop.last else '' }}"
    "{% endfor %}"
)
FACTS = (
    f"{{% if {REDO} %}}经督导抽查，你部门报告完成的"
    "{% if refuted|length > 1 %}{{ refuted|length }}项任务{% else %}以下任务{% endif %}"
    "与实际不符：" + REFUTED_ITEMS + "。{% else %}" + AS_OF + f"{{% if {REMIND} %}}"
    "{% if sent_nothing %}{{ office }}尚未收到你部门的自查反馈表，你部门承担的{{ total }}项任务"
    "{% if total > 1 %}均{% endif %}未报送进展情况"
    "{% else %}你部门承担的{{ total }}项任务中，尚有{{ missing_count }}项未填报进展情况{% endif %}"
    + LISTED
    + f"{{% elif {CHASE} %}}"
    "{% if sent_nothing %}{{ office }}尚未收到你部门的自查反馈表，已超过报送截止日期"
    "{{ return_late }}天。你部门承担的{{ total }}项任务{% if total > 1 %}均{% endif %}"
    "未报送进展情况{% if overdue_count %}，其中{{ overdue_count }}项已超过完成时限"
    "{% if overdue_count == 1 %}{{ longest }}天{% else %}，最长的已逾期{{ longest }}天{% endif %}"
    "{% endif %}"
    "{% else %}你部门报送的自查反馈表中，承担的{{ total }}项任务有{{ unreported_count }}项"
    "未填报进展情况，已超过报送截止日期{{ return_late }}天{% endif %}" + LISTED + "{% else %}"
    "{% if sent_nothing %}{{ office }}尚未收到你部门的自查反馈表；{% endif %}"
    + LATE_WORK
    + "{% if missing_late %}；另有{{ missing_count }}项"
    "未报送进展情况，已超过报送截止日期{{ return_late }}天{% endif %}" + LISTED + "{% endif %}"
    "{% endif %}"
)
# What a department does about completions found 不属实: alone (REDO), or beside other items.
REDO_WORK = (
    "请你部门对抽查发现的问题逐项整改，"
    "{% for r in refuted %}{{ r.id|nobreak }}于{{ r.redo_by|date_cn }}前"
    "{{ '、' if not loop.last else '' }}{% endfor %}重新完成，将整改情况和佐证材料以部门名义"
    "报送{{ office }}，经核实后销号。逾期仍未整改到位的，{{ office }}将在督导简报中通报。"
)
REFUTED_NOTE = (
    "另经督导抽查，你部门报告完成的" + REFUTED_ITEMS + "与实际不符，已退回重新整改，请"
    "{% for r in refuted %}{% if loop.length > 1 %}{{ r.id|nobreak }}{% endif %}"
    "于{{ r.redo_by|date_cn }}前{{ '、' if not loop.last else '' }}{% endfor %}"
    "重新完成并报送佐证材料。"
)

# 要求: the tone sentence follows the worst case (level), then what to do by the new date.
TONE = (
    "{% if level >= 3 %}请你部门高度重视，主要负责同志亲自过问，"
    f"{{% elif {CATCH_UP} and not lead_count %}}逾期举措的牵头部门为{{{{ leads }}}}，"
    "请你部门{% if level == 2 %}抓紧推进，{% endif %}主动衔接配合，"
    f"{{% elif level == 2 %}}请你部门抓紧{{% if {CHASE} %}}填报{{% else %}}推进{{% endif %}}，"
    "{% else %}请你部门{% endif %}"
    "于{{ new_due|date_cn }}前完成以下工作："
)

# How many requirements the notice lists: one stands alone, several are numbered 一是、二是.
# The requirement to fill in the form: a 催报, a late return beside late measures, or late
# measures some of which were not reported on (when none was, the first requirement says so).
REPORT_ITEM = "mode == 'chase' or missing_late or both_count and both_count < overdue_count"
EXPLAIN_ITEM = "round >= 2 and mode == 'chase' or round >= 3"
ITEMS = (
    "set ns.items = (1 if mode == 'catch-up' else 0)"
    f" + (1 if {REPORT_ITEM} else 0) + (1 if {EXPLAIN_ITEM} else 0)"
)


def item(text: str) -> str:
    """一是…二是…, numbered in order of appearance (no number when it is the only one)."""
    return (
        "{% set ns.item = ns.item + 1 %}"
        "{% if ns.items > 1 %}{{ ns.item|number_cn }}是{% endif %}" + text
    )


CATCH_UP_WORK = item(
    "{% if both_count == overdue_count %}对逾期举措逐项填写自查反馈表，报送完成状态、进展情况和"
    "佐证材料；尚未完成的，"
    "{% if round >= 2 %}写明未按期完成的原因、整改措施和预计完成时间"
    "{% else %}明确预计完成时间{% endif %}，加快推进落实。"
    "{% else %}对逾期举措逐项"
    "{% if round >= 2 %}写明未按期完成的原因、整改措施和预计完成时间"
    "{% else %}报送{% if not lead_count %}你部门承担部分的{% endif %}最新进展，"
    "明确预计完成时间{% endif %}，加快推进落实；已经完成的，一并报送完成情况和佐证材料。"
    "{% endif %}"
)
REPORT_WORK = item(
    f"{{% if {CHASE} %}}按要求填写自查反馈表，逐项报送"
    "{% if not sent_nothing %}未填报任务的{% endif %}完成状态、进展情况和佐证材料"
    "{% if overdue_count %}；已超过完成时限的{{ overdue_count }}项如尚未完成，一并说明"
    "{% if round >= 2 %}原因、整改措施和{% endif %}预计完成时间{% endif %}。"
    "{% else %}对未报送进展的{% if missing_late %}任务{% else %}逾期举措{% endif %}"
    "逐项填写自查反馈表，补报完成状态、进展情况和佐证材料。{% endif %}"
)
EXPLAIN = item(
    "{% if round >= 3 %}部门主要负责同志就未按要求"
    f"{{% if {CHASE} %}}报送{{% else %}}落实{{% endif %}}的原因向{{{{ office }}}}作出书面说明。"
    "{% else %}书面说明未按时报送自查反馈表的原因。{% endif %}"
)
SUBMIT = (
    "报送材料{% if round >= 2 %}须经部门主要负责同志审核签字，{% endif %}"
    "以部门名义报送{{ office }}。"
)
# 后果, graduated by round: the brief; the brief and the annual assessment; 约谈 and the assessment.
CONSEQUENCE = (
    f"{{% if round == 1 and {CATCH_UP} %}}确因客观原因不能按期完成的，请书面说明原因及预计完成时间。"
    "{% endif %}"
    "{% if round >= 2 %}本通知为第{{ round }}次催办。{% endif %}"
    f"届时仍未{{% if {CHASE} %}}报送{{% else %}}落实{{% endif %}}的，"
    "{% if round >= 3 %}{{ office }}将报请{{ party_group }}约谈部门主要负责同志，"
    "并将有关情况纳入年度考核。"
    "{% elif round == 2 %}{{ office }}将在督导简报中通报，并将有关情况纳入年度考核。"
    "{% else %}{{ office }}将在督导简报中通报。{% endif %}"
)
# The return still ahead, beside measures already late (the reminder window).
RETURN_AHEAD = (
    "此外，你部门尚有{{ missing_count }}项任务未报送进展情况，"
    "请于{{ return_deadline|date_cn }}前按时报送自查反馈表。"
)
REMINDER = (
    "{% if days_left %}距报送截止还有{{ days_left }}天，{% else %}今天是报送截止日期，{% endif %}"
    "请你部门按时报送{% if sent_nothing %}自查反馈表{% else %}上述任务的进展情况{% endif %}，"
    "逐项填写完成状态、进展情况和佐证材料，以部门名义报送{{ office }}。"
    "确有困难的，请及时与{{ office }}联系。"
)


def build(profile="gb2312") -> OfficialDocument:
    doc = OfficialDocument(profile, title="催办通知")
    doc.tag("set ns = namespace(item=0, items=0)")
    doc.title(TITLE)
    doc.addressee("{{ department }}：")
    doc.body_text(GROUNDS)
    doc.body_text(FACTS)
    with doc.when("items and not attachments"):
        doc.table(ITEM_COLUMNS, "row in items")
        doc.blank()
    with doc.when(REDO):
        doc.body_text(REDO_WORK)
    with doc.when("mode != 'remind' and mode != 'redo'"):
        doc.tag(ITEMS)
        doc.body_text(TONE)
        with doc.when(CATCH_UP):
            doc.body_text(CATCH_UP_WORK)
        with doc.when(REPORT_ITEM):
            doc.body_text(REPORT_WORK)
        with doc.when(EXPLAIN_ITEM):
            doc.body_text(EXPLAIN)
        with doc.when("mode == 'catch-up' and missing_count and not missing_late"):
            doc.body_text(RETURN_AHEAD)
        with doc.when("refuted"):
            doc.body_text(REFUTED_NOTE)
        doc.body_text(SUBMIT)
        doc.body_text(CONSEQUENCE)
    with doc.when(REMIND):
        doc.body_text(REMINDER)
        with doc.when("refuted"):
            doc.body_text(REFUTED_NOTE)
    doc.body_text(f"特此{{% if {REMIND} %}}提醒{{% else %}}通知{{% endif %}}。")
    doc.attachment_note("attachments")
    # The closing keeps the paragraph before it with the signature: the reminder's request, or
    # the consequence (the other of the two is not printed).
    doc.signature("signature", "date", keep=3)
    # The date keeps the 附注 with it: a contact line alone on a page reads as a stray.
    doc.document.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.note("（{{ contact }}）")
    with doc.when("attachments"):
        doc.attachment_page("附件", "{{ attachments[0] }}")
        doc.table(ITEM_COLUMNS, "row in items")
        doc.paragraph(ANCHOR)  # Word needs a paragraph after the last table
    return doc
