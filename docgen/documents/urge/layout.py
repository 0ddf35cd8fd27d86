"""催办通知: a short 通知 to one late department, its wording firmer with each round.

Round 1 reminds and sets a new date; round 2 says the department will be named in the next
brief; round 3 and later turn to 督办, a written explanation from the department's head, 约谈
and the annual assessment. A department that is only late with its return is 催报ed; one with
overdue measures is 督促ed (督办 from round 3). docgen.documents.urge supplies the items.
"""

from docgen.official.builder import NOTE, Column, OfficialDocument

AS_OF = "截至{{ as_of|date_cn }}"

# Two lines broken where the sense breaks (a 梯形 title), not wherever the line runs out.
BREAK = "{{ '\\n' }}"
TITLE = (
    "{% if overdue_count %}"
    "{% if round >= 3 %}关于对警示教育、以案促改和巡察整改工作"
    + BREAK
    + "逾期未完成事项进行督办的通知"
    "{% else %}关于{% if round == 2 %}再次{% endif %}督促加快推进警示教育、以案促改"
    + BREAK
    + "和巡察整改工作落实的通知"
    "{% endif %}"
    "{% else %}关于{% if round >= 2 %}再次{% endif %}催报警示教育、以案促改"
    + BREAK
    + "和巡察整改工作自查情况的通知"
    "{% endif %}"
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


# How many requirements the notice lists: one stands alone, several are numbered 一是、二是.
ITEMS = (
    "set ns.items = (1 if overdue_count else 0) + (1 if both_count or pending_count else 0)"
    " + (1 if round >= 3 else 0)"
)


def item(text: str) -> str:
    """一是…二是…, numbered in order of appearance (no number when it is the only one)."""
    return (
        "{% set ns.item = ns.item + 1 %}"
        "{% if ns.items > 1 %}{{ ns.item|number_cn }}是{% endif %}" + text
    )


def build(profile="gb2312") -> OfficialDocument:
    doc = OfficialDocument(profile, title="催办通知")
    doc.tag("set ns = namespace(item=0, items=0)")
    doc.title(TITLE)
    doc.addressee("{{ department }}：")
    # 缘由
    doc.body_text(
        "按照{{ party_group }}关于{{ campaign }}的部署要求，各部门应按照任务清单确定的时限"
        "完成承担的举措，"
        "{% if return_deadline %}并于{{ return_deadline|date_cn }}前报送自查反馈表"
        "{% else %}并按时报送自查反馈表{% endif %}。"
        "{% if round > 1 %}此前，{{ office }}已就有关事项向你部门催办{{ round - 1 }}次。"
        "{% endif %}"
    )
    # 事实
    doc.body_text(
        f"{AS_OF}，"
        "{% if sent_nothing %}你部门尚未报送自查反馈表，承担的{{ total }}项任务"
        "{% if total > 1 %}均{% endif %}未报送进展情况"
        "{% if overdue_count %}，其中{{ overdue_count }}项已超过完成时限{% endif %}"
        "{% else %}你部门承担的{{ total }}项任务中，"
        "{% if overdue_count %}有{{ overdue_count }}项已超过完成时限仍未完成"
        "{% if both_count %}（其中{{ both_count }}项未报送进展情况）{% endif %}{% endif %}"
        "{% if pending_count %}{% if overdue_count %}；另有{% else %}有{% endif %}"
        "{{ pending_count }}项未报送进展情况{% endif %}"
        "{% endif %}。具体如下："
    )
    doc.table(ITEM_COLUMNS, "row in items")
    doc.blank()
    # 要求
    doc.tag(ITEMS)
    doc.body_text("请你部门高度重视，于{{ new_due|date_cn }}前完成以下工作：")
    with doc.when("overdue_count"):
        doc.body_text(
            item(
                "对逾期任务逐项说明未按期完成的原因，明确整改措施和预计完成时间，加快推进落实；"
                "已经完成的，一并报送完成情况和佐证材料。"
            )
        )
    with doc.when("both_count or pending_count"):
        doc.body_text(
            item("对未报送进展的任务逐项填写自查反馈表，补报完成状态、进展情况和佐证材料。")
        )
    with doc.when("round >= 3"):
        doc.body_text(item("部门主要负责同志就未按要求落实的原因向{{ office }}作出书面说明。"))
    doc.body_text("报送材料须经部门主要负责同志审核，以部门名义报送{{ office }}。")
    # 后果, graduated by round
    doc.body_text(
        "确因客观原因不能按期完成的，请书面说明原因及预计完成时间。"
        "{% if round == 2 %}本通知为第2次催办，"
        "届时仍未{% if overdue_count %}落实{% else %}报送{% endif %}的，"
        "{{ office }}将在下一期督导简报中列出部门名称和有关事项。"
        "{% elif round >= 3 %}本通知为第{{ round }}次催办，"
        "届时仍未{% if overdue_count %}落实{% else %}报送{% endif %}的，"
        "{{ office }}将报请{{ party_group }}约谈部门主要负责同志，"
        "并将有关情况纳入年度考核。"
        "{% else %}{{ office }}将对上述事项持续跟踪。{% endif %}"
    )
    doc.body_text("特此通知。")
    doc.signature("signature", "date")
    with doc.when("contact"):
        doc.paragraph(NOTE, "（联系人：{{ contact }}）")
    return doc
