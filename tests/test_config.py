import datetime as dt
import tomllib

import pytest

from docgen.config import Organisation, Settings, load_settings, parse_settings
from docgen.errors import ConfigError
from docgen.workspace import CONFIG_TEMPLATE, create_workspace


def test_missing_file_gives_defaults(tmp_path):
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.campaign.warning_days == 7
    # No name: the build takes it from the measure list's title row (test_names.py).
    assert settings.organisation.name == ""
    assert Organisation(name="XX局").party_group_name == "中共XX局党组"


def test_full_config(tmp_path):
    (tmp_path / "docgen.toml").write_text(
        """
[organisation]
name = "江淮省地方金融管理局"
doc_prefix = "江淮金党组发"
[campaign]
year = 2026
as_of = 2026-11-26
warning_days = 10
[addressees]
superior = "中共江淮省纪委监委"
copy_to = "驻局纪检监察组"
[[departments]]
name = "办公室"
kind = "处室"
leader = "王建国"
""",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.organisation.party_group_name == "中共江淮省地方金融管理局党组"
    assert settings.campaign.as_of == dt.date(2026, 11, 26)
    assert settings.campaign.warning_days == 10
    assert settings.addressees.copy_to == ("驻局纪检监察组",)
    assert settings.department("办公室").leader == "王建国"
    assert settings.year_for(dt.date(2027, 1, 3)) == 2026


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[organisation]\nnmae = 'x'", "未知的设置项：nmae"),
        ("[organization]\nname = 'x'", "未知的设置节：organization"),
        ("[campaign]\nwarning_days = '七'", "warning_days 的值 '七' 应为整数"),
        ("[campaign]\nwarning_days = -1", "应在 0 到 366 之间"),
        ("[campaign]\nas_of = '11月26日'", "不是日期"),
        ("[campaign]\nyear = 26", "不是有效年份"),
        ("[addressees]\ncopy_to = [1, 2]", "应为文字列表"),
        ("[[departments]]\nkind = '处室'", "缺少 name"),
        ("[[departments]]\nname = '办公室'\nkind = '科室'", "kind 值 '科室' 无效"),
        ("[[departments]]\nname = '办公室'\n[[departments]]\nname = '办公室'", "重复"),
        ("[campaign\nyear = 2026", "格式有误"),
        ("[limits]\nmax_file_gb = 1", "未知的设置项：max_file_gb"),
        ("[limits]\nmax_file_mb = 0", "max_file_mb 的值 0 应在 1 到 4096"),
        ("[limits]\nmax_rows = '很多'", "max_rows 的值 '很多' 应为整数"),
        ("[limits]\nmax_rows = 10", "max_rows 的值 10 应在 100 到"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    (tmp_path / "docgen.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(tmp_path)
    assert "docgen.toml" in str(caught.value)


def test_gbk_config_is_refused_with_advice(tmp_path):
    (tmp_path / "docgen.toml").write_bytes("[organisation]\nname = '测试局'\n".encode("gbk"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(tmp_path)


def test_commented_template_documents_every_key():
    # Uncommenting every example line must give a valid config that sets every field.
    lines = []
    for line in CONFIG_TEMPLATE.splitlines():
        stripped = line.removeprefix("# ")
        if line.startswith("# ") and ("=" in stripped or stripped.startswith("[[")):
            lines.append(stripped)
        elif line.startswith("["):
            lines.append(line)
    data = tomllib.loads("\n".join(lines))
    settings = parse_settings(data)
    for section in ("organisation", "campaign", "addressees", "limits", "spot_check"):
        assert set(data[section]) == set(vars(getattr(settings, section))), section
    assert len(settings.stream_leads) == 3
    assert set(data["departments"][0]) == {"name", "kind", "leader"}
    assert settings.departments[0].kind == "处室"


def test_init_writes_a_workspace_that_loads_and_refuses_to_overwrite(tmp_path):
    written = create_workspace(tmp_path / "新台账")
    assert [p.name for p in written] == ["docgen.toml", "measures.xlsx", "feedback"]
    assert load_settings(tmp_path / "新台账") == Settings(
        source=tmp_path / "新台账" / "docgen.toml"
    )
    with pytest.raises(Exception, match="已存在"):
        create_workspace(tmp_path / "新台账")


def test_font_profile(tmp_path):
    (tmp_path / "docgen.toml").write_text('[format]\nfont_profile = "windows"\n', encoding="utf-8")
    assert load_settings(tmp_path).format.font_profile == "windows"
    (tmp_path / "docgen.toml").write_text('[format]\nfont_profile = "mac"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="font_profile"):
        load_settings(tmp_path)


def test_catch_up_days_is_checked(tmp_path):
    (tmp_path / "docgen.toml").write_text("[schedule]\ncatch_up_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="catch_up_days"):
        load_settings(tmp_path)
    (tmp_path / "docgen.toml").write_text("[schedule]\ncatch_up_days = 45\n", encoding="utf-8")
    assert load_settings(tmp_path).schedule.catch_up_days == 45
