"""The 督导抽查 sample (domain.md "Stream leads, spot-checks and 销号"): per stream, the assignments
departments report as 已完成, every risk item (no 佐证材料; completed after the deadline) and a
seeded random share of the rest, so that the same seed and inputs give the same sample and
anyone can audit it. Assignments already verified are not drawn again."""

import math
import random
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from docgen.aggregation import AssignmentProgress, MeasureProgress, Summary
from docgen.config import Settings
from docgen.model import DONE, STREAM_NAMES

# Why an assignment is in the sample, as the 抽查清单 says it.
RANDOM, NO_EVIDENCE, LATE = "随机抽取", "未填佐证材料", "逾期完成"


@dataclass(frozen=True)
class Drawn:
    """One sampled assignment: a department's claim on a measure, and why it was drawn."""

    measure: MeasureProgress
    assignment: AssignmentProgress
    reasons: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.measure.id, self.assignment.department)


@dataclass(frozen=True)
class StreamSample:
    """A stream's part of the sample: who checks it, how many completions it had to draw from
    (not yet verified), how many were drawn at random and how many for risk."""

    stream: str
    checker: str
    pool: int
    drawn: tuple[Drawn, ...]

    @property
    def random_count(self) -> int:
        return sum(1 for d in self.drawn if d.reasons == (RANDOM,))

    @property
    def risk_count(self) -> int:
        return len(self.drawn) - self.random_count


@dataclass(frozen=True)
class Sample:
    seed: int
    ratio: float
    streams: tuple[StreamSample, ...]

    @property
    def drawn(self) -> tuple[Drawn, ...]:
        return tuple(d for s in self.streams for d in s.drawn)


def new_seed() -> int:
    """A seed for a sample nobody asked to reproduce: six digits, easy to read out and type."""
    return secrets.randbelow(900_000) + 100_000


def risks(measure: MeasureProgress, assignment: AssignmentProgress, settings: Settings):
    """Why a completion must be checked whatever the draw: no evidence, or done after its deadline."""
    found = []
    if settings.spot_check.no_evidence and not assignment.evidence.strip():
        found.append(NO_EVIDENCE)
    late = (
        assignment.completed_on
        and measure.deadline
        and not measure.standing
        and assignment.completed_on > measure.deadline
    )
    if settings.spot_check.late and late:
        found.append(LATE)
    return tuple(found)


def draw(
    summary: Summary,
    settings: Settings,
    seed: int,
    ratio: float | None = None,
    verified: Collection[tuple[str, str]] = (),
) -> Sample:
    """The sample of every stream: its risk items, then ceil(ratio × completions) drawn at random
    from the others (at least [spot_check] minimum where there are that many), in the measures'
    order. Each stream draws from its own generator seeded by `seed` and the stream's name, so
    that one stream's completions never change another's draw."""
    ratio = settings.spot_check.ratio if ratio is None else ratio
    verified = set(verified)
    streams = []
    for stream in STREAM_NAMES:
        pool = [
            (m, a)
            for m in summary.measures
            if m.stream == stream
            for a in sorted(m.assignments, key=lambda a: a.department)
            if a.status == DONE and (m.id, a.department) not in verified
        ]
        if not pool:
            continue
        risky = {(m.id, a.department): risks(m, a, settings) for m, a in pool}
        rest = [(m, a) for m, a in pool if not risky[(m.id, a.department)]]
        wanted = max(math.ceil(ratio * len(pool)), min(settings.spot_check.minimum, len(pool)))
        chosen = random.Random(f"{seed}:{stream}").sample(rest, min(wanted, len(rest)))
        picked = {(m.id, a.department) for m, a in chosen}
        drawn = tuple(
            Drawn(m, a, risky[(m.id, a.department)] or (RANDOM,))
            for m, a in pool
            if risky[(m.id, a.department)] or (m.id, a.department) in picked
        )
        checker = settings.stream_lead(stream) or settings.organisation.office
        streams.append(StreamSample(stream, checker, len(pool), drawn))
    return Sample(seed=seed, ratio=ratio, streams=tuple(streams))
