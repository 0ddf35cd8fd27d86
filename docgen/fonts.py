"""The font names written into documents, by profile, and how one profile's names map to another's.

Templates are built with the default profile's names; an office whose machines only have stock
Windows fonts sets `[format] font_profile = "windows"` and gets 仿宋/楷体 instead of the _GB2312
faces. Settings check the profile's name here, the GB/T 9704 engine builds and checks with it,
and rendering renames the fonts of a filled template with font_mapping.
"""

from dataclasses import dataclass, fields

from docgen.errors import DocgenError


@dataclass(frozen=True)
class FontProfile:
    """The standard names families; offices name fonts."""

    name: str
    fangsong: str  # 仿宋: body text, third and fourth level headings
    kaiti: str  # 楷体: second level headings, names of 签发人
    heiti: str  # 黑体: first level headings, 附件 labels
    xiaobiaosong: str  # 小标宋: titles, 发文机关标志
    songti: str  # 宋体: page numbers
    latin: str = "Times New Roman"  # digits and Latin letters, as offices set them


FONT_PROFILES = {
    # The names on machines set up for official work (方正 and the GB2312 editions installed).
    "gb2312": FontProfile(
        name="gb2312",
        fangsong="仿宋_GB2312",
        kaiti="楷体_GB2312",
        heiti="黑体",
        xiaobiaosong="方正小标宋简体",
        songti="宋体",
    ),
    # Stock Windows has 仿宋 and 楷体 but no 小标宋; 宋体 is the one 宋 face every machine has.
    "windows": FontProfile(
        name="windows",
        fangsong="仿宋",
        kaiti="楷体",
        heiti="黑体",
        xiaobiaosong="宋体",
        songti="宋体",
    ),
}
DEFAULT_FONT_PROFILE = "gb2312"


def font_profile(profile: "str | FontProfile | None" = None) -> FontProfile:
    """A FontProfile from its name ("gb2312", "windows"), or the profile itself."""
    if isinstance(profile, FontProfile):
        return profile
    key = (profile or DEFAULT_FONT_PROFILE).strip().lower()
    if key not in FONT_PROFILES:
        names = "、".join(FONT_PROFILES)
        raise DocgenError(f"未知的字体方案 {profile!r}，可用的方案：{names}")
    return FONT_PROFILES[key]


def font_mapping(profile: "str | FontProfile | None") -> dict[str, str]:
    """The default profile's font names -> this profile's, role by role; {} for the default."""
    target, source = font_profile(profile), font_profile(DEFAULT_FONT_PROFILE)
    if target == source:
        return {}
    roles = [f.name for f in fields(FontProfile) if f.name != "name"]
    return {getattr(source, role): getattr(target, role) for role in roles}
