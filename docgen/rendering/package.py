"""Office files (.docx, .xlsx) written from a prototype: the members that never change are read,
checked and compressed once; each file adds only the members that change.
"""

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable

from lxml import etree

# What python-docx writes before every part it saves, so that both paths start parts alike.
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# Level 6 is zlib's (and python-docx's) default. On a 25-row form's body level 1 takes a third of
# the time (0.15 ms against 0.44) for a part about a quarter larger (3.9 kB against 3.1).
COMPRESSION_LEVEL = 1


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
        self._static: list[tuple[str, bytes, bytes, bytes]] = []
        for info in archive.infolist():
            if info.filename in dynamic:
                continue
            if info.flag_bits & 0x1:
                raise UnsupportedTemplate("an encrypted member")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsupportedTemplate(f"{info.filename} is compressed in an unknown way")
            if info.filename in fixed:
                self._static.append(_entry(info.filename, fixed[info.filename], info.date_time))
                continue
            content = archive.read(info)
            if info.filename.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(content)
                except etree.XMLSyntaxError as exc:
                    raise UnsupportedTemplate(f"{info.filename} is not XML ({exc})") from None
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
