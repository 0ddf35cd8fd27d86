"""docgen.toml -> a frozen Settings object. Every key is optional; unknown keys are errors."""

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from docgen.errors import ConfigError
from docgen.fonts import FONT_PROFILES
from docgen.model import DEPARTMENT_KINDS, STREAM_NAMES

CONFIG_NAME = "docgen.toml"


@dataclass(frozen=True)
class Department:
    """A department named in docgen.toml: its kind (处室 / 分局 / 党支部) and its leader."""

    name: str = ""
    kind: str = ""
    leader: str = ""


@dataclass(frozen=True)
class Organisation:
    """The organ: `name` "" means not configured, and docgen takes it from the measure list's
    title row (build.load_campaign); `office` issues the forms, briefs and urging notices;
    `contact` and `phone` are the office's contact line in urging notices."""

    name: str = ""
    short_name: str = ""
    party_group: str = ""
    office: str = "局办公室"
    doc_prefix: str = "党组发"
    signer: str = ""
    contact: str = ""
    phone: str = ""

    @property
    def party_group_name(self) -> str:
        return self.party_group or f"中共{self.name}党组"


@dataclass(frozen=True)
class Campaign:
    year: int = 0
    as_of: dt.date | None = None
    warning_days: int = 7
    return_deadline: dt.date | None = None
    # The superior's notice the reports answer (《关于开展…自查工作的通知》), and the office's
    # notice that sent out the feedback forms, which urging notices cite.
    notice: str = ""
    form_notice: str = ""


@dataclass(frozen=True)
class Addressees:
    superior: str = ""
    copy_to: tuple[str, ...] = ()
    lead_office: str = ""
    brief_report: tuple[str, ...] = ()
    brief_send: tuple[str, ...] = ()
    brief_issue: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    font_profile: str = "gb2312"


@dataclass(frozen=True)
class Limits:
    """What docgen reads before it refuses a file as too large (see loading.ReadLimits).

    The defaults leave room for a province-scale campaign (3,000 measures, 30,000 feedback rows
    from 500 departments) several times over."""

    max_file_mb: int = 50  # one input file, in MB
    max_rows: int = 200_000  # sheet rows of the measure list and every returned form together


# --- the deadline calendar ([schedule]) -------------------------------------------------------

# What a schedule rule can produce: the key written in docgen.toml and the name a clerk reads.
DOCUMENT_KINDS = {
    "forms": "反馈表",
    "brief": "督导简报",
    "urge": "催办通知",
    "self-check": "自查报告",
    "year-end": "年终总结",
    "ledger": "整改台账",
    "spot-check": "督导抽查情况报告",
    "spot-check-plan": "督导抽查记录表",
    "info": "工作动态",
    "build": "全部文件",
}
# The kinds of milestone a campaign has; a rule names a milestone or a whole kind.
MILESTONE_KINDS = {
    "form-return": "反馈表报送截止",
    "spot-check": "督导抽查",
    "self-check": "自查报告报送截止",
    "year-end": "年度工作结束",
    "other": "其他",
}
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_WORDS = {
    **{name: number for number, name in enumerate(WEEKDAY_NAMES, start=1)},
    **{f"星期{name[1]}": number for number, name in enumerate(WEEKDAY_NAMES, start=1)},
    "星期天": 7,
    "周天": 7,
    **{
        word: number
        for number, words in enumerate(
            (
                ("monday", "mon"),
                ("tuesday", "tue"),
                ("wednesday", "wed"),
                ("thursday", "thu"),
                ("friday", "fri"),
                ("saturday", "sat"),
                ("sunday", "sun"),
            ),
            start=1,
        )
        for word in words
    },
}
# The longest a rule can look before or after a milestone, and repeat.
MAX_SCHEDULE_DAYS = 366


@dataclass(frozen=True)
class Milestone:
    """A dated step of the campaign: a return date, a spot-check, the superior's deadline."""

    name: str = ""
    date: dt.date | None = None
    kind: str = "other"


@dataclass(frozen=True)
class ScheduleRule:
    """When to produce one kind of document: days before or after a milestone, on a weekday, or
    with whatever the other rules produce. See docgen.schedule for how a rule is read."""

    document: str = ""
    milestone: str = ""
    days_before: int | None = None
    days_after: int | None = None
    repeat_every: int = 0
    weekday: tuple[int, ...] = ()
    # A weekday rule without a milestone: every `every_weeks` weeks (2: the weekday of the even
    # ISO weeks, 每两周).
    every_weeks: int = 1
    with_others: bool = False


# The calendar of docs/scheduling.md: forms two weeks before the return date, urging three days
# before it and weekly after it while anyone is late, the brief every Friday and the day after a
# spot-check, the spot-check sample a week before the spot-check and its report the day after,
# the self-check report five days before the superior's deadline, the year-end
# summary ten days before the year ends, and the ledger whenever anything else is produced.
DEFAULT_RULES = (
    ScheduleRule("forms", milestone="form-return", days_before=14),
    ScheduleRule("urge", milestone="form-return", days_before=3),
    ScheduleRule("urge", milestone="form-return", days_after=1, repeat_every=7),
    ScheduleRule("brief", weekday=(5,)),
    ScheduleRule("info", weekday=(5,), every_weeks=2),
    ScheduleRule("spot-check-plan", milestone="spot-check", days_before=7),
    ScheduleRule("brief", milestone="spot-check", days_after=1),
    ScheduleRule("spot-check", milestone="spot-check", days_after=1),
    ScheduleRule("self-check", milestone="self-check", days_before=5),
    ScheduleRule("year-end", milestone="year-end", days_before=10),
    ScheduleRule("ledger", with_others=True),
)


@dataclass(frozen=True)
class Schedule:
    milestones: tuple[Milestone, ...] = ()
    rules: tuple[ScheduleRule, ...] = DEFAULT_RULES
    # Days after the as-of date every document gives: to report (urging notices, the brief, the
    # reports' plans to chase returns), and to finish an overdue measure whose department names
    # no date of its own.
    urge_days: int = 7
    catch_up_days: int = 30


# How the completion rate counts: what departments report done, or only what a spot-check verified.
RATE_BASES = {"reported": "按部门报告", "verified": "按核验销号"}


@dataclass(frozen=True)
class SpotCheck:
    """[spot_check]: how a 督导抽查 sample is drawn (domain.md "Stream leads, spot-checks and 销号"):
    `ratio` of each stream's completed assignments, at least `minimum` per stream where there are
    that many, plus every risk item (`no_evidence`: a completion with no 佐证材料; `late`: one
    completed after its deadline); `redo_days` given to redo an item found 不属实; `rate_basis`
    what the completion rate counts (reported / verified)."""

    ratio: float = 0.2
    minimum: int = 2
    no_evidence: bool = True
    late: bool = True
    redo_days: int = 15
    rate_basis: str = "reported"


@dataclass(frozen=True)
class Settings:
    organisation: Organisation = field(default_factory=Organisation)
    campaign: Campaign = field(default_factory=Campaign)
    addressees: Addressees = field(default_factory=Addressees)
    format: Format = field(default_factory=Format)
    limits: Limits = field(default_factory=Limits)
    departments: tuple[Department, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)
    # [streams]: each work stream's lead department (各项工作牵头部门), which spot-checks it.
    stream_leads: tuple[tuple[str, str], ...] = ()
    spot_check: SpotCheck = field(default_factory=SpotCheck)
    source: Path | None = None

    def stream_lead(self, stream: str) -> str:
        """The department that spot-checks `stream`: its [streams] lead, else "" (the office)."""
        return dict(self.stream_leads).get(stream, "")

    def department(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)

    def year_for(self, as_of: dt.date) -> int:
        return self.campaign.year or as_of.year


# What each key means, shown in messages and written into the commented config by `docgen init`.
_SECTIONS = {
    "organisation": Organisation,
    "campaign": Campaign,
    "addressees": Addressees,
    "format": Format,
    "limits": Limits,
}


def _describe(kind) -> str:
    return {
        str: "文字",
        int: "整数",
        dt.date: "日期（如 2026-11-26）",
        tuple[str, ...]: '文字列表（如 ["甲", "乙"]）',
    }.get(kind, "文字")


def _coerce(value, kind, where: str):
    """Convert one TOML value to the field's type or raise a ConfigError naming the key."""
    if kind == dt.date | None or kind is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ConfigError(f"{where} 的值 {value!r} 不是日期，请写成 2026-11-26 的形式。")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} 的值 {value!r} 应为整数。")
        return value
    if kind == tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where} 的值 {value!r} 应为文字列表，如 ["甲", "乙"]。')
        return tuple(v.strip() for v in value if v.strip())
    if not isinstance(value, str):
        raise ConfigError(f"{where} 的值 {value!r} 应为文字（用英文引号括起来）。")
    return value.strip()


def _build(cls, table: dict, where: str):
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        names = "、".join(unknown)
        allowed = "、".join(known)
        raise ConfigError(f"{where} 中有未知的设置项：{names}。可用的设置项：{allowed}。")
    values = {
        key: _coerce(value, known[key].type, f"{where}.{key}") for key, value in table.items()
    }
    return cls(**values)


def parse_settings(data: dict, source: Path | None = None) -> Settings:
    """Turn the parsed TOML tables into Settings, checking every key and value."""
    where = str(source) if source else CONFIG_NAME
    unknown = sorted(
        set(data) - set(_SECTIONS) - {"departments", "schedule", "streams", "spot_check"}
    )
    if unknown:
        allowed = "、".join([*_SECTIONS, "schedule", "departments", "streams", "spot_check"])
        raise ConfigError(
            f"{where} 中有未知的设置节：{'、'.join(unknown)}。可用的设置节：{allowed}。"
        )
    parts = {}
    for name, cls in _SECTIONS.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where} 中的 {name} 应写成 [{name}] 设置节。")
        parts[name] = _build(cls, table, f"{where} [{name}]")
    campaign = parts["campaign"]
    if campaign.warning_days < 0 or campaign.warning_days > 366:
        raise ConfigError(
            f"{where} [campaign].warning_days 的值 {campaign.warning_days} 应在 0 到 366 之间。"
        )
    if parts["format"].font_profile not in FONT_PROFILES:
        raise ConfigError(
            f"{where} [format].font_profile 的值 {parts['format'].font_profile!r} 无效，"
            "应为 gb2312（方正小标宋、仿宋_GB2312 等公文字体）或 windows（Windows 自带的宋体、仿宋、楷体）。"
        )
    if campaign.year and not 2000 <= campaign.year <= 2100:
        raise ConfigError(f"{where} [campaign].year 的值 {campaign.year} 不是有效年份。")
    limits = parts["limits"]
    if not 1 <= limits.max_file_mb <= 4096:
        raise ConfigError(
            f"{where} [limits].max_file_mb 的值 {limits.max_file_mb} 应在 1 到 4096（MB）之间。"
        )
    if not 100 <= limits.max_rows <= 10_000_000:
        raise ConfigError(
            f"{where} [limits].max_rows 的值 {limits.max_rows} 应在 100 到 10000000 之间。"
        )

    departments_data = data.get("departments", [])
    if not isinstance(departments_data, list):
        raise ConfigError(f"{where} 中的部门应写成 [[departments]] 表，每个部门一节。")
    departments = []
    seen = set()
    for index, table in enumerate(departments_data, start=1):
        label = f"{where} 第{index}个 [[departments]]"
        department = _build(Department, table, label)
        if not department.name:
            raise ConfigError(f"{label} 缺少 name（部门名称）。")
        if department.kind and department.kind not in DEPARTMENT_KINDS:
            kinds = "、".join(DEPARTMENT_KINDS)
            raise ConfigError(f"{label} 的 kind 值 {department.kind!r} 无效，应为 {kinds} 之一。")
        if department.name in seen:
            raise ConfigError(f"{label} 的部门 {department.name!r} 重复，请删除重复的一节。")
        seen.add(department.name)
        departments.append(department)
    schedule = parse_schedule(data.get("schedule", {}), where)
    return Settings(
        **parts,
        departments=tuple(departments),
        schedule=schedule,
        stream_leads=parse_streams(data.get("streams", {}), where),
        spot_check=parse_spot_check(data.get("spot_check", {}), where),
        source=source,
    )


def parse_streams(table, where: str) -> tuple[tuple[str, str], ...]:
    """[streams]: "警示教育" = "机关党委", one line per stream, the stream named as in the measures."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} 中的 streams 应写成 [streams] 设置节。")
    leads = []
    for stream, lead in table.items():
        if stream not in STREAM_NAMES:
            raise ConfigError(
                f"{where} [streams] 中的 {stream!r} 不是工作专项，应为 {'、'.join(STREAM_NAMES)} 之一"
                '（写成 "警示教育" = "机关党委"）。'
            )
        if not isinstance(lead, str) or not lead.strip():
            raise ConfigError(
                f"{where} [streams].{stream} 的值 {lead!r} 应为牵头部门的名称（用英文引号括起来）。"
            )
        leads.append((stream, lead.strip()))
    return tuple(leads)


def parse_spot_check(table, where: str) -> SpotCheck:
    """[spot_check]: ratio (0–1), minimum, no_evidence and late (true/false), redo_days, rate_basis."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} 中的 spot_check 应写成 [spot_check] 设置节。")
    known = {f.name: f for f in fields(SpotCheck)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where} [spot_check] 中有未知的设置项：{'、'.join(unknown)}。"
            f"可用的设置项：{'、'.join(known)}。"
        )
    values = {}
    label = f"{where} [spot_check]"
    if "ratio" in table:
        ratio = table["ratio"]
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1:
            raise ConfigError(
                f"{label}.ratio 的值 {ratio!r} 应为 0 到 1 之间的小数（如 0.2 表示抽取 20%）。"
            )
        values["ratio"] = float(ratio)
    for key, low, high in (("minimum", 0, 1000), ("redo_days", 1, 365)):
        if key in table:
            values[key] = _schedule_int(table[key], f"{label}.{key}", low, high)
    for key in ("no_evidence", "late"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{label}.{key} 的值 {table[key]!r} 应为 true 或 false。")
            values[key] = table[key]
    if "rate_basis" in table:
        values["rate_basis"] = _choice(table["rate_basis"], f"{label}.rate_basis", RATE_BASES)
    return SpotCheck(**values)


def parse_schedule(table, where: str) -> Schedule:
    """[schedule]: urge_days, catch_up_days, [[schedule.milestones]] and [[schedule.rules]], every
    value checked.

    Rules given in the file replace the default rules entirely (an empty list turns them off).
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{where} 中的 schedule 应写成 [schedule] 设置节。")
    known = ("urge_days", "catch_up_days", "milestones", "rules")
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where} [schedule] 中有未知的设置项：{'、'.join(unknown)}。"
            f"可用的设置项：{'、'.join(known)}。"
        )
    urge_days, catch_up_days = Schedule.urge_days, Schedule.catch_up_days
    if "urge_days" in table:
        urge_days = _schedule_int(table["urge_days"], f"{where} [schedule].urge_days", 1, 90)
    if "catch_up_days" in table:
        catch_up_days = _schedule_int(
            table["catch_up_days"], f"{where} [schedule].catch_up_days", 1, 365
        )
    milestones = tuple(
        _milestone(item, f"{where} 第{index}个 [[schedule.milestones]]")
        for index, item in enumerate(_table_list(table, "milestones", where), start=1)
    )
    names = [m.name for m in milestones]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(
            f"{where} [[schedule.milestones]] 中的名称 {'、'.join(duplicates)} 重复，"
            "每个时间节点请用不同的 name。"
        )
    rules = DEFAULT_RULES
    if "rules" in table:
        rules = tuple(
            _rule(item, f"{where} 第{index}条 [[schedule.rules]]", names)
            for index, item in enumerate(_table_list(table, "rules", where), start=1)
        )
    return Schedule(
        milestones=milestones, rules=rules, urge_days=urge_days, catch_up_days=catch_up_days
    )


def _table_list(table: dict, key: str, where: str) -> list[dict]:
    items = table.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ConfigError(f"{where} 中的 schedule.{key} 应写成 [[schedule.{key}]] 表，每项一节。")
    return items


def _check_keys(item: dict, cls, label: str) -> None:
    allowed = [f.name for f in fields(cls)]
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        raise ConfigError(
            f"{label} 中有未知的设置项：{'、'.join(unknown)}。可用的设置项：{'、'.join(allowed)}。"
        )


def _schedule_int(value, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where} 的值 {value!r} 应为 {low} 到 {high} 之间的整数。")
    return value


def _choice(value, where: str, choices: dict[str, str]) -> str:
    """A key of `choices`, also accepted as its Chinese name."""
    if isinstance(value, str):
        text = value.strip()
        if text in choices:
            return text
        for key, name in choices.items():
            if text == name:
                return key
    allowed = "、".join(f"{key}（{name}）" for key, name in choices.items())
    raise ConfigError(f"{where} 的值 {value!r} 无效，应为 {allowed} 之一。")


def _milestone(item: dict, label: str) -> Milestone:
    _check_keys(item, Milestone, label)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{label} 缺少 name（时间节点名称，如“第二轮反馈表报送截止”）。")
    if "date" not in item:
        raise ConfigError(f"{label}（{name.strip()}）缺少 date（日期，如 2026-11-25）。")
    day = _coerce(item["date"], dt.date, f"{label}.date")
    kind = _choice(item.get("kind", "other"), f"{label}.kind", MILESTONE_KINDS)
    return Milestone(name=name.strip(), date=day, kind=kind)


def _weekdays(value, where: str) -> tuple[int, ...]:
    values = value if isinstance(value, list) else [value]
    days = []
    for item in values:
        if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 7:
            days.append(item)
        elif isinstance(item, str) and item.strip().lower() in _WEEKDAY_WORDS:
            days.append(_WEEKDAY_WORDS[item.strip().lower()])
        else:
            raise ConfigError(
                f"{where} 的值 {item!r} 不是星期几，请写成“周五”（或 1 到 7，1 为周一），"
                '多个时写成 ["周二", "周五"]。'
            )
    if not days:
        raise ConfigError(f"{where} 不能为空列表。")
    return tuple(sorted(set(days)))


def _rule(item: dict, label: str, milestone_names: list[str]) -> ScheduleRule:
    _check_keys(item, ScheduleRule, label)
    if "document" not in item:
        raise ConfigError(f"{label} 缺少 document（生成什么：forms、brief、urge 等）。")
    document = _choice(item["document"], f"{label}.document", DOCUMENT_KINDS)
    milestone = ""
    if "milestone" in item:
        value = item["milestone"]
        text = value.strip() if isinstance(value, str) else ""
        if text in milestone_names:
            milestone = text
        elif text in MILESTONE_KINDS or text in MILESTONE_KINDS.values():
            milestone = _choice(text, f"{label}.milestone", MILESTONE_KINDS)
        else:
            named = "、".join(milestone_names) or "（未设置）"
            raise ConfigError(
                f"{label}.milestone 的值 {value!r} 既不是 [[schedule.milestones]] 中的名称"
                f"（{named}），也不是时间节点类别（{'、'.join(MILESTONE_KINDS)}）。"
            )
    days = {}
    for key in ("days_before", "days_after"):
        if key in item:
            days[key] = _schedule_int(item[key], f"{label}.{key}", 0, MAX_SCHEDULE_DAYS)
    repeat = 0
    if "repeat_every" in item:
        repeat = _schedule_int(item["repeat_every"], f"{label}.repeat_every", 1, MAX_SCHEDULE_DAYS)
    weekday = _weekdays(item["weekday"], f"{label}.weekday") if "weekday" in item else ()
    every_weeks = 1
    if "every_weeks" in item:
        every_weeks = _schedule_int(item["every_weeks"], f"{label}.every_weeks", 1, 8)
        if not weekday or milestone:
            raise ConfigError(
                f"{label} 写了 every_weeks（每几周一次），需与 weekday 同写，不写 milestone。"
            )
    with_others = item.get("with_others", False)
    if not isinstance(with_others, bool):
        raise ConfigError(f"{label}.with_others 的值 {with_others!r} 应为 true 或 false。")
    if with_others and (milestone or days or repeat or weekday):
        raise ConfigError(
            f"{label} 写了 with_others = true（随其他文件一并生成），就不要再写 milestone、"
            "days_before、days_after、repeat_every 或 weekday。"
        )
    if milestone and not days:
        raise ConfigError(
            f"{label} 写了 milestone，还需写 days_before（节点前几天）或 days_after（节点后几天）。"
        )
    if days and not milestone:
        raise ConfigError(
            f"{label} 写了 days_before 或 days_after，还需写 milestone（哪个时间节点）。"
        )
    if repeat and "days_after" not in days:
        raise ConfigError(f"{label} 写了 repeat_every，还需写 days_after（节点后第几天开始）。")
    if repeat and weekday:
        raise ConfigError(f"{label} 不能同时写 repeat_every 和 weekday，请分成两条规则。")
    if not (milestone or weekday or with_others):
        raise ConfigError(
            f"{label} 没有说明何时生成：请写 milestone 加 days_before / days_after，"
            "或 weekday，或 with_others = true。"
        )
    return ScheduleRule(
        document=document,
        milestone=milestone,
        days_before=days.get("days_before"),
        days_after=days.get("days_after"),
        repeat_every=repeat,
        weekday=weekday,
        with_others=with_others,
        every_weeks=every_weeks,
    )


def load_settings(folder: Path) -> Settings:
    """Read the workspace folder's docgen.toml if present; a missing file gives the defaults."""
    path = Path(folder) / CONFIG_NAME
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} 不是 UTF-8 编码，请用记事本“另存为 UTF-8”后重试。") from None
    except OSError as exc:
        raise ConfigError(f"无法读取 {path}：{exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} 格式有误：{exc}。请检查引号、等号和方括号是否成对。") from None
    return parse_settings(data, path)
