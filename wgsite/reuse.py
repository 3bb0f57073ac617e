"""The seam between the build and the incremental wing: what a build may take from earlier builds.

A build asks its `Reuse` for four things: a cache per pure step (converted
Markdown, the search index), the parses of source files, the Jinja
environment class, and a page memo that says which pages can be taken as
they are. `Reuse` itself takes
nothing: every text is converted and every page rendered, which is what the
simple path reads like. wgsite.incremental.wing.Incremental is the one the
commands pass in; the stages never import it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Iterable, Protocol


def content_key(*parts: Any) -> str:
    """A key for a result: the hash of everything that decides it (JSON-serialisable)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultCache(Protocol):
    """Results of one pure step, by the `content_key` of everything that decides them.
    The cache itself adds wgsite's own version to the key. A cache may also have `keys`,
    an object whose `of(parts, make)` gives the key of `parts` remembered from before, or
    made by `make()` (serve's memory: wgsite.incremental.session.Keys)."""

    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...

    def prune(self, spare: int) -> None: ...


class PageMemo:
    """Renders every page; the incremental wing's memo takes unchanged ones from before."""

    reused = 0

    def index(self, roots: Iterable[Any]) -> None:
        """Told every record the pages may read, before any page is rendered."""

    def page(self, output: str, page: Any, template: str, breadcrumbs: Any,
             render: Callable[[], bytes]) -> bytes:
        """The bytes of one page: rendered now, or kept from the previous build."""
        return render()

    def fresh(self, output: str, page: Any, template: str, breadcrumbs: Any) -> bool:
        """Whether `page` will probably keep the page from before, without rendering (the
        pages that will not are the ones worth sharing among processes)."""
        return False

    def only_changed(self, records: Iterable[Any]) -> None:
        """Told that nothing the pages read has changed since the last build but values on
        `records`, the routes being the last build's own (a rebuild of page bodies alone)."""

    def note(self, output: str) -> Any:
        """What the memo learnt of a page this process just made (picklable), for `adopt`
        in the process that asked for it."""
        return None

    def adopt(self, output: str, note: Any, data: bytes) -> None:
        """Take a page another process made, with its `note`, as if `page` had made it."""

    def save(self) -> None:
        """Keeps what the next build needs to know."""


class Reuse:
    """A build that reuses nothing."""

    def cache(self, step: str) -> ResultCache | None:
        """The cache of the pure step `step` ("markdown", "search"), or None."""
        return None

    def parses(self) -> Any:
        """Where source files' parses are kept between builds (see content.sources.parse),
        or None: every file is parsed."""
        return None

    def write_cache(self) -> None:
        """Write the cache entries put off so far: the build calls it once Pagefind
        is at work."""

    def search_layout(self) -> Any:
        """Where the pages laid out for the search indexer are kept between builds (an
        outputs.search_layout.SearchLayout), or None: a folder of the build's own."""
        return None

    def search_service(self) -> Any:
        """A search indexer kept running between builds (an
        outputs.search_service.SearchService), or None: Pagefind's command line."""
        return None

    def environment(self) -> type | None:
        """The Jinja environment class for templates (None: Jinja's own)."""
        return None

    def memo(self, everywhere: Callable[[], list[Any]], env: Any, part: str = "") -> PageMemo:
        """The page memo, given what every page depends on (called only if needed);
        `part` names one of several (a language's pages)."""
        return PageMemo()
