"""What a long-lived process (`serve`) keeps in memory from one build to the next.

A build in a fresh process finds earlier work on disk: the cache's entries,
the render memo, the previous output and its search index. Reading those
back costs a file per page. The dev server builds again and again in one
process, so a `Session` keeps the same things in memory as well, each under
the same key as on disk: the cached results (converted Markdown, the search
index), every YAML text's parse (by its file and the text itself), the render
memo and each page's bytes, the digest of every file it wrote (by path, size
and modification time, so a file changed behind its back is read again), and
the search index last written. It also spares work a fresh process must do:
each input file's digest by its stat (modification and change time, size,
inode), each Markdown body's content key by the exact parts it hashes, and
the pages as the search indexer reads them, laid out in a folder that each
build only brings up to date. Nothing here is trusted beyond what its key
proves: each value is what the disk would have given. The one thing with no
copy on disk, the last good build's linked site (`kept_site`), is taken
again only while every input file's digest, the options and the clock are
those it was built with (see commands.body_edit).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from wgsite.content.sources import Parses
from wgsite.incremental.cache import Store
from wgsite.incremental.manifest import Digests

if TYPE_CHECKING:
    from wgsite.outputs.search_layout import SearchLayout
    from wgsite.outputs.search_service import SearchService


class Session:
    """The memory of one `serve`: results, parses and written files, across builds."""

    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}  # step -> content key -> value
        self.keys: dict[str, Keys] = {}  # step -> the content keys of its inputs
        self.parsed = Parses()  # see content.sources.parse
        self.digests: Digests = {}  # every input file's SHA-256 by its stat (see manifest)
        # output file -> size, mtime, SHA-256 (None until asked for) and the bytes object
        # itself: a page kept from the last build is that very object, and needs no hashing
        # to be known the same
        self.written: dict[str, tuple[int, int, str | None, bytes]] = {}
        # the output folder and every path it held after the last write that confirmed
        # each file on disk (see writer.write_changed); None while not known
        self.output: tuple[str, frozenset[str]] | None = None
        # the search index last written: published again by the next rebuild until its own
        # index is made (see commands.rebuild), instead of read back from the output
        self.search_files: dict[str, bytes] | None = None
        # the render memo as the last build left it (by its file), and each page's bytes
        # with their SHA-256, so that a page kept from before is not read back
        self.memos: dict[str, dict[str, Any]] = {}
        # each render memo's last index of records by key, with the first of its roots (the
        # site): a rebuild of page bodies alone renders the same site again (see
        # render_memo.RenderMemo.index)
        self.indexes: dict[str, tuple[Any, dict[str, Any]]] = {}
        self.pages: dict[str, tuple[str, bytes]] = {}
        self._search_layout: SearchLayout | None = None
        self._search_service: SearchService | None = None
        # files to write once the browsers have reloaded (the render memo's copy on disk,
        # which only a later process reads), by their path: the newest write of each
        self._later: dict[str, Callable[[], None]] = {}
        # the last good build's linked site, for an edit of page bodies alone to start
        # from (commands.kept_site.KeptSite): the one thing here a fresh process never has,
        # trusted while every input file's digest is the one it was built from
        self.kept_site: Any = None

    def search_layout(self, make: "Callable[[], SearchLayout]") -> "SearchLayout":
        """The pages as the search indexer last read them, laid out in a folder that each
        build brings up to date (see outputs.search_layout.SearchLayout): the one `make` gave the
        first build, kept (and a kept folder's turn held) for this process's life."""
        if self._search_layout is None:
            self._search_layout = make()
        return self._search_layout

    def search_service(self, make: "Callable[[], SearchService]") -> "SearchService":
        """The search index kept in a running Pagefind between rebuilds (see
        outputs.search_service): the one `make` gave first, until `close`."""
        if self._search_service is None:
            self._search_service = make()
        return self._search_service

    def later(self, path: str, write: "Callable[[], None]") -> None:
        """Write `path` with `write` at the next `catch_up`, not while a browser waits: what
        this process needs of it, it keeps in memory."""
        self._later[path] = write

    def catch_up(self) -> None:
        """Do the writes put off by `later`."""
        while self._later:
            self._later.pop(next(iter(self._later)))()

    def close(self) -> None:
        """Do the writes put off, and stop what runs for the session (its Pagefind service)."""
        self.catch_up()
        service, self._search_service = self._search_service, None
        if service is not None:
            service.close()

    def store(self, step: str, disk: Store) -> "RememberedStore":
        """One step's cache for the build starting now."""
        keys = self.keys.setdefault(step, Keys())
        keys.turn()
        return RememberedStore(self.results.setdefault(step, {}), disk, keys)

    def unchanged(self, out: Path | str, relative: str, data: bytes) -> bool:
        """Whether out/relative holds `data`, by what this session wrote there (no read)."""
        known = self.written.get(relative)
        if known is None or known[0] != len(data):
            return False
        try:
            stat = os.lstat(os.path.join(out, relative))
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != known[:2]:
            return False
        if data is known[3]:  # bytes are immutable: the very bytes written
            return True
        digest = known[2] or hashlib.sha256(known[3]).hexdigest()  # see `remember`
        if hashlib.sha256(data).hexdigest() != digest:
            return False
        self.written[relative] = (*known[:2], digest, data)  # next time, without hashing
        return True

    def remember(self, out: Path, files: dict[str, bytes]) -> None:
        """Note what out/ now holds: a whole build's files (serve's first) or those a
        rebuild wrote or found so, so that the next rebuild does not read them back to
        compare. A file's hash is made only if a rebuild brings other bytes for it."""
        where = os.path.join(out, "")
        for relative, data in files.items():
            try:
                stat = os.lstat(where + relative)
            except OSError:
                stat = None
            if stat is None or stat.st_size != len(data):
                self.written.pop(relative, None)  # not what we think: read it next time
                continue
            self.written[relative] = (stat.st_size, stat.st_mtime_ns, None, data)

    def wrote(self, out: Path, relative: str, data: bytes) -> None:
        """Note what out/relative now holds (after writing it, or finding it so)."""
        self.remember(out, {relative: data})

    def holds(self, relative: str, data: bytes) -> bool:
        """Whether the bytes this session last wrote to `relative` are `data`, by memory
        alone: the disk is not looked at (see writer.write_changed)."""
        known = self.written.get(relative)
        return known is not None and (data is known[3] or data == known[3])

    def paths(self, out: Path) -> frozenset[str] | None:
        """Every path `out` held after the last write that confirmed them (see `left`)."""
        if self.output is not None and self.output[0] == os.fspath(out):
            return self.output[1]
        return None

    def left(self, out: Path, paths: Iterable[str] | None) -> None:
        """Note the paths a write left in `out`, each file confirmed on disk; None: a write
        that has not, or not yet."""
        self.output = None if paths is None else (os.fspath(out), frozenset(paths))


class Keys:
    """Content keys by the very parts they are the hash of, from one build to the next.

    A step's key hashes its inputs as JSON (wgsite.reuse.content_key), which for
    a thousand Markdown bodies costs more than looking the bodies up: the key of
    parts equal to those of the last build is the one computed then. Kept are
    the keys the last build asked for, so the memo never outgrows the site.
    """

    def __init__(self) -> None:
        self._last: dict[tuple, str] = {}
        self._now: dict[tuple, str] = {}

    def turn(self) -> None:
        """A new build: keep what the last one used."""
        self._last, self._now = self._now, {}

    def of(self, parts: tuple, make: Callable[[], str]) -> str:
        """The key of `parts` (hashable, compared by value and type), made when new."""
        found = self._now.get(parts)
        if found is None:
            found = self._last.get(parts)
            if found is None:
                found = make()
            self._now[parts] = found
        return found


class RememberedStore:
    """A cache store with the session's memory in front: what the disk holds, read once.
    `keys` remembers the content keys of the step's inputs (see Keys)."""

    def __init__(self, memory: dict[str, Any], disk: Store, keys: Keys | None = None):
        self._memory, self._disk = memory, disk
        self.used: set[str] = set()
        self.keys = keys

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

    def write(self) -> None:
        """What the disk store put off (serve's is written through: nothing)."""
        self._disk.write()

    def prune(self, spare: int) -> None:
        """Prune the disk as it would be; forget what this build did not use."""
        self._disk.prune(spare)
        for key in [key for key in self._memory if key not in self.used]:
            del self._memory[key]
