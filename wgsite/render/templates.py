"""Jinja templates: the site's layouts over the theme's, autoescaped and strict.

Undefined variables are errors (a typo fails the build instead of leaving a
blank); a template error is reported with the template's file and line and
the page that was being rendered.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from wgsite.markup.assets import Assets
from wgsite.folders import SiteFolders
from wgsite.render.phrases import Phrases
from wgsite.urls import Urls


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept for the life of the process (the dev server's rebuilds).

    Jinja keys each entry by the template's file name and checks it against a
    hash of the source, so an edited template is compiled again. Kept in memory
    only: a file cache would hold code that a later build runs.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Templates:
    """Renders named templates with the globals every page gets."""

    def __init__(self, folders: SiteFolders, urls: Urls, assets: Assets, phrases: Phrases,
                 site: Any, environment: type[jinja2.Environment] | None = None):
        self.folders = folders
        # the incremental wing passes a class of its own that notes what pages read
        self.env = (environment or jinja2.Environment)(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(path))
                                        for path in folders.layered("layouts")]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.assets = assets
        self.urls = urls
        self.env.globals.update(
            site=site, t=phrases, url=urls.href, asset=self.asset,
            format_date=phrases.date, format_datetime=phrases.datetime,
            format_time=phrases.time,
        )
        self.env.filters["date"] = phrases.date
        self.env.filters["absolute"] = self.absolute

    def asset(self, path: str) -> str:
        """The fingerprinted href of a file in assets/."""
        found = self.assets.get(path)
        if found is None:
            raise jinja2.UndefinedError(f"there is no asset assets/{path}")
        return self.urls.href("/" + found.output)

    def absolute(self, href: str) -> str:
        """An href of this site as a full URL, for readers that resolve no relative ones
        (og:image, JSON-LD): /wg/assets/x.svg -> https://example.org/wg/assets/x.svg."""
        if urlsplit(href).scheme or href.startswith("//"):
            return href
        if not href.startswith(self.urls.base_path):
            raise jinja2.TemplateRuntimeError(
                f"absolute takes an href of this site (from url(), asset() or a page's url, "
                f"starting with {self.urls.base_path}), not {href!r}")
        return self.urls.base_url + href[len(self.urls.base_path):]

    def render(self, name: str, context: dict[str, Any]) -> str:
        return self.env.get_template(name).render(context)

    def describe_error(self, exc: Exception) -> tuple[str, int | None, str]:
        """(template file, line, message) for an exception raised while rendering."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return self._relative(exc.filename or exc.name or "?"), exc.lineno, exc.message or ""
        if isinstance(exc, jinja2.TemplateNotFound):
            return "layouts", None, f"there is no template '{exc.name}'"
        frames = traceback.extract_tb(exc.__traceback__)
        for frame in reversed(frames):
            if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
                return self._relative(frame.filename), frame.lineno, str(exc)
        return "layouts", None, f"{type(exc).__name__}: {exc}"

    def _relative(self, filename: str) -> str:
        return self.folders.relative(Path(filename))
