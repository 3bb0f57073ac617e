"""`serve`'s rebuild: the pages first, the search index after browsers have reloaded.

An edit of page bodies alone is rebuilt from the last good site, kept in memory
(see body_edit); any other edit makes the site in full.

Indexing every page is the slowest step of a rebuild, and the reader waits
for a page, not for search: a rebuild writes the pages with the previous
search index, and `finish` then makes the new index and writes it. A newer
edit may `abandon` an index still being made. The first write trusts the
output to be as the session left it and writes only the pages whose bytes
changed; the second also looks at every file on disk, mending one changed by
hand (see writer.write_changed).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from wgsite.commands.body_edit import quick
from wgsite.commands.build import BuildResult, build, make_site, start
from wgsite.commands.kept_site import keep, keeper
from wgsite.folders import SiteFolders
from wgsite.incremental.session import Session
from wgsite.options import BuildOptions
from wgsite.timings import Timings
from wgsite.writer import update_site, write_changed, write_site


@dataclass
class Rebuilt:
    result: BuildResult
    finish: Callable[[], None] | None = None  # makes and writes the search index
    abandon: Callable[[], None] | None = None  # stops that from another thread


def rebuild(folders: SiteFolders, options: BuildOptions, timings: Timings | None = None,
            session: Session | None = None) -> Rebuilt:
    """Rebuild after an edit, with what `session` remembers of the builds before;
    raises BuildFailed with every problem."""
    if not (folders.out / "pagefind").is_dir():  # no index to show meanwhile
        gc.unfreeze()  # a new site is made: let the kept one be collected
        return Rebuilt(build(folders, options, timings, session,
                             keeper(session, options, folders) if session else None))
    from wgsite.outputs.search import start_search

    timings = timings or Timings()
    options, problems, wing, replayed = start(folders, options, timings, session)
    if replayed is not None:
        return Rebuilt(replayed)
    made = quick(folders, options, problems, timings, wing, session) \
        if session is not None else None
    if made is None:
        gc.unfreeze()  # the kept site is about to be replaced: let it be collected
        made = make_site(folders, options, problems, timings, wing)
        wing.prune()
    if session is not None:
        keep(session, made, problems, options, folders)
    kept = session.search_files if session is not None else None
    files = {**made.files, **(kept if kept is not None else _previous_index(folders.out))}
    with timings.phase("write") as phase:
        phase.wrote(_write(folders.out, files, made.assets.by_path.values(), session,
                           confirm=False))
    result = made.result(problems, len(files))
    layout = wing.search_layout()
    index = _Deferred(lambda: start_search(made.routes, made.pages, made.urls, made.phrases_of,
                                           made.site.kinds, wing.cache("search"), layout,
                                           wing.search_service()))

    def finish() -> None:
        try:
            with timings.phase("search") as phase:
                found = index.files()
                phase.count(len(found), "search files")
        finally:
            wing.release()  # the indexer's folder of pages (serve's session keeps its own)
        for path in [path for path in files if path.startswith("pagefind/")]:
            del files[path]
        files.update(found)
        if session is not None:
            session.search_files = found
        with timings.phase("write") as phase:
            phase.wrote(_write(folders.out, files, made.assets.by_path.values(), session))
        wing.record(made.site.clock, problems, result.kept())
        if session is not None:
            # The kept site is many long-lived objects: once frozen, the collections that
            # come due during the next rebuild, while a browser waits, skip them.
            gc.collect()
            gc.freeze()

    return Rebuilt(result, finish, index.cancel)


def _write(out: Path, files: dict[str, bytes], assets: Any, session: Session | None,
           confirm: bool = True) -> int:
    """Only what changed, in place; the bytes written. Unless `confirm`, the files the
    session wrote are taken to be as it left them, and are not looked at on disk until
    the write after the search index (see writer.write_changed)."""
    written = None
    if session is not None and not confirm:
        written = write_changed(out, files, assets, session)
    if written is None:
        written = update_site(out, files, assets, session)
    if written is None:
        written = write_site(out, files, assets)
    return written.bytes


class _Deferred:
    """A search index made only when asked for, which another thread may cancel."""

    def __init__(self, start: Callable[[], Any]):
        self._start, self._started, self._cancelled = start, None, False
        self._lock = threading.Lock()

    def files(self) -> dict[str, bytes]:
        from wgsite.outputs.search import SearchCancelled

        with self._lock:
            if self._cancelled:
                raise SearchCancelled("the index was no longer wanted")
            self._started = self._start()
        return self._started.files()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled, started = True, self._started
        if started is not None:
            started.cancel()


def _previous_index(out: Path) -> dict[str, bytes]:
    """The search index of the output as it stands, to publish again until a new one is made."""
    folder = out / "pagefind"
    return {f"pagefind/{path.relative_to(folder).as_posix()}": path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}
