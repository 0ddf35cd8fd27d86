"""The Word 督导抽查记录表 (issue 14, documents.md §11.1): one per stream of the sample, landscape,
the sampled claims row by row with why each was drawn, the 抽样说明 with the sample's own
numbers, empty columns for the check, a signature row; hostile measure text printed as written;
GB/T 9704 checker clean."""

import datetime as dt
import re

import docx
import pytest
from conftest import SMALL_AS_OF, SMALL_MEASURES, campaign_of, make_workspace, sample_copy
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen import cn
from docgen.build import load_campaign
from docgen.official.checking import check_document, format_findings
from docgen.rendering import packaged_templates_dir, prepare
from docgen.spot_check.record_layout import TEMPLATE
from docgen.spot_check.record_word import write_record_docs
from docgen.spot_check.sampling import draw
from docgen.workspace import open_workspace

SAMPLE = sample_copy()
AS_OF = dt.date(2026, 11, 26)
SEED = 20261126
HEADER = [
    "序号",
    "编号",
    "具体举措",
    "责任部门",
    "报称完成\n时间",
    "报称佐证\n材料",
    "抽取原因",
    "核查方式",
    "核查\n结果",
    "发现的\n问题",
    "整改要求",
]
CHECK_COLUMNS = 4
FORBIDDEN = re.compile(r"\bnan\b|\bNone\b|\bNaT\b|\{\{|\{%|\d{4}-\d{1,2}-\d{1,2}|(?<!\d)0项")


def paragraphs(document) -> list[str]:
    body = document.element.body
    texts = (Paragraph(p, None).text for p in body.iter(qn("w:p")))
    return [text for text in texts if text.strip()]


def rows(document) -> list[list[str]]:
    [table] = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    campaign = load_campaign(open_workspace(SAMPLE, AS_OF, AS_OF))
    sample = draw(campaign.summary, campaign.settings, SEED)
    folder = tmp_path_factory.mktemp("records")
    paths = write_record_docs(sample, AS_OF, campaign.settings, folder, "gb2312")
    return sample, paths


def test_the_packaged_template_takes_the_fast_path():
    assert prepare(packaged_templates_dir() / TEMPLATE).fast


def test_one_landscape_record_per_stream_named_by_checker_and_stream(written):
    sample, paths = written
    assert len(sample.streams) == 3
    assert [p.name for p in paths] == [
        f"督导抽查记录表_{part.checker}_{part.stream}.docx" for part in sample.streams
    ]
    for path in paths:
        section = docx.Document(str(path)).sections[0]
        assert section.page_width > section.page_height


def test_each_record_lists_its_streams_drawn_assignments(written):
    sample, paths = written
    for part, path in zip(sample.streams, paths, strict=True):
        document = docx.Document(str(path))
        lines = paragraphs(document)
        assert lines[0] == "督导抽查记录表"
        assert lines[1].startswith(f"专项：{part.stream}\t抽查单位（牵头部门）：{part.checker}")
        assert lines[1].endswith("抽查日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日")
        table = rows(document)
        assert table[0] == HEADER
        body, signature = table[1:-1], table[-1]
        assert len(body) == len(part.drawn)
        for n, (row, drawn) in enumerate(zip(body, part.drawn, strict=True), start=1):
            a = drawn.assignment
            assert row[0] == str(n)
            assert row[1] == drawn.measure.id
            assert row[2] == drawn.measure.text
            assert row[3] == a.department
            assert row[4].replace("\n", "") == cn.date_cn(a.completed_on)
            assert row[5] == (a.evidence.strip() or "未填写")
            assert row[6].split("\n") == list(drawn.reasons)
            assert row[-CHECK_COLUMNS:] == [""] * CHECK_COLUMNS
        assert set(signature) == {
            "督导组成员签字：\n\n日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        }


def test_the_basis_gives_the_samples_numbers(written):
    sample, paths = written
    assert any(part.random_count and part.risk_count for part in sample.streams)
    assert any(part.random_count and not part.risk_count for part in sample.streams)
    for part, path in zip(sample.streams, paths, strict=True):
        [basis] = [line for line in paragraphs(docx.Document(str(path))) if "抽样说明" in line]
        expected = (
            f"抽样说明：截至{cn.date_cn(AS_OF)}，按随机数种子{sample.seed}"
            f"从已完成的{part.pool}项中随机抽取{part.random_count}项"
        )
        if part.risk_count:
            expected += f"，另含未填佐证材料或逾期完成的{part.risk_count}项，共{len(part.drawn)}项"
        assert basis == expected + "。"


def test_no_placeholder_and_the_gbt_checker_passes(written):
    _, paths = written
    for path in paths:
        document = docx.Document(str(path))
        for text in [*paragraphs(document), *(c for row in rows(document) for c in row)]:
            assert not FORBIDDEN.search(text), text
        findings = check_document(path)
        assert findings == [], format_findings(findings, path)


def test_hostile_measure_text_survives(tmp_path):
    hostile = "落实“三重一大”制度 & 审批<双签>🚀"
    measures = [list(row) for row in SMALL_MEASURES]
    measures[0][3] = hostile  # JS-01, completed by 办公室 with evidence: drawn at random
    root = make_workspace(tmp_path / "ws", measures=measures)
    campaign = campaign_of(root, SMALL_AS_OF)
    sample = draw(campaign.summary, campaign.settings, SEED, ratio=1.0)
    paths = write_record_docs(sample, SMALL_AS_OF, campaign.settings, tmp_path / "out", "gb2312")
    cells = [
        cell
        for path in paths
        for row in rows(docx.Document(str(path)))
        for cell in row
        if "三重一大" in cell
    ]
    assert cells == [hostile]
    for path in paths:
        assert check_document(path) == []
