"""自查报告 of the party group to its superior (上行文): the wording, as Jinja text inside the
template's paragraphs, so that a user can open templates/self_check_report.docx in Word and
change a sentence. context.py supplies numbers, names, dates and lists, never sentences; what
both self-check reports say alike is in docgen.documents.self_check.wording.
"""

from docgen.documents.self_check.wording import (
    BRIEF_NOT_STARTED_INTRO,
    BRIEF_OVERDUE_INTRO,
    FOCUS_ATTACHMENT,
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

ITEM_STATE = measure_status("据报", "{{ m.silent|join_cn }}未报送进展")

# The notice that asked for the report is cited when [campaign] notice names it; otherwise the
# opening says plainly what was done, with no stand-in for a notice.
BUREAU_OPENING = (
    "{% if notice %}按照{{ notice }}要求，{% endif %}局党组组织"
    "{{ n_departments }}个责任部门，对照{{ year }}年度举措清单，对年初以来至"
    "{{ as_of|date_cn }}的落实情况逐项开展自查，由各部门填报自查反馈表，汇总核对后形成本报告。"
    "现将自查情况报告如下："
)

BUREAU_TOTALS = (
    "{{ year }}年度，局党组将警示教育、以案促改和巡察整改工作分解为具体举措{{ c.total }}项，"
    "涉及{{ n_departments }}个部门"
    "{% if streams|length > 1 %}，其中"
    "{% for s in streams %}{{ s.name }}{{ s.c.total }}项{% if not loop.last %}、{% endif %}"
    "{% endfor %}{% endif %}{% if n_problems %}，巡察整改举措对应巡察反馈问题{{ n_problems }}个"
    "{% endif %}。截至{{ as_of|date_cn }}，据各部门自查填报，"
    "{% if c.all_done %}{{ c.total }}项举措已全部完成，完成率{{ c.rate }}"
    f"{{% else %}}{breakdown('c', '')}"
    "{% if c.done %}，完成率{{ c.rate }}{% else %}，尚无已完成的举措{% endif %}{% endif %}"
    "{% if c.unreported %}；另有{{ c.unreported }}项举措的承担部门均未报送进展，情况不明"
    "{% endif %}"
    "{% if c.overdue %}；有{{ c.overdue }}项举措超过完成时限仍未完成{% endif %}。"
    "{% if c.standing %}长期坚持的{{ c.standing }}项按常态化要求持续推进，不计入完成率。{% endif %}"
    "{{ basis }}"
)

BUREAU_ASPECTS = (
    "从重点方面看，{% for a in aspects %}{{ a.name }}方面{{ a.c.total }}项，"
    "{% if a.c.all_done %}已全部完成{% elif a.c.done %}已完成{{ a.c.done }}项"
    "{% else %}尚无完成{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。"
)

BUREAU_STREAM = (
    f"共有举措{{{{ s.c.total }}}}项，{progress_sentence('s.c', '未报送进展')}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
)
BUREAU_INSPECTION_STREAM = (
    "{% if s.named %}巡察反馈问题{{ s.named }}个，共制定整改措施{{ s.c.total }}项"
    "{% else %}共有整改措施{{ s.c.total }}项{% endif %}，"
    "{% if s.c.all_done %}已全部完成，完成率{{ s.c.rate }}"
    f"{{% else %}}其中{breakdown('s.c', '未报送进展')}"
    "{% if s.c.done %}，完成率{{ s.c.rate }}{% endif %}{% endif %}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
    "{% if s.fixed %}其中{{ s.fixed }}个问题的整改措施均已报告完成。{% endif %}"
    "{% if s.named %}各问题的整改情况在下一部分逐项报告。{% endif %}"
)

BUREAU_PROBLEM = problem_counts_only("未报送进展")

BUREAU_MEASURE = measure_paragraph(
    "（{{ loop.index }}）{{ m.text }}（{{ m.id|nobreak }}，{{ m.lead }}牵头）。",
    "据报",
    "{{ m.silent|join_cn }}未报送进展",
    '{% if m.silent and m.status != "未反馈" %}；{{ m.silent|join_cn }}未报送进展{% endif %}',
)

# A claim only where the figures carry it: most of the aspect's measures reported done and none
# overdue; otherwise the aspect is named with what has been done, no praise.
ASPECT_CLAIM = (
    "{% if h.done * 5 >= h.total * 3 and not h.overdue %}"
    '{% if h.name == "学习反思" %}以案为鉴，深化学习反思'
    '{% elif h.name == "机制建设" %}堵塞漏洞，健全工作机制'
    '{% elif h.name == "制度完善" %}立规明矩，完善制度体系'
    '{% elif h.name == "监管履职" %}聚焦主责，强化监管履职'
    "{% else %}扎实推进{{ h.name }}{% endif %}"
    "{% else %}{{ h.name }}方面取得阶段性进展{% endif %}"
)

# A highlight's first sentences: the claim, then what of the aspect is done and what overdue.
HIGHLIGHT_HEAD = (
    "{{ loop.index|number_cn }}是" + ASPECT_CLAIM + "。该方面{{ h.total }}项举措"
    "{% if h.done == h.total %}{% if h.total > 1 %}均{% endif %}已完成"
    "{% else %}中已完成{{ h.done }}项{% endif %}"
    "{% if h.inspection and h.inspection != h.done %}（其中巡察整改措施{{ h.inspection }}项）"
    "{% endif %}{% if h.overdue %}，另有{{ h.overdue }}项逾期{% endif %}"
)
# A highlight whose completions are all inspection measures points to where they are told.
HIGHLIGHT_INSPECTION = (
    "{% elif h.inspection == h.done %}"
    '{% if h.name != "巡察整改" %}（{% if h.done > 1 %}均{% endif %}为巡察整改措施）{% endif %}'
    "，整改情况见{% if inspection %}本报告第二部分{% else %}上文{% endif %}。"
    "{% else %}。{% endif %}"
)
BUREAU_HIGHLIGHT = (
    HIGHLIGHT_HEAD
    + "{% if h.examples %}。{% for e in h.examples %}{% if loop.first %}如{% endif %}"
    "{{ e.lead }}牵头的“{{ e.quoted }}”，{{ e.progress }}"
    "{% if e.evidence %}，佐证材料有{{ e.evidence }}{% endif %}"
    "{% if not loop.last %}；{% endif %}{% endfor %}。" + HIGHLIGHT_INSPECTION
)

# An overdue or not-started item in one sentence with its wording, so that its state reads as
# part of what it is about; the state by its step (measure_status).
BUREAU_OVERDUE_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id|nobreak }}，{{ m.lead }}牵头），" + ITEM_STATE + "。"
)
BUREAU_NOT_STARTED_ITEM = BUREAU_OVERDUE_ITEM
BUREAU_UNREPORTED = (
    "{% if return_deadline %}按要求，各部门应于{{ return_deadline|date_cn }}前报送自查反馈表。"
    "{% endif %}截至{{ as_of|date_cn }}，"
    "{% if silent_departments %}{{ silent_departments|join_cn }}"
    "{% if silent_departments|length > 1 %}共{{ silent_departments|length }}个部门{% endif %}"
    "尚未报送{% if partial_departments %}；{% endif %}{% endif %}"
    "{% if partial_departments %}{% for d in partial_departments %}{{ d.name }}（{{ d.n }}项）"
    "{% if not loop.last %}、{% endif %}{% endfor %}"
    "已报送反馈表，但有举措未填报{% endif %}。"
    "{% if unreported %}{{ unreported|length }}项举措尚无任何部门反馈进展："
    "{% for m in unreported %}{{ m.text }}（{{ m.id|nobreak }}，{{ m.lead }}牵头）"
    "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
)
BUREAU_NO_EVIDENCE = (
    "{{ no_evidence|length }}项已完成的举措未提供佐证材料，尚待补充后核验销号："
    "{% for m in no_evidence %}{{ m.id|nobreak }}（{{ m.lead }}牵头）{% if not loop.last %}、{% endif %}"
    "{% endfor %}。"
)
DUE_SOON = (
    "{{ due_soon|length }}项举措将在{{ warning_days }}日内到期，目前仍在推进："
    "{% for m in due_soon %}{{ m.text }}（{{ m.id|nobreak }}，{{ m.lead }}牵头，"
    "{{ m.deadline|date_cn }}到期）{% if not loop.last %}；{% endif %}{% endfor %}。"
)
BUREAU_FEEDBACK_PROBLEM = (
    "{{ loop.index }}.{{ p.text }}（{{ p.departments|join_cn('、', 3, '个部门') }}反映，"
    "涉及{{ p.ids|join_cn('、', 3, '项举措') }}）。"
)
BUREAU_NO_PROBLEMS = (
    "截至{{ as_of|date_cn }}，未发现逾期、未启动或未反馈的举措，各部门在自查中未反映困难和问题。"
)
BUREAU_ANY_PROBLEM = (
    "overdue or not_started or silent_departments or partial_departments or unreported"
    " or no_evidence or due_soon or feedback_problems"
)

BUREAU_PLAN_ITEM = ("{{ loop.index }}.{{ m.lead }}（{{ m.id|nobreak }}）：", "。")
BUREAU_PLAN_SILENT = (
    "由{{ lead_office }}督促{% if silent_departments %}{{ silent_departments|join_cn }}"
    "于{{ report_by|date_cn }}前补报自查反馈表{% if partial_departments %}，{% endif %}{% endif %}"
    "{% if partial_departments %}"
    "{% for d in partial_departments %}{{ d.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
    "于{{ report_by|date_cn }}前补填未填报的举措{% endif %}。"
)
BUREAU_ANY_PLAN = (
    "plans.overdue or plans.pending or plans.doing or plans.standing"
    " or silent_departments or partial_departments"
)

# A full date (2026年12月31日) needs 37 mm of 小四 on one line, as in the table form.
BUREAU_COLUMNS = (
    Column("序号", "{{ loop.index }}", 12),
    Column("编号", "{{ m.id }}", 17),
    Column("具体举措", "{{ m.text }}", 48, align="left"),
    Column("牵头部门", "{{ m.lead }}", 20),
    Column("完成时限", "{{ m.deadline_text }}", 37),
    Column("完成状态", status_cell(), 22),
)
BUREAU_ATTACHMENT = "{{ year }}年度举措完成情况表"


BRIEF_PROBLEM = problem_summary("{{ m.id|nobreak }}（{{ m.lead }}牵头", "）", "未报送进展")
INSPECTION_PART = "巡察反馈问题整改情况"
BRIEF_UNREPORTED = (
    "{% if return_deadline %}按要求，各部门应于{{ return_deadline|date_cn }}前报送自查反馈表。"
    "{% endif %}截至{{ as_of|date_cn }}，"
    "{% if silent_departments %}{{ silent_departments|join_cn }}"
    "{% if silent_departments|length > 1 %}共{{ silent_departments|length }}个部门{% endif %}"
    "尚未报送{% if partial_departments %}；{% endif %}{% endif %}"
    "{% if partial_departments|length > 5 %}"
    "{{ partial_departments|map(attribute='name')|join_cn('、', 3, '个部门') }}"
    "已报送反馈表，但有举措未填报"
    "{% elif partial_departments %}{% for d in partial_departments %}{{ d.name }}（{{ d.n }}项）"
    "{% if not loop.last %}、{% endif %}{% endfor %}"
    "已报送反馈表，但有举措未填报{% endif %}。"
    "{% if named.unreported.n %}"
    "{% if c.unreported != named.unreported.n %}除逾期举措外，另有{% endif %}"
    "{{ named.unreported.n }}项举措尚无任何部门反馈进展"
    + roster_inline("named.unreported", "{{ m.id|nobreak }}（{{ m.lead }}牵头）", "、")
    + "{% endif %}"
)
BRIEF_NO_EVIDENCE = "{{ named.no_evidence.n }}项已完成的举措未提供佐证材料，尚待补充后核验销号" + (
    roster_inline("named.no_evidence", "{{ m.id|nobreak }}（{{ m.lead }}牵头）", "、")
)
BRIEF_DUE_SOON = (
    "{{ named.due_soon.n }}项举措将在{{ warning_days }}日内到期，目前仍在推进"
    + roster_inline(
        "named.due_soon",
        "{{ m.id|nobreak }}（{{ m.lead }}牵头，{{ m.deadline|date_cn }}到期）",
        "、",
    )
)
BRIEF_FEEDBACK_PROBLEMS = (
    "各部门在自查反馈中共反映困难和问题{{ feedback_problems|length }}条"
    "{% if feedback_problems|length > 3 %}，反映较多的有{% else %}，主要有{% endif %}："
)
BRIEF_FEEDBACK_PROBLEM = (
    "{{ loop.index }}.{{ p.text }}（{{ p.departments|join_cn('、', 3, '个部门') }}反映，"
    "涉及{{ p.ids|length }}项举措）。"
)
BRIEF_ANY_PLAN = BUREAU_ANY_PLAN + " or no_evidence"
# What a highlight's examples achieved, in the department's own words; the measure's wording
# and the evidence are in the attachment and the ledger.
BRIEF_HIGHLIGHT = (
    HIGHLIGHT_HEAD
    + "{% if h.examples %}。{% for e in h.examples %}{% if loop.first %}如{% endif %}"
    "{{ e.lead }}{{ e.gist }}{% if not loop.last %}；{% endif %}{% endfor %}。"
    + HIGHLIGHT_INSPECTION
)


def _opening(profile: str) -> OfficialDocument:
    """Both forms up to the streams: the header (红头 when `red_header`), title, 主送, the
    opening and part one's headline counts."""
    doc = OfficialDocument(profile, title="自查报告")
    with doc.when("red_header"):
        doc.red_header(upward=True)
    title(doc, "{{ party_group }}", *TITLE_LINES)
    doc.blank()
    with doc.when("recipient"):
        doc.paragraph(ADDRESSEE, "{{ recipient }}：")
    doc.body_text(BUREAU_OPENING)
    doc.heading(1, "{% set sec = namespace(n=1) %}一、基本情况")
    doc.body_text(BUREAU_TOTALS)
    with doc.when("aspects"):
        doc.body_text(BUREAU_ASPECTS)
    return doc


def _stream(doc: OfficialDocument) -> None:
    """A stream's paragraph in part one; not kept with the next: a chain of long paragraphs
    would leave half a page empty."""
    stream = Run("{{ loop.index|heading2 }}{{ s.name }}方面。", KAI)
    with doc.when("not s.problems"):
        doc.body_text(stream, BUREAU_STREAM)
    with doc.when("s.problems"):
        doc.body_text(stream, BUREAU_INSPECTION_STREAM)


def build(profile="gb2312") -> OfficialDocument:
    """The party group's self-check report, read in ten minutes (documents.md §9 rules 11–14):
    each measure named at most once in the body, the inspection problems one paragraph each,
    long lists counted with a few examples, the measures in 附件1 and what needs action, item by
    item with its next step and date, in 附件2."""
    doc = _opening(profile)
    with doc.each("s in streams"):
        _stream(doc)
    with doc.when("inspection"):
        doc.heading(1, numbered(INSPECTION_PART))
        inspection_part(doc, BRIEF_PROBLEM)

    with doc.when("highlights"):
        doc.heading(1, numbered("主要做法和成效"))
        with doc.each("h in highlights"):
            doc.body_text(BRIEF_HIGHLIGHT)

    doc.heading(1, numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    named_list(doc, "overdue", "部分举措逾期未完成。", BRIEF_OVERDUE_INTRO, BUREAU_OVERDUE_ITEM)
    named_list(
        doc, "not_started", "部分举措尚未启动。", BRIEF_NOT_STARTED_INTRO, BUREAU_NOT_STARTED_ITEM
    )
    with doc.when("silent_departments or partial_departments or named.unreported.n"):
        doc.body_text(sub("部分部门自查情况报送不完整。"), BRIEF_UNREPORTED)
    with doc.when("named.no_evidence.n"):
        doc.body_text(sub("部分已完成举措佐证材料不全。"), BRIEF_NO_EVIDENCE)
    with doc.when("named.due_soon.n"):
        doc.body_text(sub("部分举措临近完成时限。"), BRIEF_DUE_SOON)
    with doc.when("feedback_problems"):
        lead(doc, sub("各部门反映的困难和问题。"), BRIEF_FEEDBACK_PROBLEMS)
        with doc.each("p in feedback_problems[:3]"):
            doc.body_text(BRIEF_FEEDBACK_PROBLEM)
    with doc.when(f"not ({BUREAU_ANY_PROBLEM})"):
        doc.body_text(BUREAU_NO_PROBLEMS)

    with doc.when(BRIEF_ANY_PLAN):
        doc.heading(1, numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        plan_groups(doc, "由牵头部门", "由{{ lead_office }}督促责任部门")
        with doc.when("silent_departments or partial_departments"):
            doc.body_text(sub("督促补报自查情况。"), BUREAU_PLAN_SILENT)

    closing(doc, BUREAU_ATTACHMENT, ("attention", FOCUS_ATTACHMENT))
    attachment(
        doc, BUREAU_ATTACHMENT, BUREAU_COLUMNS, "{% if attention %}附件1{% else %}附件{% endif %}"
    )
    focus_attachment(doc)
    doc.colophon("cc")
    return doc


def build_full(profile="gb2312") -> OfficialDocument:
    """The party group's self-check report to its superior (上行文), in full (`--detail full`):
    every measure narrated where it belongs, part four item by item.

    A red header with the document number and 签发人 when `red_header` (a serial was given),
    otherwise 白头; one 主送; 抄送 and 印发 in the 版记.
    """
    doc = _opening(profile)
    with doc.each("s in streams"):
        _stream(doc)
        # A stream with no named problem goes measure by measure here.
        with doc.when("s.problems and not s.named"), doc.each("m in s.measures"):
            doc.body_text(BUREAU_MEASURE)
    with doc.when("inspection"):
        doc.heading(1, numbered(INSPECTION_PART))
        inspection_part(doc, BUREAU_PROBLEM, BUREAU_MEASURE)

    with doc.when("highlights"):
        doc.heading(1, numbered("主要做法和成效"))
        with doc.each("h in highlights"):
            doc.body_text(BUREAU_HIGHLIGHT)

    doc.heading(1, numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    listed(doc, "overdue", "部分举措逾期未完成。", OVERDUE_LEAD, BUREAU_OVERDUE_ITEM)
    listed(doc, "not_started", "部分举措尚未启动。", NOT_STARTED_LEAD, BUREAU_NOT_STARTED_ITEM)
    with doc.when("silent_departments or partial_departments or unreported"):
        doc.body_text(sub("部分部门自查情况报送不完整。"), BUREAU_UNREPORTED)
    with doc.when("no_evidence"):
        doc.body_text(sub("部分已完成举措佐证材料不全。"), BUREAU_NO_EVIDENCE)
    with doc.when("due_soon"):
        doc.body_text(sub("部分举措临近完成时限。"), DUE_SOON)
    listed(
        doc,
        "feedback_problems",
        "各部门反映的困难和问题。",
        "各部门在自查反馈中反映的困难和问题主要有：",
        BUREAU_FEEDBACK_PROBLEM,
        name="p",
    )
    with doc.when(f"not ({BUREAU_ANY_PROBLEM})"):
        doc.body_text(BUREAU_NO_PROBLEMS)

    with doc.when(BUREAU_ANY_PLAN):
        doc.heading(1, numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        lead(doc, PLAN_INTRO)
        plans(doc, *BUREAU_PLAN_ITEM, "尽快启动未启动的举措。")
        with doc.when("silent_departments or partial_departments"):
            doc.body_text(sub("督促补报自查情况。"), BUREAU_PLAN_SILENT)

    closing(doc, BUREAU_ATTACHMENT)
    attachment(doc, BUREAU_ATTACHMENT, BUREAU_COLUMNS)
    doc.colophon("cc")
    return doc
