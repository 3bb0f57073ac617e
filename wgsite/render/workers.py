"""Rendering on more than one core: forked helpers render a share of the pages.

Jinja renders in Python, one core at a time, and most of a cold build's
rendering is that. A page is a pure function of (page, site, templates), so
a build with many pages to render forks helper processes that inherit the
linked site, the templates and the page memo as they stand (nothing is
pickled on the way in). The pages to render are cut into chunks, handed to
the helpers in route order, a few ahead of what the build has taken; the
helpers send back each page's bytes, what the memo learnt of it and the
template mistakes it met. The build's own process takes the pages in route
order, hands each on to the search indexer and the writer, and whenever the
chunk it needs next is still being rendered, renders the first chunk nobody
has taken instead of waiting. So the share each process renders follows
how busy each is (the build's process has the indexer and the writer to
feed besides), on any machine and site: with a fixed third of the chunks,
the build's process waited 0.8 to 2 s of a 4.3 s phase at 1,000 posts. The
pages, what the memo knows of them and the reported problems are the ones a
single process makes.

Forking is safe only in a process with one thread, on Linux (see
wgsite.forking): elsewhere, in the dev server's worker threads, and for a
handful of pages (a fork of a big process costs more than it saves), one
process renders them all.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable

from wgsite.forking import can_fork, helper_starts

# Pages per chunk: small enough that both processes stay busy to the end (the last
# pages, lists, are the slowest), big enough that sending a chunk back costs little next
# to rendering it.
CHUNK = 8
# Fewer pages to render than this are rendered in one process.
THRESHOLD = 128
# Chunks queued for each helper beyond the one it renders, so it never waits for the next.
QUEUED = 3
# The most chunks rendered (here or there) ahead of the one the build takes: what the
# build holds in memory at most, besides the helpers' queues.
AHEAD = 24

# How often, in seconds, the build's rendering thread offers the GIL to the pool's own
# threads while helpers work. The executor hands chunks to the helpers, and takes their
# pages back, in threads of this process, which wait for the GIL at each step; with
# Python's default (5 ms) they lagged so far behind the rendering that the helper sat
# idle for 1.0 to 1.3 s of a 3 s render phase at 1,000 posts (gaps up to 0.66 s), and
# for 0.2 to 0.3 s at 0.5 ms.
SWITCH_INTERVAL = 0.0005

# The helpers' work, set while they are forked so that they inherit it; see `Helpers`.
_WORK: Callable[[int], Any] | None = None


def _do(chunk: list[int]) -> list[Any]:
    """In a helper: the work of every page of one chunk."""
    assert _WORK is not None, "a helper forked without its work"
    return [_WORK(index) for index in chunk]


class Helpers:
    """Forked processes doing `work(index)` for a share of `indices`, the rest done here.

    `result(index)`, asked for each of `indices` in their order, gives the work for
    that index and whether a helper did it: `work` as it was at the fork, or
    `here(index)` in this process. The helpers are forked in the constructor, so
    `work` sees everything as it is at that moment.
    """

    def __init__(self, indices: list[int], work: Callable[[int], Any],
                 here: Callable[[int], Any], jobs: int):
        self._chunks = [indices[start:start + CHUNK] for start in range(0, len(indices), CHUNK)]
        self._chunk_of = {index: number for number, chunk in enumerate(self._chunks)
                          for index in chunk}
        self._here = here
        self._queued = (jobs - 1) * (1 + QUEUED)
        self._given: dict[int, Future] = {}  # chunk -> the helpers' result, not yet taken
        self._ready: dict[int, tuple[Any, bool]] = {}  # index -> (work, by a helper)
        self._next = 0  # the first chunk nobody has taken
        self._taking = 0  # the chunk the build takes pages of now
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        global _WORK
        _WORK = work
        try:
            self._pool = ProcessPoolExecutor(max_workers=jobs - 1,
                                             mp_context=multiprocessing.get_context("fork"),
                                             initializer=helper_starts)
            # The first submit forks every helper at once (with fork, ProcessPoolExecutor
            # starts them all before its own thread), while _WORK is set.
            self._give()
        except BaseException:
            sys.setswitchinterval(self._interval)
            raise
        finally:
            _WORK = None

    def __contains__(self, index: int) -> bool:
        return index in self._chunk_of

    def result(self, index: int) -> tuple[Any, bool]:
        """The work for `index` (one of `indices`, asked in order) and whether a helper
        did it; waits for the helpers only when this process has nothing else to do."""
        self._taking = self._chunk_of[index]
        self._give()  # the helpers are fed while this process hands pages on, too
        while index not in self._ready:
            future = self._given.pop(self._taking, None)
            if future is None:  # nobody has taken it: it is the next, and ours
                self._do_here()
            else:
                while not future.done() and self._do_here():
                    self._give()  # and one ahead of its turn here, rather than waiting
                self._ready.update((number, (done, True)) for number, done
                                   in zip(self._chunks[self._taking], future.result()))
            self._give()
        return self._ready.pop(index)

    def _give(self) -> None:
        """Queue chunks for the helpers until each has a few ahead of the one it is on."""
        busy = sum(not future.done() for future in self._given.values())
        while busy < self._queued and self._next < len(self._chunks) \
                and self._next - self._taking < AHEAD:
            self._given[self._next] = self._pool.submit(_do, self._chunks[self._next])
            self._next += 1
            busy += 1

    def _do_here(self) -> bool:
        """Do the first chunk nobody has taken, here; False when there is none to do."""
        if self._next >= len(self._chunks) or self._next - self._taking >= AHEAD:
            return False
        chunk, self._next = self._chunks[self._next], self._next + 1
        self._ready.update((index, (self._here(index), False)) for index in chunk)
        return True

    def close(self) -> None:
        """Stop the helpers (at once when the build stopped early) and reap them."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            sys.setswitchinterval(self._interval)


def share(indices: list[int], work: Callable[[int], Any], here: Callable[[int], Any],
          jobs: int) -> Helpers | None:
    """Helpers for a share of `indices`, or None when one process is the better way."""
    if jobs < 2 or len(indices) < THRESHOLD or not can_fork():
        return None
    return Helpers(indices, work, here, jobs)
