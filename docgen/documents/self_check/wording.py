"""What the party group's self-check report (docgen.documents.party_report) and a department's
(docgen.documents.department_report) say alike: the title, the clauses built from figures, the
numbered sections and lead-ins, the closing, the attachment table and part four's plans.

Every clause whose number could be zero is guarded by {% if %}, so that no sentence says "0项".
Skeleton of both (documents.md §2.3): opening with the hand-over "现将自查情况报告如下：", then
一、基本情况 (headline counts, each stream, the inspection problems one by one),
二、主要做法和成效 (only when something is done), 三、存在的问题 (always), 四、下一步打算
(only when something is open), 特此报告。, the 附件说明, the signature and the attachment table.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.official.builder import (
    ANCHOR,
    ATTACHMENT_NOTE,
    BODY,
    HEADING1,
    KAI,
    TITLE,
    OfficialDocument,
    Run,
    set_child,
)

TITLE_LINES = ("关于{{ year }}年度警示教育、以案促改", "和巡察整改工作自查情况的报告")


def breakdown(c: str, unreported: str = "未反馈") -> str:
    """已完成2项，推进中3项，未反馈1项: the non-zero statuses of a figures() dict, in order."""
    return (
        f"{{% for label, n in {c}.breakdown %}}"
        f'{{% if label == "未反馈" %}}{unreported}{{% else %}}{{{{ label }}}}{{% endif %}}'
        "{{ n }}项{% if not loop.last %}，{% endif %}{% endfor %}"
    )


def progress_sentence(c: str, unreported: str = "未反馈") -> str:
    """全部完成 only when every item is done; otherwise the breakdown and, if any, the rate."""
    return (
        f"{{% if {c}.all_done %}}{{% if {c}.total > 1 %}}已全部完成{{% else %}}已完成{{% endif %}}"
        f"，完成率{{{{ {c}.rate }}}}"
        f"{{% else %}}{breakdown(c, unreported)}"
        f"{{% if {c}.done %}}，完成率{{{{ {c}.rate }}}}{{% endif %}}{{% endif %}}"
    )


def deadline_clause(m: str = "m") -> str:
    """，已超过完成时限N天 / ，完成时限为2026年6月30日 / nothing for a standing measure."""
    return (
        f"{{% if {m}.overdue_days %}}，已超过完成时限{{{{ {m}.overdue_days }}}}天"
        f"{{% elif {m}.deadline %}}，完成时限为{{{{ {m}.deadline|date_cn }}}}{{% endif %}}"
    )


def inspection_status(unreported: str) -> str:
    """The status phrase of an inspection measure (documents.md §3.3)."""
    return (
        '{% if m.status == "已完成" %}'
        "{% if m.evidence %}"
        "{% if m.completed_on %}已于{{ m.completed_on|date_cn }}完成整改"
        "{% else %}已完成整改{% endif %}，佐证材料：{{ m.evidence }}。"
        "{% else %}已完成，佐证材料待补充，尚待核验销号。{% endif %}"
        '{% elif m.status == "长期坚持" %}已取得阶段性成效，需长期坚持。'
        f'{{% elif m.status == "推进中" %}}正在整改{deadline_clause()}。'
        '{% elif m.status == "未启动" %}'
        '{% if "启动" in m.progress %}{% if m.problems %}主要原因是{{ m.problems }}。{% endif %}'
        "{% else %}尚未启动{% if m.problems %}，主要原因是{{ m.problems }}{% endif %}。{% endif %}"
        "{% if m.overdue_days %}已超过完成时限{{ m.overdue_days }}天。"
        "{% elif m.deadline %}完成时限为{{ m.deadline|date_cn }}。{% endif %}"
        f"{{% else %}}{unreported}{{% endif %}}"
    )


def numbered(name: str) -> str:
    """A section heading numbered by the counter `sec`, so that a left-out section leaves no gap."""
    return f"{{% set sec.n = sec.n + 1 %}}{{{{ sec.n|heading1 }}}}{name}"


def sub(text: str) -> Run:
    """An inline （一） lead-in in 楷体, numbered by the counter `k`."""
    return Run(f"{{% set k.n = k.n + 1 %}}{{{{ k.n|heading2 }}}}{text}", KAI)


def lead(doc: OfficialDocument, *runs) -> None:
    """A body paragraph that introduces what follows (a lead-in, a sentence ending in "："):
    kept on the page of the next paragraph, so that it never ends a page on its own."""
    p = doc.paragraph(BODY, *runs)
    set_child(p.find(qn("w:pPr")), "keepNext")


def listed(
    doc: OfficialDocument, items: str, heading: str, intro: str, item: str, name: str = "m"
) -> None:
    """Where the context's list `items` has any: a （k） lead-in with its introduction, then a
    paragraph `item` for each entry, called `name` in the template."""
    with doc.when(items):
        lead(doc, sub(heading), intro)
        with doc.each(f"{name} in {items}"):
            doc.body_text(item)


def title(doc: OfficialDocument, *lines: str) -> None:
    """The title, broken into lines by hand at word boundaries (a 梯形 title)."""
    p = doc.paragraph(TITLE, *lines)
    for run in p.findall(qn("w:r"))[1:]:
        run.insert(1, OxmlElement("w:br"))


def closing(doc: OfficialDocument, attachment: str) -> None:
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


def attachment(doc: OfficialDocument, title: str, columns) -> None:
    """The attachment: label, title, then one table per stream under its own heading."""
    doc.attachment_page("附件", title)
    doc.blank()
    with doc.each("s in streams"):
        doc.paragraph(HEADING1, "{{ loop.index|heading1 }}{{ s.name }}（{{ s.c.total }}项）")
        doc.table(columns, "m in s.measures")
    # Word needs a paragraph between the last table and what follows (or the end).
    doc.paragraph(ANCHOR)


def status_cell(unreported: str = "未反馈") -> str:
    """The status cell: the days overdue go on a line of their own, so that a narrow column
    never splits the phrase."""
    return (
        f'{{% if m.status == "未反馈" %}}{unreported}{{% else %}}{{{{ m.status }}}}{{% endif %}}'
        "{% if m.overdue_days %}{{ '\\n' }}逾期{{ m.overdue_days }}天{% endif %}"
    )


OVERDUE_LEAD = "截至{{ as_of|date_cn }}，有{{ overdue|length }}项举措超过完成时限仍未完成："
NOT_STARTED_LEAD = "{{ not_started|length }}项举措尚未启动："

# Part four names each open item by its number only: its wording is in the attachment (and, for
# overdue and not-started items, in part three just before).
PLAN_INTRO = "对尚未完成的举措，逐项明确责任和完成时限（举措内容见附件）："


def plan_items(head: str, tail: str) -> dict[str, str]:
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


def plans(doc: OfficialDocument, items: dict[str, str], pending_lead: str) -> None:
    """Part four's groups: overdue, not started or unreported, under way, standing."""
    with doc.when("plans.overdue"):
        lead(doc, sub("加快推进逾期举措。"))
        with doc.each("m in plans.overdue"):
            doc.body_text(items["overdue"])
    with doc.when("plans.pending"):
        lead(doc, sub(pending_lead))
        with doc.each("m in plans.pending"):
            doc.body_text(items["pending"])
    with doc.when("plans.doing"):
        lead(doc, sub("按期完成推进中的举措。"))
        with doc.each("m in plans.doing"):
            doc.body_text(items["doing"])
    with doc.when("plans.standing"):
        lead(doc, sub("常态化推进长期坚持的举措。"))
        with doc.each("m in plans.standing"):
            doc.body_text(items["standing"])
