"""docgen.toml -> a frozen Settings object. Every key is optional; unknown keys are errors."""

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from docgen.errors import ConfigError
from docgen.model import DEPARTMENT_KINDS
from docgen.official.geometry import FONT_PROFILES

CONFIG_NAME = "docgen.toml"


@dataclass(frozen=True)
class Department:
    """A department named in docgen.toml: its kind (处室 / 分局 / 党支部) and its leader."""

    name: str = ""
    kind: str = ""
    leader: str = ""


@dataclass(frozen=True)
class Organisation:
    name: str = "XX局"
    short_name: str = ""
    party_group: str = ""
    office: str = "局办公室"
    doc_prefix: str = "党组发"
    signer: str = ""

    @property
    def party_group_name(self) -> str:
        return self.party_group or f"中共{self.name}党组"


@dataclass(frozen=True)
class Campaign:
    year: int = 0
    as_of: dt.date | None = None
    warning_days: int = 7
    return_deadline: dt.date | None = None


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
class Settings:
    organisation: Organisation = field(default_factory=Organisation)
    campaign: Campaign = field(default_factory=Campaign)
    addressees: Addressees = field(default_factory=Addressees)
    format: Format = field(default_factory=Format)
    departments: tuple[Department, ...] = ()
    source: Path | None = None

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
    unknown = sorted(set(data) - set(_SECTIONS) - {"departments"})
    if unknown:
        allowed = "、".join([*_SECTIONS, "departments"])
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
    return Settings(**parts, departments=tuple(departments), source=source)


def load_settings(inputs: Path) -> Settings:
    """Read inputs/docgen.toml if present; a missing file gives the defaults."""
    path = Path(inputs) / CONFIG_NAME
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
