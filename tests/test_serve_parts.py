"""The dev server's pure parts: which paths and hosts it accepts, what it adds to a
page, and how the source watcher turns a burst of saves into one change set."""

from __future__ import annotations

import asyncio
import shutil
import sys
from contextlib import suppress
from pathlib import Path

import pytest

from wgsite.commands.serve import (POLL_SECONDS, SETTLE_SECONDS, SourceWatcher,
                                   watched_folders)
from wgsite.folders import SiteFolders
from wgsite.commands.serve_http import Preview, content_type, request_segments


@pytest.mark.parametrize("raw, segments", [
    ("/", []),
    ("/news/", ["news"]),
    ("//news//x", ["news", "x"]),
    ("/caf%C3%A9/", ["café"]),
    ("/%252e%252e/x", ["%2e%2e", "x"]),  # decoded once: a literal name, not a parent
])
def test_request_paths_are_decoded_once_into_segments(raw, segments):
    assert request_segments(raw) == segments


@pytest.mark.parametrize("raw", ["/../x", "/%2e%2e/x", "/a/./b", "/..%5cx", "/a\\b", "/a%00",
                                 "/a%0d%0aSet-Cookie:x", "/%ff", "x", "http://h/x", "*"])
def test_request_paths_that_could_leave_the_folder_are_refused(raw):
    assert request_segments(raw) is None


def test_a_loopback_server_answers_only_to_its_own_names(tmp_path: Path):
    preview = Preview(tmp_path, "127.0.0.1", 8123)
    for host in ("127.0.0.1:8123", "localhost:8123", "[::1]:8123", "LocalHost:8123"):
        assert preview.allows_host(host), host
    for host in ("127.0.0.1", "localhost:8124", "evil.example:8123", "192.168.1.5:8123", ""):
        assert not preview.allows_host(host), host
    assert preview.allows_origin("http://localhost:8123")
    assert not preview.allows_origin("https://localhost:8123")
    assert not preview.allows_origin("http://evil.example:8123")


def test_listening_everywhere_accepts_the_machines_addresses_but_never_a_name(tmp_path: Path):
    preview = Preview(tmp_path, "0.0.0.0", 8123)
    for host in ("192.168.1.5:8123", "[fe80::1]:8123", "0.0.0.0:8123"):
        assert preview.allows_host(host), host
    for host in ("192.168.1.5:8124", "evil.example:8123", "1.2.3.4.evil.example:8123",
                 "fe80::1:8123", "999.1.1.1:8123"):
        assert not preview.allows_host(host), host


def test_a_page_gets_the_script_and_escaped_problems_before_its_last_body_end(tmp_path: Path):
    preview = Preview(tmp_path, "127.0.0.1", 8123)
    page = b"<html><body><p>x</p><!-- </BODY> --></BODY></html>"
    plain = preview.decorate(page)
    assert plain.endswith(b"</BODY></html>") and b"livereload.js" in plain
    assert b"wgsite-problems" not in plain
    preview.problems = ["content/a.md:2: error: unknown group '<b>x</b>'"]
    shown = preview.decorate(page)
    assert b"content/a.md:2: error: unknown group &#x27;&lt;b&gt;x&lt;/b&gt;&#x27;" in shown
    assert b"<b>x" not in shown
    assert shown.index(b"wgsite-problems") > shown.index(b"<!-- </BODY> -->")
    assert preview.decorate(b"<p>no body end</p>").startswith(b"<p>no body end</p><script>")


def test_content_types_name_text_as_utf8():
    assert content_type("a/index.html") == "text/html; charset=utf-8"
    assert content_type("feed.xml").endswith("; charset=utf-8")
    assert content_type("logo.svg") == "image/svg+xml; charset=utf-8"
    assert content_type("photo.webp") == "image/webp"
    assert content_type("_redirects") == "application/octet-stream"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_watcher_reports_a_burst_once_after_a_quiet_poll(tmp_path: Path):
    content = tmp_path / "content"
    _write(content / "a.md", "a")
    watcher = SourceWatcher([content], [])
    assert watcher.poll() == []
    _write(content / "a.md", "a, edited")
    assert watcher.poll() == [], "still moving: wait"
    _write(content / "news/b.md", "b")
    (content / "a.md").unlink()
    assert watcher.poll() == [], "still moving: wait"
    assert watcher.poll() == [str(content / "a.md"), str(content / "news/b.md")]
    assert watcher.poll() == [], "reported once"


def test_the_watcher_looks_again_soon_while_the_tree_moves(tmp_path: Path):
    content = tmp_path / "content"
    _write(content / "a.md", "a")
    watcher = SourceWatcher([content], [])
    idle = watcher.interval
    assert idle == POLL_SECONDS
    _write(content / "a.md", "a, edited")
    assert watcher.poll() == []
    assert watcher.interval == SETTLE_SECONDS < idle, "a save is reported soon after"
    assert watcher.poll() == [str(content / "a.md")]
    assert watcher.interval == idle, "and the tree is polled as before"


def test_the_watcher_skips_output_cache_and_editor_temp_files(tmp_path: Path):
    assets = tmp_path / "assets"
    _write(assets / "site.css", "x")
    watcher = SourceWatcher([assets], [assets / "out", assets / "cache"])
    for name in ("out/index.html", "cache/x", ".site.css.swp", "site.css~", ".#site.css"):
        _write(assets / name, "temporary")
    watcher.poll()
    assert watcher.poll() == []


def test_the_watcher_watches_the_themes_folders_only_when_the_site_is_another(tmp_path: Path):
    theme = SiteFolders.at(tmp_path)
    theme = SiteFolders(root=theme.root, out=theme.out, theme=theme.root)
    assert [path.name for path in watched_folders(theme)] == ["content", "data", "layouts",
                                                              "assets"]
    site = SiteFolders.at(tmp_path)
    assert site.theme / "layouts" in watched_folders(site)
    assert site.theme / "content" not in watched_folders(site)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the wake-ups are Linux's inotify")


@linux_only
def test_a_save_in_a_watched_folder_wakes_the_watcher(tmp_path: Path):
    from wgsite.commands.wakeups import Wakeups

    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news/a.md").write_text("A")
    watcher = SourceWatcher([content], [])
    wakeups = Wakeups()
    try:
        assert wakeups.fileno() is not None
        wakeups.watch(watcher.folders)
        assert not wakeups.drain(), "nothing yet"
        (content / "news/a.md").write_text("A, saved")
        assert wakeups.drain()
        assert not wakeups.drain(), "drained"
        # a folder removed and made again under its name is watched again
        shutil.rmtree(content / "news")
        assert wakeups.drain()
        (content / "news").mkdir()
        (content / "news/b.md").write_text("B")
        watcher.poll()
        wakeups.drain()
        wakeups.watch(watcher.folders)
        (content / "news/b.md").write_text("B, saved")
        assert wakeups.drain()
    finally:
        wakeups.close()


@linux_only
def test_the_wait_for_the_next_poll_ends_when_a_file_is_saved(tmp_path: Path):
    """With the interval made a minute long, only the wake-up can end the wait in time;
    while a burst settles, the watcher waits its short interval, whatever wakes it."""
    from wgsite.commands.serve import _next_poll
    from wgsite.commands.wakeups import Wakeups

    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("A")
    watcher = SourceWatcher([content], [])

    async def run() -> list[str]:
        loop = asyncio.get_running_loop()
        wakeups = Wakeups()
        woken = wakeups.attach(loop)
        try:
            watcher.interval = 60.0
            loop.call_later(0.2, (content / "a.md").write_text, "A, saved")
            await asyncio.wait_for(_next_poll(watcher, wakeups, woken), 30)
            assert watcher.poll() == [], "seen moving: it settles first"
            assert watcher.settling and watcher.interval == SETTLE_SECONDS
            await asyncio.wait_for(_next_poll(watcher, wakeups, woken), 30)
            return watcher.poll()
        finally:
            wakeups.close()

    assert asyncio.run(run()) == [str(content / "a.md")]
    assert not watcher.settling


@linux_only
def test_a_file_written_without_pause_does_not_make_the_watcher_poll_without_pause(
        tmp_path: Path, monkeypatch):
    """An editor's swap file, written again and again, wakes the watcher every time
    and changes nothing it reports; its polls still come no closer together than the
    least gap (or the scan's share of a core)."""
    import wgsite.commands.serve as serve
    from wgsite.commands.wakeups import Wakeups

    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("A")
    log = content / ".a.md.swp"
    log.write_text("")
    watcher = SourceWatcher([content], [])
    monkeypatch.setattr(serve, "MIN_GAP_SECONDS", 0.05)
    monkeypatch.setattr(serve, "POLL_SECONDS", 60.0)  # no gap is the poll's own interval
    watcher.interval = 60.0
    scans = []

    async def run() -> None:
        loop = asyncio.get_running_loop()
        wakeups = Wakeups()
        woken = wakeups.attach(loop)

        async def write() -> None:
            n = 0
            while True:  # until cancelled
                n += 1
                log.write_text(f"line {n}\n")
                await asyncio.sleep(0.001)

        writer = asyncio.create_task(write())
        try:
            for _ in range(8):
                await asyncio.wait_for(serve._next_poll(watcher, wakeups, woken), 30)
                assert watcher.poll() == []
                scans.append(watcher.scanned)
        finally:
            writer.cancel()
            with suppress(asyncio.CancelledError):
                await writer
            wakeups.close()

    asyncio.run(run())
    gaps = [later - earlier for earlier, later in zip(scans, scans[1:])]
    assert gaps and min(gaps) >= 0.045, gaps
