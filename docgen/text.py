"""What text may hold: the cleaning every cell gets once when it is read (clean_text), and what
every value becomes when it is written into a document (xml_safe).

clean_text's result is a fixed point of xml_safe: text read from a spreadsheet reaches every
document exactly as clean_text documents it.
"""

import datetime as dt
import math
import re

from docgen import cn

# Excel's and OOXML's escape for a character XML cannot hold: _x000B_ is a vertical tab.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# C0 controls except tab and line feed, DEL, C1 controls, the two non-characters and lone
# surrogates: nothing a clerk means, and nothing XML can hold.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# What documents drop: the characters XML 1.0 forbids, plus DEL and the non-characters.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"}
)
# Trimmed from both ends of every line: ASCII whitespace, the ideographic space, no-break, en,
# em, thin and zero-width spaces, and the byte-order mark.
SURROUNDING_SPACE = " \t\n\r\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
# A text with none of these comes out of clean_text merely trimmed (the common case, checked first).
NEEDS_CLEANING = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029\ud800-\udfff]|_x[0-9A-Fa-f]{4}_"
)


def clean_text(value) -> str:
    """One cell as text: the documented cleaning, done once when reading, for every cell of
    every file.

    For text, in this order:

    1. `_xHHHH_` (Excel's escape for a character XML cannot hold) becomes that character, and
       line breaks are unified: CR LF, CR, vertical tab, form feed, U+2028 and U+2029 become LF;
    2. C0 controls other than tab and LF, DEL, C1 controls, U+FFFE, U+FFFF and lone surrogates
       are dropped;
    3. steps 1 and 2 are repeated until nothing changes (so "_x005F_x0041_" ends as "A");
    4. every line, and then the whole text, loses leading and trailing spaces: ASCII
       whitespace, the ideographic space U+3000, no-break space, en and em spaces, thin space,
       zero-width space and the byte-order mark.

    Everything else is kept as it is: tabs and line breaks inside the text, emoji, rare CJK
    characters, right-to-left text, combining marks, private-use characters, and text that
    looks like a formula (=SUM(A1)), XML (<w:t>) or a template tag ({{ x }}). The result is what
    every document shows: xml_safe leaves it unchanged, Word shows a line break for LF, and
    Excel cells hold it as text. Empty cells (None, NaN) give "", whole floats lose ".0",
    date-times give ISO text.
    """
    if type(value) is str and not NEEDS_CLEANING.search(value):
        return value.strip(SURROUNDING_SPACE)
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if not isinstance(value, str):
        return str(value)
    text = value
    while True:
        # Each round only shortens the text or replaces characters that do not come back.
        cleaned = _ESCAPE.sub(_unescape, text).replace("\r\n", "\n").translate(_LINE_BREAKS)
        cleaned = _CONTROL.sub("", cleaned)
        if cleaned == text:
            break
        text = cleaned
    text = "\n".join(line.strip(SURROUNDING_SPACE) for line in text.split("\n"))
    return text.strip(SURROUNDING_SPACE)


def _unescape(match: re.Match) -> str:
    return chr(int(match.group(1), 16))


def xml_safe(value) -> str:
    """Text that XML can hold and Word shows as the spreadsheet meant it.

    None, NaN and pandas' NA/NaT become "". Dates become 2026年11月26日. Whole floats (Excel's
    3.0) lose the ".0". `_xHHHH_` escapes are decoded; CR LF, CR, vertical tab and form feed
    become "\\n", which docxtpl turns into a line break in the same paragraph; other control
    characters are dropped.
    """
    if value is None or cn.is_blank(value) and not isinstance(value, str):
        return ""
    if isinstance(value, dt.date):
        return cn.date_cn(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = _ESCAPE.sub(_unescape, str(value))
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return _XML_ILLEGAL.sub("", text)
