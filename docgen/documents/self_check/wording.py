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
    """已完成2项，推进中3项，未反馈1项: the non-zero statuses of a figures() dict, in order.
    With `unreported` "" the measures nobody reported on are left out (a sentence of their own
    says so: 未反馈 is no status of the party group's own measures)."""
    if not unreported:
        return (
            f'{{% for label, n in {c}.breakdown if label != "未反馈" %}}'
            "{{ label }}{{ n }}项{% if not loop.last %}，{% endif %}{% endfor %}"
        )
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


def measure_status(reported: str, unreported: str) -> str:
    """What an item's paragraph says of its state, chosen by its step (context.step): a
    completion is the department's report (`reported`, e.g. 据报 / 经自查), never a verified
    整改到位; lateness with its days and the reason given, or that none was; `unreported` for
    an item nothing was reported on. Joined to the progress text before it, so that the state
    is part of a sentence that carries facts."""
    return (
        '{% if m.step == "done" %}'
        f"{reported}{{% if m.completed_on %}}已于{{{{ m.completed_on|date_cn }}}}完成"
        "{% else %}已完成{% endif %}"
        "{% if m.evidence %}，佐证材料为{{ m.evidence }}{% else %}，尚未提供佐证材料{% endif %}"
        '{% elif m.step == "keep" %}属长期坚持事项'
        "{% if m.progress %}，按常态化要求持续推进{% else %}，尚未报告阶段性进展{% endif %}"
        '{% elif m.step == "finish" %}正在推进，完成时限为{{ m.deadline|date_cn }}'
        "{% if m.days_left is not none and m.days_left <= warning_days %}"
        "，还有{{ m.days_left }}天到期{% endif %}"
        '{% elif m.step == "catch_up" %}已超过完成时限{{ m.overdue_days }}天仍未完成'
        "{% if m.problems %}，主要困难是{{ m.problems }}{% else %}，未说明滞后原因{% endif %}"
        '{% elif m.step == "start" %}尚未启动，完成时限为{{ m.deadline|date_cn }}'
        "{% if m.problems %}，原因是{{ m.problems }}{% endif %}"
        '{% elif m.step == "start_late" %}完成时限已过{{ m.overdue_days }}天，至今尚未启动'
        "{% if m.problems %}，原因是{{ m.problems }}{% else %}，未说明原因{% endif %}"
        '{% elif m.step == "standing_late" %}按长期坚持填报，但完成时限'
        "（{{ m.deadline|date_cn }}）已过{{ m.overdue_days }}天，需明确完成标准"
        f"{{% else %}}{unreported}"
        "{% if m.overdue_days %}，完成时限已过{{ m.overdue_days }}天"
        "{% elif m.deadline %}，完成时限为{{ m.deadline|date_cn }}{% endif %}{% endif %}"
    )


def measure_paragraph(head: str, reported: str, unreported: str, silent: str = "") -> str:
    """An item in full: `head` (its number, wording and id), what was achieved in the
    department's words, then its state (measure_status) in the same sentence; `silent`, when
    given, says which departments of a shared measure sent nothing."""
    return (
        head
        + "{% if m.progress %}{{ m.progress }}；{% endif %}"
        + measure_status(reported, unreported)
        + silent
        + "。"
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


def _overdue_next(text: str = "m.next_steps") -> str:
    """What an overdue item does next and by when, by its step: one not started states why and
    starts, with a plan by the report-by date; one nobody reported on reports first; standing
    work reported against a deadline sets what counts as done; one under way catches up. The
    date is the department's own where it named one, else the build's catch-up date."""
    return (
        '{% if m.step == "start_late" %}'
        f"{{% if {text} %}}{{{{ {text} }}}}，{{% else %}}说明未启动原因并立即启动，{{% endif %}}"
        "于{{ report_by|date_cn }}前报送推进计划，最迟于{{ m.plan_date|date_cn }}前完成"
        '{% elif m.step == "report" %}于{{ report_by|date_cn }}前报送进展'
        "，最迟于{{ m.plan_date|date_cn }}前完成"
        '{% elif m.step == "standing_late" %}明确阶段性完成标准，于{{ m.plan_date|date_cn }}前完成'
        f"{{% else %}}{{% if {text} %}}{{{{ {text} }}}}{{% else %}}查明滞后原因、加快推进{{% endif %}}"
        "，最迟于{{ m.plan_date|date_cn }}前完成{% endif %}"
    )


def plan_bodies() -> dict[str, str]:
    """What part four says of an item of each group, after its name: what it does, by when."""
    return {
        "overdue": _overdue_next(),
        "pending": "{% if m.next_steps %}{{ m.next_steps }}{% else %}尽快启动{% endif %}"
        "{% if m.deadline %}，确保于{{ m.deadline|date_cn }}前完成{% endif %}",
        "doing": "{% if m.next_steps %}{{ m.next_steps }}{% else %}按计划推进{% endif %}"
        "{% if m.expected %}，预计{{ m.expected|date_cn }}完成，将超过完成时限"
        "（{{ m.deadline|date_cn }}），需调整进度"
        "{% else %}，于{{ m.deadline|date_cn }}前完成{% endif %}",
        "standing": "{% if m.next_steps %}{{ m.next_steps }}{% else %}按常态化要求持续推进{% endif %}",
    }


def plan_items(head: str, tail: str) -> dict[str, str]:
    """Part four's item for each group: who does what, and by when."""
    return {key: head + body + tail for key, body in plan_bodies().items()}


# Who a group of part four's items belongs to: each department once, with its items' ids.
BY_LEAD = (
    "{% for d, ids in g.by_lead %}{{ d }}（{{ ids|join_ids }}）"
    "{% if not loop.last %}、{% endif %}{% endfor %}"
)
BY_ID = "{{ g.measures|map(attribute='id')|join_ids }}"


# The deadlines of a group of part four's items: one date, or the span of theirs.
GROUP_ENDS = (
    "{% if g.ends|length == 1 %}，确保于{{ g.ends[0]|date_cn }}前完成"
    "{% elif g.ends %}，各于完成时限前完成（{{ g.ends|span_cn }}）"
    "{% endif %}"
)
GROUP_PENDING = "{% if g.next_steps %}{{ g.next_steps }}{% else %}尽快启动{% endif %}" + GROUP_ENDS


def _grouped(
    doc: OfficialDocument, key: str, single: str, names: str, together: str, tail: str
) -> None:
    """Part four's items of group `key` (plans.<key>_alike): an item alone in its line as
    `single`; items that would read alike in one line, `names` and then what they all do
    (`together`, which may speak of the group g and of its first item m)."""
    with doc.each(f"g in plans.{key}_alike"):
        with doc.when("g.measures|length == 1"):
            line = single.replace("{{ loop.index }}", "{{ g.n }}")
            doc.body_text("{% for m in g.measures %}" + line + "{% endfor %}")
        with doc.when("g.measures|length > 1"):
            doc.body_text(
                "{{ g.n }}."
                + names
                + "：{% for m in g.measures[:1] %}"
                + together
                + tail
                + "{% endfor %}"
            )


def plans(
    doc: OfficialDocument,
    head: str,
    tail: str,
    pending_lead: str,
    names: str = BY_LEAD,
    bodies: dict[str, str] | None = None,
    pending_together: str = GROUP_PENDING,
) -> None:
    """Part four's groups: overdue, not started or unreported, under way, standing. An item on
    its own is `head` + its body (`bodies`, plan_bodies) + `tail`; items planned together are
    `names` and what they do: an overdue group shares its next step and date, a pending one
    (`pending_together`) and an under-way one share their next steps and say their deadlines'
    span."""
    bodies = bodies or plan_bodies()
    with doc.when("plans.overdue"):
        lead(doc, sub("加快推进逾期举措。"))
        single = head + bodies["overdue"] + tail
        _grouped(doc, "overdue", single, names, bodies["overdue"], tail)
    with doc.when("plans.pending"):
        lead(doc, sub(pending_lead))
        single = head + bodies["pending"] + tail
        _grouped(doc, "pending", single, names, pending_together, tail)
    with doc.when("plans.doing"):
        lead(doc, sub("按期完成推进中的举措。"))
        single = head + bodies["doing"] + tail
        _grouped(doc, "doing", single, names, PLAN_DOING_ALIKE, "")
    # Standing work has no date to meet: one paragraph, not the same plan line by line.
    with doc.when("plans.standing"):
        doc.body_text(
            sub("常态化推进长期坚持的举措。"),
            PLAN_STANDING.replace(
                "项举措按常态化要求",
                "项举措（{% for m in plans.standing %}{{ m.id|nobreak }}"
                "{% if not loop.last %}、{% endif %}{% endfor %}）按常态化要求",
            ),
        )


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
    """附件2's 下步措施和时限 cell: what happens next, by when (by the item's step)."""
    return (
        '{% if m.issue == "overdue" %}' + _overdue_next() + '{% elif m.issue == "not_started" %}'
        "{% if m.next_steps %}{{ m.next_steps }}{% else %}尽快启动{% endif %}"
        "{% if m.deadline %}，{{ m.deadline|date_cn }}前完成{% endif %}"
        '{% elif m.issue == "unreported" %}{{ report_by|date_cn }}前报送进展'
        '{% elif m.issue == "due_soon" %}'
        "{% if m.next_steps %}{{ m.next_steps }}{% else %}按计划推进{% endif %}，"
        "{{ m.deadline|date_cn }}前完成"
        "{% else %}{{ report_by|date_cn }}前补充佐证材料，核验后销号{% endif %}"
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


def plan_overdue(who: str, unreported: str) -> str:
    """Part four on the overdue items, by what comes next (context.overdue_steps): each group's
    count, its action and its dates. `unreported` says who makes the items nobody reported on
    report."""
    dates = (
        "{% if g.dates|length > 1 %}分别于{{ g.dates|span_cn }}前"
        "{% else %}于{{ g.dates[0]|date_cn }}前{% endif %}"
    )
    return (
        "对超过完成时限的{{ plans.overdue|length }}项举措，"
        "{% for g in overdue_steps %}"
        '{% if g.step == "catch_up" %}'
        f"仍在推进的{{{{ g.measures|length }}}}项{who}查明滞后原因、倒排工期，{dates}完成"
        '{% elif g.step == "start_late" %}'
        f"至今未启动的{{{{ g.measures|length }}}}项{who}于{{{{ report_by|date_cn }}}}前说明原因、"
        f"报送推进计划，{dates}完成"
        '{% elif g.step == "standing_late" %}'
        f"按长期坚持填报的{{{{ g.measures|length }}}}项{who}明确阶段性完成标准，{dates}完成"
        f"{{% else %}}未报送进展的{{{{ g.measures|length }}}}项{unreported}{dates}报送进展"
        "{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。各项时限见附件2。"
    )


def plan_pending(who: str) -> str:
    return (
        "{% if plans.pending|selectattr('status', 'eq', '未反馈')|list %}"
        "尚未启动或未填报进展的{{ plans.pending|length }}项举措，"
        f"{who}尽快启动，于{{{{ report_by|date_cn }}}}前填报进展，确保在完成时限内完成。"
        "{% else %}{% if c.not_started != plans.pending|length %}未启动且未到完成时限的"
        "{% else %}尚未启动的{% endif %}{{ plans.pending|length }}项举措，"
        f"{who}尽快启动，确保在完成时限内完成。{{% endif %}}"
    )


# Under way items with the same next steps (or none), in one line: who, which, what, by when.
PLAN_DOING_ALIKE = (
    "{% if g.next_steps %}{{ g.next_steps }}{% else %}按计划推进{% endif %}，"
    "{% if g.ends|length == 1 %}于{{ g.ends[0]|date_cn }}前完成"
    "{% else %}各于完成时限前完成（{{ g.ends|span_cn }}）{% endif %}。"
)
PLAN_DOING = (
    "{% if c.doing != plans.doing|length %}有完成时限且尚未到期的{{ plans.doing|length }}项"
    "推进中举措{% else %}推进中的{{ plans.doing|length }}项举措{% endif %}按计划推进、按期完成"
    "{% if plans.late %}；其中{{ plans.late|length }}项按反馈的计划将超过完成时限，"
    "需调整进度{% endif %}。"
)
PLAN_STANDING = (
    "{% if plans.standing|rejectattr('status', 'eq', '长期坚持')|list %}长期坚持和无固定完成时限的"
    "{% elif c.standing != plans.standing|length %}除逾期举措外，长期坚持的{% else %}长期坚持的"
    "{% endif %}{{ plans.standing|length }}项举措按常态化要求持续推进，定期检查成效。"
)


def plan_evidence(who: str) -> str:
    return (
        "对佐证材料不全的{{ no_evidence|length }}项已完成举措，"
        f"{who}于{{{{ report_by|date_cn }}}}前补充，核验后销号。"
    )


def plan_groups(doc: OfficialDocument, who: str, unreported: str) -> None:
    """Part four without a line per measure: each group's count, what is done, by whom (`who`,
    e.g. 由牵头部门) and by when; `unreported` who makes the silent report (plan_overdue)."""
    with doc.when("plans.overdue"):
        doc.body_text(sub("加快推进逾期举措。"), plan_overdue(who, unreported))
    with doc.when("plans.pending"):
        doc.body_text(sub("尽快启动未启动的举措。"), plan_pending(who))
    with doc.when("plans.doing"):
        doc.body_text(sub("按期完成推进中的举措。"), PLAN_DOING)
    with doc.when("plans.standing"):
        doc.body_text(sub("常态化推进长期坚持的举措。"), PLAN_STANDING)
    with doc.when("no_evidence"):
        doc.body_text(sub("补齐佐证材料。"), plan_evidence(who))


# What each unfinished group of a problem's measures is doing, after the measures' names.
GROUP_PREDICATES = {
    "overdue": "已超过完成时限",
    "not_started": "尚未启动",
    "doing": "正在推进",
    "standing": "属长期坚持事项",
}


def _problem_counts(own: bool, gist: bool = True) -> str:
    """The first clause of a problem's paragraph, chosen by how much is done: all, most, a
    few, none; all standing work is said as such. Completions are reported ones (已报告完成),
    or in a department's `own` report its self-check (经自查); a problem's only measure says
    what it achieved."""
    done = "经自查已完成" if own else "已报告完成"
    return (
        "{% if p.c.all_done %}"
        f"{{% if p.c.total > 1 %}}{{{{ p.c.total }}}}项整改措施{done.replace('已', '均已')}"
        f"{{% else %}}整改措施{done}{{% endif %}}"
        + ("{% if p.gist %}：{{ p.gist }}{% elif" if gist else "{% if")
        + " p.evidenced == p.c.done %}{% if p.c.total > 1 %}，均{% else %}，{% endif %}"
        "附有佐证材料{% elif p.evidenced %}，其中{{ p.evidenced }}项附有佐证材料"
        "{% else %}，尚未提供佐证材料{% endif %}"
        "{% elif p.c.standing == p.c.total %}{{ p.c.total }}项整改措施均为长期坚持事项，"
        "按常态化要求推进"
        "{% elif not p.c.done %}{% if p.c.total > 1 %}{{ p.c.total }}项整改措施均未完成"
        "{% else %}整改措施尚未完成{% endif %}"
        f"{{% elif p.c.done * 2 >= p.c.total %}}{{{{ p.c.total }}}}项整改措施中{done}"
        "{{ p.c.done }}项"
        f"{{% else %}}{{{{ p.c.total }}}}项整改措施中仅{{{{ p.c.done }}}}项{done}{{% endif %}}"
    )


def problem_summary(head: str, tail: str, unreported: str, own: bool = False) -> str:
    """A problem's paragraph in the concise form: the counts (_problem_counts), then its
    unfinished measures named by state, at most ten (the rest of a state counted): the serious
    ones (overdue, not started, not reported) with `head`…`tail` around each name (the days
    overdue between them), the others by number. `unreported` is what a measure nobody
    reported on is doing (未报送进展)."""
    names = (
        "{% for m in g.measures %}"
        f"{{% if g.serious %}}{head}"
        "{% if g.overdue %}，逾期{{ m.overdue_days }}天{% endif %}"
        f"{tail}{{% else %}}{{{{ m.id|nobreak }}}}{{% endif %}}"
        "{% if not loop.last %}、{% endif %}{% endfor %}"
        "{% if g.more %}等{{ g.n }}项{% endif %}"
    )
    predicate = (
        f'{{% if g.key == "unreported" %}}{unreported}'
        + "".join(f'{{% elif g.key == "{key}" %}}{text}' for key, text in GROUP_PREDICATES.items())
        + "{% endif %}"
    )
    return (
        _problem_counts(own) + "{% if not p.c.all_done and p.c.standing != p.c.total %}"
        "{% if p.open|length == 1 and p.c.done %}，其余{% else %}；{% endif %}"
        "{% for g in p.open %}"
        + names
        + predicate
        + "{% if not loop.last %}；{% endif %}{% endfor %}{% endif %}。"
    )


def problem_counts_only(unreported: str, own: bool = False) -> str:
    """A problem's paragraph in the full form, whose measures follow one by one: the counts
    only (_problem_counts and, when something is open, the rest by status)."""
    return (
        _problem_counts(own) + "{% if not p.c.all_done and p.c.standing != p.c.total %}"
        "{% if p.c.done %}，其余{% else %}，其中{% endif %}"
        "{% for label, n in p.c.breakdown if label != '已完成' %}"
        f"{{% if label == '未反馈' %}}{unreported}{{% else %}}{{{{ label }}}}{{% endif %}}"
        "{{ n }}项{% if not loop.last %}，{% endif %}{% endfor %}{% endif %}。"
    )


def problem_heading() -> str:
    """关于“…”问题的整改 — or, when the inspectors' wording already ends in 问题,
    关于“…问题”的整改: the word never doubled."""
    return "{{ loop.index }}.关于“{{ p.quoted }}”{{ p.noun }}的整改"


def inspection_part(doc: OfficialDocument, paragraph: str, measure: str | None = None) -> None:
    """The 巡察整改 part as the inspectors' feedback is nested: （一）方面 → 1.问题 (its heading,
    then `paragraph`) → （1）each measure (`measure`, the full form only). A group without a
    heading (no problem names a 方面) leaves its level out; measures under no problem follow
    their group's heading directly."""
    with doc.each("a in inspection.aspects"):
        with doc.when("a.heading"):
            doc.heading(2, "{{ loop.index|heading2 }}{{ a.heading }}")
        with doc.each("p in a.problems"):
            with doc.when("p.text"):
                doc.heading(3, problem_heading())
            doc.body_text(paragraph)
            if measure is not None:
                with doc.each("m in p.measures"):
                    doc.body_text(measure)
