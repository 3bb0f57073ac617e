"""Rendering: every route's page to bytes, a pure function of (page, site, templates).

A template mistake is reported once, against the template's file and line,
with the first page it broke (a syntax error, which is the template's alone,
without one); the other pages it breaks are not reported again.
"""

from __future__ import annotations

from typing import Any, Iterator

from jinja2 import TemplateSyntaxError

from wgsite.content import records as r
from wgsite.problems import Problems
from wgsite.render.routes import Route
from wgsite.render.templates import Templates
from wgsite.reuse import PageMemo
from wgsite.urls import Urls


def render_pages(routes: list[Route], urls: Urls, templates: Templates, memo: PageMemo,
                 site: r.Site, problems: Problems) -> Iterator[tuple[Route, str, bytes]]:
    """Each route with its file in the output folder and its bytes, one at a time (the
    build writes each as it comes, and never holds them all); `memo` may keep some."""
    memo.index([site, [route.page for route in routes]])
    seen: set[tuple] = set()
    for route in routes:
        output = urls.output_file(route.path)
        yield route, output, memo.page(output, route.page, route.template, route.breadcrumbs,
                                       lambda: _render(route, templates, problems, seen))


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
            if not isinstance(exc, TemplateSyntaxError):  # that is the template's, not a page's
                message += f" (while rendering {route.path} from {route.source})"
            problems.error(path, line, message)
        return b""
