"""`serve` builds, serves on 127.0.0.1 and rebuilds when a source changes.

Each test runs `python build.py serve` as a user would, on a small site in a
tmp dir, and watches it from outside: pages over HTTP, the terminal's lines,
the live-reload socket. Waits poll with short sleeps up to generous deadlines.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from tests.sitefiles import BUILD_EPOCH, REPO, run_cli, write_site

DEADLINE = 30


class Served:
    """`python build.py serve --port 0 ARGS` in a subprocess; its terminal kept in `lines`."""

    def __init__(self, site: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site),
             "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = 0

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def __enter__(self) -> "Served":
        serving = self.wait_line(lambda line: line.startswith("Serving "))
        if serving is None:
            self.stop()
            raise AssertionError("serve did not start:\n" + self.output)
        self.port = int(re.search(r":(\d+)/", serving).group(1))
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        return self.process.returncode

    def exit_status(self) -> int:
        """Wait for it to end on its own (killed after the deadline)."""
        try:
            self.process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        return self.process.returncode

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_line(self, wanted, seconds: float = DEADLINE) -> str | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if wanted(line):
                    return line
            if self.process.poll() is not None and not self._reader.is_alive():
                return None
            time.sleep(0.05)
        return None

    def rebuilds(self) -> list[str]:
        """The terminal's "Rebuilt ..." lines for changes to content/ (the theme may move too)."""
        return [line for line in self.lines if line.startswith("Rebuilt ") and "content/" in line]


def fetch(url: str) -> tuple[int, str] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, wanted, seconds: float = DEADLINE) -> str | None:
    """The body at `url` once `wanted(body)` holds (a string: once it contains it)."""
    check = (lambda body: wanted in body) if isinstance(wanted, str) else wanted
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = fetch(url)
        if answer is not None and check(answer[1]):
            return answer[1]
        time.sleep(0.1)
    return None


ABOUT = "---\ntitle: About us\nsummary: Who we are.\n---\n{}\n"
OVERLAY = 'id="wgsite-problems"'


def test_serve_rebuilds_when_markdown_changes(site: Path):
    with Served(site) as served:
        url = served.url("/about/")
        assert wait_for(url, "Who we are"), "the server serves the built site"
        write_site(site, {"content/about.md": ABOUT.format("Freshly edited text.")})
        body = wait_for(url, "Freshly edited text.")
        assert body is not None, "the edit shows after a rebuild"
        assert "livereload" in body, "the page carries the live-reload script"
    assert "Serving public on http://127.0.0.1:" in served.output
    assert "Traceback" not in served.output


def _index_of(out: Path) -> dict[str, bytes]:
    folder = out / "pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_serve_updates_the_search_index_after_the_reload(site: Path, tmp_path: Path,
                                                        monkeypatch):
    # A rebuild writes the pages with the previous index, reloads, then indexes.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)  # the clean build's "today"
    with Served(site) as served:
        url = served.url("/about/")
        assert wait_for(url, "Who we are")
        before = _index_of(site / "public")
        write_site(site, {"content/about.md": ABOUT.format("Zanzibar harbour text.")})
        assert wait_for(url, "Zanzibar")
        copy = tmp_path / "copy"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(
            "public", ".public.*", ".wgsite-cache"))  # .public.*: a rebuild's staging
        done = run_cli("build", "--site", str(copy), "--drafts", "--base-url", served.url("/"))
        assert done.returncode == 0, done.stderr
        want = _index_of(copy / "public")
        assert want != before
        deadline = time.monotonic() + DEADLINE
        while _index_of(site / "public") != want and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _index_of(site / "public") == want, "the new index is what a clean build makes"
    assert "Traceback" not in served.output and "error" not in served.output


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_edits_in_quick_succession_end_with_what_a_clean_build_makes(site: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch):
    # Rebuilds in serve change the output in place, and an edit that comes while
    # the index of the previous one is being made stops that indexer; whatever
    # the timing, public/ ends as a clean build of the last state makes it.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    with Served(site) as served:
        url = served.url("/about/")
        assert wait_for(url, "Who we are")
        for word in ("Zanzibar", "Quito", "Reykjavik"):
            write_site(site, {"content/about.md": ABOUT.format(f"{word} harbour text.")})
            assert wait_for(url, word, seconds=DEADLINE)
        write_site(site, {"content/news/2026-03-10-third-news.md": None})
        assert wait_for(served.url("/news/third-news/"), lambda body: "Third news" not in body)
        copy = tmp_path / "copy"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(
            "public", ".public.*", ".wgsite-cache"))
        done = run_cli("build", "--site", str(copy), "--drafts", "--base-url", served.url("/"))
        assert done.returncode == 0, done.stderr
        want = _tree(copy / "public")
        deadline = time.monotonic() + DEADLINE
        while _tree(site / "public") != want and time.monotonic() < deadline:
            time.sleep(0.1)
        got = _tree(site / "public")
        assert sorted(p for p in want.keys() | got.keys() if want.get(p) != got.get(p)) == []
    assert "Traceback" not in served.output and "error" not in served.output


def test_serve_rebuilds_when_a_template_or_data_changes(site: Path):
    with Served(site) as served:
        url = served.url("/about/")
        assert wait_for(url, "Who we are")
        write_site(site, {"layouts/page.html": '{% extends "base.html" %}{% block content %}'
                          '<p>Site layout for {{ page.title }}</p>{% endblock %}'})
        assert wait_for(url, "Site layout for About us"), "a new site template is used"
        site_yaml = (site / "data/site.yaml").read_text(encoding="utf-8")
        write_site(site, {"data/site.yaml": site_yaml.replace("Test Network", "Renamed Network")})
        assert wait_for(url, "Renamed Network"), "a data edit shows"
    assert "Traceback" not in served.output


def test_serve_shows_a_failed_build_over_the_last_good_page_until_fixed(site: Path):
    with Served(site) as served:
        url = served.url("/about/")
        assert wait_for(url, "Our story")
        write_site(site, {"content/about.md": "---\ntitle: [\nsummary: Broken\n---\nNew text.\n"})
        body = wait_for(url, OVERLAY)
        assert body is not None, "the problems are laid over the page"
        shown = re.search(r"content/about\.md:(\d+)(:\d+)?: error: [^<]+", body)
        assert shown, "the overlay names the file and line"
        assert "Our story" in body and "New text." not in body, "the last good page stays"
        assert fetch(served.url("/"))[1].count(OVERLAY) == 1, "every page shows the problems"
        assert served.wait_line(lambda line: line.startswith(html.unescape(shown.group(0)))), \
            "the terminal shows the same problem, as build does"
        assert served.wait_line(lambda line: "the site was not built; the previous output is "
                                "unchanged." in line)
        write_site(site, {"content/about.md": ABOUT.format("Fixed text.")})
        # Browsers reload once the problems are cleared, a moment after the files change.
        assert wait_for(url, lambda body: "Fixed text." in body and OVERLAY not in body), \
            "a good build clears the problems"
    assert "Traceback" not in served.output


def test_serve_starts_and_shows_the_problems_when_the_first_build_fails(site: Path):
    news = site / "content/news/2026-02-10-second-news.md"
    good = news.read_text(encoding="utf-8")
    news.write_text(good.replace("[mobility]", '["<b>mobilty</b>"]'), encoding="utf-8")
    with Served(site) as served:
        status, body = fetch(served.url("/news/"))
        assert status == 404 and "Not built yet" in body
        assert OVERLAY in body and "livereload" in body
        assert "content/news/2026-02-10-second-news.md:" in body
        assert "&lt;b&gt;mobilty&lt;/b&gt;" in body and "<b>mobilty" not in body, \
            "problem text is escaped"
        news.write_text(good, encoding="utf-8")
        body = wait_for(served.url("/news/"), "Second news")
        assert body is not None and OVERLAY not in body
    assert "Traceback" not in served.output


def test_serve_coalesces_a_burst_of_edits_into_one_rebuild(site: Path):
    pages = ["about.md", "news/2026-01-10-first-news.md", "news/2026-02-10-second-news.md",
             "news/2026-03-10-third-news.md", "working-groups/adult-learning.md"]
    with Served(site) as served:
        assert wait_for(served.url("/about/"), "Who we are")
        edits = {f"content/{page}": (site / "content" / page).read_text(encoding="utf-8")
                 + f"\nBurst edit {number}.\n" for number, page in enumerate(pages)}
        write_site(site, edits)
        assert wait_for(served.url("/working-groups/adult-learning/"), "Burst edit 4.")
        assert wait_for(served.url("/about/"), "Burst edit 0.")
        assert served.wait_line(lambda line: line.startswith("Rebuilt ")), served.output
        time.sleep(1)  # room for a second rebuild, were there one
        assert len(served.rebuilds()) == 1, served.output
        assert "and 2 more" in served.rebuilds()[0], "the rebuild names what changed"


def test_serve_ignores_editor_temp_files(site: Path):
    with Served(site) as served:
        assert wait_for(served.url("/about/"), "Who we are")
        write_site(site, {"content/.about.md.swp": "x", "content/about.md~": "x",
                          "content/.#notes": "x"})
        time.sleep(1)
        write_site(site, {"content/about.md": ABOUT.format("After temp files.")})
        assert wait_for(served.url("/about/"), "After temp files."), served.output
        assert served.wait_line(lambda line: line.startswith("Rebuilt ")), served.output
        assert len(served.rebuilds()) == 1, served.output
        assert "about.md~" not in served.output and ".swp" not in served.output


def test_live_reload_socket_reloads_browsers_after_good_and_failed_builds(site: Path):
    async def browser(port: int) -> list[dict]:
        origin = f"http://localhost:{port}"
        socket = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload",
                                                     headers={"Origin": origin}))
        await socket.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        messages = [json.loads(await asyncio.wait_for(socket.read_message(), DEADLINE))]
        await socket.write_message(json.dumps({"command": "info", "url": origin + "/about/"}))
        await asyncio.sleep(0.3)
        write_site(site, {"content/about.md": ABOUT.format("Good edit.")})
        messages.append(json.loads(await asyncio.wait_for(socket.read_message(), DEADLINE)))
        write_site(site, {"content/about.md": "---\ntitle: [\n---\n"})
        messages.append(json.loads(await asyncio.wait_for(socket.read_message(), DEADLINE)))
        socket.close()
        return messages

    with Served(site) as served:
        hello, after_good, after_failed = asyncio.run(browser(served.port))
    assert hello["command"] == "hello"
    assert "http://livereload.com/protocols/official-7" in hello["protocols"]
    assert after_good["command"] == "reload"
    assert after_failed["command"] == "reload", "browsers reload to show the problems"


def test_serve_stops_cleanly_on_ctrl_c(site: Path):
    with Served(site) as served:
        assert wait_for(served.url("/"), "Welcome")
        status = served.stop(signal.SIGINT)
    assert status == 0
    assert "Stopped." in served.output
    assert "Traceback" not in served.output


def test_serve_warns_when_listening_beyond_this_machine(site: Path):
    # 192.0.2.1 is reserved for documentation: nothing here owns it, so listening fails.
    served = Served(site, "--host", "192.0.2.1")
    assert served.exit_status() == 1
    assert "warning: listening on 192.0.2.1" in served.output
    assert "visible to the network" in served.output
    assert "error: cannot listen on 192.0.2.1:0" in served.output
    assert "Traceback" not in served.output


def test_serve_says_when_the_port_is_taken(site: Path):
    with Served(site) as first:
        second = Served(site, "--port", str(first.port))
        assert second.exit_status() == 1
    assert f"error: cannot listen on 127.0.0.1:{first.port}" in second.output
    assert "warning" not in second.output and "Traceback" not in second.output
