"""Every document's context is typed (a TypedDict in its package's context.py), and the template of
each document asks for exactly what that type declares: checked key by key on the sample inputs."""

import datetime as dt
import types
import typing

import pytest
from conftest import campaign_of, sample_copy

import docgen.aggregation
from docgen.build import make_job
from docgen.documents.brief.context import BriefContext, brief_context
from docgen.documents.department_report.context import (
    OWN_NAMES,
    DepartmentReportContext,
    Scope,
    department_report_context,
    department_values,
    parts_by_department,
)
from docgen.documents.feedback_form.context import FormContext, form_context
from docgen.documents.info_bulletin.context import (
    InfoContext,
    candidates,
    info_context,
    issue_items,
    item,
)
from docgen.documents.party_report.context import PartyReportContext, party_report_context
from docgen.documents.registry import templates
from docgen.documents.spot_check_report.context import (
    SpotCheckReportContext,
    spot_check_report_context,
)
from docgen.documents.urge.context import UrgeContext, urge_context
from docgen.documents.year_end.context import YearEndContext, year_end_context
from docgen.history import BriefIssue
from docgen.official.checking import check_document
from docgen.rendering import RenderError, prepare, resolve_template, template_variables
from docgen.spot_check.record_word import RecordContext, record_context
from docgen.spot_check.sampling import draw

SAMPLE = sample_copy()
AS_OF = dt.date(2026, 11, 26)
# Names the typed contexts use only in annotations (documents.base keeps them out of workers).
NAMES = vars(docgen.aggregation)


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    """template name -> (context built from the sample inputs, its declared type)."""
    campaign = campaign_of(SAMPLE, AS_OF)
    job = make_job(campaign, tmp_path_factory.mktemp("out"), dt.datetime(2026, 11, 26, 9))
    summary = campaign.summary
    late = summary.late_departments[0]
    previous = BriefIssue(2026, 1, AS_OF - dt.timedelta(days=7), {})
    issue = BriefIssue(2026, 2, AS_OF, summary.snapshot())
    sample = draw(summary, campaign.settings, 20261126)
    return {
        "feedback_form.docx": (form_context(job, late.name, AS_OF), FormContext),
        "self_check_report.docx": (party_report_context(job, 3), PartyReportContext),
        "self_check_report_full.docx": (party_report_context(job, 3), PartyReportContext),
        "department_self_check.docx": (
            department_report_context(job, late.name),
            DepartmentReportContext,
        ),
        "department_self_check_full.docx": (
            department_report_context(job, late.name),
            DepartmentReportContext,
        ),
        "supervision_brief.docx": (brief_context(job, issue, previous), BriefContext),
        "urge_notice.docx": (urge_context(job, late, 2, 7), UrgeContext),
        "year_end_summary.docx": (year_end_context(job), YearEndContext),
        "spot_check_report.docx": (spot_check_report_context(job), SpotCheckReportContext),
        "info_bulletin.docx": (
            info_context(job, 1, issue_items(candidates(summary, set()), 4)),
            InfoContext,
        ),
        "info_special.docx": (
            info_context(job, 1, [item(candidates(summary, set())[0], 1500)], special=True),
            InfoContext,
        ),
        "spot_check_record.docx": (
            record_context(sample, sample.streams[-1], AS_OF, campaign.settings),
            RecordContext,
        ),
    }


def declared(kind) -> dict:
    return typing.get_type_hints(kind, localns=NAMES)


def mismatch(value, annotation, where: str) -> str | None:
    """Where `value` is not of `annotation` (a description), or None."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.NotRequired:
        return mismatch(value, args[0], where)
    if origin in (types.UnionType, typing.Union):
        found = [mismatch(value, option, where) for option in args]
        return None if None in found else f"{where}: {value!r} is none of {annotation}"
    if annotation is type(None):
        return None if value is None else f"{where}: {value!r} is not None"
    if typing.is_typeddict(annotation):
        if not isinstance(value, dict):
            return f"{where}: {type(value).__name__} is not a dict"
        hints = declared(annotation)
        missing = annotation.__required_keys__ - value.keys()
        extra = value.keys() - hints.keys()
        if missing or extra:
            return f"{where}: missing {sorted(missing)}, undeclared {sorted(extra)}"
        found = (mismatch(value[k], hints[k], f"{where}.{k}") for k in value)
        return next((f for f in found if f), None)
    if origin in (list, tuple, dict):
        if not isinstance(value, origin):
            return f"{where}: {type(value).__name__} is not a {origin.__name__}"
        if origin is dict:
            items = [(f"{where}[{k!r}]", v, args[1]) for k, v in value.items()]
        elif origin is tuple and args[-1] is not Ellipsis:
            if len(value) != len(args):
                return f"{where}: {len(value)} items, {len(args)} declared"
            items = [
                (f"{where}[{i}]", v, a) for i, (v, a) in enumerate(zip(value, args, strict=True))
            ]
        else:
            items = [(f"{where}[{i}]", v, args[0]) for i, v in enumerate(value)]
        found = (mismatch(v, a, w) for w, v, a in items)
        return next((f for f in found if f), None)
    if annotation is int and isinstance(value, bool):
        return f"{where}: {value!r} is a bool, not an int"
    return None if isinstance(value, annotation) else f"{where}: {value!r} is not {annotation}"


def test_every_packaged_template_has_a_typed_context(contexts):
    assert set(contexts) == set(templates())


@pytest.mark.parametrize("name", sorted(templates()))
def test_the_context_has_exactly_the_declared_keys_of_the_declared_types(contexts, name):
    context, kind = contexts[name]
    hints = declared(kind)
    assert set(context) == set(hints), name
    for key in hints:
        assert mismatch(context[key], hints[key], key) is None


@pytest.mark.parametrize("name", sorted(templates()))
def test_the_template_asks_for_declared_keys_only_and_needs_each(contexts, name, tmp_path):
    context, kind = contexts[name]
    path = resolve_template(name)
    used = template_variables(path)
    assert used <= set(declared(kind)), sorted(used - set(declared(kind)))
    prepared = prepare(path)
    for key in sorted(used):
        with pytest.raises(RenderError, match=f"没有提供：{key}。"):
            prepared.render({k: v for k, v in context.items() if k != key})
    out = prepared.write(context, tmp_path / name)
    assert check_document(out) == []


def test_a_mismatch_is_found():
    assert mismatch({"total": 1}, FormContext, "c") is not None
    assert mismatch([1, "2"], list[int], "x") == "x[1]: '2' is not <class 'int'>"
    assert mismatch(True, int, "n") is not None
    assert mismatch(None, dt.date | None, "d") is None


def test_a_department_report_is_the_base_with_exactly_its_own_names_replaced(tmp_path):
    """A rebuild takes a department's report by its base-context values other than OWN_NAMES,
    the scope, its progress and its measures (department_report.write_department_reports): a
    name department_values sets but OWN_NAMES leaves out would let a report be taken whose
    base value changed, one OWN_NAMES lists but it does not set would leave that value out of
    what the report is taken by."""
    campaign = campaign_of(SAMPLE, AS_OF)
    job = make_job(campaign, tmp_path, dt.datetime(2026, 11, 26, 9))
    parts = parts_by_department(campaign.summary)
    scope = Scope.of(job)
    for progress in campaign.summary.departments:
        own = department_values(scope, progress, parts.get(progress.name, []))
        assert own.keys() == OWN_NAMES, progress.name
