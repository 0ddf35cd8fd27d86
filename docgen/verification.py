"""Returned 督导抽查记录表 (in <inputs>/spot-checks/), read and checked like returned forms: each
verdict located and refused with a Chinese fix when it cannot be taken (an unknown verdict, an
assignment that was not sampled, two verdicts for one check), the latest check of each assignment
kept for aggregation, which applies it (domain.md "Stream leads, spot-checks and 销号")."""

import datetime as dt

import pandas as pd

from docgen.cn import date_cn
from docgen.history import SampledItem
from docgen.issues import Issue
from docgen.loading import MB, ReadError, ReadLimits, read_table
from docgen.model import SPOT_CHECK_COLUMNS, VERDICTS
from docgen.text import clean_text
from docgen.validation import DATE_HINT, Inputs, Place, parse_date, sheet_issues, without_unreadable
from docgen.workspace import Workspace

CHECK_FRAME_COLUMNS = (
    "编号",
    "责任部门",
    "核查结果",
    "核查方式",
    "发现的问题",
    "整改要求",
    "核查人",
    "核查日期",
    "抽查单位",
    "_file",
    "_row",
)


def read_checks(
    workspace: Workspace, inputs: Inputs, sampled: dict[tuple[str, str], SampledItem]
) -> tuple[pd.DataFrame, list[Issue]]:
    """Every verdict the returned sheets give that counts as of the workspace's date, the
    latest check of each assignment (by 核查日期, then by file order), and the issues found.
    `sampled` are the assignments spot-check plans drew (history.sampled_items)."""
    files = workspace.files
    settings = workspace.settings
    year = settings.year_for(workspace.as_of)
    assigned = {row["编号"]: set(row["部门"]) for row in inputs.measures.to_dict("records")}
    limits = ReadLimits(settings.limits.max_file_mb * MB, settings.limits.max_rows)
    issues: list[Issue] = []
    kept: dict[tuple[str, str], dict] = {}
    for path in files.checks:
        place = Place(files.relative(path))
        try:
            table = read_table(path, SPOT_CHECK_COLUMNS, None, limits)
        except ReadError as exc:
            issues.append(place.issue(exc.code, str(exc)))
            continue
        place = Place(place.file, table)
        found, readable = sheet_issues(place, SPOT_CHECK_COLUMNS)
        issues.extend(found)
        if not readable:
            continue
        unreadable_rows = {cell.row for cell in table.unreadable}
        rows, problems = _check_rows(place, year, workspace.as_of, assigned, sampled)
        issues.extend(without_unreadable(problems, table))
        for record in rows:
            if record["_row"] in unreadable_rows:
                continue
            key = (record["编号"], record["责任部门"])
            before = kept.get(key)
            same_day = before and before["核查日期"] == record["核查日期"]
            if same_day and before["核查结果"] != record["核查结果"]:
                issues.append(_conflict(place, record, before))
                continue
            if not before or before["核查日期"] <= record["核查日期"]:
                kept[key] = record
    return pd.DataFrame(list(kept.values()), columns=CHECK_FRAME_COLUMNS), issues


def _conflict(place: Place, record: dict, before: dict) -> Issue:
    return place.issue(
        "conflicting-checks",
        f"{record['编号']}（{record['责任部门']}）在{date_cn(record['核查日期'])}有两个不同的"
        f"核查结果：{before['_file']} 第{before['_row']}行为“{before['核查结果']}”，这里为"
        f"“{record['核查结果']}”。请删去错误的一行，或写明各自的核查日期（以日期最晚的为准）。",
        row=record["_row"],
        column="核查结果",
        value=record["核查结果"],
    )


def _plan_not_recorded(
    place: Place, sampled: dict[tuple[str, str], SampledItem], assigned: dict[str, set[str]]
) -> dict[tuple[str, str], SampledItem]:
    """The rows of a sheet docgen wrote (its hidden sheet names the seed, the stream, the
    checking unit and the date) for a plan the history does not know, e.g. a workspace copied
    without its .docgen folder: taken as the sheet lists them, each a real assignment. Empty
    when the history knows the plan, or the sheet is not one of docgen's."""
    facts = place.table.properties
    try:
        seed, as_of = int(facts.get("种子", "")), dt.date.fromisoformat(facts.get("截至日期", ""))
    except ValueError:
        return {}
    if any(item.seed == seed and item.as_of == as_of for item in sampled.values()):
        return {}
    found = {}
    for row in place.table.rows:
        measure = clean_text(row.get("编号")).strip()
        department = clean_text(row.get("责任部门")).strip()
        if department in assigned.get(measure, ()):
            found[(measure, department)] = SampledItem(
                measure,
                department,
                as_of,
                seed,
                facts.get("专项", ""),
                facts.get("抽查单位", ""),
                (),
            )
    return found


def _check_rows(
    place: Place,
    year: int,
    as_of: dt.date,
    assigned: dict[str, set[str]],
    sampled: dict[tuple[str, str], SampledItem],
) -> tuple[list[dict], list[Issue]]:
    """A sheet's rows that carry a verdict, checked; a row with no verdict is not checked yet."""
    table = place.table
    records, issues = [], []
    unrecorded = _plan_not_recorded(place, sampled, assigned)
    if unrecorded:
        issues.append(
            place.issue(
                "plan-not-recorded",
                f"这份记录表是 docgen spot-check plan 以随机数种子{table.properties.get('种子')}生成的，"
                "但运行记录（.docgen/history.sqlite3）中没有这次抽样；表中各行按记录表所列采用。"
                "如工作文件夹是从别处复制来的，请连同 .docgen 文件夹一起复制。",
            )
        )
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        verdict = clean_text(row.get("核查结果")).replace(" ", "")
        measure = clean_text(row.get("编号")).strip()
        department = clean_text(row.get("责任部门")).strip()
        if not verdict:
            continue
        if verdict not in VERDICTS:
            issues.append(
                place.issue(
                    "unknown-verdict",
                    f"核查结果“{verdict}”无法识别，请从下拉列表中选择 属实、基本属实 或 不属实；"
                    "尚未核查的行请留空。",
                    row=number,
                    column="核查结果",
                    value=verdict,
                )
            )
            continue
        if measure not in assigned:
            issues.append(
                place.issue(
                    "unknown-measure",
                    f"举措清单中没有编号“{measure}”，请核对编号是否被改动。",
                    row=number,
                    column="编号",
                    value=measure,
                )
            )
            continue
        item = sampled.get((measure, department)) or unrecorded.get((measure, department))
        if item is None:
            issues.append(
                place.issue(
                    "not-sampled",
                    f"{measure}（{department}）不在 docgen spot-check plan 抽取的样本中，这一行的核查"
                    "结果没有采用。请核对编号和责任部门是否改动过，或用生成的记录表重新填写。",
                    row=number,
                    column="责任部门",
                    value=department,
                )
            )
            continue
        raw_date = row.get("核查日期")
        checked_on = parse_date(raw_date, year) if clean_text(raw_date) else item.as_of
        if checked_on is None:
            issues.append(
                place.issue(
                    "bad-date",
                    f"核查日期“{clean_text(raw_date)}”无法识别，{DATE_HINT}",
                    row=number,
                    column="核查日期",
                    value=raw_date,
                )
            )
            continue
        if checked_on > as_of:
            continue  # a check after the as-of date is not known yet as of it
        records.append(
            {
                "编号": measure,
                "责任部门": department,
                "核查结果": verdict,
                "核查方式": clean_text(row.get("核查方式")).strip(),
                "发现的问题": clean_text(row.get("发现的问题")).strip(),
                "整改要求": clean_text(row.get("整改要求")).strip(),
                "核查人": clean_text(row.get("核查人")).strip(),
                "核查日期": checked_on,
                "抽查单位": item.checker,
                "_file": place.file,
                "_row": number,
            }
        )
    return records, issues
