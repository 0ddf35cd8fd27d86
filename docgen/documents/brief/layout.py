"""督导简报: the 简报 layout and every sentence of the brief, as Jinja text a user can edit in Word.

docgen.documents.brief supplies numbers, names and lists; the sentences are written here. A
clause whose number is zero is left out or said as a plain negative; "全部" appears only when
the count equals the total; every count is dated by the one as-of date ("截至…"); completions
are what departments reported (the basis is said once, in the opening), never called verified.

The ranking rule is stated where the ranking is used, and the departments named as moving
fastest or lagging are the ones that rule picks (context.named_group). A department that
returned nothing is "未报送、进展不明", listed on its own, never ranked. Long lists go to the
attachments (附件1 the overdue and not started measures, when there are any, then the
ranking), so that the body stays within a few pages on a campaign of any size.

Sections are numbered as they appear (a namespace counter), so that a section with nothing to say
is dropped without leaving a gap in 一、二、三.
"""

from docx.oxml.ns import qn

from docgen.official.builder import (
    ANCHOR,
    FORM_LINE,
    HEADING1,
    KAI,
    Column,
    OfficialDocument,
    Run,
    set_child,
)

BRIEF_NAME = "警示教育以案促改巡察整改督导简报"
TITLE = "警示教育以案促改和巡察整改工作进展情况"

AS_OF = "截至{{ as_of|date_cn }}"
# Ids in prose: five at most, then 等.
IDS = "{{ LIST[:5]|join_ids }}{% if LIST|length > 5 %}等{% endif %}"
RANKING_NOTE = "注：完成率相同的并列同一名次；“未填报”的任务计入承担任务，不计为完成。"
# The attachments' numbers: the list of open measures, when there is one, is mentioned first.
RANKING_NO = "{{ 2 if open_rows else 1 }}"
# What the departments of an open measure reported, said in a sentence: 组织人事处、金融发展处报告
# 仍在推进，资本市场处未报送进展.
REPORTED = (
    "{% for g in ROW.groups %}{{ g.names|join_cn }}"
    "{{ {'推进中': '报告仍在推进', '未启动': '报告尚未启动', '长期坚持': '报告按长期坚持推进',"
    " '未反馈': '未报送进展'}[g.status] }}{{ '，' if not loop.last else '' }}{% endfor %}"
)
# "A（第1名，88.9%）、B（第2名，80.0%）"
NAMED = (
    "{% for d in GROUP.rows %}{{ d.name }}（第{{ d.rank }}名，{{ d.rate }}）"
    "{{ '、' if not loop.last else '' }}{% endfor %}"
)
# The departments of an overdue measure and what each reported: 组织人事处（推进中）、金融发展处（未报送进展）
PARTS = (
    "{% for p in ROW.parts %}{{ p.name }}（{{ p.status }}）{{ '、' if not loop.last else '' }}"
    "{% endfor %}"
)

RANKING_COLUMNS = (
    Column("名次", "{{ row.rank }}", 12),
    Column("部门", "{{ row.name }}", 50, align="left"),
    Column("承担任务", "{{ row.total }}", 20),
    Column("报告完成", "{{ row.done }}", 20),
    Column("逾期", "{{ row.overdue or '—' }}", 16),
    Column("未填报", "{{ row.unreported or '—' }}", 18),
    Column("完成率", "{{ row.rate }}", 20),
)
SILENT_COLUMNS = (
    Column("部门", "{{ row.name }}", 62, align="left"),
    Column("承担任务", "{{ row.total }}", 26),
    Column("其中已过完成时限", "{{ row.overdue or '—' }}", 34),
    Column("情况", "未报送、进展不明", 34),
)
OPEN_COLUMNS = (
    Column("编号", "{{ row.id }}", 18),
    Column("具体举措", "{{ row.text }}", 50, align="left"),
    Column("完成时限", "{{ row.deadline }}", 30),
    Column(
        "状态",
        "{% if row.days %}逾期{{ row.days }}天{% endif %}"
        "{% if row.days and row.not_started %}{{ '\\n' }}{% endif %}"
        "{% if row.not_started %}未启动{% endif %}",
        18,
    ),
    Column("未完成部门及报送情况", PARTS.replace("ROW", "row"), 40, align="left"),
)


def heading(text: str) -> str:
    """A first-level heading numbered in order of appearance."""
    return "{% set ns.part = ns.part + 1 %}{% set ns.sub = 0 %}{% set ns.item = 0 %}" + (
        "{{ ns.part|heading1 }}" + text
    )


def sub(title: str) -> Run:
    """An inline second-level heading in 楷体, numbered in order of appearance."""
    return Run("{% set ns.sub = ns.sub + 1 %}{{ ns.sub|heading2 }}" + title, KAI)


def item(title: str) -> str:
    """一是…二是…, numbered in order of appearance (no number when it is the only one)."""
    return (
        "{% set ns.item = ns.item + 1 %}"
        "{% if ns.items > 1 %}{{ ns.item|number_cn }}是{% endif %}" + title
    )


def build(profile="gb2312") -> OfficialDocument:
    doc = OfficialDocument(profile, title="督导简报")
    doc.tag(f'set brief_name = "{BRIEF_NAME}"')
    doc.tag("set ns = namespace(part=0, sub=0, item=0, items=0)")
    doc.brief_header(editor="{{ editor }}", date="{{ date|date_cn }}")
    doc.title(TITLE)
    doc.blank()
    _lead(doc)
    _overall(doc)
    _departments(doc)
    _problems(doc)
    _requirements(doc)
    doc.attachment_note("attachments")
    _attachments(doc)
    doc.brief_footer()
    return doc


def _lead(doc: OfficialDocument) -> None:
    doc.body_text(
        "{{ office }}根据各部门报送的自查反馈表，对照任务清单，"
        "逐项汇总了{{ campaign }}推进情况。"
        f"{AS_OF}，承担任务的{{{{ n_departments }}}}个部门中，"
        "{% if not silent %}各部门均已报送反馈表"
        "{% elif ranking %}{{ ranking|length }}个部门已报送反馈表，"
        "{{ silent|length }}个部门未报送"
        "{% else %}尚无部门报送反馈表{% endif %}。"
        "{% if ranking %}{{ basis }}{% endif %}现将有关情况通报如下。"
    )


def _overall(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("总体进展"))
    doc.body_text(
        f"{AS_OF}，{{{{ campaign }}}}共分解举措{{{{ c.total }}}}项，涉及{{{{ n_departments }}}}个部门。"
        "{% if c.all_done %}各项举措均已报告完成。"
        "{% else %}其中{% if c.done %}报告完成{{ c.done }}项，完成率{{ c.rate }}"
        "{% else %}尚无报告完成的举措{% endif %}"
        "{% for label, n in c.breakdown if label != '已完成' %}"
        "{{ '；' if loop.first else '，' }}"
        "{% if label == '未反馈' %}承担部门均未报送进展的{{ n }}项"
        "{% else %}{{ label }}{{ n }}项{% endif %}{% endfor %}。"
        "{% if c.standing %}长期坚持类举措持续推进，不计入完成率。{% endif %}"
        "{% endif %}"
        "{% if c.overdue %}已超过完成时限仍未完成的举措{{ c.overdue }}项"
        "{% else %}本期无逾期举措{% endif %}"
        "{% if c.due_soon %}，另有{{ c.due_soon }}项将在{{ warning_days }}天内到期{% endif %}。"
        "{% if open_rows %}{{ attachments[0] }}见附件1。{% endif %}"
    )
    with doc.when("streams|length > 1"):
        doc.body_text(
            "分专项看，{% for s in streams %}{{ s.name }}方面，{{ s.c.total }}项举措"
            "{% if s.c.all_done %}均已报告完成{% elif s.c.done %}报告完成{{ s.c.done }}项，"
            "完成率{{ s.c.rate }}{% else %}尚无报告完成{% endif %}"
            "{% if s.c.overdue %}，逾期{{ s.c.overdue }}项{% endif %}"
            "{{ '。' if loop.last else '；' }}{% endfor %}"
        )
    with doc.when("'streams' in charts"):
        doc.figure("charts.streams")
    with doc.when("change"):
        doc.body_text(
            "较上期（第{{ change.number }}期，{{ change.as_of|date_cn }}），"
            "{% if change.added %}举措清单新增{{ change.added|length }}项；{% endif %}"
            "{% if change.newly_done %}新增报告完成的举措{{ change.newly_done|length }}项"
            "（{{ change.newly_done[:10]|join_ids }}{% if change.newly_done|length > 10 %}等"
            "{% endif %}）"
            "{% if change.newly_done_overdue %}，其中{{ change.newly_done_overdue|length }}项"
            "为上期逾期举措{% endif %}"
            "{% else %}没有新增报告完成的举措{% endif %}；完成率"
            "{% if change.rate_direction > 0 %}由{{ change.rate_then }}提高到{{ change.rate_now }}，"
            "提高{{ change.rate_delta }}个百分点"
            "{% elif change.rate_direction < 0 %}由{{ change.rate_then }}下降到"
            "{{ change.rate_now }}，下降{{ change.rate_delta }}个百分点"
            "{% else %}为{{ change.rate_now }}，与上期持平{% endif %}。"
            "{% if change.newly_overdue %}本期新增逾期举措{{ change.newly_overdue|length }}项"
            "（{{ change.newly_overdue[:10]|join_ids }}{% if change.newly_overdue|length > 10 %}等"
            "{% endif %}）"
            "{% else %}本期没有新增逾期举措{% endif %}"
            "{% if change.reopened %}；{{ change.reopened|join_ids }}上期为已完成，本期有部门"
            "报告尚未完成，已重新计为未完成{% endif %}。"
            "{% if change.newly_closed or change.newly_refuted %}上期以来，经督导抽查"
            "{% if change.newly_closed %}核实销号{{ change.newly_closed|length }}项{% endif %}"
            "{% if change.newly_closed and change.newly_refuted %}，{% endif %}"
            "{% if change.newly_refuted %}发现不属实{{ change.newly_refuted|length }}项"
            "（{{ change.newly_refuted[:10]|join_ids }}）{% endif %}。{% endif %}"
        )


RANKING_RULE = (
    "排名规则：对已报送反馈表的{{ ranking|length }}个部门，按承担任务的完成率"
    "（报告完成的任务占承担任务的比例）由高到低排名，完成率（保留一位小数）相同的并列同一名次，"
    "其后名次依次递增、不空号；未填报的任务不计为完成"
    "{% if silent %}；未报送反馈表的部门进展不明，不参加排名{% endif %}。"
    "排名情况见附件" + RANKING_NO + "。"
)
FAST = (
    "{% if fast.tied %}完成率并列第1名（{{ fast.rows[0].rate }}）的有{{ fast.rows|length }}个部门"
    "（名单见附件" + RANKING_NO + "）"
    "{% else %}进展较快的是排名{% if fast.ranks > 1 %}前{{ fast.ranks }}位{% else %}第1位{% endif %}"
    "且完成率高于总体完成率的{{ fast.rows|length }}个部门：" + NAMED.replace("GROUP", "fast") + ""
    "{% if fast.rows|rejectattr('overdue')|list|length == 0 %}"
    "，{{ '均' if fast.rows|length > 1 else '' }}仍有逾期任务"
    "{% elif fast.rows|selectattr('overdue')|list %}，其中"
    "{{ fast.rows|selectattr('overdue')|map(attribute='name')|join_cn }}仍有逾期任务{% endif %}"
    "{% endif %}。"
)
SLOW = (
    "{% if slow.tied %}完成率并列末位（{{ slow.rows[0].rate }}）的有{{ slow.rows|length }}个部门"
    "（名单见附件" + RANKING_NO + "）"
    "{% else %}进度滞后的是排名{% if slow.ranks > 1 %}最后{{ slow.ranks }}位"
    "{% else %}末位{% endif %}且完成率低于总体完成率的{{ slow.rows|length }}个部门："
    + NAMED.replace("GROUP", "slow")
    + "{% endif %}。"
)
SILENT = (
    "{% if silent|length > 6 %}{{ silent[:3]|map(attribute='name')|join_cn }}等"
    "{{ silent|length }}个部门{% else %}{{ silent|map(attribute='name')|join_cn }}{% endif %}"
    "未报送反馈表、进展不明（承担任务{{ silent_total }}项），不参加排名"
    "{% if silent|length > 6 %}，名单见附件" + RANKING_NO + "{% endif %}。"
)


def _departments(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("各部门进展情况"))
    doc.body_text(
        f"{AS_OF}，{{{{ n_departments }}}}个部门共承担任务{{{{ assignments.total }}}}项"
        "（一项举措由多个部门承担的，分别计入各部门），"
        "{% if assignments.all_done %}均已报告完成"
        "{% elif assignments.done %}报告完成{{ assignments.done }}项，"
        "总体完成率{{ assignments.rate }}"
        "{% else %}尚无报告完成的任务{% endif %}。"
    )
    with doc.when("ranking"):
        doc.body_text(RANKING_RULE)
    with doc.when("fast.rows or slow.rows or (all_done and not fast.rows)"):
        doc.body_text(
            "{% if fast.rows %}" + FAST + "{% endif %}"
            "{% if slow.rows %}" + SLOW + "{% endif %}"
            "{% if all_done and not fast.rows %}"
            "{% if all_done|length > 6 %}{{ all_done|length }}个部门"
            "{% else %}{{ all_done|join_cn }}{% endif %}"
            "承担的任务均已报告完成。{% endif %}"
        )
    with doc.when("silent and ranking"):
        doc.body_text(SILENT)
    with doc.when("not ranking"):
        doc.body_text("各部门均未报送反馈表，进展不明，本期不作排名。")


def _problems(doc: OfficialDocument) -> None:
    with doc.when(
        "overdue or not_started or silent or partial or done_without_evidence or refuted"
    ):
        doc.paragraph(HEADING1, heading("存在的主要问题"))
        with doc.when("overdue"):
            doc.body_text(
                sub("部分举措逾期未完成。"),
                f"{AS_OF}，有{{{{ overdue|length }}}}项举措已超过完成时限仍未完成，"
                "涉及{{ overdue_departments|length }}个部门"
                "{% if overdue|length > 3 %}，逾期时间较长的有：{% else %}：{% endif %}"
                "{% for m in overdue[:3] %}{{ m.id|nobreak }}逾期{{ m.days }}天，"
                + REPORTED.replace("ROW", "m")
                + "{{ '；' if not loop.last else '' }}{% endfor %}。",
            )
        with doc.when("not_started"):
            doc.body_text(
                sub("部分举措尚未启动。"),
                f"{AS_OF}，仍有{{{{ not_started|length }}}}项举措处于未启动状态"
                "（{% if not_started|length > 5 %}清单见附件1{% else %}"
                + IDS.replace("LIST", "not_started")
                + "{% endif %}）"
                "{% if not_started_overdue == not_started|length %}，均已超过完成时限"
                "{% elif not_started_overdue %}，其中{{ not_started_overdue }}项已超过完成时限，"
                "计入上述逾期举措{% endif %}。",
            )
        with doc.when("silent or partial"):
            doc.body_text(
                sub("部分部门未报送进展。"),
                "{% if return_deadline %}按要求，各部门应于{{ return_deadline|date_cn }}前"
                "报送自查反馈表。{% endif %}"
                f"{AS_OF}，"
                "{% if silent %}{{ silent|length }}个部门未报送反馈表{% endif %}"
                "{% if silent and partial %}；{% endif %}"
                "{% if partial|length > 3 %}{{ partial|length }}个部门"
                "{% elif partial %}{% for d in partial %}{{ d.name }}（{{ d.count }}项）"
                "{{ '、' if not loop.last else '' }}{% endfor %}{% endif %}"
                "{% if partial %}已报送反馈表，但有{{ partial_total }}项任务未填报进展"
                "{% if partial|length > 3 %}（见附件" + RANKING_NO + "“未填报”栏）{% endif %}"
                "{% endif %}。",
            )
        with doc.when("done_without_evidence"):
            doc.body_text(
                sub("部分报告完成的任务未附佐证材料。"),
                "各部门报告完成的{{ assignments.done }}项任务中，"
                "{{ done_without_evidence }}项未填写佐证材料，有待核实。",
            )
        with doc.when("refuted"):
            doc.body_text(
                sub("部分报告完成的举措经督导抽查不属实。"),
                "经督导抽查，{{ refuted|length }}项报告完成的任务与实际不符："
                "{% for r in refuted %}{{ r.id|nobreak }}（{{ r.department }}"
                "{% if r.finding %}，{{ r.checker }}核查发现“{{ r.finding }}”{% endif %}）"
                "{{ '；' if not loop.last else '' }}{% endfor %}，已退回重新整改。",
            )


def _requirements(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("下步要求"))
    doc.tag(
        "set ns.items = [overdue, not_started, silent or partial, due_soon, refuted]"
        "|select|list|length"
    )
    with doc.when("overdue"):
        doc.body_text(
            item("加快推进逾期举措。"),
            "请{% if overdue_departments|length <= 6 %}{{ overdue_departments|join_cn }}"
            "{% else %}有逾期任务的{{ overdue_departments|length }}个部门{% endif %}"
            "逐项分析原因、明确措施，于{{ report_by|date_cn }}前向{{ office }}书面报告，"
            "并于{{ catch_up_by|date_cn }}前完成；已经完成的，及时报送佐证材料。",
        )
    with doc.when("not_started"):
        doc.body_text(
            item("尽快启动未启动举措。"),
            "对{{ not_started|length }}项尚未启动的举措，请牵头部门于{{ report_by|date_cn }}前"
            "明确启动时间和推进计划，报{{ office }}备案。",
        )
    with doc.when("silent or partial"):
        doc.body_text(
            item("及时报送进展。"),
            "请{% if silent %}未报送反馈表的{{ silent|length }}个部门{% endif %}"
            "{% if silent and partial %}和{% endif %}"
            "{% if partial %}有任务未填报的{{ partial|length }}个部门{% endif %}"
            "于{{ report_by|date_cn }}前"
            "{% if silent and partial %}报送（补报）{% elif silent %}报送{% else %}补报{% endif %}"
            "自查反馈表，逐项填写完成状态、进展情况和佐证材料，由部门主要负责同志审核把关。",
        )
    with doc.when("refuted"):
        doc.body_text(
            item("限期重新整改抽查不属实的任务。"),
            "请{{ refuted|map(attribute='department')|unique|join_cn }}对督导抽查发现的问题"
            "逐项整改，{% for r in refuted %}{{ r.id|nobreak }}于{{ r.redo_by|date_cn }}前"
            "{{ '、' if not loop.last else '' }}{% endfor %}重新完成，并报送佐证材料，"
            "经核实后销号。",
        )
    with doc.when("due_soon"):
        doc.body_text(
            item("确保临期举措按期完成。"),
            "{{ due_soon|length }}项举措将在{{ warning_days }}天内到期"
            "（" + IDS.replace("LIST", "due_soon") + "），"
            "请牵头部门倒排时间、压实责任，确保在完成时限前完成。",
        )
    doc.body_text(
        "{{ office }}将持续跟踪"
        "{% if overdue or silent or partial %}，向有逾期或未报送任务的部门发出催办通知"
        "{% endif %}{% if assignments.done %}，对报告完成的任务组织督导抽查，核实后销号"
        "{% endif %}，并在下期简报中通报。"
    )


def _attachments(doc: OfficialDocument) -> None:
    """附件1 the overdue and not started measures (when there are any), then the ranking.

    The ranking comes last for a reason besides the order of mention: LibreOffice breaks a
    table of several pages oddly (a page holding one row) when the 报尾, a floating table,
    follows it directly; the ranking ends with the chart. Its note follows the ranking table;
    what comes last (the departments that returned nothing, else the note) is kept with the
    报尾, so that the 报尾 never stands alone on the last page."""
    with doc.when("open_rows"):
        doc.attachment_page("附件1", "{{ attachments[0] }}")
        _centred(doc.paragraph(FORM_LINE, "（截至{{ as_of|date_cn }}）"))
        doc.table(OPEN_COLUMNS, "row in open_rows")
        doc.paragraph(ANCHOR)
    doc.attachment_page("附件" + RANKING_NO, "{{ attachments[-1] }}")
    _centred(doc.paragraph(FORM_LINE, "（截至{{ as_of|date_cn }}）"))
    with doc.when("'departments' in charts"):
        doc.figure("charts.departments")
    with doc.when("ranking"):
        doc.table(RANKING_COLUMNS, "row in ranking")
    for condition, last in (("ranking and silent", False), ("ranking and not silent", True)):
        with doc.when(condition):
            note = doc.paragraph(FORM_LINE, RANKING_NOTE)
            if last:
                set_child(note.find(qn("w:pPr")), "keepNext")
    with doc.when("silent"):
        _caption(doc, "未报送反馈表的部门（进展不明，不参加排名）")
        table = doc.table(SILENT_COLUMNS, "row in silent")
        for paragraph in table.iter(qn("w:p")):
            set_child(paragraph.find(qn("w:pPr")), "keepNext")


def _centred(p) -> None:
    set_child(p.find(qn("w:pPr")), "jc", {"val": "center"})


def _caption(doc: OfficialDocument, caption: str) -> None:
    """A table's title: centred and kept with the table."""
    p = doc.paragraph(FORM_LINE, caption)
    set_child(p.find(qn("w:pPr")), "keepNext")
    _centred(p)
