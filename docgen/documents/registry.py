"""Every kind of document docgen writes, in the order `docgen build` writes them.

A new kind of document is a package under docgen/documents/ that declares a DocumentKind
(documents.base) as DOCUMENT, and one line here. `docgen build` writes those with in_build,
`docgen run` those whose key the schedule names, scripts/build_templates.py builds their templates.
"""

from docgen.documents import (
    brief,
    department_report,
    feedback_form,
    info_bulletin,
    ledger,
    party_report,
    spot_check_plan,
    spot_check_report,
    urge,
    year_end,
)
from docgen.documents.base import DocumentKind, Template

DOCUMENTS: tuple[DocumentKind, ...] = (
    ledger.DOCUMENT,
    party_report.DOCUMENT,
    brief.DOCUMENT,
    year_end.DOCUMENT,
    feedback_form.DOCUMENT,
    department_report.DOCUMENT,
    urge.DOCUMENT,
    spot_check_plan.DOCUMENT,
    spot_check_report.DOCUMENT,
    info_bulletin.DOCUMENT,
)


def documents_for(keys) -> tuple[DocumentKind, ...]:
    """The kinds a set of schedule keys (config.DOCUMENT_KINDS) names; `build` names all of them
    that `docgen build` writes."""
    keys = set(keys)
    if "build" in keys:
        return tuple(kind for kind in DOCUMENTS if kind.in_build)
    return tuple(kind for kind in DOCUMENTS if kind.key in keys)


def templates() -> dict[str, Template]:
    """Every packaged template by file name."""
    return {template.name: template for kind in DOCUMENTS for template in kind.templates}
