"""Progress by the rules of domain.md: assignments, measure statuses, overdue, summaries.

Pure functions over the validated DataFrames; the result is a tree of plain dataclasses that every
document, the status command and the JSON output read from, so they all agree.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from docgen.config import Settings
from docgen.model import (
    ASPECTS,
    DOING,
    DONE,
    LEAD,
    NOT_STARTED,
    NOTHING_WORDS,
    REFUTED,
    STANDING,
    STATUS_ORDER,
    STREAM_NAMES,
    SUPPORT,
    UNREPORTED,
    VERIFIED,
    VERIFIED_WITH_REMARKS,
)

RED, YELLOW, GREEN = "红", "黄", "绿"
OTHER_ASPECT = "其他"
_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class Counts:
    """Measures (or assignments) by status; `rate` is done / total, 长期坚持 never counted as done;
    with `basis` "verified" ([spot_check] rate_basis) it is closed / total: only what a
    spot-check verified (已销号) counts."""

    total: int = 0
    done: int = 0
    doing: int = 0
    not_started: int = 0
    standing: int = 0
    unreported: int = 0
    overdue: int = 0
    due_soon: int = 0
    # 督导抽查: done and verified (已销号), and sent back as not done as claimed (抽查不属实).
    closed: int = 0
    refuted: int = 0
    basis: str = "reported"

    @property
    def rate(self) -> float:
        counted = self.closed if self.basis == "verified" else self.done
        return counted / self.total if self.total else 0.0

    @property
    def all_done(self) -> bool:
        return self.total > 0 and self.done == self.total

    def to_dict(self) -> dict:
        return {**asdict(self), "rate": round(self.rate * 100, 1)}


# The numbers a Counts holds (all its fields but the basis).
COUNT_FIELDS = tuple(f.name for f in fields(Counts) if f.name != "basis")


def sum_counts(counts: Iterable[Counts], basis: str = "reported") -> Counts:
    """Counts added up, e.g. the departments' assignments over the whole campaign."""
    counts = list(counts)
    return Counts(**{f: sum(getattr(c, f) for c in counts) for f in COUNT_FIELDS}, basis=basis)


@dataclass(frozen=True)
class AssignmentProgress:
    """One department's part in one measure, with its latest feedback (status 未反馈 if none)."""

    department: str
    role: str
    status: str
    progress: str = ""
    evidence: str = ""
    # What the department offers as a practice others could learn from (亮点经验), for the
    # information bulletins; empty when it wrote nothing, 无 or 暂无.
    highlight: str = ""
    problems: str = ""
    next_steps: str = ""
    completed_on: dt.date | None = None
    reported_on: dt.date | None = None
    reporter: str = ""
    source: str = ""
    # The latest spot-check of this claim (verification.read_checks): verdict, date, the unit
    # that checked (the stream lead), the checker's name, method, findings and requirement;
    # `redo_by` the new deadline of a claim found 不属实.
    verdict: str = ""
    checked_on: dt.date | None = None
    checker: str = ""
    check_person: str = ""
    check_method: str = ""
    finding: str = ""
    requirement: str = ""
    redo_by: dt.date | None = None

    @property
    def closed(self) -> bool:
        """Done and verified by a spot-check (已销号)."""
        return self.status == DONE and self.verdict in (VERIFIED, VERIFIED_WITH_REMARKS)

    @property
    def refuted(self) -> bool:
        """Claimed done, found not done as claimed, not reported done again since (抽查不属实)."""
        return self.verdict == REFUTED and self.status != DONE


@dataclass(frozen=True)
class MeasureProgress:
    id: str
    stream: str
    problem: str
    text: str
    aspect: str
    lead: str
    departments: tuple[str, ...]
    leader: str
    deadline: dt.date | None
    standing: bool
    deadline_text: str
    note: str
    status: str
    light: str
    overdue_days: int
    days_left: int | None
    completed_on: dt.date | None
    assignments: tuple[AssignmentProgress, ...]
    # The new deadline of a measure one of whose claims a spot-check found 不属实.
    redo_by: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def closed(self) -> bool:
        """已销号: done, and every department's completion verified."""
        return self.status == DONE and all(a.closed for a in self.assignments)

    @property
    def refuted(self) -> bool:
        """抽查不属实: a department's claimed completion was found not done as claimed."""
        return any(a.refuted for a in self.assignments)

    @property
    def due_soon(self) -> bool:
        return self.light == YELLOW


@dataclass(frozen=True)
class GroupProgress:
    """Counts for one stream, aspect, inspection problem or leader."""

    name: str
    counts: Counts
    measure_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentProgress:
    """A department's assignments: `counts` are over (measure, department) pairs, not measures."""

    name: str
    kind: str
    leader: str
    lead: int
    counts: Counts
    sent_nothing: bool
    overdue_ids: tuple[str, ...] = ()
    unreported_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    warning_days: int
    counts: Counts
    measures: tuple[MeasureProgress, ...]
    streams: tuple[GroupProgress, ...]
    aspects: tuple[GroupProgress, ...]
    problems: tuple[GroupProgress, ...]
    departments: tuple[DepartmentProgress, ...]
    leaders: tuple[GroupProgress, ...]
    silent_departments: tuple[str, ...]
    overdue: tuple[MeasureProgress, ...] = field(default=())
    due_soon: tuple[MeasureProgress, ...] = field(default=())

    @property
    def spot_checked(self) -> bool:
        """Whether any spot-check verdict has come back."""
        return any(a.verdict for m in self.measures for a in m.assignments)

    @property
    def refuted(self) -> tuple[MeasureProgress, ...]:
        """Measures a department claimed done and a spot-check found not done as claimed."""
        return tuple(m for m in self.measures if m.refuted)

    def measure(self, measure_id: str) -> MeasureProgress:
        return next(m for m in self.measures if m.id == measure_id)

    def stream(self, name: str) -> GroupProgress:
        return next(s for s in self.streams if s.name == name)

    def department(self, name: str) -> DepartmentProgress:
        return next(d for d in self.departments if d.name == name)

    def snapshot(self) -> dict[str, dict]:
        """Each measure's status, light and days overdue: what the history keeps of a brief's
        issue and of a scheduled run, so that the next can say what changed."""
        return {
            m.id: {
                "status": m.status,
                "light": m.light,
                "overdue_days": m.overdue_days,
                "closed": m.closed,
                "refuted": m.refuted,
            }
            for m in self.measures
        }

    @property
    def late_departments(self) -> tuple[DepartmentProgress, ...]:
        """Departments with an assignment past its deadline and not done, or one never reported:
        those urging notices go to."""
        return tuple(d for d in self.departments if d.overdue_ids or d.unreported_ids)

    def to_dict(self) -> dict:
        def groups(items):
            return [{"name": g.name, **g.counts.to_dict()} for g in items]

        return {
            "as_of": self.as_of.isoformat(),
            "warning_days": self.warning_days,
            **self.counts.to_dict(),
            "streams": groups(self.streams),
            "aspects": groups(self.aspects),
            "problems": groups(self.problems),
            "leaders": groups(self.leaders),
            "departments": [
                {
                    "name": d.name,
                    "kind": d.kind,
                    "leader": d.leader,
                    "lead": d.lead,
                    "sent_nothing": d.sent_nothing,
                    "overdue_ids": list(d.overdue_ids),
                    "unreported_ids": list(d.unreported_ids),
                    **d.counts.to_dict(),
                }
                for d in self.departments
            ],
            "silent_departments": list(self.silent_departments),
            "overdue": [_measure_dict(m) for m in self.overdue],
            "due_soon": [_measure_dict(m) for m in self.due_soon],
            "measures": [_measure_dict(m) for m in self.measures],
        }


def _measure_dict(measure: MeasureProgress) -> dict:
    data = asdict(measure)
    for key in ("deadline", "completed_on"):
        data[key] = data[key].isoformat() if data[key] else None
    data["redo_by"] = data["redo_by"].isoformat() if data["redo_by"] else None
    data["closed"], data["refuted"] = measure.closed, measure.refuted
    for assignment, kept in zip(data["assignments"], measure.assignments, strict=True):
        for key in ("completed_on", "reported_on", "checked_on", "redo_by"):
            assignment[key] = assignment[key].isoformat() if assignment[key] else None
        assignment["closed"], assignment["refuted"] = kept.closed, kept.refuted
    data["departments"] = list(data["departments"])
    return data


# --- the rules ----------------------------------------------------------------------------


def latest_feedback(feedback: pd.DataFrame) -> pd.DataFrame:
    """One row per (measure, department): the latest by 填报日期, then by file order, then row."""
    if feedback.empty:
        return feedback
    ordered = feedback.assign(_date=pd.to_datetime(feedback["填报日期"]))
    ordered = ordered.sort_values(["_date", "_order", "_row"], na_position="first", kind="stable")
    return ordered.drop_duplicates(["编号", "填报单位"], keep="last").drop(columns="_date")


def submitted_by(feedback: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The rows submitted on or before `as_of`; rows without a 填报日期 are kept."""
    if feedback.empty:
        return feedback
    dates = feedback["填报日期"]
    later = [isinstance(d, dt.date) and d > as_of for d in dates]
    return feedback[[not x for x in later]]


def assignments_of(measures: pd.DataFrame, feedback: pd.DataFrame) -> pd.DataFrame:
    """Every (measure, department) pair with the department's latest reported status or 未反馈."""
    pairs = measures[["编号", "部门"]].explode("部门").rename(columns={"部门": "填报单位"})
    pairs = pairs.dropna(subset=["填报单位"])
    pairs["角色"] = [
        LEAD if position == 0 else SUPPORT
        for position in pairs.groupby("编号", sort=False).cumcount()
    ]
    latest = latest_feedback(feedback).drop(columns=["角色"], errors="ignore")
    merged = pairs.merge(latest, on=["编号", "填报单位"], how="left")
    merged["完成状态"] = merged["完成状态"].fillna(UNREPORTED)
    return merged


CHECK_FIELDS = ("核查结果", "核查日期", "抽查单位", "核查人", "核查方式", "发现的问题", "整改要求")


def apply_checks(table: pd.DataFrame, checks: pd.DataFrame | None, redo_days: int) -> pd.DataFrame:
    """The assignments with their latest spot-check (domain.md): 属实 and 基本属实 stand beside a
    completion; 不属实 of a completion not reported again since the check sends it back to
    推进中 with a new deadline (重做期限) `redo_days` after the check. A claim reported done
    again after a 不属实 check is a new claim, to be checked again (its verdict dropped)."""
    if checks is None or checks.empty:
        return table.assign(**{name: None for name in (*CHECK_FIELDS, "重做期限")})
    found = checks.rename(columns={"责任部门": "填报单位"})[["编号", "填报单位", *CHECK_FIELDS]]
    merged = table.merge(found, on=["编号", "填报单位"], how="left")
    statuses, verdicts, redo = [], [], []
    for status, verdict, checked, reported in zip(
        merged["完成状态"],
        merged["核查结果"],
        merged["核查日期"],
        merged.get("填报日期", pd.Series([None] * len(merged))),
        strict=True,
    ):
        verdict = verdict if isinstance(verdict, str) else None
        renewed = (
            isinstance(reported, dt.date) and isinstance(checked, dt.date) and reported > checked
        )
        if verdict == REFUTED and status == DONE and renewed:
            verdict = None
        if verdict == REFUTED and status in (DONE, DOING):
            status = DOING
            redo.append(checked + dt.timedelta(days=redo_days))
        else:
            redo.append(None)
        statuses.append(status)
        verdicts.append(verdict)
    merged["完成状态"], merged["核查结果"], merged["重做期限"] = statuses, verdicts, redo
    return merged


def measure_status(statuses: list[str]) -> str:
    """已完成 only when every assigned department says so; otherwise the least advanced reported status."""
    reported = [s for s in statuses if s != UNREPORTED]
    if not reported:
        return UNREPORTED
    if len(reported) == len(statuses) and all(s == DONE for s in reported):
        return DONE
    lowest = min(reported, key=_RANK.__getitem__)
    # Some departments done, the others silent: the measure is under way, not finished.
    return DOING if lowest == DONE else lowest


def count_statuses(
    statuses: list[str],
    overdue: int,
    due_soon: int,
    closed: int = 0,
    refuted: int = 0,
    basis: str = "reported",
) -> Counts:
    """Counts from a list of statuses (of measures or of assignments) and the late ones."""
    return Counts(
        closed=closed,
        refuted=refuted,
        basis=basis,
        total=len(statuses),
        done=statuses.count(DONE),
        doing=statuses.count(DOING),
        not_started=statuses.count(NOT_STARTED),
        standing=statuses.count(STANDING),
        unreported=statuses.count(UNREPORTED),
        overdue=overdue,
        due_soon=due_soon,
    )


def count_measures(measures: list[MeasureProgress], basis: str = "reported") -> Counts:
    """Counts of any group of measures by the rules of domain.md."""
    return count_statuses(
        [m.status for m in measures],
        overdue=sum(m.overdue for m in measures),
        due_soon=sum(m.due_soon for m in measures),
        closed=sum(m.closed for m in measures),
        refuted=sum(m.refuted for m in measures),
        basis=basis,
    )


def _groups(
    measures: list[MeasureProgress], key, order=(), basis: str = "reported"
) -> tuple[GroupProgress, ...]:
    buckets: dict[str, list[MeasureProgress]] = {name: [] for name in order}
    for measure in measures:
        name = key(measure)
        if name:
            buckets.setdefault(name, []).append(measure)
    return tuple(
        GroupProgress(name, count_measures(items, basis), tuple(m.id for m in items))
        for name, items in buckets.items()
        if items
    )


def _date_or_none(value) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return value


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _answer(value) -> str:
    """A free-text answer; 无, 暂无 and the like mean there is nothing to report."""
    text = _text(value)
    return "" if text in NOTHING_WORDS else text


def _column(table: pd.DataFrame, name: str) -> list:
    """A column of the assignment table as a list of Python values (None where it is absent)."""
    return table[name].tolist() if name in table.columns else [None] * len(table)


def _assignments_by_measure(table: pd.DataFrame) -> dict[str, list[AssignmentProgress]]:
    """Every row of the assignment table as an AssignmentProgress, by measure id in table order.

    Built column by column: a row-by-row walk through the frame (itertuples) costs more than
    the objects themselves on a province's 30,000 assignments. `source` stays empty, as it was
    from that walk, which never saw _file and _row (itertuples renames names that start with an
    underscore): filling it would change what `docgen status --json` prints."""
    # Most cells are text already: only the others go through _text and _answer.
    texts = {
        name: [v if v.__class__ is str else _text(v) for v in _column(table, name)]
        for name in _TEXTS
    }
    answers = {
        name: [
            ("" if v in _NOTHING else v) if v.__class__ is str else _answer(v)
            for v in _column(table, name)
        ]
        for name in _ANSWERS
    }
    dates = {name: [_date_or_none(v) for v in _column(table, name)] for name in _DATES}
    by_measure: dict[str, list[AssignmentProgress]] = {}
    for i, (measure_id, department, role, status) in enumerate(
        zip(
            *(_column(table, name) for name in ("编号", "填报单位", "角色", "完成状态")),
            strict=True,
        )
    ):
        by_measure.setdefault(measure_id, []).append(
            AssignmentProgress(
                department=department,
                role=role,
                status=status,
                progress=texts["进展情况"][i],
                evidence=answers["佐证材料"][i],
                highlight=answers["亮点经验"][i],
                problems=answers["存在问题"][i],
                next_steps=answers["下步计划"][i],
                completed_on=dates["完成时间"][i],
                reported_on=dates["填报日期"][i],
                reporter=texts["填报人"][i],
                verdict=texts["核查结果"][i],
                checked_on=dates["核查日期"][i],
                checker=texts["抽查单位"][i],
                check_person=texts["核查人"][i],
                check_method=texts["核查方式"][i],
                finding=answers["发现的问题"][i],
                requirement=answers["整改要求"][i],
                redo_by=dates["重做期限"][i],
            )
        )
    return by_measure


_TEXTS = ("进展情况", "填报人", "核查结果", "抽查单位", "核查人", "核查方式")
_ANSWERS = ("佐证材料", "亮点经验", "存在问题", "下步计划", "发现的问题", "整改要求")
_DATES = ("完成时间", "填报日期", "核查日期", "重做期限")
_NOTHING = frozenset(NOTHING_WORDS)
_STATUS_COLUMNS = (
    ("done", DONE),
    ("doing", DOING),
    ("not_started", NOT_STARTED),
    ("standing", STANDING),
    ("unreported", UNREPORTED),
)


def _department_progress(
    table: pd.DataFrame,
    progress: list[MeasureProgress],
    settings: Settings,
    reporting: set[str],
    basis: str,
) -> list[DepartmentProgress]:
    """Each department's assignments counted in one groupby over the assignment table: by
    status, overdue and due soon (an open assignment of a measure that is), closed and refuted
    (by the spot-check verdict); ranked by completion rate, fewer overdue, more assignments,
    then the name. A department with no assignment has no progress to show."""
    if table.empty:
        return []
    window = settings.campaign.warning_days
    overdue_by_id = {m.id: m.overdue for m in progress}
    days_left_by_id = {m.id: m.days_left for m in progress}
    ids, status, verdict = table["编号"], table["完成状态"], table["核查结果"]
    is_open = status != DONE
    days_left = pd.to_numeric(ids.map(days_left_by_id), errors="coerce")
    flags = pd.DataFrame(
        {
            "department": table["填报单位"],
            "total": 1,
            **{key: status == value for key, value in _STATUS_COLUMNS},
            "overdue": is_open & ids.map(overdue_by_id).astype(bool),
            "due_soon": is_open & days_left.between(0, window),
            "closed": ~is_open & verdict.isin([VERIFIED, VERIFIED_WITH_REMARKS]),
            "refuted": is_open & (verdict == REFUTED),
            "lead": table["角色"] == LEAD,
        }
    )
    counted = flags.groupby("department", sort=False).sum()
    counts_by_department = counted[list(COUNT_FIELDS)].to_dict("records")
    names, measure_ids = table["填报单位"].tolist(), ids.tolist()
    overdue_ids = _ids_by_department(names, measure_ids, flags["overdue"].tolist())
    unreported_ids = _ids_by_department(names, measure_ids, flags["unreported"].tolist())
    config = {d.name: d for d in settings.departments}
    found = []
    for name, row, lead in zip(
        counted.index, counts_by_department, counted["lead"].tolist(), strict=True
    ):
        known = config.get(name)
        counts = Counts(**{key: int(n) for key, n in row.items()}, basis=basis)
        found.append(
            DepartmentProgress(
                name=name,
                kind=known.kind if known else "",
                leader=known.leader if known else "",
                lead=int(lead),
                counts=counts,
                sent_nothing=name not in reporting,
                overdue_ids=overdue_ids.get(name, ()),
                unreported_ids=unreported_ids.get(name, ()),
            )
        )
    found.sort(key=lambda d: (-d.counts.rate, d.counts.overdue, -d.counts.total, d.name))
    return found


def _ids_by_department(names: list, ids: list, chosen: list[bool]) -> dict[str, tuple[str, ...]]:
    """The ids of the chosen rows by department, in table order (a groupby's tuples, built in
    one pass: pandas aggregates into tuples in Python, group by group)."""
    found: dict[str, list[str]] = {}
    for name, measure_id, keep in zip(names, ids, chosen, strict=True):
        if keep and isinstance(name, str):
            found.setdefault(name, []).append(measure_id)
    return {name: tuple(listed) for name, listed in found.items()}


def _records(frame: pd.DataFrame) -> list[dict]:
    """frame.to_dict("records"), column by column: to_dict boxes the values one by one."""
    columns = list(frame.columns)
    return [
        dict(zip(columns, row, strict=True))
        for row in zip(*(frame[name].tolist() for name in columns), strict=True)
    ]


def summarise_progress(
    measures: pd.DataFrame,
    feedback: pd.DataFrame,
    as_of: dt.date,
    settings: Settings | None = None,
    departments: tuple[str, ...] = (),
    returned: tuple[str, ...] = (),
    checks: pd.DataFrame | None = None,
) -> Summary:
    """Apply the counting rules of domain.md to validated inputs as of `as_of`. `returned` are
    the departments a form was read from, those whose rows all fell out (an unfilled form) too:
    they have reported, with nothing filled in. `departments` (the configured ones) change
    nothing: the summary lists a department by its assignments, and ranks them.

    A submission dated after `as_of` is left out: a summary 截至 a date shows what was known then.
    """
    settings = settings or Settings()
    feedback = submitted_by(feedback, as_of)
    window = settings.campaign.warning_days
    basis = settings.spot_check.rate_basis
    table = apply_checks(assignments_of(measures, feedback), checks, settings.spot_check.redo_days)

    by_measure = _assignments_by_measure(table)

    leaders_by_department = {d.name: d.leader for d in settings.departments}
    progress: list[MeasureProgress] = []
    for row in _records(measures):
        assignments = tuple(by_measure.get(row["编号"], ()))
        status = measure_status([a.status for a in assignments])
        deadline = _date_or_none(row["完成时限"])
        redo_by = max((a.redo_by for a in assignments if a.redo_by), default=None)
        # A claim found 不属实 is due again by its new deadline, when that is the later one.
        due = max(deadline, redo_by) if deadline and redo_by else deadline or redo_by
        overdue_days = (as_of - due).days if due and due < as_of and status != DONE else 0
        days_left = (due - as_of).days if due else None
        if overdue_days:
            light = RED
        elif status != DONE and days_left is not None and 0 <= days_left <= window:
            light = YELLOW
        else:
            light = GREEN
        completed = [a.completed_on for a in assignments if a.completed_on]
        leader = row["分管领导"] or leaders_by_department.get(row["牵头部门"], "")
        progress.append(
            MeasureProgress(
                id=row["编号"],
                stream=row["专项"],
                problem=row["问题"],
                text=row["具体举措"],
                aspect=row["重点方面"],
                lead=row["牵头部门"],
                departments=tuple(row["部门"]),
                leader=leader,
                deadline=deadline,
                standing=bool(row["长期坚持"]),
                deadline_text=row["时限原文"],
                note=row["备注"],
                status=status,
                light=light,
                overdue_days=overdue_days,
                days_left=days_left,
                completed_on=max(completed) if status == DONE and completed else None,
                assignments=assignments,
                redo_by=redo_by,
            )
        )

    reporting = set(feedback["填报单位"].tolist()) if not feedback.empty else set()
    reporting |= set(returned)
    department_progress = _department_progress(table, progress, settings, reporting, basis)

    overdue = sorted((m for m in progress if m.overdue), key=lambda m: (-m.overdue_days, m.id))
    due_soon = sorted((m for m in progress if m.due_soon), key=lambda m: (m.days_left, m.id))
    aspect_order = (*ASPECTS, OTHER_ASPECT)
    return Summary(
        as_of=as_of,
        warning_days=window,
        counts=count_measures(progress, basis),
        measures=tuple(progress),
        streams=_groups(progress, lambda m: m.stream, STREAM_NAMES, basis),
        aspects=_groups(progress, lambda m: m.aspect, aspect_order, basis),
        problems=_groups(
            progress, lambda m: m.problem if m.stream == "巡察整改" else "", (), basis
        ),
        departments=tuple(department_progress),
        leaders=_groups(progress, lambda m: m.leader, (), basis),
        silent_departments=tuple(d.name for d in department_progress if d.sent_nothing),
        overdue=tuple(overdue),
        due_soon=tuple(due_soon),
    )
