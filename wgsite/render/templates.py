"""Jinja templates: the site's layouts over the theme's, autoescaped and strict.

Undefined variables are errors (a typo fails the build instead of leaving a
blank); a template error is reported with the template's file and line and
the page that was being rendered.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from wgsite.content.language_codes import language_name
from wgsite.markup.assets import Assets
from wgsite.folders import SiteFolders
from wgsite.render.phrases import Phrases
from wgsite.render.structured_data import json_script, structured_data
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
_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
_BLOCK_TAGS = ("if", "for", "block", "macro", "call", "filter", "with", "raw", "autoescape",
               "trans")


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
            # a build reads each template once: every {% include %} and {% import %} would
            # otherwise ask the file system whether it changed (17,000 stats at 1,000
            # posts); an edited template is a new build, with a new environment
            auto_reload=False,
        )
        self.assets = assets
        self.urls = urls
        self.site, self.phrases = site, phrases
        self.env.globals.update(
            site=site, t=phrases, url=urls.href, url_for=self.url_for, asset=self.asset,
            format_date=phrases.date, format_datetime=phrases.datetime,
            format_time=phrases.time, format_range=phrases.range, format_size=phrases.size,
            in_zone=phrases.in_zone,
            structured_data=self.structured_data,
            language_name=lambda code: language_name(code, phrases.language, title=True),
        )
        self.env.filters["date"] = phrases.date
        self.env.filters["absolute"] = self.absolute
        self.env.filters["json_script"] = json_script

    def url_for(self, name: str, slug: str = "") -> str:
        """The href of a named route: url_for("news_list"), url_for("tag", slug=t.slug)."""
        try:
            return self.urls.url_for(name, slug)
        except KeyError as exc:
            raise jinja2.UndefinedError(exc.args[0]) from None

    def structured_data(self, page: Any, breadcrumbs: list) -> list[dict[str, Any]]:
        """The page's JSON-LD blocks, read through the environment so the memo sees it."""
        env = self.env
        logo = env.getattr(self.site, "logo")
        paginator = env.getattr(page, "paginator") if hasattr(page, "paginator") else None
        label = (self.phrases("page_of", number=paginator.number, total=paginator.total)
                 if paginator and paginator.number > 1 else "")
        return structured_data(page, breadcrumbs, self.site, self.absolute,
                               self.asset(logo) if logo else "", label, env.getattr)

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

    def load_all(self) -> None:
        """Compile every template now, for a build whose pages all came from the render
        memo (serve's kept site): the first page rendered later need not wait for it. A
        template that does not compile is left for the render that needs it to report."""
        for name in self.env.list_templates():
            try:
                self.env.get_template(name)
            except (jinja2.TemplateError, UnicodeDecodeError):
                continue

    def describe_error(self, exc: Exception) -> tuple[str, int | None, str]:
        """(template file, line, message) for an exception raised while rendering."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return self._relative(exc.filename or exc.name or "?"), *self._unclosed(exc)
        if isinstance(exc, jinja2.TemplateNotFound):
            return "layouts", None, f"there is no template '{exc.name}'"
        frames = traceback.extract_tb(exc.__traceback__)
        for frame in reversed(frames):
            if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
                return self._relative(frame.filename), frame.lineno, str(exc)
        return "layouts", None, f"{type(exc).__name__}: {exc}"

    def _unclosed(self, exc: jinja2.TemplateSyntaxError) -> tuple[int | None, str]:
        """(line, message) of a syntax error; for a block never closed, its opening tag's."""
        found = _INNERMOST.search(exc.message or "")
        if not found or exc.source is None:
            return exc.lineno, exc.message or ""
        tag = found[1]
        opened: list[tuple[str, int]] = []
        tokens = iter(self.env.lex(exc.source))
        for line, kind, value in tokens:
            if line > exc.lineno:
                break
            if kind != "block_begin":
                continue
            name = next((v for _, k, v in tokens if k != "whitespace"), "")
            if name in _BLOCK_TAGS:
                opened.append((name, line))
            elif name.startswith("end") and opened and opened[-1][0] == name[3:]:
                opened.pop()
        start = next((line for name, line in reversed(opened) if name == tag), None)
        if start is None:
            return exc.lineno, exc.message or ""
        return start, (f"the {{% {tag} %}} on this line is never closed: add {{% end{tag} %}} "
                       f"where it should end (Jinja noticed at line {exc.lineno})")

    def _relative(self, filename: str) -> str:
        return self.folders.relative(Path(filename))
