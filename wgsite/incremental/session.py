"""What a long-lived process (`serve`) keeps in memory from one build to the next.

A build in a fresh process finds earlier work on disk: the cache's entries,
the render memo, the previous output and its search index. Reading those
back costs a file per page. The dev server builds again and again in one
process, so a `Session` keeps the same things in memory as well, each under
the same key as on disk: the cached results (converted Markdown, the search
index), every YAML text's parse (by its file and the text itself), the render
memo and each page's bytes, the digest of every file it wrote (by path, size
and modification time, so a file changed behind its back is read again), and
the search index last written. Nothing here is trusted beyond what its key
proves: each value is what the disk would have given.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from wgsite.content.sources import Parses
from wgsite.incremental.cache import Store

if TYPE_CHECKING:
    from wgsite.outputs.search_layout import SearchLayout


class Session:
    """The memory of one `serve`: results, parses and written files, across builds."""

    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}  # step -> content key -> value
        self.parsed = Parses()  # see content.sources.parse
        self.written: dict[str, tuple[int, int, str]] = {}  # output file -> size, mtime, sha
        # the search index last written: published again by the next rebuild until its own
        # index is made (see commands.rebuild), instead of read back from the output
        self.search_files: dict[str, bytes] | None = None
        # the render memo as the last build left it (by its file), and each page's bytes
        # with their SHA-256, so that a page kept from before is not read back
        self.memos: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, tuple[str, bytes]] = {}
        self._search_layout: SearchLayout | None = None

    def search_layout(self, make: "Callable[[], SearchLayout]") -> "SearchLayout":
        """The pages as the search indexer last read them, laid out in a folder that each
        build brings up to date (see outputs.search.SearchLayout): the one `make` gave the
        first build, kept (and a kept folder's turn held) for this process's life."""
        if self._search_layout is None:
            self._search_layout = make()
        return self._search_layout

    def store(self, step: str, disk: Store) -> "RememberedStore":
        return RememberedStore(self.results.setdefault(step, {}), disk)

    def unchanged(self, out: Path, relative: str, data: bytes) -> bool:
        """Whether out/relative holds `data`, by what this session wrote there (no read)."""
        known = self.written.get(relative)
        if known is None or known[0] != len(data):
            return False
        try:
            stat = os.lstat(out / relative)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == known[:2] \
            and hashlib.sha256(data).hexdigest() == known[2]

    def wrote(self, out: Path, relative: str, data: bytes) -> None:
        """Note what out/relative now holds (after writing it, or finding it so)."""
        try:
            stat = os.lstat(out / relative)
        except OSError:
            self.written.pop(relative, None)
            return
        self.written[relative] = (stat.st_size, stat.st_mtime_ns,
                                  hashlib.sha256(data).hexdigest())


class RememberedStore:
    """A cache store with the session's memory in front: what the disk holds, read once."""

    def __init__(self, memory: dict[str, Any], disk: Store):
        self._memory, self._disk = memory, disk
        self.used: set[str] = set()

    def get(self, key: str) -> Any:
        if key in self._memory:
            self.used.add(key)
            self._disk.keep(key)
            return self._memory[key]
        value = self._disk.get(key)
        if value is not None:
            self._memory[key] = value
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._memory[key] = value
        self.used.add(key)
        self._disk.put(key, value)

    def prune(self, spare: int) -> None:
        """Prune the disk as it would be; forget what this build did not use."""
        self._disk.prune(spare)
        for key in [key for key in self._memory if key not in self.used]:
            del self._memory[key]
