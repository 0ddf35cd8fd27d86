"""Chinese formatting for official documents, as pure functions that double as Jinja filters.

Kept free of pandas and docx so that the CLI can import it cheaply. Every function accepts the
values a spreadsheet gives (None, NaN, dates, numbers, strings) and returns text.
"""

import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_DIGITS = "〇一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")

# The width of a line of 3号 body text in characters (GB/T 9704: 28 per line).
LINE_CHARS = 28


def is_blank(value) -> bool:
    """True for None, NaN, pandas NA/NaT and strings holding only whitespace."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NaTType", "NAType"):
        return True
    return isinstance(value, str) and not value.strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def to_date(value) -> dt.date | None:
    """A date from a date, a datetime (pandas Timestamp included) or an ISO-like string."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                year, month, day = (int(part) for part in match.groups())
                return dt.date(year, month, day)
    raise ValueError(f"无法识别的日期：{value!r}")


def date_cn(value) -> str:
    """2026年11月26日: Arabic digits, year in full, no zero padding (GB/T 9704-2012 7.3.5.4)."""
    day = to_date(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day_cn(value) -> str:
    """11月26日, for dates inside a year already named."""
    day = to_date(value)
    if day is None:
        return ""
    return f"{day.month}月{day.day}日"


def span_cn(dates) -> str:
    """2026年6月20日至6月30日: the first and the last of a span (date_span), the year said again
    only when it changes; one date alone as date_cn."""
    first, last = to_date(dates[0]), to_date(dates[-1])
    if first == last:
        return date_cn(first)
    return f"{date_cn(first)}至{month_day_cn(last) if last.year == first.year else date_cn(last)}"


def year_upper_cn(value) -> str:
    """二〇二六年, only for the places that ask for Chinese numerals (not 成文日期 since 2012)."""
    if is_blank(value):
        return ""
    year = value if isinstance(value, int) else to_date(value).year
    return "".join(_DIGITS[int(d)] for d in str(year)) + "年"


def date_upper_cn(value) -> str:
    """二〇二六年十一月二十六日, the pre-2012 style, for where it is expressly wanted."""
    day = to_date(value)
    if day is None:
        return ""
    return f"{year_upper_cn(day.year)}{number_cn(day.month)}月{number_cn(day.day)}日"


def number_cn(value) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 101 → 一百零一 (1 to 99999999)."""
    number = _positive_int(value)
    if number >= 10**8:
        raise ValueError(f"数字过大，无法写成汉字：{value!r}")
    if number < 10**4:
        return _below_ten_thousand(number, leading=True)
    high, low = divmod(number, 10**4)
    text = _below_ten_thousand(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_ten_thousand(low, leading=False)
    return text


def _below_ten_thousand(number: int, leading: bool) -> str:
    digits = [int(d) for d in str(number)]
    text = ""
    pending_zero = False
    for position, digit in enumerate(digits):
        unit = _SMALL_UNITS[len(digits) - position - 1]
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        # 十一, not 一十一, when 十 leads the whole number.
        if not (leading and digit == 1 and unit == "十" and not text):
            text += _DIGITS[digit]
        text += unit
    return text


def _positive_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError(f"不是序号：{value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"序号应为正整数：{value!r}")
    return value


def heading1(value) -> str:
    """一、 (first-level heading number)."""
    return number_cn(value) + "、"


def heading2(value) -> str:
    """（一） with full-width brackets (second level)."""
    return f"（{number_cn(value)}）"


def heading3(value) -> str:
    """1. (third level; a half-width full stop, as in GB/T 9704 examples)."""
    return f"{_positive_int(value)}."


def heading4(value) -> str:
    """（1） (fourth level)."""
    return f"（{_positive_int(value)}）"


HEADING_NUMBERS = {1: heading1, 2: heading2, 3: heading3, 4: heading4}


def _round_half_up(value: Fraction | Decimal, places: int = 1) -> Decimal:
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value
    )
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(ratio, places: int = 1) -> str:
    """0.76 → 76.0%: a ratio as a percentage, rounded half up (not Python's banker's rounding)."""
    if is_blank(ratio):
        return ""
    exact = Decimal(str(ratio)) * 100
    return f"{_round_half_up(exact, places)}%"


def percent_of(part, total, places: int = 1) -> str:
    """19 of 25 → 76.0%. A zero total has no rate, so it is an error rather than 0.0%."""
    if total is None or total <= 0:
        raise ValueError(f"总数为 {total}，无法计算百分比")
    return f"{_round_half_up(Fraction(int(part) * 100, int(total)), places)}%"


def percent_split(counts, places: int = 1) -> list[str]:
    """Shares of a whole that add up to exactly 100%, by the largest-remainder method."""
    counts = [int(c) for c in counts]
    total = sum(counts)
    if total <= 0:
        raise ValueError("各项之和为 0，无法计算占比")
    scale = 10**places
    exact = [Fraction(c * 100 * scale, total) for c in counts]
    floors = [math.floor(x) for x in exact]
    short = 100 * scale - sum(floors)
    order = sorted(
        range(len(counts)), key=lambda i: (exact[i] - floors[i], counts[i]), reverse=True
    )
    for i in order[:short]:
        floors[i] += 1
    return [f"{Decimal(f).scaleb(-places):.{places}f}%" for f in floors]


def count(value, unit: str = "项") -> str:
    """3 → 3项; count(3, "个") → 3个. Arabic digits, as official prose writes counts."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


def doc_number(prefix: str, year, serial) -> str:
    """X党组发〔2026〕3号: year in full inside 六角括号, serial without 第 and without zero padding."""
    prefix = str(prefix).strip()
    if not prefix:
        raise ValueError("发文字号缺少机关代字")
    year = int(year)
    if not 1900 <= year <= 2200:
        raise ValueError(f"发文字号的年份无效：{year}")
    return f"{prefix}〔{year}〕{_positive_int(serial)}号"


def join_cn(items, separator: str = "、", limit: int | None = None, unit: str = "个") -> str:
    """A、B、C. With a limit, the list is cut and ends 等N个 with N the full count."""
    names = [str(item).strip() for item in items if not is_blank(item)]
    if limit is not None and len(names) > limit:
        return f"{separator.join(names[:limit])}等{len(names)}{unit}"
    return separator.join(names)


def char_width(char: str) -> float:
    """The width of one character in 字: 1 for CJK and full-width forms, 0.5 otherwise."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


def text_width(value) -> float:
    """The width of a text in 字 (a Chinese character is 1, a digit or Latin letter 0.5)."""
    return sum(char_width(c) for c in str(value or "") if c not in "\n\r")


# Word, WPS and LibreOffice set a digit or Latin letter apart from a Chinese character beside it
# (the "调整中文与数字的间距" of a paragraph): about 0.18 字 at each such boundary, which makes
# 2026年11月26日 print nearly 1 字 wider than its 7 字.
_BOUNDARY_SPACE = 0.18
_HALF_BESIDE_FULL = re.compile(r"(?<=[0-9A-Za-z])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[0-9A-Za-z])")


def printed_width(value) -> float:
    """The width a line of text takes on the page, in 字, with the space set between digits or
    Latin letters and the Chinese characters beside them."""
    text = str(value or "")
    return text_width(text) + _BOUNDARY_SPACE * len(_HALF_BESIDE_FULL.findall(text))


def _pad(width: float) -> str:
    """Full-width spaces for whole 字, two ASCII spaces for a half 字 (Times New Roman)."""
    width = max(width, 0.0)
    whole = int(width)
    return "\u3000" * whole + ("  " if width - whole >= 0.5 else "")


def signature_org(org, date, sealed: bool = False, line: int = LINE_CHARS) -> str:
    """The 发文机关署名 line, placed as GB/T 9704 7.3.5 wants it for the lengths at hand.

    Unsealed (7.3.5.2): the name is 2 字 from the right and the date starts 2 字 right of the
    name; when the date is the longer, the date is 2 字 from the right and the name moves left.
    Sealed (7.3.5.1): the date is 4 字 from the right and the name is centred over it.
    The line that ends 2 字 from the right starts with a tab, for the right tab stop the
    template's 署名 and 日期 styles carry there; the other is padded with spaces from the left.
    """
    org_text, date_text = str(org or ""), _date_text(date)
    org_w, date_w = printed_width(org_text), printed_width(date_text)
    if not sealed and org_w >= date_w + 2:
        return "\t" + org_text
    org_start, _ = _signature_columns(org_w, date_w, sealed, line)
    return _pad(org_start) + org_text


def signature_date(date, org, sealed: bool = False, line: int = LINE_CHARS) -> str:
    """The 成文日期 line matching signature_org (the same rule, the other line)."""
    org_text, date_text = str(org or ""), _date_text(date)
    org_w, date_w = printed_width(org_text), printed_width(date_text)
    if not sealed and org_w < date_w + 2:
        return "\t" + date_text
    _, date_start = _signature_columns(org_w, date_w, sealed, line)
    return _pad(date_start) + date_text


def _date_text(value) -> str:
    if isinstance(value, dt.date):
        return date_cn(value)
    return str(value or "")


def _signature_columns(org: float, date: float, sealed: bool, line: int) -> tuple[float, float]:
    """Where the name and the date start, in 字 from the left edge of the type area."""
    if sealed:
        date_start = line - 4 - date
        return max(date_start + (date - org) / 2, 0), max(date_start, 0)
    if org >= date + 2:
        org_start = line - 2 - org
        return max(org_start, 0), org_start + 2
    date_start = line - 2 - date
    return max(date_start - 2, 0), date_start


_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!])|([,;:?!])\s*(?={_CJK})")
_PARENS_AROUND_CJK = re.compile(rf"\(([^()]*{_CJK}[^()]*)\)")
_QUOTES_AROUND_CJK = re.compile(rf'"([^"]*{_CJK}[^"]*)"')
# A text with none of these has nothing to convert (the common case, checked first).
_HALF_WIDTH = re.compile(r'[,;:?!()"]')


def fullwidth_punct(value) -> str:
    """Half-width , ; : ? ! ( ) and "" next to Chinese text become their full-width forms.

    Punctuation between digits or Latin words (1,000  10:30  f(x)  "OK") is left alone, and so is
    the full stop, which is ambiguous (3.5, 1.标题) and which no rule could safely convert.
    """
    if is_blank(value):
        return ""
    text = str(value)
    if not _HALF_WIDTH.search(text):
        return text
    text = _PARENS_AROUND_CJK.sub(r"（\1）", text)
    text = _QUOTES_AROUND_CJK.sub("“\\1”", text)
    return _PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)


_CLAUSE_END = "。；;，,、.： \u3000"


def clause(value) -> str:
    """Cell text as a clause of a sentence in prose: the lines typed inside the cell joined by
    "；" and no punctuation at the end, so that a sentence can carry it. A line break left in a
    justified paragraph would stretch the line before it across the page (documents.md §9
    rule 13); tables keep their line breaks."""
    if type(value) is str and _clause_as_written(value):
        return value
    if is_blank(value):
        return ""
    return _clause(str(value))


def _clause(text: str) -> str:
    lines = [line.strip().rstrip(_CLAUSE_END) for line in text.splitlines()]
    return fullwidth_punct("；".join(line for line in lines if line))


# A document quotes the same few thousand cells tens of thousands of times (a measure's words in
# the body, the annex and every department's part), nearly all of them clauses as written: that
# is found once per text and process. The answer is the only thing kept, never a text: the text
# given back is the one passed, as without the cache, so that what a document is made of pickles
# the same whatever was quoted before it (docgen.reuse fingerprints pickles).
@functools.lru_cache(maxsize=1 << 16)
def _clause_as_written(text: str) -> bool:
    return _clause(text) == text


# A sentence that says what will be done, not what was: 下一步将…, 拟于…, 计划…, 预计….
_PLAN = re.compile(r"^(下一步|下步|拟|计划|预计|将|争取|力争|后续)")


def gist(value, limit: int = 120) -> str:
    """What a department says it achieved, shortened: its sentences (cut at 。 and ；) that are
    not plans (下一步将…), up to about `limit` characters, each as written, never reworded;
    "" when it only says what will be done."""
    text = clause(value)
    pieces = [piece for piece in re.split(r"(?<=[。；])", text) if piece]
    done = [piece for piece in pieces if not _PLAN.match(piece)]
    kept = ""
    for piece in done:
        if kept and len(kept) + len(piece) > limit:
            break
        kept += piece
    return kept.rstrip(_CLAUSE_END)


def inner_quotes(text: str) -> str:
    """Text to be set inside “…”: its own double quotes become single ones (GB/T 15834),
    “回头看” → ‘回头看’."""
    return text.replace("“", "‘").replace("”", "’")


FILTERS = {
    "date_cn": date_cn,
    "month_day_cn": month_day_cn,
    "span_cn": span_cn,
    "year_upper_cn": year_upper_cn,
    "date_upper_cn": date_upper_cn,
    "number_cn": number_cn,
    "heading1": heading1,
    "heading2": heading2,
    "heading3": heading3,
    "heading4": heading4,
    "percent": percent,
    "percent_of": percent_of,
    "count": count,
    "doc_number": doc_number,
    "join_cn": join_cn,
    "text_width": text_width,
    "signature_org": signature_org,
    "signature_date": signature_date,
    "fullwidth_punct": fullwidth_punct,
}
