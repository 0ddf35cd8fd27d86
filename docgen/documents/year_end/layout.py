"""年终总结: the party group's GB/T 9704 报告 to its superior on the year's work.

The prose lives here, as Jinja text inside the paragraphs; docgen.documents.year_end supplies the
numbers and lists. Every clause whose number can be zero sits in an {% if %} and is dropped or
becomes a plain negative; 全部完成 is written only when the count equals the total; 长期坚持 is
never counted as done; every count sentence is anchored to the one 截至{{ as_of }}.

Skeleton (documents.md §7): 导语 → 一、总体完成情况 (by stream, aspect and quarter) → 二、主要工作及成效
(per stream, achievements with their evidence) → 三、存在的问题和不足 (overdue, not started,
silent departments, difficulties reported) → 四、下一步工作打算 (owned and dated) → 特此报告。
Attachments: 1 counts by stream and aspect, 2 completions by month, 3 the measures still open.
"""

from docx.oxml.ns import qn

from docgen.official.builder import (
    ATTACHMENT_NOTE,
    FORM_LINE,
    KAI,
    Column,
    OfficialDocument,
    Run,
    set_child,
)

# Broken by hand at word boundaries (a 2号 line holds 20 字): the organ on its own line when
# its name is long, so that no line ends inside a word and "报告" never stands alone.
TITLE = (
    "{% if party_group|text_width <= 9 %}{{ party_group }}关于{{ year }}年度警示教育、\n"
    "以案促改和巡察整改工作情况的报告"
    "{% else %}{{ party_group }}\n关于{{ year }}年度警示教育、以案促改和\n"
    "巡察整改工作情况的报告{% endif %}"
)

# "三项工作" only when all three streams are in the list.
_STREAMS_NAMED = (
    "{% if streams|length == 3 %}三项工作"
    "{% else %}{{ streams|map(attribute='name')|join('、') }}工作{% endif %}"
)

OPENING = (
    "{{ year }}年，{{ org_short }}党组按照上级关于警示教育、以案促改和巡察整改工作的部署要求，"
    "将" + _STREAMS_NAMED + "分解为具体举措，逐项明确牵头部门、责任部门和完成时限，"
    "通过各部门自查反馈跟踪落实进度。现将{{ year }}年度工作情况报告如下："
)

TOTALS = (
    "截至{{ as_of|date_cn }}，" + _STREAMS_NAMED + "共分解举措{{ c.total }}项，"
    "涉及{{ n_departments }}个部门。"
    "{% if c.all_done %}各项举措已全部完成。"
    "{% else %}其中{% for label, n in c.breakdown %}{{ label }}{{ n }}项"
    "{{ '，' if not loop.last else '' }}{% endfor %}"
    "{% if c.done %}，完成率{{ c.rate }}。{% else %}；尚无举措完成。{% endif %}"
    "{% if c.overdue %}逾期未完成的举措有{{ c.overdue }}项。"
    "{% else %}没有逾期未完成的举措。{% endif %}{% endif %}"
    "{% if c.standing %}完成率按已完成举措占举措总数计算，长期坚持的举措持续推进，"
    "不计入已完成。{% endif %}"
)

BY_STREAM = (
    "分专项看，{% for s in streams %}{{ s.name }}举措{{ s.c.total }}项，"
    "{% if s.c.all_done %}已全部完成{% elif s.c.done %}已完成{{ s.c.done }}项，"
    "完成率{{ s.c.rate }}{% else %}尚无完成{% endif %}"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
    "{% if not aspects %}各专项的统计见附件1。{% endif %}"
)

BY_ASPECT = (
    "按重点方面看，{% for a in aspects %}{{ a.name }}方面{{ a.c.total }}项，"
    "{% if a.c.all_done %}已全部完成{% elif a.c.done %}已完成{{ a.c.done }}项{% else %}尚无完成"
    "{% endif %}{{ '；' if not loop.last else '' }}{% endfor %}"
    "{% if aspect_unmarked %}；另有{{ aspect_unmarked }}项未标注重点方面{% endif %}。"
    "各专项和各重点方面的统计见附件1。"
)

# Quarters after the as-of date are left out; the current one says how far it goes.
BY_TIME = (
    "从完成时间看，{% for q in quarters %}{{ q.number|number_cn }}季度"
    "{% if q.current %}（截至{{ as_of|month_day_cn }}）{% endif %}"
    "{% if q.done %}完成{{ q.done }}项{% else %}无举措完成{% endif %}"
    "{% if not loop.first and q.cumulative %}，累计{{ q.cumulative }}项{% endif %}"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
    "{% if peak %}完成最多的是{{ peak.month }}月，当月完成{{ peak.done }}项。{% endif %}"
    "{% if earlier_done %}另有{{ earlier_done }}项在{{ year }}年以前已完成。{% endif %}"
    "{% if undated_done %}另有{{ undated_done }}项已完成的举措未填报完成时间，"
    "未计入以上分季度统计。{% endif %}各月完成情况见附件2。"
)

STREAM_LEAD = "{{ loop.index|heading2 }}{{ s.name }}。"
STREAM_TEXT = (
    "截至{{ as_of|date_cn }}，共安排举措{{ s.c.total }}项，"
    "{% if s.c.all_done %}已全部完成。"
    "{% else %}{% for label, n in s.c.breakdown %}{{ label }}{{ n }}项"
    "{{ '，' if not loop.last else '。' }}{% endfor %}{% endif %}"
    "{% if s.inspection %}巡察反馈问题{{ s.inspection.total }}个，"
    "{% if s.inspection.fixed == s.inspection.total %}"
    "{% if s.inspection.total == 1 %}其整改举措已全部完成。"
    "{% else %}各问题的整改举措均已全部完成。{% endif %}"
    "{% elif s.inspection.fixed %}其中{{ s.inspection.fixed }}个问题的整改举措已全部完成，"
    "其余{{ s.inspection.total - s.inspection.fixed }}个问题仍在整改。"
    "{% elif s.inspection.total == 1 %}目前仍在整改。"
    "{% else %}目前均在整改，尚无问题的整改举措全部完成。{% endif %}{% endif %}"
    "{% if s.highlights %}已完成的举措中，有代表性的是：{% endif %}"
)
HIGHLIGHT = (
    "{{ loop.index|number_cn }}是{{ h.progress }}"
    "（{{ h.id|nobreak }}，{{ h.lead }}牵头{% if h.completed_on %}，{{ h.completed_on|month_day_cn }}完成"
    "{% endif %}；佐证材料：{{ h.evidence }}）。"
)
RULES = (
    "从已完成举措的佐证材料看，全年制定或修订了{{ rules[:8]|join('') }}"
    "{% if rules|length > 8 %}等{% endif %}制度文件{{ rules|length }}项。"
)

# Section three: the sub-headings are numbered as they appear, so none is left empty.
PROBLEMS_HEADING = "三、存在的问题和不足{% set ns = namespace(p=0, q=0) %}"
NEXT_LEAD = "{% set ns.p = ns.p + 1 %}{{ ns.p|heading2 }}"
OPEN_TEXT = (
    "截至{{ as_of|date_cn }}，尚有{{ c.open }}项举措未完成，其中"
    "{% for label, n in c.breakdown if label != '已完成' %}{{ label }}{{ n }}项"
    "{{ '，' if not loop.last else '。' }}{% endfor %}"
    "{% if c.standing %}长期坚持的举措需要持续推进，短期内不能完结。{% endif %}"
)
OVERDUE_TEXT = "超过完成时限仍未完成的举措有{{ overdue|length }}项："
# The status of a late measure, in words that read in a sentence.
_STATUS_PHRASE = (
    "{% if o.status == '推进中' %}目前仍在推进{% elif o.status == '未启动' %}目前尚未启动"
    "{% elif o.status == '未反馈' %}承担部门未反馈进展{% else %}目前为{{ o.status }}{% endif %}"
)
_REASONS = (
    "{% if o.reasons %}{% for r in o.reasons %}{{ r.department }}反映{{ r.text }}"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
    "{% else %}承担部门未说明原因。{% endif %}"
)
# What comes next for a late measure: its department's own plan, or the catch-up date.
_NEXT = (
    "下一步，{% if o.next_steps %}{{ o.next_steps }}"
    "{% if not o.has_date %}，{{ catch_up|date_cn if o.days or not o.due else o.due|date_cn }}"
    "前完成{% endif %}"
    "{% elif o.days or not o.due %}{{ catch_up|date_cn }}前完成并报送佐证材料"
    "{% else %}尽快启动，按期于{{ o.due|date_cn }}前完成{% endif %}。"
)
# More late items than this: the rest are counted and listed in 附件3.
LATE_SHOWN = 10
OVERDUE_ITEM = (
    "{{ loop.index }}.{{ o.id|nobreak }}“{{ o.text }}”，{{ o.lead }}牵头，完成时限为{{ o.deadline }}，"
    "已逾期{{ o.days }}天，" + _STATUS_PHRASE + "。" + _REASONS + _NEXT
)
NOT_STARTED_TEXT = "截至{{ as_of|date_cn }}，尚未启动的举措有{{ not_started|length }}项："
NOT_STARTED_ITEM = (
    "{{ loop.index }}.{{ o.id|nobreak }}“{{ o.text }}”，{{ o.lead }}牵头，完成时限为{{ o.deadline }}。"
    + _REASONS
    + _NEXT
)
FEEDBACK_TEXT = (
    "{% if silent %}截至{{ as_of|date_cn }}，{{ silent|length }}个部门尚未报送自查反馈表"
    "（{{ silent|join('、') }}）{% if c.unreported %}；{% else %}。{% endif %}{% endif %}"
    "{% if c.unreported %}{% if not silent %}截至{{ as_of|date_cn }}，{% endif %}"
    "{% if unreported_ids|length != c.unreported %}除上述逾期和未启动的举措外，另有{% endif %}"
    "{% if unreported_ids %}{{ unreported_ids|length }}项举措没有任何承担部门反馈进展"
    "（{% for i in unreported_ids %}{{ i|nobreak }}{% if not loop.last %}、{% endif %}{% endfor %}）{% else %}均已在上文列明{% endif %}。"
    "{% endif %}"
)
DIFFICULTIES_TEXT = (
    "各部门在自查反馈中提出的困难主要有：{% for d in difficulties %}{{ d.text }}"
    "（涉及{{ d.count }}项举措）"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
)
NO_PROBLEMS = (
    "截至{{ as_of|date_cn }}，年度举措已全部完成，各部门均已报送自查反馈，"
    "没有逾期或尚未启动的举措。"
)

PLAN_HEADING = "四、下一步工作打算"
PLAN_OPENING = "{% if c.open or silent %}针对上述问题，{% endif %}下一步重点抓好以下工作："
NEXT_PLAN = "{% set ns.q = ns.q + 1 %}{{ ns.q|heading2 }}"
PLAN_LATE_TEXT = (
    "对逾期和尚未启动的{{ overdue|length + not_started|length }}项举措，由牵头部门按上述安排"
    "限期完成，{{ office }}逐项跟踪督办。"
)
PLAN_REMAINING_TEXT = (
    "其余{{ remaining_total }}项尚未完成的举措按原定完成时限推进，其中"
    "{% for r in remaining_by_month %}{{ r.year }}年{{ r.month }}月到期{{ r.n }}项"
    "{{ '，' if not loop.last else '。' }}{% endfor %}"
    "{{ office }}在完成时限前{{ warning_days }}天逐项提醒，牵头部门到期后及时报送完成情况和佐证材料。"
)
PLAN_STANDING_TEXT = (
    "对{% if standing_open != c.standing %}完成时限或完成状态为长期坚持的"
    "{{ standing_open }}项举措{% else %}{{ standing_open }}项长期坚持的举措{% endif %}，牵头部门每季度末向{{ office }}报送一次落实情况，"
    "{{ office }}汇总后报{{ org_short }}党组。"
)
PLAN_FEEDBACK_TEXT = (
    "{{ office }}于{{ report_by|date_cn }}前"
    "{% if silent %}督促{{ silent|join('、') }}报送自查反馈表{% endif %}"
    "{% if silent and c.unreported %}，并{% endif %}"
    "{% if c.unreported %}对尚无部门反馈进展的{{ c.unreported }}项举措逐项核实{% endif %}。"
)
PLAN_REVIEW_TEXT = (
    "对已完成的{{ c.done }}项举措，{{ office }}于{{ next_year }}年6月30日前组织“回头看”，"
    "逐项核查佐证材料，防止问题反弹。"
)


def stat_columns(first: str) -> tuple[Column, ...]:
    """Counts by group (专项 or 重点方面), the total row last; portrait, 156 mm."""
    return (
        Column(first, "{{ row.name }}", 24),
        Column("举措数", "{{ row.c.total }}", 16),
        Column("已完成", "{{ row.c.done }}", 16),
        Column("推进中", "{{ row.c.doing }}", 16),
        Column("未启动", "{{ row.c.not_started }}", 16),
        Column("长期坚持", "{{ row.c.standing }}", 20),
        Column("未反馈", "{{ row.c.unreported }}", 16),
        Column("逾期", "{{ row.c.overdue }}", 12),
        Column("完成率", "{{ row.c.rate }}", 20),
    )


MONTH_COLUMNS = (
    Column(
        "月份",
        "{% if row.kind == 'month' %}{{ row.month }}月{% elif row.kind == 'earlier' %}"
        "{{ year }}年以前{% elif row.kind == 'later' %}{{ year }}年以后{% elif row.kind == 'undated' %}"
        "未填报完成时间{% else %}合计{% endif %}",
        40,
    ),
    Column("当月完成", "{{ row.done }}", 38),
    Column("累计完成", "{{ row.cumulative }}", 38),
    Column("累计完成率", "{{ row.rate }}", 40),
)

OPEN_COLUMNS = (
    Column("序号", "{{ loop.index }}", 11),
    Column("编号", "{{ row.id }}", 17),
    Column("具体举措", "{{ row.text }}", 46, align="left"),
    Column("牵头部门", "{{ row.lead }}", 22),
    # A full date on one line, with the space Word and WPS put between digits and Chinese.
    Column("完成时限", "{{ row.deadline }}", 38),
    Column(
        "完成状态",
        "{{ row.status }}{% if row.overdue_days %}\n逾期{{ row.overdue_days }}天{% endif %}",
        22,
    ),
)


# Rows of the statistics tables at least 8 mm high: figures in a single-spaced 小四 row are cramped.
STAT_ROW_TWIPS = 454


def _roomy(tbl) -> None:
    for tr in tbl.findall(qn("w:tr")):
        set_child(tr.find(qn("w:trPr")), "trHeight", {"val": STAT_ROW_TWIPS, "hRule": "atLeast"})


def _centred(p) -> None:
    set_child(p.find(qn("w:pPr")), "jc", {"val": "center"})


def build(profile="gb2312") -> OfficialDocument:
    """The 年终总结 template: a 报告 with three attachment tables and the 版记."""
    doc = OfficialDocument(profile, title="报告")
    doc.title(TITLE)
    doc.addressee("{{ recipient }}：")
    doc.body_text(OPENING)

    doc.heading(1, "一、总体完成情况")
    doc.body_text(TOTALS)
    doc.body_text(BY_STREAM)
    with doc.when("aspects"):
        doc.body_text(BY_ASPECT)
    with doc.when("'aspects' in charts"):
        doc.figure("charts.aspects")
    with doc.when("quarters"):
        doc.body_text(BY_TIME)
    with doc.when("'months' in charts"):
        doc.figure("charts.months")

    doc.heading(1, "二、主要工作及成效")
    with doc.each("s in stream_sections"):
        doc.body_text(Run(STREAM_LEAD, KAI), STREAM_TEXT)
        with doc.each("h in s.highlights"):
            doc.body_text(HIGHLIGHT)
    with doc.when("rules"):
        doc.body_text(RULES)

    doc.heading(1, PROBLEMS_HEADING)
    with doc.when("c.open"):
        doc.body_text(Run(NEXT_LEAD + "部分举措尚未完成。", KAI), OPEN_TEXT)
    _late_list(doc, "overdue", "部分举措逾期未完成。", OVERDUE_TEXT, OVERDUE_ITEM)
    _late_list(doc, "not_started", "部分举措尚未启动。", NOT_STARTED_TEXT, NOT_STARTED_ITEM)
    with doc.when("silent or c.unreported"):
        doc.body_text(Run(NEXT_LEAD + "部分部门反馈不及时。", KAI), FEEDBACK_TEXT)
    with doc.when("difficulties"):
        doc.body_text(Run(NEXT_LEAD + "推进中遇到的困难。", KAI), DIFFICULTIES_TEXT)
    with doc.when("not c.open and not silent and not c.unreported"):
        doc.body_text(NO_PROBLEMS)

    doc.heading(1, PLAN_HEADING)
    doc.body_text(PLAN_OPENING)
    with doc.when("overdue or not_started"):
        doc.body_text(Run(NEXT_PLAN + "限期完成逾期和未启动的举措。", KAI), PLAN_LATE_TEXT)
    with doc.when("remaining_total"):
        doc.body_text(Run(NEXT_PLAN + "按期推进其余举措。", KAI), PLAN_REMAINING_TEXT)
    with doc.when("standing_open"):
        doc.body_text(Run(NEXT_PLAN + "常态化推进长期坚持的举措。", KAI), PLAN_STANDING_TEXT)
    with doc.when("silent or c.unreported"):
        doc.body_text(Run(NEXT_PLAN + "督促反馈。", KAI), PLAN_FEEDBACK_TEXT)
    with doc.when("c.done"):
        doc.body_text(Run(NEXT_PLAN + "巩固整改成果。", KAI), PLAN_REVIEW_TEXT)
    doc.body_text("特此报告。")

    doc.blank()
    doc.paragraph(ATTACHMENT_NOTE, "附件：1.{{ year }}年度举措完成情况统计表")
    doc.paragraph(ATTACHMENT_NOTE, "\u3000\u3000\u30002.{{ year }}年度举措分月完成情况表")
    with doc.when("open_rows"):
        doc.paragraph(ATTACHMENT_NOTE, "\u3000\u3000\u30003.未完成举措清单")
    doc.signature("signature", "date", sealed=True)

    doc.attachment_page("附件1", "{{ year }}年度举措完成情况统计表")
    _centred(doc.paragraph(FORM_LINE, "（统计截至{{ as_of|date_cn }}）"))
    doc.heading(2, "（一）按专项统计")
    _roomy(doc.table(stat_columns("专项"), "row in stream_rows"))
    with doc.when("aspects"):
        doc.blank()
        doc.heading(2, "（二）按重点方面统计")
        _roomy(doc.table(stat_columns("重点方面"), "row in aspect_rows"))
    doc.paragraph(
        FORM_LINE,
        "注：完成率为已完成举措占举措数的比例；长期坚持的举措不计入已完成。",
    )

    doc.attachment_page("附件2", "{{ year }}年度举措分月完成情况表")
    _centred(doc.paragraph(FORM_LINE, "（统计截至{{ as_of|date_cn }}，按举措完成时间统计）"))
    _roomy(doc.table(MONTH_COLUMNS, "row in month_rows"))

    with doc.when("open_rows"):
        doc.attachment_page("附件3", "未完成举措清单")
        _centred(doc.paragraph(FORM_LINE, "（截至{{ as_of|date_cn }}）"))
        doc.table(OPEN_COLUMNS, "row in open_rows")

    doc.colophon("cc")
    return doc


def _late_list(doc: OfficialDocument, items: str, heading: str, intro: str, item: str) -> None:
    """A （k） item of part three listing the context's late `items`: at most LATE_SHOWN of
    them, the rest counted and left to 附件3."""
    with doc.when(items):
        doc.body_text(Run(NEXT_LEAD + heading, KAI), intro)
        with doc.each(f"o in {items}[:{LATE_SHOWN}]"):
            doc.body_text(item)
        with doc.when(f"{items}|length > {LATE_SHOWN}"):
            doc.body_text(f"其余{{{{ {items}|length - {LATE_SHOWN} }}}}项见附件3。")
