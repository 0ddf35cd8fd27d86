"""自查报告 of a department to the lead office (白头, signed by the department): the wording.
context.py supplies the department's own figures and items; what both self-check reports say
alike is in docgen.documents.self_check.wording.
"""

from docgen.documents.self_check.wording import (
    BRIEF_NOT_STARTED_INTRO,
    BRIEF_OVERDUE_INTRO,
    BY_ID,
    FOCUS_ATTACHMENT,
    GROUP_ENDS,
    GROUP_PENDING,
    NOT_STARTED_LEAD,
    OVERDUE_LEAD,
    PLAN_INTRO,
    TITLE_LINES,
    attachment,
    breakdown,
    closing,
    focus_attachment,
    inspection_part,
    lead,
    listed,
    measure_paragraph,
    measure_status,
    named_list,
    numbered,
    plan_bodies,
    plan_groups,
    plans,
    problem_counts_only,
    problem_summary,
    progress_sentence,
    roster_inline,
    status_cell,
    sub,
    title,
)
from docgen.official.builder import ADDRESSEE, KAI, Column, OfficialDocument, Run

# A department's completions are its own self-check, not yet verified (经自查…完成).
ITEM_STATE = measure_status("经自查", "本部门未填报进展")

DEPARTMENT_PLAN_ITEM = (
    '{{ loop.index }}.{{ m.id|nobreak }}：{% if m.role == "配合" %}配合{{ m.lead }}，{% endif %}',
    "。",
)


DEPARTMENT_OPENING = (
    "按照{% if notice %}{{ notice }}要求和{% endif %}{{ party_group }}关于深化警示教育、"
    "以案促改和巡察整改工作的部署，"
    "{{ department }}对照本部门承担的{{ c.total }}项举措，对年初以来至{{ as_of|date_cn }}的"
    "落实情况{% if sent_nothing %}开展自查。截至{{ as_of|date_cn }}，本部门尚未报送自查反馈表，"
    "以下情况依据举措清单整理。{% else %}逐项开展自查。{% endif %}现将自查情况报告如下："
)

DEPARTMENT_TOTALS = (
    "本部门承担{{ year }}年度举措{{ c.total }}项"
    "{% if lead and support %}，其中牵头{{ lead }}项、配合{{ support }}项"
    "{% elif lead %}，均为牵头举措{% else %}，均为配合举措{% endif %}"
    "{% if streams|length > 1 %}；按专项分，{% for s in streams %}{{ s.name }}{{ s.c.total }}项"
    "{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。截至{{ as_of|date_cn }}，"
    "{% if c.all_done %}{{ c.total }}项举措已全部完成，完成率{{ c.rate }}"
    f"{{% else %}}{breakdown('c', '未填报')}"
    "{% if c.done %}，完成率{{ c.rate }}{% else %}，尚无已完成的举措{% endif %}{% endif %}"
    "{% if c.overdue %}；有{{ c.overdue }}项举措超过完成时限仍未完成{% endif %}。"
    "{% if c.standing %}长期坚持的{{ c.standing }}项按常态化要求持续推进，不计入完成率。{% endif %}"
    "{{ basis }}"
)

DEPARTMENT_STREAM = (
    f"承担举措{{{{ s.c.total }}}}项，{progress_sentence('s.c', '未填报')}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
)

DEPARTMENT_MEASURE = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id|nobreak }}，{{ m.role }}）。"
    "{% if m.progress and not m.highlight %}{{ m.progress }}；{% endif %}" + ITEM_STATE + "。"
)

DEPARTMENT_INSPECTION_MEASURE = measure_paragraph(
    "（{{ loop.index }}）{{ m.text }}（{{ m.id|nobreak }}，{{ m.role }}）。",
    "经自查",
    "本部门未填报进展",
)

DEPARTMENT_HIGHLIGHT = (
    "{{ loop.index|number_cn }}是{{ m.text }}（{{ m.id|nobreak }}）。{{ m.progress }}"
    "{% if m.evidence %}，佐证材料有{{ m.evidence }}{% endif %}。"
)
DEPARTMENT_MORE_DONE = "除上述举措外，本部门另有{{ more_done }}项已完成的举措，情况见第一部分。"
# Praise only where the figures carry it: every inspection measure done, or four in five and
# none overdue; otherwise the count, and what is overdue.
DEPARTMENT_INSPECTION_HIGHLIGHT = (
    "{{ (highlights|length + 1)|number_cn }}是"
    "{% if inspection_c.all_done or (inspection_c.done * 5 >= inspection_c.total * 4"
    " and not inspection_c.overdue) %}扎实推进巡察整改{% else %}推进巡察整改{% endif %}。"
    "本部门承担的巡察整改措施{{ inspection_c.total }}项，"
    "{% if inspection_c.all_done %}{% if inspection_c.total > 1 %}均{% endif %}已完成"
    "{% else %}已完成{{ inspection_done }}项"
    "{% if inspection_c.overdue %}，逾期{{ inspection_c.overdue }}项{% endif %}{% endif %}"
    "，整改情况见上文。"
)

DEPARTMENT_OVERDUE_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id|nobreak }}，{{ m.role }}），" + ITEM_STATE + "。"
)
DEPARTMENT_NOT_STARTED_ITEM = DEPARTMENT_OVERDUE_ITEM
DEPARTMENT_UNREPORTED = (
    "{% if sent_nothing %}截至{{ as_of|date_cn }}，本部门尚未报送自查反馈表，"
    "承担的{{ c.total }}项举措均未填报进展，各项举措的完成时限见第一部分和附件。"
    "{% else %}{{ unreported|length }}项举措尚未填报进展："
    "{% for m in unreported %}{{ m.text }}（{{ m.id|nobreak }}，{{ m.role }}）"
    "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
)
DEPARTMENT_NO_EVIDENCE = (
    "{{ no_evidence|length }}项已完成的举措未提供佐证材料："
    "{% for m in no_evidence %}{{ m.id|nobreak }}{% if not loop.last %}、{% endif %}{% endfor %}。"
)
DEPARTMENT_DUE_SOON = (
    "{{ due_soon|length }}项举措将在{{ warning_days }}日内到期，目前仍在推进："
    "{% for m in due_soon %}{{ m.text }}（{{ m.id|nobreak }}，{{ m.deadline|date_cn }}到期）"
    "{% if not loop.last %}；{% endif %}{% endfor %}。"
)
DEPARTMENT_FEEDBACK_PROBLEM = (
    "{{ loop.index }}.{{ p.text }}（涉及{{ p.ids|join_cn('、', 3, '项举措') }}）。"
)
DEPARTMENT_NO_PROBLEMS = (
    "经自查，截至{{ as_of|date_cn }}，本部门承担的举措没有逾期、未启动或未填报的情况，"
    "自查中未发现其他困难和问题。"
    "{% if c.standing %}长期坚持的{{ c.standing }}项举措仍需持续推进。{% endif %}"
)
DEPARTMENT_ANY_PROBLEM = (
    "overdue or not_started or unreported or no_evidence or due_soon or feedback_problems"
)

# A department's unreported item: report by a date (or by its deadline, if that comes first).
DEPARTMENT_UNREPORTED_PLAN = (
    "{% if m.deadline and m.deadline == m.report_by %}"
    "于{{ m.deadline|date_cn }}前完成并填报进展"
    "{% else %}于{{ m.report_by|date_cn }}前填报进展"
    "{% if m.deadline %}，确保于{{ m.deadline|date_cn }}前完成{% endif %}{% endif %}"
)


def _department_plan_bodies() -> dict[str, str]:
    """Part four's bodies (plan_bodies), with what a department does about an item it has not
    reported on."""
    bodies = plan_bodies()
    bodies["pending"] = (
        '{% if m.status == "未反馈" %}'
        + DEPARTMENT_UNREPORTED_PLAN
        + "{% else %}"
        + bodies["pending"]
        + "{% endif %}"
    )
    return bodies


# Part four on not-started or unreported items planned together (wording.plans).
DEPARTMENT_PENDING_TOGETHER = (
    '{% if m.status == "未反馈" %}于{{ m.report_by|date_cn }}前填报进展'
    + GROUP_ENDS
    + "{% else %}"
    + GROUP_PENDING
    + "{% endif %}"
)


DEPARTMENT_PLAN_SILENT = (
    "于{{ report_by|date_cn }}前报送自查反馈表，逐项填报承担举措的进展情况，"
    "并按各项举措的完成时限推进落实。"
)
DEPARTMENT_ANY_PLAN = (
    "plans.overdue or plans.pending or plans.doing or plans.standing or sent_nothing"
)

DEPARTMENT_COLUMNS = (
    Column("序号", "{{ loop.index }}", 12),
    Column("编号", "{{ m.id }}", 17),
    Column("具体举措", "{{ m.text }}", 54, align="left"),
    Column("分工", "{{ m.role }}", 14),
    Column("完成时限", "{{ m.deadline_text }}", 37),
    Column("完成状态", status_cell("未填报"), 22),
)
DEPARTMENT_ATTACHMENT = "{{ department }}承担举措完成情况表"


BRIEF_PROBLEM = problem_summary("{{ m.id|nobreak }}（{{ m.role }}", "）", "未填报进展", own=True)
FULL_PROBLEM = problem_counts_only("未填报", own=True)
INSPECTION_PART = "巡察整改措施落实情况"
BRIEF_UNREPORTED = (
    "{% if sent_nothing %}截至{{ as_of|date_cn }}，本部门尚未报送自查反馈表，"
    "承担的{{ c.total }}项举措均未填报进展，各项举措的完成时限见附件1。"
    "{% else %}{% if c.unreported != named.unreported.n %}除逾期举措外，另有{% endif %}"
    "{{ named.unreported.n }}项举措尚未填报进展"
    + roster_inline("named.unreported", "{{ m.text }}（{{ m.id|nobreak }}，{{ m.role }}）")
    + "{% endif %}"
)
BRIEF_NO_EVIDENCE = "{{ named.no_evidence.n }}项已完成的举措未提供佐证材料" + roster_inline(
    "named.no_evidence", "{{ m.id|nobreak }}", "、"
)
BRIEF_DUE_SOON = "{{ named.due_soon.n }}项举措将在{{ warning_days }}日内到期，目前仍在推进" + (
    roster_inline(
        "named.due_soon", "{{ m.text }}（{{ m.id|nobreak }}，{{ m.deadline|date_cn }}到期）"
    )
)
BRIEF_FEEDBACK_PROBLEMS = (
    "本部门在自查中反映困难和问题{{ feedback_problems|length }}条"
    "{% if feedback_problems|length > 3 %}，主要是：{% else %}：{% endif %}"
)
BRIEF_FEEDBACK_PROBLEM = "{{ loop.index }}.{{ p.text }}（涉及{{ p.ids|length }}项举措）。"
BRIEF_ANY_PLAN = DEPARTMENT_ANY_PLAN + " or no_evidence"


def _opening(profile: str) -> OfficialDocument:
    """Both forms up to the streams: title, 主送, the opening and the headline counts."""
    doc = OfficialDocument(profile, title="自查报告")
    title(doc, *TITLE_LINES)
    doc.blank()
    doc.paragraph(ADDRESSEE, "{{ recipient }}：")
    doc.body_text(DEPARTMENT_OPENING)
    doc.heading(1, "{% set sec = namespace(n=1) %}一、基本情况")
    doc.body_text(DEPARTMENT_TOTALS)
    return doc


def build(profile="gb2312") -> OfficialDocument:
    """A department's self-check report to the lead office (白头, signed by the department),
    read in a few minutes: counts by stream, each inspection problem in one paragraph, each
    measure named at most once, its measures in 附件1 and what needs action in 附件2."""
    doc = _opening(profile)
    with doc.each("s in streams"):
        stream = Run("{{ loop.index|heading2 }}{{ s.name }}方面。", KAI)
        doc.body_text(stream, DEPARTMENT_STREAM)
    with doc.when("inspection"):
        doc.heading(1, numbered(INSPECTION_PART))
        inspection_part(doc, BRIEF_PROBLEM)

    with doc.when("highlights or inspection_done"):
        doc.heading(1, numbered("主要做法和成效"))
        with doc.each("m in highlights"):
            doc.body_text(DEPARTMENT_HIGHLIGHT)
        with doc.when("inspection_done"):
            doc.body_text(DEPARTMENT_INSPECTION_HIGHLIGHT)

    doc.heading(1, numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    named_list(doc, "overdue", "部分举措逾期未完成。", BRIEF_OVERDUE_INTRO, DEPARTMENT_OVERDUE_ITEM)
    named_list(
        doc,
        "not_started",
        "部分举措尚未启动。",
        BRIEF_NOT_STARTED_INTRO,
        DEPARTMENT_NOT_STARTED_ITEM,
    )
    with doc.when("sent_nothing or named.unreported.n"):
        doc.body_text(sub("部分举措未填报进展。"), BRIEF_UNREPORTED)
    with doc.when("named.no_evidence.n"):
        doc.body_text(sub("部分已完成举措佐证材料不全。"), BRIEF_NO_EVIDENCE)
    with doc.when("named.due_soon.n"):
        doc.body_text(sub("部分举措临近完成时限。"), BRIEF_DUE_SOON)
    with doc.when("feedback_problems"):
        lead(doc, sub("工作中遇到的困难。"), BRIEF_FEEDBACK_PROBLEMS)
        with doc.each("p in feedback_problems[:3]"):
            doc.body_text(BRIEF_FEEDBACK_PROBLEM)
    with doc.when(f"not ({DEPARTMENT_ANY_PROBLEM})"):
        doc.body_text(DEPARTMENT_NO_PROBLEMS)

    with doc.when(BRIEF_ANY_PLAN):
        doc.heading(1, numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        with doc.when("sent_nothing"):
            doc.body_text(sub("报送自查反馈表。"), DEPARTMENT_PLAN_SILENT)
        plan_groups(doc, "本部门", "本部门")

    closing(doc, DEPARTMENT_ATTACHMENT, ("attention", FOCUS_ATTACHMENT))
    attachment(
        doc,
        DEPARTMENT_ATTACHMENT,
        DEPARTMENT_COLUMNS,
        "{% if attention %}附件1{% else %}附件{% endif %}",
    )
    focus_attachment(doc)
    return doc


def build_full(profile="gb2312") -> OfficialDocument:
    """A department's self-check report in full (`--detail full`): every measure narrated."""
    doc = _opening(profile)
    with doc.each("s in streams"):
        lead(doc, Run("{{ loop.index|heading2 }}{{ s.name }}方面。", KAI), DEPARTMENT_STREAM)
        # The inspection measures under named problems go in the part of their own.
        with doc.when("s.problems and not s.named"), doc.each("m in s.measures"):
            doc.body_text(DEPARTMENT_INSPECTION_MEASURE)
        with doc.when("not s.problems"), doc.each("m in s.measures"):
            doc.body_text(DEPARTMENT_MEASURE)
    with doc.when("inspection"):
        doc.heading(1, numbered(INSPECTION_PART))
        inspection_part(doc, FULL_PROBLEM, DEPARTMENT_INSPECTION_MEASURE)

    with doc.when("highlights or inspection_done"):
        doc.heading(1, numbered("主要做法和成效"))
        with doc.each("m in highlights"):
            doc.body_text(DEPARTMENT_HIGHLIGHT)
        with doc.when("inspection_done"):
            doc.body_text(DEPARTMENT_INSPECTION_HIGHLIGHT)
        with doc.when("more_done"):
            doc.body_text(DEPARTMENT_MORE_DONE)

    doc.heading(1, numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    listed(doc, "overdue", "部分举措逾期未完成。", OVERDUE_LEAD, DEPARTMENT_OVERDUE_ITEM)
    listed(doc, "not_started", "部分举措尚未启动。", NOT_STARTED_LEAD, DEPARTMENT_NOT_STARTED_ITEM)
    with doc.when("unreported"):
        doc.body_text(sub("部分举措未填报进展。"), DEPARTMENT_UNREPORTED)
    with doc.when("no_evidence"):
        doc.body_text(sub("部分已完成举措佐证材料不全。"), DEPARTMENT_NO_EVIDENCE)
    with doc.when("due_soon"):
        doc.body_text(sub("部分举措临近完成时限。"), DEPARTMENT_DUE_SOON)
    listed(
        doc,
        "feedback_problems",
        "工作中遇到的困难。",
        "本部门在自查中反映的困难和问题有：",
        DEPARTMENT_FEEDBACK_PROBLEM,
        name="p",
    )
    with doc.when(f"not ({DEPARTMENT_ANY_PROBLEM})"):
        doc.body_text(DEPARTMENT_NO_PROBLEMS)

    with doc.when(DEPARTMENT_ANY_PLAN):
        doc.heading(1, numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        with doc.when("sent_nothing"):
            doc.body_text(sub("报送自查反馈表。"), DEPARTMENT_PLAN_SILENT)
        with doc.when("not sent_nothing"):
            lead(doc, PLAN_INTRO)
        plans(
            doc,
            *DEPARTMENT_PLAN_ITEM,
            "尽快启动未启动的举措，补填未填报的进展。",
            names=BY_ID,
            bodies=_department_plan_bodies(),
            pending_together=DEPARTMENT_PENDING_TOGETHER,
        )

    closing(doc, DEPARTMENT_ATTACHMENT)
    attachment(doc, DEPARTMENT_ATTACHMENT, DEPARTMENT_COLUMNS)
    return doc
