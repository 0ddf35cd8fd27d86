"""The numbers of GB/T 9704-2012, shared by the builder and the checker (font names: docgen.fonts)."""

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4

# Clause 5: A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm, hence bottom 35 and right 26.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# A landscape table page is the portrait page turned so that the table head faces the binding edge.
LANDSCAPE_MARGINS_MM = {"top": 28, "bottom": 26, "left": 35, "right": 37}
MARGIN_TOLERANCE_MM = 1
TYPE_AREA_WIDTH_MM, TYPE_AREA_HEIGHT_MM = 156, 225

# 22 lines in 225 mm: 579 twips fits (22 × 579 = 12738 ≤ 12756), 580 gives 21 (measured).
LINE_PITCH_TWIPS = 579
# 28 × 16 pt = 448 pt does not fit 442.2 pt; −0.25 pt per character makes 28 fit (measured).
CHAR_SPACING_TWIPS = -5
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Chinese size names in points.
SIZE_PT = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
}
BODY_PT = SIZE_PT["三号"]
TITLE_PT = SIZE_PT["二号"]
PAGE_NUMBER_PT = SIZE_PT["四号"]
COLOPHON_PT = SIZE_PT["四号"]
CHAR_TWIPS = BODY_PT * TWIPS_PER_PT  # 1 字 of 3号 text, the unit of indents

RED = "FF0000"


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def twips_to_mm(twips: float) -> float:
    return twips / TWIPS_PER_MM


# Names that mean the same family, for a checker looking at documents made elsewhere.
FAMILY_ALIASES = {
    "fangsong": {
        "仿宋_GB2312",
        "仿宋",
        "FangSong",
        "FangSong_GB2312",
        "仿宋体",
        "STFangsong",
        "华文仿宋",
    },
    "kaiti": {"楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "楷体体", "STKaiti", "华文楷体"},
    "heiti": {"黑体", "SimHei", "方正黑体简体", "方正黑体_GBK"},
    "xiaobiaosong": {
        "方正小标宋简体",
        "方正小标宋_GBK",
        "方正小标宋",
        "FZXiaoBiaoSong-B05S",
        "小标宋",
        "华文中宋",
        "STZhongsong",
        "宋体",
        "SimSun",
    },
    "songti": {"宋体", "SimSun", "新宋体", "NSimSun"},
}
