"""Rendering on more than one core: forked helpers render a share of the pages.

Jinja renders in Python, one core at a time, and most of a cold build's
rendering is that. A page is a pure function of (page, site, templates), so
a build with many pages to render forks helper processes that inherit the
linked site, the templates and the page memo as they stand (nothing is
pickled on the way in). The pages to render are cut into chunks; every
`jobs + 1`-th chunk stays with the build's own process (which also hands
every page on to the search indexer and the writer, about half as long again
as rendering it), the others go to the helpers, which send back each page's
bytes, what the memo learnt of it and the template mistakes it met. The build takes the pages in route order
whoever rendered them, so the output, the memo and the reported problems
are the ones a single process makes.

Forking is safe only in a process with one thread, on Linux (see
wgsite.forking): elsewhere, in the dev server's worker threads, and for a
handful of pages (a fork of a big process costs more than it saves), one
process renders them all.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator

from wgsite.forking import can_fork, helper_starts

# Pages per chunk: small enough that both processes stay busy to the end, big enough
# that sending a chunk back costs little next to rendering it.
CHUNK = 16
# Fewer pages to render than this are rendered in one process.
THRESHOLD = 128

# The helpers' work, set while they are forked so that they inherit it; see `Helpers`.
_WORK: Callable[[int], Any] | None = None


def _do(chunk: list[int]) -> list[Any]:
    """In a helper: the work of every page of one chunk."""
    assert _WORK is not None, "a helper forked without its work"
    return [_WORK(index) for index in chunk]


class Helpers:
    """Forked processes doing `work(index)` for a share of `indices`; the rest is ours.

    `theirs` holds the indices they do; `result(index)` waits for one of them.
    The helpers are forked in the constructor, so `work` sees everything as it
    is at that moment.
    """

    def __init__(self, indices: list[int], work: Callable[[int], Any], jobs: int):
        chunks = [indices[start:start + CHUNK] for start in range(0, len(indices), CHUNK)]
        given = [chunk for number, chunk in enumerate(chunks) if number % (jobs + 1)]
        self.theirs = {index for chunk in given for index in chunk}
        global _WORK
        _WORK = work
        try:
            self._pool = ProcessPoolExecutor(max_workers=jobs - 1,
                                             mp_context=multiprocessing.get_context("fork"),
                                             initializer=helper_starts)
            # Submitting forks every helper at once (with fork, ProcessPoolExecutor starts
            # them all before its own thread), while _WORK is set.
            self._results: Iterator[list[Any]] = self._pool.map(_do, given)
        finally:
            _WORK = None
        self._order = iter(given)
        self._ready: dict[int, Any] = {}

    def result(self, index: int) -> Any:
        """The helpers' work for `index` (one of `theirs`), waiting for it if need be."""
        while index not in self._ready:
            chunk, done = next(self._order), next(self._results)
            self._ready.update(zip(chunk, done))
        return self._ready.pop(index)

    def close(self) -> None:
        """Stop the helpers (at once when the build stopped early) and reap them."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def share(indices: list[int], work: Callable[[int], Any], jobs: int) -> Helpers | None:
    """Helpers for a share of `indices`, or None when one process is the better way."""
    if jobs < 2 or len(indices) < THRESHOLD or not can_fork():
        return None
    return Helpers(indices, work, jobs)
