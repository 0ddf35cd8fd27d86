"""Any Unicode text in any text field of the inputs gives documents that parse strictly, pass
docgen check and show that text as docgen.text.clean_text documents it (its docstring is the spec).

Builds go through the library, not a subprocess, and the example counts stay small: each example
is a whole build of a two-measure campaign.
"""

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from hostile_workspaces import (
    FEEDBACK_HEADER,
    NOW,
    assert_outputs_sound,
    docx_texts,
    make_workspace,
    xlsx_cells,
    xlsx_texts,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.build import build
from docgen.errors import ValidationFailed
from docgen.files import safe_filename
from docgen.model import DEPARTMENT_SEPARATORS, NOTHING_WORDS, TEMPLATE_TAG
from docgen.official.checking import check_document
from docgen.text import clean_text, xml_safe
from docgen.workspace import open_workspace

AS_OF = dt.date(2026, 6, 15)
# All of Unicode but surrogates (st.text's default), and a mix weighted towards what breaks
# things: controls, format characters (RTL marks, joiners), combining marks, private use,
# symbols and emoji, line and paragraph separators, odd spaces.
ANY_TEXT = st.text(max_size=40)
ODD_TEXT = st.text(
    st.characters(categories=("Cc", "Cf", "Mn", "Me", "Co", "So", "Zl", "Zp", "Zs", "Lo", "Sm")),
    max_size=30,
)
TEXT = st.one_of(ANY_TEXT, ODD_TEXT)
# The same examples on every CI run (a failure there can be reproduced); new ones locally.
LIMITED = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)


# --- the cleaning itself --------------------------------------------------------------------


@given(st.one_of(TEXT, st.text(st.sampled_from(list("_x0041F5B\r\n\x0b\x01 \u3000")), max_size=20)))
@settings(max_examples=500, deadline=None)
def test_clean_text_is_what_every_document_shows(text):
    cleaned = clean_text(text)
    assert xml_safe(cleaned) == cleaned  # rendering changes nothing more
    assert clean_text(cleaned) == cleaned
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]", cleaned)
    assert not re.search(r"_x[0-9A-Fa-f]{4}_", cleaned)
    assert cleaned == cleaned.strip(" \t\n\r\u3000\xa0\u2002\u2003\u2009\u200b\ufeff")


# --- whole builds -----------------------------------------------------------------------------

FIELDS = (
    "问题",
    "具体举措",
    "分管领导",
    "备注",
    "进展情况",
    "佐证材料",
    "存在问题",
    "下步计划",
    "填报人",
)
# What the ledger shows of them (备注 and 填报人 appear in no document).
SHOWN = ("问题", "具体举措", "分管领导", "进展情况", "佐证材料", "存在问题", "下步计划")
# Answers where 无, /, - and the like mean nothing to report (aggregation._answer): not shown.
ANSWERS = ("佐证材料", "存在问题", "下步计划")


def _campaign(root: Path, texts: dict, measure_id="XC-001", department="办公室") -> Path:
    measures = [
        [
            measure_id,
            "巡察整改",
            texts["问题"],
            texts["具体举措"],
            "",
            department,
            "",
            texts["分管领导"],
            "2026-12-31",
            texts["备注"],
        ],
        [
            "JS-01",
            "警示教育",
            "",
            "召开警示教育大会",
            "学习反思",
            department,
            "",
            "",
            "2026-03-31",
            "",
        ],
    ]
    row = [measure_id, department, "推进中", texts["进展情况"], None, texts["佐证材料"]]
    row += [texts["存在问题"], texts["下步计划"], texts["填报人"], dt.date(2026, 6, 1)]
    assert len(row) == len(FEEDBACK_HEADER)
    return make_workspace(root, measures, {"反馈.xlsx": [row]}, config=None)


def _build(texts: dict, **names):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        workspace = _campaign(root / "ws", texts, **names)
        try:
            result = build(open_workspace(workspace, AS_OF, AS_OF), root / "out", NOW)
        except ValidationFailed as failed:
            return failed, None
        return None, _inspect(result, root)


def _inspect(result, root: Path) -> dict:
    """Everything the assertions need, read while the temporary folder still exists."""
    assert_outputs_sound(root / "out")
    documents = [p for p in result.outputs if p.suffix == ".docx"]
    (ledger,) = [p for p in result.outputs if p.name == "整改台账.xlsx"]
    forms = [p for p in result.outputs if p.parent.name == "反馈表"]
    return {
        "findings": {p.name: check_document(p) for p in documents},
        "ledger": "\n".join(xlsx_texts(ledger)),
        "ledger_cells": {c.value: c.data_type for c in xlsx_cells(ledger)},
        "form_docx": "\n".join(t for p in forms if p.suffix == ".docx" for t in docx_texts(p)),
        "form_xlsx": set(t for p in forms if p.suffix == ".xlsx" for t in xlsx_texts(p)),
        "names": [p.relative_to(result.folder).as_posix() for p in result.outputs],
        "warnings": result.warnings,
    }


def _only_tag_findings(findings: dict, texts) -> bool:
    """docgen check passes; where a text is tag-shaped ({{ name }}), it may only say so."""
    tagged = any(TEMPLATE_TAG.search(clean_text(t)) for t in texts)
    for found in findings.values():
        for finding in found:
            if not (tagged and finding.code == "template-tag"):
                return False
    return True


@given(st.fixed_dictionaries({field: TEXT for field in FIELDS}))
@example({field: "" for field in FIELDS} | {"具体举措": "=1+1", "进展情况": "{{ x }}<w:t>"})
@example({field: "" for field in FIELDS} | {"具体举措": "0", "下步计划": "/"})
@example({field: "" for field in FIELDS} | {"具体举措": "0", "下步计划": "-"})
@LIMITED
def test_any_text_in_any_field_builds_checked_documents_showing_it(texts):
    failed, seen = _build(texts)
    if failed is not None:
        # The one way such text can fail: a required field that cleans to nothing.
        assert clean_text(texts["具体举措"]) == ""
        assert {i.code for i in failed.report.errors} == {"empty-cell"}
        return
    assert _only_tag_findings(seen["findings"], texts.values()), seen["findings"]
    for field in SHOWN:
        cleaned = clean_text(texts[field])
        if field in ANSWERS and cleaned in NOTHING_WORDS:
            continue
        if cleaned:
            assert cleaned in seen["ledger"], (field, cleaned)
            if cleaned[0] in "=+-@" and field != "进展情况":  # that one starts with who said it
                assert seen["ledger_cells"][cleaned] == "s"
    measure = clean_text(texts["具体举措"])
    assert measure in seen["form_docx"]
    assert measure in seen["form_xlsx"]


def _usable_name(text: str) -> bool:
    cleaned = clean_text(text)
    return bool(cleaned) and not re.search(DEPARTMENT_SEPARATORS, cleaned)


@given(
    st.text(min_size=1, max_size=30).filter(_usable_name),
    st.text(min_size=1, max_size=20).filter(lambda t: bool(clean_text(t))),
)
@example("CON", "=1")
@example("..\\\\..\\\\出界", "@id")
@settings(LIMITED, max_examples=12)
def test_any_department_name_and_id_build_inside_the_output_folder(department, measure_id):
    plain = {field: "正文" for field in FIELDS}
    if clean_text(measure_id) == "JS-01":
        measure_id = "X" + measure_id
    failed, seen = _build(plain, measure_id=measure_id, department=department)
    assert failed is None, [i.message for i in failed.report.issues]
    name, identifier = clean_text(department), clean_text(measure_id)
    assert _only_tag_findings(seen["findings"], [department, measure_id]), seen["findings"]
    assert f"反馈表/反馈表_{safe_filename(name)}.docx" in seen["names"]
    assert all(".." not in part for n in seen["names"] for part in n.split("/")[:-1])
    assert name in seen["form_docx"] and identifier in seen["form_docx"]
    assert identifier in seen["form_xlsx"]
