"""What a template compiles to, kept between runs in the user's cache folder.

Every process that fills a template parses and compiles its parts with Jinja, and parses them
once more to know which variables the template uses (strict.template_variables): about half a
second for the self-check report, in every worker of every build. A daily rebuild that renders a
handful of documents spent more on that than on the documents.

The compiled code is kept with Jinja's own FileSystemBytecodeCache, and the variables as JSON,
both under a key naming the part's text (or the template's bytes), the environment that
compiles it and docgen's code fingerprint (reuse.code_fingerprint, which names the versions of
Jinja and docxtpl too): a changed template, environment or release compiles afresh. The charts'
PNGs are kept the same way (kept_value), under what they are drawn from. The folder
is the user's own, never the workspace (which may be a shared folder): compiled code runs as
the user. It is DOCGEN_CACHE_DIR when set (empty: keep nothing), else the system's cache folder
for the user. Nothing here is needed: a folder that cannot be made, read or written only costs
the compilation, and the oldest entries go once there are more than MAX_ENTRIES of a kind.
"""

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment, Template
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from docgen.errors import DocgenError
from docgen.files import atomic_write_bytes
from docgen.reuse import code_fingerprint

T = TypeVar("T")

# Entries kept of each kind (compiled parts, variable sets): a few builds' worth of templates.
MAX_ENTRIES = 256


def cache_folder() -> Path | None:
    """docgen's folder in the user's cache (DOCGEN_CACHE_DIR when set; None when it is empty
    or there is no home folder)."""
    configured = os.environ.get("DOCGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            return (
                (Path(local) if local else Path.home() / "AppData" / "Local") / "docgen" / "Cache"
            )
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "docgen"
        base = os.environ.get("XDG_CACHE_HOME")
        return (Path(base) if base else Path.home() / ".cache") / "docgen"
    except RuntimeError:  # no home folder
        return None


@functools.cache
def _folder(kind: str) -> Path | None:
    """The subfolder for one kind of entry, made when missing; None when it cannot be."""
    root = cache_folder()
    if root is None:
        return None
    folder = root / kind
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _key(*parts: str) -> str:
    digest = hashlib.sha256(code_fingerprint().encode("ascii"))
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def compiled(environment: Environment, source: str, kind: str) -> Template:
    """environment.from_string(source), with the compiled code taken from the cache when it
    holds it. `kind` names the environment (its settings change the code it compiles)."""
    folder = _folder("templates")
    if folder is None:
        return environment.from_string(source)
    cache = FileSystemBytecodeCache(str(folder))
    key = _key(kind, source)
    try:
        bucket = cache.get_bucket(environment, key, None, source)
    except Exception:  # an entry cut short: Jinja checks its header, not the pickle after it
        bucket = Bucket(environment, cache.get_cache_key(key), cache.get_source_checksum(source))
    if bucket.code is None:
        bucket.code = environment.compile(source)  # a syntax error is raised here, as before
        with contextlib.suppress(OSError):
            cache.set_bucket(bucket)
            _prune(folder)
    return environment.template_class.from_code(
        environment, bucket.code, environment.make_globals(None)
    )


def variables(data: bytes, find: Callable[[], frozenset[str]]) -> frozenset[str]:
    """The variables of the template whose bytes are `data`: kept, or found with `find()`."""

    def found() -> bytes:
        return json.dumps(sorted(find()), ensure_ascii=False).encode("utf-8")

    def read(kept: bytes) -> frozenset[str]:
        names = json.loads(kept)
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValueError("not a list of names")
        return frozenset(names)

    return kept_value("variables", data, found, read)


def kept_value(
    kind: str, source: bytes, make: Callable[[], bytes], read: Callable[[bytes], T]
) -> T:
    """read(make()), the bytes made from `source` (a template's bytes, a chart's data pickled)
    kept in the `kind` folder; kept bytes that read() refuses (ValueError: cut short, say) are
    made again."""
    folder = _folder(kind)
    if folder is None:
        return read(make())
    path = folder / _key(hashlib.sha256(source).hexdigest())
    with contextlib.suppress(OSError, ValueError):
        return read(path.read_bytes())
    made = make()
    with contextlib.suppress(OSError, DocgenError):
        atomic_write_bytes(path, made, sync=False)
        _prune(folder)
    return read(made)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond MAX_ENTRIES."""
    entries = [path for path in folder.iterdir() if path.is_file()]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda path: path.stat().st_mtime_ns)
    for path in entries[: len(entries) - MAX_ENTRIES]:
        path.unlink(missing_ok=True)
