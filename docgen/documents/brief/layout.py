"""督导简报: the 简报 layout and every sentence of the brief, as Jinja text a user can edit in Word.

docgen.documents.brief supplies numbers, names and lists; the sentences are written here. A
clause whose number is zero is left out or said as a plain negative; "全部完成" appears only when
the count equals the total; every count is dated by the one as-of date ("截至…").

Sections are numbered as they appear (a namespace counter), so that a section with nothing to say
is dropped without leaving a gap in 一、二、三.
"""

from docx.oxml.ns import qn

from docgen.official.builder import (
    FORM_LINE,
    HEADING1,
    HEI,
    KAI,
    Column,
    OfficialDocument,
    Run,
    set_child,
)

BRIEF_NAME = "警示教育以案促改巡察整改督导简报"
TITLE = "警示教育以案促改和巡察整改工作进展情况"

AS_OF = "截至{{ as_of|date_cn }}"
# "A（88.9%）、B（80.0%）"
RATES = (
    "{% for d in LIST %}{{ d.name }}（{{ d.rate }}）{{ '、' if not loop.last else '' }}{% endfor %}"
)

RANKING_COLUMNS = (
    Column("名次", "{{ row.rank }}", 12),
    Column("部门", "{{ row.name }}", 50, align="left"),
    Column("承担任务", "{{ row.total }}", 22),
    Column("已完成", "{{ row.done }}", 20),
    Column("逾期", "{{ row.overdue or '—' }}", 16),
    Column("未反馈", "{{ row.unreported or '—' }}", 16),
    Column("完成率", "{{ row.rate }}", 20),
)
OVERDUE_COLUMNS = (
    Column("编号", "{{ row.id }}", 18),
    Column("具体举措", "{{ row.text }}", 46, align="left"),
    Column("未完成部门", "{{ row.open|join_cn }}", 24, align="left"),
    Column("完成时限", "{{ row.deadline }}", 38),
    Column("逾期天数", "{{ row.days }}天", 13),
    Column("状态", "{{ row.status }}", 17),
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
    doc.brief_footer()
    return doc


def _lead(doc: OfficialDocument) -> None:
    doc.body_text(
        "为及时掌握{{ campaign }}推进情况，{{ office }}根据各部门报送的自查反馈表，"
        "对照任务清单逐项汇总核对。"
        f"{AS_OF}，承担任务的{{{{ n_departments }}}}个部门中，"
        "{% if n_reported == n_departments %}各部门均已报送反馈表"
        "{% elif n_reported %}已有{{ n_reported }}个部门报送反馈表"
        "{% else %}尚无部门报送反馈表{% endif %}。现将有关情况通报如下。"
    )


def _overall(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("总体进展"))
    doc.body_text(
        f"{AS_OF}，{{{{ campaign }}}}共分解举措{{{{ c.total }}}}项，涉及{{{{ n_departments }}}}个部门。"
        "{% if c.all_done %}各项举措已全部完成。"
        "{% else %}其中{% if c.done %}已完成{{ c.done }}项，完成率{{ c.rate }}"
        "{% else %}尚无已完成的举措{% endif %}"
        "{% for label, n in c.breakdown if label != '已完成' %}"
        "{{ '；' if loop.first else '，' }}{{ label }}{{ n }}项{% endfor %}。"
        "{% if c.standing %}长期坚持类举措持续推进，不计入完成率。{% endif %}"
        "{% endif %}"
        "{% if c.overdue %}已超过完成时限仍未完成的举措{{ c.overdue }}项"
        "{% else %}本期无逾期举措{% endif %}"
        "{% if c.due_soon %}，另有{{ c.due_soon }}项将在{{ warning_days }}天内到期{% endif %}。"
    )
    with doc.when("streams|length > 1"):
        doc.body_text(
            "分专项看，{% for s in streams %}{{ s.name }}方面，{{ s.c.total }}项举措"
            "{% if s.c.all_done %}已全部完成{% elif s.c.done %}已完成{{ s.c.done }}项，"
            "完成率{{ s.c.rate }}{% else %}均未完成{% endif %}"
            "{% if s.c.overdue %}，逾期{{ s.c.overdue }}项{% endif %}"
            "{{ '。' if loop.last else '；' }}{% endfor %}"
        )
    with doc.when("'streams' in charts"):
        doc.figure("charts.streams")
    with doc.when("change"):
        doc.body_text(
            "较上期（第{{ change.number }}期，{{ change.as_of|date_cn }}），"
            "{% if change.added %}举措清单新增{{ change.added|length }}项；{% endif %}"
            "{% if change.newly_done %}新增完成举措{{ change.newly_done|length }}项"
            "（{{ change.newly_done[:10]|join_ids }}{% if change.newly_done|length > 10 %}等"
            "{% endif %}）"
            "{% if change.newly_done_overdue %}，其中{{ change.newly_done_overdue|length }}项"
            "为上期逾期举措{% endif %}"
            "{% else %}没有新增完成的举措{% endif %}；完成率"
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
            "反馈尚未完成，已重新计为未完成{% endif %}。"
        )


def _departments(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("各部门进展情况"))
    doc.body_text(
        f"{AS_OF}，{{{{ n_departments }}}}个部门共承担任务{{{{ assignments.total }}}}项"
        "（一项举措由多个部门承担的，分别计入各部门），"
        "{% if assignments.all_done %}已全部完成"
        "{% elif assignments.done %}已完成{{ assignments.done }}项，完成率{{ assignments.rate }}"
        "{% else %}尚无已完成的任务{% endif %}。"
        "各部门完成情况见表1。"
    )
    with doc.when("'departments' in charts"):
        doc.figure("charts.departments")
    _table(doc, "表1\u3000各部门任务完成情况排名", RANKING_COLUMNS, "row in ranking")
    with doc.when("fast or slow"):
        doc.body_text(
            "按部门完成率排序，"
            "{% if fast %}进展较快的有" + RATES.replace("LIST", "fast") + "{% endif %}"
            "{% if fast and slow %}；{% endif %}"
            "{% if slow %}进度滞后的有"
            "{% if slow|selectattr('done')|list %}" + RATES.replace("LIST", "slow") + "{% else %}"
            "{{ slow|map(attribute='name')|join_cn }}，所承担的任务均未完成{% endif %}"
            "{% endif %}。"
        )
    with doc.when("all_done"):
        doc.body_text(
            "{% for d in all_done %}{{ d.name }}{{ '、' if not loop.last else '' }}{% endfor %}"
            "承担的任务已全部完成。"
        )


# The overdue table lists the longest overdue first, this many at most; the ledger has them all.
TABLE_ROWS = 20


def _problems(doc: OfficialDocument) -> None:
    with doc.when("overdue or not_started or silent or partial"):
        doc.paragraph(HEADING1, heading("存在的主要问题"))
        with doc.when("overdue"):
            doc.body_text(
                sub("部分举措逾期未完成。"),
                f"{AS_OF}，有{{{{ overdue|length }}}}项举措已超过完成时限仍未完成"
                f"{{% if overdue|length > {TABLE_ROWS} %}}（逾期时间最长的{TABLE_ROWS}项见表2，"
                "全部见整改台账）{% else %}（见表2）{% endif %}"
                "{% if overdue|length > 3 %}，逾期时间较长的有{% else %}：{% endif %}"
                "{% for m in overdue[:3] %}由{{ m.open|join_cn }}负责的{{ m.id|nobreak }}"
                "逾期{{ m.days }}天{{ '；' if not loop.last else '' }}{% endfor %}。",
            )
            _table(doc, "表2\u3000逾期举措清单", OVERDUE_COLUMNS, f"row in overdue[:{TABLE_ROWS}]")
        with doc.when("not_started"):
            doc.body_text(
                sub("部分举措尚未启动。"),
                f"{AS_OF}，仍有{{{{ not_started|length }}}}项举措处于未启动状态"
                "（{{ not_started[:10]|join_ids }}{% if not_started|length > 10 %}等{% endif %}）。",
            )
        with doc.when("silent or partial"):
            doc.body_text(
                sub(
                    "部分部门{% if return_deadline and return_deadline < as_of %}未按时反馈"
                    "{% else %}尚未反馈{% endif %}。"
                ),
                "{% if return_deadline %}按要求，各部门应于{{ return_deadline|date_cn }}前"
                "报送自查反馈表。{% endif %}"
                f"{AS_OF}，"
                "{% if silent|length == 1 %}{{ silent[0] }}尚未报送反馈表"
                "{% elif silent %}有{{ silent|length }}个部门尚未报送反馈表，"
                "分别是{{ silent|join_cn }}{% endif %}"
                "{% if silent and partial %}；{% endif %}"
                "{% if partial|length > 5 %}"
                "{{ partial|map(attribute='name')|join_cn('、', 3, '个部门') }}"
                "{% elif partial %}{% for d in partial %}{{ d.name }}（{{ d.count }}项）"
                "{{ '、' if not loop.last else '' }}{% endfor %}{% endif %}"
                "{% if partial %}已报送反馈表，但仍有{{ partial_total }}项任务未填报进展{% endif %}。",
            )


def _requirements(doc: OfficialDocument) -> None:
    doc.paragraph(HEADING1, heading("下步要求"))
    doc.tag("set ns.items = [overdue, not_started, silent or partial, due_soon]|select|list|length")
    with doc.when("overdue"):
        doc.body_text(
            item("加快推进逾期举措。"),
            "请{% if overdue_owners|length <= 6 %}{{ overdue_owners|join_cn }}"
            "{% else %}有逾期举措的{{ overdue_owners|length }}个部门{% endif %}"
            "对逾期举措逐项分析原因，明确整改措施和完成时间，"
            "于{{ reply_by|date_cn }}前向{{ office }}书面报告进展；已经完成的，"
            "及时报送完成情况和佐证材料。",
        )
    with doc.when("not_started"):
        doc.body_text(
            item("尽快启动未启动举措。"),
            "对{{ not_started|length }}项尚未启动的举措，请牵头部门于{{ reply_by|date_cn }}前"
            "明确启动时间和推进计划，报{{ office }}备案。",
        )
    with doc.when("silent or partial"):
        doc.body_text(
            item("及时报送反馈表。"),
            "请{% if silent|length + partial|length == 1 %}"
            "{{ (silent + partial|map(attribute='name')|list)|join_cn }}"
            "{% else %}上述{{ silent|length + partial|length }}个部门{% endif %}"
            "于{{ report_by|date_cn }}前"
            "{% if silent and partial %}报送（补报）{% elif silent %}报送{% else %}补报{% endif %}"
            "自查反馈表，逐项填写完成状态、进展情况和"
            "佐证材料，经部门主要负责同志审核后以部门名义报送。",
        )
    with doc.when("due_soon"):
        doc.body_text(
            item("确保临期举措按期完成。"),
            "{{ due_soon|length }}项举措将在{{ warning_days }}天内到期"
            "（{{ due_soon[:10]|join_ids }}{% if due_soon|length > 10 %}等{% endif %}），"
            "请牵头部门倒排时间、压实责任，确保在完成时限前完成。",
        )
    doc.body_text(
        "{{ office }}将持续跟踪各项举措进展"
        "{% if overdue or silent or partial %}，向有逾期或未反馈任务的部门发出催办通知"
        "{% endif %}，并在下期简报中通报。"
    )


def _table(doc: OfficialDocument, caption: str, columns, loop: str) -> None:
    """A numbered table in the text: its caption in 黑体, centred and kept with the table."""
    p = doc.paragraph(FORM_LINE, Run(caption, HEI))
    set_child(p.find(qn("w:pPr")), "keepNext")
    set_child(p.find(qn("w:pPr")), "jc", {"val": "center"})
    doc.table(columns, loop)
