"""Filling one template many times: prepared templates and a pool of worker processes.

rendering.render_bytes is the reference path. For every document docxtpl reopens the .docx with
python-docx, patches and compiles its XML again and re-zips every part (templating.md §3): about
40 ms for a one-page form. A PreparedTemplate does that work once per template and process: the
python-docx load, the patching, the compilation, the checks of every part that never changes, and
the compressed bytes of those parts. Per document it renders only the body and the headers and
footers as strings, strict-parses each, and writes the zip by copying everything else.

The strictness is the same because the same code does it: every part is filled by rendering's
_StrictTemplate.render_xml_part (located errors, leftover tags refused, line breaks resolved), and
every part is strict-parsed, the unchanging ones once. Where the fast path cannot promise the
document render_bytes would make, it hands the document to render_bytes:

- templates with pictures, embedded objects, footnotes, templated document properties, parts it
  does not know, or a part that does not parse (render_bytes then names the error);
- values that are not plain text, numbers, dates or a rendering.Picture in the body (RichText,
  InlineImage, a subdocument, a Picture in a header): they need docxtpl's own handling. A
  Picture in the body is placed as render_bytes places it (python-docx's picture XML, the image
  part, its relationship and content type);
- tables whose grid docxtpl would repair (column loops, colspan), and output that does not parse.
"""

import bisect
import contextlib
import contextvars
import copy
import datetime as dt
import functools
import gc
import io
import itertools
import multiprocessing
import numbers
import os
import re
import struct
import sys
import threading
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import islice
from pathlib import Path

from lxml import etree
from markupsafe import Markup

from docgen.rendering import (
    _FONT_ATTRIBUTE,
    ENVIRONMENT,
    Picture,
    RenderError,
    _finalize,
    _StrictTemplate,
    _template_bytes,
    atomic_write_bytes,
    remap_fonts,
    render_bytes,
    template_variables,
)

# What python-docx writes before every part it saves, so that both paths start parts alike.
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# Relationships of the document, header and footer parts the fast path knows to be inert: parts
# that docxtpl copies unchanged too. Anything else (images, charts, objects, subdocuments,
# footnotes, which docxtpl renders) sends the template to render_bytes.
INERT_RELATIONSHIPS = frozenset(
    {
        "styles",
        "stylesWithEffects",
        "numbering",
        "settings",
        "webSettings",
        "fontTable",
        "theme",
        "header",
        "footer",
        "customXml",
        "hyperlink",
        "endnotes",
        "comments",
        "glossaryDocument",
    }
)
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# Pictures and objects in a part docxtpl renders: it renumbers drawing ids, we would not.
_DRAWINGS = re.compile(r"<w:drawing[ >]|<w:pict[ >]|<w:object[ >]|<wp:docPr[ >]")
# docxtpl's resolve_listing: the characters it expands and the paragraphs it looks at.
_LISTING = "\t\a\n\f"
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Level 6 is zlib's (and python-docx's) default. On a 25-row form's body level 1 takes a third of
# the time (0.15 ms against 0.44) for a part about a quarter larger (3.9 kB against 3.1).
COMPRESSION_LEVEL = 1


class _NeedsDocxtpl(BaseException):  # noqa: N818 - a signal, not an error
    """A value to print needs docxtpl's own handling; raised through Jinja, caught in this module.

    A BaseException so that neither Jinja nor render_xml_part's error reporting turns it into a
    RenderError."""


def _finalize_plain(value):
    kind = type(value)
    if kind is str or kind is int or value is None:
        return _finalize(value)
    if isinstance(value, str | numbers.Number | dt.date):
        return _finalize(value)
    if isinstance(value, Picture):
        pictures = _PLACING.get()
        if pictures is not None:
            return Markup(pictures.place(value))
    raise _NeedsDocxtpl


class _Pictures:
    """The pictures of one document's body, placed as render_bytes places them: a docxtpl
    InlineImage through python-docx (same XML, relationship ids, media names, shared when the
    same image comes twice), drawing ids renumbered from 1001 as docxtpl's fix_docpr_ids does."""

    def __init__(self, shape_id: int, relationship_ids) -> None:
        self.shape_id = shape_id
        self.taken = set(relationship_ids)
        self.images: dict[str, tuple[str, str, bytes]] = {}  # sha1 -> (rId, member, bytes)

    def place(self, picture: Picture) -> str:
        from docx.image.image import Image
        from docx.oxml.shape import CT_Inline
        from docx.shared import Mm

        image = Image.from_blob(picture.png)
        if image.content_type != "image/png":
            raise _NeedsDocxtpl
        if image.sha1 not in self.images:
            relationship = next(
                f"rId{n}" for n in itertools.count(1) if f"rId{n}" not in self.taken
            )
            self.taken.add(relationship)
            member = f"word/media/image{len(self.images) + 1}.{image.ext}"
            self.images[image.sha1] = (relationship, member, picture.png)
        relationship = self.images[image.sha1][0]
        width, height = image.scaled_dimensions(Mm(picture.width_mm), None)
        inline = CT_Inline.new_pic_inline(
            self.shape_id, relationship, image.filename, width, height
        )
        # InlineImage's own words: close the text run, the drawing in a run of its own, reopen.
        return (
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
            '<w:t xml:space="preserve">'
        )

    @staticmethod
    def renumber(xml: str) -> str:
        numbers = itertools.count(1001)
        return _DRAWING_ID.sub(lambda m: f'<wp:docPr id="{next(numbers)}"', xml)


_PLACING: contextvars.ContextVar[_Pictures | None] = contextvars.ContextVar(
    "docgen_pictures", default=None
)
_DRAWING_ID = re.compile(r'<wp:docPr id="[0-9]+"')
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


# The one environment, printing through _finalize as it does; only values it does not know
# (RichText, InlineImage, Picture, ...) stop the fast path instead of being printed.
_PLAIN_ENVIRONMENT = ENVIRONMENT.overlay(finalize=_finalize_plain)


class _Unsupported(Exception):
    """The template uses something only render_bytes handles; the message says what."""


class _PreparingTemplate(_StrictTemplate):
    """_StrictTemplate whose parts compile in the plain environment, once per part."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data, name)
        self._compiled: dict[str, object] = {}
        self._resolved: dict[str, str] = {}

    def resolve_listing(self, xml):
        # docxtpl rewrites every paragraph with three nested regular expressions; only those
        # holding a tab, line break, new paragraph or page break change. Its own paragraph
        # pattern finds the paragraphs (the same matches its pass makes); those holding such a
        # character are handed to it one by one, and remembered: the same paragraph (a date
        # broken over two lines) comes back row after row.
        specials = _special_positions(xml)
        if not specials:
            return xml
        spans = [paragraph.span() for paragraph in _PARAGRAPH.finditer(xml)]
        starts = [start for start, _ in spans]
        pieces, done, previous = [], 0, -1
        for special in specials:
            index = bisect.bisect_right(starts, special) - 1
            if index <= previous:
                continue  # before any paragraph, or in the one just resolved
            start, end = spans[index]
            if special < end:
                pieces.append(xml[done:start])
                pieces.append(self._resolve_paragraph(xml[start:end]))
                done, previous = end, index
        pieces.append(xml[done:])
        return "".join(pieces)

    def _resolve_paragraph(self, paragraph: str) -> str:
        resolved = self._resolved.get(paragraph)
        if resolved is None:
            if len(self._resolved) > 4096:
                self._resolved.clear()
            resolved = super().resolve_listing(paragraph)
            self._resolved[paragraph] = resolved
        return resolved

    def compile_part(self, src_xml):
        template = self._compiled.get(src_xml)
        if template is None:
            template = self._compiled[src_xml] = _PLAIN_ENVIRONMENT.from_string(src_xml)
        return template


class PreparedTemplate:
    """A .docx template read, checked and compiled once, then filled for many contexts.

    `render(context)` returns the same document render_bytes would (same text, tables, formatting
    and errors), with the fonts renamed for `font_profile` as remap_fonts does.
    """

    def __init__(self, template_path, font_profile: str = "gb2312") -> None:
        self.path = Path(template_path)
        self.font_profile = font_profile
        self.variables = template_variables(self.path)
        self.unsupported = ""
        try:
            self._prepare(_template_bytes(self.path))
        except _Unsupported as exc:
            self.unsupported = str(exc)

    @property
    def fast(self) -> bool:
        """Whether documents are filled without python-docx (else every one goes to render_bytes)."""
        return not self.unsupported

    def _prepare(self, data: bytes) -> None:
        template = _PreparingTemplate(data, self.path.name)
        try:
            template.init_docx()
        except Exception as exc:  # python-docx raises several kinds for a broken package
            raise _Unsupported(f"python-docx cannot open it ({exc})") from None
        document = template.docx
        package = document.part.package
        properties = document.core_properties
        for name in _PROPERTIES:
            if "{" in (getattr(properties, name) or ""):
                raise _Unsupported(f"document property {name} is a template")
        if any(part.content_type == _FOOTNOTES for part in package.iter_parts()):
            raise _Unsupported("footnotes")

        parts = [(document.part, template.get_xml())]
        seen = set()
        for uri in (_HEADER, _FOOTER):
            for _, part in template.get_headers_footers(uri):
                if part.partname in seen:
                    raise _Unsupported(f"{part.partname} is used twice")
                seen.add(part.partname)
                parts.append((part, template.get_part_xml(part)))
        for part, xml in parts:
            for relationship in part.rels.values():
                kind = relationship.reltype.rsplit("/", 1)[-1]
                if kind not in INERT_RELATIONSHIPS:
                    raise _Unsupported(f"{part.partname} has a {kind} relationship")
            if _DRAWINGS.search(xml):
                raise _Unsupported(f"{part.partname} holds pictures or objects")

        self._template = template
        self._body_src = template.patch_xml(parts[0][1])
        self._parts = [
            (str(part.partname).lstrip("/"), part, template.patch_xml(xml))
            for part, xml in parts[1:]
        ]
        self._document_member = str(document.part.partname).lstrip("/")
        self._head, self._tail = _around_body(document.element)
        # What pictures need: python-docx's next shape id, the relationship ids taken, and the
        # two package parts a picture changes.
        self._shape_id = document.part.next_id
        self._relationship_ids = set(document.part.rels)
        self._rels_member = str(document.part.partname.rels_uri).lstrip("/")
        archive = zipfile.ZipFile(io.BytesIO(data))
        self._rels_xml = archive.read(self._rels_member)
        self._types_xml = archive.read("[Content_Types].xml")
        self._fonts = _font_mapping(self.font_profile)
        # A header or footer without a single brace (a page number) comes out the same for every
        # document: filled and checked once, then stored with the parts that never change.
        fixed = {}
        for member, part, src in self._parts:
            if "{" not in src and "}" not in src:
                data_of_part = self._fill_part(part, src, {})
                if data_of_part is not None:
                    fixed[member] = data_of_part
        self._parts = [entry for entry in self._parts if entry[0] not in fixed]
        dynamic = {self._document_member, *(member for member, _, _ in self._parts)}
        self._package = Package(data, dynamic, self._remap if self._fonts else None, fixed)
        # Compile now: a syntax error is found before the first document, as render_bytes would.
        try:
            template.compile_part(_newlines(self._body_src))
            for _, _, src in self._parts:
                template.compile_part(_newlines(src))
        except Exception as exc:
            raise _Unsupported(f"the template does not compile ({exc})") from None

    def _remap(self, xml: str) -> str:
        if not self._fonts:
            return xml
        return _FONT_ATTRIBUTE.sub(
            lambda m: m.group(1) + self._fonts.get(m.group(2), m.group(2)) + m.group(3), xml
        )

    def render(self, context: Mapping) -> bytes:
        """The filled, checked .docx as bytes; raises RenderError as render_bytes does."""
        if (
            self.unsupported
            or not isinstance(context, Mapping)
            or not self.variables <= context.keys()
        ):
            return self._render_with_docxtpl(context)
        try:
            filled = self._fill(dict(context))
        except _NeedsDocxtpl:
            filled = None
        if filled is None:
            return self._render_with_docxtpl(context)
        return self._package.write(*filled)

    def write(self, context: Mapping, out_path) -> Path:
        """Fill the template and save the result atomically at out_path."""
        return atomic_write_bytes(out_path, self.render(context))

    def _render_with_docxtpl(self, context) -> bytes:
        return remap_fonts(render_bytes(self.path, context), self.font_profile)

    def _fill(self, context: dict) -> tuple[dict[str, bytes], dict[str, bytes]] | None:
        """(members to add, unchanging members to replace), or None for render_bytes to do."""
        template = self._template
        pictures = _Pictures(self._shape_id, self._relationship_ids)
        placing = _PLACING.set(pictures)
        try:
            body = template.render_xml_part(self._body_src, template.docx.part, context)
        finally:
            _PLACING.reset(placing)
        if pictures.images:
            body = pictures.renumber(body)
        document = XML_DECLARATION + self._remap(self._head + body + self._tail).encode("utf-8")
        try:
            tree = etree.fromstring(document)  # bytes: lxml parses them twice as fast as text
        except etree.XMLSyntaxError:
            return None
        if _grid_needs_repair(tree, b"gridSpan" in document):
            return None
        members = {self._document_member: document}
        for member, part, src in self._parts:
            data = self._fill_part(part, src, context)
            if data is None:
                return None
            members[member] = data
        replaced = {}
        if pictures.images:
            replaced = self._with_pictures(pictures)
            members.update({member: png for _, member, png in pictures.images.values()})
        return members, replaced

    def _with_pictures(self, pictures: _Pictures) -> dict[str, bytes]:
        """The document's relationships and the content types, with the pictures added."""
        relationships = etree.fromstring(self._rels_xml)
        namespace = relationships.nsmap[None]
        for relationship, member, _ in pictures.images.values():
            etree.SubElement(
                relationships,
                f"{{{namespace}}}Relationship",
                Id=relationship,
                Type=_IMAGE,
                Target=member.removeprefix("word/"),
            )
        types = etree.fromstring(self._types_xml)
        namespace = types.nsmap[None]
        defaults = types.findall(f"{{{namespace}}}Default")
        if not any(d.get("Extension", "").lower() == "png" for d in defaults):
            # python-docx writes the defaults sorted by extension.
            new = etree.Element(f"{{{namespace}}}Default", Extension="png", ContentType="image/png")
            later = [d for d in defaults if d.get("Extension", "").lower() > "png"]
            if later:
                later[0].addprevious(new)
            elif defaults:
                defaults[-1].addnext(new)
            else:
                types.insert(0, new)
        return {
            self._rels_member: XML_DECLARATION + etree.tostring(relationships),
            "[Content_Types].xml": XML_DECLARATION + etree.tostring(types),
        }

    def _fill_part(self, part, src: str, context: dict) -> bytes | None:
        """A header or footer filled and strict-parsed; None if it is not XML."""
        xml = self._remap(self._template.render_xml_part(src, part, context))
        data = XML_DECLARATION + xml.encode("utf-8")
        try:
            etree.fromstring(data)
        except etree.XMLSyntaxError:
            return None
        return data


def _special_positions(xml: str) -> list[int]:
    """Where the characters docxtpl expands (_LISTING) are, in order (str.find: quicker than a
    regular expression)."""
    found = []
    for character in _LISTING:
        at = xml.find(character)
        while at >= 0:
            found.append(at)
            at = xml.find(character, at + 1)
    return sorted(found)


def _newlines(src_xml: str) -> str:
    # What render_xml_part does before compiling, so that compile_part sees the same text.
    return src_xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def _around_body(root) -> tuple[str, str]:
    """The document part's XML before and after <w:body>, as python-docx serialises it."""
    root = copy.deepcopy(root)
    body = root.find(f"{_W}body")
    marker = etree.Comment("docgen-body")
    body.addprevious(marker)
    root.remove(body)
    head, tail = etree.tostring(root, encoding="unicode").split("<!--docgen-body-->")
    return head, tail


def _font_mapping(profile: str) -> dict[str, str]:
    from docgen.official.geometry import DEFAULT_FONT_PROFILE, FontProfile, font_profile

    target, source = font_profile(profile), font_profile(DEFAULT_FONT_PROFILE)
    if target == source:
        return {}
    roles = [f for f in FontProfile.__dataclass_fields__ if f != "name"]
    return {getattr(source, r): getattr(target, r) for r in roles}


def _grid_needs_repair(tree, spans: bool = True) -> bool:
    """Whether docxtpl's fix_tables would change a table's grid (or fail on it). `spans`: whether
    the document has any gridSpan at all (a text search is quicker than the tree's)."""
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return True
        columns = len(grid.findall(f"{_W}gridCol"))
        widest = 0
        for row in table.iter(f"{_W}tr"):
            cells = row.findall(f"{_W}tc")
            if len(cells) > columns:
                return True
            if not spans:
                widest = max(widest, len(cells))
                continue
            width = 0
            for cell in cells:
                span = cell.find(f"{_W}tcPr/{_W}gridSpan")
                try:
                    width += 1 if span is None else int(span.get(f"{_W}val"))
                except (TypeError, ValueError):
                    return True
            widest = max(widest, width)
        if columns > widest:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# The zip


class Package:
    """A zip whose unchanging members are checked and stored once, compressed, up front.

    `write(members)` appends the changed members and the central directory: a plain zip, as
    zipfile writes it (no data descriptors, UTF-8 names flagged). Every unchanging .xml and .rels
    member must parse; `remap` renames fonts in the unchanging word/*.xml members; `fixed` gives
    members their content instead of the zip's (a footer filled once).
    """

    def __init__(
        self,
        data: bytes,
        dynamic: set[str],
        remap: Callable[[str], str] | None = None,
        fixed: dict[str, bytes] | None = None,
    ) -> None:
        fixed = fixed or {}
        archive = zipfile.ZipFile(io.BytesIO(data))
        missing = (dynamic | set(fixed)) - set(archive.namelist())
        if missing:
            raise _Unsupported(f"{', '.join(sorted(missing))} not in the zip")
        # (name, local header and data, central record without its offset, encoded name)
        self._static: list[tuple[str, bytes, bytes, bytes]] = []
        for info in archive.infolist():
            if info.filename in dynamic:
                continue
            if info.flag_bits & 0x1:
                raise _Unsupported("an encrypted member")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _Unsupported(f"{info.filename} is compressed in an unknown way")
            if info.filename in fixed:
                self._static.append(_entry(info.filename, fixed[info.filename], info.date_time))
                continue
            content = archive.read(info)
            if info.filename.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(content)
                except etree.XMLSyntaxError as exc:
                    raise _Unsupported(f"{info.filename} is not XML ({exc})") from None
            if remap and info.filename.startswith("word/") and info.filename.endswith(".xml"):
                remapped = remap(content.decode("utf-8")).encode("utf-8")
                if remapped != content:
                    self._static.append(_entry(info.filename, remapped, info.date_time))
                    continue
            stored = (info.compress_type, info.CRC, _raw_member(data, info))
            self._static.append(_entry(info.filename, content, info.date_time, stored))
        self._prefix, self._central = self._lay_out(self._static)

    @staticmethod
    def _lay_out(entries) -> tuple[bytes, list[bytes]]:
        local, central, offset = [], [], 0
        for _, data, head, encoded in entries:
            local.append(data)
            central.append(head + struct.pack("<I", offset) + encoded)
            offset += len(data)
        return b"".join(local), central

    def write(self, members: dict[str, bytes], replaced: dict[str, bytes] | None = None) -> bytes:
        """The zip with `members` added and the unchanging members named in `replaced` given
        that content instead (a picture's relationship and content type)."""
        stamp = time.localtime()[:6]
        if replaced:
            entries = [
                _entry(name, replaced[name], stamp) if name in replaced else entry
                for entry in self._static
                for name in (entry[0],)
            ]
            prefix, central = self._lay_out(entries)
        else:
            prefix, central = self._prefix, list(self._central)
        out = [prefix]
        offset = len(prefix)
        for name, content in members.items():
            _, data, head, encoded = _entry(name, content, stamp)
            out.append(data)
            central.append(head + struct.pack("<I", offset) + encoded)
            offset += len(data)
        directory = b"".join(central)
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0
        )
        return b"".join([*out, directory, end])


def _entry(name: str, content: bytes, date_time, stored=None) -> tuple[str, bytes, bytes, bytes]:
    """A member as (name, local header and data, central record up to its offset, encoded name).

    `stored` is (method, crc, raw bytes) of a member copied as it is; else the content is deflated.
    """
    if stored is None:
        compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
        method, crc = zipfile.ZIP_DEFLATED, zlib.crc32(content)
        raw = compressor.compress(content) + compressor.flush()
    else:
        method, crc, raw = stored
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else 0x800
    year, month, day, hour, minute, second = date_time
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    sizes = (crc, len(raw), len(content), len(encoded))
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dos_time, dos_date, *sizes, 0
    )
    head = struct.pack(
        "<IHHHHHHIIIHHHHHI",
        0x02014B50,
        0x0314,  # made by: zipfile's version 2.0 on Unix
        20,
        flags,
        method,
        dos_time,
        dos_date,
        *sizes,
        0,
        0,
        0,
        0,
        0o600 << 16,
    )
    return name, local + encoded + raw, head, encoded


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as stored (still compressed), read from behind its local header."""
    offset = info.header_offset
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    return data[start : start + info.compress_size]


# ---------------------------------------------------------------------------------------------
# Cache and batches


@functools.lru_cache(maxsize=16)
def _prepared(path: str, mtime_ns: int, size: int, font_profile: str) -> PreparedTemplate:
    return PreparedTemplate(path, font_profile)


def prepared_template(template_path, font_profile: str = "gb2312") -> PreparedTemplate:
    """The PreparedTemplate of a file, made once per process and file version."""
    path = Path(template_path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RenderError(f"无法读取模板 {path}：{exc.strerror or exc}") from None
    return _prepared(str(path), stat.st_mtime_ns, stat.st_size, font_profile)


def write_document(template_path, context: Mapping, out_path, font_profile="gb2312") -> Path:
    """render_document through the prepared template, with the fonts of `font_profile`."""
    return prepared_template(template_path, font_profile).write(context, out_path)


# Fewer items than this are done in this process: starting workers costs more than it saves.
PARALLEL_FROM = 24
# Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
CHUNKS_IN_FLIGHT = 3


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_method() -> str:
    """fork where it is safe (Linux, no other thread in this process), else forkserver or spawn.

    A fork copies every lock as it is; with a second thread (the CLI's progress bar) running, a
    lock it held would stay locked in the worker for ever.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _run_chunk(function, items):
    with _writing_behind():
        return [function(item) for item in items]


# Files a batch writes: written by a few threads while the batch goes on filling templates (the
# fsync of each file waits for the disk, and lets go of the interpreter meanwhile).
WRITING_THREADS = 3
_writes: list | None = None
_writer: ThreadPoolExecutor | None = None


def write_soon(path, data: bytes) -> Path:
    """atomic_write_bytes, done by a writing thread when called inside map_in_workers (which
    waits for every such write before it reports the item done); done here and now otherwise."""
    if _writes is None or _writer is None:
        return atomic_write_bytes(path, data)
    _writes.append(_writer.submit(atomic_write_bytes, path, data))
    return Path(path)


@contextlib.contextmanager
def _writing_behind():
    """Let write_soon write in threads while the block runs; at its end every write is done
    (the first failure is raised), and the threads are gone."""
    global _writes, _writer
    _writes, _writer = [], ThreadPoolExecutor(WRITING_THREADS, thread_name_prefix="docgen-write")
    try:
        yield
    finally:
        writes, writer = _writes, _writer
        _writes = _writer = None
        writer.shutdown(wait=True)
        for write in writes:
            write.result()


def _start_worker(initializer, initargs) -> None:
    # A forked worker inherits the parent's heap (the whole campaign); the cycle collector would
    # walk it again and again, copying page after page of memory it never changes.
    gc.freeze()
    if initializer is not None:
        initializer(*initargs)


def map_in_workers(
    function: Callable,
    items: Iterable,
    *,
    count: int | None = None,
    done: Callable[[int], None] | None = None,
    workers: int | None = None,
    initializer: Callable | None = None,
    initargs: Iterable = (),
) -> list:
    """[function(item) for item in items], in worker processes when there are enough items.

    `function` and `initializer` must be module-level functions and the items picklable. Given
    `count`, the items are taken from the iterable only as workers need them, so a generator
    that builds them runs while the workers write. `done(n)` is told, in order, as results
    arrive. The first exception stops the batch and is raised here; documents already written
    stay, as they would in a loop.
    """
    if count is None:
        items = list(items)
        count = len(items)
    items_left = iter(items)
    workers = min(workers or worker_count(), max(count, 1))
    if workers < 2 or count < PARALLEL_FROM:
        if initializer is not None:
            initializer(*initargs)
        results = []
        for item in items_left:
            results.append(function(item))
            if done is not None:
                done(1)
        return results

    size = max(1, min(64, count // (workers * 8)))
    source = items_left
    method = _start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__, function.__module__])
    results = []
    pending = deque()
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(initializer, tuple(initargs)),
    ) as pool:
        try:
            while chunk := list(islice(source, size)):
                pending.append((len(chunk), pool.submit(_run_chunk, function, chunk)))
                while len(pending) >= workers * CHUNKS_IN_FLIGHT:
                    _collect(pending.popleft(), results, done)
            while pending:
                _collect(pending.popleft(), results, done)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _collect(entry, results: list, done) -> None:
    count, future = entry
    results.extend(future.result())
    if done is not None:
        done(count)


def warm_templates(templates: Iterable[tuple[str, str]]) -> None:
    """Prepare (template path, font profile) pairs now: a worker initializer."""
    for path, profile in templates:
        prepared_template(path, profile)
