"""Generate large, realistic docgen input workbooks for benchmarking.

Writes two .xlsx files with openpyxl's write-only mode:

* ``measures_<N>.xlsx`` -- a 举措清单 of N measures (default 5,000) with the columns
  编号, 专项, 问题, 具体举措, 重点方面, 牵头部门, 责任部门, 分管领导, 完成时限, 备注.
  Layout: title row, header row, then the measures grouped by 专项 with a section
  row ("一、营商环境优化专项") before each group, then a blank row and a "注：" row at the
  bottom -- the shapes docgen has to cope with when it looks for the header and keeps
  Excel row numbers.
* ``feedback_<N>.xlsx`` -- a 反馈表 of N rows (default 50,000) with the columns
  编号, 填报单位, 完成状态, 进展情况, 完成时间, 佐证材料, 存在问题, 下步计划, 填报人, 填报日期.
  Layout: title row, "填报说明" row, header row, then the data rows.

Cell types are what people actually type into these sheets: 编号 is a whole number,
完成时限 / 完成时间 / 填报日期 are Excel dates (number format ``yyyy-mm-dd``) except where
people write text such as "长期坚持", optional columns are left empty.  The text is
Chinese of realistic length (问题 ~40-120 characters, 具体举措 and 进展情况 ~80-300).
Output is deterministic for a given ``--seed``.

Usage::

    python bench/make_large_workbook.py [--out DIR] [--measures 5000] [--rows 50000] [--seed 20240901]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from openpyxl import Workbook

from docgen import model

# The canonical headers, in docgen's own order.
MEASURE_COLUMNS = [column.name for column in model.MEASURE_COLUMNS]
FEEDBACK_COLUMNS = [column.name for column in model.FEEDBACK_COLUMNS]

# Excel row numbers of the header rows written below (1-based).
MEASURES_HEADER_ROW = 2
FEEDBACK_HEADER_ROW = 3

SPECIAL_PROJECTS = [
    "营商环境优化",
    "基层减负",
    "安全生产整治",
    "生态环境保护",
    "乡村振兴",
    "数字政府建设",
    "民生保障",
    "作风建设",
    "招商引资",
    "城市更新",
]
CHINESE_NUMERALS = "一二三四五六七八九十"

FOCUS_AREAS = [
    "制度建设",
    "监督检查",
    "问题整改",
    "宣传引导",
    "队伍建设",
    "考核评价",
    "数据共享",
    "风险防控",
    "资金保障",
    "服务提升",
]

DEPARTMENTS = [
    "市发展改革委",
    "市财政局",
    "市市场监管局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市应急管理局",
    "市人力资源社会保障局",
    "市数据局",
    "市商务局",
    "市自然资源和规划局",
    "市卫生健康委",
    "市教育局",
    "市民政局",
    "市司法局",
    "市政务服务中心",
    "市委组织部",
    "市委宣传部",
    "市纪委监委",
]
UNITS = [
    *["东城区", "西城区", "南湖区", "北山区", "高新区", "经开区"],
    *["临江县", "青山县", "白河县", "石门县", "清水县", "丰乐县"],
    *DEPARTMENTS,
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红志文斌鹏宇浩然晨阳欣怡子轩梓涵一诺"

# Fragments that are combined into sentences.
PROBLEM_SUBJECTS = [
    "部分单位",
    "个别乡镇",
    "相关职能部门",
    "基层执法队伍",
    "部分重点企业",
    "少数窗口单位",
    "行业主管部门",
    "部分项目建设单位",
]
PROBLEM_FACTS = [
    "对政策理解不深、落实不到位",
    "审批环节多、办理时限长，群众反映办事难",
    "台账资料不规范，底数不清、情况不明",
    "监管责任落实不到位，存在以会议落实会议现象",
    "隐患排查不彻底，整改闭环管理不严格",
    "信息系统互不联通，数据重复填报问题突出",
    "资金拨付进度滞后，项目推进缓慢",
    "考核指标设置不科学，过度留痕问题仍然存在",
    "服务意识不强，主动对接企业需求不够",
    "宣传解读不充分，政策知晓率偏低",
    "长效机制不健全，问题反弹回潮风险较大",
    "专业人员配备不足，履职能力有待提升",
]
PROBLEM_CONSEQUENCES = [
    "影响了企业和群众的获得感",
    "制约了重点工作整体推进",
    "给安全生产带来一定隐患",
    "增加了基层负担",
    "造成政策红利未能充分释放",
    "群众对此意见较大",
]
ACTION_VERBS = [
    "全面梳理",
    "建立健全",
    "深入开展",
    "持续推进",
    "严格落实",
    "进一步完善",
    "加快推动",
    "统筹整合",
    "集中整治",
    "定期通报",
]
ACTION_OBJECTS = [
    "政务服务事项清单，压减申报材料和办理时限",
    "部门联动工作机制，明确责任分工和时间节点",
    "重点领域隐患排查整治，实行清单化管理、销号式推进",
    "跨部门数据共享平台建设，推动“一网通办”“一次办好”",
    "专项资金使用管理制度，确保资金按时足额拨付到位",
    "督查检查考核事项，坚决防止多头重复检查",
    "典型案例通报曝光制度，形成有力震慑",
    "干部业务培训，提升依法行政和服务能力",
    "企业走访服务活动，建立问题收集、交办、反馈闭环",
    "政策宣传解读工作，提高政策知晓率和覆盖面",
    "长效监管机制，巩固整改成果、防止问题反弹",
    "绩效考核指标体系，突出实绩导向和群众评价",
]
ACTION_GOALS = [
    "确保年底前取得明显成效",
    "推动问题整改到位",
    "切实减轻基层负担",
    "不断优化发展环境",
    "形成可复制可推广的经验做法",
    "确保各项任务按期完成",
]
PROGRESS_OPENINGS = [
    "已召开专题会议研究部署",
    "已制定印发工作方案",
    "已完成前期摸底调查",
    "已成立工作专班",
    "已组织开展集中检查",
    "已完成系统升级改造",
]
PROGRESS_DETAILS = [
    "累计排查问题{n}个，已整改{m}个，整改率{p}%",
    "共走访企业{n}家，收集意见建议{m}条，均已按期答复",
    "压减申报材料{n}项，平均办理时限缩短{p}%",
    "组织业务培训{m}场次，参训人员{n}人次",
    "拨付专项资金{n}万元，占年度计划的{p}%",
    "清理规范各类考核事项{m}项，精简比例达{p}%",
    "推动{m}个系统完成数据对接，共享数据{n}万条",
]
EVIDENCE = [
    "《关于印发{x}工作方案的通知》",
    "专题会议纪要",
    "整改台账及销号清单",
    "现场检查照片及记录",
    "培训通知及签到表",
    "资金拨付凭证",
    "系统运行截图",
]
REMARKS = [
    "需市级层面统筹协调",
    "涉及多个部门，由牵头部门汇总报送",
    "已纳入年度重点工作",
    "按季度报送进展情况",
    "与上级部署同步推进",
]
STATUSES = ["已完成", "推进中", "未启动", "长期坚持"]
STATUS_WEIGHTS = [45, 40, 5, 10]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _problem(rng: random.Random) -> str:
    clauses = [
        f"{rng.choice(PROBLEM_SUBJECTS)}{rng.choice(PROBLEM_FACTS)}"
        for _ in range(rng.randint(1, 3))
    ]
    return "；".join(clauses) + f"，{rng.choice(PROBLEM_CONSEQUENCES)}。"


def _actions(rng: random.Random) -> str:
    parts = [
        f"{i}.{rng.choice(ACTION_VERBS)}{rng.choice(ACTION_OBJECTS)}"
        for i in range(1, rng.randint(2, 5) + 1)
    ]
    return "；".join(parts) + f"，{rng.choice(ACTION_GOALS)}。"


def _numbers(rng: random.Random, template: str) -> str:
    n = rng.randint(20, 900)
    return template.format(n=n, m=rng.randint(1, n), p=rng.randint(10, 100))


def _progress(rng: random.Random) -> str:
    parts = [rng.choice(PROGRESS_OPENINGS)]
    parts += [_numbers(rng, rng.choice(PROGRESS_DETAILS)) for _ in range(rng.randint(1, 4))]
    return "，".join(parts) + "。" + _actions(rng)


def _evidence(rng: random.Random, project: str) -> str:
    items = rng.sample(EVIDENCE, rng.randint(1, 3))
    return "、".join(item.format(x=project) for item in items) + f"等{rng.randint(1, 12)}份"


def write_measures(path: Path, n: int = 5000, seed: int = 20240901) -> Path:
    """Write a 举措清单 workbook with ``n`` measures to ``path``."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("举措清单")
    ws.append(["2024年度重点领域突出问题专项整治举措清单"])
    ws.append(MEASURE_COLUMNS)

    projects = SPECIAL_PROJECTS
    per_project = -(-n // len(projects))  # ceil
    number = 0
    for p_idx, project in enumerate(projects):
        if number >= n:
            break
        ws.append([f"{CHINESE_NUMERALS[p_idx]}、{project}专项"])
        for _ in range(min(per_project, n - number)):
            number += 1
            if rng.random() < 0.08:
                deadline: date | str = rng.choice(["长期坚持", "2025年底前", "持续推进"])
            else:
                deadline = _month_end(rng.choice((2024, 2025)), rng.randint(1, 12))
            ws.append(
                [
                    number,
                    project,
                    _problem(rng),
                    _actions(rng),
                    rng.choice(FOCUS_AREAS),
                    rng.choice(DEPARTMENTS),
                    "、".join(rng.sample(DEPARTMENTS, rng.randint(1, 4))),
                    _name(rng),
                    deadline,
                    rng.choice(REMARKS) if rng.random() < 0.3 else None,
                ]
            )
    ws.append([])
    ws.append(["注：完成时限为“长期坚持”的举措，按季度报送进展情况。"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_feedback(
    path: Path, n: int = 50000, n_measures: int = 5000, seed: int = 20240901
) -> Path:
    """Write a 反馈表 workbook with ``n`` feedback rows to ``path``."""
    rng = random.Random(seed + 1)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("反馈表")
    ws.append(["2024年第三季度专项整治举措落实情况反馈表"])
    ws.append(["填报说明：完成状态填写“已完成/推进中/未启动/长期坚持”，完成时间填写实际完成日期。"])
    ws.append(FEEDBACK_COLUMNS)

    start = date(2024, 9, 1)
    for _ in range(n):
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        project = rng.choice(SPECIAL_PROJECTS)
        if status == "已完成":
            done: date | str | None = start - timedelta(days=rng.randint(0, 240))
        elif status == "长期坚持":
            done = "长期坚持"
        else:
            done = None
        problem = rng.random()
        ws.append(
            [
                rng.randint(1, n_measures),
                rng.choice(UNITS),
                status,
                _progress(rng),
                done,
                _evidence(rng, project) if rng.random() < 0.7 else None,
                _problem(rng) if problem < 0.4 else ("无" if problem < 0.8 else None),
                _actions(rng) if status != "已完成" else "巩固整改成果，防止问题反弹。",
                _name(rng),
                start + timedelta(days=rng.randint(0, 29)),
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


_INLINE_CELL = re.compile(
    r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>',
    re.S,
)
_SHEET_MEMBER = re.compile(r"xl/worksheets/sheet[0-9]+\.xml")
_CELL_REF = re.compile(r'<c r="([A-Z]+)([0-9]+)"')
_SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def to_excel_layout(path: Path) -> Path:
    """Rewrite an openpyxl-written .xlsx in place the way Excel/WPS store text.

    openpyxl 3.1 writes every string as an *inline* string and, in write-only mode,
    escapes every non-ASCII character as a numeric character reference (``&#20030;``),
    and it writes no ``<dimension>``.  For Chinese text that makes the sheet XML ~6x
    larger than what Excel or WPS save (UTF-8 text in ``xl/sharedStrings.xml``, cells
    holding an index, a ``<dimension ref=...>``), which skews a reader benchmark.  This
    moves the strings into a shared-strings table, writes UTF-8, and adds the dimension.
    Cell values, types and number formats are unchanged.
    """
    path = Path(path)
    # Key the table by the *escaped* text as written (one escaping per string), and
    # decode all distinct strings at once with one XML parse at the end: calling
    # html.unescape per cell took ~13 s for the 50,000-row workbook
    # (this whole function takes ~7 s there).
    strings: dict[str, int] = {}
    total = 0

    def shared(match: re.Match[str]) -> str:
        nonlocal total
        idx = strings.setdefault(match.group(3), len(strings))
        total += 1
        return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{idx}</v></c>'

    with zipfile.ZipFile(path) as zin:
        members = {info.filename: zin.read(info) for info in zin.infolist()}

    for name in [n for n in members if _SHEET_MEMBER.fullmatch(n)]:
        xml = _INLINE_CELL.sub(shared, members[name].decode("utf-8"))
        refs = _CELL_REF.findall(xml)
        if refs and "<dimension " not in xml:
            max_col = max(_col_number(col) for col, _ in refs)
            max_row = max(int(row) for _, row in refs)
            dim = f'<dimension ref="A1:{_col_letters(max_col)}{max_row}"/>'
            head = re.match(
                r"<worksheet[^>]*>(?:<sheetPr>.*?</sheetPr>|<sheetPr[^>]*/>)?", xml, re.S
            )
            if head:
                xml = xml[: head.end()] + dim + xml[head.end() :]
        members[name] = xml.encode("utf-8")

    if strings and "xl/sharedStrings.xml" not in members:
        decoded = [
            t.text or "" for t in ET.fromstring("<r><t>" + "</t><t>".join(strings) + "</t></r>")
        ]
        items = "".join(
            f'<si><t xml:space="preserve">{escape(s)}</t></si>'
            if s != s.strip()
            else f"<si><t>{escape(s)}</t></si>"
            for s in decoded
        )
        members["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            f' count="{total}" uniqueCount="{len(strings)}">{items}</sst>'
        ).encode()
        ct = members["[Content_Types].xml"].decode("utf-8")
        ct = ct.replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CONTENT_TYPE}"/></Types>',
        )
        members["[Content_Types].xml"] = ct.encode("utf-8")
        rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdSST" Type="{_SST_REL_TYPE}" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        members["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    tmp.replace(path)
    return path


def make_workbooks(
    out: Path,
    measures: int = 5000,
    rows: int = 50000,
    seed: int = 20240901,
    layout: str = "excel",
) -> tuple[Path, Path]:
    """Write both workbooks into ``out``; return (measures_path, feedback_path).

    ``layout="excel"`` (default) rewrites openpyxl's output to the shared-strings,
    UTF-8 layout Excel/WPS save (see :func:`to_excel_layout`); ``layout="openpyxl"``
    keeps openpyxl's inline-string output as written.
    """
    if layout not in ("excel", "openpyxl"):
        raise ValueError(f"layout must be 'excel' or 'openpyxl', not {layout!r}")
    out = Path(out)
    suffix = "" if layout == "excel" else "_openpyxl"
    m = write_measures(out / f"measures_{measures}{suffix}.xlsx", measures, seed)
    f = write_feedback(out / f"feedback_{rows}{suffix}.xlsx", rows, measures, seed)
    if layout == "excel":
        to_excel_layout(m)
        to_excel_layout(f)
    return m, f


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a new temp dir)"
    )
    ap.add_argument("--measures", type=int, default=5000, help="number of measures (default 5000)")
    ap.add_argument("--rows", type=int, default=50000, help="feedback rows (default 50000)")
    ap.add_argument("--seed", type=int, default=20240901)
    ap.add_argument(
        "--layout",
        choices=("excel", "openpyxl"),
        default="excel",
        help="excel: shared strings, UTF-8, like files saved by Excel/WPS (default); "
        "openpyxl: openpyxl's own inline-string output",
    )
    args = ap.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    t0 = time.perf_counter()
    m, f = make_workbooks(out, args.measures, args.rows, args.seed, args.layout)
    elapsed = time.perf_counter() - t0
    for p in (m, f):
        print(f"{p}  ({p.stat().st_size / 1e6:.1f} MB)")
    print(f"written in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
