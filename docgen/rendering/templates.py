"""Where a template comes from: the workspace's own templates/ folder first, then docgen's, and
its bytes read once per process and file version."""

import functools
from pathlib import Path

from docgen.rendering.environment import RenderError

TEMPLATES_FOLDER = "templates"
_PACKAGE = Path(__file__).resolve().parent.parent  # the docgen package folder


def packaged_templates_dir() -> Path:
    """The folder of the templates shipped with docgen.

    An installed package holds them in docgen/templates (mapped from the repository's top-level
    templates/ at build time); a source checkout or an editable install has them beside the package.
    """
    installed = _PACKAGE / TEMPLATES_FOLDER
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / TEMPLATES_FOLDER


def resolve_template(name: str, workspace=None) -> Path:
    """The template to use: <workspace>/templates/<name> if the user put one there, else ours."""
    if workspace is not None:
        override = Path(workspace) / TEMPLATES_FOLDER / name
        if override.is_file():
            return override
    packaged = packaged_templates_dir() / name
    if packaged.is_file():
        return packaged
    raise RenderError(f"找不到模板 {name}（已查找 {packaged}）。")


class TemplateBytes(bytes):
    """A template file's bytes that remember whether docgen shipped the file.

    Only a workspace's own templates are filled under USER_TEMPLATE_SECONDS: ours are trusted,
    and their documents are filled with nothing more than the sandbox's checks."""

    packaged: bool = False


@functools.lru_cache(maxsize=32)
def _template_bytes_cached(path: str, mtime_ns: int, size: int) -> bytes:
    data = TemplateBytes(Path(path).read_bytes())
    data.packaged = Path(path).parent == packaged_templates_dir().resolve()
    return data


def template_bytes(path: Path) -> bytes:
    """The file's bytes (a TemplateBytes), read once per process and file version."""
    try:
        stat = path.stat()
        return _template_bytes_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise RenderError(f"无法读取模板 {path}：{exc.strerror or exc}") from None
