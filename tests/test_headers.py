"""netlify.toml's headers, and a proof without a browser that the built site obeys its
Content-Security-Policy: no inline script or style, nothing loaded from another host.

The colours of data/site.yaml, once an inline <style>, are a generated stylesheet now;
its tests are here because the policy is why it exists."""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import headers_for as headers_for_path
from tests.browser.conftest import netlify_headers
from tests.htmlpage import HtmlPage
from tests.sitefiles import DATA, REPO, build, site_pages, write_site
from tests.test_seo import BASE_URLS, build_example
from wgsite.markup.sanitize import srcset_urls

STRICT = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
          "base-uri 'self'; frame-ancestors 'none'; manifest-src 'self'; object-src 'none'")
# On /*, the part of the policy that the site and /admin/ share; the rest comes per path
# from the _headers the build writes (see netlify.toml and wgsite/outputs/headers.py).
BASE = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
HEADERS = {
    "Content-Security-Policy": BASE,
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), browsing-topics=()",
    "X-Frame-Options": "DENY",
}


def netlify() -> dict:
    return tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))


def headers_for(path: str) -> dict[str, str]:
    rules = [rule["values"] for rule in netlify()["headers"] if rule["for"] == path]
    assert len(rules) == 1, f"one [[headers]] rule for {path}"
    return rules[0]


def parse_policy(text: str) -> dict[str, list[str]]:
    directives = [d.split() for d in text.split(";")]
    return {d[0]: d[1:] for d in directives if d}


def policy() -> dict[str, list[str]]:
    """The Content-Security-Policy of every page, as directive -> sources."""
    return parse_policy(STRICT)


def served_policies(out: Path, path: str) -> list[str]:
    """The policies Netlify would send for `path`: netlify.toml's and the built _headers'."""
    value = headers_for_path(path, netlify_headers(out)).get("Content-Security-Policy", "")
    return [p.strip() for p in value.split(",") if p.strip()]


def test_the_build_settings_stay():
    build_settings = netlify()["build"]
    # npm ci brings Decap CMS for /admin/; --ignore-scripts runs no package's code
    assert build_settings["command"] == ("npm ci --ignore-scripts && pip install . && "
                                         "python build.py build")
    assert build_settings["publish"] == "public"
    assert build_settings["environment"] == {"PYTHON_VERSION": "3.11"}


def test_every_response_carries_the_security_headers():
    assert headers_for("/*") == HEADERS


def test_fingerprinted_assets_are_cached_for_a_year_and_pages_revalidate():
    assert headers_for("/assets/*") == {"Cache-Control": "public, max-age=31536000, immutable"}
    # Netlify joins a header set by two matching rules, so a Cache-Control on /* would be
    # added to the assets' one; pages get Netlify's "public, max-age=0, must-revalidate".
    assert "Cache-Control" not in headers_for("/*")
    assert {rule["for"] for rule in netlify()["headers"]} == {"/*", "/assets/*"}


def test_the_policy_blocks_inline_code_and_other_hosts():
    csp = policy()
    assert csp["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
        assert not any("." in source or source == "*" for source in csp[directive])
    assert csp["frame-ancestors"] == csp["object-src"] == ["'none'"]


# ---------- the static proof ----------

class _Resources(HTMLParser):
    """What a browser would check against the policy on one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (directive or problem, url, where)
        self._script: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag}>"
        for name in values:
            if name == "style":
                self.found.append(("inline style attribute", values[name], where))
            if re.fullmatch(r"on[a-z]+", name):
                self.found.append(("inline event handler", name, where))
        for name in ("href", "src", "action", "formaction", "poster"):
            if values.get(name, "").strip().lower().startswith("javascript:"):
                self.found.append(("javascript: URL", values[name], where))
        rel = values.get("rel", "").lower().split()
        if tag == "style":
            self.found.append(("inline <style> element", "", where))
        elif tag == "script":
            if "src" in values:
                self.found.append(("script-src", values["src"], where))
            self._script, self._text = values, []
        elif tag == "link":
            kind = {"stylesheet": "style-src", "icon": "img-src", "manifest": "manifest-src",
                    "apple-touch-icon": "img-src"}
            preload = {"style": "style-src", "script": "script-src", "font": "font-src",
                       "image": "img-src", "fetch": "connect-src"}
            for word in rel:
                if word in kind:
                    self.found.append((kind[word], values.get("href", ""), where))
                if word in ("preload", "modulepreload"):
                    self.found.append((preload.get(values.get("as", "script"), "default-src"),
                                       values.get("href", ""), where))
            # not fetched (canonical, alternate...), but no <link> should name another host
            self.found.append(("same-site link", values.get("href", ""), where))
        elif tag in ("img", "source", "input") or "poster" in values:
            for name in ("src", "poster"):
                if name in values:
                    directive = "media-src" if tag == "source" and name == "src" else "img-src"
                    self.found.append((directive, values[name], where))
            for url in srcset_urls(values.get("srcset", "")):
                self.found.append(("img-src", url, where))
        if tag in ("iframe", "frame"):
            self.found.append(("frame-src", values.get("src", ""), where))
        elif tag in ("object", "embed"):
            self.found.append(("object-src", values.get("data") or values.get("src", ""), where))
        elif tag in ("audio", "video") and "src" in values:
            self.found.append(("media-src", values["src"], where))
        elif tag == "form":
            self.found.append(("form-action", values.get("action", ""), where))
        elif tag == "base":
            self.found.append(("base-uri", values.get("href", ""), where))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._text)
            if "src" not in self._script:
                if self._script.get("type") != "application/ld+json":
                    self.found.append(("inline <script>", body[:60], "<script>"))
                else:
                    try:
                        json.loads(body)
                    except ValueError:
                        self.found.append(("a JSON-LD block that is not JSON", body[:60],
                                           "<script>"))
            self._script = None


_FALLBACK = {"frame-src": "child-src", "child-src": "default-src"}


def _allowed(csp: dict[str, list[str]], directive: str, url: str, origin: str) -> bool:
    while directive not in csp and directive != "default-src":
        directive = _FALLBACK.get(directive, "default-src")
    sources = csp.get(directive, [])
    parts = urlsplit(url)
    if parts.scheme == "data":
        return "data:" in sources
    same_origin = (not parts.scheme and not url.startswith("//")) or \
        f"{parts.scheme}://{parts.netloc}" == origin
    return same_origin and "'self'" in sources


def violations(html: str, csp: dict[str, list[str]], base_url: str) -> list[str]:
    """Everything in `html` that `csp` would block, or that fetches from another host."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    reader = _Resources()
    reader.feed(html)
    reader.close()
    found = []
    for what, url, where in reader.found:
        if what == "same-site link":
            if urlsplit(url).netloc and not url.startswith(origin + "/"):
                found.append(f"{where} links to another host: {url}")
        elif what.endswith("-src") or what in ("form-action", "base-uri"):
            if not _allowed(csp, what, url, origin):
                found.append(f"{where} {url!r} is not allowed by {what}")
        else:
            found.append(f"{where} {what}: {url}")
    return found


def test_the_checker_finds_what_the_policy_blocks():
    """The proof below means something only if this reader sees each kind of breach."""
    csp = policy()
    bad = ('<style>p{}</style><p style="color:red" onclick="x()">'
           '<script>alert(1)</script><script src="https://cdn.example.net/x.js"></script>'
           '<script type="application/ld+json">{"a": </script>'
           '<link rel="stylesheet" href="https://fonts.example.net/css">'
           '<link rel="preload" as="font" href="//fonts.example.net/f.woff2">'
           '<img src="https://img.example.net/a.png" srcset="/a.png 1x, http://x.example/b.png 2x">'
           '<a href="javascript:alert(1)">x</a><iframe src="/frame/"></iframe>'
           '<form action="https://forms.example.net/"></form>')
    assert violations(bad, csp, "https://example.org/wg/") == [
        "<style> inline <style> element: ",
        "<p> inline style attribute: color:red",
        "<p> inline event handler: onclick",
        "<script> inline <script>: alert(1)",
        "<script> 'https://cdn.example.net/x.js' is not allowed by script-src",
        '<script> a JSON-LD block that is not JSON: {"a": ',
        "<link> 'https://fonts.example.net/css' is not allowed by style-src",
        "<link> links to another host: https://fonts.example.net/css",
        "<link> '//fonts.example.net/f.woff2' is not allowed by font-src",
        "<link> links to another host: //fonts.example.net/f.woff2",
        "<img> 'https://img.example.net/a.png' is not allowed by img-src",
        "<img> 'http://x.example/b.png' is not allowed by img-src",
        "<a> javascript: URL: javascript:alert(1)",
        "<iframe> '/frame/' is not allowed by frame-src",
        "<form> 'https://forms.example.net/' is not allowed by form-action",
    ]
    fine = ('<script type="application/ld+json">{"a": 1}</script>'
            '<script src="/wg/assets/js/a.js"></script>'
            '<link rel="stylesheet" href="https://example.org/wg/assets/css/s.css">'
            '<img src="data:image/png;base64,AAAA" srcset="a.png 1x, /wg/b.png 2x">'
            '<a href="https://elsewhere.example.net/">another site</a>'
            '<form action="/wg/search/"></form>')
    assert violations(fine, csp, "https://example.org/wg/") == []


@pytest.fixture(scope="module", params=BASE_URLS)
def built(request, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("csp") / "public"
    args = () if request.param == BASE_URLS[0] else ("--base-url", request.param)
    return build_example(out, *args), request.param


def test_every_built_page_is_served_with_the_strict_policy(built):
    out, _ = built
    pages = site_pages(out)
    assert len(pages) > 80
    for page in pages:
        path = "/" + page.relative_to(out).as_posix().removesuffix("index.html")
        assert served_policies(out, path) == [BASE, STRICT], path
    for other in ("/", "/index.html", "/feed.xml", "/sitemap.xml", "/events.ics",
                  "/pagefind/pagefind.js", "/assets/css/x.css", "/search/"):
        assert served_policies(out, other) == [BASE, STRICT], other


def test_only_the_content_manager_gets_its_looser_policy(built):
    out, _ = built
    admin = served_policies(out, "/admin/")
    assert admin[0] == BASE and len(admin) == 2
    csp = parse_policy(admin[1])
    assert csp["script-src"] == ["'self'", "'unsafe-eval'"]  # ajv compiles Decap's schema
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # emotion's inline styles
    assert csp["default-src"] == csp["frame-ancestors"] == csp["object-src"] == ["'none'"]
    assert served_policies(out, "/admin/config.yml") == admin
    # a path nothing was built for still gets the base policy, never the admin one
    assert served_policies(out, "/no/such/page/") == [BASE]
    assert served_policies(out, "/administration/") == [BASE]


def test_every_built_page_obeys_the_policy(built):
    out, base_url = built
    csp = policy()
    pages = site_pages(out)
    assert len(pages) > 80
    found = {path.relative_to(out).as_posix(): problems for path in pages
             if (problems := violations(path.read_text(encoding="utf-8"), csp, base_url))}
    assert found == {}


def test_every_stylesheet_loads_only_from_the_site(built):
    out, base_url = built
    sheets = sorted(out.rglob("*.css"))
    assert any(p.name.startswith("colours.") for p in sheets)
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + \
                re.findall(r"@import\s+['\"]([^'\"]+)", css):
            assert url.startswith("data:") or not urlsplit(url).netloc \
                or url.startswith(base_url), (sheet, url)


# ---------- the colours, as a stylesheet instead of an inline <style> ----------

def _stylesheets(page: HtmlPage) -> list[str]:
    return [link.attrs["href"] for link in page.all("link")
            if link.attrs.get("rel") == "stylesheet"]


def test_the_colours_of_site_yaml_are_a_fingerprinted_stylesheet_linked_first(site, capsys):
    assert build(site, capsys=capsys)[0] == 0
    page = HtmlPage.read(site / "public/index.html")
    sheets = _stylesheets(page)
    assert re.fullmatch(r"/assets/css/colours\.[0-9a-f]{10}\.css", sheets[0])
    assert re.fullmatch(r"/assets/css/site\.[0-9a-f]{10}\.css", sheets[1])
    css = (site / "public" / sheets[0].lstrip("/")).read_text(encoding="utf-8")
    assert ":root {\n  --primary: #1f4e79;\n}" in css
    assert page.all("style") == []

    write_site(site, {"data/site.yaml": DATA["data/site.yaml"].replace(
        'colours: {primary: "#1f4e79"}',
        'colours: {primary: "rgb(10 20 30)", accent: "#c8102e", text: navy}')})
    assert build(site, capsys=capsys)[0] == 0
    changed = _stylesheets(HtmlPage.read(site / "public/index.html"))[0]
    assert changed != sheets[0]
    css = (site / "public" / changed.lstrip("/")).read_text(encoding="utf-8")
    assert "  --primary: rgb(10 20 30);\n  --accent: #c8102e;\n  --text: navy;\n" in css
    assert not (site / "public" / sheets[0].lstrip("/")).exists()


def test_a_site_without_colours_has_no_colour_stylesheet(site, capsys):
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"].replace(
        'colours: {primary: "#1f4e79"}\n', "")})
    assert build(site, capsys=capsys)[0] == 0
    sheets = _stylesheets(HtmlPage.read(site / "public/index.html"))
    assert re.fullmatch(r"/assets/css/site\.[0-9a-f]{10}\.css", sheets[0])
    assert not any("colours" in sheet for sheet in sheets)
    assert not list((site / "public/assets/css").glob("colours.*"))


def test_a_colour_that_is_not_a_css_colour_names_its_line(site, capsys):
    write_site(site, {"data/site.yaml": DATA["data/site.yaml"].replace(
        'colours: {primary: "#1f4e79"}\n',
        'colours:\n  primary: "#1f4e79"\n  accent: "red; } body { display: none"\n'
        '  text: "#12345"\n')})
    before = (site / "public").exists()
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("data/site.yaml:13: error: 'colours.accent' must be a CSS colour such as #1f4e79, "
            "rgb(31 78 121) or navy, not 'red; } body { display: none'"
            ) in err
    assert "data/site.yaml:14: error: 'colours.text' must be a CSS colour" in err
    assert "not '#12345'" in err
    assert (site / "public").exists() == before


def test_a_site_file_cannot_take_the_colour_stylesheet_name(site, capsys):
    write_site(site, {"assets/css/colours.css": ":root { --primary: red; }\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("assets/css/colours.css: error: wgsite writes this file from the colours in "
            "data/site.yaml; give yours another name") in err


def test_a_small_site_in_the_default_theme_obeys_the_policy_too(site, capsys):
    assert build(site, capsys=capsys)[0] == 0
    pages = site_pages(site / "public")
    assert pages
    for path in pages:
        assert violations(path.read_text(encoding="utf-8"), policy(),
                          "https://test.example.org/") == [], path
