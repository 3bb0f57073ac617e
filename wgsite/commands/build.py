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
from typing import TYPE_CHECKING, Any, Callable

from wgsite.folders import SiteFolders
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed, Problems, report
from wgsite.reuse import Reuse
from wgsite.timings import Timings
from wgsite.writer import Staging, check_output_folder

if TYPE_CHECKING:
    from wgsite.incremental.session import Session
    from wgsite.incremental.wing import Incremental
    from wgsite.content.records import Site
    from wgsite.content.sources import SourceFile
    from wgsite.render.templates import Templates
    from wgsite.markup.assets import Assets
    from wgsite.outputs.search import SearchFeed
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
    phrases_of: dict[str, Phrases] = field(default_factory=dict)  # every language's
    search: SearchFeed | None = None  # what each page was handed to, when make_site had one
    parts: SiteParts | None = None  # what a rebuild of page bodies alone needs again

    def result(self, problems: Problems, files: int) -> BuildResult:
        """What the build reports, `files` being the output files besides the assets."""
        return BuildResult(pages=len(self.made_by), files=files + len(self.assets.by_path),
                           problems=problems, sources=self.made_by, base_url=self.site.base_url)


@dataclass
class LanguageParts:
    """One language's linked site, its pages' routes and what renders them."""

    code: str
    site: Site
    routes: list[Route]
    urls: Urls
    templates: Templates
    memo_key: list[Any]  # what each of its pages depends on besides what it looks up
    part: str  # the render memo's name for the language ("" in a site of one language)


@dataclass
class SiteParts:
    """What make_site made on its way to the files that serve's quickest rebuild, of an
    edit that changed page bodies only, takes again (see commands.body_edit)."""

    sources: dict[str, SourceFile]  # every page's file as read, by its path
    languages: list[LanguageParts]
    root_urls: Urls
    trust_html: Any  # as the site's configuration gives it (part of Markdown's cache key)
    admin: dict[str, bytes]  # /admin/ and _headers, which no page body changes
    extras: dict[str, bytes]  # the feeds, calendars, sitemap, robots.txt and _redirects
    changed: dict[str, datetime]  # what they were made with: each file's last commit


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
              timings: Timings, reuse: Reuse, search: Callable[[dict[str, Phrases], Any],
                                                              SearchFeed] | None = None,
              sink: Callable[[str, bytes], None] | None = None) -> MadeSite:
    """Every file of the site but the search index; raises BuildFailed with every problem.

    `search`, given every language's phrases and the content kinds, makes the feed
    that each page is handed to as it is rendered (MadeSite.search). `sink` takes
    each page's bytes as soon as they are made (the build writes them so); the
    site made then holds the other files only, so memory does not grow with the
    pages."""
    # The stages are imported here, not at the top: a build with nothing to do
    # (see build) then never loads Markdown, Jinja, Pillow or Pagefind.
    from wgsite.clock import Clock
    from wgsite.content.check import (check_site, in_language, published,
                                      published_translations)
    from wgsite.content.languages import DataLanguages
    from wgsite.content.history import last_changes
    from wgsite.content.link import link_site
    from wgsite.content.schema import default_phrases
    from wgsite.content.site_schema import read_site_schema
    from wgsite.content.sources import read_sources
    from wgsite.markup.assets import Assets
    from wgsite.markup.convert import Converter
    from wgsite.markup.images import Renditions
    from wgsite.markup.markdown import POOL_THRESHOLD, MarkdownRenderer, cpu_count
    from wgsite.outputs.admin import admin_files
    from wgsite.outputs.machine import language_outputs, site_outputs
    from wgsite.outputs.machine import report_collisions as report_machine_collisions
    from wgsite.render.alternates import link_translations
    from wgsite.render.pages import render_pages
    from wgsite.render.phrases import MissingPhrase, Phrases
    from wgsite.render.routes import Route, chooser_routes, plan_routes, report_collisions
    from wgsite.render.templates import Templates
    from wgsite.urls import Urls

    now = options.now or build_time()
    with timings.phase("read") as phase:  # load
        schema = read_site_schema(folders, problems)
        types = schema.kinds
        sources = read_sources(folders, types, problems, reuse.parses())
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
    languages = checked.languages
    pages = published(checked, clock, options.drafts)
    translations = published_translations(checked, pages, options.drafts)
    root_urls = Urls(options.base_url or checked.config["base_url"], types.values())
    urls_of = {code: root_urls.in_language(languages.prefix(code)) for code in languages.codes}
    urls = urls_of[languages.default]
    jobs = options.jobs or cpu_count()
    renditions = Renditions(assets, folders.cache, problems)
    markdown = MarkdownRenderer(root_urls, assets, renditions, problems,
                                trust_html=checked.config.get("trust_html", False),
                                cache=reuse.cache("markdown"), jobs=jobs)
    converter = Converter(markdown, assets, renditions, root_urls)
    with timings.phase("markdown") as phase:
        documents = [(s.body, s.path, s.body_line)
                     for s, _ in pages + ([checked.home] if checked.home else []) + translations]
        converter.prepare(documents)
        phase.count(len(documents), "documents")
        phase.count(markdown.converted, "converted")
        phase.count(jobs if markdown.converted >= POOL_THRESHOLD else 1, "processes")
        phase.spent(markdown.worker_cpu)
    with timings.phase("link") as phase:
        picker = DataLanguages(languages, problems, sources.data_paths)
        sites: dict[str, Site] = {}
        for code in languages.codes:
            view, chosen = in_language(checked, pages, translations, code, picker)
            sites[code] = link_site(view, chosen, converter, urls_of[code], clock,
                                    options.preview, sources.data_paths, urls_of)
            if languages.in_url:
                sites[code].chooser_url = root_urls.href("/")
        site = sites[languages.default]
        phase.count(sum(len(items) for s in sites.values() for items in s.lists.values()),
                    "records")
    _stop_on_errors(problems)

    with timings.phase("routes") as phase:  # route
        if site.colours:
            assets.add_colours(site.colours)
        # a phrase a language lacks comes from the default language's file, and the
        # default language's own gaps from the theme's English
        fallback = {code: languages.default if code != languages.default
                    and languages.default in sources.i18n else "en"
                    for code in languages.codes}
        phrases_of = {code: Phrases(code, sources.i18n, clock.tz, default_phrases(types),
                                    fallback=fallback[code])
                      for code in languages.codes}
        for language_phrases in phrases_of.values():
            language_phrases.check(problems)  # each missing phrase once, per language
        phrases = phrases_of[languages.default]
        routes_of: dict[str, list[Route]] = {}
        for code in languages.codes:
            try:
                routes_of[code] = plan_routes(sites[code], urls_of[code], phrases_of[code],
                                              types, problems, check=False)
            except MissingPhrase as exc:
                problems.error(f"data/i18n/{code}.yaml", None, str(exc))
                raise BuildFailed(problems) from exc
        if languages.in_url:
            routes_of[languages.default] += chooser_routes(site, root_urls, phrases)
        routes = [route for code in languages.codes for route in routes_of[code]]
        report_collisions(routes, root_urls, problems)
        link_translations(routes_of, languages, urls_of)
        phase.count(len(routes), "pages")
    _stop_on_errors(problems)

    feed = search(phrases_of, site.kinds) if search is not None else None
    try:
        with timings.phase("render") as phase:
            files: dict[str, bytes] = {}  # the pages, unless the sink took them
            memos = []
            parts: list[LanguageParts] = []
            processes = [1]  # how many rendered each language's pages
            for code in languages.codes:
                templates = Templates(folders, urls_of[code], assets, phrases_of[code], sites[code],
                                      reuse.environment())
                language_phrases = phrases_of[code]
                memo_key = [
                    options.drafts, options.preview, site.base_url, language_phrases.language,
                    str(language_phrases.tz), language_phrases.table,
                    sorted((asset.path, asset.output) for asset in assets.by_path.values())]
                part = code if languages.several else ""
                memo = reuse.memo(lambda key=memo_key: key, templates.env, part=part)
                memos.append(memo)
                parts.append(LanguageParts(code, sites[code], routes_of[code], urls_of[code],
                                           templates, memo_key, part))
                for route, output, data in render_pages(routes_of[code], urls_of[code],
                                                        templates, memo, sites[code], problems,
                                                        jobs, processes.append):
                    if feed is not None:
                        feed.add(route, output, data)
                    if sink is not None:
                        sink(output, data)
                    else:
                        files[output] = data
            phase.count(len(routes), "pages")
            phase.count(len(routes) - sum(memo.reused for memo in memos), "rendered")
            phase.count(max(processes), "processes")
        if feed is not None:
            with timings.phase("search"):
                feed.index()  # every page is in: Pagefind starts while the rest is made
        reuse.write_cache()  # the converted Markdown, put off till now

        with timings.phase("extras") as phase:  # outputs
            changed = last_changes(folders.root)
            extras: dict[str, bytes] = {}
            for code in languages.codes:
                extras.update(language_outputs(sites[code], urls_of[code], changed))
            extras.update(site_outputs([(sites[code], routes_of[code]) for code in languages.codes],
                                       root_urls, changed))
            report_machine_collisions(extras, routes, root_urls, problems)
            phase.count(len(extras), "feeds, calendars and maps")
            made_by = {urls.output_file(route.path): route.source for route in routes}
            outputs = [*made_by, *extras, *(a.output for a in assets.by_path.values()),
                       "pagefind/pagefind-entry.json"]
            admin = admin_files(folders, schema, sources.data.get("site"), options.cms_backend,
                                outputs, problems, made_by)
            phase.count(len(admin), "files of /admin/ and _headers")
        _stop_on_errors(problems)
        for memo in memos:
            memo.save()
        read = [*sources.pages, *sources.suffixed, *([sources.home] if sources.home else [])]
        return MadeSite({**files, **extras, **admin}, {**files, **extras}, assets, site, routes,
                        urls, phrases, made_by, phrases_of, feed,
                        SiteParts({source.path: source for source in read}, parts, root_urls,
                                  checked.config.get("trust_html", False), admin, extras,
                                  changed))
    except BaseException:
        if feed is not None:
            feed.cancel()  # no indexer left running for a build that stops
        raise


def _stop_on_errors(problems: Problems) -> None:
    if problems.errors:
        raise BuildFailed(problems)


def build(folders: SiteFolders, options: BuildOptions, timings: Timings | None = None,
          session: Session | None = None,
          keep: Callable[[MadeSite, Problems], None] | None = None,
          replay: bool = True) -> BuildResult:
    """Build the site into folders.out, with the incremental wing (and what `session`
    keeps in memory from earlier builds, in serve); raises BuildFailed with every problem.
    `keep` is given the site made, pages and all, once it is written (serve keeps it).
    Unless `replay`, the site is made even when the output is up to date."""
    timings = timings or Timings()
    options, problems, wing, replayed = start(folders, options, timings, session, replay)
    if replayed is not None:
        return replayed

    from wgsite.outputs.search import SearchFeed

    # Each page goes, as it is rendered, to the indexer's folder and to the new output
    # beside the old; Pagefind then indexes while the other files are written.
    staging = Staging(folders.out)
    if session is not None:
        session.left(folders.out, None)  # until the new output is in place
    index = None
    kept: dict[str, bytes] | None = {} if keep is not None else None  # the pages, for it

    def sink(relative: str, data: bytes) -> None:
        staging.add(relative, data)
        if kept is not None:
            kept[relative] = data

    try:
        made = make_site(folders, options, problems, timings, wing,
                         lambda phrases_of, kinds: SearchFeed(
                             phrases_of, kinds, wing.cache("search"), wing.search_layout()),
                         sink)
        wing.prune()
        assert made.search is not None
        with timings.phase("search"):
            index = made.search.index()
        with timings.phase("write") as phase:
            staging.flush()  # the pages held, while Pagefind indexes
            for relative, data in made.files.items():
                staging.add(relative, data)
            for asset in made.assets.by_path.values():
                staging.add(asset.output, asset.data if asset.data is not None
                            else asset.source)
            with timings.phase("search") as searching:
                searched = index.files()
                searching.count(len(searched), "search files (the wait for the indexer, "
                                "within write)")
            for relative, data in searched.items():
                staging.add(relative, data)
            written = staging.commit()
            phase.count(len(made.made_by) + len(made.files) + len(searched)
                        + len(made.assets.by_path), "files")
            phase.count(written.files, "changed")
            phase.wrote(written.bytes)
    except BaseException:
        staging.discard()  # the previous output as it was
        if index is not None:
            index.cancel()  # no indexer left running, no folder left behind
        raise
    finally:
        wing.release()  # the indexer's folder of pages, for the next build
    result = made.result(problems, len(made.made_by) + len(made.files) + len(searched))
    if session is not None and kept is not None:
        session.remember(folders.out, {**kept, **made.files, **searched})
        session.left(folders.out, staging.paths)
        session.search_files = searched  # for the next rebuild, not read back from out/
    if keep is not None and kept is not None:
        keep(replace(made, files={**kept, **made.files}, pages={**kept, **made.pages},
                     search=None), problems)
    wing.record(made.site.clock, problems, result.kept())
    return result


def start(folders: SiteFolders, options: BuildOptions, timings: Timings,
          session: Session | None = None, replay: bool = True
          ) -> tuple[BuildOptions, Problems, Incremental, BuildResult | None]:
    """What every build does first: refuse an unsafe output folder, fix the build's now,
    and ask the wing whether the last output still holds (then, if `replay`, its result,
    replayed)."""
    from wgsite.incremental.wing import Incremental

    problems = Problems(strict=options.strict)
    check_output_folder(folders.out, folders.root, folders.theme)
    options = replace(options, now=options.now or build_time())
    wing = Incremental(folders, options, session)
    with timings.phase("inputs") as phase:
        unchanged, count = wing.unchanged(options.now)
        phase.count(count, "files")
        if unchanged:
            phase.note("none changed: the output is up to date")
    replayed = BuildResult(problems=problems, **wing.replay(problems)) \
        if unchanged and replay else None
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
