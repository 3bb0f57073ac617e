"""One build, stage by stage: read, check and link, plan routes, render, write.

Each stage reports its problems; the build stops before writing if any is an
error, so the previous output stays as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from wgsite.assets import Assets
from wgsite.cms_admin import admin_files
from wgsite.folders import SiteFolders
from wgsite.graph import BuildOptions, build_site
from wgsite.i18n import Phrases
from wgsite.images import Renditions
from wgsite.outputs import machine_outputs
from wgsite.problems import BuildFailed, Problems
from wgsite.routes import Route, plan_routes
from wgsite.search import search_files
from wgsite.site_schema import read_site_schema
from wgsite.sources import read_sources
from wgsite.templates import Templates
from wgsite.urls import Urls
from wgsite.writer import check_output_folder, write_site


@dataclass
class BuildResult:
    pages: int
    files: int
    problems: Problems = field(default_factory=Problems)
    # output file (e.g. news/x/index.html) -> the source that made it
    sources: dict[str, str] = field(default_factory=dict)
    base_url: str = ""  # the one the build used


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def render_site(folders: SiteFolders, options: BuildOptions, problems: Problems
                ) -> tuple[dict[str, bytes], Assets, dict[str, str], str]:
    """Every output file's bytes, keyed by its path in the output folder, and its source."""
    sources = read_sources(folders, problems)
    types = read_site_schema(folders, problems)
    for source in sources.pages + ([sources.home] if sources.home else []):
        source.type = types[source.type.name]
    assets = Assets(folders, problems)
    if problems.errors:
        raise BuildFailed(problems)
    if options.now is None:
        options = replace(options, now=build_time())
    site = build_site(sources, assets, options, problems,
                      Renditions(assets, folders.cache, problems))
    if site.colours:
        assets.add_colours(site.colours)
    urls = Urls(site.base_url)
    tz = site.build_date.tzinfo or timezone.utc
    phrases = Phrases(site.language, sources.i18n, tz)
    templates = Templates(folders, urls, assets, phrases, site)
    try:
        routes = plan_routes(site, urls, phrases, problems)
    except Exception as exc:  # a phrase missing from data/i18n
        problems.error(f"data/i18n/{site.language}.yaml", None, str(exc))
        raise BuildFailed(problems) from exc
    if problems.errors:
        raise BuildFailed(problems)
    seen: set[tuple] = set()
    files = {urls.output_file(route.path): _render(route, templates, problems, seen)
             for route in routes}
    files.update(machine_outputs(site, urls, routes, problems))
    files.update(search_files(routes, files, urls, phrases))
    files.update(admin_files(folders, types, sources.data.get("site"), options.cms_backend,
                             [*files, *(a.output for a in assets.by_path.values())], problems))
    if problems.errors:
        raise BuildFailed(problems)
    made_by = {urls.output_file(route.path): route.source for route in routes}
    return files, assets, made_by, urls.base_url


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


def build(folders: SiteFolders, options: BuildOptions) -> BuildResult:
    """Build the site into folders.out; raises BuildFailed with every problem."""
    problems = Problems(strict=options.strict)
    check_output_folder(folders.out, folders.root, folders.theme)
    files, assets, made_by, base_url = render_site(folders, options, problems)
    write_site(folders.out, files, assets)
    return BuildResult(pages=len(made_by), files=len(files) + len(assets.by_path),
                       problems=problems, sources=made_by, base_url=base_url)
