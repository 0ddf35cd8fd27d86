"""年终总结: the party group's GB/T 9704 报告 to its superior on the year's work.

The prose lives here, as Jinja text inside the paragraphs; docgen.documents.year_end supplies the
numbers and lists. Every clause whose number can be zero sits in an {% if %} and is dropped or
becomes a plain negative; 全部完成 is written only when the count equals the total; 长期坚持 is
never counted as done; every count sentence is anchored to the one 截至{{ as_of }}.

Skeleton (documents.md §7): 导语 (the notice when configured; before 31 December, that this is a
pre-summary as of its date) → 一、总体完成情况 (by stream, aspect and quarter; the basis of the
completions, said once) → 二、主要工作及成效 (per stream, achievements with their evidence) →
三、存在的问题和不足 (open items with a deadline only: overdue, not started, with their causes or
"未报送进展"; silent departments; difficulties on items still under way) → 四、下一步工作打算 (the
rest of the year while it lasts; the next year: carried-over items, standing work as continuing
work, verifying what is reported done) → 特此报告。 Attachments: 1 counts by stream and aspect,
2 completions by month, 3 the measures still open with their deadline and planned date.
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

# The notice that asked for the work when [campaign] names one, else the plain facts; before the
# year's last day the summary says once that it is a pre-summary as of its date.
OPENING = (
    "{% if notice %}按照{{ notice }}要求，{{ year }}年{{ org_short }}党组"
    "{% else %}{{ year }}年，{{ org_short }}党组{% endif %}"
    "将{{ streams|map(attribute='name')|join('、') }}"
    "{% if streams|length > 1 %}{{ streams|length|number_cn }}项{% endif %}工作分解为具体举措，逐项明确牵头部门、责任部门和完成时限，"
    "通过各部门自查反馈跟踪落实进度。"
    "{% if pre_summary %}截至{{ as_of|month_day_cn }}，年度工作尚未结束，本报告为年度工作预总结，"
    "全年完成情况以{{ year_end|month_day_cn }}的统计为准。现将有关情况报告如下："
    "{% else %}现将{{ year }}年度工作情况报告如下：{% endif %}"
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
    "{% if c.standing %}完成率按已完成举措占举措总数计算，长期坚持的举措作为常态化工作持续推进，"
    "不计入已完成。{% endif %}"
    # The basis of every completion in the summary, said once: nothing is verified yet.
    "{{ basis }}"
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


def _joined(
    parts: tuple[tuple[str, str], ...], sep: str, before_many: str, before_one: str | None
) -> str:
    """Jinja text naming the parts whose condition holds, joined by `sep`: after `before_many`
    when two or more hold, after `before_one` when one does (None: nothing), nothing when none."""
    conditions = ", ".join(condition for condition, _ in parts)
    many = f"[{conditions}]|select|list|length"
    text = "{% set ns.sep = '' %}" + "".join(
        f"{{% if {condition} %}}{{{{ ns.sep }}}}{part}{{% set ns.sep = '{sep}' %}}{{% endif %}}"
        for condition, part in parts
    )
    one = f"{{% elif {many} == 1 %}}{before_one}{text}" if before_one is not None else ""
    return f"{{% if {many} > 1 %}}{before_many}{text}{one}{{% endif %}}"


# Section three: the open items with a deadline only (standing work is continuing work, planned
# for in part four, never a shortcoming); the sub-headings are numbered as they appear.
PROBLEMS_HEADING = "三、存在的问题和不足{% set ns = namespace(p=0, q=0, sep='') %}"
NEXT_LEAD = "{% set ns.p = ns.p + 1 %}{{ ns.p|heading2 }}"

# Why an item is late, as its departments said; else who gave no reason ({why}: 逾期 or 未启动);
# and who sent nothing on it.
_WHY = (
    "{% if o.done_by %}{{ o.done_by|join('、') }}报告已完成，{% endif %}"
    "{% for r in o.reasons %}{{ r.department }}反映{{ r.text }}"
    "{{ '；' if not loop.last else '' }}{% endfor %}"
    "{% if o.unexplained and not o.reasons %}{{ o.unexplained|join('、') }}未说明{why}原因{% endif %}"
    "{% if o.silent %}{{ '；' if o.reasons or o.unexplained else '' }}"
    "{{ o.silent|join('、') }}未报送进展{% endif %}"
    "{% if o.reasons or o.unexplained or o.silent %}。{% endif %}"
)
# What an overdue item's department does next, and by when.
_STATUS = (
    "{% if o.status == '推进中' %}仍在推进{% elif o.status == '未启动' %}尚未启动"
    "{% elif o.status == '长期坚持' %}承担部门报为长期坚持{% else %}进展不明{% endif %}"
)
OVERDUE_TEXT = (
    "截至{{ as_of|date_cn }}，超过完成时限仍未完成的举措有{{ GROUP.n }}项"
    + _joined(
        (
            ("GROUP.doing", "{{ GROUP.doing }}项仍在推进"),
            ("GROUP.not_started", "{{ GROUP.not_started }}项至今未启动"),
            ("GROUP.standing", "{{ GROUP.standing }}项承担部门报为长期坚持"),
            ("GROUP.unreported", "{{ GROUP.unreported }}项承担部门均未报送进展"),
        ),
        "，",
        "，其中",
        None,
    )
    + "{% if GROUP.n > 1 %}{% if GROUP.doing == GROUP.n %}，均仍在推进"
    "{% elif GROUP.not_started == GROUP.n %}，均未启动"
    "{% elif GROUP.unreported == GROUP.n %}，承担部门均未报送进展{% endif %}{% endif %}。"
    "{% if GROUP.rest %}逾期时间最长的{{ GROUP.examples|length }}项是：{% endif %}"
)
OVERDUE_ITEM = (
    "{{ o.id|nobreak }}“{{ o.text }}”，{{ o.lead }}牵头，完成时限为{{ o.deadline }}，"
    "已逾期{{ o.days }}天，"
    + _STATUS
    + "。"
    + _WHY.replace("{why}", "逾期")
    + "{% if o.own_plan %}承担部门计划于{{ o.plan|date_cn }}前完成。"
    "{% else %}要求于{{ o.plan|date_cn }}前完成。{% endif %}"
)
NOT_STARTED_TEXT = (
    "截至{{ as_of|date_cn }}，尚未启动的举措有{{ GROUP.n }}项"
    "{% if GROUP.n > 1 and not GROUP.rest %}，均未超过完成时限{% endif %}。"
    "{% if GROUP.rest %}完成时限最近的{{ GROUP.examples|length }}项是：{% endif %}"
)
NOT_STARTED_ITEM = (
    "{{ o.id|nobreak }}“{{ o.text }}”，{{ o.lead }}牵头，"
    "完成时限为{{ o.deadline }}，"
    "{% if o.days_left is none %}尚未启动。{% elif o.days_left %}距完成时限还有{{ o.days_left }}天。"
    "{% else %}已到完成时限，尚未启动。{% endif %}"
    + _WHY.replace("{why}", "未启动的")
    + "{% if o.moved %}{% if o.own_plan %}承担部门计划于{{ o.plan|date_cn }}前完成。"
    "{% else %}需于{{ o.plan|date_cn }}前启动并完成。{% endif %}{% endif %}"
)
# The late items not named: counted by the causes their departments gave, or by their silence.
REST_TEXT = (
    "其余{{ GROUP.rest }}项"
    "{% if GROUP.causes %}，承担部门反映的原因主要有：{% for x in GROUP.causes %}{{ x.text }}"
    "{% if x.n > 1 %}（{{ x.n }}项）{% endif %}"
    "{{ '；' if not loop.last else '' }}{% endfor %}{% endif %}"
    "{% if GROUP.no_reason == GROUP.rest %}的反馈均未说明原因"
    "{% elif GROUP.no_reason %}{{ '；另有' if GROUP.causes else '中，' }}{{ GROUP.no_reason }}项的反馈未说明原因{% endif %}"
    "{% if GROUP.silent == GROUP.rest %}的承担部门均未报送进展"
    "{% elif GROUP.silent %}{{ '；' if GROUP.causes or GROUP.no_reason else '中，' }}{{ GROUP.silent }}项的承担部门未报送进展{% endif %}"
    "。逐项情况和计划完成时间见附件3。"
)
FEEDBACK_TEXT = (
    "{% if silent %}截至{{ as_of|date_cn }}，{{ silent|join('、') }}"
    "{% if silent|length > 1 %}{{ silent|length }}个部门{% endif %}未报送自查反馈表，"
    "所承担举措的进展不明{% if c.unreported %}；{% else %}。{% endif %}{% endif %}"
    "{% if c.unreported %}{% if not silent %}截至{{ as_of|date_cn }}，{% endif %}"
    "{% if unreported_ids and unreported_ids|length != c.unreported %}"
    "除上述举措外，另有{% endif %}"
    "{% if unreported_ids %}{{ unreported_ids|length }}项举措没有任何承担部门反馈进展"
    "（{% for i in unreported_ids %}{{ i|nobreak }}{% if not loop.last %}、{% endif %}{% endfor %}）"
    "{% else %}没有任何承担部门反馈进展的{{ c.unreported }}项举措已在上文列明{% endif %}。"
    "{% endif %}"
)
DIFFICULTIES_TEXT = (
    "仍在推进的举措中，各部门在自查反馈中提出的困难主要有：{% for d in difficulties %}{{ d.text }}"
    "（涉及{{ d.count }}项举措）"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
)
NO_PROBLEMS = (
    "截至{{ as_of|date_cn }}，没有逾期或尚未启动的举措，各部门均已报送自查反馈"
    "{% if c.all_done %}，各项举措均已报告完成{% endif %}。"
)

PLAN_HEADING = "四、下一步工作打算"
PLAN_OPENING = (
    "{% if pre_summary and dated_open %}下一步，抓好年内剩余工作，并做好{{ next_year }}年工作安排："
    "{% else %}{{ next_year }}年，重点抓好以下工作：{% endif %}"
)
# The late items as one group: overdue, not started (and not yet overdue), or both.
_LATE = (
    "{% if overdue.n and not_started.n %}逾期和尚未启动的{% elif overdue.n %}逾期的"
    "{% else %}尚未启动的{% endif %}{{ late_total }}项"
)
NEXT_PLAN = "{% set ns.q = ns.q + 1 %}{{ ns.q|heading2 }}"
# The rest of this year: only before its last day.
PLAN_YEAR_TEXT = (
    "{% if remaining_total %}年内到期的其余{{ remaining_total }}项举措按原定完成时限推进，其中"
    "{% for r in remaining_by_month %}{{ r.month }}月到期{{ r.n }}项"
    "{{ '，' if not loop.last else '。' }}{% endfor %}"
    "{{ office }}在完成时限前{{ warning_days }}天逐项提醒，牵头部门到期后及时报送完成情况和佐证材料。"
    "{% endif %}"
    "{% if late_total %}对" + _LATE + "举措，由牵头部门按附件3所列计划完成时间"
    "推进，{{ office }}逐项跟踪督办。{% endif %}"
)
# The next year: what is carried over, with its dates.
PLAN_CARRY_TEXT = (
    "{% if pre_summary %}截至{{ year_end|month_day_cn }}仍未完成的举措转入{{ next_year }}年继续推进，"
    "由牵头部门说明原因、明确完成时间，{{ office }}纳入{{ next_year }}年督办台账。"
    "{% if next_year_open %}完成时限在{{ next_year }}年的{{ next_year_open }}项举措"
    "按原定完成时限推进。{% endif %}"
    "{% else %}截至{{ as_of|date_cn }}，有完成时限的举措尚有{{ carried }}项未完成，"
    "转入{{ next_year }}年继续推进，由牵头部门按附件3所列计划完成时间完成"
    + _joined(
        (
            ("late_total", _LATE + "按上述安排办理"),
            (
                "due_now",
                "原定{{ year_end|month_day_cn }}到期、尚未报告完成的{{ due_now }}项，"
                "由牵头部门说明原因，于{{ catch_up|date_cn }}前完成",
            ),
            (
                "next_year_open",
                "完成时限在{{ next_year }}年的{{ next_year_open }}项按原定完成时限推进",
            ),
        ),
        "；",
        "：其中",
        "，",
    )
    + "。"
    "{% endif %}"
)
PLAN_STANDING_TEXT = (
    "{% if standing_open != c.standing %}完成时限或完成状态为长期坚持的"
    "{{ standing_open }}项举措{% else %}{{ standing_open }}项长期坚持的举措{% endif %}作为常态化工作，"
    "{{ next_year }}年继续推进，牵头部门每季度末向{{ office }}报送一次落实情况，"
    "{{ office }}汇总后报{{ org_short }}党组。"
)
PLAN_FEEDBACK_TEXT = (
    "{{ office }}于{{ report_by|date_cn }}前"
    "{% if silent %}督促{{ silent|join('、') }}报送自查反馈表{% endif %}"
    "{% if silent and c.unreported %}，并{% endif %}"
    "{% if c.unreported %}对尚无部门反馈进展的{{ c.unreported }}项举措逐项核实{% endif %}。"
)
# The next 督导抽查 milestone when one is set ([[schedule.milestones]]), else mid next year.
PLAN_REVIEW_TEXT = (
    "对各部门报告已完成{% if c.closed %}、尚未核实销号{% endif %}的{{ c.done - c.closed }}项举措，"
    "{{ office }}于{% if next_check %}{{ next_check|date_cn }}{% else %}{{ next_year }}年6月30日"
    "{% endif %}前组织督导抽查和“回头看”，逐项核查佐证材料，核查属实的予以销号，防止问题反弹。"
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
    Column("编号", "{{ row.id }}", 18),
    Column("具体举措", "{{ row.text }}", 43, align="left"),
    Column("牵头部门", "{{ row.lead }}", 20),
    Column("完成时限", "{{ row.deadline }}", 21),
    Column(
        "完成状态",
        "{{ row.status }}{% if row.overdue_days %}\n逾期{{ row.overdue_days }}天{% endif %}",
        20,
    ),
    # The deadline is never moved silently: a new date stands beside it, in a column of its own.
    Column("计划完成时间", "{{ row.plan }}", 23),
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
    # Written only with one 主送 (docgen.documents.year_end.left_out): never a placeholder.
    with doc.when("recipient"):
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
    _late_list(doc, "overdue", "部分举措逾期未完成。", OVERDUE_TEXT, OVERDUE_ITEM)
    _late_list(doc, "not_started", "部分举措尚未启动。", NOT_STARTED_TEXT, NOT_STARTED_ITEM)
    with doc.when("silent or c.unreported"):
        doc.body_text(Run(NEXT_LEAD + "部分部门未报送进展。", KAI), FEEDBACK_TEXT)
    with doc.when("difficulties"):
        doc.body_text(Run(NEXT_LEAD + "推进中遇到的困难。", KAI), DIFFICULTIES_TEXT)
    with doc.when("not late_total and not silent and not c.unreported and not difficulties"):
        doc.body_text(NO_PROBLEMS)

    doc.heading(1, PLAN_HEADING)
    doc.body_text(PLAN_OPENING)
    with doc.when("pre_summary and (remaining_total or late_total)"):
        doc.body_text(Run(NEXT_PLAN + "抓好年内剩余举措的落实。", KAI), PLAN_YEAR_TEXT)
    with doc.when("silent or c.unreported"):
        doc.body_text(Run(NEXT_PLAN + "督促报送进展。", KAI), PLAN_FEEDBACK_TEXT)
    with doc.when("(pre_summary and dated_open) or carried"):
        doc.body_text(
            Run(NEXT_PLAN + "{{ next_year }}年继续推进未完成的举措。", KAI), PLAN_CARRY_TEXT
        )
    with doc.when("standing_open"):
        doc.body_text(Run(NEXT_PLAN + "常态化推进长期坚持的工作。", KAI), PLAN_STANDING_TEXT)
    with doc.when("c.done"):
        doc.body_text(Run(NEXT_PLAN + "核验已报完成的举措。", KAI), PLAN_REVIEW_TEXT)
    doc.body_text("特此报告。")

    doc.blank()
    doc.paragraph(ATTACHMENT_NOTE, "附件：1.{{ year }}年度举措完成情况统计表")
    doc.paragraph(ATTACHMENT_NOTE, "\u3000\u3000\u30002.{{ year }}年度举措分月完成情况表")
    with doc.when("open_rows"):
        doc.paragraph(ATTACHMENT_NOTE, "\u3000\u3000\u30003.未完成举措及计划完成时间")
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
        doc.attachment_page("附件3", "未完成举措及计划完成时间")
        _centred(doc.paragraph(FORM_LINE, "（截至{{ as_of|date_cn }}）"))
        doc.table(OPEN_COLUMNS, "row in open_rows")

    doc.colophon("cc")
    return doc


def _late_list(doc: OfficialDocument, group: str, heading: str, intro: str, item: str) -> None:
    """A （k） item of part three on the context's late `group`: the count and statuses, the
    examples one paragraph each, then the rest counted by cause (附件3 lists them all)."""
    with doc.when(f"{group}.n"):
        doc.body_text(Run(NEXT_LEAD + heading, KAI), intro.replace("GROUP", group))
        with doc.each(f"o in {group}.examples"):
            doc.body_text(item.replace("GROUP", group))
        with doc.when(f"{group}.rest"):
            doc.body_text(REST_TEXT.replace("GROUP", group))
