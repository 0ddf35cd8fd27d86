"""The 整改台账 written by ledger_bytes (openpyxl with a few sample rows, the measures' cells
then written as XML) is the workbook openpyxl builds with every row: same cells, values, types,
styles, merged cells, filter, print setup and statistics sheet; and it is dated as a build is."""

import dataclasses
import datetime as dt
import io
import zipfile

import pytest
from campaigns import write_large_campaign
from conftest import SMALL_AS_OF, campaign_of, copy_sample
from excel import describe
from openpyxl import load_workbook
from test_aggregation import with_spot_checks

from docgen.documents.ledger.workbook import build_ledger, ledger_bytes
from docgen.rendering import document_time

SAMPLE_AS_OF = dt.date(2026, 11, 26)


def reference(summary, settings) -> bytes:
    buffer = io.BytesIO()
    build_ledger(summary, settings).save(buffer)
    return buffer.getvalue()


def assert_same_ledger(summary, settings) -> dict:
    fast = describe(ledger_bytes(summary, settings))
    assert fast == describe(reference(summary, settings))
    return fast


@pytest.mark.parametrize("which", ["sample", "sample in June", "spot-checked", "large"])
def test_the_ledger_is_the_openpyxl_workbook(tmp_path, which):
    if which == "large":
        campaign = campaign_of(write_large_campaign(tmp_path / "large"), SAMPLE_AS_OF)
    elif which == "spot-checked":
        campaign = campaign_of(with_spot_checks(tmp_path), SAMPLE_AS_OF)
    else:
        as_of = dt.date(2026, 6, 15) if which == "sample in June" else SAMPLE_AS_OF
        campaign = campaign_of(copy_sample(tmp_path / "inputs"), as_of)
    summary = campaign.summary
    found = assert_same_ledger(summary, campaign.settings)
    cells = found["整改台账"]["cells"]
    # Every measure has its row, and the light and date styles the samples carry all occur.
    assert cells[f"B{3 + len(summary.measures)}"][0] == summary.measures[-1].id
    assert f"B{4 + len(summary.measures)}" not in cells
    if which == "spot-checked":
        assert any(value and "不属实" in str(value) for value, *_ in cells.values())


HOSTILE_TEXT = [
    "整改 A&B <接待> “超标准”{x}问题",
    "=SUM(A1:A3)",
    "  前后有空格  ",
    "   ",
    "换行\n第二行",
    "ctrl\x00\x07chars_x000B_escape",
    "😀👍🏽 𠮷野家 㛃",
    "",
]


def test_hostile_text_dates_and_no_rows_are_written_as_openpyxl_writes_them(small_workspace):
    campaign = campaign_of(small_workspace, SMALL_AS_OF)
    summary, settings = campaign.summary, campaign.settings
    first, second, *others = summary.measures
    measures = [
        dataclasses.replace(first, text=text, problem=text, leader=text, deadline_text=text)
        for text in HOSTILE_TEXT
    ]
    measures.append(
        dataclasses.replace(
            second,
            deadline=None,
            deadline_text="",
            completed_on=dt.datetime(2026, 6, 1, 8, 30),
            overdue_days=12,
        )
    )
    hostile = dataclasses.replace(summary, measures=(*measures, *others))
    assert_same_ledger(hostile, settings)
    assert_same_ledger(dataclasses.replace(summary, measures=()), settings)


def test_the_ledger_carries_the_as_of_time_and_opens(small_workspace):
    campaign = campaign_of(small_workspace, SMALL_AS_OF)
    data = ledger_bytes(campaign.summary, campaign.settings)
    assert data == ledger_bytes(campaign.summary, campaign.settings)
    when = document_time(SMALL_AS_OF)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {when.timetuple()[:6]}
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.properties.modified == when.replace(tzinfo=None)
    assert workbook.sheetnames == ["整改台账", "统计"]


def test_a_cell_written_wrong_stops_the_ledger_with_a_message(small_workspace, monkeypatch):
    import docgen.documents.ledger.workbook as ledger

    campaign = campaign_of(small_workspace, SMALL_AS_OF)
    monkeypatch.setattr(ledger, "cell_xml", lambda row, column, style, value: "<c><is>")
    with pytest.raises(RuntimeError, match="不是合法的 XML"):
        ledger.ledger_bytes(campaign.summary, campaign.settings)
