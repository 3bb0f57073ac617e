"""The example site in a real browser: built once for this folder's tests, served on 127.0.0.1
with the headers netlify.toml gives, and opened in Debian's Chromium by Playwright.

The tools come from outside Python: Chromium and a Java runtime from Debian, axe-core
and the Nu HTML Checker from npm (package.json). Where one is missing the tests that
need it skip, naming the command that installs it; on CI (CI=true) they fail instead,
so a green run always means the checks ran.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sitefiles import REPO, build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ON_CI = os.environ.get("CI", "").lower() == "true"


def require(present: bool, what: str, command: str) -> None:
    """Skip (or, on CI, fail) when a tool the browser suite needs is missing."""
    if present:
        return
    message = f"{what} is missing: install it with `{command}`"
    if ON_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# One page of every type of the example site (the event, priority and tag are
# the first of their kind in the build, so renaming one does not break the suite).
def page_types(out: Path) -> dict[str, str]:
    def first(folder: str) -> str:
        names = sorted(p.name for p in (out / folder).iterdir() if (p / "index.html").exists()
                       and p.name != "page")
        return f"/{folder}/{names[0]}/"

    return {
        "home": "/",
        "groups": "/working-groups/",
        "group": "/working-groups/mobility/",
        "news list": "/news/",
        "news item": "/news/working-towards-meaningful-international-cooperation/",
        "projects": "/projects/",
        "project": "/projects/venhans/",
        "events": "/events/",
        "event": first("events"),
        "priorities": "/priorities/",
        "priority": first("priorities"),
        "organisations": "/organisations/",
        "organisation": "/organisations/evta/",
        "tags": "/tags/",
        "tag": first("tags"),
        "about": "/about/",
        "search": "/search/?q=VENHANS",
        "404": "/no/such/page/",
        # the French pages: translated, and lists holding untranslated items, labelled
        "home (fr)": "/fr/",
        "group (fr)": "/fr/working-groups/mobility/",
        "news list (fr)": "/fr/news/",
        "news item (fr)": "/fr/news/working-towards-meaningful-international-cooperation/",
        "priority (fr)": "/fr" + first("priorities"),
        "search (fr)": "/fr/search/?q=mobilit%C3%A9",
    }


PAGE_TYPES = ["home", "groups", "group", "news list", "news item", "projects", "project",
              "events", "event", "priorities", "priority", "organisations", "organisation",
              "tags", "tag", "about", "search", "404", "home (fr)", "group (fr)",
              "news list (fr)", "news item (fr)", "priority (fr)", "search (fr)"]


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in path.split("*")))


def netlify_headers(out: Path | None = None) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """netlify.toml's [[headers]] rules, then those of the built site's _headers (in `out`):
    a path pattern (* matches anything) and values."""
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    rules = [(_pattern(rule["for"]),
              {name: str(value) for name, value in rule.get("values", {}).items()})
             for rule in config.get("headers", [])]
    headers_file = out / "_headers" if out is not None else None
    if headers_file is not None and headers_file.exists():
        for line in headers_file.read_text(encoding="utf-8").splitlines():
            if line and not line[0].isspace():
                rules.append((_pattern(line.strip()), {}))
            elif line.strip():
                name, _, value = line.strip().partition(":")
                rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(path: str, rules: list[tuple[re.Pattern[str], dict[str, str]]]
                ) -> dict[str, str]:
    """As Netlify does: every matching rule applies; a repeated header joins with commas."""
    headers: dict[str, str] = {}
    for pattern, values in rules:
        if pattern.fullmatch(path):
            for name, value in values.items():
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class _Handler(http.server.SimpleHTTPRequestHandler):
    rules: list[tuple[re.Pattern[str], dict[str, str]]] = []
    # The path the site is published under: the output folder answers there, and
    # nothing answers outside it, as behind a proxy that maps /network/ to the deploy.
    prefix = "/"

    def _site_path(self) -> str | None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return None
        return "/" + path[len(self.prefix):]

    def translate_path(self, path: str) -> str:
        site_path = self._site_path()
        if site_path is None:
            return str(Path(self.directory) / ".outside-the-base-path")  # no such file: 404
        return super().translate_path(site_path)

    def end_headers(self) -> None:
        # The deploy's _headers name paths inside the output folder.
        for name, value in headers_for(self._site_path() or "", self.rules).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        # As Netlify does: a missing page is answered with 404.html and status 404.
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="package")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once for the whole browser suite."""
    out = tmp_path_factory.mktemp("browser") / "public"
    status, _ = build(REPO, "--out", str(out))
    assert status == 0, "the example site must build"
    return out


def _serve(out: Path, prefix: str = "/") -> Iterator[str]:
    """`out` served on 127.0.0.1 under `prefix` with netlify.toml's headers; yields the
    URL of the site's root without its last slash, so that `url + "/news/"` is a page."""
    handler = type("Handler", (_Handler,), {"rules": netlify_headers(out), "prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{prefix.rstrip('/')}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def site_url(built_example: Path) -> Iterator[str]:
    """The built example site served on 127.0.0.1 with netlify.toml's headers."""
    yield from _serve(built_example)


# A site published under a path, as many networks' sites are (https://example.org/network/).
BASE_PATH = "/network/"


@pytest.fixture(scope="package")
def built_under_base_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built for https://example.org/network/."""
    out = tmp_path_factory.mktemp("browser-base") / "public"
    status, _ = build(REPO, "--out", str(out), "--base-url", "https://example.org" + BASE_PATH)
    assert status == 0, "the example site must build under a base path"
    return out


@pytest.fixture(scope="package")
def base_path_url(built_under_base_path: Path) -> Iterator[str]:
    """That build served under /network/ (and nothing outside it)."""
    yield from _serve(built_under_base_path, BASE_PATH)


class Served:
    """A build of the example site being served: `url` + a site path is a page of it,
    `href(site path)` is what its links say (with the base path)."""

    def __init__(self, url: str, base: str, out: Path):
        self.url, self.base, self.out = url, base, out

    def href(self, site_path: str) -> str:
        return self.base + site_path.lstrip("/")

    def __repr__(self) -> str:
        return f"Served({self.base})"


@pytest.fixture(scope="package", params=["root", "base path"])
def served(request: pytest.FixtureRequest) -> Served:
    """The example site at the root of its host, then under /network/: a test taking
    this runs once for each."""
    if request.param == "root":
        return Served(request.getfixturevalue("site_url"), "/",
                      request.getfixturevalue("built_example"))
    return Served(request.getfixturevalue("base_path_url"), BASE_PATH,
                  request.getfixturevalue("built_under_base_path"))


@pytest.fixture(scope="package")
def pages(built_example: Path) -> dict[str, str]:
    return page_types(built_example)


# Package scope: Playwright's sync API keeps an event loop running in the main thread
# while it is open, where the other tests call asyncio.run.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python", "pip install -e '.[test]'")
    require(CHROMIUM.exists(), "Chromium", "apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def axe_script() -> Path:
    require(AXE.exists(), "axe-core (node_modules)", "npm ci")
    return AXE


@pytest.fixture(scope="package")
def vnu() -> list[str]:
    java = shutil.which("java")
    require(java is not None, "Java", "apt-get install -y default-jre-headless")
    require(VNU.exists(), "the Nu HTML Checker (node_modules/vnu-jar)", "npm ci")
    return [str(java), "-jar", str(VNU)]
