"""Each page in every language it exists in: the switcher's links and hreflang alternates.

Runs once every language's routes are planned. A record's page is the same
page in another language when it translates the same original; any other page
(a list, a tag, an organisation, the search page) when its path is the same
but for the language prefix. Every page then carries the same list, each
entry marking the page it is on, so alternates are reciprocal by construction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wgsite.content import records as r
from wgsite.content.language_codes import language_name
from wgsite.content.languages import Languages
from wgsite.render.routes import Route
from wgsite.urls import Urls


def link_translations(routes_of: dict[str, list[Route]], languages: Languages,
                      urls_of: dict[str, Urls]) -> None:
    """Set `alternates` on every page of every language (nothing for one language)."""
    if not languages.several:
        return
    found: dict[tuple[str, str], dict[str, Route]] = {}
    for code, routes in routes_of.items():
        for route in routes:
            if route.template == "alias.html" or not hasattr(route.page, "alternates") \
                    or getattr(route.page, "kind", "") in ("languages", "not_found"):
                continue  # the chooser and 404 pages are no page's translation
            found.setdefault(_key(route, urls_of[code]), {})[code] = route
    for same in found.values():
        entries = []
        for code in languages.codes:
            route = same.get(code)
            if route is not None:
                urls = urls_of[code]
                entries.append(r.Alternate(code, language_name(code, code, title=True), urls.href(route.path),
                                           urls.permalink(route.path),
                                           default=code == languages.default))
        for code, route in same.items():
            route.page.alternates = [replace(entry, current=entry.lang == code)
                                     for entry in entries]


def _key(route: Route, urls: Urls) -> tuple[str, str]:
    page: Any = route.page
    original = getattr(page, "original", "")
    if original and getattr(page, "kind", "") != "home":
        return "record", original
    path = route.path
    if urls.prefix and path.startswith(f"/{urls.prefix}/"):
        path = path[len(urls.prefix) + 1:]
    return "path", path
