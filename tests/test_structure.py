"""The shape of the code: each kind of document registered once, every template it names shipped and
nothing else shipped, and no docgen module imported inside a function (the layers themselves are
checked by `lint-imports`, [tool.importlinter] in pyproject.toml)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import docgen
import docgen.documents
from docgen.config import DOCUMENT_KINDS
from docgen.documents.base import DocumentKind
from docgen.documents.registry import DOCUMENTS, documents_for, templates
from docgen.rendering import packaged_templates_dir

PACKAGE = Path(docgen.__file__).resolve().parent


def late_docgen_imports(source: str) -> list[str]:
    """`from docgen… import` / `import docgen…` statements inside a function or a class."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for inner in ast.walk(node):
            names = []
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            if any(name == "docgen" or name.startswith("docgen.") for name in names):
                found.append(f"line {inner.lineno}: {ast.unparse(inner)}")
    return found


def test_no_module_but_the_command_line_imports_docgen_inside_a_function():
    late = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "cli.py" and path.parent == PACKAGE:
            continue  # commands import the library when they run: `docgen --help` stays quick
        found = late_docgen_imports(path.read_text(encoding="utf-8"))
        if found:
            late[path.relative_to(PACKAGE).as_posix()] = found
    assert late == {}


def test_a_late_import_is_found():
    source = "import docgen\n\ndef f():\n    from docgen.cn import date_cn\n    import json\n"
    assert late_docgen_imports(source) == ["line 4: from docgen.cn import date_cn"]


def test_every_document_package_is_registered_once():
    declared = []
    for module in pkgutil.iter_modules(docgen.documents.__path__, "docgen.documents."):
        kind = getattr(importlib.import_module(module.name), "DOCUMENT", None)
        if isinstance(kind, DocumentKind):
            declared.append(kind)
    assert sorted(declared, key=id) == sorted(DOCUMENTS, key=id)
    assert len(set(map(id, DOCUMENTS))) == len(DOCUMENTS)


def test_every_kind_is_one_a_schedule_can_name_and_every_name_has_a_kind():
    assert {kind.key for kind in DOCUMENTS} == set(DOCUMENT_KINDS) - {"build"}
    assert documents_for(["build"]) == tuple(kind for kind in DOCUMENTS if kind.in_build)
    assert [kind.name for kind in documents_for(["self-check"])] == [
        "局党组自查报告",
        "部门自查报告",
    ]


def test_the_templates_shipped_are_those_of_the_registered_documents():
    names = [template.name for kind in DOCUMENTS for template in kind.templates]
    assert len(names) == len(set(names))
    shipped = sorted(path.name for path in packaged_templates_dir().glob("*.docx"))
    assert shipped == sorted(templates())
