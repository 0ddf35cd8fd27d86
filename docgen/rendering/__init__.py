"""Filling Word templates: the public API every document goes through.

- prepare(template, font_profile) -> PreparedTemplate, made once per process and file version;
  its render(context) gives the checked .docx as bytes, its write(context, path) saves it.
- write_many(template, font_profile, documents, count, done): one template for many contexts,
  in worker processes, each file written as soon as it is filled; a context may be Deferred,
  built only when its file cannot be taken from the previous build by what it is built from.
- render_bytes / render_document: docxtpl itself, made strict; the reference the prepared
  template is tested against and hands what it cannot fill the same way.
- in_background(function, items): a few long items in worker processes while the caller goes
  on (the single documents of a large build).
- made_of(template, font_profile)(context): what a filled document depends on, for
  docgen.reuse (an incremental build takes an unchanged document from the previous one);
  write_many leaves out what its `reuse` takes, left_to_do does the same for other batches.
- resolve_template(name, workspace): the workspace's own template of that name, else ours.
- document_time(as_of) -> the time every office file of a build carries (the as-of date at
  midnight UTC, or SOURCE_DATE_EPOCH), given to render/write/write_many as `when`;
  stamp_office_file(data, when) sets it in a finished .docx or .xlsx (openpyxl's, docxtpl's).

Modules: environment (the sandboxed Jinja environment and what a template may print), templates
(where templates come from), strict (the reference path), prepared (the fast path), package
(office files from a prototype), workers (worker processes and writing behind).
"""

from docgen.rendering.environment import ENVIRONMENT, Picture, RenderError
from docgen.rendering.package import Package, document_time, stamp_office_file
from docgen.rendering.prepared import PreparedTemplate, prepare
from docgen.rendering.strict import (
    missing_variables,
    remap_fonts,
    render_bytes,
    render_document,
    template_variables,
    validate_docx,
)
from docgen.rendering.templates import TEMPLATES_FOLDER, packaged_templates_dir, resolve_template
from docgen.rendering.workers import (
    Deferred,
    in_background,
    left_to_do,
    made_of,
    map_in_workers,
    write_many,
    write_soon,
)

__all__ = [
    "Deferred",
    "ENVIRONMENT",
    "TEMPLATES_FOLDER",
    "Package",
    "Picture",
    "PreparedTemplate",
    "RenderError",
    "in_background",
    "left_to_do",
    "made_of",
    "map_in_workers",
    "document_time",
    "missing_variables",
    "packaged_templates_dir",
    "prepare",
    "remap_fonts",
    "render_bytes",
    "render_document",
    "resolve_template",
    "stamp_office_file",
    "template_variables",
    "validate_docx",
    "write_many",
    "write_soon",
]
