"""自查报告 templates: the party group's report to its superior and a department's to the lead office.

The wording of both reports lives here, as Jinja text inside the template's paragraphs, so that a
user can open templates/self_check_report.docx in Word and change a sentence. The context comes
from docgen.documents.self_check: numbers, names, dates and lists, never sentences. Every clause
whose number could be zero is guarded by {% if %}, so that no sentence says "0项".

Skeleton (documents.md §2.3): opening with the hand-over "现将自查情况报告如下：", then
一、基本情况 (headline counts, each stream, the inspection problems one by one),
二、主要做法和成效 (only when something is done), 三、存在的问题 (always), 四、下一步打算
(only when something is open), 特此报告。, the 附件说明, the signature and the attachment table.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.official.builder import (
    ADDRESSEE,
    ANCHOR,
    ATTACHMENT_NOTE,
    BODY,
    HEADING1,
    HEADING3,
    KAI,
    TITLE,
    Column,
    OfficialDocument,
    Run,
    set_child,
)

TITLE_LINES = ("关于{{ year }}年度警示教育、以案促改", "和巡察整改工作自查情况的报告")


def _breakdown(c: str, unreported: str = "未反馈") -> str:
    """已完成2项，推进中3项，未反馈1项: the non-zero statuses of a figures() dict, in order."""
    return (
        f"{{% for label, n in {c}.breakdown %}}"
        f'{{% if label == "未反馈" %}}{unreported}{{% else %}}{{{{ label }}}}{{% endif %}}'
        "{{ n }}项{% if not loop.last %}，{% endif %}{% endfor %}"
    )


def _progress_sentence(c: str, unreported: str = "未反馈") -> str:
    """全部完成 only when every item is done; otherwise the breakdown and, if any, the rate."""
    return (
        f"{{% if {c}.all_done %}}{{% if {c}.total > 1 %}}已全部完成{{% else %}}已完成{{% endif %}}"
        f"，完成率{{{{ {c}.rate }}}}"
        f"{{% else %}}{_breakdown(c, unreported)}"
        f"{{% if {c}.done %}}，完成率{{{{ {c}.rate }}}}{{% endif %}}{{% endif %}}"
    )


def _deadline_clause(m: str = "m") -> str:
    """，已超过完成时限N天 / ，完成时限为2026年6月30日 / nothing for a standing measure."""
    return (
        f"{{% if {m}.overdue_days %}}，已超过完成时限{{{{ {m}.overdue_days }}}}天"
        f"{{% elif {m}.deadline %}}，完成时限为{{{{ {m}.deadline|date_cn }}}}{{% endif %}}"
    )


def _inspection_status(unreported: str) -> str:
    """The status phrase of an inspection measure (documents.md §3.3)."""
    return (
        '{% if m.status == "已完成" %}'
        "{% if m.evidence %}"
        "{% if m.completed_on %}已于{{ m.completed_on|date_cn }}完成整改"
        "{% else %}已完成整改{% endif %}，佐证材料：{{ m.evidence }}。"
        "{% else %}已完成，佐证材料待补充，尚待核验销号。{% endif %}"
        '{% elif m.status == "长期坚持" %}已取得阶段性成效，需长期坚持。'
        f'{{% elif m.status == "推进中" %}}正在整改{_deadline_clause()}。'
        '{% elif m.status == "未启动" %}'
        '{% if "启动" in m.progress %}{% if m.problems %}主要原因是{{ m.problems }}。{% endif %}'
        "{% else %}尚未启动{% if m.problems %}，主要原因是{{ m.problems }}{% endif %}。{% endif %}"
        "{% if m.overdue_days %}已超过完成时限{{ m.overdue_days }}天。"
        "{% elif m.deadline %}完成时限为{{ m.deadline|date_cn }}。{% endif %}"
        f"{{% else %}}{unreported}{{% endif %}}"
    )


def _numbered(name: str) -> str:
    """A section heading numbered by the counter `sec`, so that a left-out section leaves no gap."""
    return f"{{% set sec.n = sec.n + 1 %}}{{{{ sec.n|heading1 }}}}{name}"


def _sub(text: str) -> Run:
    """An inline （一） lead-in in 楷体, numbered by the counter `k`."""
    return Run(f"{{% set k.n = k.n + 1 %}}{{{{ k.n|heading2 }}}}{text}", KAI)


def _lead(doc: OfficialDocument, *runs) -> None:
    """A body paragraph that introduces what follows (a lead-in, a sentence ending in "："):
    kept on the page of the next paragraph, so that it never ends a page on its own."""
    p = doc.paragraph(BODY, *runs)
    set_child(p.find(qn("w:pPr")), "keepNext")


def _title(doc: OfficialDocument, *lines: str) -> None:
    """The title, broken into lines by hand at word boundaries (a 梯形 title)."""
    p = doc.paragraph(TITLE, *lines)
    for run in p.findall(qn("w:r"))[1:]:
        run.insert(1, OxmlElement("w:br"))


def _closing(doc: OfficialDocument, attachment: str) -> None:
    """特此报告, the 附件说明 and the signature, kept on one page (7.3.5.5: the signature never
    stands alone at the top of a page)."""
    doc.body_text("特此报告。")
    doc.blank()
    doc.paragraph(ATTACHMENT_NOTE, f"附件：{attachment}")
    doc.signature("signature", "date")
    paragraphs = doc.document.element.body.findall(qn("w:p"))
    for p in paragraphs[-6:-1]:
        ppr = p.find(qn("w:pPr"))
        set_child(ppr, "keepNext")


def _attachment(doc: OfficialDocument, title: str, columns) -> None:
    """The attachment: label, title, then one table per stream under its own heading."""
    doc.attachment_page("附件", title)
    doc.blank()
    with doc.each("s in streams"):
        doc.paragraph(HEADING1, "{{ loop.index|heading1 }}{{ s.name }}（{{ s.c.total }}项）")
        doc.table(columns, "m in s.measures")
    # Word needs a paragraph between the last table and what follows (or the end).
    doc.paragraph(ANCHOR)


def _status_cell(unreported: str = "未反馈") -> str:
    """The status cell: the days overdue go on a line of their own, so that a narrow column
    never splits the phrase."""
    return (
        f'{{% if m.status == "未反馈" %}}{unreported}{{% else %}}{{{{ m.status }}}}{{% endif %}}'
        "{% if m.overdue_days %}{{ '\\n' }}逾期{{ m.overdue_days }}天{% endif %}"
    )


# --- the party group's report ----------------------------------------------------------------

BUREAU_OPENING = (
    "按照上级关于深化警示教育、以案促改和巡察整改工作的部署要求，局党组组织"
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
    "{% endif %}。截至{{ as_of|date_cn }}，"
    "{% if c.all_done %}{{ c.total }}项举措已全部完成，完成率{{ c.rate }}"
    f"{{% else %}}{_breakdown('c')}"
    "{% if c.done %}，完成率{{ c.rate }}{% else %}，尚无已完成的举措{% endif %}{% endif %}"
    "{% if c.overdue %}；有{{ c.overdue }}项举措超过完成时限仍未完成{% endif %}。"
    "{% if c.standing %}长期坚持的{{ c.standing }}项按常态化要求持续推进，不计入完成率。{% endif %}"
)

BUREAU_ASPECTS = (
    "从重点方面看，{% for a in aspects %}{{ a.name }}方面{{ a.c.total }}项，"
    "{% if a.c.all_done %}已全部完成{% elif a.c.done %}已完成{{ a.c.done }}项"
    "{% else %}尚无完成{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。"
)

BUREAU_STREAM = (
    f"共有举措{{{{ s.c.total }}}}项，{_progress_sentence('s.c')}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
)
BUREAU_INSPECTION_STREAM = (
    "{% if s.named %}巡察反馈问题{{ s.named }}个，共制定整改措施{{ s.c.total }}项"
    "{% else %}共有整改措施{{ s.c.total }}项{% endif %}，"
    "{% if s.c.all_done %}已全部完成，完成率{{ s.c.rate }}"
    f"{{% else %}}其中{_breakdown('s.c')}"
    "{% if s.c.done %}，完成率{{ s.c.rate }}{% endif %}{% endif %}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
    "{% if s.fixed %}{{ s.fixed }}个问题的整改措施已完成。{% endif %}"
    "{% if s.named %}各问题整改情况如下：{% else %}逐项整改情况如下：{% endif %}"
)

BUREAU_PROBLEM = (
    "{% if p.text %}关于“{{ p.quoted }}”问题。针对该问题制定整改措施{{ p.c.total }}项，"
    "{% else %}其他整改措施。共{{ p.c.total }}项，{% endif %}"
    "{% if p.c.all_done %}已完成{{ p.c.done }}项{% if p.text %}，该问题已完成整改{% endif %}"
    f"{{% else %}}其中{_breakdown('p.c')}{{% endif %}}。"
)

BUREAU_MEASURE = (
    "（{{ loop.index }}）{{ m.text }}（{{ m.id }}，{{ m.lead }}牵头）。"
    "{% if m.progress %}{{ m.progress }}。{% endif %}"
    + _inspection_status("{{ m.silent|join_cn }}尚未反馈整改进展。")
    + '{% if m.silent and m.status != "未反馈" %}{{ m.silent|join_cn }}尚未反馈。{% endif %}'
)

ASPECT_CLAIM = (
    '{% if h.name == "学习反思" %}以案为鉴，深化学习反思'
    '{% elif h.name == "机制建设" %}堵塞漏洞，健全工作机制'
    '{% elif h.name == "制度完善" %}立规明矩，完善制度体系'
    '{% elif h.name == "监管履职" %}聚焦主责，强化监管履职'
    "{% else %}扎实推进{{ h.name }}{% endif %}"
)

BUREAU_HIGHLIGHT = (
    "{{ loop.index|number_cn }}是" + ASPECT_CLAIM + "。{{ h.name }}方面已完成举措{{ h.done }}项"
    "{% if h.inspection and h.inspection != h.done %}（其中巡察整改措施{{ h.inspection }}项）"
    "{% endif %}"
    "{% if h.examples %}。{% for e in h.examples %}{% if loop.first %}如{% endif %}"
    "{{ e.lead }}牵头的“{{ e.quoted }}”，{{ e.progress }}"
    "{% if e.evidence %}，佐证材料有{{ e.evidence }}{% endif %}"
    "{% if not loop.last %}；{% endif %}{% endfor %}。"
    "{% elif h.inspection == h.done %}"
    '{% if h.name != "巡察整改" %}（{% if h.done > 1 %}均{% endif %}为巡察整改措施）{% endif %}'
    "，整改情况见本报告第一部分。"
    "{% else %}。{% endif %}"
)

OVERDUE_LEAD = "截至{{ as_of|date_cn }}，有{{ overdue|length }}项举措超过完成时限仍未完成："
BUREAU_OVERDUE_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id }}，{{ m.lead }}牵头）。"
    "完成时限为{{ m.deadline|date_cn }}，已逾期{{ m.overdue_days }}天，"
    '{% if m.status == "推进中" %}目前仍在推进{% elif m.status == "未启动" %}目前尚未启动'
    '{% elif m.status == "长期坚持" %}责任部门按长期坚持填报'
    "{% else %}{{ m.silent|join_cn }}尚未反馈进展{% endif %}"
    "{% if m.problems %}，主要困难是{{ m.problems }}{% else %}，反馈中未说明原因{% endif %}。"
)
NOT_STARTED_LEAD = "{{ not_started|length }}项举措尚未启动："
BUREAU_NOT_STARTED_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id }}，{{ m.lead }}牵头）"
    "{% if m.deadline %}，完成时限为{{ m.deadline|date_cn }}{% endif %}"
    "{% if m.problems %}，主要原因是{{ m.problems }}{% else %}，反馈中未说明原因{% endif %}。"
)
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
    "{% for m in unreported %}{{ m.text }}（{{ m.id }}，{{ m.lead }}牵头）"
    "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
)
BUREAU_NO_EVIDENCE = (
    "{{ no_evidence|length }}项已完成的举措未提供佐证材料，尚待补充后核验销号："
    "{% for m in no_evidence %}{{ m.id }}（{{ m.lead }}牵头）{% if not loop.last %}、{% endif %}"
    "{% endfor %}。"
)
DUE_SOON = (
    "{{ due_soon|length }}项举措将在{{ warning_days }}日内到期，目前仍在推进："
    "{% for m in due_soon %}{{ m.text }}（{{ m.id }}，{{ m.lead }}牵头，"
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

# Part four names each open item by its number only: its wording is in the attachment (and, for
# overdue and not-started items, in part three just before).
PLAN_INTRO = "对尚未完成的举措，逐项明确责任和完成时限（举措内容见附件）："
BUREAU_PLAN_ITEM = ("{{ loop.index }}.{{ m.lead }}（{{ m.id }}）：", "。")
DEPARTMENT_PLAN_ITEM = (
    '{{ loop.index }}.{{ m.id }}：{% if m.role == "配合" %}配合{{ m.lead }}，{% endif %}',
    "。",
)


def _plan_items(head: str, tail: str) -> dict[str, str]:
    """Part four's item for each group: who does what, and by when."""
    return {
        "overdue": head
        + "{% if m.next_steps %}{{ m.next_steps }}{% else %}查明原因、加快推进{% endif %}，"
        "最迟于{{ m.plan_date|date_cn }}前完成" + tail,
        "pending": head + "{% if m.next_steps %}{{ m.next_steps }}{% else %}尽快启动{% endif %}"
        "{% if m.deadline %}，确保于{{ m.deadline|date_cn }}前完成{% endif %}" + tail,
        "doing": head + "{% if m.next_steps %}{{ m.next_steps }}{% else %}按计划推进{% endif %}"
        "{% if m.expected %}，预计{{ m.expected|date_cn }}完成，将超过完成时限"
        "（{{ m.deadline|date_cn }}）"
        "{% elif m.deadline %}，于{{ m.deadline|date_cn }}前完成{% else %}，长期坚持{% endif %}"
        + tail,
        "standing": head
        + "{% if m.next_steps %}{{ m.next_steps }}{% else %}按常态化要求持续推进{% endif %}"
        + tail,
    }


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
    Column("完成状态", _status_cell(), 22),
)
BUREAU_ATTACHMENT = "{{ year }}年度举措完成情况表"


def build_bureau_report(profile="gb2312") -> OfficialDocument:
    """The party group's self-check report to its superior (上行文).

    A red header with the document number and 签发人 when `red_header` (a serial was given),
    otherwise 白头; one 主送; 抄送 and 印发 in the 版记.
    """
    doc = OfficialDocument(profile, title="自查报告")
    with doc.when("red_header"):
        doc.red_header(upward=True)
    _title(doc, "{{ party_group }}", *TITLE_LINES)
    doc.blank()
    with doc.when("recipient"):
        doc.paragraph(ADDRESSEE, "{{ recipient }}：")
    doc.body_text(BUREAU_OPENING)

    doc.heading(1, "{% set sec = namespace(n=1) %}一、基本情况")
    doc.body_text(BUREAU_TOTALS)
    with doc.when("aspects"):
        doc.body_text(BUREAU_ASPECTS)
    with doc.each("s in streams"):
        stream = Run("{{ loop.index|heading2 }}{{ s.name }}方面。", KAI)
        # Not kept with the next: a chain of long paragraphs would leave half a page empty.
        with doc.when("not s.problems"):
            doc.body_text(stream, BUREAU_STREAM)
        with doc.when("s.problems"):
            doc.body_text(stream, BUREAU_INSPECTION_STREAM)
        with doc.each("p in s.problems"):
            # Measures under no problem need no heading when no problem is named at all.
            with doc.when("p.text or loop.length > 1"):
                _lead(doc, "{{ loop.index }}.", BUREAU_PROBLEM)
            with doc.each("m in p.measures"):
                doc.body_text(BUREAU_MEASURE)

    with doc.when("highlights"):
        doc.heading(1, _numbered("主要做法和成效"))
        with doc.each("h in highlights"):
            doc.body_text(BUREAU_HIGHLIGHT)

    doc.heading(1, _numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    with doc.when("overdue"):
        _lead(doc, _sub("部分举措逾期未完成。"), OVERDUE_LEAD)
        with doc.each("m in overdue"):
            doc.body_text(BUREAU_OVERDUE_ITEM)
    with doc.when("not_started"):
        _lead(doc, _sub("部分举措尚未启动。"), NOT_STARTED_LEAD)
        with doc.each("m in not_started"):
            doc.body_text(BUREAU_NOT_STARTED_ITEM)
    with doc.when("silent_departments or partial_departments or unreported"):
        doc.body_text(_sub("部分部门自查情况报送不完整。"), BUREAU_UNREPORTED)
    with doc.when("no_evidence"):
        doc.body_text(_sub("部分已完成举措佐证材料不全。"), BUREAU_NO_EVIDENCE)
    with doc.when("due_soon"):
        doc.body_text(_sub("部分举措临近完成时限。"), DUE_SOON)
    with doc.when("feedback_problems"):
        _lead(doc, _sub("各部门反映的困难和问题。"), "各部门在自查反馈中反映的困难和问题主要有：")
        with doc.each("p in feedback_problems"):
            doc.body_text(BUREAU_FEEDBACK_PROBLEM)
    with doc.when(f"not ({BUREAU_ANY_PROBLEM})"):
        doc.body_text(BUREAU_NO_PROBLEMS)

    with doc.when(BUREAU_ANY_PLAN):
        doc.heading(1, _numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        _lead(doc, PLAN_INTRO)
        _plans(doc, _plan_items(*BUREAU_PLAN_ITEM), "尽快启动未启动的举措。")
        with doc.when("silent_departments or partial_departments"):
            doc.body_text(_sub("督促补报自查情况。"), BUREAU_PLAN_SILENT)

    _closing(doc, BUREAU_ATTACHMENT)
    _attachment(doc, BUREAU_ATTACHMENT, BUREAU_COLUMNS)
    doc.colophon("cc")
    return doc


def _plans(doc: OfficialDocument, items: dict[str, str], pending_lead: str) -> None:
    """Part four's groups: overdue, not started or unreported, under way, standing."""
    with doc.when("plans.overdue"):
        _lead(doc, _sub("加快推进逾期举措。"))
        with doc.each("m in plans.overdue"):
            doc.body_text(items["overdue"])
    with doc.when("plans.pending"):
        _lead(doc, _sub(pending_lead))
        with doc.each("m in plans.pending"):
            doc.body_text(items["pending"])
    with doc.when("plans.doing"):
        _lead(doc, _sub("按期完成推进中的举措。"))
        with doc.each("m in plans.doing"):
            doc.body_text(items["doing"])
    with doc.when("plans.standing"):
        _lead(doc, _sub("常态化推进长期坚持的举措。"))
        with doc.each("m in plans.standing"):
            doc.body_text(items["standing"])


# --- a department's report -------------------------------------------------------------------

DEPARTMENT_OPENING = (
    "按照{{ party_group }}关于深化警示教育、以案促改和巡察整改工作的部署要求，"
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
    f"{{% else %}}{_breakdown('c', '未填报')}"
    "{% if c.done %}，完成率{{ c.rate }}{% else %}，尚无已完成的举措{% endif %}{% endif %}"
    "{% if c.overdue %}；有{{ c.overdue }}项举措超过完成时限仍未完成{% endif %}。"
    "{% if c.standing %}长期坚持的{{ c.standing }}项按常态化要求持续推进，不计入完成率。{% endif %}"
)

DEPARTMENT_STREAM = (
    f"承担举措{{{{ s.c.total }}}}项，{_progress_sentence('s.c', '未填报')}"
    "{% if s.c.overdue %}；逾期未完成{{ s.c.overdue }}项{% endif %}。"
)

OWN_STATUS = (
    '{% if m.status == "已完成" %}'
    "{% if m.completed_on %}已于{{ m.completed_on|date_cn }}完成{% else %}已完成{% endif %}"
    "{% if not m.evidence %}，佐证材料待补充{% endif %}"
    f'{{% elif m.status == "推进中" %}}正在推进{_deadline_clause()}'
    f'{{% elif m.status == "未启动" %}}尚未启动{_deadline_clause()}'
    '{% elif m.status == "长期坚持" %}按长期坚持要求持续推进'
    f"{{% else %}}本部门尚未填报进展{_deadline_clause()}{{% endif %}}。"
)

DEPARTMENT_MEASURE = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id }}，{{ m.role }}）。"
    "{% if m.progress and not m.highlight %}{{ m.progress }}。{% endif %}" + OWN_STATUS
)

DEPARTMENT_INSPECTION_MEASURE = (
    "（{{ loop.index }}）{{ m.text }}（{{ m.id }}，{{ m.role }}）。"
    "{% if m.progress %}{{ m.progress }}。{% endif %}"
    + _inspection_status("本部门尚未填报整改进展。")
)

DEPARTMENT_HIGHLIGHT = (
    "{{ loop.index|number_cn }}是{{ m.text }}（{{ m.id }}）。{{ m.progress }}"
    "{% if m.evidence %}，佐证材料有{{ m.evidence }}{% endif %}。"
)
DEPARTMENT_MORE_DONE = "除上述举措外，本部门另有{{ more_done }}项已完成的举措，情况见第一部分。"
DEPARTMENT_INSPECTION_HIGHLIGHT = (
    "{{ (highlights|length + 1)|number_cn }}是扎实推进巡察整改。本部门承担的巡察整改措施"
    "已完成{{ inspection_done }}项，整改情况见第一部分。"
)

OWN_NOW = (
    '{% if m.status == "推进中" %}目前仍在推进{% elif m.status == "未启动" %}目前尚未启动'
    '{% elif m.status == "长期坚持" %}本部门按长期坚持填报{% else %}本部门尚未填报进展{% endif %}'
)
DEPARTMENT_OVERDUE_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id }}，{{ m.role }}）。"
    "完成时限为{{ m.deadline|date_cn }}，已逾期{{ m.overdue_days }}天，"
    + OWN_NOW
    + "{% if m.problems %}，主要困难是{{ m.problems }}{% endif %}。"
)
DEPARTMENT_NOT_STARTED_ITEM = (
    "{{ loop.index }}.{{ m.text }}（{{ m.id }}，{{ m.role }}）"
    "{% if m.deadline %}，完成时限为{{ m.deadline|date_cn }}{% endif %}"
    "{% if m.problems %}，主要原因是{{ m.problems }}{% endif %}。"
)
DEPARTMENT_UNREPORTED = (
    "{% if sent_nothing %}截至{{ as_of|date_cn }}，本部门尚未报送自查反馈表，"
    "承担的{{ c.total }}项举措均未填报进展，各项举措的完成时限见第一部分和附件。"
    "{% else %}{{ unreported|length }}项举措尚未填报进展："
    "{% for m in unreported %}{{ m.text }}（{{ m.id }}，{{ m.role }}）"
    "{% if not loop.last %}；{% endif %}{% endfor %}。{% endif %}"
)
DEPARTMENT_NO_EVIDENCE = (
    "{{ no_evidence|length }}项已完成的举措未提供佐证材料："
    "{% for m in no_evidence %}{{ m.id }}{% if not loop.last %}、{% endif %}{% endfor %}。"
)
DEPARTMENT_DUE_SOON = (
    "{{ due_soon|length }}项举措将在{{ warning_days }}日内到期，目前仍在推进："
    "{% for m in due_soon %}{{ m.text }}（{{ m.id }}，{{ m.deadline|date_cn }}到期）"
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


def _department_plan_items() -> dict[str, str]:
    items = _plan_items(*DEPARTMENT_PLAN_ITEM)
    head, tail = DEPARTMENT_PLAN_ITEM
    items["pending"] = (
        '{% if m.status == "未反馈" %}'
        + head
        + DEPARTMENT_UNREPORTED_PLAN
        + tail
        + "{% else %}"
        + items["pending"]
        + "{% endif %}"
    )
    return items


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
    Column("完成状态", _status_cell("未填报"), 22),
)
DEPARTMENT_ATTACHMENT = "{{ department }}承担举措完成情况表"


def build_department_report(profile="gb2312") -> OfficialDocument:
    """A department's self-check report to the lead office: 白头, signed by the department."""
    doc = OfficialDocument(profile, title="自查报告")
    _title(doc, *TITLE_LINES)
    doc.blank()
    doc.paragraph(ADDRESSEE, "{{ recipient }}：")
    doc.body_text(DEPARTMENT_OPENING)

    doc.heading(1, "{% set sec = namespace(n=1) %}一、基本情况")
    doc.body_text(DEPARTMENT_TOTALS)
    with doc.each("s in streams"):
        _lead(doc, Run("{{ loop.index|heading2 }}{{ s.name }}方面。", KAI), DEPARTMENT_STREAM)
        with doc.when("s.problems"), doc.each("p in s.problems"):
            with doc.when("p.text or loop.length > 1"):
                doc.paragraph(
                    HEADING3,
                    "{{ loop.index }}.{% if p.text %}关于“{{ p.quoted }}”问题"
                    "{% else %}其他整改措施{% endif %}",
                )
            with doc.each("m in p.measures"):
                doc.body_text(DEPARTMENT_INSPECTION_MEASURE)
        with doc.when("not s.problems"), doc.each("m in s.measures"):
            doc.body_text(DEPARTMENT_MEASURE)

    with doc.when("highlights or inspection_done"):
        doc.heading(1, _numbered("主要做法和成效"))
        with doc.each("m in highlights"):
            doc.body_text(DEPARTMENT_HIGHLIGHT)
        with doc.when("inspection_done"):
            doc.body_text(DEPARTMENT_INSPECTION_HIGHLIGHT)
        with doc.when("more_done"):
            doc.body_text(DEPARTMENT_MORE_DONE)

    doc.heading(1, _numbered("存在的问题") + "{% set k = namespace(n=0) %}")
    with doc.when("overdue"):
        _lead(doc, _sub("部分举措逾期未完成。"), OVERDUE_LEAD)
        with doc.each("m in overdue"):
            doc.body_text(DEPARTMENT_OVERDUE_ITEM)
    with doc.when("not_started"):
        _lead(doc, _sub("部分举措尚未启动。"), NOT_STARTED_LEAD)
        with doc.each("m in not_started"):
            doc.body_text(DEPARTMENT_NOT_STARTED_ITEM)
    with doc.when("unreported"):
        doc.body_text(_sub("部分举措未填报进展。"), DEPARTMENT_UNREPORTED)
    with doc.when("no_evidence"):
        doc.body_text(_sub("部分已完成举措佐证材料不全。"), DEPARTMENT_NO_EVIDENCE)
    with doc.when("due_soon"):
        doc.body_text(_sub("部分举措临近完成时限。"), DEPARTMENT_DUE_SOON)
    with doc.when("feedback_problems"):
        _lead(doc, _sub("工作中遇到的困难。"), "本部门在自查中反映的困难和问题有：")
        with doc.each("p in feedback_problems"):
            doc.body_text(DEPARTMENT_FEEDBACK_PROBLEM)
    with doc.when(f"not ({DEPARTMENT_ANY_PROBLEM})"):
        doc.body_text(DEPARTMENT_NO_PROBLEMS)

    with doc.when(DEPARTMENT_ANY_PLAN):
        doc.heading(1, _numbered("下一步打算") + "{% set k = namespace(n=0) %}")
        with doc.when("sent_nothing"):
            doc.body_text(_sub("报送自查反馈表。"), DEPARTMENT_PLAN_SILENT)
        with doc.when("not sent_nothing"):
            _lead(doc, PLAN_INTRO)
        _plans(doc, _department_plan_items(), "尽快启动未启动的举措，补填未填报的进展。")

    _closing(doc, DEPARTMENT_ATTACHMENT)
    _attachment(doc, DEPARTMENT_ATTACHMENT, DEPARTMENT_COLUMNS)
    return doc
