"""`serve` builds, serves on 127.0.0.1 and rebuilds when a source changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.sitefiles import REPO, write_site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return body
        time.sleep(0.2)
    return None


def test_serve_rebuilds_when_markdown_changes(site: Path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = f"http://127.0.0.1:{port}/about/"
        assert wait_for(url, "Who we are", 30), "the server serves the built site"
        write_site(site, {"content/about.md":
                          "---\ntitle: About us\nsummary: Who we are.\n---\nFreshly edited text.\n"})
        body = wait_for(url, "Freshly edited text.", 30)
        assert body is not None, "the edit shows after a rebuild"
        assert "livereload" in body, "the page carries the live-reload script"
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert "Serving public on http://127.0.0.1:" in output
    assert "Traceback" not in output
