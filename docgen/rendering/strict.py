"""The reference path: docxtpl itself, made strict.

StrictTemplate is docxtpl with located errors (the template's name, the part and the text around
the failing tag), leftover tags refused, strict XML instead of silent repair, and the sandbox's
limits for a workspace's own templates. render_bytes fills a template the way docxtpl does, every
part strict-parsed; the prepared template (docgen.rendering.prepared) gives the same documents
faster and hands it whatever it cannot promise to fill the same way.
"""

import datetime as dt
import functools
import io
import re
import traceback
import zipfile
from collections.abc import Mapping
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree
from markupsafe import Markup

from docgen.files import atomic_write_bytes
from docgen.fonts import font_mapping
from docgen.rendering import environment
from docgen.rendering.environment import (
    ENVIRONMENT,
    MAX_RENDERED_CHARACTERS,
    Picture,
    RenderError,
    TimeLimit,
    TooMuchOutput,
    call_with_time_limit,
    render_capped,
)
from docgen.rendering.kept import compiled, variables
from docgen.rendering.package import stamp_office_file
from docgen.rendering.templates import template_bytes

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
    return compiled(ENVIRONMENT, src_xml, "strict")


class StrictTemplate(DocxTemplate):
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
        return patched(src_xml)

    def compile_part(self, src_xml):
        """The compiled Jinja template of one patched part (the prepared template compiles its own way)."""
        return _compiled(src_xml)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        src_xml = newlines(src_xml)
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
            # environment holds the limit; read at each call, it has one definition.
            seconds = environment.USER_TEMPLATE_SECONDS
            return call_with_time_limit(seconds, render_capped, template, context)
        except TimeLimit:
            raise RenderError(
                f"模板 {self._name}（{where}）填充超过 {seconds} 秒仍未完成，已停止，"
                "没有写入任何文件。请检查模板中的循环（for）是否过多或嵌套过深。"
            ) from None
        except TooMuchOutput:
            raise RenderError(
                f"模板 {self._name}（{where}）填充出的内容超过 {MAX_RENDERED_CHARACTERS:,} 个字符，"
                "已停止，没有写入任何文件。请检查模板中的循环（for）是否过多或嵌套过深。"
            ) from None

    def _refuse_leftover_tags(self, xml: str, where: str) -> None:
        # Values reach the XML with their braces as character references (see environment.finalize), so a
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
def newlines(src_xml: str) -> str:
    """docxtpl's re.sub(r"<w:p([ >])", r"\n<w:p\1", ...) before compiling a part, as plain
    replaces; cached, since a batch fills the same part again and again (and the string, being
    the same object each time, keeps its hash)."""
    return src_xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


@functools.lru_cache(maxsize=64)
def patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)


@functools.lru_cache(maxsize=32)
def _declared_variables(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    data = Path(path).read_bytes()

    def find() -> frozenset[str]:
        template = StrictTemplate(data, Path(path).name)
        try:
            names = template.get_undeclared_template_variables(ENVIRONMENT)
        except TemplateSyntaxError as exc:
            raise RenderError(
                f"模板 {Path(path).name} 有语法错误：{exc.message}（第 {exc.lineno} 行附近）。"
            ) from None
        return frozenset(names) - set(ENVIRONMENT.globals)

    return variables(data, find)


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


def _bind_pictures(value, template):
    """Turn every Picture in the context into a docxtpl InlineImage of this template."""
    if isinstance(value, Picture):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: _bind_pictures(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_bind_pictures(item, template) for item in value]
    return value


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
    template = StrictTemplate(template_bytes(path), path.name)
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


def render_document(
    template_path, context: Mapping, out_path, when: dt.datetime | None = None
) -> Path:
    """Fill a template with a context and save the result atomically at out_path.

    Missing variables are named before rendering; the result is strict-parsed and refused if any
    template tag is left. Raises RenderError, in which case out_path is untouched. Given `when`,
    the file carries that time (package.stamp_office_file).
    """
    data = render_bytes(template_path, context)
    if when is not None:
        data = stamp_office_file(data, when)
    return atomic_write_bytes(out_path, data)


_FONT_ATTRIBUTE = re.compile(r'(w:(?:ascii|hAnsi|eastAsia|cs|name)=")([^"]+)(")')


def rename_fonts(xml: str, mapping: dict[str, str]) -> str:
    """The font attributes of a part's XML renamed by `mapping` (fonts.font_mapping); text and
    everything else as it was."""
    if not mapping:
        return xml
    return _FONT_ATTRIBUTE.sub(
        lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), xml
    )


def remap_fonts(data: bytes, profile: str) -> bytes:
    """A .docx with its fonts renamed from the default profile's names to `profile`'s.

    Templates are built with one set of names; an office whose machines only have stock Windows
    fonts sets `[format] font_profile = "windows"` and gets 仿宋/楷体 instead of the _GB2312 faces.
    """
    mapping = font_mapping(profile)
    if not mapping:
        return data
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in archive.infolist():
            content = archive.read(item)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                content = rename_fonts(content.decode("utf-8"), mapping).encode("utf-8")
            out.writestr(item, content)
    return buffer.getvalue()
