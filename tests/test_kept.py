"""Compiled templates kept between runs (rendering.kept): a second process takes the code and the
variables from the user's cache, fills the same documents, and anything wrong with the cache only
costs a compilation."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from docx import Document
from jinja2 import TemplateSyntaxError

import docgen.rendering.kept as kept
from docgen.rendering.environment import ENVIRONMENT

SOURCE = "<w:t>{{ name }} {% for x in items %}{{ x }}、{% endfor %}</w:t>"


@pytest.fixture
def sample_template(tmp_path) -> Path:
    """A small Word template with two plain variables, one of them in a table."""
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "{{ body }}"
    path = tmp_path / "template.docx"
    document.save(path)
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder for this test, and the count of compilations from now on."""
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    kept._folder.cache_clear()
    compiled = []
    original = type(ENVIRONMENT).compile

    def counted(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(type(ENVIRONMENT), "compile", counted)
    yield tmp_path / "cache", compiled
    kept._folder.cache_clear()


def test_the_second_compilation_is_taken_from_the_cache_and_fills_the_same(cache):
    folder, compiled = cache
    first = kept.compiled(ENVIRONMENT, SOURCE, "strict")
    second = kept.compiled(ENVIRONMENT, SOURCE, "strict")
    assert len(compiled) == 1
    assert len(list((folder / "templates").iterdir())) == 1
    context = {"name": "A&B", "items": ["甲", "乙"]}
    assert first.render(context) == second.render(context) == "<w:t>A&amp;B 甲、乙、</w:t>"


def test_another_text_or_environment_compiles_afresh(cache):
    folder, compiled = cache
    kept.compiled(ENVIRONMENT, SOURCE, "strict")
    kept.compiled(ENVIRONMENT, SOURCE + " ", "strict")
    kept.compiled(ENVIRONMENT.overlay(), SOURCE, "plain")
    assert len(compiled) == 3
    assert len(list((folder / "templates").iterdir())) == 3


def test_a_broken_cache_file_only_costs_a_compilation(cache):
    folder, compiled = cache
    kept.compiled(ENVIRONMENT, SOURCE, "strict")
    (entry,) = (folder / "templates").iterdir()
    entry.write_bytes(b"not jinja bytecode")
    template = kept.compiled(ENVIRONMENT, SOURCE, "strict")
    assert len(compiled) == 2
    assert template.render(name="x", items=[]) == "<w:t>x </w:t>"


def test_an_entry_cut_short_anywhere_only_costs_a_compilation(cache):
    """Entries are written without fsync: after a power cut one may end anywhere."""
    folder, compiled = cache
    kept.compiled(ENVIRONMENT, SOURCE, "strict")
    (entry,) = (folder / "templates").iterdir()
    whole = entry.read_bytes()
    for cut in range(0, len(whole), 7):
        entry.write_bytes(whole[:cut])
        template = kept.compiled(ENVIRONMENT, SOURCE, "strict")
        assert template.render(name="z", items=[2]) == "<w:t>z 2、</w:t>"
    assert entry.read_bytes() == whole  # written again whole
    assert len(compiled) > len(whole) // 7


def test_a_syntax_error_is_raised_and_nothing_is_kept(cache):
    folder, compiled = cache
    with pytest.raises(TemplateSyntaxError):
        kept.compiled(ENVIRONMENT, "{% for x in %}", "strict")
    assert list((folder / "templates").iterdir()) == []


def test_an_empty_setting_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    kept._folder.cache_clear()
    try:
        assert kept.cache_folder() is None
        kept.compiled(ENVIRONMENT, SOURCE, "strict")
        assert kept.variables(b"x", lambda: frozenset({"a"})) == {"a"}
        assert list(tmp_path.iterdir()) == []
    finally:
        kept._folder.cache_clear()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG folders are Linux's")
def test_the_default_folder_is_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert kept.cache_folder() == tmp_path / "xdg" / "docgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert kept.cache_folder() == tmp_path / "home" / ".cache" / "docgen"


def test_a_folder_that_cannot_be_made_only_costs_the_compilation(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocker / "cache"))
    kept._folder.cache_clear()
    try:
        template = kept.compiled(ENVIRONMENT, SOURCE, "strict")
        assert template.render(name="y", items=[1]) == "<w:t>y 1、</w:t>"
        assert kept.variables(b"x", lambda: frozenset({"a"})) == {"a"}
    finally:
        kept._folder.cache_clear()


def test_variables_are_found_once_and_found_again_when_the_entry_is_broken(cache):
    folder, _ = cache
    found = []

    def find():
        found.append(1)
        return frozenset({"b", "a"})

    assert kept.variables(b"template", find) == {"a", "b"}
    assert kept.variables(b"template", find) == {"a", "b"}
    assert len(found) == 1
    assert kept.variables(b"another", find) == {"a", "b"}
    assert len(found) == 2
    for entry in (folder / "variables").iterdir():
        entry.write_text('{"not": "a list"}', encoding="utf-8")
    assert kept.variables(b"template", find) == {"a", "b"}
    assert len(found) == 3


def test_the_oldest_entries_go_beyond_the_limit(cache, monkeypatch):
    folder, _ = cache
    monkeypatch.setattr(kept, "MAX_ENTRIES", 3)
    for number in range(5):
        kept.variables(str(number).encode(), lambda: frozenset({"a"}))
        entry = max((folder / "variables").iterdir(), key=lambda p: p.stat().st_mtime_ns)
        os.utime(entry, ns=(number * 10**9, number * 10**9))
    assert len(list((folder / "variables").iterdir())) == 3


def test_a_template_is_compiled_in_one_process_and_taken_in_the_next(tmp_path, sample_template):
    """Two processes prepare the same template: the second compiles no part of it, finds its
    variables without parsing it, and writes the same bytes."""
    script = textwrap.dedent(
        """
        import datetime as dt, sys
        from pathlib import Path
        from jinja2 import Environment
        compiled, parsed = [], []
        compile, parse = Environment.compile, Environment.parse
        def counted(self, source, *args, **kwargs):
            compiled.append(1)
            return compile(self, source, *args, **kwargs)
        def counted_parse(self, source, *args, **kwargs):
            parsed.append(1)
            return parse(self, source, *args, **kwargs)
        Environment.compile, Environment.parse = counted, counted_parse
        from docgen.rendering.prepared import prepare
        from docgen.rendering.strict import template_variables
        template, out = Path(sys.argv[1]), Path(sys.argv[2])
        names = sorted(template_variables(template))
        context = {name: "值" for name in names}
        prepare(template).write(context, out, dt.datetime(2026, 11, 26))
        print(len(compiled), len(parsed), len(names))
        """
    )
    environment = {**os.environ, "DOCGEN_CACHE_DIR": str(tmp_path / "cache")}
    runs = []
    for number in (1, 2):
        out = tmp_path / f"{number}.docx"
        done = subprocess.run(
            [sys.executable, "-c", script, str(sample_template), str(out)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append((done.stdout.split(), out.read_bytes()))
    (first_compiled, first_parsed, first_names), first_bytes = runs[0]
    (second_compiled, second_parsed, second_names), second_bytes = runs[1]
    assert int(first_compiled) > 0 and int(first_parsed) > 0
    assert (second_compiled, second_parsed) == ("0", "0")
    assert first_names == second_names and int(first_names) > 0
    assert first_bytes == second_bytes
