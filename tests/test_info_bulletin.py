"""工作动态 and 信息专报 (issue 16): numbered per year in the history (the same number on a rerun of
the same date), items never repeated across issues, never overdue or refuted, spread across
streams and departments, within the length limits, every figure taken from the return it came
from; a 信息专报 on one measure; nothing written when nothing is worth reporting."""

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import copy_sample, make_workspace

from docgen.build import load_campaign, make_job
from docgen.cli import main
from docgen.documents.info_bulletin import write_info, write_special
from docgen.documents.info_bulletin.context import (
    ISSUE_LIMIT,
    ITEM_LIMIT,
    SPECIAL_LIMIT,
    Candidate,
    candidates,
    choose,
    item,
)
from docgen.workspace import open_workspace

AS_OF = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9)
ID = re.compile(r"(?:JS|YA|XC)-\d+")


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "inputs"
    copy_sample(folder)
    return folder


def job_for(workspace: Path, out: Path, as_of: dt.date = AS_OF):
    campaign = load_campaign(open_workspace(workspace, as_of, as_of))
    return make_job(campaign, out, dt.datetime.combine(as_of, dt.time(9)))


def items_of(path: Path) -> dict[str, list[str]]:
    """Each item of a written issue by its title: its lead and paragraphs."""
    paragraphs = [p for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    found: dict[str, list[str]] = {}
    current = None
    for p in paragraphs:
        if "Heading" in p.style.style_id and p.text != "本期要目":
            current = p.text
            found[current] = []
        elif current is not None and not p.text.startswith(("（共印", "报：", "送：", "发：")):
            found[current].append(p.text)
    return found


def test_issues_are_numbered_and_never_repeat_an_item(workspace, tmp_path):
    [first] = write_info(job_for(workspace, tmp_path / "a"))
    assert first.name == "工作动态（第1期）.docx"
    again = write_info(job_for(workspace, tmp_path / "b"))
    assert [p.name for p in again] == ["工作动态（第1期）.docx"]  # a rerun corrects the issue
    assert items_of(again[0]).keys() == items_of(first).keys()
    [second] = write_info(job_for(workspace, tmp_path / "c", AS_OF + dt.timedelta(days=14)))
    assert second.name == "工作动态（第2期）.docx"
    ids = lambda path: {  # noqa: E731
        (ID.search(" ".join(lines)).group(), title.split("：")[0])
        for title, lines in items_of(path).items()
    }
    assert ids(first) and ids(second) and not ids(first) & ids(second)


def test_items_are_spread_and_never_overdue_or_refuted(workspace):
    summary = load_campaign(open_workspace(workspace, AS_OF, AS_OF)).summary
    found = candidates(summary, set())
    assert all(not c.measure.overdue and not c.measure.refuted for c in found)
    assert all(
        c.claim.status == "已完成" and (c.claim.highlight or c.claim.evidence) for c in found
    )
    chosen = choose(found, 5)
    departments = [c.claim.department for c in chosen]
    assert len(set(departments)) == len(departments)
    streams = {c.measure.stream for c in found}
    assert {c.measure.stream for c in chosen} == streams
    # An overdue measure is never a highlight, even with evidence.
    late = next(m for m in summary.measures if m.overdue)
    done = replace(late.assignments[0], status="已完成", evidence="照片")
    late = replace(late, assignments=(done,))
    mixed = replace(summary, measures=(late, *summary.measures))
    assert late.id not in {c.measure.id for c in candidates(mixed, set())}


def test_lengths_and_only_the_departments_words(workspace):
    summary = load_campaign(open_workspace(workspace, AS_OF, AS_OF)).summary
    candidate = candidates(summary, set())[0]
    long_text = "；".join(f"第{n}批次完成检查{n * 7}家机构" for n in range(1, 120))
    claim = replace(candidate.claim, highlight=long_text, progress=long_text)
    built = item(Candidate(candidate.measure, claim))
    assert built["chars"] <= ITEM_LIMIT
    body = "".join(built["paragraphs"])
    assert body.startswith("主要做法：第1批次完成检查7家机构")
    # Cut at a clause of the department's text, never mid-clause.
    kept = body.removeprefix("主要做法：").split("。")[0]
    assert kept in long_text and long_text.startswith(kept)
    special = item(Candidate(candidate.measure, claim), SPECIAL_LIMIT)
    assert ITEM_LIMIT < special["chars"] <= SPECIAL_LIMIT


def test_every_figure_comes_from_the_return(workspace, tmp_path):
    job = job_for(workspace, tmp_path / "out")
    [path] = write_info(job)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert len(text) <= ISSUE_LIMIT + 200  # the 报头 and 报尾 besides the items
    claims = {(m.id, a.department): (m, a) for m in job.summary.measures for a in m.assignments}
    for title, lines in items_of(path).items():
        measure_id = ID.search(" ".join(lines)).group()
        m, a = claims[(measure_id, title.split("：")[0])]
        assert len(title) + sum(len(line) for line in lines) <= ITEM_LIMIT
        sources = " ".join(
            [m.text, m.id, a.progress, a.highlight, a.evidence, a.completed_on.isoformat()]
        )
        allowed = set(re.findall(r"\d+", sources)) | {
            str(a.completed_on.month),
            str(a.completed_on.day),
        }
        for figure in re.findall(r"\d+", title + " ".join(lines)):
            assert figure in allowed, (title, figure)


def test_a_special_report_on_one_measure(workspace, tmp_path):
    job = job_for(workspace, tmp_path / "out")
    measure_id = candidates(job.summary, set())[0].measure.id
    [path] = write_special(job, measure_id)
    assert path.name == "信息专报（第1期）.docx"
    text = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    assert text[0] == "信息专报"
    assert any(measure_id in t for t in text)
    assert sum(len(t) for t in text) <= SPECIAL_LIMIT + 100
    runner = CliRunner()
    args = ["report", "info", "--inputs", str(workspace), "--as-of", "2026-11-26"]
    refused = runner.invoke(main, [*args, "--out", str(tmp_path / "x"), "--item", "ZZ-999"])
    assert refused.exit_code == 1 and "没有编号 ZZ-999" in refused.output
    late = next(m for m in job.summary.measures if m.overdue)
    refused = runner.invoke(main, [*args, "--out", str(tmp_path / "x"), "--item", late.id])
    assert refused.exit_code == 1 and "Traceback" not in refused.output


def test_nothing_worth_reporting_writes_nothing(tmp_path):
    # The small campaign early in the year: one completion with evidence, too few for an issue.
    workspace = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(
        main,
        [
            "report",
            "info",
            "--inputs",
            str(workspace),
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-04-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "没有值得报道的内容" in result.output
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_the_build_writes_an_issue_when_there_is_something_to_report(workspace, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--inputs",
            str(workspace),
            "--out",
            str(tmp_path / "out"),
            "--as-of",
            "2026-11-26",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "2026-11-26" / "工作动态（第1期）.docx").exists()


def test_the_closing_block_never_stands_alone_on_the_last_page(tmp_path):
    """On the 160-measure campaign the items end near a page's foot: the last item goes to the
    next page with the 报/送/发 block rather than leave the block alone there (rendered)."""
    import pdfplumber
    from campaigns import AS_OF as LARGE_AS_OF
    from campaigns import write_large_campaign

    from docgen.pdf import convert_to_pdf

    workspace = write_large_campaign(tmp_path / "ws")
    [path] = write_info(job_for(workspace, tmp_path / "out", LARGE_AS_OF))
    converted = convert_to_pdf([path])
    assert not converted.failed, converted.failed
    with pdfplumber.open(converted.written[0]) as pdf:
        last = pdf.pages[-1].extract_text() or ""
    assert "报：" in last
    assert "佐证材料：" in last or "工作进展：" in last or "主要做法：" in last, last
