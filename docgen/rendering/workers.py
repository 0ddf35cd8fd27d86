"""Many documents at once: a pool of worker processes, and files written behind the rendering.

map_in_workers runs a module-level function over many items, in worker processes when there are
enough of them; write_soon lets a worker hand a finished file to a writing thread and go on to
the next document. write_many fills one template for many contexts this way.
"""

import contextlib
import datetime as dt
import gc
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from docgen.errors import OutputError
from docgen.files import atomic_write_bytes
from docgen.rendering.prepared import prepare
from docgen.rendering.strict import template_variables
from docgen.reuse import Reuse, fingerprint_file

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


def _start_worker(initializer, initargs, collector: tuple[int, ...] = ()) -> None:
    # A forked worker inherits the parent's heap (the whole campaign); the cycle collector would
    # walk it again and again, copying page after page of memory it never changes.
    gc.freeze()
    if collector:  # the parent's thresholds (cli.main), which a spawned worker does not inherit
        gc.set_threshold(*collector)
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
        if initializer is not None and count:  # nothing to do: nothing to prepare for
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
        initargs=(initializer, tuple(initargs), gc.get_threshold()),
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


@contextlib.contextmanager
def in_background(
    function: Callable,
    items: list,
    *,
    initializer: Callable | None = None,
    initargs: Iterable = (),
):
    """[function(item) for item in items] in worker processes that run while the block goes
    on; yields a function that waits for the results and returns them, in order.

    For a few long items (whole documents) beside work the caller does itself: as many workers
    as there are processors each take the next item as they become free, in the order given
    (give the longest first), each worker started as map_in_workers starts one (`function` and
    `initializer` module-level, the arguments picklable). No thread is started here, so that
    the caller's own batches may still fork. The first exception in a worker is raised by the
    results function; leaving the block early stops the workers. With one processor, or fewer
    than two items, the items are done here and now, before the block."""
    workers = min(worker_count(), len(items))
    if workers < 2:
        if initializer is not None:
            initializer(*initargs)
        done = [function(item) for item in items]
        yield lambda: done
        return
    method = _start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__, function.__module__])
    # The items' positions, then one end mark per worker: a few small pickles, written into
    # the queue's pipe before any worker reads (and no thread to feed it, as Queue would start).
    tasks = context.SimpleQueue()
    for position in [*range(len(items)), *[None] * workers]:
        tasks.put(position)
    started = []
    try:
        for _ in range(workers):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_work_in_background,
                args=(
                    function,
                    items,
                    tasks,
                    initializer,
                    tuple(initargs),
                    sending,
                    gc.get_threshold(),
                ),
                daemon=True,
            )
            process.start()
            sending.close()
            started.append((process, receiving))
        yield lambda: _background_results(started, len(items))
    finally:
        for process, receiving in started:
            if process.is_alive():
                process.terminate()
            process.join()
            receiving.close()
        tasks.close()


def _work_in_background(
    function, items, tasks, initializer, initargs, sending, collector=()
) -> None:
    try:
        _start_worker(initializer, initargs, collector)
        done = []
        while (position := tasks.get()) is not None:
            done.append((position, function(items[position])))
        answer = ("done", done)
    except BaseException as exc:  # every failure goes to the parent, which raises it
        answer = ("failed", exc)
    try:
        sending.send(answer)
    except Exception as exc:  # what cannot be pickled is named in words
        sending.send(("failed", RuntimeError(f"{answer[0]}: {str(answer[1])[:500]} ({exc})")))
    finally:
        sending.close()


def _background_results(started, count: int) -> list:
    """Each worker's results put in the items' order, taken as the workers finish: the first
    failure, or a worker that died, is raised as soon as it is known."""
    results = [None] * count
    waiting = {receiving: process for process, receiving in started}
    while waiting:
        for receiving in multiprocessing.connection.wait(list(waiting)):
            process = waiting.pop(receiving)
            try:
                state, value = receiving.recv()
            except EOFError:
                process.join()
                raise OutputError(
                    f"写文件的工作进程意外退出（退出码 {process.exitcode}），没有写完。请重新运行。"
                ) from None
            if state == "failed":
                raise value
            for position, result in value:
                results[position] = result
    return results


def _collect(entry, results: list, done) -> None:
    count, future = entry
    results.extend(future.result())
    if done is not None:
        done(count)


def warm_templates(templates: Iterable[tuple[str, str]]) -> None:
    """Prepare (template path, font profile) pairs now: a worker initializer."""
    for path, profile in templates:
        prepare(path, profile)


def made_of(template_path, font_profile: str) -> Callable[[Mapping], tuple]:
    """What each document filled from the template is made of, for Reuse.take: the template's
    bytes, the font profile, and the values of its context the template uses
    (template_variables), in the order of their names. Read the template once, call per
    document."""
    used = sorted(template_variables(template_path))
    digest = fingerprint_file(template_path)

    def parts(context: Mapping) -> tuple:
        return digest, font_profile, {name: context[name] for name in used if name in context}

    return parts


@dataclass(frozen=True)
class Deferred:
    """A document's context, built (`build()`) only when the file cannot be taken from the
    previous build unchanged: `source` is all it is built from besides the code, the template
    and the font profile (Reuse.take_unchanged); write_many takes both."""

    build: Callable[[], Mapping]
    source: tuple


def left_to_do(items: Iterable, count: int, reuse: Reuse | None) -> tuple[Iterable, int]:
    """`items` (a generator that leaves out what `reuse` takes) and how many there are. With a
    previous build to take from they are all made first, to know how many are left to render;
    otherwise they stay a generator that runs while the workers write, and `count` holds."""
    if reuse is None or reuse.previous is None:
        return items, count
    items = list(items)
    return items, len(items)


def write_many(
    template_path,
    font_profile: str,
    documents: Iterable[tuple[Mapping | Deferred, Path]],
    count: int,
    done: Callable[[int], None] | None = None,
    when: dt.datetime | None = None,
    reuse: Reuse | None = None,
) -> list[Path]:
    """Fill one template for each of `count` (context, output path) pairs and write the files,
    in worker processes when there are enough of them; `done(n)` as they are written; `when`
    the time every file carries (PreparedTemplate.render). A document `reuse` takes from the
    previous build (Reuse.take) is not rendered, nor is the context of a Deferred one taken
    by its source built (Reuse.take_unchanged). Returns every output path, in order.

    `documents` may be a generator: its contexts are built here while the workers write the
    documents before them. Each context travels to a worker with only the variables the
    template uses, so those must be plain values.
    """
    path = str(template_path)
    outputs = []
    parts_of = made_of(path, font_profile)
    template = fingerprint_file(path)

    def tasks():
        for context, out in documents:
            outputs.append(out)
            if isinstance(context, Deferred):
                source = (when, template, font_profile, *context.source)
                if reuse is not None and reuse.take_unchanged(out, *source):
                    if done is not None:
                        done(1)
                    continue
                context = context.build()
            parts = parts_of(context)
            if reuse is not None and reuse.take(out, when, *parts):
                if done is not None:
                    done(1)
                continue
            yield path, font_profile, parts[2], out, when

    pending, count = left_to_do(tasks(), count, reuse)
    map_in_workers(
        _write_one,
        pending,
        count=count,
        done=done,
        initializer=warm_templates,
        initargs=([(path, font_profile)],),
    )
    return outputs


def _write_one(task: tuple[str, str, dict, Path, dt.datetime | None]) -> Path:
    path, profile, context, out, when = task
    return write_soon(out, prepare(path, profile).render(context, when))
