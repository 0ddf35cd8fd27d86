"""The calendar: which documents the rules in docgen.toml call for on a date, and what falls due
soon. Pure: the date is a parameter, nothing is read or written.

How a rule ([[schedule.rules]], docgen.config.ScheduleRule) is read, for a day D and each
milestone M it names (by name, or every milestone of a kind):

- `days_before = N`: D is N days before M;  `days_after = N`: D is N days after M;
- `repeat_every = K` (with days_after): again every K days after that, until the next milestone
  of the same kind or the end of M's year (urging notices are only written while someone is late);
- `weekday` alone: every such weekday; with a milestone: those weekdays from N days before M to M
  (days_before) and from M to N days after it (days_after);
- `with_others = true`: whenever another rule produces something on D.

The as-of date and the time are always parameters: nothing here reads the clock.
"""

import datetime as dt
from dataclasses import dataclass, field

from docgen import cn
from docgen.aggregation import MeasureProgress, Summary
from docgen.config import (
    DOCUMENT_KINDS,
    MILESTONE_KINDS,
    WEEKDAY_NAMES,
    Milestone,
    ScheduleRule,
    Settings,
)
from docgen.model import DONE

WITH_OTHERS_REASON = "随其他文件一并生成"


@dataclass(frozen=True)
class Occasion:
    """One reason a document is due on a day: the rule that fired and the milestone it counts from."""

    document: str
    reason: str
    milestone: Milestone | None = None


@dataclass(frozen=True)
class Decision:
    """What the rules call for on one day."""

    day: dt.date
    occasions: tuple[Occasion, ...] = ()

    @property
    def documents(self) -> tuple[str, ...]:
        wanted = {o.document for o in self.occasions}
        return tuple(kind for kind in DOCUMENT_KINDS if kind in wanted)

    @property
    def forms_due(self) -> dt.date | None:
        """The return date to print on forms sent for an upcoming milestone (the nearest one)."""
        dates = [
            o.milestone.date
            for o in self.occasions
            if o.document in ("forms", "build") and o.milestone and o.milestone.date >= self.day
        ]
        return min(dates, default=None)

    def reasons(self, document: str) -> list[str]:
        return list(dict.fromkeys(o.reason for o in self.occasions if o.document == document))

    def to_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "weekday": WEEKDAY_NAMES[self.day.isoweekday() - 1],
            "documents": [
                {"document": kind, "name": DOCUMENT_KINDS[kind], "reasons": self.reasons(kind)}
                for kind in self.documents
            ],
        }


def calendar_milestones(settings: Settings, day: dt.date) -> tuple[Milestone, ...]:
    """The configured milestones, plus the ones every campaign has without saying so.

    [campaign].return_deadline is a 反馈表报送截止 milestone, and each year ends with a 年度工作结束
    milestone on 31 December (the campaign's year, or the years around `day` when none is set),
    unless docgen.toml lists one of that kind for that date or year.
    """
    found = list(settings.schedule.milestones)
    names = {m.name for m in found}
    deadline = settings.campaign.return_deadline
    if (
        deadline
        and MILESTONE_KINDS["form-return"] not in names
        and not any(m.kind == "form-return" and m.date == deadline for m in found)
    ):
        found.append(Milestone(MILESTONE_KINDS["form-return"], deadline, "form-return"))
    years = [settings.campaign.year] if settings.campaign.year else [day.year - 1, day.year]
    for year in years:
        if not any(m.kind == "year-end" and m.date.year == year for m in found):
            found.append(Milestone(f"{year}年度工作结束", dt.date(year, 12, 31), "year-end"))
    return tuple(sorted(found, key=lambda m: (m.date, m.name)))


def due_on(settings: Settings, day: dt.date) -> Decision:
    """Every document the rules call for on `day`, each with the reasons it is due."""
    milestones = calendar_milestones(settings, day)
    rules = settings.schedule.rules
    occasions = [
        occasion
        for rule in rules
        if not rule.with_others
        for occasion in _fired(rule, day, milestones)
    ]
    if occasions:
        occasions += [
            Occasion(rule.document, WITH_OTHERS_REASON) for rule in rules if rule.with_others
        ]
    return Decision(day, tuple(occasions))


def upcoming(settings: Settings, start: dt.date, days: int) -> list[Decision]:
    """The days after `start`, up to `days` days on, on which the rules produce something."""
    found = []
    for offset in range(1, days + 1):
        decision = due_on(settings, start + dt.timedelta(days=offset))
        if decision.occasions:
            found.append(decision)
    return found


def _targets(rule: ScheduleRule, milestones: tuple[Milestone, ...]) -> list[Milestone]:
    named = [m for m in milestones if m.name == rule.milestone]
    return named or [m for m in milestones if m.kind == rule.milestone]


def _weekday_text(days: tuple[int, ...]) -> str:
    return "、".join(WEEKDAY_NAMES[d - 1] for d in days)


def _milestone_text(milestone: Milestone) -> str:
    return f"{milestone.name}（{cn.date_cn(milestone.date)}）"


def _repeat_end(milestone: Milestone, milestones: tuple[Milestone, ...]) -> dt.date:
    """The last day a repeating rule counts from `milestone`: the day before the next milestone
    of the same kind, or the end of its year."""
    later = [m.date for m in milestones if m.kind == milestone.kind and m.date > milestone.date]
    if later:
        return min(later) - dt.timedelta(days=1)
    return dt.date(milestone.date.year, 12, 31)


def _fired(rule: ScheduleRule, day: dt.date, milestones: tuple[Milestone, ...]):
    """(Occasion, …) for each way `rule` calls for its document on `day`."""
    weekday_ok = not rule.weekday or day.isoweekday() in rule.weekday
    if not rule.milestone:
        if weekday_ok and day.isocalendar().week % rule.every_weeks == 0:
            yield Occasion(rule.document, f"每{_weeks_text(rule)}{_weekday_text(rule.weekday)}")
        return
    for milestone in _targets(rule, milestones):
        offset = (day - milestone.date).days  # negative before the milestone
        where = _milestone_text(milestone)
        if rule.weekday:
            before = rule.days_before is not None and -rule.days_before <= offset <= 0
            after = rule.days_after is not None and 0 <= offset <= rule.days_after
            if weekday_ok and (before or after):
                span = f"前{rule.days_before}天内" if before else f"后{rule.days_after}天内"
                yield Occasion(
                    rule.document, f"{where}{span}的每{_weekday_text(rule.weekday)}", milestone
                )
            continue
        if rule.days_before is not None and offset == -rule.days_before:
            when = f"前{rule.days_before}天" if rule.days_before else "当天"
            yield Occasion(rule.document, f"{where}{when}", milestone)
        if rule.days_after is not None:
            first = rule.days_after
            if offset == first:
                when = f"后第{first}天" if first else "当天"
                yield Occasion(rule.document, f"{where}{when}", milestone)
            elif (
                rule.repeat_every
                and offset > first
                and (offset - first) % rule.repeat_every == 0
                and day <= _repeat_end(milestone, milestones)
            ):
                yield Occasion(
                    rule.document,
                    f"{where}后第{first}天起每{rule.repeat_every}天一次",
                    milestone,
                )


def _weeks_text(rule: ScheduleRule) -> str:
    """两周的 in 每两周的周五: every_weeks in words (nothing for every week)."""
    if rule.every_weeks == 1:
        return ""
    return f"{cn.number_cn(rule.every_weeks).replace('二', '两')}周的"


def describe_rule(rule: ScheduleRule) -> str:
    """A rule in words, for `docgen due` and the log."""
    document = DOCUMENT_KINDS[rule.document]
    if rule.with_others:
        return f"{document}：{WITH_OTHERS_REASON}"
    if not rule.milestone:
        return f"{document}：每{_weeks_text(rule)}{_weekday_text(rule.weekday)}"
    target = MILESTONE_KINDS.get(rule.milestone, rule.milestone)
    parts = []
    if rule.weekday:
        if rule.days_before is not None:
            parts.append(f"{target}前{rule.days_before}天内")
        if rule.days_after is not None:
            parts.append(f"{target}后{rule.days_after}天内")
        return f"{document}：{'及'.join(parts)}的每{_weekday_text(rule.weekday)}"
    if rule.days_before is not None:
        parts.append(f"{target}前{rule.days_before}天")
    if rule.days_after is not None:
        text = f"{target}后第{rule.days_after}天"
        if rule.repeat_every:
            text += f"起每{rule.repeat_every}天一次"
        parts.append(text)
    return f"{document}：{'，'.join(parts)}"


# --- what falls due -------------------------------------------------------------------------


@dataclass
class DueReport:
    """`docgen due`: milestones and measures falling due in the window, lateness, and what the
    rules produce on the as-of date and on the days after it."""

    as_of: dt.date
    within: int
    today: Decision
    coming: list[Decision]
    milestones: list[Milestone]
    measures_due: list[MeasureProgress]
    overdue: int
    due_soon: int
    unreported: int
    silent_departments: list[str]
    late_departments: list[str]
    rules: list[str] = field(default_factory=list)
    next_milestone: Milestone | None = None

    @property
    def until(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.within)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "within": self.within,
            "until": self.until.isoformat(),
            "today": self.today.to_dict(),
            "coming": [d.to_dict() for d in self.coming],
            "milestones": [
                {
                    "name": m.name,
                    "date": m.date.isoformat(),
                    "kind": m.kind,
                    "days_left": (m.date - self.as_of).days,
                }
                for m in self.milestones
            ],
            "measures_due": [
                {
                    "id": m.id,
                    "deadline": m.deadline.isoformat(),
                    "days_left": (m.deadline - self.as_of).days,
                    "lead": m.lead,
                    "status": m.status,
                }
                for m in self.measures_due
            ],
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "unreported": self.unreported,
            "silent_departments": self.silent_departments,
            "late_departments": self.late_departments,
            "rules": self.rules,
            "next_milestone": {
                "name": self.next_milestone.name,
                "date": self.next_milestone.date.isoformat(),
                "kind": self.next_milestone.kind,
            }
            if self.next_milestone
            else None,
        }


def due_report(summary: Summary, settings: Settings, within: int) -> DueReport:
    day = summary.as_of
    until = day + dt.timedelta(days=within)
    measures_due = sorted(
        (
            m
            for m in summary.measures
            if m.deadline and day <= m.deadline <= until and m.status != DONE
        ),
        key=lambda m: (m.deadline, m.id),
    )
    milestones = calendar_milestones(settings, day)
    return DueReport(
        as_of=day,
        within=within,
        today=due_on(settings, day),
        coming=upcoming(settings, day, within),
        milestones=[m for m in milestones if day <= m.date <= until],
        next_milestone=next((m for m in milestones if m.date > until), None),
        measures_due=measures_due,
        overdue=summary.counts.overdue,
        due_soon=summary.counts.due_soon,
        unreported=summary.counts.unreported,
        silent_departments=list(summary.silent_departments),
        late_departments=[d.name for d in summary.late_departments],
        rules=[describe_rule(rule) for rule in settings.schedule.rules],
    )
