"""The templates of docgen's own documents, each built by code in its own module.

Every entry names the template file (as committed under templates/ and as a user may override it
in a workspace's templates/) and the function that builds it from OfficialDocument.
"""

import importlib
from collections.abc import Callable

LAYOUTS: dict[str, tuple[str, str]] = {
    "self_check_report.docx": ("docgen.official.layouts.self_check", "build_bureau_report"),
    "department_self_check.docx": ("docgen.official.layouts.self_check", "build_department_report"),
    "supervision_brief.docx": ("docgen.official.layouts.brief", "build"),
    "urge_notice.docx": ("docgen.official.layouts.urge", "build"),
    "year_end_summary.docx": ("docgen.official.layouts.year_end", "build"),
    "feedback_form.docx": ("docgen.official.layouts.feedback_form", "build"),
}


def layout_builders() -> dict[str, Callable]:
    """Template name -> builder(profile) for every layout whose module exists."""
    builders = {}
    for name, (module, function) in LAYOUTS.items():
        try:
            builders[name] = getattr(importlib.import_module(module), function)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return builders
