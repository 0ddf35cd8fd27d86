"""Four generic GB/T 9704 documents built with OfficialDocument, for testing the engine on its own:
a 报告 with an optional red header, a 简报, a 通知 and a landscape table form. build_templates()
writes them into a folder; example_context(name) fills every variable of one.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from docgen.official.builder import FORM_LINE, NOTE, Column, OfficialDocument
from official_demo.blocks import Block, add_blocks, heading, lead_in, paragraph


def build_report(profile="gb2312") -> OfficialDocument:
    """报告 (上行文): optional 红头 with 签发人, title, 主送, body, 附件说明, 署名, date, 版记."""
    doc = OfficialDocument(profile, title="报告")
    with doc.when("red_header"):
        doc.red_header(upward=True)
    doc.title()
    doc.addressee()
    add_blocks(doc, "body")
    doc.attachment_note("attachments")
    doc.signature("signature", "date")
    doc.colophon("cc")
    return doc


def build_brief(profile="gb2312") -> OfficialDocument:
    """简报: red 报头 with 第N期, 编印单位 and date, red rule; title, body; 报/送/发 报尾."""
    doc = OfficialDocument(profile, title="简报")
    doc.brief_header()
    doc.title()
    doc.blank()
    add_blocks(doc, "body")
    doc.brief_footer()
    return doc


def build_notice(profile="gb2312") -> OfficialDocument:
    """A short 通知 (下行文, 白头): title, 主送, body, 附件说明, 署名, date, 联系人 as 附注."""
    doc = OfficialDocument(profile, title="通知")
    doc.title()
    doc.addressee()
    add_blocks(doc, "body")
    doc.attachment_note("attachments")
    doc.signature("signature", "date")
    with doc.when("contact"):
        doc.paragraph(NOTE, "（联系人：{{ contact }}）")
    return doc


FORM_COLUMNS = (
    Column("序号", "{{ loop.index }}", 12),
    Column("编号", "{{ row.id }}", 22),
    Column("工作任务", "{{ row.task }}", 58, align="left"),
    Column("完成时限", "{{ row.deadline }}", 37),
    Column("完成状态", "{{ row.status }}", 22),
    Column("进展情况", "{{ row.progress }}", 55, align="left"),
    Column("备注", "{{ row.note }}", 19, align="left"),
)


def build_table_form(profile="gb2312") -> OfficialDocument:
    """A landscape form: title, 填报单位 line, a table whose header row repeats on every page."""
    doc = OfficialDocument(profile, landscape=True, title="表格")
    doc.title()
    doc.blank()
    doc.paragraph(FORM_LINE, "填报单位（盖章）：{{ department }}")
    doc.table(FORM_COLUMNS, "row in rows")
    with doc.when("instructions"):
        doc.paragraph(FORM_LINE, "填报说明：{{ instructions }}")
    return doc


BUILDERS: dict[str, Callable[..., OfficialDocument]] = {
    "report.docx": build_report,
    "brief.docx": build_brief,
    "notice.docx": build_notice,
    "table_form.docx": build_table_form,
}


def build_templates(folder, profile="gb2312") -> dict[str, Path]:
    """Write the four demo templates into folder: name -> path."""
    folder = Path(folder)
    return {name: build(profile).save(folder / name) for name, build in BUILDERS.items()}


_BODY = [
    paragraph(
        "根据上级关于开展警示教育和以案促改工作的部署要求，我局对照任务清单逐项开展自查。"
        "现将有关情况报告如下："
    ),
    heading(1, 1, "基本情况"),
    paragraph(
        "截至2026年11月26日，全局共分解举措120项，涉及23个部门。其中已完成91项，推进中21项，"
        "未启动3项，长期坚持5项，完成率75.8%。"
    ),
    heading(2, 1, "警示教育方面"),
    lead_in(2, 2, "以案促改方面。", "共梳理制度漏洞18个，新建和修订制度12项。"),
    heading(3, 1, "召开专题会议"),
    heading(4, 1, "局党组会研究部署"),
    paragraph("局党组会先后4次专题研究，印发工作方案和任务清单。"),
    heading(1, 2, "存在的问题"),
    paragraph("个别部门反馈不及时，佐证材料不够完整，逾期举措3项。"),
    heading(1, 3, "下一步打算"),
    paragraph("对逾期举措逐项督办，于2026年12月31日前完成整改。特此报告。"),
]


def example_context(name: str) -> dict:
    """A complete, realistic context for one packaged template (used by tests and previews)."""
    date = dt.date(2026, 11, 26)
    contexts = {
        "report.docx": {
            "red_header": True,
            "org_mark": "中共XX局党组文件",
            "doc_number": "X党组发〔2026〕3号",
            "signer": "张三",
            "title": "中共XX局党组关于警示教育和以案促改工作开展情况的自查报告",
            "recipient": "中共XX市纪委监委",
            "body": list(_BODY),
            "attachments": ["举措完成情况统计表", "逾期举措清单"],
            "signature": "中共XX局党组",
            "date": date,
            "cc": ["驻局纪检监察组"],
            "print_org": "XX局办公室",
            "print_date": date,
        },
        "brief.docx": {
            "brief_name": "警示教育以案促改工作简报",
            "issue_no": 5,
            "editor": "XX局以案促改工作领导小组办公室",
            "date": date,
            "title": "全局以案促改工作稳步推进",
            "body": list(_BODY[2:8]),
            "brief_report": ["市纪委监委", "驻局纪检监察组"],
            "brief_send": ["局领导"],
            "brief_issue": ["各科室", "各直属单位"],
            "copies": 30,
        },
        "notice.docx": {
            "title": "关于催报以案促改工作自查情况的通知",
            "recipient": "办公室、财务科、人事科",
            "body": [
                paragraph(
                    "按照《关于开展以案促改工作自查的通知》要求，各部门应于2026年11月20日前"
                    "报送自查情况。截至2026年11月26日，你部门尚未报送。"
                ),
                paragraph(
                    "请于2026年12月1日前报送；确因客观原因不能按期完成的，请书面说明原因及预计完成时间。"
                ),
                paragraph("特此通知。"),
            ],
            "attachments": ["逾期举措清单"],
            "signature": "XX局办公室",
            "date": date,
            "contact": "李四，电话12345678",
        },
        "table_form.docx": {
            "title": "以案促改工作自查反馈表",
            "department": "办公室",
            "rows": [
                {
                    "id": f"YA-{n:03d}",
                    "task": "完善公务接待管理制度，明确审批流程和标准。" * (1 + n % 3),
                    "deadline": date if n % 4 else "长期坚持",
                    "status": ("已完成", "推进中", "未启动", "长期坚持")[n % 4],
                    "progress": "已起草制度初稿，正在征求意见。" * (1 + n % 2),
                    "note": "",
                }
                for n in range(1, 26)
            ],
            "instructions": "完成状态请填写已完成、推进中、未启动或长期坚持；已完成的请注明佐证材料。",
        },
    }
    return contexts[name]


__all__ = [
    "BUILDERS",
    "Block",
    "build_brief",
    "build_notice",
    "build_report",
    "build_table_form",
    "build_templates",
    "example_context",
]
