"""Incremental builds: a document whose inputs have not changed is taken from the previous build
of the same date instead of being rendered again.

Every writer that takes part fingerprints what its file is made of: the template (its bytes),
the font profile, the time the file carries, and the values that reach the template (only those
the template uses). The fingerprint is the SHA-256 of those values pickled, after a salt naming
the versions of docgen and of the libraries that render; equal pickles can only come from equal
values, so a file is never taken for one whose content would differ. Values that are equal but
pickle differently only cost a render.

The previous build's manifest keeps each file's fingerprint and checksum. A file is taken when
its fingerprint is the same and the file is still as the build left it (its checksum matches:
a document opened and saved in Word since is rendered again). It is hard-linked into the new
build's staging folder (a copy keeping the file's time where the file system has no hard
links), so the interruption and recovery of docgen.files hold as before: the staging folder is
swapped in whole or removed, and the previous build is never touched.
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
    (fingerprint, sha256)."""

    root: Path
    salt: bytes = b""
    previous: Path | None = None
    known: dict[str, tuple[str, str]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    reused: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

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
                entry["file"]: (entry["fingerprint"], entry["sha256"])
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
        if known is None or known[0] != fingerprint or self.previous is None:
            return False
        source = self.previous / name
        try:
            if sha256(source) != known[1]:
                return False  # changed since that build (opened and saved, say)
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, Path(out))
        except OSError:
            return False
        self.reused[name] = known[1]
        return True

    def entry(self, name: str) -> dict:
        """What the manifest says of the file `name` beyond its checksum: its fingerprint, and
        whether it was taken from the previous build."""
        found = {}
        if name in self.fingerprints:
            found["fingerprint"] = self.fingerprints[name]
            found["reused"] = name in self.reused
        return found


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
