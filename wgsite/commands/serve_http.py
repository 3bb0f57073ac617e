"""What the dev server answers, and to whom: files of the output folder, to its own address.

No path leaves the output folder (decoded once, dot segments refused, every
symlink resolved and checked), no folder is listed, a redirect never names
another host, and a request whose Host or Origin is not the served address
is refused, so a DNS-rebinding page cannot read the preview. HTML pages get
livereload's client script and, after a failed build, the list of problems.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

import livereload
from tornado.web import Application, RequestHandler
from tornado.websocket import WebSocketClosedError, WebSocketHandler

LIVERELOAD_JS = Path(livereload.__file__).parent / "vendors" / "livereload.js"
# The client learns host and port from its own URL, so it works on any served address.
LIVE_SCRIPT = ('<script>(function(){var l=window.location,s=document.createElement("script");'
               's.src="/livereload.js?host="+l.hostname+"&port="+(l.port||80);'
               'document.head.appendChild(s);})();</script>')
HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
         "serverName": "wgsite"}
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
TYPES = {".webp": "image/webp", ".avif": "image/avif", ".ics": "text/calendar",
         ".webmanifest": "application/manifest+json", ".woff2": "font/woff2"}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
              "application/atom+xml", "image/svg+xml", "application/manifest+json")
PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{0}</title></head>'
        '<body><h1>{0}</h1></body></html>')
OVERLAY = ('<div id="wgsite-problems" role="alert" style="position:fixed;top:0;left:0;right:0;'
           'z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;'
           'background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;'
           'font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left">'
           '<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" '
           'style="float:right;font:inherit">&times;</button>'
           '<strong>The build failed; pages show the last good build.</strong>'
           '<ul style="margin:.5rem 0;padding-left:1.25rem">{items}</ul>'
           'Fix it and save: the page reloads.</div>')


def bracketed(host: str) -> str:
    """An address as it appears in a URL: IPv6 in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def request_segments(raw_path: str) -> list[str] | None:
    """The decoded segments of a request path; None when it is not a plain path.

    Decoded exactly once, so `%252e%252e` stays the literal name `%2e%2e`.
    """
    if not raw_path.startswith("/"):
        return None
    try:
        path = unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\\" in path or any(ord(char) < 32 or char == "\x7f" for char in path):
        return None
    segments = [segment for segment in path.split("/") if segment]
    return None if any(segment in (".", "..") for segment in segments) else segments


def content_type(path: str) -> str:
    extension = os.path.splitext(path)[1].lower()
    kind = TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


@dataclass
class Preview:
    """What the server shows and to whom: the output folder and the last build's problems."""

    out: Path
    host: str
    port: int
    problems: list[str] = field(default_factory=list)  # empty after a good build
    browsers: set["LiveReloadSocket"] = field(default_factory=set)

    def allows_host(self, value: str) -> bool:
        """Is `value` (a Host header) an address of this server, not a rebound name?"""
        value = value.strip().lower()
        names = {"127.0.0.1", "localhost", "[::1]", bracketed(self.host).lower()}
        if value in {f"{name}:{self.port}" for name in names}:
            return True
        if self.port == 80 and value in names:
            return True
        # Listening on every interface: any of the machine's addresses, never a name.
        literal = re.fullmatch(r"\[([0-9a-f:.]+)\]:(\d+)|([0-9.]+):(\d+)", value)
        if self.host not in ("0.0.0.0", "::") or literal is None:
            return False
        address, port = literal.group(1, 2) if literal.group(1) else literal.group(3, 4)
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return False
        return port == str(self.port)

    def allows_origin(self, origin: str) -> bool:
        return origin.lower().startswith("http://") and self.allows_host(origin[len("http://"):])

    def locate(self, segments: list[str], folder_wanted: bool) -> tuple[str | None, str | None]:
        """(file to send, None), (None, redirect location) or (None, None): not found."""
        root = os.path.realpath(self.out)
        target = _inside(root, os.path.join(root, *segments))
        if target is None:
            return None, None
        if os.path.isdir(target):
            index = _inside(root, os.path.join(target, "index.html"))
            if index is None or not os.path.isfile(index):
                return None, None  # never a listing
            if folder_wanted:
                return index, None
            return None, "/" + "".join(quote(segment, safe="") + "/" for segment in segments)
        if os.path.isfile(target) and not folder_wanted:
            return target, None
        return None, None

    def decorate(self, page: bytes) -> bytes:
        """The page with the live-reload script and, after a failed build, the problems."""
        extra = LIVE_SCRIPT
        if self.problems:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.problems)
            extra += OVERLAY.format(items=items)
        at = page.lower().rfind(b"</body>")
        if at < 0:
            return page + extra.encode("utf-8")
        return page[:at] + extra.encode("utf-8") + page[at:]

    def reload_browsers(self) -> None:
        for browser in list(self.browsers):
            try:
                browser.write_message(RELOAD)
            except WebSocketClosedError:
                self.browsers.discard(browser)


def _inside(root: str, path: str) -> str | None:
    """`path` with every symlink resolved, if that is still inside `root`."""
    real = os.path.realpath(path)
    return real if real == root or real.startswith(root.rstrip(os.sep) + os.sep) else None


class _Guarded(RequestHandler):
    """Answers only requests addressed to the served host; nothing is cached."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Server", "wgsite")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        if not self.preview.allows_host(self.request.headers.get("Host", "")):
            self.plain(403, "This preview answers only at "
                       f"http://{bracketed(self.preview.host)}:{self.preview.port}/\n")

    def compute_etag(self) -> None:
        return None

    def plain(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)


class SiteHandler(_Guarded):
    """Files of the output folder; HTML pages get the script and the problems."""

    def head(self) -> None:
        self.get()

    def get(self) -> None:
        segments = request_segments(self.request.path)
        if segments is None:
            return self.plain(400, "Bad request\n")
        path, location = self.preview.locate(segments, self.request.path.endswith("/"))
        if location is not None:
            return self.redirect(location)
        if path is None or not self.send(path, 200):
            self.not_found()

    def send(self, path: str, status: int) -> bool:
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:  # replaced by a rebuild between the lookup and now
            return False
        kind = content_type(path)
        if kind.startswith("text/html"):
            data = self.preview.decorate(data)
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.finish(data)
        return True

    def not_found(self) -> None:
        path, _ = self.preview.locate(["404.html"], False)
        if path is None or not self.send(path, 404):
            title = "Not found" if self.preview.out.is_dir() else "Not built yet"
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.preview.decorate(PAGE.format(title).encode("utf-8")))


class LiveReloadScript(_Guarded):
    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(LIVERELOAD_JS.read_bytes())


class LiveReloadSocket(WebSocketHandler, _Guarded):
    """livereload's protocol: answer `hello`, then wait to say `reload`."""

    def check_origin(self, origin: str) -> bool:
        return self.preview.allows_origin(origin)

    def on_message(self, message: str | bytes) -> None:
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.write_message(HELLO)
        elif command == "info":
            self.preview.browsers.add(self)

    def on_close(self) -> None:
        self.preview.browsers.discard(self)


def make_app(preview: Preview) -> Application:
    """The live-reload client and socket, and the output folder; no access log."""
    handlers = [(r"/livereload", LiveReloadSocket), (r"/livereload\.js", LiveReloadScript),
                (r".*", SiteHandler)]
    return Application([(pattern, handler, {"preview": preview})
                        for pattern, handler in handlers],
                       log_function=lambda handler: None, websocket_max_message_size=65536)
