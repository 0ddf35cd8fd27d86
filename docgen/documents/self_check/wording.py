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
    Column,
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


def closing(doc: OfficialDocument, attachment: str, second: tuple[str, str] | None = None) -> None:
    """特此报告, the 附件说明 and the signature (which keeps them with it on one page, 7.3.5.5). `second` is (condition, title) of a second attachment
    the context may or may not have: then the note numbers them, the second on its own line."""
    doc.body_text("特此报告。")
    doc.blank()
    if second is None:
        doc.paragraph(ATTACHMENT_NOTE, f"附件：{attachment}")
    else:
        condition, title = second
        note = doc.paragraph(
            ATTACHMENT_NOTE,
            f"附件：{{% if {condition} %}}1.{{% endif %}}{attachment}{{% if {condition} %}}",
            f"2.{title}{{% endif %}}",
        )
        note.findall(qn("w:r"))[1].insert(1, OxmlElement("w:br"))
    doc.signature("signature", "date")


def attachment(doc: OfficialDocument, title: str, columns, label: str = "附件") -> None:
    """The attachment: label, title, then one table per stream under its own heading."""
    doc.attachment_page(label, title)
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


# --- the concise body: each measure named once, long lists in 附件2 (documents.md §9 rule 12) --

FOCUS_ATTACHMENT = "需重点推进的举措清单"
# The lead-ins of part three's overdue and not-started items (named_list), with the qualifier
# that keeps them from contradicting part one's 未启动 count (documents.md §9 rule 11).
BRIEF_OVERDUE_INTRO = "截至{{ as_of|date_cn }}，有{{ named.overdue.n }}项举措超过完成时限仍未完成"
BRIEF_NOT_STARTED_INTRO = (
    "{% if c.not_started != named.not_started.n %}除逾期举措外，另有{% else %}有{% endif %}"
    "{{ named.not_started.n }}项举措尚未启动"
)


def _leads(r: str) -> str:
    """Where a roster's items gather: 风险处置处（4项）、组织人事处（3项）, 等部门 when more."""
    return (
        f"{{% for d, n in {r}.leads %}}{{{{ d }}}}（{{{{ n }}}}项）"
        "{% if not loop.last %}、{% endif %}{% endfor %}"
        f"{{% if {r}.leads|map('last')|sum < {r}.rest %}}等部门{{% endif %}}"
    )


def roster_tail(r: str) -> str:
    """After "有N项……": which of them follow as paragraphs — all the rest, or a few examples
    of a long list whose whole is in 附件2; those named above are counted, not named again."""
    return (
        f"{{% if {r}.earlier == {r}.n %}}，{{% if {r}.n > 1 %}}均{{% endif %}}已在上文列明。"
        f"{{% else %}}{{% if {r}.earlier %}}，除上文已列明的{{{{ {r}.earlier }}}}项外，"
        f"其余{{{{ {r}.rest }}}}项{{% endif %}}"
        f"{{% if {r}.full %}}{{% if {r}.earlier %}}是{{% elif {r}.rest > 1 %}}，分别是{{% endif %}}："
        f"{{% else %}}{{% if not {r}.earlier %}}，{{% endif %}}主要集中在{_leads(r)}，如："
        "{% endif %}{% endif %}"
    )


def roster_inline(r: str, item: str, separator: str = "；") -> str:
    """After "N项……": the items in the same sentence, or a few of them and 详见附件2."""
    return (
        f"{{% if {r}.earlier == {r}.n %}}，{{% if {r}.n > 1 %}}均{{% endif %}}已在上文列明。"
        f"{{% else %}}{{% if {r}.earlier %}}，除上文已列明的{{{{ {r}.earlier }}}}项外，"
        f"其余{{{{ {r}.rest }}}}项{{% endif %}}"
        f"{{% if {r}.full %}}{{% if {r}.earlier %}}是{{% endif %}}："
        f"{{% else %}}，主要集中在{_leads(r)}，如{{% endif %}}"
        f"{{% for m in {r}.listed %}}{item}{{% if not loop.last %}}{separator}{{% endif %}}"
        f"{{% endfor %}}{{% if {r}.full %}}。{{% else %}}等，详见附件2。{{% endif %}}{{% endif %}}"
    )


def named_list(doc: OfficialDocument, key: str, heading: str, intro: str, item: str) -> None:
    """A （k） item of part three naming the roster `named.<key>` once: the lead-in, a paragraph
    per item named here, and where the list is long, the pointer to 附件2."""
    r = f"named.{key}"
    with doc.when(f"{r}.n"):
        lead(doc, sub(heading), intro + roster_tail(r))
        with doc.each(f"m in {r}.listed"):
            doc.body_text(item)
        with doc.when(f"not {r}.full"):
            doc.body_text(f"其余{{{{ {r}.rest - {r}.listed|length }}}}项详见附件2。")


def focus_state() -> str:
    """附件2's 目前情况 cell."""
    return (
        '{% if m.issue == "overdue" %}'
        '{% if m.status == "未反馈" %}未反馈{% else %}{{ m.status }}{% endif %}，'
        "逾期{{ m.overdue_days }}天"
        '{% elif m.issue == "not_started" %}未启动'
        '{% elif m.issue == "unreported" %}未反馈进展'
        '{% elif m.issue == "due_soon" %}{{ m.deadline|date_cn }}到期'
        "{% else %}已完成，佐证材料待补充{% endif %}"
    )


def focus_next() -> str:
    """附件2's 下步措施和时限 cell: what happens next, by when."""
    return (
        '{% if m.issue == "overdue" %}'
        "{% if m.next_steps %}{{ m.next_steps }}{% else %}查明原因、加快推进{% endif %}，"
        "{{ m.plan_date|date_cn }}前完成"
        '{% elif m.issue == "not_started" %}'
        "{% if m.next_steps %}{{ m.next_steps }}{% else %}尽快启动{% endif %}"
        "{% if m.deadline %}，{{ m.deadline|date_cn }}前完成{% endif %}"
        '{% elif m.issue == "unreported" %}{{ m.report_by|date_cn }}前报送进展'
        '{% elif m.issue == "due_soon" %}'
        "{% if m.next_steps %}{{ m.next_steps }}{% else %}按计划推进{% endif %}，"
        "{{ m.deadline|date_cn }}前完成"
        "{% else %}{{ m.report_by|date_cn }}前补充佐证材料，核验后销号{% endif %}"
    )


FOCUS_COLUMNS = (
    Column("序号", "{{ loop.index }}", 10),
    Column("编号", "{{ m.id }}", 17),
    Column("具体举措", "{{ m.text }}", 45, align="left"),
    Column("牵头部门", "{{ m.lead }}", 20),
    Column("目前情况", focus_state(), 26),
    Column("下步措施和时限", focus_next(), 38, align="left"),
)


def focus_attachment(doc: OfficialDocument) -> None:
    """附件2, when anything needs action: every such item once, with its next step and date."""
    with doc.when("attention"):
        doc.attachment_page("附件2", FOCUS_ATTACHMENT)
        doc.blank()
        doc.table(FOCUS_COLUMNS, "m in attention")
        doc.paragraph(ANCHOR)


def plan_overdue(who: str) -> str:
    return (
        "对超过完成时限的{{ plans.overdue|length }}项举措，"
        f"{who}逐项查明原因、倒排工期，"
        "{% if overdue_dates|length > 1 %}分别于{{ overdue_dates[0]|date_cn }}至"
        "{{ overdue_dates[1]|date_cn }}前完成{% else %}于{{ overdue_dates[0]|date_cn }}前完成"
        "{% endif %}，各项完成时限见附件2。"
    )


def plan_pending(who: str) -> str:
    return (
        "{% if c.not_started != plans.pending|length %}未启动且未到完成时限的"
        "{% else %}尚未启动的{% endif %}{{ plans.pending|length }}项举措，"
        f"{who}尽快启动，确保在完成时限内完成。"
    )


PLAN_DOING = (
    "{% if c.doing != plans.doing|length %}除逾期举措外，{% endif %}"
    "推进中的{{ plans.doing|length }}项举措按计划推进、按期完成"
    "{% if plans.late %}；其中{{ plans.late|length }}项按反馈的计划将超过完成时限，"
    "需调整进度{% endif %}。"
)
PLAN_STANDING = (
    "{% if c.standing != plans.standing|length %}除逾期举措外，{% endif %}"
    "长期坚持的{{ plans.standing|length }}项举措按常态化要求持续推进，定期检查成效。"
)


def plan_evidence(who: str) -> str:
    return (
        "对佐证材料不全的{{ no_evidence|length }}项已完成举措，"
        f"{who}于{{{{ report_by|date_cn }}}}前补充，核验后销号。"
    )


def plan_groups(doc: OfficialDocument, who: str) -> None:
    """Part four without a line per measure: each group's count, what is done, by whom (`who`,
    e.g. 由牵头部门) and by when."""
    with doc.when("plans.overdue"):
        doc.body_text(sub("加快推进逾期举措。"), plan_overdue(who))
    with doc.when("plans.pending"):
        doc.body_text(sub("尽快启动未启动的举措。"), plan_pending(who))
    with doc.when("plans.doing"):
        doc.body_text(sub("按期完成推进中的举措。"), PLAN_DOING)
    with doc.when("plans.standing"):
        doc.body_text(sub("常态化推进长期坚持的举措。"), PLAN_STANDING)
    with doc.when("no_evidence"):
        doc.body_text(sub("补齐佐证材料。"), plan_evidence(who))


def problem_paragraph(head: str, tail: str, unreported: str = "未反馈") -> str:
    """An inspection problem in one paragraph: quoted as written, its measures' counts, then its
    unfinished measures named by state (at most ten; the rest of a state counted); `head` and
    `tail` frame each serious item's name (the days overdue go between them)."""
    return (
        "{% if p.text %}关于“{{ p.quoted }}”问题。制定整改措施{{ p.c.total }}项，"
        "{% else %}其他整改措施共{{ p.c.total }}项，{% endif %}"
        "{% if p.c.all_done %}{% if p.c.total > 1 %}已全部完成{% else %}已完成{% endif %}"
        f"{{% else %}}其中{breakdown('p.c', unreported)}{{% endif %}}。"
        "{% for g in p.open %}{{ g.label }}的"
        "{% if g.measures %}有{% for m in g.measures %}"
        f"{{% if g.serious %}}{head}"
        "{% if g.overdue %}，逾期{{ m.overdue_days }}天{% endif %}"
        f"{tail}{{% else %}}{{{{ m.id|nobreak }}}}{{% endif %}}"
        "{% if not loop.last %}、{% endif %}{% endfor %}"
        "{% if g.more %}等{{ g.n }}项{% endif %}"
        "{% else %}{{ g.n }}项{% endif %}"
        "{% if loop.last %}。{% else %}；{% endif %}{% endfor %}"
    )


def problem_paragraphs(doc: OfficialDocument, paragraph: str) -> None:
    """A stream's inspection problems, one `paragraph` each, numbered unless the only group
    is the measures under no problem."""
    with doc.each("p in s.problems"):
        with doc.when("p.text or loop.length > 1"):
            doc.body_text("{{ loop.index }}.", paragraph)
        with doc.when("not (p.text or loop.length > 1)"):
            doc.body_text(paragraph)
