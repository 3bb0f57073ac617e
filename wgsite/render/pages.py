"""Rendering: every route's page to bytes, a pure function of (page, site, templates).

A template mistake is reported once, against the template's file and line,
with the first page it broke (a syntax error, which is the template's alone,
without one); the other pages it breaks are not reported again. When many
pages are to be rendered, forked helpers render a share of them (see
render.workers); the pages, what the memo learns of them and the mistakes
come out as one process makes them.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from jinja2 import TemplateSyntaxError

from wgsite.content import records as r
from wgsite.problems import Problems
from wgsite.render import workers
from wgsite.render.routes import Route
from wgsite.render.templates import Templates
from wgsite.reuse import PageMemo
from wgsite.urls import Urls

# Template mistakes in the order of the routes they first broke: where each is (file,
# line, message without the page) -> what to report (file, line, message).
Mistakes = dict[tuple, tuple[str, "int | None", str]]


def render_pages(routes: list[Route], urls: Urls, templates: Templates, memo: PageMemo,
                 site: r.Site, problems: Problems, jobs: int = 1,
                 processes: Callable[[int], None] | None = None
                 ) -> Iterator[tuple[Route, str, bytes]]:
    """Each route with its file in the output folder and its bytes, one at a time (the
    build writes each as it comes, and never holds them all); `memo` may keep some, and
    up to `jobs` processes render the others (`processes` is told how many did)."""
    memo.index([site, [route.page for route in routes]])
    outputs = [urls.output_file(route.path) for route in routes]
    mistakes: Mistakes = {}

    def made(number: int, mistakes: Mistakes) -> bytes:
        route = routes[number]
        return memo.page(outputs[number], route.page, route.template, route.breadcrumbs,
                         lambda: _render(route, templates, mistakes))

    def in_helper(number: int) -> tuple[bytes, Any, Mistakes]:
        found: Mistakes = {}  # taken in route order, whoever rendered the page
        data = made(number, found)
        return data, memo.note(outputs[number]), found

    def ahead(number: int) -> tuple[bytes, Any, Mistakes]:
        found: Mistakes = {}
        return made(number, found), None, found

    helpers = None
    if jobs > 1 and len(routes) >= workers.THRESHOLD:
        todo = [number for number, route in enumerate(routes)
                if not memo.fresh(outputs[number], route.page, route.template,
                                  route.breadcrumbs)]
        helpers = workers.share(todo, in_helper, ahead, jobs)
    if processes is not None:
        processes(jobs if helpers is not None else 1)
    try:
        for number, route in enumerate(routes):
            if helpers is not None and number in helpers:
                (data, note, found), theirs = helpers.result(number)
                if theirs:
                    memo.adopt(outputs[number], note, data)
                for where, mistake in found.items():
                    mistakes.setdefault(where, mistake)
            else:
                data = made(number, mistakes)
            yield route, outputs[number], data
    finally:
        if helpers is not None:
            helpers.close()
    for path, line, message in mistakes.values():
        problems.error(path, line, message)


def _render(route: Route, templates: Templates, mistakes: Mistakes) -> bytes:
    context: dict[str, Any] = {"page": route.page, "breadcrumbs": route.breadcrumbs}
    try:
        return templates.render(route.template, context).encode("utf-8")
    except Exception as exc:  # any template mistake: report it once, with the first page
        where = templates.describe_error(exc)
        if where not in mistakes:
            path, line, message = where
            if not isinstance(exc, TemplateSyntaxError):  # that is the template's, not a page's
                message += f" (while rendering {route.path} from {route.source})"
            mistakes[where] = (path, line, message)
        return b""
