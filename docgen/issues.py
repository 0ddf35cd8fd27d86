"""Problems as data: the catalogue of issue codes, the Issue that locates one problem, and the
Report that holds every problem a check found.

Validation of the inputs and `docgen check` of Word documents both report in this shape. Every
code is in CATALOGUE with its severity, what it means and how to fix it in general; the message
of each Issue says what was found in that place. docs/issue-codes.md lists the catalogue.
"""

from dataclasses import asdict, dataclass, field

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class IssueType:
    """One kind of problem: its stable code, severity, meaning and the usual fix."""

    code: str
    severity: str
    meaning: str
    fix: str
    source: str  # "inputs" (docgen validate) or "documents" (docgen check)


def _types(source: str, *rows: tuple[str, str, str, str]) -> dict[str, IssueType]:
    return {
        code: IssueType(code, severity, meaning, fix, source)
        for code, severity, meaning, fix in rows
    }


INPUT_ISSUES = _types(
    "inputs",
    # -- a file as a whole
    (
        "unreadable-file",
        ERROR,
        "文件无法读取：空文件、已损坏或传了一半、设了打开密码、其实是网页或文本、编码无法识别、找不到表头",
        "在 Excel 或 WPS 中打开检查后另存为 .xlsx，或让填报单位重新发送；说明中写明了具体原因",
    ),
    (
        "file-too-large",
        ERROR,
        "文件超过可读取的大小上限（docgen.toml 中 [limits] 的 max_file_mb，默认 50 MB）",
        "确认没有放错文件，删去多余的工作表和图片后另存；确需读取时调高 max_file_mb",
    ),
    (
        "zip-bomb",
        ERROR,
        "文件解压后远大于正常的 Excel 工作簿，可能已损坏或是恶意构造的“压缩炸弹”，没有读取",
        "让填报单位在 Excel 或 WPS 中打开后重新保存再发送",
    ),
    (
        "too-many-rows",
        ERROR,
        "行数超过上限（举措清单和全部反馈表合计，[limits] 的 max_rows，默认 200,000 行）",
        "删除表格下方的大量空行或远处误填的内容后保存；确需读取这么多行时调高 max_rows",
    ),
    (
        "sheet-too-large",
        ERROR,
        "工作表的内容范围超过 2,000 万个单元格，通常是远处某个单元格误填了内容",
        "在 Excel 中按 Ctrl+End 找到最后一个单元格，删除多余的行和列后保存",
    ),
    (
        "missing-column",
        ERROR,
        "缺少必填列",
        "在表头行补上这一列（可用说明中列出的同义词）",
    ),
    (
        "empty-file",
        ERROR,
        "举措清单只有表头，没有举措",
        "填写举措后重新运行",
    ),
    (
        "empty-form",
        WARNING,
        "反馈表只有表头，没有内容，该部门按未反馈统计",
        "让填报部门填写后重新报送",
    ),
    # -- a cell of any sheet
    (
        "formula-without-value",
        ERROR,
        "单元格是公式，文件中却没有保存它的计算结果（文件多半由程序生成，没有在 Excel 或 WPS 中打开保存过）；"
        "docgen 读不出它的值，也不会把它当作空白",
        "用 Excel 或 WPS 打开该文件并保存后再放回",
    ),
    (
        "error-value",
        ERROR,
        "单元格是错误值（#N/A、#REF!、#DIV/0!、#VALUE!、#NAME?、#NULL!、#NUM! 等），"
        "docgen 不会把它当作内容或空白",
        "用 Excel 或 WPS 打开该文件，改正这一格的公式或直接填写内容，保存后再放回",
    ),
    # -- a row of the measure list
    (
        "empty-cell",
        ERROR,
        "必填项为空：举措清单的必填列，或反馈表中一行的编号、填报单位",
        "补填这一格",
    ),
    (
        "duplicate-id",
        ERROR,
        "举措编号重复，每项举措的编号必须唯一",
        "修改其中一个编号",
    ),
    (
        "unknown-stream",
        ERROR,
        "专项不是 警示教育、以案促改、巡察整改 之一",
        "改为其中之一",
    ),
    (
        "bad-date",
        ERROR,
        "日期无法识别（完成时限、完成时间或填报日期）",
        "写成 2026-12-31、2026年12月31日 或 2026年12月底，或设为 Excel 日期格式；"
        "没有截止日期的完成时限写“长期坚持”",
    ),
    (
        "unknown-aspect",
        WARNING,
        "重点方面不是 学习反思、机制建设、制度完善、监管履职 之一，统计时归入“其他”",
        "如属笔误请更正",
    ),
    (
        "several-leads",
        WARNING,
        "牵头部门写了多个；第一个作为牵头部门，其余作为责任部门",
        "确认后只保留一个牵头部门，其余写入责任部门",
    ),
    (
        "unknown-department",
        WARNING,
        "部门不在 docgen.toml 的部门名单中",
        "核对名称是否写错，或在 docgen.toml 的 [[departments]] 中补充",
    ),
    (
        "department-name-clash",
        ERROR,
        "两个部门的名称只差文件名中不能使用的字符、首尾的空格和句点或字母大小写，各自的文件会同名而互相覆盖",
        "如是同一部门请统一写法，否则改用能区分的名称",
    ),
    # -- a row of a returned form
    (
        "unknown-measure",
        ERROR,
        "反馈了举措清单中不存在的编号",
        "核对编号（可能是笔误，或用了旧版清单）",
    ),
    (
        "empty-status",
        WARNING,
        "没有填写完成状态，该项按未反馈统计",
        "让填报部门补填",
    ),
    (
        "bad-status",
        ERROR,
        "完成状态无法识别",
        "填写 已完成、推进中、未启动 或 长期坚持（或其常见写法，如 完成、进行中）",
    ),
    (
        "not-assigned",
        WARNING,
        "填报单位不是该举措的牵头或责任部门，这一行不计入统计（该单位在同一文件中的其他行照常计入）",
        "如分工有调整，先修改举措清单",
    ),
    (
        "unmatched-return",
        ERROR,
        "反馈表中某个填报单位填报的各行，没有一行是它牵头或负责的举措（名称与举措清单的写法不一致，"
        "或用错了反馈表）；这份反馈会从所有统计中消失，报告会把该部门写成未反馈",
        "在 docgen.toml 的部门名单中加入该名称，或把反馈表的填报单位改为举措清单中的写法",
    ),
    (
        "done-without-date",
        WARNING,
        "填报为已完成，但没有填写完成时间",
        "补填完成时间",
    ),
    (
        "duplicate-feedback",
        WARNING,
        "同一文件中同一部门对同一举措填报了两次，以后一行为准",
        "删去多余的一行",
    ),
    # -- a row of a returned 督导抽查记录表
    (
        "unknown-verdict",
        ERROR,
        "核查结果无法识别",
        "从下拉列表中选择 属实、基本属实 或 不属实；尚未核查的行留空",
    ),
    (
        "not-sampled",
        ERROR,
        "抽查记录表中的这一项（举措编号和责任部门）不在 docgen spot-check plan 抽取的样本中，核查结果没有采用",
        "核对编号和责任部门是否改动过，或用 docgen spot-check plan 生成的记录表重新填写",
    ),
    (
        "plan-not-recorded",
        WARNING,
        "记录表由 docgen spot-check plan 生成，但运行记录中没有这次抽样（多半是工作文件夹复制时漏了 .docgen 文件夹）；表中各行按记录表所列采用",
        "复制工作文件夹时连同 .docgen 文件夹一起复制",
    ),
    (
        "conflicting-checks",
        ERROR,
        "同一项在同一核查日期有两个不同的核查结果，无法判断以哪个为准",
        "删去错误的一行，或写明各自的核查日期（以日期最晚的为准）",
    ),
    (
        "template-like-text",
        WARNING,
        "文字像模板标记（如 {{ name }}、{% if %}），文件中会原样印出，docgen check 也会把它当作未替换的模板标记",
        "如非有意，删去或改写这些括号",
    ),
)

DOCUMENT_ISSUES = _types(
    "documents",
    ("page-size", ERROR, "纸张不是 A4（210×297 毫米）", "在页面设置中选 A4"),
    (
        "margin",
        ERROR,
        "页边距不符：上 37、下 35、左 28、右 26 毫米（横排表格页转 90 度），版心 156×225 毫米",
        "在页面设置中改正页边距（允许误差 ±1 毫米）",
    ),
    ("grid", ERROR, "文档网格的行距使每页排不下 22 行", "把文档网格行距设为 28.95 磅（579）"),
    (
        "line-pitch",
        ERROR,
        "正文或标题的行距使每页排不出 22 行",
        "行距设为固定值 28.95 磅（或 28 磅）",
    ),
    (
        "chars-per-line",
        ERROR,
        "正文字符间距未紧缩，3号字每行只能排 27 字",
        "字符间距紧缩 0.25 磅，或使用字符网格，使每行排 28 字",
    ),
    (
        "font-unset",
        ERROR,
        "段落未明确指定中文字体，使用主题或默认字体，在其他电脑上会变",
        "为该段指定说明中要求的字体",
    ),
    (
        "font",
        ERROR,
        "字体不符（正文仿宋、一级标题黑体、二级标题楷体、标题小标宋）",
        "改为说明中要求的字体",
    ),
    ("font-size", ERROR, "字号不符（正文 3号，标题 2号，版记 4号）", "改为说明中要求的字号"),
    (
        "punct-font",
        WARNING,
        "引号、破折号或省略号所在的文字未设置中文字体提示（eastAsia），在 Word 中会显示为西文字体",
        "为这些标点设置中文字体",
    ),
    ("title-align", ERROR, "公文标题没有居中", "标题居中排布"),
    (
        "no-title",
        ERROR,
        "找不到公文标题（2号小标宋体字，居中）",
        "加上标题，或为标题段落使用 2号小标宋体字",
    ),
    (
        "template-tag",
        ERROR,
        "文中留有未替换的模板标记",
        "检查模板中该处的标记是否完整（是否被 Word 拆开或少了括号）",
    ),
    (
        "date-format",
        ERROR,
        "日期写法不符：成文日期用阿拉伯数字写年月日，月日不补零，如 2026年8月1日",
        "按说明改写日期",
    ),
    (
        "doc-number",
        ERROR,
        "发文字号写法不符，应如 X党组发〔2026〕3号",
        "年份用六角括号〔〕，序号不编虚位（不补零）、不加“第”",
    ),
    ("page-number-missing", ERROR, "缺少页码", "在页脚加入“— 1 —”形式的页码"),
    (
        "page-number-odd-even",
        ERROR,
        "页码未设置奇偶页不同",
        "设置奇偶页不同：单页码居右、双页码居左，各空一字",
    ),
    ("page-number-format", ERROR, "页码不是“— 1 —”的形式", "页码两边各加一字线"),
    ("page-number-position", ERROR, "页码位置不符", "单页码居右、双页码居左，各空一字"),
    ("page-number-font", ERROR, "页码字体不是宋体", "页码改用 4号半角宋体阿拉伯数字"),
    ("page-number-size", ERROR, "页码字号不是 4号", "页码改用 4号半角宋体阿拉伯数字"),
    (
        "footer-distance",
        ERROR,
        "页脚距离使页码的一字线不在版心下边缘下 7 毫米处",
        "调整页面设置中的页脚距离（下边距 35 毫米时约 25.5 毫米，允许误差 ±1 毫米）",
    ),
    (
        "adjacent-tables",
        ERROR,
        "两个表格之间没有段落，Word 会把它们合成一个表格",
        "在两表之间加一个段落，如表题或说明文字",
    ),
    # -- found on the printed page (docgen check --render)
    (
        "signature-alone",
        ERROR,
        "排版后有一页只有发文机关署名和成文日期，没有正文（7.3.5.5）",
        "调整行距、字距或删减文字，使署名和日期与正文同处一页",
    ),
    ("blank-page", ERROR, "排版后有空白页", "删去多余的分页符、分节符或空段落"),
    (
        "page-grid",
        ERROR,
        "排版后正文页不是每页 22 行、每行 28 字（5.2.3）",
        "行距设为固定值 28.95 磅，字符间距紧缩 0.25 磅；检查是否有多余的段前段后距",
    ),
    (
        "colophon-not-last",
        ERROR,
        "版记（抄送、印发机关和印发日期）不在最后一页（7.4）",
        "版记之后不应再有内容；附件应排在版记之前",
    ),
    (
        "stretched-line",
        WARNING,
        "排版后有一行的字距被明显拉开",
        "去掉段落中间的换行符（改为分段），或使编号等不能断开的内容可以整体移到下一行",
    ),
    (
        "split-id",
        WARNING,
        "排版后举措编号等在连字符处断开，分在两行（如“YA-”与“031”）",
        "编号中使用不间断连字符，使编号整体换行",
    ),
    (
        "render-failed",
        ERROR,
        "LibreOffice 未能把文件转换为 PDF，无法检查排版效果",
        "在 Word 或 WPS 中打开该文件检查是否损坏；确认 LibreOffice 能正常运行",
    ),
)

CATALOGUE: dict[str, IssueType] = {**INPUT_ISSUES, **DOCUMENT_ISSUES}


@dataclass(frozen=True)
class Issue:
    """One problem, located as its reader would look for it.

    In an input sheet: the file, the sheet, the Excel row, the column (`column` is the canonical
    name, `header` the header text as written, `letter` the column's letter) and the value. In a
    Word document: the file, the part (正文, 页眉, 页脚), the paragraph (1-based, table cells
    included) and an excerpt of its text. `column_label` and location() are for display.
    """

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""
    letter: str = ""
    value: str = ""
    part: str = ""
    paragraph: int | None = None
    excerpt: str = ""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"issue code {self.code!r} is not in docgen.issues.CATALOGUE")
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"severity {self.severity!r} is neither error nor warning")

    @classmethod
    def of(cls, code: str, message: str, **where) -> "Issue":
        """An Issue with the severity the catalogue gives its code (__post_init__ refuses a
        code the catalogue does not have)."""
        kind = CATALOGUE.get(code)
        return cls(code, kind.severity if kind else ERROR, message, **where)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def column_label(self) -> str:
        """B列“类别”: the letter and the header as the file has them; “专项”列 where the column
        is not in the file."""
        if self.letter:
            return f"{self.letter}列“{self.header or self.column}”"
        return f"“{self.column}”列" if self.column else ""

    def location(self) -> str:
        if self.part or self.paragraph is not None:
            where = self.part or "正文"
            if self.paragraph is not None:
                where += f"第{self.paragraph}段"
            if self.excerpt:
                where += f"“{self.excerpt}”"
            return where
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column_label:
            parts.append(self.column_label)
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "column_label": self.column_label}


@dataclass
class Report:
    """Every problem one check found, in the order found; `files` names what was checked."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(issue.is_error for issue in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "files": list(self.files),
            "issues": [issue.to_dict() for issue in self.issues],
        }
