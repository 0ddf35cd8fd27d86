"""Office files (.docx, .xlsx) written from a prototype: the members that never change are read,
checked and compressed once; each file adds only the members that change. And the time an
office file carries: every zip member's and the created and modified document properties, set
from the as-of date (document_time) so that the same inputs give the same bytes.
"""

import datetime as dt
import io
import os
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable

from lxml import etree

from docgen.errors import ConfigError

# What python-docx writes before every part it saves, so that both paths start parts alike.
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# Level 6 is zlib's (and python-docx's) default. On a 25-row form's body level 1 takes a third of
# the time (0.15 ms against 0.44) for a part about a quarter larger (3.9 kB against 3.1).
COMPRESSION_LEVEL = 1


# The document properties that hold a time (ECMA-376 part 2, core properties).
CORE_MEMBER = "docProps/core.xml"
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
# The earliest time a zip member can carry (MS-DOS dates start in 1980).
_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def document_time(as_of: dt.date) -> dt.datetime:
    """The time written into every office file of a build: the as-of date at 00:00:00 UTC, or
    SOURCE_DATE_EPOCH when that is set (the reproducible-builds convention), never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise ConfigError(
                f"环境变量 SOURCE_DATE_EPOCH 应为整数秒数（如 1795651200），现为“{epoch}”。"
            ) from None
    return dt.datetime.combine(as_of, dt.time(), dt.UTC)


def _utc(when: dt.datetime) -> dt.datetime:
    """`when` in UTC; a naive time is taken to be UTC already."""
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _dos_time(when: dt.datetime | None) -> bytes:
    """A zip member's time and date fields: `when` in UTC (zip times have no zone; 1980 at the
    earliest, to the even second below), the local time now for None."""
    if when is None:
        return _dos_fields(time.localtime()[:6])
    moment = max(_utc(when), _EARLIEST)
    return _dos_fields(moment.timetuple()[:6])


def _dos_fields(date_time) -> bytes:
    year, month, day, hour, minute, second = date_time
    return struct.pack(
        "<HH",
        (hour << 11) | (minute << 5) | (second // 2),
        ((year - 1980) << 9) | (month << 5) | day,
    )


def _stamped_core(xml: bytes, when: dt.datetime) -> bytes:
    """docProps/core.xml with its created and modified times set to `when`."""
    text = _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    return _CORE_TIMES.sub(lambda m: m.group(1) + text + m.group(3), xml)


def stamp_office_file(data: bytes, when: dt.datetime) -> bytes:
    """An office file (any zip) with every member's time, and the created and modified times
    of its document properties, set to `when`; member order, compression and contents
    otherwise as they were (the members are copied still compressed). Written as zipfile
    writes a zip, without extra fields (which may hold times of their own)."""
    dos = _dos_time(when)
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = []
    for info in archive.infolist():
        if info.filename == CORE_MEMBER:
            core = archive.read(info)
            stamped = _stamped_core(core, when)
            if stamped != core:
                stored = None  # deflated, unless it was stored as it is
                if info.compress_type == zipfile.ZIP_STORED:
                    stored = (zipfile.ZIP_STORED, zlib.crc32(stamped), stamped, len(stamped))
                entries.append(_entry(info.filename, stamped, dos, stored))
                continue
        stored = (info.compress_type, info.CRC, _raw_member(data, info), info.file_size)
        entries.append(_entry(info.filename, b"", dos, stored))
    prefix, central = Package._lay_out(entries)
    return _zip(prefix, central)


class UnsupportedTemplate(Exception):  # noqa: N818 - a verdict on a template, caught by its callers
    """The file uses something only the reference path handles; the message says what."""


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
            raise UnsupportedTemplate(f"{', '.join(sorted(missing))} not in the zip")
        # (name, local header and data, central record without its offset, encoded name)
        self._core: bytes | None = None
        self._static: list[tuple[str, bytes, bytes, bytes]] = []
        for info in archive.infolist():
            if info.filename in dynamic:
                continue
            if info.flag_bits & 0x1:
                raise UnsupportedTemplate("an encrypted member")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsupportedTemplate(f"{info.filename} is compressed in an unknown way")
            own_time = _dos_fields(info.date_time)
            if info.filename in fixed:
                self._static.append(_entry(info.filename, fixed[info.filename], own_time))
                continue
            content = archive.read(info)
            if info.filename.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(content)
                except etree.XMLSyntaxError as exc:
                    raise UnsupportedTemplate(f"{info.filename} is not XML ({exc})") from None
            if info.filename == CORE_MEMBER:
                self._core = content
            if remap and info.filename.startswith("word/") and info.filename.endswith(".xml"):
                remapped = remap(content.decode("utf-8")).encode("utf-8")
                if remapped != content:
                    self._static.append(_entry(info.filename, remapped, own_time))
                    continue
            stored = (info.compress_type, info.CRC, _raw_member(data, info), len(content))
            self._static.append(_entry(info.filename, content, own_time, stored))
        self._prefix, self._central = self._lay_out(self._static)
        # The unchanging members as stamped for the last time asked for (one per build), and
        # their layout: (when, entries, local headers and data, central records).
        self._stamped: tuple[dt.datetime, list, bytes, list[bytes]] | None = None

    def _static_at(self, when: dt.datetime | None) -> tuple[list, bytes, list[bytes]]:
        """The unchanging members carrying `when` (and the document properties its time), laid
        out; as in the prototype for None."""
        if when is None:
            return self._static, self._prefix, self._central
        if self._stamped is None or self._stamped[0] != when:
            dos = _dos_time(when)
            entries = []
            for entry in self._static:
                name, data, head, encoded = entry
                if name == CORE_MEMBER and self._core is not None:
                    entries.append(_entry(name, _stamped_core(self._core, when), dos))
                else:  # the time fields of the local header and the central record
                    entries.append(
                        (name, data[:10] + dos + data[14:], head[:12] + dos + head[16:], encoded)
                    )
            self._stamped = (when, entries, *self._lay_out(entries))
        return self._stamped[1:]

    @staticmethod
    def _lay_out(entries) -> tuple[bytes, list[bytes]]:
        local, central, offset = [], [], 0
        for _, data, head, encoded in entries:
            local.append(data)
            central.append(head + struct.pack("<I", offset) + encoded)
            offset += len(data)
        return b"".join(local), central

    def write(
        self,
        members: dict[str, bytes],
        replaced: dict[str, bytes] | None = None,
        when: dt.datetime | None = None,
    ) -> bytes:
        """The zip with `members` added and the unchanging members named in `replaced` given
        that content instead (a picture's relationship and content type). Given `when`, every
        member carries that time and so do the document properties (stamp_office_file);
        else the added members carry the time now, the others the prototype's."""
        dos = _dos_time(when)
        static, prefix, central = self._static_at(when)
        if replaced:
            entries = [
                _entry(name, replaced[name], dos) if name in replaced else entry
                for entry in static
                for name in (entry[0],)
            ]
            prefix, central = self._lay_out(entries)
        else:
            central = list(central)
        out = [prefix]
        offset = len(prefix)
        for name, content in members.items():
            _, data, head, encoded = _entry(name, content, dos)
            out.append(data)
            central.append(head + struct.pack("<I", offset) + encoded)
            offset += len(data)
        return _zip(b"".join(out), central)


def _zip(members: bytes, central: list[bytes]) -> bytes:
    """The whole zip: its members (local headers and data), then the central directory."""
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), len(members), 0
    )
    return b"".join([members, directory, end])


def _entry(name: str, content: bytes, dos: bytes, stored=None) -> tuple[str, bytes, bytes, bytes]:
    """A member as (name, local header and data, central record up to its offset, encoded name).

    `dos` is its time and date fields (_dos_time). `stored` is (method, crc, raw bytes, size)
    of a member copied as it is; else the content is deflated.
    """
    if stored is None:
        compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
        method, crc, size = zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content)
        raw = compressor.compress(content) + compressor.flush()
    else:
        method, crc, raw, size = stored
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else 0x800
    sizes = (crc, len(raw), size, len(encoded))
    local = struct.pack("<IHHH", 0x04034B50, 20, flags, method) + dos
    local += struct.pack("<IIIHH", *sizes, 0)
    # made by 0x0314: zipfile's version 2.0 on Unix
    head = struct.pack("<IHHHH", 0x02014B50, 0x0314, 20, flags, method) + dos
    head += struct.pack("<IIIHHHHHI", *sizes, 0, 0, 0, 0, 0o600 << 16)
    return name, local + encoded + raw, head, encoded


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as stored (still compressed), read from behind its local header."""
    offset = info.header_offset
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    return data[start : start + info.compress_size]
