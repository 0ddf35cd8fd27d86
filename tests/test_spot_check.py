"""督导抽查 from plan to verdicts (issue 14), on a copy of the sample: `docgen spot-check plan` writes
each stream lead's sheet and the list and keeps the sample; the same seed plans the same sample;
a sheet returned unfilled changes nothing; filled verdicts close completions or send one back as
不属实 with a new deadline, in the status and its JSON; hostile sheets are located and refused
with nothing written."""

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import copy_sample

from docgen.build import load_campaign
from docgen.cli import main
from docgen.history import open_history, sampled_items
from docgen.model import DOING, DONE
from docgen.spot_check.sheets import CHECK, CLAIM, HEADER_ROW, LIST_NAME
from docgen.workspace import open_workspace

AS_OF = dt.date(2026, 11, 26)
SEED = "20261126"
VERDICT = len(CLAIM) + [c[0] for c in CHECK].index("核查结果") + 1
FINDING = VERDICT + 1
CHECK_DATE = len(CLAIM) + len(CHECK)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def plan(workspace: Path, out: Path, *more):
    result = run("spot-check", "plan", "--inputs", workspace, "--out", out, "--as-of", AS_OF, *more)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def planned(tmp_path):
    """A copy of the sample with a plan drawn (seed 20261126), and the plan's folder."""
    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    out = tmp_path / "out"
    result = plan(workspace, out, "--seed", SEED)
    return workspace, out / AS_OF.isoformat() / "督导抽查", result.output


def sheets(folder: Path) -> list[Path]:
    return sorted(folder.glob("督导抽查记录表_*.xlsx"))


def claims(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path)["督导抽查记录表"]
    return [
        row[: len(CLAIM)]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[1]
    ]


def claim_of(summary, row):
    """The department's part in the measure a sheet's row names."""
    [claim] = [
        a
        for m in summary.measures
        if m.id == row[1]
        for a in m.assignments
        if a.department == row[3]
    ]
    return claim


def campaign(workspace: Path):
    return load_campaign(open_workspace(workspace, AS_OF, AS_OF))


def test_the_plan_writes_a_sheet_per_stream_lead_and_keeps_the_sample(planned):
    workspace, folder, output = planned
    assert f"随机数种子：{SEED}" in output
    # Each stream's lead ([streams] of the sample's docgen.toml) checks it.
    leads = {"警示教育": "机关党委", "以案促改": "机关纪委", "巡察整改": "办公室"}
    names = [p.name for p in sheets(folder)]
    assert names == sorted(f"督导抽查记录表_{lead}_{stream}.xlsx" for stream, lead in leads.items())
    # The same sheets in Word, to print and sign, and the list of the whole sample.
    assert sorted(p.name for p in folder.glob("*.docx")) == [n[:-5] + ".docx" for n in names]
    assert (folder / LIST_NAME).exists()
    rows = [row for path in sheets(folder) for row in claims(path)]
    with open_history(workspace) as connection:
        kept = sampled_items(connection, 2026)
    assert {(row[1], row[3]) for row in rows} == set(kept)
    assert {item.seed for item in kept.values()} == {int(SEED)}
    # Every sampled claim is a completion, with its date or 未填写, and a reason.
    assert {row[4] for row in rows} == {DONE}
    assert all(row[5] and row[7] for row in rows)
    # The sheet locks the claim and offers the verdicts.
    sheet = openpyxl.load_workbook(sheets(folder)[0])["督导抽查记录表"]
    assert sheet.protection.sheet
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert '"属实,基本属实,不属实"' in lists


def test_the_same_seed_plans_the_same_sample_and_another_another(planned, tmp_path):
    workspace, folder, _ = planned
    first = {p.name: claims(p) for p in sheets(folder)}
    plan(workspace, tmp_path / "again", "--seed", SEED)
    again = tmp_path / "again" / AS_OF.isoformat() / "督导抽查"
    assert {p.name: claims(p) for p in sheets(again)} == first
    # Byte for byte: every sheet, the Word ones and the list are dated by the as-of date.
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        p.name: p.read_bytes() for p in again.iterdir()
    }
    plan(workspace, tmp_path / "other", "--seed", "7")
    other = tmp_path / "other" / AS_OF.isoformat() / "督导抽查"
    assert {p.name: claims(p) for p in sheets(other)} != first


def fill(path: Path, target: Path, verdicts: dict[int, tuple[str, str]], day="2026-11-25"):
    """Fill the sheet's n-th sampled rows (1-based) with (verdict, finding) and save as target."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["督导抽查记录表"]
    for n, (verdict, finding) in verdicts.items():
        row = HEADER_ROW + n
        sheet.cell(row, VERDICT).value = verdict
        sheet.cell(row, FINDING).value = finding
        sheet.cell(row, CHECK_DATE).value = day
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return claims(path)


def test_a_sheet_returned_unfilled_changes_nothing(planned):
    workspace, folder, _ = planned
    earlier = campaign(workspace)
    before, before_issues = earlier.summary, earlier.inputs.report.issues
    (workspace / "spot-checks").mkdir()
    for path in sheets(folder):
        shutil.copy(path, workspace / "spot-checks" / path.name)
    after = campaign(workspace)
    assert after.inputs.report.issues == before_issues
    assert after.summary.counts == before.counts
    assert not after.summary.spot_checked


def test_verdicts_close_completions_and_send_one_back(planned):
    workspace, folder, _ = planned
    path = next(p for p in sheets(folder) if p.name.endswith("警示教育.xlsx"))
    rows = fill(
        path,
        workspace / "spot-checks" / "警示教育.xlsx",
        {
            1: ("不属实", "台账中没有第二次学习的记录"),
            2: ("属实", ""),
            3: ("基本属实", "照片缺日期"),
        },
    )
    refuted, verified = (rows[0][1], rows[0][3]), {(r[1], r[3]) for r in rows[1:3]}
    summary = campaign(workspace).summary
    by_key = {(m.id, a.department): (m, a) for m in summary.measures for a in m.assignments}
    measure, claim = by_key[refuted]
    assert claim.status == DOING and claim.refuted and claim.verdict == "不属实"
    assert claim.finding == "台账中没有第二次学习的记录"
    assert claim.redo_by == dt.date(2026, 11, 25) + dt.timedelta(days=15)
    assert measure.refuted and measure.status != DONE and measure.redo_by == claim.redo_by
    for key in verified:
        assert by_key[key][1].closed and by_key[key][1].status == DONE
    assert summary.counts.refuted == 1
    assert summary.counts.closed == sum(m.closed for m in summary.measures)

    # The status says it, in words and in JSON.
    shown = run("status", "--inputs", workspace, "--as-of", AS_OF)
    assert shown.exit_code == 0, shown.output
    assert "抽查不属实的举措（1项）" in shown.output and refuted[0] in shown.output
    data = json.loads(run("status", "--inputs", workspace, "--as-of", AS_OF, "--json").stdout)
    assert data["refuted"] == 1
    [entry] = [m for m in data["measures"] if m["id"] == refuted[0]]
    [part] = [a for a in entry["assignments"] if a["department"] == refuted[1]]
    assert part["verdict"] == "不属实" and part["redo_by"] == "2026-12-10" and part["refuted"]

    # The ledger carries the verification beside each measure.
    out = workspace.parent / "ledger"
    assert run("ledger", "--inputs", workspace, "--out", out, "--as-of", AS_OF).exit_code == 0
    sheet = openpyxl.load_workbook(out / AS_OF.isoformat() / "整改台账.xlsx")["整改台账"]
    header = [c.value for c in sheet[3]]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    state, checked = header.index("核验情况"), header.index("督导抽查结果")
    assert rows[refuted[0]][state] == "抽查不属实"
    assert (
        f"{refuted[1]}：不属实（2026年11月25日机关党委核查；台账中没有第二次学习的记录；"
        in (rows[refuted[0]][checked])
    )
    assert "限2026年12月10日前重新完成" in rows[refuted[0]][checked]
    for key in verified:
        assert f"{key[1]}：" in rows[key[0]][checked]
    assert {r[state] for r in rows.values()} >= {"待核验", "抽查不属实"}


def test_a_completion_reported_again_after_a_refuting_check_is_a_new_claim(planned):
    workspace, folder, _ = planned
    path = next(p for p in sheets(folder) if p.name.endswith("警示教育.xlsx"))
    # Checked a year before the department's latest return: that return is a newer claim.
    rows = fill(path, workspace / "spot-checks" / "a.xlsx", {1: ("不属实", "")}, "2025-11-01")
    summary = campaign(workspace).summary
    claim = claim_of(summary, rows[0])
    assert claim.status == DONE and not claim.refuted and not claim.closed


@pytest.mark.parametrize(
    ("change", "code", "column"),
    [
        (
            lambda sheet, row: setattr(sheet.cell(row, VERDICT), "value", "核实"),
            "unknown-verdict",
            "核查结果",
        ),
        (
            lambda sheet, row: setattr(sheet.cell(row, 2), "value", "JS-999"),
            "unknown-measure",
            "编号",
        ),
        (
            lambda sheet, row: setattr(sheet.cell(row, 4), "value", "宣传处"),
            "not-sampled",
            "责任部门",
        ),
        (
            lambda sheet, row: setattr(sheet.cell(row, CHECK_DATE), "value", "上周"),
            "bad-date",
            "核查日期",
        ),
        (
            lambda sheet, row: setattr(sheet.cell(row, VERDICT), "value", '=IF(1,"属实","")'),
            "formula-without-value",
            "核查结果",
        ),
    ],
)
def test_hostile_sheets_are_located_and_nothing_is_written(planned, tmp_path, change, code, column):
    workspace, folder, _ = planned
    path = sheets(folder)[0]
    target = workspace / "spot-checks" / "returned.xlsx"
    fill(path, target, {1: ("属实", "")})
    workbook = openpyxl.load_workbook(target)
    change(workbook["督导抽查记录表"], HEADER_ROW + 1)
    workbook.save(target)
    result = run("validate", "--inputs", workspace, "--as-of", AS_OF, "--json")
    assert result.exit_code == 1, result.output
    issues = json.loads(result.stdout)["issues"]
    [issue] = [i for i in issues if i["code"] == code]
    assert issue["file"] == "spot-checks/returned.xlsx"
    assert issue["row"] == HEADER_ROW + 1 and issue["column"] == column
    out = tmp_path / "built"
    built = run("build", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    assert built.exit_code == 1 and "Traceback" not in built.output
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_two_verdicts_for_one_check_are_refused(planned):
    workspace, folder, _ = planned
    path = sheets(folder)[0]
    fill(path, workspace / "spot-checks" / "a.xlsx", {1: ("属实", "")})
    fill(path, workspace / "spot-checks" / "b.xlsx", {1: ("不属实", "未见台账")})
    result = run("validate", "--inputs", workspace, "--as-of", AS_OF, "--json")
    assert result.exit_code == 1
    codes = [i["code"] for i in json.loads(result.stdout)["issues"]]
    assert codes.count("conflicting-checks") == 1


def test_the_latest_check_wins(planned):
    workspace, folder, _ = planned
    path = sheets(folder)[0]
    rows = fill(path, workspace / "spot-checks" / "a.xlsx", {1: ("不属实", "")}, "2026-11-20")
    fill(path, workspace / "spot-checks" / "b.xlsx", {1: ("属实", "")}, "2026-11-24")
    summary = campaign(workspace).summary
    claim = claim_of(summary, rows[0])
    assert claim.verdict == "属实" and claim.closed


def test_verified_claims_are_not_drawn_again(planned, tmp_path):
    workspace, folder, _ = planned
    for path in sheets(folder):
        count = len(claims(path))
        fill(
            path,
            workspace / "spot-checks" / path.name,
            {n: ("属实", "") for n in range(1, count + 1)},
        )
    verified = {(r[1], r[3]) for path in sheets(folder) for r in claims(path)}
    plan(workspace, tmp_path / "next", "--seed", SEED, "--as-of", "2026-11-26")
    again = tmp_path / "next" / AS_OF.isoformat() / "督导抽查"
    assert not {(r[1], r[3]) for path in sheets(again) for r in claims(path)} & verified


def _texts(paths) -> list[str]:
    import docx

    return [
        p.text
        for path in paths
        if path.suffix == ".docx"
        for p in docx.Document(str(path)).paragraphs
        if p.text.strip()
    ]


def _job(workspace: Path, out: Path):
    from docgen.build import make_job

    return make_job(campaign(workspace), out, dt.datetime(2026, 11, 26, 9))


def test_one_refuted_claim_reads_the_same_in_the_brief_and_the_notices(planned, tmp_path):
    from docgen.documents.brief import write_brief
    from docgen.documents.urge import write_urge_notices

    workspace, folder, _ = planned
    path = next(p for p in sheets(folder) if p.name.endswith("警示教育.xlsx"))
    summary = campaign(workspace).summary
    late = {d.name for d in summary.late_departments}
    rows = claims(path)
    # A department with nothing else outstanding: its notice is about the refuted claim alone.
    n = next(i for i, row in enumerate(rows, 1) if row[3] not in late and row[3] != "办公室")
    measure, department = rows[n - 1][1], rows[n - 1][3]
    fill(path, workspace / "spot-checks" / "警示教育.xlsx", {n: ("不属实", "会议记录与照片对不上")})
    job = _job(workspace, tmp_path / "docs")

    brief = _texts(write_brief(job))
    assert any(
        f"{measure}（{department}，机关党委核查发现“会议记录与照片对不上”）" in t for t in brief
    )
    assert any(f"{measure}于2026年12月10日前重新完成" in t for t in brief)
    assert any("经督导抽查，不属实1项、已退回重新整改" in t for t in brief)

    notices = [p for p in write_urge_notices(job) if department in p.name]
    assert len(notices) == 1
    text = _texts(notices)
    assert text[0] == "关于对督导抽查不属实事项\n限期整改的通知"
    assert text[1] == f"{department}："
    assert any(f"{measure}“" in t and "发现会议记录与照片对不上" in t for t in text)
    assert any(f"{measure}于2026年12月10日前重新完成" in t for t in text)
    assert not any("0项" in t or "None" in t for t in text)


@pytest.mark.parametrize("basis", ["reported", "verified"])
def test_the_rate_follows_the_basis_and_says_it_once(planned, tmp_path, basis):
    from docgen.documents.party_report import write_party_report

    workspace, folder, _ = planned
    config = workspace / "docgen.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[spot_check]\n", f'[spot_check]\nrate_basis = "{basis}"\n'),
        encoding="utf-8",
    )
    for path in sheets(folder):
        count = len(claims(path))
        fill(
            path,
            workspace / "spot-checks" / path.name,
            {n: ("属实", "") for n in range(1, count + 1)},
        )
    summary = campaign(workspace).summary
    c = summary.counts
    assert c.closed > 0
    assert c.rate == (c.closed if basis == "verified" else c.done) / c.total
    text = "".join(_texts(write_party_report(_job(workspace, tmp_path / "docs"))))
    assert text.count("经督导抽查，已核实销号") == 1
    assert ("完成率按经督导抽查核实销号的举措计算" in text) == (basis == "verified")


def test_the_next_brief_counts_what_the_spot_check_closed_and_refuted(planned, tmp_path):
    from docgen.documents.brief import write_brief

    workspace, folder, _ = planned
    write_brief(_job(workspace, tmp_path / "first"))  # issue 1, before any sheet is back
    for path in sheets(folder):
        verdicts = {n: ("属实", "") for n in range(1, len(claims(path)) + 1)}
        if path.name.endswith("警示教育.xlsx"):
            verdicts[1] = ("不属实", "未见台账")
            rows = claims(path)
        fill(path, workspace / "spot-checks" / path.name, verdicts)
    job = _job(workspace, tmp_path / "second")
    text = "".join(_texts(write_brief(job, new_issue=True)))
    closed = job.summary.counts.closed
    assert closed  # measures whose every department's claim was drawn and verified
    assert f"上期以来，经督导抽查核实销号{closed}项，发现不属实1项（{rows[0][1]}）。" in text


def with_spot_check_on(tmp_path: Path, day: str) -> Path:
    """A copy of the sample whose schedule has a 督导抽查 milestone on `day`."""
    workspace = tmp_path / "inputs"
    copy_sample(workspace)
    with (workspace / "docgen.toml").open("a", encoding="utf-8") as config:
        config.write(
            f'\n[[schedule.milestones]]\nname = "年末督导抽查"\ndate = {day}\nkind = "spot-check"\n'
        )
    return workspace


def test_a_scheduled_run_draws_the_sample_a_week_before_the_spot_check(tmp_path):
    workspace = with_spot_check_on(tmp_path, "2026-12-03")
    out = tmp_path / "out"
    result = run("run", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    folder = out / AS_OF.isoformat() / "督导抽查"
    assert len(sheets(folder)) == 3 and (folder / LIST_NAME).exists()
    assert len(list(folder.glob("*.docx"))) == 3
    with open_history(workspace) as connection:
        kept = sampled_items(connection, 2026)
    assert {(r[1], r[3]) for p in sheets(folder) for r in claims(p)} == set(kept)


def test_acceptance_plan_return_build_every_document_agrees(planned, tmp_path):
    """Issue 14's acceptance: plan, return the filled sheets with one 不属实, build: every document
    agrees on the verified counts and names the 不属实 claim; the history keeps the verdicts."""
    import docx

    from docgen.history import recorded_verdicts

    workspace, folder, _ = planned
    refuted = None
    for path in sheets(folder):
        verdicts = {n: ("属实", "") for n in range(1, len(claims(path)) + 1)}
        if path.name.endswith("巡察整改.xlsx"):
            # Not the issuing office's own claim: it urges nobody of itself.
            n, refuted = next((n, r) for n, r in enumerate(claims(path), 1) if r[3] != "办公室")
            verdicts[n] = ("不属实", "制度仍为征求意见稿")
        fill(path, workspace / "spot-checks" / path.name, verdicts)
    measure, department = refuted[1], refuted[3]
    out = tmp_path / "built"
    result = run("build", "--inputs", workspace, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    day = out / AS_OF.isoformat()
    summary = campaign(workspace).summary
    c = summary.counts
    assert c.refuted == 1 and c.closed

    def text(path):
        document = docx.Document(str(path))
        cells = [cell.text for t in document.tables for r in t.rows for cell in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    basis = f"经督导抽查，已核实销号{c.closed}项，不属实1项、已退回重新整改"
    for name in ("自查报告.docx", "督导简报（第1期）.docx", "2026年度工作总结.docx"):
        assert basis in text(day / name), name
    report = text(day / "督导抽查情况报告.docx")
    assert f"{department}承担的{measure}" in report and "“制度仍为征求意见稿”" in report
    assert "不属实1项" in report
    assert f"{measure}（{department}，办公室核查发现“制度仍为征求意见稿”）" in text(
        day / "督导简报（第1期）.docx"
    )
    [notice] = [p for p in (day / "催办通知").iterdir() if department in p.name]
    assert measure in text(notice) and "制度仍为征求意见稿" in text(notice)
    ledger = openpyxl.load_workbook(day / "整改台账.xlsx")["整改台账"]
    header = [cell.value for cell in ledger[3]]
    row = next(r for r in ledger.iter_rows(min_row=4, values_only=True) if r[1] == measure)
    assert row[header.index("核验情况")] == "抽查不属实"
    closed_in_ledger = sum(
        1
        for r in ledger.iter_rows(min_row=4, values_only=True)
        if r[header.index("核验情况")] == "已销号"
    )
    assert closed_in_ledger == c.closed
    with open_history(workspace) as connection:
        kept = recorded_verdicts(connection, 2026)
    assert (measure, department, dt.date(2026, 11, 25), "不属实", "办公室") in kept
    assert sum(1 for k in kept if k[3] == "属实") == sum(
        1 for m in summary.measures for a in m.assignments if a.verdict == "属实"
    )


def test_a_scheduled_run_writes_the_report_once_every_sheet_is_back(tmp_path):
    workspace = with_spot_check_on(tmp_path, "2026-12-10")
    out = tmp_path / "out"
    plan(workspace, tmp_path / "plan", "--seed", SEED)
    folder = tmp_path / "plan" / AS_OF.isoformat() / "督导抽查"
    paths = sheets(folder)
    # One sheet back of three: no report yet (the calendar names none on 11-27).
    fill(paths[0], workspace / "spot-checks" / paths[0].name, {1: ("属实", "")})
    first = run("run", "--inputs", workspace, "--out", out, "--as-of", "2026-11-27")
    assert first.exit_code == 0, first.output
    assert not (out / "2026-11-27" / "督导抽查情况报告.docx").exists()
    # Every sheet back: the next run writes the report, and says why.
    for path in paths:
        count = len(claims(path))
        fill(
            path,
            workspace / "spot-checks" / path.name,
            {n: ("属实", "") for n in range(1, count + 1)},
        )
    second = run("run", "--inputs", workspace, "--out", out, "--as-of", "2026-11-28")
    assert second.exit_code == 0, second.output
    assert (out / "2026-11-28" / "督导抽查情况报告.docx").exists()
    assert "督导抽查记录表已全部收回" in second.output
    # The same sheets again: not written again.
    third = run("run", "--inputs", workspace, "--out", out, "--as-of", "2026-11-29")
    assert third.exit_code == 0, third.output
    assert not (out / "2026-11-29" / "督导抽查情况报告.docx").exists()


def test_the_report_names_the_units_whose_sheets_are_still_out(planned, tmp_path):
    import docx

    workspace, folder, _ = planned
    path = next(p for p in sheets(folder) if p.name.endswith("警示教育.xlsx"))
    fill(path, workspace / "spot-checks" / path.name, {1: ("属实", "")})
    out = tmp_path / "built"
    assert run("build", "--inputs", workspace, "--out", out, "--as-of", AS_OF).exit_code == 0
    report = docx.Document(str(out / AS_OF.isoformat() / "督导抽查情况报告.docx"))
    [line] = [p.text for p in report.paragraphs if "尚未收回核查结果的" in p.text]
    asked = line.split("请", 1)[1].split("于", 1)[0]
    assert set(asked.split("、")) == {"机关党委", "机关纪委", "办公室"}
    assert "于2026年12月3日前报送督导抽查记录表" in line


def test_a_sheet_of_a_plan_the_history_lost_is_taken_with_a_warning(planned):
    workspace, folder, _ = planned
    path = sheets(folder)[0]
    rows = fill(path, workspace / "spot-checks" / path.name, {1: ("不属实", "未见台账")})
    shutil.rmtree(workspace / ".docgen")  # a workspace copied without its history
    result = run("validate", "--inputs", workspace, "--as-of", AS_OF, "--json")
    assert result.exit_code == 0, result.output
    issues = json.loads(result.stdout)["issues"]
    [warning] = [i for i in issues if i["code"] == "plan-not-recorded"]
    assert warning["severity"] == "warning" and warning["file"] == f"spot-checks/{path.name}"
    assert claim_of(campaign(workspace).summary, rows[0]).refuted
