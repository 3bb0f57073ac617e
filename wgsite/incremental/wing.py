"""The incremental wing as the build plugs it in: caches, the render memo, the manifest.

`Incremental` is the `Reuse` (see wgsite.reuse) that `build` and `serve`
pass to the build: converted Markdown and the search index come from the
cache, unchanged pages from the previous output, and a build whose inputs
and clock span are those of the last one is not made at all (the manifest).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from wgsite.clock import Clock
from wgsite.folders import SiteFolders
from wgsite.incremental.cache import Store
from wgsite.incremental.manifest import Manifest, input_digest, output_state
from wgsite.incremental.render_memo import RenderMemo, TrackingEnvironment, global_key
from wgsite.content.sources import Parses
from wgsite.incremental.session import Session
from wgsite.options import BuildOptions
from wgsite.problems import Problems
from wgsite.reuse import PageMemo, Reuse


class Incremental(Reuse):
    """Reuse of everything an earlier build of the same site made that still holds."""

    def __init__(self, folders: SiteFolders, options: BuildOptions,
                 session: Session | None = None):
        """`session`: what a long-lived process (serve) keeps in memory between builds."""
        self.folders, self.options, self.session = folders, options, session
        self._stores: dict[str, Any] = {}
        self._inputs = ""
        self._previous: Manifest | None = None
        self._layout: Any = None  # the search indexer's folder of pages, this build's

    def cache(self, step: str) -> Any:
        if step not in self._stores:
            # a build writes its entries once Pagefind is at work (write_cache, called
            # again by release for a build that stops); serve's session keeps them in
            # memory and writes them through
            store = Store(self.folders.cache, step, deferred=self.session is None)
            self._stores[step] = store if self.session is None else \
                self.session.store(step, store)
        return self._stores[step]

    def parses(self) -> Parses | None:
        return None if self.session is None else self.session.parsed

    def search_layout(self) -> Any:
        """The folder of pages kept for this output folder in the cache (serve keeps it,
        and its turn, for its life), or a temporary one while another build holds it."""
        from wgsite.outputs.search_layout import SearchLayout

        def kept() -> SearchLayout:
            folder = self.folders.kept_for_output("search-pages").with_suffix("")
            return SearchLayout.kept(folder) or SearchLayout()

        if self.session is not None:
            return self.session.search_layout(kept)
        if self._layout is None:
            self._layout = kept()
        return self._layout

    def search_service(self) -> Any:
        """serve's Pagefind service, kept for the session's life; None for a build."""
        if self.session is None:
            return None
        from wgsite.outputs.search import new_service

        return self.session.search_service(new_service)

    def write_cache(self) -> None:
        """Write the cache entries put off so far (see Store's `deferred`)."""
        for store in self._stores.values():
            store.write()

    def release(self) -> None:
        """This build is done with the folder of pages: the next build's turn. The cache
        entries still put off are written, a failed build's too: the Markdown it
        converted holds for the next one."""
        self.write_cache()
        if self._layout is not None:
            self._layout.cleanup()
            self._layout = None

    def environment(self) -> type:
        return TrackingEnvironment

    def memo(self, everywhere: Callable[[], list[Any]], env: Any, part: str = "") -> PageMemo:
        key = global_key(*everywhere(), files=[*self.folders.layered("layouts"),
                                                self.folders.data / "site.yaml"])
        name = f"render-{part}" if part else "render"
        return _Memo(RenderMemo(self.folders.kept_for_output(name), self.folders.out,
                                global_key=key, env=env, kept=self.session))

    def prune(self) -> None:
        """Drop cached Markdown this build did not use (a spare variant stays for serve),
        and the parses of texts no file holds any more."""
        if "markdown" in self._stores:
            converted = self._stores["markdown"]
            converted.prune(spare=len(converted.used))
        if self.session is not None:
            self.session.parsed.forget_unused()

    # -- the manifest: a build with nothing to do -------------------------------------

    def unchanged(self, now: Any) -> tuple[bool, int]:
        """Whether the last build's output still holds; and how many inputs were hashed.
        Hashes the inputs first, so an edit made while the build runs is never missed."""
        self._inputs, count = input_digest(
            self.folders, self.options, self.session.digests if self.session else None)
        self._previous = Manifest.load(self.folders)
        held = self._previous is not None and self._previous.holds(
            self._inputs, Clock(now), self.folders.out)
        return held, count

    def replay(self, problems: Problems) -> dict[str, Any]:
        """The last build's warnings, and its result."""
        assert self._previous is not None
        self._previous.replay(problems)
        return self._previous.result

    def record(self, clock: Clock, problems: Problems, result: dict[str, Any]) -> None:
        """Keep what the next build compares with: inputs, clock span, output, result."""
        manifest = Manifest(self._inputs, clock.since, clock.until, {}, list(problems.items),
                            result)
        manifest.output = output_state(self.folders.out)
        manifest.save(self.folders)
        if self.session is not None:
            self.session.catch_up()  # what serve put off until the browsers had reloaded


class _Memo(PageMemo):
    def __init__(self, memo: RenderMemo):
        self._memo = memo

    @property
    def reused(self) -> int:  # type: ignore[override]
        return self._memo.reused

    def index(self, roots: Iterable[Any]) -> None:
        self._memo.index(roots)

    def page(self, output: str, page: Any, template: str, breadcrumbs: Any,
             render: Callable[[], bytes]) -> bytes:
        kept = self._memo.reuse(output, page, template, breadcrumbs)
        if kept is not None:
            return kept
        return self._memo.render(output, page, template, breadcrumbs, render)

    def fresh(self, output: str, page: Any, template: str, breadcrumbs: Any) -> bool:
        return self._memo.fresh(output, page, template, breadcrumbs)

    def only_changed(self, records: Iterable[Any]) -> None:
        self._memo.only_changed(records)

    def note(self, output: str) -> Any:
        return self._memo.note(output)

    def adopt(self, output: str, note: Any, data: bytes) -> None:
        self._memo.adopt(output, note, data)

    def save(self) -> None:
        self._memo.save()

