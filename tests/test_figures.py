"""One count, one name (documents.md §9 rule 11): every count a document states in prose under a
status label is the aggregation's quantity of that name for the document's scope — the whole
campaign for the bureau's documents, the department's own assignments for its report and its
urging notice — unless the same sentence names another scope (a stream, an aspect, an inspection
problem, a department, assignments) or a qualifier (除…外, 另有, 且未到…). And no measure is named
twice in the text of any document (rule 12). Read from every Word document of a build of the sample.
"""

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import NOW, sample_copy

from docgen.build import build, load_campaign
from docgen.model import ASPECTS, NOT_STARTED, STREAMS
from docgen.workspace import open_workspace

SAMPLE = sample_copy()
AS_OF = dt.date(2026, 11, 26)

# Label patterns in prose -> the aggregation's quantity. Order matters: the combined label first.
LABELS = (
    (r"逾期和尚未启动的(\d+)项", "late"),
    (r"已完成(\d+)项", "done"),
    (r"推进中(?:的)?(\d+)项", "doing"),
    (r"未启动(\d+)项", "not_started"),
    (r"(\d+)项举措尚未启动", "not_started"),
    (r"(?<!和)尚未启动的(\d+)项", "not_started"),
    (r"长期坚持(?:的)?(\d+)项", "standing"),
    (r"未反馈(\d+)项", "unreported"),
    (r"未填报(\d+)项", "unreported"),
    (r"(\d+)项举措尚无任何部门反馈进展", "unreported"),
    (r"(\d+)项举措没有任何承担部门反馈进展", "unreported"),
    (r"(\d+)项举措超过完成时限", "overdue"),
    (r"超过完成时限的(\d+)项", "overdue"),
    (r"逾期未完成(\d+)项", "overdue"),
    (r"仍未完成的举措有(\d+)项", "overdue"),
    (r"逾期未完成的举措有(\d+)项", "overdue"),
)
# A sentence that counts something else says so.
QUALIFIERS = ("除", "另有", "且未到", "以外", "任务", "问题", "整改措施", "方面", "较上期", "本期")
SCOPES = (*STREAMS, *ASPECTS)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample built as of 2026-11-26: its Word documents and its summary."""
    root = tmp_path_factory.mktemp("figures")
    workspace = open_workspace(SAMPLE, AS_OF, AS_OF)
    result = build(workspace, root / "out", NOW)
    summary = load_campaign(workspace).summary
    documents = [p for p in result.outputs if p.suffix == ".docx" and "反馈表" not in p.parts]
    assert documents
    return documents, summary


def quantities(counts, measures=None) -> dict[str, int]:
    found = {
        key: getattr(counts, key)
        for key in ("done", "doing", "not_started", "standing", "unreported", "overdue")
    }
    if measures is not None:
        late = [m for m in measures if m.overdue or m.status == NOT_STARTED]
        found["late"] = len(late)
    return found


def scope_of(path: Path, summary) -> tuple[str, dict[str, int]]:
    """The scope a document's unqualified counts are of: a department's own, or the whole."""
    department = path.stem.partition("_")[2]
    if department and path.parent.name in ("部门自查报告", "催办通知"):
        progress = next(d for d in summary.departments if d.name == department)
        return department, quantities(progress.counts)
    return "", quantities(summary.counts, summary.measures)


def sentences(path: Path) -> list[str]:
    """Body sentences, each with the short lead-in of its paragraph (（一）警示教育方面。)."""
    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        parts = [s for s in re.split(r"(?<=。)", paragraph.text) if s]
        if not parts:
            continue
        lead = parts[0] if len(parts[0]) <= 14 else ""
        found.extend(lead + part for part in parts)
    return found


def counted(sentence: str) -> list[tuple[str, int]]:
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, key in LABELS:
        for match in re.finditer(pattern, sentence):
            span = match.span(1)
            if any(a <= span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append((key, int(match.group(1))))
    return found


def unqualified(sentence: str, departments: set[str], own: str) -> bool:
    if any(word in sentence for word in (*QUALIFIERS, *SCOPES)):
        return False
    return not any(name in sentence for name in departments if name != own)


def test_every_count_in_prose_is_the_named_quantity(sample):
    documents, summary = sample
    departments = {d.name for d in summary.departments}
    checked, wrong = 0, []
    for path in documents:
        own, expected = scope_of(path, summary)
        for sentence in sentences(path):
            if not unqualified(sentence, departments, own):
                continue
            for key, number in counted(sentence):
                checked += 1
                if number != expected[key]:
                    wrong.append(f"{path.name}: {key} {number} ≠ {expected[key]}: {sentence}")
    assert wrong == []
    # The check reads the headline of every kind: it cannot pass by finding nothing.
    assert checked >= 3 * len(documents) // 2, checked


def test_a_contradicting_count_is_found():
    sentence = "除上述逾期举措外，另有2项举措尚未启动。"
    assert counted(sentence) == [("not_started", 2)]
    assert not unqualified(sentence, set(), "")
    assert unqualified("2项举措尚未启动。", set(), "")
    assert counted("对逾期和尚未启动的12项举措，限期完成。") == [("late", 12)]


def test_no_measure_is_named_twice_in_the_text_of_any_document(sample):
    """The paragraphs of every document (its tables list measures by design): each measure
    named at most once."""
    documents, summary = sample
    ids = [m.id for m in summary.measures]
    pattern = re.compile("|".join(sorted(map(re.escape, ids), key=len, reverse=True)))
    named_somewhere = 0
    for path in documents:
        text = [p.text for p in docx.Document(str(path)).paragraphs]
        # Longest ids first in the pattern, so that JS-1 is not found inside JS-13.
        named = Counter(match for line in text for match in pattern.findall(line))
        named_somewhere += bool(named)
        twice = {i: n for i, n in named.items() if n > 1}
        assert twice == {}, f"{path.name}: {twice}"
    # The bureau's report, the summary, the brief and the department reports name measures.
    reports = sum(path.parent.name == "部门自查报告" for path in documents)
    assert reports and named_somewhere > reports
