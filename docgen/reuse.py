"""Incremental builds: a document whose inputs have not changed is taken from the previous build
of the same date instead of being rendered again.

Every writer that takes part fingerprints what its file is made of: the template (its bytes),
the font profile, the time the file carries, and the values that reach the template (only those
the template uses). The fingerprint is the SHA-256 of those values pickled, after a salt naming
the versions of docgen and of the libraries that render; equal pickles can only come from equal
values, so a file is never taken for one whose content would differ. Values that are equal but
pickle differently only cost a render.

The previous build's manifest keeps each file's fingerprint and checksum, and its size,
modification time and file number as the build left it. A file is taken when its fingerprint is
the same and the file is still as the build left it: the same size, time and file number, or
else the same checksum (a document opened and saved in Word since is rendered again; a file
whose time alone changed is read to tell). Comparing what the file system keeps of each file
instead of reading the two thousand files of a province's build saves a tenth of a second. A
file taken is hard-linked into the new build's staging folder (a copy keeping the file's time
where the file system has no hard links), so the interruption and recovery of docgen.files hold
as before: the staging folder is swapped in whole or removed, and the previous build is never
touched.

Building the values of every department's documents only to find most of them unchanged costs
more than the few renders a day's returns need. A writer whose values are a function of a few
inputs (the department's progress, the measures it has a part in, the settings and dates) can
fingerprint those instead, before building anything (Reuse.take_unchanged: the manifest keeps
that `source` fingerprint too). A measure enters it as its digest (Reuse.digests), pickled once
per build rather than once for every department it names.
"""

import contextlib
import functools
import hashlib
import json
import os
import pickle
import platform
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from docgen import __version__
from docgen.files import sha256

LIBRARIES = (
    "pandas",
    "openpyxl",
    "python-calamine",
    "python-docx",
    "docxtpl",
    "jinja2",
    "lxml",
    "matplotlib",
)


@dataclass
class Reuse:
    """The fingerprints of one build's files, and which of them it took from the previous
    build of the same date (`previous`, None when there is none or `force` was asked for).

    `root` is the folder the build writes into (its staging folder); paths are kept relative to
    it, as the manifest lists them. `known` holds the previous build's files: relative path ->
    (fingerprint, sha256, source fingerprint or "", file_state as the manifest keeps it or None)."""

    root: Path
    salt: bytes = b""
    previous: Path | None = None
    known: dict[str, tuple[str, str, str, tuple[int, int, int] | None]] = field(
        default_factory=dict
    )
    fingerprints: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # relative path -> source fingerprint
    reused: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    # id(values) -> (values, their digests): Reuse.digests, kept for the build
    _digests: dict[int, tuple[tuple, dict[int, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def after(cls, manifest: Path, root: Path, salt: str, force: bool = False) -> "Reuse":
        """A build into `root` that may take files from the finished build whose manifest is
        `manifest` (in the dated folder the build will replace), unless `force`. A missing or
        unreadable manifest, or one written before fingerprints, lets it take nothing."""
        reuse = cls(Path(root), salt.encode("utf-8"))
        if force:
            return reuse
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            outputs = json.loads(Path(manifest).read_text(encoding="utf-8"))["outputs"]
            reuse.known = {
                entry["file"]: (
                    entry["fingerprint"],
                    entry["sha256"],
                    entry.get("source", ""),
                    _kept_state(entry),
                )
                for entry in outputs
                if entry.get("fingerprint")
            }
            reuse.previous = Path(manifest).parent
        return reuse

    def fingerprint(self, *parts) -> str | None:
        """The fingerprint of a file made of `parts`; None when they cannot be pickled (such a
        file is rendered every time)."""
        digest = hashlib.sha256(self.salt)
        try:
            digest.update(pickle.dumps(parts, protocol=5))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return digest.hexdigest()

    def take(self, out: Path, *parts) -> bool:
        """Record the fingerprint of the file `out` made of `parts`; if the previous build has
        the same file made of the same, put it at `out` and say so (True): the caller renders
        it only when this is False."""
        name = Path(out).relative_to(self.root).as_posix()
        fingerprint = self.fingerprint(*parts)
        if fingerprint is None:
            return False
        self.fingerprints[name] = fingerprint
        known = self.known.get(name)
        if known is None:
            return False
        made_of, checksum, _, state = known
        return made_of == fingerprint and self._taken(name, Path(out), checksum, state)

    def take_unchanged(self, out: Path, *source) -> bool:
        """Record the source fingerprint of the file `out`, whose parts (what take() would
        fingerprint) are a function of `source` and the code alone; if the previous build made
        the same file from the same source, put it at `out` with that build's fingerprint and
        say so (True). When this is False the caller builds the parts and calls take()."""
        name = Path(out).relative_to(self.root).as_posix()
        key = self.fingerprint("source", *source)
        if key is None:
            return False
        self.sources[name] = key
        known = self.known.get(name)
        if known is None:
            return False
        made_of, checksum, source_key, state = known
        if source_key != key or not self._taken(name, Path(out), checksum, state):
            return False
        self.fingerprints[name] = made_of
        return True

    def _taken(self, name: str, out: Path, checksum: str, state: tuple | None) -> bool:
        """Put the previous build's file `name` at `out` if it is still as that build left it:
        in the `state` the manifest keeps (file_state), or else with its `checksum`."""
        if self.previous is None:
            return False
        source = self.previous / name
        try:
            if file_state(source) != state and sha256(source) != checksum:
                return False  # changed since that build (opened and saved, say)
            out.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, out)
        except OSError:
            return False
        self.reused[name] = checksum
        return True

    def digests(self, values: tuple) -> dict[int, str]:
        """id(value) -> the SHA-256 of the value pickled, for each of `values` (a part of many
        sources, pickled once): worked out once per build for the same tuple."""
        kept = self._digests.get(id(values))
        if kept is None or kept[0] is not values:
            found = {id(value): digest(value) for value in values}
            kept = self._digests[id(values)] = (values, found)
        return kept[1]

    def entry(self, name: str) -> dict:
        """What the manifest says of the file `name` beyond its checksum: its fingerprint (and
        its source fingerprint, take_unchanged), and whether it was taken from the previous build."""
        found = {}
        if name in self.fingerprints:
            found["fingerprint"] = self.fingerprints[name]
            if name in self.sources:
                found["source"] = self.sources[name]
            found["reused"] = name in self.reused
        return found


def digest(value) -> str:
    """The SHA-256 of a value pickled: a large part of many sources (the settings, say) as the
    source fingerprint of each file takes it, pickled once."""
    return hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()


def file_state(path: Path) -> tuple[int, int, int]:
    """What the file system keeps of a file that changes when it is written: its size, its
    modification time (ns) and its file number (a file put in its place has another)."""
    stat = Path(path).stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


# The manifest entry's keys for file_state's three values, in its order.
STATE_KEYS = ("bytes", "mtime_ns", "inode")


def state_entry(path: Path) -> dict[str, int]:
    """file_state as a manifest entry keeps it."""
    return dict(zip(STATE_KEYS, file_state(path), strict=True))


def _kept_state(entry: dict) -> tuple[int, int, int] | None:
    state = tuple(entry.get(key) for key in STATE_KEYS)
    return state if all(isinstance(value, int) for value in state) else None


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def fingerprint_file(path: Path) -> str:
    """A file's bytes as a fingerprint part (a template, say), read once per version of it."""
    stat = Path(path).stat()
    return _file_digest(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, modified: int, size: int) -> str:
    return sha256(Path(path))


@functools.cache
def versions() -> dict[str, str]:
    """docgen's, Python's and the libraries' versions, as the manifest lists them and the code
    fingerprint hashes them: looked up once per process (do not change the dict)."""
    found = {"docgen": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


@functools.cache
def code_fingerprint() -> str:
    """What renders the documents: docgen's own code (every module's bytes, so that a change
    between two releases counts too) and the versions of Python and the libraries. A document
    is taken from the previous build only when this is the same (docgen.reuse)."""
    digest = hashlib.sha256(json.dumps(versions(), sort_keys=True).encode("utf-8"))
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()
