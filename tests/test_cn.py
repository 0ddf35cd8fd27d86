import datetime as dt
import math

import pytest

from docgen import cn


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 26), "2026年11月26日"),
        (dt.date(2026, 1, 5), "2026年1月5日"),
        (dt.datetime(2026, 3, 1, 14, 30), "2026年3月1日"),
        ("2026-03-05", "2026年3月5日"),
        ("2026/3/5", "2026年3月5日"),
        ("2026.03.05", "2026年3月5日"),
        ("2026年03月05日", "2026年3月5日"),
        (None, ""),
        (math.nan, ""),
        ("", ""),
    ],
)
def test_date_cn_has_no_zero_padding(value, expected):
    assert cn.date_cn(value) == expected


def test_date_cn_accepts_pandas_timestamps_and_rejects_nonsense():
    pd = pytest.importorskip("pandas")
    assert cn.date_cn(pd.Timestamp("2026-08-01")) == "2026年8月1日"
    assert cn.date_cn(pd.NaT) == ""
    with pytest.raises(ValueError, match="无法识别"):
        cn.date_cn("下周一")


def test_a_span_says_its_year_once():
    june20, june30 = dt.date(2026, 6, 20), dt.date(2026, 6, 30)
    assert cn.span_cn([june20, june30]) == "2026年6月20日至6月30日"
    assert cn.span_cn([june20, dt.date(2027, 1, 10)]) == "2026年6月20日至2027年1月10日"
    assert cn.span_cn([june20]) == "2026年6月20日"


def test_month_day_and_upper_case_years():
    assert cn.month_day_cn(dt.date(2026, 11, 26)) == "11月26日"
    assert cn.month_day_cn(dt.date(2026, 1, 1)) == "1月1日"
    assert cn.year_upper_cn(2026) == "二〇二六年"
    assert cn.year_upper_cn(dt.date(2010, 5, 1)) == "二〇一〇年"
    assert cn.date_upper_cn(dt.date(2026, 11, 26)) == "二〇二六年十一月二十六日"
    assert cn.date_upper_cn(dt.date(2026, 10, 30)) == "二〇二六年十月三十日"


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (10000, "一万"),
        (10001, "一万零一"),
        (110000, "十一万"),
        (3.0, "三"),
        ("12", "十二"),
    ],
)
def test_number_cn(number, text):
    assert cn.number_cn(number) == text


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "一", None])
def test_number_cn_rejects_what_is_not_a_serial(bad):
    with pytest.raises(ValueError):
        cn.number_cn(bad)


def test_heading_numbers():
    assert [cn.heading1(n) for n in (1, 10, 11, 21)] == ["一、", "十、", "十一、", "二十一、"]
    assert cn.heading2(3) == "（三）"
    assert cn.heading2(12) == "（十二）"
    assert cn.heading3(1) == "1."
    assert cn.heading3(12) == "12."
    assert cn.heading4(2) == "（2）"
    assert cn.HEADING_NUMBERS[1](2) == "二、"


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.76, "76.0%"), (0.7625, "76.3%"), (0.0005, "0.1%"), (1, "100.0%"), (0, "0.0%"), (None, "")],
)
def test_percent_rounds_half_up_with_one_decimal(ratio, text):
    assert cn.percent(ratio) == text


def test_percent_of_counts():
    assert cn.percent_of(19, 25) == "76.0%"
    assert cn.percent_of(688, 697) == "98.7%"
    assert cn.percent_of(1, 8) == "12.5%"
    assert cn.percent_of(1, 3) == "33.3%"
    with pytest.raises(ValueError, match="总数"):
        cn.percent_of(0, 0)


def test_percent_split_adds_up_to_exactly_100():
    shares = cn.percent_split([1, 1, 1])
    assert shares == ["33.4%", "33.3%", "33.3%"]
    assert sum(float(s.rstrip("%")) for s in cn.percent_split([7, 5, 3, 1, 1])) == pytest.approx(
        100
    )
    assert cn.percent_split([6, 16]) == ["27.3%", "72.7%"]


def test_counts_with_units():
    assert cn.count(3) == "3项"
    assert cn.count(3, "个") == "3个"
    assert cn.count(3.0, "次") == "3次"
    assert cn.count(None) == ""


def test_doc_number():
    assert cn.doc_number("X党组发", 2026, 3) == "X党组发〔2026〕3号"
    assert cn.doc_number("X党组发", "2026", "03") == "X党组发〔2026〕3号"
    with pytest.raises(ValueError):
        cn.doc_number("X党组发", 2026, 0)
    with pytest.raises(ValueError):
        cn.doc_number("", 2026, 1)


def test_join_cn():
    assert cn.join_cn(["办公室", "财务科", "人事科"]) == "办公室、财务科、人事科"
    assert cn.join_cn(["甲", None, "", "乙"], "，") == "甲，乙"
    assert cn.join_cn(["甲", "乙", "丙", "丁"], limit=2) == "甲、乙等4个"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你好,世界", "你好，世界"),
        ("请注意:明天开会", "请注意：明天开会"),
        ("是否完成?", "是否完成？"),
        ("说明(试行)", "说明（试行）"),
        ('关于"三张清单"的说明', "关于“三张清单”的说明"),
        ("共1,000元", "共1,000元"),
        ("10:30开会", "10:30开会"),
        ("f(x) and (OK)", "f(x) and (OK)"),
        ("3.5万元", "3.5万元"),
        (None, ""),
    ],
)
def test_fullwidth_punct_only_touches_chinese_context(text, expected):
    assert cn.fullwidth_punct(text) == expected


def test_text_width_counts_half_width_characters_as_half():
    assert cn.text_width("中共XX局党组") == 6
    assert cn.text_width("2026年11月26日") == 7
    assert cn.text_width("") == 0


def test_signature_lines_follow_gbt9704_7352():
    # 7 字, printed about 7.9 字 wide: each digit is set a little apart from the Chinese beside it.
    date = dt.date(2026, 11, 26)
    assert cn.printed_width("2026年11月26日") == pytest.approx(7.9)
    assert cn.printed_width("办公室") == 3
    # The date is longer than the name + 2: it ends 2 字 from the right (tab stop), the name
    # starts 2 字 before it (28 - 2 - 7.9 - 2 = 16.1).
    assert cn.signature_date(date, "中共XX局党组") == "\t2026年11月26日"
    assert cn.signature_org("中共XX局党组", date) == "\u3000" * 16 + "中共XX局党组"
    # A long name ends 2 字 from the right; the date starts 2 字 right of the name.
    long_name = "中共某某市某某局机关委员会办公室"  # 16 字
    assert cn.signature_org(long_name, date) == "\t" + long_name
    assert cn.signature_date(date, long_name) == "\u3000" * 12 + "2026年11月26日"
    # Sealed: the date 4 字 from the right (a tab stop in the template), the name centred over
    # it: 28 - 4 - 7.9 + (7.9 - 3) / 2 = 18.55.
    assert cn.signature_org("某某局", date, sealed=True) == "\u3000" * 18 + "  某某局"


def test_filters_are_registered_by_name():
    assert cn.FILTERS["date_cn"] is cn.date_cn
    assert {"heading1", "percent", "count", "doc_number", "fullwidth_punct"} <= set(cn.FILTERS)


def test_cn_stays_light():
    import subprocess
    import sys

    code = "import sys, docgen.cn; print('pandas' in sys.modules, 'docx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False"


def test_clause_joins_the_lines_typed_in_a_cell():
    assert cn.clause("一是已起草。\n二是已征求意见。\n") == "一是已起草；二是已征求意见"
    assert cn.clause(None) == ""


def test_gist_keeps_what_was_achieved_in_the_departments_words():
    text = "已召开专题会议7次，形成会议纪要；下一步将加强跟踪督办。建立工作台账，明确专人负责。"
    assert cn.gist(text) == "已召开专题会议7次，形成会议纪要；建立工作台账，明确专人负责"
    assert cn.gist("下一步将加强跟踪督办。") == ""
    long = "；".join(f"第{n}批已完成核查，发现问题{n}个" for n in range(1, 30))
    short = cn.gist(long, 60)
    assert 0 < len(short) <= 60 and long.startswith(short)


def test_a_clause_as_written_is_the_very_text_given():
    # Documents are fingerprinted by their values pickled (docgen.reuse), which share what is
    # the same object: a text must come back as itself, whatever equal text came before it.
    first, second = "".join(["已完成", "整改"]), "".join(["已完成整", "改"])
    assert first == second and first is not second
    assert cn.clause(first) is first
    assert cn.clause(second) is second
    assert cn.clause("已完成。\n") == "已完成"
