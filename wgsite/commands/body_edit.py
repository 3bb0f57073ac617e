"""serve's quickest rebuild: an edit that changed the Markdown bodies of pages, nothing else.

Most saves while editing change a page's text, not its front matter. Such an
edit cannot change what any front matter says, which pages exist, their
routes, relations and lists, or what validation finds: only the HTML that the
records made from those files hold (`content`). So serve keeps the last good
build's linked site (commands.kept_site), and when every file changed since
is a page whose front matter parses to the very parse it had, `quick`
converts the new bodies, puts their HTML on the kept records, renders again
only the pages that read a value of those records that is different now (the
render memo knows, see RenderMemo.only_changed), and makes again the feeds
that list those records (the only machine outputs that show bodies); the
calendars, sitemap, robots.txt and _redirects are kept while no commit has
changed the files' dates. Anything else, or any doubt, gives None and the
full rebuild: a file added or removed, a picture in a body (its copies are
assets), a problem the new body or a template reports or the last build
reported about an edited file, the clock past a
moment the last build compared with, other options. The output is the one a
full rebuild makes; tests/test_body_edit.py proves it against clean builds.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from wgsite.clock import Clock
from wgsite.commands.build import MadeSite, SiteParts
from wgsite.commands.kept_site import KeptSite
from wgsite.content import records as r
from wgsite.content.sources import PAGE_SUFFIXES, SourceFile, read_content_file
from wgsite.folders import SiteFolders
from wgsite.incremental.manifest import npm_state
from wgsite.incremental.render_memo import reachable
from wgsite.incremental.session import Session
from wgsite.incremental.wing import Incremental
from wgsite.markup.markdown import MarkdownRenderer, has_image
from wgsite.options import BuildOptions
from wgsite.problems import Problems
from wgsite.timings import Timings

MOST_FILES = 20  # more pages changed at once than this (a checkout, say): the full rebuild


def quick(folders: SiteFolders, options: BuildOptions, problems: Problems, timings: Timings,
          wing: Incremental, session: Session) -> MadeSite | None:
    """The site after an edit of page bodies alone, made from the kept one; None when the
    edit was anything else (the caller then makes the site in full)."""
    kept: KeptSite | None = session.kept_site
    if kept is None or kept.options != replace(options, now=None) \
            or kept.npm != npm_state(folders):
        return None
    assert options.now is not None  # start() fixes it
    clock = kept.made.site.clock
    if not Clock(options.now).holds_at(clock.since, clock.until):
        return None  # an event ended, a post came due: lists change
    parts = kept.made.parts
    # what each phase did is said once the site is made: a quick rebuild that gives up
    # leaves its time in the phases, and the full rebuild's counts
    with timings.phase("read") as reading:
        edited = _edited(folders, kept, session, parts, wing)
        if edited is None:
            return None
        touched = {source.path for source in edited}
        if any(problem.path in touched for problem in kept.problems):
            return None  # what the last body made it say may be gone now: the full rebuild
    with timings.phase("markdown") as converting:
        scratch = Problems()
        markdown = MarkdownRenderer(parts.root_urls, kept.made.assets, None, scratch,
                                    trust_html=parts.trust_html)
        html = {source.path: markdown.render(source.body, source.path, source.body_line)
                for source in edited}
        if scratch.items:
            return None  # the full rebuild reports it, with every other problem
    if kept.by_source is None:
        kept.by_source = {lang.code: _records_by_source(lang.site) for lang in parts.languages}
    records = {code: {path: found[path] for path in html if path in found}
               for code, found in kept.by_source.items()}
    if any(not any(source.path in found for found in records.values()) for source in edited):
        return None  # a page that is not published: nothing of it shows
    made = None
    try:
        for found in records.values():
            for path, holding in found.items():
                for record in holding:
                    record.content = html[path]
        made = _render(folders, parts, kept, records, wing, timings, scratch)
    finally:
        if made is None or scratch.items:
            session.kept_site = None  # its records hold the new bodies, its pages do not
    if session.kept_site is None:
        return None
    for source in edited:
        parts.sources[source.path] = source
    problems.items.extend(kept.problems)
    reading.count(len(edited), "pages whose body alone changed")
    converting.count(len(html), "converted")
    return made


def _edited(folders: SiteFolders, kept: KeptSite, session: Session, parts: SiteParts,
            wing: Incremental) -> list[SourceFile] | None:
    """The pages changed since the kept build, read again, if each changed its body only."""
    now = session.digests
    if now.keys() != kept.digests.keys():
        return None  # a file added or removed
    changed = [path for path, (_, digest) in now.items() if kept.digests[path] != digest]
    if not changed or len(changed) > MOST_FILES:
        return None
    content = os.path.join(folders.content, "")
    edited = []
    for path in changed:
        if not path.startswith(content) or Path(path).suffix not in PAGE_SUFFIXES:
            return None  # a template, a data file, a stylesheet...
        old = parts.sources.get(folders.relative(Path(path)))
        if old is None:
            return None
        scratch = Problems()
        new = read_content_file(Path(path), folders, old.type, scratch, wing.parses())
        if new is None or scratch.items or new.meta is not old.meta \
                or dataclasses.replace(new, body=old.body) != old \
                or has_image(old.body) or has_image(new.body):
            return None  # its front matter changed (the parse is a new one), or a picture
        edited.append(new)
    return edited


def _records_by_source(site: r.Site) -> dict[str, list[r.Record]]:
    """The records of `site` by the file each was made from."""
    found: dict[str, list[r.Record]] = {}
    for value in reachable([site]):
        if isinstance(value, r.Record) and value.source:
            found.setdefault(value.source, []).append(value)
    return found


def _render(folders: SiteFolders, parts: SiteParts, kept: KeptSite,
            records: dict[str, dict[str, list[r.Record]]], wing: Incremental,
            timings: Timings, problems: Problems) -> MadeSite | None:
    """Every page (most kept from the last build) and the machine outputs, anew."""
    from wgsite.content.history import last_changes
    from wgsite.outputs.machine import language_calendars, language_feeds, site_outputs
    from wgsite.render.pages import render_pages

    pages: dict[str, bytes] = {}
    with timings.phase("render") as phase:
        rendered = 0
        for lang in parts.languages:
            memo = wing.memo(lambda key=lang.memo_key: key, lang.templates.env, part=lang.part)
            memo.only_changed(_flat(records[lang.code].values()))
            for _, output, data in render_pages(lang.routes, lang.urls, lang.templates, memo,
                                                lang.site, problems):
                pages[output] = data
            rendered += len(lang.routes) - memo.reused
            if problems.items:
                return None
            memo.save()
        phase.count(len(pages), "pages")
        phase.count(rendered, "rendered")
    with timings.phase("extras") as phase:
        # Only the feeds show bodies, so only those listing an edited record are made
        # again; the feeds read no dates of files.
        changed = last_changes(folders.root)
        extras = dict(parts.extras)
        for lang in parts.languages:
            feeds = language_feeds(lang.site, lang.urls, _flat(records[lang.code].values()))
            extras.update(feeds)
            phase.count(len(feeds), "feeds")
        if changed != parts.changed:
            # a commit, or a file newly edited since one: the days pages last changed,
            # which the calendars and the sitemap give
            for lang in parts.languages:
                calendars = language_calendars(lang.site, lang.urls, changed)
                extras.update(calendars)
                phase.count(len(calendars), "calendars")
            extras.update(site_outputs([(lang.site, lang.routes) for lang in parts.languages],
                                       parts.root_urls, changed))
            phase.note("the sitemap")
        parts.extras, parts.changed = extras, changed
    made = kept.made
    return dataclasses.replace(made, files={**pages, **extras, **parts.admin},
                               pages={**pages, **extras}, search=None)


def _flat(groups: Iterable[list[r.Record]]) -> list[r.Record]:
    return [record for group in groups for record in group]
