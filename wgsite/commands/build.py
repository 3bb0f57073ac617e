"""One build, stage by stage: read, check and link, plan routes, render, write.

Each stage reports its problems; the build stops before writing if any is an
error, so the previous output stays as it was.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from wgsite.clock import Clock
from wgsite.folders import SiteFolders
from wgsite.incremental.manifest import Manifest, input_digest, output_state
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed, Problems
from wgsite.timings import Timings
from wgsite.writer import check_output_folder, update_site, write_site

if TYPE_CHECKING:
    from wgsite.markup.assets import Assets
    from wgsite.content.records import Site
    from wgsite.render.routes import Route
    from wgsite.render.templates import Templates


@dataclass
class BuildResult:
    pages: int
    files: int
    problems: Problems = field(default_factory=Problems)
    # output file (e.g. news/x/index.html) -> the source that made it
    sources: dict[str, str] = field(default_factory=dict)
    base_url: str = ""  # the one the build used
    # With build(search_later=True): makes and writes the search index; call it next.
    finish: Callable[[], None] | None = None
    # ... and stops it from another thread (raising SearchCancelled in finish).
    abandon: Callable[[], None] | None = None


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def render_site(folders: SiteFolders, options: BuildOptions, problems: Problems,
                timings: Timings | None = None, search_later: bool = False
                ) -> tuple[dict[str, bytes], Assets, dict[str, str], Site, Any]:
    """Every output file's bytes but the search index's, keyed by their paths in the
    output folder; the assets; each page's source; the site; and the search index
    (its `files()` and `cancel()`), which Pagefind is making meanwhile. With
    `search_later` it is made only when asked for, and the files hold the
    output's previous index until then."""
    # The stages are imported here, not at the top: a build with nothing to do
    # (see build) then never loads Markdown, Jinja, Pillow or Pagefind.
    from wgsite.markup.assets import Assets
    from wgsite.incremental.cache import Store
    from wgsite.outputs.admin import admin_files
    from wgsite.content.graph import build_site
    from wgsite.render.phrases import Phrases
    from wgsite.markup.images import Renditions
    from wgsite.outputs.machine import machine_outputs
    from wgsite.render.routes import plan_routes
    from wgsite.outputs.search import start_search
    from wgsite.content.site_schema import read_site_schema
    from wgsite.content.sources import read_sources
    from wgsite.render.templates import Templates
    from wgsite.urls import Urls

    timings = timings or Timings()
    with timings.phase("read") as phase:
        sources = read_sources(folders, problems)
        types = read_site_schema(folders, problems)
        for source in sources.pages + ([sources.home] if sources.home else []):
            source.type = types[source.type.name]
        assets = Assets(folders, problems)
        phase.count(len(sources.pages) + bool(sources.home), "pages")
        phase.count(len(assets.by_path), "assets")
    if problems.errors:
        raise BuildFailed(problems)
    if options.now is None:
        options = replace(options, now=build_time())
    converted, indexed = Store(folders.cache, "markdown"), Store(folders.cache, "search")
    site = build_site(sources, assets, options, problems,
                      Renditions(assets, folders.cache, problems),
                      converted, timings)
    with timings.phase("routes") as phase:
        if site.colours:
            assets.add_colours(site.colours)
        urls = Urls(site.base_url)
        tz = site.clock.tz
        phrases = Phrases(site.language, sources.i18n, tz)
        templates = Templates(folders, urls, assets, phrases, site)
        try:
            routes = plan_routes(site, urls, phrases, problems)
        except Exception as exc:  # a phrase missing from data/i18n
            problems.error(f"data/i18n/{site.language}.yaml", None, str(exc))
            raise BuildFailed(problems) from exc
        phase.count(len(routes), "pages")
    if problems.errors:
        raise BuildFailed(problems)
    with timings.phase("render") as phase:
        memo = _render_memo(folders, options, templates, phrases, assets, site)
        memo.index([site, [route.page for route in routes]])
        seen: set[tuple] = set()
        files = {}
        for route in routes:
            output = urls.output_file(route.path)
            kept = memo.reuse(output, route.page, route.template, route.breadcrumbs)
            files[output] = kept if kept is not None else memo.render(
                output, route.page, route.template, route.breadcrumbs,
                lambda: _render(route, templates, problems, seen))
        phase.count(len(files), "pages")
        phase.count(len(files) - memo.reused, "rendered")
    with timings.phase("extras") as phase:
        extras = machine_outputs(site, urls, routes, problems)
        files.update(extras)
        phase.count(len(extras), "feeds, calendars and maps")
        if search_later:
            files.update(_previous_index(folders.out))
        outputs = [*files, *(a.output for a in assets.by_path.values()),
                   "pagefind/pagefind-entry.json"]
        made_by = {urls.output_file(route.path): route.source for route in routes}
        admin = admin_files(folders, types, sources.data.get("site"), options.cms_backend,
                            outputs, problems, made_by)
        phase.count(len(admin), "files of /admin/ and _headers")
    if problems.errors:
        raise BuildFailed(problems)
    pages = dict(files)  # what the indexer reads: the pages, before /admin/ joins them
    files.update(admin)
    memo.save()
    converted.prune(spare=len(converted.used))

    if search_later:
        return files, assets, made_by, site, _Deferred(
            lambda: start_search(routes, pages, urls, phrases, indexed))
    with timings.phase("search") as phase:  # Pagefind goes on while the files are written
        started = start_search(routes, pages, urls, phrases, indexed)
    return files, assets, made_by, site, started


class _Deferred:
    """A search index made only when asked for (by the dev server, after reloading),
    which another thread may cancel (a newer edit makes it useless)."""

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


def _render_memo(folders: SiteFolders, options: BuildOptions, templates: Templates,
                 phrases: Any, assets: Assets, site: Site) -> Any:
    """The record of what each page read last time, under what every page depends on."""
    from wgsite.incremental.render_memo import RenderMemo, global_key

    everywhere = global_key(
        options.drafts, options.preview, site.base_url, phrases.language, str(phrases.tz),
        phrases.table, sorted((asset.path, asset.output) for asset in assets.by_path.values()),
        files=[*folders.layered("layouts"), folders.data / "site.yaml"])
    return RenderMemo(folders.kept_for_output("render"), folders.out, global_key=everywhere,
                      env=templates.env)


def _render(route: Route, templates: Templates, problems: Problems, seen: set[tuple]
            ) -> bytes:
    context: dict[str, Any] = {"page": route.page, "breadcrumbs": route.breadcrumbs}
    try:
        return templates.render(route.template, context).encode("utf-8")
    except Exception as exc:  # any template mistake: report it once, with the first page
        where = templates.describe_error(exc)
        if where not in seen:
            seen.add(where)
            path, line, message = where
            problems.error(path, line, f"{message} (while rendering {route.path} from "
                           f"{route.source})")
        return b""


def build(folders: SiteFolders, options: BuildOptions, timings: Timings | None = None,
          search_later: bool = False) -> BuildResult:
    """Build the site into folders.out; raises BuildFailed with every problem.

    With `search_later` (the dev server, once it has built the site), the pages are
    written with the previous search index, and `result.finish()` then makes the
    new index (the slowest step of a rebuild) and writes it: a browser reloads
    with the edit without waiting for it.
    """
    timings = timings or Timings()
    problems = Problems(strict=options.strict)
    check_output_folder(folders.out, folders.root, folders.theme)
    if options.now is None:
        options = replace(options, now=build_time())
    with timings.phase("inputs") as phase:
        inputs, count = input_digest(folders, options)  # before anything else is read
        previous = Manifest.load(folders)
        unchanged = previous is not None and previous.holds(inputs, Clock(options.now),
                                                             folders.out)
        phase.count(count, "files")
        if unchanged:
            phase.note("none changed: the output is up to date")
    if previous is not None and unchanged:
        previous.replay(problems)
        return BuildResult(problems=problems, **previous.result)
    later = search_later and (folders.out / "pagefind").is_dir()
    files, assets, made_by, site, index = render_site(folders, options, problems, timings,
                                                      later)
    searched: dict[str, bytes] = {}

    def search() -> dict[str, bytes]:
        with timings.phase("search") as phase:
            searched.update(index.files())
            phase.count(len(searched), "search files (the wait for the indexer, within write)")
        return searched

    try:
        with timings.phase("write") as phase:
            written = (update_site(folders.out, files, assets) if later else None)
            if written is None:
                written = write_site(folders.out, files, assets, None if later else search)
            phase.count(len(files) + len(searched) + len(assets.by_path), "files")
            phase.count(written, "changed")
    except BaseException:
        index.cancel()  # no indexer left running, no folder left behind
        raise
    files.update(searched)
    result = BuildResult(pages=len(made_by), files=len(files) + len(assets.by_path),
                         problems=problems, sources=made_by, base_url=site.base_url)
    manifest = Manifest(inputs, site.clock.since, site.clock.until, {}, list(problems.items),
                        {"pages": result.pages, "files": result.files, "sources": made_by,
                         "base_url": result.base_url})
    if not later:
        manifest.output = output_state(folders.out)
        manifest.save(folders)
        return result

    def finish() -> None:
        with timings.phase("search") as phase:
            found = index.files()
            phase.count(len(found), "search files")
        for path in [path for path in files if path.startswith("pagefind/")]:
            del files[path]
        files.update(found)
        with timings.phase("write") as phase:
            if update_site(folders.out, files, assets) is None:
                write_site(folders.out, files, assets)
        manifest.output = output_state(folders.out)
        manifest.save(folders)

    result.finish, result.abandon = finish, index.cancel
    return result
