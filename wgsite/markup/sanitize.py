"""Safe HTML from Markdown: allowed URL schemes, and raw HTML through an allowlist.

Links and images may use http, https, mailto or a relative URL; anything else
(javascript:, data:, vbscript:, however obfuscated) is dropped with a warning.
Raw HTML in Markdown goes through nh3's allowlist unless the site trusts it
(`trust_html: true` in data/site.yaml); what the allowlist removes is named in
a warning, so an editor learns why their embed vanished.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers ignore these inside a scheme: "java\tscript:" is "javascript:".
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
# A srcset candidate as HTML parses it: blanks and commas, a URL up to the next blank
# (ASCII whitespace only), then descriptors up to a comma outside parentheses (an
# unclosed parenthesis runs to the end).
_CANDIDATE = re.compile(r"[ \t\n\f\r,]*([^ \t\n\f\r]+)")
_DESCRIPTORS = re.compile(r"(?:[^,(]|\([^)]*\)?)*,?")

TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES["img"] = ATTRIBUTES.get("img", set()) | {"loading", "decoding", "srcset", "sizes"}
# The region a wide table scrolls in (see markdown): named, reachable by keyboard, and
# with only these values, so raw HTML gets no other role or place in the tab order.
ATTRIBUTES["div"] = ATTRIBUTES.get("div", set()) | {"role", "tabindex", "aria-label"}
_ONLY = {("div", "role"): "region", ("div", "tabindex"): "0"}


def _filter(tag: str, name: str, value: str) -> str | None:
    if name == "srcset" and not all(is_safe_url(url) for url in srcset_urls(value)):
        return None
    if (tag, name) in _ONLY and value != _ONLY[tag, name]:
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, url_schemes=set(SAFE_SCHEMES), link_rel=None,
    strip_comments=True, clean_content_tags={"script", "style"}, attribute_filter=_filter,
)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in `value` (entities decoded, blanks removed)."""
    text = _IGNORED_IN_URLS.sub("", html.unescape(html.unescape(value)))
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset's candidates ("a.png 1x, b.png 2x" -> a.png, b.png).

    As a browser parses it (the HTML standard's algorithm): a URL runs to the next
    blank, so a data: URL keeps its comma, and a comma ending a URL ends the
    candidate. The sanitiser and `check` both read srcsets this way, so neither
    misses, or invents, a URL that a browser would fetch.
    """
    urls = []
    position = 0
    while match := _CANDIDATE.match(value, position):
        url, position = match.group(1), match.end()
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            position = _DESCRIPTORS.match(value, position).end()
        if url:
            urls.append(url)
    return urls


def is_safe_url(value: str) -> bool:
    scheme = url_scheme(value)
    return scheme is None or scheme in SAFE_SCHEMES


def clean(fragment: str) -> str:
    """`fragment` with everything outside the allowlist removed."""
    return _CLEANER.clean(fragment)


class _Findings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"the <{tag}> element")
            return
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"the {name} attribute of <{tag}>")
            elif name in ("href", "src", "cite") and value and not is_safe_url(value):
                self.found.append(f"a {url_scheme(value)}: URL in <{tag}>")
            elif name == "srcset" and value:
                for url in srcset_urls(value):
                    if not is_safe_url(url):
                        self.found.append(f"a {url_scheme(url)}: URL in the srcset of <{tag}>")


def unsafe_parts(fragment: str) -> list[str]:
    """What `clean` would remove from `fragment`, in words, in order, once each."""
    parser = _Findings()
    parser.feed(fragment)
    parser.close()
    return list(dict.fromkeys(parser.found))
