"""Write docs/issue-codes.md from the catalogue in docgen/issues.py: python scripts/issue_codes.py.

tests/test_issues.py checks that the committed file is what this script writes.
"""

from pathlib import Path

from docgen.issues import CATALOGUE, ERROR

DOCS = Path(__file__).resolve().parent.parent / "docs" / "issue-codes.md"

HEAD = """# 问题代码 / Issue codes

`docgen validate` 检查输入数据、`docgen check` 检查 Word 文档，发现的每个问题都有一个固定的代码。
`--json` 输出中每个问题的字段：`code`（代码）、`severity`（`error` 错误 / `warning` 提示）、`message`
（该处的具体说明和改法）、`file`；表格中的问题另有 `sheet`（工作表）、`row`（Excel 行号）、`column`
（规范列名，如“专项”）、`header`（文件中实际的表头文字，如“类别”）、`letter`（列字母，如 B）、
`column_label`（显示用，如 B列“类别”）、`value`（原值）；Word 文档中的问题另有 `part`（正文、页眉、页脚）、
`paragraph`（第几段，表格中的段落也计入）和 `excerpt`（该段开头的文字）。
顶层字段：`valid`（没有错误时为 true）、`errors`、`warnings`（个数）、`files`（检查了哪些文件）、`issues`。

本文件由 `python scripts/issue_codes.py` 根据 `docgen/issues.py` 中的目录生成，请勿手工修改。

Every problem `docgen validate` finds in the inputs and `docgen check` finds in a Word document has
a stable code, listed below with its severity, what it means and the usual fix. This file is written
by `python scripts/issue_codes.py` from the catalogue in `docgen/issues.py`.
"""

SECTIONS = {
    "inputs": "## 输入数据（docgen validate、docgen build 等）",
    "documents": "## Word 文档（docgen check）",
}


def render() -> str:
    parts = [HEAD]
    for source, heading in SECTIONS.items():
        parts.append(
            f"\n{heading}\n\n| 代码 | 级别 | 含义 | 一般改法 |\n| --- | --- | --- | --- |\n"
        )
        for issue in CATALOGUE.values():
            if issue.source != source:
                continue
            level = "错误" if issue.severity == ERROR else "提示"
            meaning = issue.meaning.replace("|", "\\|")
            fix = issue.fix.replace("|", "\\|")
            parts.append(f"| `{issue.code}` | {level} | {meaning} | {fix} |\n")
    return "".join(parts)


def main() -> int:
    DOCS.write_text(render(), encoding="utf-8")
    print(DOCS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
