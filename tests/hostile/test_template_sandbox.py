"""Workspace templates are untrusted: one that reaches for Python internals, reads files or loops
for ever gets a clear Chinese error naming it (exit 1, nothing written), not access and not a
hang. The packaged templates are filled without the time limit's watcher."""

import threading
import time

import pytest
from hostile_workspaces import AS_OF, make_workspace, one_line, run_cli

from docgen import rendering
from docgen.official.builder import BODY, OfficialDocument
from docgen.rendering import environment, strict
from docgen.rendering.templates import template_bytes

HOURS_OF_LOOPING = (
    "{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)
HOSTILE_TEMPLATES = [
    ("python-internals", "{{ ''.__class__.__mro__ }}", "不允许的操作"),
    ("globals-through-a-helper", "{{ cycler.__init__.__globals__ }}", "不允许的操作"),
    ("template-context", "{{ self._TemplateReference__context }}", "不允许的操作"),
    ("loader-internals", "{{ lipsum.__globals__['os'] }}", "不允许的操作"),
    ("data-internals", "{{ department.__class__.__subclasses__() }}", "不允许的操作"),
    ("include-a-file", "{% include '/etc/passwd' %}", "不能读取其他文件"),
    ("import-a-file", "{% import 'docgen.toml' as settings %}", "不能读取其他文件"),
    ("extends-a-file", "{% extends 'measures.xlsx' %}", "不能读取其他文件"),
    ("memory-in-one-step", "{{ 'x' * 10000000000 }}", "不允许的操作"),
    ("huge-power", "{{ 10 ** 100000000 }}", "不允许的操作"),
    ("hours-of-looping", HOURS_OF_LOOPING, "秒仍未完成"),
    (
        "looping-into-a-variable",
        "{% set x %}" + HOURS_OF_LOOPING + "{% endset %}{{ x }}",
        "秒仍未完成",
    ),
    (
        "endless-output",
        "{% for i in range(100000) %}{% for j in range(100000) %}很长的文字{% endfor %}"
        "{% endfor %}",
        "秒仍未完成|超过",
    ),
]


def _workspace_template(workspace, name: str, text: str):
    document = OfficialDocument()
    document.title("反馈表")
    document.paragraph(BODY, "{{ department }}" + text)
    path = workspace / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def shorten_the_time_limit(monkeypatch, seconds: int = 1) -> None:
    monkeypatch.setattr(environment, "USER_TEMPLATE_SECONDS", seconds)


@pytest.mark.parametrize(
    ("text", "says"),
    [case[1:] for case in HOSTILE_TEMPLATES],
    ids=[c[0] for c in HOSTILE_TEMPLATES],
)
def test_a_hostile_workspace_template_gets_a_clear_error(tmp_path, monkeypatch, text, says):
    shorten_the_time_limit(monkeypatch)
    workspace = make_workspace(tmp_path / "ws")
    _workspace_template(workspace, "feedback_form.docx", text)
    out = tmp_path / "out"
    started = time.perf_counter()
    result = run_cli("build", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    message = one_line(result.stderr)
    assert "模板 feedback_form.docx" in message
    assert any(word in message for word in says.split("|")), message
    assert "root:" not in message and "/bin/" not in message  # nothing of /etc/passwd shown
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*") if p.name[0] != ".")
    assert elapsed < 30
    assert threading.active_count() == 1  # the watcher is gone


def test_the_time_limit_stops_a_template_filled_by_docxtpl_too(tmp_path, monkeypatch):
    shorten_the_time_limit(monkeypatch)
    document = OfficialDocument()
    document.paragraph(BODY, HOURS_OF_LOOPING)
    path = tmp_path / "templates" / "report.docx"
    path.parent.mkdir()
    document.save(path)
    started = time.perf_counter()
    with pytest.raises(rendering.RenderError, match="report.docx.*1 秒仍未完成"):
        rendering.render_document(path, {}, tmp_path / "out.docx")
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "out.docx").exists()


def test_a_workspace_copy_of_a_packaged_template_still_works(tmp_path):
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates").mkdir()
    packaged = rendering.resolve_template("feedback_form.docx")
    (workspace / "templates" / "feedback_form.docx").write_bytes(packaged.read_bytes())
    result = run_cli("forms", "--inputs", workspace, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def test_only_workspace_templates_are_filled_under_the_limit(tmp_path):
    packaged = rendering.resolve_template("feedback_form.docx")
    assert template_bytes(packaged).packaged
    copy = tmp_path / "templates" / "feedback_form.docx"
    copy.parent.mkdir()
    copy.write_bytes(packaged.read_bytes())
    assert not template_bytes(copy).packaged
    assert strict.StrictTemplate(template_bytes(packaged), "x")._limited is False
    assert strict.StrictTemplate(template_bytes(copy), "x")._limited is True


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_the_watcher_never_fires_after_the_call_has_returned():
    # Calls that end right at the limit: stopped or not, no exception may reach the code after.
    stopped = 0
    for _ in range(200):
        try:
            environment.call_with_time_limit(0.001, _busy, 0.001)
        except environment.TimeLimit:
            stopped += 1
        _busy(0.003)  # an exception raised late would land here
    assert stopped <= 200  # how many were stopped depends on the machine; none leaked
    assert threading.active_count() == 1


class _PlainSandbox(environment.SandboxedEnvironment):
    """The sandbox's rules read the slow way: Jinja's own attribute lookup and, at every
    lookup, its safety check and the module check (the reference for the quick reading)."""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        module = type(obj).__module__ or ""
        return (
            super().is_safe_attribute(obj, attr, value)
            and module.partition(".")[0] in environment.TEMPLATE_SAFE_MODULES
        )


def _outcome(env, source: str, context: dict) -> str:
    try:
        return "ok " + env.from_string(source).render(context)
    except Exception as error:  # noqa: BLE001 - the kind of failure is what is compared
        return f"error {type(error).__name__}"


def test_the_quick_attribute_reading_answers_as_jinja_does(tmp_path):
    from docgen.aggregation import Counts
    from docgen.model import Column

    plain = _PlainSandbox(undefined=environment.StrictUndefined, finalize=environment.finalize)
    quick = environment._build_environment()
    totals = Counts(total=3, done=1, overdue=1)
    contexts = {
        "d": {"name": "甲", "items": "键", "get": 5, "_hidden": 1, "__class__": 2, "0": "零"},
        "sub": type("Sub", (dict,), {})(name="乙", keys="键"),
        "totals": totals,
        "path": tmp_path,
        "column": Column("部门", True),
        "text": "文字",
        "rows": [{"name": "丙"}, totals],
    }
    expressions = [
        f"{{{{ {owner}.{attribute} }}}}"
        for owner in ("d", "sub", "totals", "path", "text")
        for attribute in ("name", "items", "keys", "get", "missing", "_hidden", "__class__", "done")
    ] + [
        "{{ d.get('name') }}",
        "{{ d['items'] }}",
        "{{ d.items() | list | length }}",
        "{{ column.name }}",
        "{{ path.name }}",  # the same attribute of another type: the cache is by both
        "{% for row in rows %}{{ row.name if row is mapping else row.total }}{% endfor %}",
        "{{ text.format }}",
        "{{ text.upper() }}",
    ]
    outcomes = []
    for source in expressions * 2:  # the second pass reads from the cache
        expected = _outcome(plain, source, contexts)
        assert _outcome(quick, source, contexts) == expected, source
        outcomes.append(expected)
    # The reference does refuse and fail: the comparison is not between two always-equal answers.
    assert "error SecurityError" in outcomes
    assert "error UndefinedError" in outcomes
    assert "ok 甲" in outcomes and "ok 键" in outcomes
