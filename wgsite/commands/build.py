"""`build`: load, validate, link, route, render, outputs, write.

`make_site` is the whole pipeline up to the bytes of every file; `build`
adds the search index and writes the output. Each stage reports its
problems, and the build stops before writing if any is an error, so the
previous output stays as it was. What a build may reuse from earlier builds
comes in through one seam, a `Reuse` (see wgsite.reuse): the commands pass
the incremental wing's, and the stages never meet it.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from wgsite.folders import SiteFolders
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed, Problems, report
from wgsite.reuse import Reuse
from wgsite.timings import Timings
from wgsite.writer import check_output_folder, write_site

if TYPE_CHECKING:
    from wgsite.incremental.wing import Incremental
    from wgsite.content.records import Site
    from wgsite.markup.assets import Assets
    from wgsite.render.phrases import Phrases
    from wgsite.render.routes import Route
    from wgsite.urls import Urls


@dataclass
class MadeSite:
    """Every output file's bytes but the search index's, and what they were made from."""

    files: dict[str, bytes]  # path in the output folder -> bytes (pages, feeds, /admin/)
    pages: dict[str, bytes]  # what the search indexer reads from: all but /admin/
    assets: Assets
    site: Site
    routes: list[Route]
    urls: Urls
    phrases: Phrases
    made_by: dict[str, str]  # output file (e.g. news/x/index.html) -> the source that made it

    def result(self, problems: Problems, files: int) -> BuildResult:
        """What the build reports, `files` being the output files besides the assets."""
        return BuildResult(pages=len(self.made_by), files=files + len(self.assets.by_path),
                           problems=problems, sources=self.made_by, base_url=self.site.base_url)


@dataclass
class BuildResult:
    pages: int
    files: int
    problems: Problems = field(default_factory=Problems)
    sources: dict[str, str] = field(default_factory=dict)  # output file -> its source
    base_url: str = ""  # the one the build used

    def kept(self) -> dict[str, Any]:
        """What the manifest keeps, to give this result again for a build with nothing to do."""
        return {"pages": self.pages, "files": self.files, "sources": self.sources,
                "base_url": self.base_url}


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def make_site(folders: SiteFolders, options: BuildOptions, problems: Problems,
              timings: Timings, reuse: Reuse) -> MadeSite:
    """Every file of the site but the search index; raises BuildFailed with every problem."""
    # The stages are imported here, not at the top: a build with nothing to do
    # (see build) then never loads Markdown, Jinja, Pillow or Pagefind.
    from wgsite.clock import Clock
    from wgsite.content.check import check_site, published
    from wgsite.content.history import last_changes
    from wgsite.content.link import link_site
    from wgsite.content.site_schema import read_site_schema
    from wgsite.content.sources import read_sources
    from wgsite.markup.assets import Assets
    from wgsite.markup.convert import Converter
    from wgsite.markup.images import Renditions
    from wgsite.markup.markdown import POOL_THRESHOLD, MarkdownRenderer, cpu_count
    from wgsite.outputs.admin import admin_files
    from wgsite.outputs.machine import machine_outputs
    from wgsite.render.pages import render_pages
    from wgsite.render.phrases import MissingPhrase, Phrases
    from wgsite.render.routes import plan_routes
    from wgsite.render.templates import Templates
    from wgsite.urls import Urls

    now = options.now or build_time()
    with timings.phase("read") as phase:  # load
        schema = read_site_schema(folders, problems)
        types = schema.kinds
        sources = read_sources(folders, types, problems)
        assets = Assets(folders, problems)
        phase.count(len(sources.pages) + bool(sources.home), "pages")
        phase.count(len(assets.by_path), "assets")
    _stop_on_errors(problems)

    with timings.phase("validate") as phase:
        checked = check_site(sources, schema, lambda path: path in assets, problems,
                             production=not (options.drafts or options.preview
                                             or options.base_url))
        phase.count(len(checked.pages) + bool(checked.home), "pages")
    _stop_on_errors(problems)

    clock = Clock(now).in_zone(checked.tz)
    pages = published(checked, clock, options.drafts)
    urls = Urls(options.base_url or checked.config["base_url"], types.values())
    jobs = options.jobs or cpu_count()
    renditions = Renditions(assets, folders.cache, problems)
    markdown = MarkdownRenderer(urls, assets, renditions, problems,
                                trust_html=checked.config.get("trust_html", False),
                                cache=reuse.cache("markdown"), jobs=jobs)
    converter = Converter(markdown, assets, renditions, urls)
    with timings.phase("markdown") as phase:
        documents = [(s.body, s.path, s.body_line)
                     for s, _ in pages + ([checked.home] if checked.home else [])]
        converter.prepare(documents)
        phase.count(len(documents), "documents")
        phase.count(markdown.converted, "converted")
        phase.count(jobs if markdown.converted >= POOL_THRESHOLD else 1, "processes")
    with timings.phase("link") as phase:
        site = link_site(checked, pages, converter, urls, clock, options.preview,
                         sources.data_paths)
        phase.count(sum(len(items) for items in site.lists.values()), "records")
    _stop_on_errors(problems)

    with timings.phase("routes") as phase:  # route
        if site.colours:
            assets.add_colours(site.colours)
        own_phrases = {k: v for t in types.values() if not t.builtin
                       for k, v in t.phrases().items()}
        phrases = Phrases(site.language, sources.i18n, clock.tz, own_phrases)
        phrases.check(problems)
        try:
            routes = plan_routes(site, urls, phrases, types, problems)
        except MissingPhrase as exc:
            problems.error(f"data/i18n/{site.language}.yaml", None, str(exc))
            raise BuildFailed(problems) from exc
        phase.count(len(routes), "pages")
    _stop_on_errors(problems)

    with timings.phase("render") as phase:
        templates = Templates(folders, urls, assets, phrases, site, reuse.environment())
        memo = reuse.memo(lambda: [
            options.drafts, options.preview, site.base_url, phrases.language,
            str(phrases.tz), phrases.table,
            sorted((asset.path, asset.output) for asset in assets.by_path.values())],
            templates.env)
        files = render_pages(routes, urls, templates, memo, site, problems)
        phase.count(len(files), "pages")
        phase.count(len(files) - memo.reused, "rendered")

    with timings.phase("extras") as phase:  # outputs
        extras = machine_outputs(site, urls, routes, problems, last_changes(folders.root))
        phase.count(len(extras), "feeds, calendars and maps")
        made_by = {urls.output_file(route.path): route.source for route in routes}
        outputs = [*files, *extras, *(a.output for a in assets.by_path.values()),
                   "pagefind/pagefind-entry.json"]
        admin = admin_files(folders, schema, sources.data.get("site"), options.cms_backend,
                            outputs, problems, made_by)
        phase.count(len(admin), "files of /admin/ and _headers")
    _stop_on_errors(problems)
    memo.save()
    return MadeSite({**files, **extras, **admin}, {**files, **extras}, assets, site, routes,
                    urls, phrases, made_by)


def _stop_on_errors(problems: Problems) -> None:
    if problems.errors:
        raise BuildFailed(problems)


def build(folders: SiteFolders, options: BuildOptions, timings: Timings | None = None
          ) -> BuildResult:
    """Build the site into folders.out, with the incremental wing; raises BuildFailed
    with every problem."""
    timings = timings or Timings()
    options, problems, wing, replayed = start(folders, options, timings)
    if replayed is not None:
        return replayed

    from wgsite.outputs.search import start_search

    made = make_site(folders, options, problems, timings, wing)
    wing.prune()
    with timings.phase("search"):  # Pagefind goes on while the other files are written
        index = start_search(made.routes, made.pages, made.urls, made.phrases,
                             made.site.kinds, wing.cache("search"))
    searched: dict[str, bytes] = {}

    def search() -> dict[str, bytes]:
        with timings.phase("search") as phase:
            searched.update(index.files())
            phase.count(len(searched), "search files (the wait for the indexer, within write)")
        return searched

    try:
        with timings.phase("write") as phase:
            copied = made.assets.by_path.values()
            written = write_site(folders.out, made.files, copied, search)
            phase.count(len(made.files) + len(searched) + len(made.assets.by_path), "files")
            phase.count(written, "changed")
    except BaseException:
        index.cancel()  # no indexer left running, no folder left behind
        raise
    result = made.result(problems, len(made.files) + len(searched))
    wing.record(made.site.clock, problems, result.kept())
    return result


def start(folders: SiteFolders, options: BuildOptions, timings: Timings
          ) -> tuple[BuildOptions, Problems, Incremental, BuildResult | None]:
    """What every build does first: refuse an unsafe output folder, fix the build's now,
    and ask the wing whether the last output still holds (then its result, replayed)."""
    from wgsite.incremental.wing import Incremental

    problems = Problems(strict=options.strict)
    check_output_folder(folders.out, folders.root, folders.theme)
    options = replace(options, now=options.now or build_time())
    wing = Incremental(folders, options)
    with timings.phase("inputs") as phase:
        unchanged, count = wing.unchanged(options.now)
        phase.count(count, "files")
        if unchanged:
            phase.note("none changed: the output is up to date")
    replayed = BuildResult(problems=problems, **wing.replay(problems)) if unchanged else None
    return options, problems, wing, replayed


def run(folders: SiteFolders, options: BuildOptions, verbose: bool = False
              ) -> BuildResult | None:
    """`build` as the command line runs it: build, then report; the result when the site
    was written, else None."""
    started = time.perf_counter()
    timings = Timings()
    try:
        result = build(folders, options, timings)
    except BuildFailed as failed:  # an UnsafeOutput too; cli.main reports any other
        report(failed.problems)
        return None
    finally:
        if verbose:
            timings.report(sys.stderr)
    report(result.problems)
    elapsed = time.perf_counter() - started
    print(f"Built {result.pages} pages ({result.files} files) into "
          f"{folders.relative(folders.out)} in {elapsed:.2f} s.", file=sys.stderr)
    return result
