"""`serve` shows the output folder and nothing else, and only to its own address.

Requests go over raw sockets, since HTTP clients tidy `..` away before sending.
One server serves every test here; nothing in this file edits the site.
"""

from __future__ import annotations

import base64
import os
import socket

import pytest

from tests.sitefiles import SITE, write_site
from tests.test_serve import Served

SECRET = "SECRET-MARKER-5d41402a"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("serve") / "site", SITE)
    (site / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    with Served(site) as server:
        out = site / "public"
        os.symlink(site / "secret.txt", out / "leak.txt")
        os.symlink(site, out / "leak")
        write_site(out, {"evil.example/index.html": "<p>a folder named like a host</p>"})
        server.site = site
        yield server


def raw(port: int, target: str, host: str | None = None, headers: str = "") -> tuple[int, bytes]:
    """(status, response head and body) for `GET target`, sent byte for byte."""
    host = f"127.0.0.1:{port}" if host is None else host
    headers = headers or "Connection: close\r\n"
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        response = b""
        while b"\r\n\r\n" not in response and (chunk := sock.recv(65536)):
            response += chunk
        length = int(header(response, "Content-Length") or 0)
        while len(body(response)) < length and (chunk := sock.recv(65536)):
            response += chunk
    return int(response.split(b" ", 2)[1]), response


def header(response: bytes, name: str) -> str | None:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def body(response: bytes) -> bytes:
    return response.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize("target", [
    "/../secret.txt",
    "/../pyproject.toml",
    "/%2e%2e/secret.txt",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e/secret.txt",
    "/..%5csecret.txt",
    "/..%5c..%5cx",
    "/news%00/",
    "/news/%00",
    "/./../secret.txt",
    "/news/../../secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "secret.txt",
    "http://127.0.0.1/../secret.txt",
])
def test_serve_refuses_paths_that_leave_the_output_folder(served, target):
    status, response = raw(served.port, target)
    assert status in (400, 403, 404), response[:200]
    assert SECRET.encode() not in response
    assert b"root:" not in response


def test_serve_does_not_follow_a_symlink_out_of_the_output_folder(served):
    for target in ("/leak.txt", "/leak/secret.txt", "/leak/", "/leak"):
        status, response = raw(served.port, target)
        assert status == 404, target
        assert SECRET.encode() not in response


def test_serve_lists_no_folder(served):
    status, response = raw(served.port, "/assets/")
    assert status == 404
    assert body(response) == body(raw(served.port, "/no-such-folder/")[1]), \
        "a folder without index.html is not found, like anything else"


def test_serve_refuses_a_foreign_host_header(served):
    for host in ("evil.example", f"evil.example:{served.port}", "127.0.0.1.evil.example",
                 f"localhost:{served.port + 1}", ""):
        status, response = raw(served.port, "/about/", host=host)
        assert status in (400, 403), host
        assert b"About us" not in response
    for host in (f"localhost:{served.port}", f"LOCALHOST:{served.port}"):
        status, response = raw(served.port, "/about/", host=host)
        assert status == 200 and b"About us" in response


def test_serve_answers_at_the_served_address(served):
    status, response = raw(served.port, "/about/")
    assert status == 200 and b"About us" in response


def _upgrade(served, origin: str) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    _, response = raw(served.port, "/livereload", headers=(
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n"))
    return response


def test_live_reload_socket_refuses_a_foreign_origin(served):
    for origin in ("http://evil.example", f"http://evil.example:{served.port}", "null",
                   f"https://127.0.0.1:{served.port}.evil.example"):
        response = _upgrade(served, origin)
        assert b"101 Switching Protocols" not in response, origin


def test_live_reload_socket_accepts_the_served_origin(served):
    for origin in (f"http://127.0.0.1:{served.port}", f"http://localhost:{served.port}"):
        response = _upgrade(served, origin)
        assert response.startswith(b"HTTP/1.1 101 Switching Protocols"), response[:200]


def test_serve_never_redirects_to_another_host(served):
    for target in ("//evil.example/", "//evil.example", "/\\evil.example", "//evil.example/%2e%2e",
                   "///evil.example"):
        status, response = raw(served.port, target)
        location = header(response, "Location") or ""
        assert "evil.example" not in location or location.startswith("/evil.example"), target
        assert not location.startswith(("//", "\\", "http"))


def test_serve_redirects_a_folder_to_its_slash_on_the_same_host(served):
    status, response = raw(served.port, "/news")
    assert status in (301, 302)
    assert header(response, "Location") == "/news/"


def test_serve_sends_files_byte_for_byte_and_pages_with_the_script(served):
    out = served.site / "public"
    css = next((out / "assets/css").glob("*.css"))
    status, response = raw(served.port, "/" + css.relative_to(out).as_posix())
    assert status == 200 and body(response) == css.read_bytes()
    assert header(response, "Content-Type").startswith("text/css")
    assert header(response, "Cache-Control") == "no-store"

    status, response = raw(served.port, "/about/")
    page = body(response)
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert header(response, "Cache-Control") == "no-store"
    assert int(header(response, "Content-Length")) == len(page)
    assert page.index(b"livereload.js") < page.index(b"</body>")
    assert page.replace(page[page.index(b"<script>(function"):page.index(b"</body>")], b"") \
        == (out / "about/index.html").read_bytes(), "nothing else changes in the page"


def test_serve_answers_a_missing_page_with_the_sites_404(served):
    status, response = raw(served.port, "/no-such-page/")
    assert status == 404
    assert (served.site / "public/404.html").read_bytes().split(b"</body>")[0] in response
    assert b"livereload.js" in response


def test_serve_serves_the_live_reload_client(served):
    status, response = raw(served.port, "/livereload.js")
    assert status == 200 and b"LiveReload" in body(response)
    assert header(response, "Content-Type").startswith("application/javascript")
