"""The one rendering path: a strict, sandboxed Jinja environment driving docxtpl, and atomic saves.

docxtpl on its own repairs broken XML silently (an "&" or "<" in a value drops text), lets control
characters through, and reports template errors without saying where. Everything here exists to
turn those silent failures into a RenderError that names the template and shows the text around
the failing tag, before anything is written to disk.
"""

import datetime as dt
import functools
import io
import math
import os
import re
import tempfile
import threading
import traceback
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from docgen import cn
from docgen.errors import DocgenError

TEMPLATES_FOLDER = "templates"


class RenderError(DocgenError):
    """A template could not be filled or the result is not a sound .docx; nothing was written."""


# ---------------------------------------------------------------------------------------------
# Values


# OOXML's escape for characters XML cannot hold; openpyxl hands these through literally.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 forbids, plus DEL and the non-characters, none of which a clerk ever means.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"}
)


def xml_safe(value) -> str:
    """Text that XML can hold and Word shows as the spreadsheet meant it.

    None, NaN and pandas' NA/NaT become "". Dates become 2026年11月26日. Whole floats (Excel's
    3.0) lose the ".0". `_xHHHH_` escapes are decoded; CR LF, CR, vertical tab and form feed
    become "\\n", which docxtpl turns into a line break in the same paragraph; other control
    characters are dropped.
    """
    if value is None or cn.is_blank(value) and not isinstance(value, str):
        return ""
    if isinstance(value, dt.date):
        return cn.date_cn(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value))
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return _XML_ILLEGAL.sub("", text)


# Text that xml_safe, escaping and the brace references below would all leave as it is.
_NOTHING_TO_CHANGE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff\u2028\u2029&<>\"'{}]|_x[0-9A-Fa-f]{4}_"
)


def _finalize(value):
    """Applied by Jinja to every {{ }} result before autoescaping."""
    # A document prints hundreds of plain strings and counts: the common case first, same result.
    kind = type(value)
    if kind is int or kind is str and not _NOTHING_TO_CHANGE.search(value):
        return Markup(value)
    if hasattr(value, "__html__"):
        # docxtpl's RichText, Listing and InlineImage carry their own, already escaped, XML.
        return value
    # Braces become character references so that docxtpl's post-render replacement of "{_{"
    # cannot alter a value, and so that a "{{" left in the rendered XML can only be a tag.
    escaped = str(escape(xml_safe(value)))
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))


# ---------------------------------------------------------------------------------------------
# The sandbox
#
# A workspace's templates/ folder may hold any .docx someone was sent. Jinja's sandbox already
# refuses attributes that start with "_" (''.__class__, cycler.__init__.__globals__, ...) and
# caps range() at 100,000 items. On top of it: attributes only of the kinds of value docgen puts
# into a context (so a Path or a DataFrame that found its way in could not write files), no
# include/import/extends (there is nothing to load), no product that would fill the memory in
# one step, and, for workspace templates, a time limit and an output limit per document part.

# Modules whose objects a template may look into: plain values, docgen's own records, Jinja's
# and docxtpl's helpers.
TEMPLATE_SAFE_MODULES = frozenset(
    {"builtins", "datetime", "decimal", "collections", "docgen", "jinja2", "markupsafe", "docxtpl"}
)
# The longest text or list one `*` may make, and the largest power `**` may compute (in bits).
MAX_PRODUCT_LENGTH = 1_000_000
MAX_POWER_BITS = 100_000
# A workspace template's document part: at most this many seconds and characters to fill.
USER_TEMPLATE_SECONDS = 30
MAX_RENDERED_CHARACTERS = 50_000_000


class _Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        module = type(obj).__module__ or ""
        return module.partition(".")[0] in TEMPLATE_SAFE_MODULES

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | bytes | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_PRODUCT_LENGTH
                ):
                    raise SecurityError(f"“*”的结果超过 {MAX_PRODUCT_LENGTH} 项")
        elif (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and right * abs(left).bit_length() > MAX_POWER_BITS
        ):
            raise SecurityError("“**”的结果过大")
        return super().call_binop(context, operator, left, right)


def _no_files(name: str) -> None:
    return None  # FunctionLoader turns this into TemplateNotFound(name)


def _build_environment() -> SandboxedEnvironment:
    env = _Sandbox(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        loader=FunctionLoader(_no_files),
    )
    env.filters.update(cn.FILTERS)
    return env


# Templates may come from a user's workspace, hence the sandbox; one environment for the whole
# process so that every document gets the same filters and the same strictness.
ENVIRONMENT = _build_environment()


class _TimeLimit(BaseException):  # noqa: N818 - raised into the rendering thread, never seen outside
    """Raised into a thread that has filled a workspace template for too long.

    A BaseException, so that nothing on the way (Jinja, docxtpl, `except Exception`) takes it for
    an ordinary error of the template."""


class _TooMuchOutput(Exception):  # noqa: N818 - caught in this module only
    """A workspace template's part grew past MAX_RENDERED_CHARACTERS."""


def _async_raiser():
    """CPython's PyThreadState_SetAsyncExc: raise an exception in another thread at its next
    bytecode. It stops a Jinja loop on any system, Windows included, without a process per
    document; None where the interpreter does not have it (the limit is then not enforced)."""
    try:
        import ctypes

        function = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return None
    function.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
    function.restype = ctypes.c_int
    return function


_SET_ASYNC_EXC = _async_raiser()


def call_with_time_limit(seconds: float | None, function, *args):
    """function(*args) in this thread; _TimeLimit is raised into it after `seconds`.

    A watcher thread waits for the call to finish; if it does not in time, the watcher raises
    _TimeLimit in this thread (under a lock, so never after the call has returned; a raise not yet
    delivered is withdrawn)."""
    if seconds is None or _SET_ASYNC_EXC is None:
        return function(*args)
    target = threading.get_ident()
    lock = threading.Lock()
    finished = threading.Event()
    state = {"running": True, "fired": False}

    def watch() -> None:
        if finished.wait(seconds):
            return
        with lock:
            if state["running"]:
                state["fired"] = True
                _SET_ASYNC_EXC(target, id(_TimeLimit))

    watcher = threading.Thread(target=watch, name="docgen-template-time-limit", daemon=True)
    try:
        watcher.start()
        return function(*args)
    finally:
        with lock:
            state["running"] = False
            if state["fired"]:
                _SET_ASYNC_EXC(target, None)  # withdraw it if it has not been raised yet
        finished.set()
        watcher.join()


def _render_capped(template, context) -> str:
    """template.render(context), stopped once the text passes MAX_RENDERED_CHARACTERS."""
    blocks, pieces, size = [], [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_RENDERED_CHARACTERS:
            raise _TooMuchOutput
        pieces.append(piece)
        if len(pieces) >= 4096:  # a loop printing one character at a time keeps few objects
            blocks.append("".join(pieces))
            pieces.clear()
    return "".join(blocks) + "".join(pieces)


# ---------------------------------------------------------------------------------------------
# Files


TEMPORARY_SUFFIX = ".tmp"


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write data to path through a temporary file in the same folder and a rename.

    A reader never sees a half-written file, and a failure leaves the old file as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, ending in .tmp and naming this process: never taken for a finished file, and
    # removed by sweep_leftovers once this process has gone (killed half way, say).
    descriptor, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise RenderError(
            f"无法写入 {path}：{exc.strerror or exc}。如果该文件正在 Word 或 WPS 中打开，请先关闭。"
        ) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


_FILENAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(
    r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE
)
# Characters kept of a name: 60 CJK characters are 180 bytes, which leaves room within the
# 255 bytes a Linux file name may take for the document's name, the suffix and a temporary name.
MAX_FILENAME_CHARACTERS = 60


def safe_filename(
    name: str, replacement: str = "_", max_length: int = MAX_FILENAME_CHARACTERS
) -> str:
    """A file name valid on Windows and Linux, e.g. for one document per department.

    Characters Windows forbids become `replacement`; leading and trailing spaces and trailing
    dots go; the name is cut to `max_length` characters; a name Windows reserves (CON, NUL,
    COM1, ...) gets `replacement` in front. Two names can come out the same ("a/b", "a:b"):
    validation refuses departments whose names would (see validation.filename_clashes).
    """
    text = _FILENAME_FORBIDDEN.sub(replacement, xml_safe(name).replace("\n", " "))
    text = text.strip()[:max_length].rstrip(". ").strip()
    if not text:
        text = replacement
    if _WINDOWS_RESERVED.match(text):
        text = replacement + text
    return text


def packaged_templates_dir() -> Path:
    """The folder of the templates shipped with docgen.

    An installed package holds them in docgen/templates (mapped from the repository's top-level
    templates/ at build time); a source checkout or an editable install has them beside the package.
    """
    installed = Path(__file__).resolve().parent / TEMPLATES_FOLDER
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / TEMPLATES_FOLDER


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


def _template_bytes(path: Path) -> bytes:
    try:
        stat = path.stat()
        return _template_bytes_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise RenderError(f"无法读取模板 {path}：{exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------------
# Rendering


_TAG = re.compile(r"<[^>]+>")
_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")


def _visible_text(xml_line: str) -> str:
    return _TAG.sub("", xml_line).strip()


def _template_lineno(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    # Jinja rewrites tracebacks so that template frames carry the template's own line numbers.
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"
    ]
    return frames[-1].lineno if frames else None


def _excerpt(src_xml: str, lineno: int | None, radius: int = 3) -> str:
    """The visible text of the template paragraphs around a line, the failing one marked."""
    if not lineno:
        return ""
    lines = src_xml.splitlines()
    shown = []
    for number in range(max(lineno - radius, 1), min(lineno + radius, len(lines)) + 1):
        text = _visible_text(lines[number - 1])
        if text or number == lineno:
            marker = "→ " if number == lineno else "  "
            shown.append(f"{marker}{text[:120]}")
    return "\n".join(shown)


def _part_label(part) -> str:
    name = str(getattr(part, "partname", "") or "")
    if "header" in name:
        return "页眉"
    if "footer" in name:
        return "页脚"
    if "footnotes" in name:
        return "脚注"
    return "正文"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UndefinedError):
        return f"变量或字段不存在（{exc.message}）"
    if isinstance(exc, SecurityError):
        return f"模板试图执行不允许的操作（{exc}）"
    if isinstance(exc, TemplateNotFound):
        return f"模板不能读取其他文件（{exc.name}），include、import、extends 都不可用"
    if isinstance(exc, TemplateSyntaxError):
        return f"模板语法错误（{exc.message}）"
    if isinstance(exc, TemplateError):
        return f"模板错误（{exc.message}）"
    return f"{type(exc).__name__}: {exc}"


@functools.lru_cache(maxsize=64)
def _compiled(src_xml: str):
    return ENVIRONMENT.from_string(src_xml)


class _StrictTemplate(DocxTemplate):
    """docxtpl with cached compilation, located errors and strict XML instead of silent repair."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(io.BytesIO(data))
        self._data = data
        self._name = name
        # Bytes that do not say they are ours (see TemplateBytes) are filled under the limits.
        self._limited = not getattr(data, "packaged", False)

    def init_docx(self, reload: bool = True):
        if not self.docx or (self.is_rendered and reload):
            # A fresh stream each time: python-docx reads the one it is given to the end.
            self.template_file = io.BytesIO(self._data)
        super().init_docx(reload)

    def patch_xml(self, src_xml):
        return _patched(src_xml)

    def compile_part(self, src_xml):
        """The compiled Jinja template of one patched part (docgen.batch compiles its own way)."""
        return _compiled(src_xml)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        # docxtpl's re.sub(r"<w:p([ >])", r"\n<w:p\1", ...) and its inverse, as plain replaces.
        src_xml = src_xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")
        where = _part_label(part)
        try:
            self.current_rendering_part = part
            template = self.compile_part(src_xml)
            dst_xml = self._render(template, context, where)
        except RenderError:
            raise
        except Exception as exc:
            lineno = _template_lineno(exc)
            excerpt = _excerpt(src_xml, lineno)
            message = f"模板 {self._name}（{where}）无法填充：{_reason(exc)}。"
            if excerpt:
                message += f"\n出错位置附近的模板文字：\n{excerpt}"
            raise RenderError(message) from exc
        dst_xml = dst_xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        dst_xml = (
            dst_xml.replace("{_{", "{{")
            .replace("}_}", "}}")
            .replace("{_%", "{%")
            .replace("%_}", "%}")
        )
        self._refuse_leftover_tags(dst_xml, where)
        return self.resolve_listing(dst_xml)

    def _render(self, template, context, where: str) -> str:
        """template.render(context); a workspace template under the time and size limits."""
        if not self._limited:
            return template.render(context)
        try:
            return call_with_time_limit(USER_TEMPLATE_SECONDS, _render_capped, template, context)
        except _TimeLimit:
            raise RenderError(
                f"模板 {self._name}（{where}）填充超过 {USER_TEMPLATE_SECONDS} 秒仍未完成，已停止，"
                "没有写入任何文件。请检查模板中的循环（for）是否过多或嵌套过深。"
            ) from None
        except _TooMuchOutput:
            raise RenderError(
                f"模板 {self._name}（{where}）填充出的内容超过 {MAX_RENDERED_CHARACTERS:,} 个字符，"
                "已停止，没有写入任何文件。请检查模板中的循环（for）是否过多或嵌套过深。"
            ) from None

    def _refuse_leftover_tags(self, xml: str, where: str) -> None:
        # Values reach the XML with their braces as character references (see _finalize), so a
        # brace pair in the visible text here can only come from the template itself.
        if "{" not in xml and "}" not in xml:
            return
        visible = _TAG.sub("", xml)
        match = _LEFTOVER.search(visible)
        if match:
            start = max(match.start() - 30, 0)
            around = visible[start : match.end() + 30].replace("\n", "")
            raise RenderError(
                f"模板 {self._name}（{where}）填充后仍有未处理的模板标记“{match.group()}”："
                f"……{around}……。请检查该处的标记是否完整（是否被 Word 拆开或少了括号）。"
            )

    def fix_tables(self, xml):
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                f"模板 {self._name} 填充后的正文不是合法的 XML（{exc}）。"
                "常见原因：{%p %} 或 {%tr %} 标记与其他文字放在了同一段或同一行。"
            ) from None
        return super().fix_tables(xml)

    def map_headers_footers_xml(self, relKey, xml):
        try:
            super().map_headers_footers_xml(relKey, xml)
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                f"模板 {self._name} 填充后的页眉或页脚不是合法的 XML（{exc}）。"
            ) from None

    def render_properties(self, context, jinja_env=None):
        # Document properties are plain text, not XML: render, then undo the escaping.
        properties = self.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            initial = getattr(properties, name) or ""
            if "{" not in initial:
                continue
            try:
                rendered = self._render(ENVIRONMENT.from_string(initial), context, "文档属性")
            except RenderError:
                raise
            except Exception as exc:
                raise RenderError(
                    f"模板 {self._name} 的文档属性 {name} 无法填充：{_reason(exc)}。"
                ) from exc
            setattr(properties, name, Markup(rendered).unescape())


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)


@functools.lru_cache(maxsize=32)
def _declared_variables(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    template = _StrictTemplate(Path(path).read_bytes(), Path(path).name)
    try:
        names = template.get_undeclared_template_variables(ENVIRONMENT)
    except TemplateSyntaxError as exc:
        raise RenderError(
            f"模板 {Path(path).name} 有语法错误：{exc.message}（第 {exc.lineno} 行附近）。"
        ) from None
    return frozenset(names) - set(ENVIRONMENT.globals)


def template_variables(template_path) -> frozenset[str]:
    """Every top-level variable a template uses (loop variables excluded), cached per file."""
    path = Path(template_path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise RenderError(f"无法读取模板 {path}：{exc.strerror or exc}") from None
    return _declared_variables(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def missing_variables(template_path, context: Mapping) -> list[str]:
    """The variables the template needs that the context lacks, sorted."""
    return sorted(template_variables(template_path) - set(context))


def validate_docx(data: bytes, name: str = "文档") -> None:
    """Strict-parse every XML part of a .docx; raise RenderError naming the first broken one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RenderError(f"{name} 不是有效的 .docx 文件。") from None
    with archive:
        for member in archive.namelist():
            if not member.endswith((".xml", ".rels")):
                continue
            try:
                etree.fromstring(archive.read(member))
            except etree.XMLSyntaxError as exc:
                raise RenderError(f"{name} 中的 {member} 不是合法的 XML（{exc}）。") from None


@dataclass(frozen=True)
class Picture:
    """An image for a template's {{ }} slot: PNG bytes printed at `width_mm` (height follows)."""

    png: bytes
    width_mm: float


def _bind_pictures(value, template):
    """Turn every Picture in the context into a docxtpl InlineImage of this template."""
    if isinstance(value, Picture):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: _bind_pictures(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_bind_pictures(item, template) for item in value]
    return value


def has_pictures(value) -> bool:
    """True when the context holds a Picture anywhere (such documents need python-docx)."""
    if isinstance(value, Picture):
        return True
    if isinstance(value, Mapping):
        return any(has_pictures(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(has_pictures(item) for item in value)
    return False


def render_bytes(template_path, context: Mapping) -> bytes:
    """Fill a template and return the checked .docx as bytes (nothing is written)."""
    path = Path(template_path)
    if not isinstance(context, Mapping):
        raise RenderError(
            f"渲染 {path.name} 需要字典形式的数据，收到的是 {type(context).__name__}。"
        )
    missing = missing_variables(path, context)
    if missing:
        raise RenderError(f"模板 {path.name} 需要以下数据，但没有提供：{'、'.join(missing)}。")
    template = _StrictTemplate(_template_bytes(path), path.name)
    try:
        template.render(_bind_pictures(context, template), jinja_env=ENVIRONMENT, autoescape=True)
    except RenderError:
        raise
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise RenderError(f"模板 {path.name} 无法填充：{exc}") from exc
    buffer = io.BytesIO()
    template.save(buffer)
    data = buffer.getvalue()
    validate_docx(data, path.name)
    return data


def render_document(template_path, context: Mapping, out_path) -> Path:
    """Fill a template with a context and save the result atomically at out_path.

    Missing variables are named before rendering; the result is strict-parsed and refused if any
    template tag is left. Raises RenderError, in which case out_path is untouched.
    """
    data = render_bytes(template_path, context)
    return atomic_write_bytes(out_path, data)


_FONT_ATTRIBUTE = re.compile(r'(w:(?:ascii|hAnsi|eastAsia|cs|name)=")([^"]+)(")')


def remap_fonts(data: bytes, profile: str) -> bytes:
    """Rename the fonts of a .docx from the packaged (gb2312) profile to another profile's names.

    Templates are built with one set of names; an office whose machines only have stock Windows
    fonts sets `[format] font_profile = "windows"` and gets 仿宋/楷体 instead of the _GB2312 faces.
    Only font attributes change, never text.
    """
    from docgen.official.geometry import DEFAULT_FONT_PROFILE, FontProfile, font_profile

    target = font_profile(profile)
    source = font_profile(DEFAULT_FONT_PROFILE)
    if target == source:
        return data
    roles = [f for f in FontProfile.__dataclass_fields__ if f != "name"]
    mapping = {getattr(source, r): getattr(target, r) for r in roles}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in archive.infolist():
            content = archive.read(item)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                text = content.decode("utf-8")
                text = _FONT_ATTRIBUTE.sub(
                    lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), text
                )
                content = text.encode("utf-8")
            out.writestr(item, content)
    return buffer.getvalue()
