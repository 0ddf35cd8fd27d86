"""Prose a drafter would keep, read across every document of a build (issue 13, item 10): on the
sample and on a 160-measure campaign built without docgen.toml, no placeholder reaches a page,
no document goes out in the name of a department that returned nothing or to the office from
itself, and completions are called reported (nothing has been verified)."""

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from campaigns import AS_OF as LARGE_AS_OF
from campaigns import write_large_campaign
from conftest import copy_sample
from reading import ID, most_repeated, written

from docgen import cn
from docgen.build import build, load_campaign, make_job
from docgen.workspace import open_workspace

SAMPLE_AS_OF = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9)

# What a reader must never see: placeholders, raw values, template tags.
PLACEHOLDER = re.compile(r"XX|（主送机关）|\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|_x00")
# Completions as verified, although nothing has been checked yet (the spot-check issue adds it).
VERIFIED = re.compile(r"已完成整改(?!的)|已整改到位|已销号")
# An opening that cites no notice and no one: "按照上级关于…的部署要求".
FILLER = re.compile(r"上级关于.{0,40}部署要求")
# The most any sentence frame may repeat in one document (reading.most_repeated).
MOST_REPEATS = 5


def body(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def everything(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _build(workspace: Path, as_of: dt.date, out: Path):
    result = build(open_workspace(workspace, as_of, as_of), out, NOW)
    campaign = load_campaign(open_workspace(workspace, as_of, as_of))
    documents = sorted(p for p in result.outputs if p.suffix == ".docx")
    return documents, campaign.summary, result, make_job(campaign, out, NOW)


@pytest.fixture(scope="module", params=["sample", "large-without-config"])
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "sample":
        workspace = root / "inputs"
        copy_sample(workspace)
        as_of = SAMPLE_AS_OF
    else:
        workspace = write_large_campaign(root / "ws")
        (workspace / "docgen.toml").unlink()
        as_of = LARGE_AS_OF
    return (request.param, *_build(workspace, as_of, root / "out"))


@pytest.fixture(scope="module")
def job(built):
    return built[-1]


def test_no_placeholder_reaches_a_page(built):
    _, documents, _, _, _ = built
    assert documents
    for path in documents:
        found = PLACEHOLDER.findall(everything(path))
        assert found == [], f"{path.name}: {found}"


def test_no_document_in_a_silent_departments_name_nor_from_the_office_to_itself(built):
    _, documents, summary, _, _ = built
    silent = {d.name for d in summary.departments if d.sent_nothing}
    assert silent
    reports = {
        p.stem.removeprefix("自查报告_") for p in documents if p.parent.name == "部门自查报告"
    }
    assert reports and not reports & silent
    assert "办公室" not in reports
    notices = [p for p in documents if p.parent.name == "催办通知"]
    assert notices
    for path in notices:
        addressee = next(line for line in body(path) if line.endswith("："))
        assert addressee not in ("办公室：", "局办公室："), path.name


def test_without_a_superior_the_reports_to_it_are_left_out_and_said(built):
    name, documents, _, result, _ = built
    names = {p.name for p in documents}
    # No spot-check sheet has come back in either: its report is left out, and said.
    assert "spot-checks" in result.left_out.pop("督导抽查情况报告")
    if name == "sample":
        assert "自查报告.docx" in names and result.left_out == {}
    else:
        assert "自查报告.docx" not in names
        assert set(result.left_out) == {"局党组自查报告", "年终总结"}
        assert all("superior" in reason for reason in result.left_out.values())


# What a 工作动态 quotes of a department's own return, under these labels, may say what it likes.
QUOTED = ("主要做法：", "工作进展：", "佐证材料：")


def test_completions_are_called_reported_not_verified(built):
    _, documents, _, _, _ = built
    for path in documents:
        ours = [text for text in body(path) if not text.startswith(QUOTED)]
        found = VERIFIED.findall("\n".join(ours))
        assert found == [], f"{path.name}: {found}"


def test_no_opening_cites_an_unnamed_superiors_requirement(built):
    _, documents, _, _, _ = built
    for path in documents:
        found = FILLER.findall(everything(path))
        assert found == [], f"{path.name}: {found}"


def test_no_document_says_the_same_thing_the_same_way_more_than_a_handful_of_times(built):
    """Every document's body (forms, tables and headings aside): the most frequent sentence frame, with
    the ids, names, numbers and the departments' own words taken out, at most MOST_REPEATS."""
    _, documents, summary, _, _ = built
    names = sorted((d.name for d in summary.departments), key=len, reverse=True)
    quoted = written(summary)
    checked = 0
    for path in documents:
        if path.parent.name == "反馈表":
            continue
        prose = [
            p.text
            for p in docx.Document(str(path)).paragraphs
            if p.text.strip() and "Heading" not in p.style.style_id
        ]
        most = most_repeated(prose, names, quoted)
        assert most[1] <= MOST_REPEATS, (path.name, most)
        checked += 1
    assert checked


DATE = r"(\d{4}年\d{1,2}月\d{1,2}日)"
# A date by which something is to be sent in: the build's one report-by date.
SEND_BY = re.compile(
    DATE + r"前(?:向[^，。；]{1,16})?(?:报送|补报|填报|补填|补充|书面报告|完成以下工作)"
)
# A date by which an overdue item is now to be done.
DONE_BY = re.compile(r"(?:最迟于|计划于)" + DATE + "前完成")


def test_one_date_per_purpose_across_the_build(built, job):
    """Every document asks for returns by the build's one report-by date, and gives an overdue
    item one new date wherever it is named (its department's own, else the catch-up date)."""
    name, documents, summary, _, _ = built
    asked, new_dates = set(), {}
    for path in documents:
        if path.parent.name == "反馈表":
            continue
        for text in everything(path).split("\n"):
            asked.update(
                cn.to_date(d) for d in SEND_BY.findall(text) if cn.to_date(d) > summary.as_of
            )
            ids = set(ID.findall(text))
            if len(ids) == 1:
                [measure_id] = ids
                for d in DONE_BY.findall(text):
                    new_dates.setdefault(measure_id, set()).add((d, path.name))
    assert asked == {job.report_by}, asked
    # The sample's overdue items are named with their dates in the summary and the reports (the
    # larger campaign's concise reports plan them by group).
    assert new_dates or name != "sample"
    for measure_id, found in new_dates.items():
        assert len({d for d, _ in found}) == 1, (measure_id, sorted(found))
