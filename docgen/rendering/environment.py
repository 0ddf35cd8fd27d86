"""The one Jinja environment every template is filled in: sandboxed, strict, XML-safe.

docxtpl on its own repairs broken XML silently (an "&" or "<" in a value drops text), lets control
characters through, and reports template errors without saying where. Here every printed value is
made XML-safe (docgen.text.xml_safe) and escaped, undefined names are errors, and a workspace's own
templates are filled under a sandbox, a time limit and an output limit.
"""

import io
import re
import struct
import threading
import zlib
from dataclasses import dataclass
from typing import ClassVar

from jinja2 import FunctionLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from docgen import cn
from docgen.errors import DocgenError
from docgen.text import xml_safe


class RenderError(DocgenError):
    """A template could not be filled or the result is not a sound .docx; nothing was written."""


# ---------------------------------------------------------------------------------------------
# Values


# Text that xml_safe, escaping and the brace references below would all leave as it is.
_NOTHING_TO_CHANGE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff\u2028\u2029&<>\"'{}]|_x[0-9A-Fa-f]{4}_"
)


def finalize(value):
    """Applied by Jinja to every {{ }} result before autoescaping: what it returns is printed
    as escape() makes it.

    A document prints tens of thousands of plain strings and counts: the common case first, as
    the plain text, which escape() leaves as it is (it has none of the characters escaping
    changes) and makes Markup once, rather than a Markup that escape() would make again."""
    kind = type(value)
    if kind is str and not _NOTHING_TO_CHANGE.search(value):
        return value
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        # docxtpl's RichText, Listing and InlineImage carry their own, already escaped, XML.
        return value
    return Markup(_escaped(value))


def _escaped(value) -> str:
    """A value as XML text (or attribute value), escaped."""
    # Braces become character references so that docxtpl's post-render replacement of "{_{"
    # cannot alter a value, and so that a "{{" left in the rendered XML can only be a tag.
    escaped = str(escape(xml_safe(value)))
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


# Inside a run's <w:t xml:space="preserve">: close the text, Word's non-breaking hyphen, reopen.
_NO_BREAK_HYPHEN = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


def nobreak(value) -> Markup:
    """An id such as XC-001 kept on one line in prose: each hyphen becomes Word's non-breaking
    hyphen (w:noBreakHyphen, which Word, WPS and LibreOffice all read), so a line never ends at
    "XC-" with the rest of the id, and the line before, on the next."""
    text = str(finalize(str(value)))
    return Markup(_NO_BREAK_HYPHEN.join(text.split("-")))


def join_ids(values, separator: str = "、") -> Markup:
    """Ids listed in prose, XC-001、XC-002, each kept on one line (nobreak)."""
    return Markup(escape(separator)).join(nobreak(value) for value in values)


_DRAWING_PROPERTIES = re.compile(r"<wp:docPr\b([^>]*?)(/?)>")


def alt_text(drawing, picture) -> Markup:
    """A placed picture's XML with the PNG's Title and Description text as its alt text.

    The templates wrap a picture's slot in `{% filter alt_text(p) %}{{ p }}{% endfilter %}`:
    wp:docPr's title and descr are what Word shows as 可选文字 and a screen reader reads. The
    text comes from the image itself (docgen.charts writes it into each chart), which both
    rendering paths keep: `picture` is the Picture, or docxtpl's InlineImage made from it.
    """
    png = getattr(picture, "png", None) or getattr(picture, "image_descriptor", None)
    if isinstance(png, io.BytesIO):
        png = png.getvalue()
    text = png_text(png) if isinstance(png, bytes) else {}
    title = text.get("Title", "")
    description = text.get("Description", "") or title
    if not description:
        return Markup(drawing)
    attributes = f' title="{_escaped(title)}" descr="{_escaped(description)}"'
    return Markup(
        _DRAWING_PROPERTIES.sub(
            lambda m: f"<wp:docPr{m.group(1)}{attributes}{m.group(2)}>", str(drawing)
        )
    )


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_text(data: bytes) -> dict[str, str]:
    """The text chunks of a PNG (tEXt in Latin-1, iTXt in UTF-8) by keyword; {} for others."""
    if not data.startswith(_PNG_SIGNATURE):
        return {}
    found, position = {}, len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        position += length + 12  # length, type, data and CRC
        keyword, _, rest = chunk.partition(b"\0")
        if kind == b"tEXt":
            found[keyword.decode("latin-1")] = rest.decode("latin-1")
        elif kind == b"iTXt" and len(rest) >= 2:
            compressed, body = rest[0], rest[2:]
            _language, _, body = body.partition(b"\0")
            _translated, _, body = body.partition(b"\0")
            try:
                body = zlib.decompress(body) if compressed else body
                found[keyword.decode("latin-1")] = body.decode("utf-8")
            except (zlib.error, UnicodeDecodeError):
                continue
        elif kind == b"IEND":
            break
    return found


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


_DICT_ATTRIBUTES = frozenset(dir(dict))


class Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    # (type of the object, attribute) -> whether a template may read it. Jinja's checks and the
    # module check below depend on the object's type and the attribute's name alone, and a
    # large document asks the same few dozen questions tens of thousands of times.
    _safe: ClassVar[dict[tuple[type, str], bool]] = {}

    def getattr(self, obj, attribute):
        """`obj.attribute` as Jinja's sandbox reads it: the attribute if the object has it and it
        is safe, else the item of that name. A plain dict's item is read at once when the name is
        none of dict's own attributes, the same answer without Jinja's failed attribute lookup
        first (most of a context's values are dicts)."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            module = type(obj).__module__ or ""
            safe = self._safe[key] = (
                super().is_safe_attribute(obj, attr, value)
                and module.partition(".")[0] in TEMPLATE_SAFE_MODULES
            )
        return safe

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
    env = Sandbox(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        loader=FunctionLoader(_no_files),
    )
    env.filters.update(cn.FILTERS)
    env.filters["nobreak"] = nobreak
    env.filters["join_ids"] = join_ids
    env.filters["alt_text"] = alt_text
    return env


# Templates may come from a user's workspace, hence the sandbox; one environment for the whole
# process so that every document gets the same filters and the same strictness.
ENVIRONMENT = _build_environment()


class TimeLimit(BaseException):  # noqa: N818 - raised into the rendering thread, never seen outside
    """Raised into a thread that has filled a workspace template for too long.

    A BaseException, so that nothing on the way (Jinja, docxtpl, `except Exception`) takes it for
    an ordinary error of the template."""


class TooMuchOutput(Exception):  # noqa: N818 - caught by the strict template only
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
    """function(*args) in this thread; TimeLimit is raised into it after `seconds`.

    A watcher thread waits for the call to finish; if it does not in time, the watcher raises
    TimeLimit in this thread (under a lock, so never after the call has returned; a raise not yet
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
                _SET_ASYNC_EXC(target, id(TimeLimit))

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


def render_capped(template, context) -> str:
    """template.render(context), stopped once the text passes MAX_RENDERED_CHARACTERS."""
    blocks, pieces, size = [], [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_RENDERED_CHARACTERS:
            raise TooMuchOutput
        pieces.append(piece)
        if len(pieces) >= 4096:  # a loop printing one character at a time keeps few objects
            blocks.append("".join(pieces))
            pieces.clear()
    return "".join(blocks) + "".join(pieces)


@dataclass(frozen=True)
class Picture:
    """An image for a template's {{ }} slot: PNG bytes printed at `width_mm` (height follows).

    The PNG's Title and Description text, where it has them, are its alt text where the
    template asks for it (alt_text)."""

    png: bytes
    width_mm: float
