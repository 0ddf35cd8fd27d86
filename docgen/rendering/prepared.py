"""Filling one template many times: a template read, checked and compiled once.

rendering.strict.render_bytes is the reference path. For every document docxtpl reopens the .docx
with python-docx, patches and compiles its XML again and re-zips every part (templating.md §3):
about 40 ms for a one-page form. A PreparedTemplate does that work once per template and process:
the python-docx load, the patching, the compilation, the checks of every part that never changes,
and the compressed bytes of those parts. Per document it renders only the body and the headers
and footers as strings, strict-parses each, and writes the zip by copying everything else.

The strictness is the same because the same code does it: every part is filled by
StrictTemplate.render_xml_part (located errors, leftover tags refused, line breaks resolved), and
every part is strict-parsed, the unchanging ones once. Where the fast path cannot promise the
document render_bytes would make, it hands the document to render_bytes:

- templates with pictures, embedded objects, footnotes, templated document properties, parts it
  does not know, or a part that does not parse (render_bytes then names the error);
- values that are not plain text, numbers, dates or a Picture in the body (RichText,
  InlineImage, a subdocument, a Picture in a header): they need docxtpl's own handling. A
  Picture in the body is placed as render_bytes places it (python-docx's picture XML, the image
  part, its relationship and content type);
- tables whose grid docxtpl would repair (column loops, colspan), and output that does not parse.
"""

import contextvars
import copy
import datetime as dt
import functools
import io
import itertools
import numbers
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from docx.image.image import Image
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from lxml import etree
from markupsafe import Markup

from docgen.files import atomic_write_bytes
from docgen.fonts import DEFAULT_FONT_PROFILE, font_mapping
from docgen.rendering.environment import ENVIRONMENT, Picture, RenderError, finalize
from docgen.rendering.kept import compiled
from docgen.rendering.package import (
    XML_DECLARATION,
    Package,
    UnsupportedTemplate,
    stamp_office_file,
)
from docgen.rendering.strict import (
    StrictTemplate,
    newlines,
    remap_fonts,
    rename_fonts,
    render_bytes,
    template_variables,
)
from docgen.rendering.templates import template_bytes

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
_W_NAMESPACE = _W[1:-1]
# From this size a filled part is checked without a tree of the whole of it (_fit_as_filled):
# a 14 MB report in 0.18 s against 0.28, while a 200 kB form is a millisecond slower that way.
TREE_BELOW = 1 << 20
# A paragraph, from an open start tag to the first </w:p> after it, with no paragraph, table or
# row starting inside: all the grid check (_grid_needs_repair) reads is left when such
# paragraphs are removed (a cell, its span or a grid column counts only inside a row or a table),
# a fifth of a report's bytes. The removal is exact where every "<" opens a tag (no comment,
# CDATA section or processing instruction) and only the prefix w names WordprocessingML's
# namespace: that first end tag is then the paragraph's own, and nothing in it is read.
_PLAIN_PARAGRAPH = re.compile(
    rb"<w:p(?:>|\s[^>]*(?<!/)>)[^<]*(?:<(?!/w:p[\s>]|w:(?:p[\s>/]|tbl|tr))[^<]*)*"
    rb"</w:p>"
)


class _NeedsDocxtpl(BaseException):  # noqa: N818 - a signal, not an error
    """A value to print needs docxtpl's own handling; raised through Jinja, caught in this module.

    A BaseException so that neither Jinja nor render_xml_part's error reporting turns it into a
    RenderError."""


def _finalize_plain(value):
    kind = type(value)
    if kind is str or kind is int or value is None:
        return finalize(value)
    if isinstance(value, str | numbers.Number | dt.date):
        return finalize(value)
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


# The one environment, printing through finalize as it does; only values it does not know
# (RichText, InlineImage, Picture, ...) stop the fast path instead of being printed.
_PLAIN_ENVIRONMENT = ENVIRONMENT.overlay(finalize=_finalize_plain)


class _PreparingTemplate(StrictTemplate):
    """StrictTemplate whose parts compile in the plain environment, once per part."""

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
        #
        # A match of the paragraph pattern ends at the first </w:p> after its start, so no match
        # runs across a </w:p>: the matches after any </w:p> are those a search from there finds.
        # The paragraph holding a character is therefore found by searching from the last </w:p>
        # before it, not by matching every paragraph of the document.
        specials = _special_positions(xml)
        if not specials:
            return xml
        pieces, done = [], 0
        for special in specials:
            if special < done:
                continue  # in the paragraph just resolved
            closing = xml.rfind("</w:p>", 0, special)
            paragraph = _PARAGRAPH.search(xml, closing + len("</w:p>") if closing >= 0 else 0)
            if paragraph is None or paragraph.start() > special:
                continue  # in no paragraph
            start, end = paragraph.span()
            pieces.append(xml[done:start])
            pieces.append(self._resolve_paragraph(xml[start:end]))
            done = end
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
            template = self._compiled[src_xml] = compiled(_PLAIN_ENVIRONMENT, src_xml, "plain")
        return template


class PreparedTemplate:
    """A .docx template read, checked and compiled once, then filled for many contexts.

    `render(context)` returns the same document render_bytes would (same text, tables, formatting
    and errors), with the fonts renamed for `font_profile` as remap_fonts does.
    """

    def __init__(self, template_path, font_profile: str = DEFAULT_FONT_PROFILE) -> None:
        self.path = Path(template_path)
        self.font_profile = font_profile
        self.variables = template_variables(self.path)
        self.unsupported = ""
        try:
            self._prepare(template_bytes(self.path))
        except UnsupportedTemplate as exc:
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
            raise UnsupportedTemplate(f"python-docx cannot open it ({exc})") from None
        document = template.docx
        package = document.part.package
        properties = document.core_properties
        for name in _PROPERTIES:
            if "{" in (getattr(properties, name) or ""):
                raise UnsupportedTemplate(f"document property {name} is a template")
        if any(part.content_type == _FOOTNOTES for part in package.iter_parts()):
            raise UnsupportedTemplate("footnotes")

        parts = [(document.part, template.get_xml())]
        seen = set()
        for uri in (_HEADER, _FOOTER):
            for _, part in template.get_headers_footers(uri):
                if part.partname in seen:
                    raise UnsupportedTemplate(f"{part.partname} is used twice")
                seen.add(part.partname)
                parts.append((part, template.get_part_xml(part)))
        for part, xml in parts:
            for relationship in part.rels.values():
                kind = relationship.reltype.rsplit("/", 1)[-1]
                if kind not in INERT_RELATIONSHIPS:
                    raise UnsupportedTemplate(f"{part.partname} has a {kind} relationship")
            if _DRAWINGS.search(xml):
                raise UnsupportedTemplate(f"{part.partname} holds pictures or objects")

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
        self._fonts = font_mapping(self.font_profile)
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
            template.compile_part(newlines(self._body_src))
            for _, _, src in self._parts:
                template.compile_part(newlines(src))
        except Exception as exc:
            raise UnsupportedTemplate(f"the template does not compile ({exc})") from None

    def _remap(self, xml: str) -> str:
        return rename_fonts(xml, self._fonts)

    def render(self, context: Mapping, when: dt.datetime | None = None) -> bytes:
        """The filled, checked .docx as bytes; raises RenderError as render_bytes does.

        Given `when` (package.document_time), every zip member and the created and modified
        document properties carry that time, so that the same context gives the same bytes."""
        if (
            self.unsupported
            or not isinstance(context, Mapping)
            or not self.variables <= context.keys()
        ):
            return self._render_with_docxtpl(context, when)
        try:
            filled = self._fill(dict(context))
        except _NeedsDocxtpl:
            filled = None
        if filled is None:
            return self._render_with_docxtpl(context, when)
        return self._package.write(*filled, when=when)

    def write(self, context: Mapping, out_path, when: dt.datetime | None = None) -> Path:
        """Fill the template and save the result atomically at out_path."""
        return atomic_write_bytes(out_path, self.render(context, when))

    def _render_with_docxtpl(self, context, when: dt.datetime | None) -> bytes:
        data = remap_fonts(render_bytes(self.path, context), self.font_profile)
        return data if when is None else stamp_office_file(data, when)

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
        if not _fit_as_filled(document):
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


def _around_body(root) -> tuple[str, str]:
    """The document part's XML before and after <w:body>, as python-docx serialises it."""
    root = copy.deepcopy(root)
    body = root.find(f"{_W}body")
    marker = etree.Comment("docgen-body")
    body.addprevious(marker)
    root.remove(body)
    head, tail = etree.tostring(root, encoding="unicode").split("<!--docgen-body-->")
    return head, tail


class _Reading:
    """A parser target that builds nothing: libxml2 reads and checks every byte (a third of the
    time a tree takes, and no tree to free). It notes what _without_plain_paragraphs must know:
    whether a prefix other than w, or the default namespace, is bound to WordprocessingML's
    namespace anywhere, and whether the part holds a processing instruction."""

    def __init__(self) -> None:
        self.plain = True

    def start_ns(self, prefix: str | None, uri: str) -> None:
        if uri == _W_NAMESPACE and prefix != "w":
            self.plain = False

    def pi(self, target: str, data: str) -> None:
        self.plain = False

    def close(self) -> None:
        return None


def _fit_as_filled(document: bytes) -> bool:
    """Whether a filled document part can be written as it is: it parses as strictly as lxml's
    tree parser parses a part (well-formed, every prefix bound), and no table's grid needs
    docxtpl's repair.

    A part under TREE_BELOW bytes is read into a tree and checked (quicker for a form). A
    larger one is checked by a target parser (namespace errors, which a tree parser raises,
    it only logs), then read into a tree without its plain paragraphs for the grid check."""
    tables = document
    if len(document) >= TREE_BELOW:
        reading = _Reading()
        parser = etree.XMLParser(target=reading)  # one per call: a parser is not shared
        try:
            etree.fromstring(document, parser)
        except etree.XMLSyntaxError:
            return False
        if parser.error_log.filter_from_errors():
            return False
        # "<!" opens a comment, a CDATA section or a DOCTYPE; "!" alone is a quicker search.
        if reading.plain and not (b"!" in document and b"<!" in document):
            tables = _PLAIN_PARAGRAPH.sub(b"", document)
    try:
        tree = etree.fromstring(tables)  # bytes: lxml parses them twice as fast as text
    except etree.XMLSyntaxError:
        if tables is document:
            return False
        tree = etree.fromstring(document)  # not expected (the removal is exact): the whole part
    return not _grid_needs_repair(tree, b"gridSpan" in tables)


def _grid_needs_repair(tree, spans: bool = True) -> bool:
    """Whether docxtpl's fix_tables would change a table's grid (or fail on it): a table without
    a grid, a row (of it or of a table inside it) with more cells than the grid has columns, or
    no row as wide as the grid, a cell's gridSpan counting for its columns. `spans`: whether the
    document has any gridSpan at all (a text search is quicker than the tree's).

    Only the rows that hold a spanning cell are read cell by cell (found from the table's
    gridSpan elements): looking for one in every cell of a 3,000-row annex took a tenth of a
    second."""
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return True
        columns = len(grid.findall(f"{_W}gridCol"))
        spanned = _rows_with_spans(table) if spans else set()
        widest = 0
        for row in table.iter(f"{_W}tr"):
            cells = row.findall(f"{_W}tc")
            if len(cells) > columns:
                return True
            width = len(cells)
            if row in spanned:
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


def _rows_with_spans(table) -> set:
    """The rows (w:tr) in `table` with a cell whose own properties hold a gridSpan: the
    w:tr > w:tc > w:tcPr > w:gridSpan chains."""
    rows = set()
    for span in table.iter(f"{_W}gridSpan"):
        chain = [span.getparent()]
        chain.append(chain[-1].getparent() if chain[-1] is not None else None)
        chain.append(chain[-1].getparent() if chain[-1] is not None else None)
        properties, cell, row = chain
        if (
            row is not None
            and properties.tag == f"{_W}tcPr"
            and cell.tag == f"{_W}tc"
            and row.tag == f"{_W}tr"
        ):
            rows.add(row)
    return rows


@functools.lru_cache(maxsize=16)
def _prepared(path: str, mtime_ns: int, size: int, font_profile: str) -> PreparedTemplate:
    return PreparedTemplate(path, font_profile)


def prepare(template_path, font_profile: str = DEFAULT_FONT_PROFILE) -> PreparedTemplate:
    """The PreparedTemplate of a file, made once per process, file version and font profile."""
    path = Path(template_path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RenderError(f"无法读取模板 {path}：{exc.strerror or exc}") from None
    return _prepared(str(path), stat.st_mtime_ns, stat.st_size, font_profile)
