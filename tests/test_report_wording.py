"""The self-check reports read as a reviewer reads them, on the sample and on the 160-measure
campaign of tests/campaigns.py, in both forms (issue 13, items 4 and 5): the sentence that
carries an item's state names it rightly (a completion is reported, not verified; an item not
started is never told to 巩固成果; a unit that sent nothing 未报送进展); difficulties list open
items only; the 巡察整改 part is nested 方面 → 问题 → 措施 without a doubled 问题; no sentence frame
repeats more than a handful of times; no placeholder reaches a document."""

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import docx
import pytest
from campaigns import AS_OF as LARGE_AS_OF
from campaigns import write_large_campaign
from conftest import NOW
from reading import ID, most_repeated, written

from docgen.build import build, load_campaign
from docgen.documents.base import FULL
from docgen.model import DONE, NOT_STARTED, UNREPORTED
from docgen.workspace import open_workspace

SAMPLE = Path(__file__).resolve().parent.parent / "inputs"
SAMPLE_AS_OF = dt.date(2026, 11, 26)
# The most any normalised sentence frame may repeat in one report.
MOST_REPEATS = 5
PLACEHOLDERS = ("XX", "（主送机关）", "None", "nan", "NaT", "{{", "{%", "上级关于")
# What the reports themselves never say of a completion nobody has checked (a department's own
# words, quoted, may say what it likes).
VERIFIED = ("已完成整改", "该问题已完成")


@pytest.fixture(scope="module", params=["sample", "large"])
def built(request, tmp_path_factory):
    """Both forms of every self-check report of a build, with the campaign's summary."""
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "sample":
        inputs = root / "inputs"
        shutil.copytree(SAMPLE, inputs)  # never write into inputs/
        as_of = SAMPLE_AS_OF
    else:
        inputs, as_of = write_large_campaign(root / "inputs"), LARGE_AS_OF
    with (inputs / "docgen.toml").open("a", encoding="utf-8") as toml:
        toml.write("")
    workspace = open_workspace(inputs, as_of, as_of)
    summary = load_campaign(workspace).summary
    reports = {}
    for detail in ("concise", FULL):
        result = build(workspace, root / detail, NOW, detail=detail)
        reports[detail] = [
            p
            for p in result.outputs
            if p.suffix == ".docx"
            and (p.name == "自查报告.docx" or p.parent.name == "部门自查报告")
        ]
        assert any(p.name == "自查报告.docx" for p in reports[detail])
    return summary, reports


def paragraphs(path: Path, headings: bool = True) -> list[str]:
    """Body paragraphs up to 特此报告 (the attachments are tables)."""
    found = []
    for p in docx.Document(str(path)).paragraphs:
        if p.text.strip() == "特此报告。":
            break
        if not headings and "Heading" in p.style.style_id:
            continue
        if p.text.strip():
            found.append(p.text)
    return found


def sentences(path: Path) -> list[str]:
    return [s for text in paragraphs(path) for s in re.split(r"(?<=。)", text) if s.strip()]


def every_report(built):
    summary, reports = built
    for paths in reports.values():
        yield from paths


def test_the_most_frequent_sentence_frame_is_used_a_handful_of_times(built):
    summary, _ = built
    names = sorted((d.name for d in summary.departments), key=len, reverse=True)
    quoted = written(summary)
    for path in every_report(built):
        most = most_repeated(paragraphs(path, headings=False), names, quoted)
        assert most[1] <= MOST_REPEATS, (path.name, most)


def test_no_placeholder_and_no_verified_completion(built):
    for path in every_report(built):
        for text in paragraphs(path):
            for bad in (*PLACEHOLDERS, *VERIFIED):
                assert bad not in text, (path.name, bad, text)


def test_the_inspection_part_is_nested_without_a_doubled_word(built):
    summary, reports = built
    for path in reports["concise"] + reports[FULL]:
        document = docx.Document(str(path))
        levels = [(p.style.style_id, p.text) for p in document.paragraphs if p.text.strip()]
        problems = [
            text
            for style, text in levels
            if text[:4].rstrip(".0123456789") == "" and "关于“" in text
        ]
        if not problems:
            continue
        for title in problems:
            assert "问题”问题" not in title and "问题问题" not in title, title
            assert re.match(r"^\d+\.关于“.+”(?:问题)?的整改$", title), title
        # 方面 headings in the level above the problems.
        aspects = [
            text for style, text in levels if style == "GwHeading2" and text.endswith("方面")
        ]
        assert aspects, path.name
        quoted = Counter(re.search("“(.+)”", t).group(1) for t in problems)
        assert max(quoted.values()) == 1, quoted


def _state_sentences(path: Path, measure_id: str) -> list[str]:
    return [s for s in sentences(path) if measure_id in s]


def test_each_state_is_named_rightly(built):
    """Where a sentence names one measure, what it says of it fits the measure's status."""
    summary, reports = built
    measures = {m.id: m for m in summary.measures}
    checked = Counter()
    [party] = [p for p in reports[FULL] if p.name == "自查报告.docx"]
    for text in paragraphs(party):
        found = ID.findall(text)
        if len(set(found)) != 1:
            continue
        m = measures[found[0]]
        if m.status == DONE and "完成" in text and m.stream == "巡察整改":
            assert "据报" in text or "报告完成" in text, text
            checked["done"] += 1
        if m.status == NOT_STARTED or (m.status != DONE and m.overdue):
            assert "巩固" not in text, text
            checked["late"] += 1
        if m.status == UNREPORTED:
            assert "报送进展" in text or "尚无任何部门反馈进展" in text, text
            assert "反馈中未说明" not in text, text
            checked["unreported"] += 1
    assert checked["done"] and checked["late"], checked
    for text in paragraphs(party):
        assert "尚未反馈进展" not in text, text


def test_the_basis_of_completions_is_said_once(built):
    for path in every_report(built):
        text = "".join(paragraphs(path))
        assert text.count("尚待督导抽查核实") <= 1, path.name


def test_difficulties_name_open_items_only(built):
    summary, reports = built
    done = {m.id for m in summary.measures if m.status == DONE}
    for path in every_report(built):
        lines = paragraphs(path)
        start = next(
            (i for i, t in enumerate(lines) if "反映的困难和问题" in t or "遇到的困难" in t), None
        )
        if start is None:
            continue
        for text in lines[start:]:
            if "下一步打算" in text:
                break
            assert not (set(ID.findall(text)) & done), text
    # A department names none of its own finished items among its difficulties.
    for path in reports[FULL]:
        if path.parent.name != "部门自查报告":
            continue
        department = path.stem.partition("_")[2]
        own_done = {
            m.id
            for m in summary.measures
            for a in m.assignments
            if a.department == department and a.status == DONE
        }
        lines = paragraphs(path)
        start = next((i for i, t in enumerate(lines) if "工作中遇到的困难" in t), None)
        if start is None:
            continue
        for text in lines[start:]:
            if "下一步打算" in text:
                break
            assert not (set(ID.findall(text)) & own_done), text


def test_praise_only_where_the_figures_carry_it(built):
    summary, reports = built
    for path in reports["concise"]:
        if path.parent.name != "部门自查报告":
            continue
        department = path.stem.partition("_")[2]
        own = [
            (m, a)
            for m in summary.measures
            for a in m.assignments
            if a.department == department and m.stream == "巡察整改"
        ]
        text = "".join(paragraphs(path))
        if "扎实推进巡察整改" in text:
            done = sum(a.status == DONE for _, a in own)
            late = sum(a.status != DONE and m.overdue for m, a in own)
            assert done == len(own) or (done * 5 >= len(own) * 4 and not late), path.name


def test_late_items_get_their_own_next_step(built):
    """Part four of the party report: an item not started and overdue is asked to start and
    plan, never to 巩固成果; the dates are the catch-up, the report-by or a department's own."""
    summary, reports = built
    [party] = [p for p in reports[FULL] if p.name == "自查报告.docx"]
    lines = paragraphs(party)
    plan = lines[next(i for i, t in enumerate(lines) if t.endswith("下一步打算")) :]
    measures = {m.id: m for m in summary.measures}
    for text in plan:
        ids = ID.findall(text)
        if len(ids) != 1:
            continue
        m = measures[ids[0]]
        if m.status == NOT_STARTED and m.overdue:
            assert "启动" in text and "巩固" not in text, text
        if m.status == UNREPORTED:
            assert "报送进展" in text, text


def test_the_notice_is_cited_when_set(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs)
    toml = (inputs / "docgen.toml").read_text(encoding="utf-8")
    toml = toml.replace(
        "[campaign]\n", '[campaign]\nnotice = "关于开展2026年度以案促改工作自查的通知"\n', 1
    )
    (inputs / "docgen.toml").write_text(toml, encoding="utf-8")
    workspace = open_workspace(inputs, SAMPLE_AS_OF, SAMPLE_AS_OF)
    result = build(workspace, tmp_path / "out", NOW)
    [party] = [p for p in result.outputs if p.name == "自查报告.docx"]
    opening = paragraphs(party)[2]
    assert opening.startswith("按照《关于开展2026年度以案促改工作自查的通知》要求，局党组"), opening
