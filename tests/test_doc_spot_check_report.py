"""关于督导抽查情况的报告 (issue 14), on a copy of the sample: planned with a seed, the sheets
returned with one 不属实 (with the checker's words), one 基本属实 with a remark and the rest
属实. The report names the refuted item with its unit, quotes the finding and gives the new date;
its counts are the summary's; it passes the GB/T checker. `docgen build` writes it once a verdict
is back and leaves it out, with the reason, before; `docgen report spot-check` refuses then."""

import json
import re

import docx
import pytest
from conftest import copy_sample
from test_doc_self_check import assert_clean
from test_spot_check import AS_OF, SEED, campaign, claims, fill, plan, run, sheets

from docgen.model import REFUTED, VERIFIED, VERIFIED_WITH_REMARKS

NAME = "督导抽查情况报告.docx"
FINDING = "台账中没有第二次学习的记录"
REMARK = "照片缺日期"


@pytest.fixture
def workspace(tmp_path):
    """A copy of the sample with a plan drawn (seed 20261126); returns it and the plan's folder."""
    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    plan(workspace, tmp_path / "plan", "--seed", SEED)
    return workspace, tmp_path / "plan" / AS_OF.isoformat() / "督导抽查"


def returned(workspace, folder):
    """Every sheet back: the 警示教育 one with 不属实 first and 基本属实 third, all else 属实.
    Returns the refuted claim (measure id, department)."""
    refuted = None
    for path in sheets(folder):
        n = len(claims(path))
        verdicts = {k: (VERIFIED, "") for k in range(1, n + 1)}
        if path.name.endswith("警示教育.xlsx"):
            verdicts[1] = (REFUTED, FINDING)
            verdicts[3] = (VERIFIED_WITH_REMARKS, REMARK)
            row = claims(path)[0]
            refuted = (row[1], row[3])
        fill(path, workspace / "spot-checks" / path.name, verdicts)
    return refuted


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_the_report_names_counts_and_quotes_what_the_checks_found(workspace, tmp_path):
    workspace, folder = workspace
    measure_id, department = returned(workspace, folder)
    out = tmp_path / "out"
    result = run("report", "spot-check", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    path = out / AS_OF.isoformat() / NAME
    assert_clean(path)
    lines = paragraphs(path)
    assert (
        lines[0].replace("\n", "")
        == "关于2026年度警示教育、以案促改和巡察整改工作督导抽查情况的报告"
    )
    assert lines[1] == "局党组："
    text = "\n".join(lines)

    # Part one's counts are the summary's, claim by claim.
    summary = campaign(workspace).summary
    checked = [a for m in summary.measures for a in m.assignments if a.verdict]
    completions = [a for m in summary.measures for a in m.assignments if a.status == "已完成"]
    verdicts = {v: sum(1 for a in checked if a.verdict == v) for v in (VERIFIED, REFUTED)}
    assert verdicts[REFUTED] == 1 == summary.counts.refuted
    part_one = text[text.index("一、抽查基本情况") : text.index("二、发现的主要问题")]
    assert f"共抽查各部门报告已完成的举措{len(checked)}项" in part_one
    assert f"占已完成{len(completions) + 1}项的" in part_one
    assert f"涉及{len({a.department for a in checked})}个部门" in part_one
    assert f"属实{verdicts[VERIFIED]}项、基本属实1项、不属实1项" in part_one
    assert "分专项看，警示教育专项" in part_one

    # The refuted claim: its unit, its id, the checker's words quoted, its new date.
    [measure] = [m for m in summary.measures if m.id == measure_id]
    [claim] = [a for a in measure.assignments if a.department == department]
    part_two = text[text.index("二、发现的主要问题") : text.index("三、整改要求")]
    assert f"{department}承担的{measure_id}" in part_two.replace("\u2011", "-")
    assert f"“{FINDING}”" in part_two and f"“{REMARK}”" in part_two
    part_three = text[text.index("三、整改要求") : text.index("四、下一步工作")]
    assert f"{department}承担的{measure_id}，请于2026年12月10日前重新完成" in part_three.replace(
        "\u2011", "-"
    )
    assert claim.redo_by.isoformat() == "2026-12-10"
    assert "2026年12月3日前按核查意见补充佐证材料" in part_three
    assert "回头看" in text and "销号" in text
    assert not re.search(r"(?<![\d.])0项", text)
    # Signed by the office that leads the campaign's work, dated the as-of date.
    assert "局警示教育以案促改和巡察整改工作领导小组办公室" in lines[lines.index("特此报告。") + 2]
    assert "2026年11月26日" in lines[lines.index("特此报告。") + 3]
    # The attachment lists every claim checked.
    table = docx.Document(str(path)).tables[-1]
    assert len(table.rows) == len(checked) + 1


def test_nothing_refuted_says_so_without_zero_counts(workspace, tmp_path):
    workspace, folder = workspace
    for path in sheets(folder):
        n = len(claims(path))
        fill(path, workspace / "spot-checks" / path.name, {k: (VERIFIED, "") for k in range(1, n)})
    out = tmp_path / "out"
    result = run("report", "spot-check", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    path = out / AS_OF.isoformat() / NAME
    assert_clean(path)
    text = "\n".join(paragraphs(path))
    assert "均属实" in text and "不属实" not in text and "基本属实" not in text
    # The last row of each sheet was left blank: drawn, not yet checked.
    assert f"另有{len(sheets(folder))}项已抽取、尚未收回核查结果" in text


def test_build_writes_it_once_a_verdict_is_back_and_leaves_it_out_before(workspace, tmp_path):
    workspace, folder = workspace
    before = run("build", "--inputs", workspace, "--out", tmp_path / "before", "--as-of", AS_OF)
    assert before.exit_code == 0, before.output
    manifest = json.loads(
        (tmp_path / "before" / AS_OF.isoformat() / "manifest.json").read_text(encoding="utf-8")
    )
    assert "还没有收回督导抽查记录表" in manifest["left_out"]["督导抽查情况报告"]
    assert not (tmp_path / "before" / AS_OF.isoformat() / NAME).exists()
    assert "未生成督导抽查情况报告：还没有收回督导抽查记录表" in before.output

    refused = run("report", "spot-check", "--inputs", workspace, "--out", tmp_path / "r")
    assert refused.exit_code == 1
    assert "还没有收回督导抽查记录表" in refused.output

    returned(workspace, folder)
    after = run("build", "--inputs", workspace, "--out", tmp_path / "after", "--as-of", AS_OF)
    assert after.exit_code == 0, after.output
    assert (tmp_path / "after" / AS_OF.isoformat() / NAME).exists()
