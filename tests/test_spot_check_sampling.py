"""督导抽查 samples (issue 14): the same seed and inputs draw the same sample, another seed another;
risk items (no evidence, completed late) are always in; each stream draws its share of its own
completions; verified assignments are not drawn again; the settings are checked."""

import datetime as dt
import math
from dataclasses import replace

import pytest
from conftest import campaign_of, make_workspace, sample_copy

from docgen.build import load_campaign
from docgen.config import SpotCheck, parse_settings
from docgen.errors import ConfigError
from docgen.model import DONE
from docgen.spot_check.sampling import LATE, NO_EVIDENCE, RANDOM, draw
from docgen.workspace import open_workspace

SAMPLE = sample_copy()
AS_OF = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def sample_campaign():
    return load_campaign(open_workspace(SAMPLE, AS_OF, AS_OF))


def keys(sample) -> list[tuple[str, str]]:
    return [d.key for d in sample.drawn]


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(sample_campaign):
    summary, settings = sample_campaign.summary, sample_campaign.settings
    first = draw(summary, settings, 20261126)
    assert first.drawn
    assert keys(draw(summary, settings, 20261126)) == keys(first)
    assert keys(draw(summary, settings, 7)) != keys(first)


def test_risk_items_are_always_drawn(sample_campaign):
    summary, settings = sample_campaign.summary, sample_campaign.settings
    risky = {
        (m.id, a.department): reasons
        for m in summary.measures
        for a in m.assignments
        if a.status == DONE
        for reasons in [
            tuple(
                reason
                for reason, applies in (
                    (NO_EVIDENCE, not a.evidence.strip()),
                    (
                        LATE,
                        bool(a.completed_on and m.deadline and a.completed_on > m.deadline),
                    ),
                )
                if applies
            )
        ]
        if reasons
    }
    assert risky, "the sample has completions without evidence or done late"
    for seed in (1, 2, 3):
        drawn = {d.key: d.reasons for d in draw(summary, settings, seed).drawn}
        assert {key: drawn.get(key) for key in risky} == risky
    # Turned off, they are drawn only by chance, and never for their risk.
    quiet = replace(settings, spot_check=SpotCheck(no_evidence=False, late=False))
    assert {d.reasons for d in draw(summary, quiet, 1).drawn} == {(RANDOM,)}


def test_each_stream_draws_its_share_of_its_own_completions(sample_campaign):
    summary, settings = sample_campaign.summary, sample_campaign.settings
    for ratio in (0.1, 0.2, 0.5):
        sample = draw(summary, settings, 5, ratio=ratio)
        assert sample.ratio == ratio
        assert [s.stream for s in sample.streams] == ["警示教育", "以案促改", "巡察整改"]
        for part in sample.streams:
            done = [
                (m, a)
                for m in summary.measures
                if m.stream == part.stream
                for a in m.assignments
                if a.status == DONE
            ]
            assert part.pool == len(done)
            assert part.random_count == min(
                max(math.ceil(ratio * len(done)), 2), len(done) - part.risk_count
            )
            assert all(d.measure.stream == part.stream for d in part.drawn)
            # The stream's lead ([streams]) checks it.
            assert part.checker == settings.stream_lead(part.stream) != ""


def test_verified_assignments_are_not_drawn_again(sample_campaign):
    summary, settings = sample_campaign.summary, sample_campaign.settings
    first = draw(summary, settings, 11)
    again = draw(summary, settings, 11, verified=keys(first))
    assert not set(keys(again)) & set(keys(first))
    assert sum(s.pool for s in again.streams) == sum(s.pool for s in first.streams) - len(
        keys(first)
    )


def test_a_small_stream_draws_its_minimum_and_its_lead_checks_it(tmp_path):
    # The small campaign as of 6-15: JS-01 (办公室, with evidence, on time) and JS-02's 办公室 and
    # 人事处 parts are done in 警示教育; XC-002 (人事处) was done on 6-11, after its 6-10 deadline.
    config = '[streams]\n"警示教育" = "机关党委"\n"巡察整改" = "办公室"\n'
    campaign = campaign_of(make_workspace(tmp_path / "ws", config=config))
    sample = draw(campaign.summary, campaign.settings, 3)
    parts = {s.stream: s for s in sample.streams}
    assert parts["警示教育"].checker == "机关党委"
    assert parts["巡察整改"].checker == "办公室"
    assert [(d.key, d.reasons) for d in parts["巡察整改"].drawn] == [
        (("XC-002", "人事处"), (LATE,))
    ]
    # Fewer completions than the minimum: every one of them is checked.
    assert parts["警示教育"].random_count + parts["警示教育"].risk_count == parts["警示教育"].pool


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"streams": {"纪律教育": "机关党委"}}, "不是工作专项"),
        ({"streams": {"警示教育": ""}}, "牵头部门的名称"),
        ({"spot_check": {"ratio": 1.5}}, "0 到 1 之间的小数"),
        ({"spot_check": {"ratio": True}}, "0 到 1 之间的小数"),
        ({"spot_check": {"minimum": -1}}, "整数"),
        ({"spot_check": {"late": "yes"}}, "true 或 false"),
        ({"spot_check": {"rate_basis": "all"}}, "reported"),
        ({"spot_check": {"sample": 3}}, "未知的设置项"),
    ],
)
def test_bad_settings_are_named(data, message):
    with pytest.raises(ConfigError, match=message):
        parse_settings(data)


def test_settings_read_in_english_or_chinese():
    settings = parse_settings(
        {
            "streams": {"以案促改": "机关纪委"},
            "spot_check": {"ratio": 0.3, "minimum": 1, "redo_days": 10, "rate_basis": "按核验销号"},
        }
    )
    assert settings.stream_lead("以案促改") == "机关纪委"
    assert settings.stream_lead("警示教育") == ""
    assert settings.spot_check == SpotCheck(
        ratio=0.3, minimum=1, redo_days=10, rate_basis="verified"
    )
