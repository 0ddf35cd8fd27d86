"""关于督导抽查情况的报告: the office's report to the party group on the stream leads'
spot-checks (documents.md §11.2), as Jinja text inside the template's paragraphs; context.py
supplies the numbers, names, dates and the checkers' own words.

Skeleton: 导语 (when, by whom, how, how the sample was drawn) → 一、抽查基本情况 (how many, their
share of the completions, departments, verdicts; by stream) → 二、发现的主要问题 (by what the
checkers wrote, units and measures named, their words quoted) → 三、整改要求 (each 不属实 item back
to 推进中 with its new date; 基本属实 items to add evidence by the report-by date) → 四、下一步工作
(回头看, the next spot-check, 销号 only after verification) → 特此报告。 Attachment: every checked
claim with its verdict and what follows from it. Every clause whose number can be zero sits in an
{% if %}; counts are over claims (measure × department), said once.
"""

from docx.oxml.ns import qn

from docgen.documents.self_check.wording import sub
from docgen.official.builder import (
    ATTACHMENT_NOTE,
    FORM_LINE,
    Column,
    OfficialDocument,
    set_child,
)

# Broken by hand where the sense breaks (a 2号 line holds 20 字).
TITLE = "关于{{ year }}年度警示教育、以案促改和\n巡察整改工作督导抽查情况的报告"

# Who checked what: one unit for everything, or each unit with its streams.
_CHECKERS = (
    "{% if checkers|length == 1 %}{{ checkers[0].unit }}对"
    "{{ checkers[0].streams|join('、') }}"
    "{% if checkers[0].streams|length > 1 %}{{ checkers[0].streams|length|number_cn }}个专项"
    "{% else %}专项{% endif %}"
    "{% else %}根据各项工作的牵头分工，{% for k in checkers %}{{ k.unit }}负责"
    "{{ k.streams|join('、') }}专项{{ '，' if not loop.last else '' }}{% endfor %}，分别对各专项"
    "{% endif %}"
)
OPENING = (
    "按照{{ recipient }}关于{{ campaign }}的部署要求，"
    "{% if span %}{{ span|span_cn }}，{% endif %}" + _CHECKERS + "中各部门报告已完成的举措"
    "开展了督导抽查{% if methods %}，采取{{ methods|join('、') }}的方式，"
    "逐项核查举措完成情况和佐证材料{% endif %}。"
    "抽查对象{% if seeds %}以随机数种子{{ seeds|join('、') }}{% endif %}"
    "从各专项已完成的举措中随机抽取"
    "{% if ratio %}，比例为{{ ratio }}，每个专项至少{{ minimum }}项{% endif %}"
    "{% if no_evidence or late %}；"
    "{% if no_evidence %}未填报佐证材料的{{ no_evidence }}项{% endif %}"
    "{% if no_evidence and late %}和{% endif %}"
    "{% if late %}超过完成时限才完成的{{ late }}项{% endif %}全部列入抽查{% endif %}"
    "{% if seeds %}。用同一随机数种子可重新抽出同一样本，抽样结果可复核{% endif %}。"
    "现将抽查情况报告如下："
)

_BREAKDOWN = (
    "{% for label, n in V.breakdown %}{{ label }}{{ n }}项{{ '、' if not loop.last else '' }}"
    "{% endfor %}"
)
TOTALS = (
    "截至{{ as_of|date_cn }}，共抽查各部门报告已完成的举措{{ v.n }}项"
    "（一项举措由几个部门承担的，按部门分别计算，下同），"
    "占已完成{{ done_claims }}项的{{ share }}，涉及{{ n_departments_checked }}个部门。"
    "{% if v.verified == v.n %}抽查的{{ v.n }}项均属实。"
    "{% else %}经核查，" + _BREAKDOWN.replace("V", "v") + "。"
    "{% if not v.refuted %}抽查的举措中没有不属实的情况。{% endif %}{% endif %}"
    "{% if pending %}另有{{ pending }}项已抽取、尚未收回核查结果，未计入以上统计。{% endif %}"
)
BY_STREAM = (
    "分专项看，{% for s in by_stream %}{{ s.name }}专项"
    "{% if checkers|length > 1 %}由{{ s.checker }}{% endif %}抽查{{ s.v.n }}项，"
    "占该专项已完成{{ s.done }}项的{{ s.v.n|percent_of(s.done) }}，"
    "{% if s.v.verified == s.v.n %}均属实{% else %}"
    + _BREAKDOWN.replace("V", "s.v")
    + "{% endif %}"
    "{{ '；' if not loop.last else '。' }}{% endfor %}"
    "逐项核查结果见附件。"
)

PROBLEMS_HEADING = "二、发现的主要问题{% set k = namespace(n=0) %}"
# One checked claim and the checker's own words.
ITEM = (
    "{{ i.department }}承担的{{ i.id|nobreak }}“{{ i.text }}”，"
    "{% if i.checked_on %}{{ i.checked_on|month_day_cn }}{% endif %}经{{ i.checker }}核查"
    "{% if i.verdict == '不属实' %}不属实{% else %}为{{ i.verdict }}{% endif %}，"
    "核查记录为：“{{ i.finding }}”。"
)
GROUP_ONE = ITEM.replace("i.", "g.members[0].")
GROUP_MANY = (
    "共{{ g.n }}项，涉及{{ g.departments|join_cn('、', 4, '个部门') }}"
    "{% if 1 < g.departments|length <= 4 %}{{ g.departments|length }}个部门{% endif %}"
    "{% if g.rest %}，列举{{ g.members|length }}项如下{% endif %}："
)
GROUP_ITEM = "{{ loop.index }}." + ITEM
GROUP_REST = "其余{{ g.rest }}项的核查记录见附件。"
UNREMARKED = (
    "{% for i in unremarked %}{{ i.department }}承担的{{ i.id|nobreak }}"
    "{{ '、' if not loop.last else '' }}{% endfor %}"
    "{% if unremarked|length > 1 %}{{ unremarked|length }}项{% endif %}"
    "核查为不属实或基本属实，督导抽查记录表未写明发现的问题，需由抽查单位补充说明。"
)
NO_PROBLEMS = "抽查的{{ v.n }}项举措均属实，核查中未发现问题。"

FIX_HEADING = "三、整改要求{% set k = namespace(n=0) %}"
REFUTED_LEAD = (
    "抽查不属实的{{ v.refuted }}项已退回“推进中”，不计为已完成，由责任部门重新整改，"
    "完成后将整改情况和佐证材料报送抽查单位复核"
    "{% if v.refuted == 1 %}。{% else %}：{% endif %}"
)
REFUTED_ITEM = (
    "{% if v.refuted > 1 %}{{ loop.index }}.{% endif %}"
    "{{ i.department }}承担的{{ i.id|nobreak }}，"
    "{% if i.redo_by %}请于{{ i.redo_by|date_cn }}前重新完成{% else %}请尽快重新完成{% endif %}"
    "{% if i.requirement %}，抽查单位的要求是：“{{ i.requirement }}”{% endif %}。"
)
REFUTED_REST = "其余{{ refuted_rest }}项的重新完成期限见附件。"
REMARKS_TEXT = (
    "核查为基本属实的{{ v.remarks }}项已予销号，请责任部门于{{ report_by|date_cn }}前"
    "按核查意见补充佐证材料，报送抽查单位归档："
    "{% for i in remarks %}{{ i.department }}（{{ i.id|nobreak }}"
    "{% if i.requirement %}，“{{ i.requirement }}”{% endif %}）"
    "{{ '；' if not loop.last else '' }}{% endfor %}"
    "{% if remarks_rest %}；其余{{ remarks_rest }}项见附件{% endif %}。"
)
ALL_VERIFIED = "抽查的{{ v.n }}项举措均属实，已予销号，不需整改。"

PLAN_HEADING = "四、下一步工作{% set k = namespace(n=0) %}"
REVIEW_TEXT = (
    "各抽查单位在重新完成期限届满后，对抽查不属实的{{ v.refuted }}项逐项“回头看”，"
    "复核属实的予以销号；到期仍未完成的，在督导简报中通报，并列入催办。"
)
NEXT_CHECK_TEXT = (
    "{% if pending %}已抽取、尚未收回核查结果的{{ pending }}项，请{{ pending_units|join('、') }}于"
    "{{ report_by|date_cn }}前报送督导抽查记录表。{% endif %}"
    "{% if unchecked_done %}对已完成、尚未抽查的{{ unchecked_done }}项，"
    "{{ office }}{% if next_check %}于{{ next_check|date_cn }}前{% endif %}组织下一轮督导抽查"
    "{% if groups %}，对本次发现问题的部门适当提高抽查比例{% endif %}。{% endif %}"
)
CLOSE_TEXT = (
    "{% if v.verified + v.remarks %}核查属实{% if v.remarks %}和基本属实{% endif %}的"
    "{{ v.verified + v.remarks }}项已予销号，在整改台账中逐项标注。{% endif %}各部门报告已完成的举措，经督导抽查核验属实后销号，"
    "未经核验的不作销号处理。"
)

# Portrait, 156 mm, one line a row where it can be: the measures' wording is in the body and the
# ledger, the dates of the checks in the opening; here each claim's verdict, the checker's words
# and what follows.
COLUMNS = (
    Column("序号", "{{ loop.index }}", 12),
    Column("编号", "{{ row.id }}", 18),
    Column("专项", "{{ row.stream }}", 24),
    Column("责任部门", "{{ row.department }}", 32),
    Column("核查结果", "{{ row.verdict }}", 24),
    Column("发现的问题", "{{ row.finding }}", 30, align="left"),
    Column(
        "处理",
        "{% if row.verdict == '不属实' %}重新完成"
        "{% if row.redo_by %}\n{{ row.redo_by|month_day_cn }}前{% endif %}"
        "{% elif row.verdict == '基本属实' %}销号\n补充佐证{% else %}销号{% endif %}",
        16,
    ),
)


def build(profile="gb2312") -> OfficialDocument:
    """The spot-check report: 白头 报告 from the office to the party group, one attachment."""
    doc = OfficialDocument(profile, title="督导抽查情况报告")
    doc.title(TITLE)
    doc.addressee("{{ recipient }}：")
    doc.body_text(OPENING)

    doc.heading(1, "一、抽查基本情况")
    doc.body_text(TOTALS)
    doc.body_text(BY_STREAM)

    doc.heading(1, PROBLEMS_HEADING)
    with doc.each("g in groups"):
        with doc.when("g.n == 1"):
            doc.body_text(sub("{{ g.title }}。"), GROUP_ONE)
        with doc.when("g.n > 1"):
            doc.body_text(sub("{{ g.title }}。"), GROUP_MANY)
            with doc.each("i in g.members"):
                doc.body_text(GROUP_ITEM)
            with doc.when("g.rest"):
                doc.body_text(GROUP_REST)
    with doc.when("unremarked"):
        doc.body_text(sub("核查记录不完整。"), UNREMARKED)
    with doc.when("not groups and not unremarked"):
        doc.body_text(NO_PROBLEMS)

    doc.heading(1, FIX_HEADING)
    with doc.when("v.refuted"):
        doc.body_text(sub("抽查不属实的举措重新整改。"), REFUTED_LEAD)
        with doc.each("i in refuted"):
            doc.body_text(REFUTED_ITEM)
        with doc.when("refuted_rest"):
            doc.body_text(REFUTED_REST)
    with doc.when("v.remarks"):
        doc.body_text(sub("基本属实的举措限期补充佐证。"), REMARKS_TEXT)
    with doc.when("not v.refuted and not v.remarks"):
        doc.body_text(ALL_VERIFIED)

    doc.heading(1, PLAN_HEADING)
    with doc.when("v.refuted"):
        doc.body_text(sub("开展“回头看”。"), REVIEW_TEXT)
    with doc.when("pending or unchecked_done"):
        doc.body_text(sub("继续开展督导抽查。"), NEXT_CHECK_TEXT)
    doc.body_text(sub("核验后销号。"), CLOSE_TEXT)
    doc.body_text("特此报告。")

    doc.blank()
    doc.paragraph(ATTACHMENT_NOTE, "附件：督导抽查核查结果明细表")
    doc.signature("signature", "date")

    doc.attachment_page("附件", "督导抽查核查结果明细表")
    note = doc.paragraph(FORM_LINE, "（截至{{ as_of|date_cn }}）")
    set_child(note.find(qn("w:pPr")), "jc", {"val": "center"})
    doc.table(COLUMNS, "row in rows")
    doc.blank()
    return doc
