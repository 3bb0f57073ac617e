"""A cold build keeps both cores busy: what waits for what, and what it leaves behind.

Pagefind starts as soon as the last page is rendered, while the feeds, the
calendars and /admin/ are made; the converted Markdown is written to the
cache once Pagefind is at work (or when the build stops); Markdown's
workers are forked when the build has one thread. These tests build small
sites in temporary folders and check the order of those steps, that a build
failing before or after Pagefind started leaves no Pagefind and keeps what
it converted, and that forked and served workers make the same site.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

import wgsite.markup.markdown as markdown_module
import wgsite.outputs.admin as admin_module
import wgsite.outputs.machine as machine_module
import wgsite.outputs.search as search_module
from tests.sitefiles import SITE, build, many_posts, tree, write_site
from wgsite.forking import can_fork
from wgsite.markup.markdown import POOL_THRESHOLD

POSTS = POOL_THRESHOLD + 6  # enough documents for Markdown's workers
BASES = [[], ["--base-url", "https://example.org/wg/"]]


def converted(err: str) -> int:
    line = next(line for line in err.splitlines() if line.strip().startswith("markdown "))
    return int(line.split(" converted")[0].rsplit(", ", 1)[-1].replace(",", ""))


def pagefind_running_under(folder: Path) -> list[str]:
    """Command lines of Pagefind processes still working on a folder under `folder`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path("/proc", entry, "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"pagefind" in command and os.fsencode(folder) in command:
            found.append(command.decode(errors="replace"))
    return found


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {**SITE, **many_posts(POSTS)})


@pytest.mark.parametrize("base", BASES)
def test_pagefind_starts_before_the_feeds_and_admin_are_made(big, capsys, monkeypatch, base):
    steps: list[str] = []
    start, feeds, admin = (search_module._Indexer.start, machine_module.language_outputs,
                           admin_module.admin_files)

    def indexer_starts(self):
        steps.append("pagefind")
        return start(self)

    def feeds_made(*args, **kwargs):
        steps.append("feeds")
        return feeds(*args, **kwargs)

    def admin_made(*args, **kwargs):
        steps.append("admin")
        return admin(*args, **kwargs)

    monkeypatch.setattr(search_module._Indexer, "start", indexer_starts)
    monkeypatch.setattr(machine_module, "language_outputs", feeds_made)
    monkeypatch.setattr(admin_module, "admin_files", admin_made)
    status, err = build(big, *base, capsys=capsys)
    assert status == 0, err
    assert steps == ["pagefind", "feeds", "admin"]
    assert (big / "public/pagefind/pagefind-entry.json").is_file()


LAYOUT = Path(__file__).resolve().parent.parent / "layouts/news.html"
# Mistakes found before Pagefind starts (an old URL given to one post that another
# post has; a template that breaks every news item, found as pages render) and after
# (/admin/'s GitHub backend without its repository, found by the last stage). Each is
# (file, broken text, what the error says).
MISTAKES = {
    "alias": ("content/news/2025-02-02-post-001.md", many_posts(POSTS)[
        "content/news/2025-02-02-post-001.md"].replace(
        "working_groups:", "aliases: [/news/post-000/]\nworking_groups:"),
        "the URL /news/post-000/ is also claimed by"),
    "template": ("layouts/news.html", LAYOUT.read_text().replace(
        "{% block content %}", "{% block content %}{{ page.no_such_field }}", 1),
        "layouts/news.html:4: error: "),
    "admin": ("data/site.yaml", SITE["data/site.yaml"] + "cms:\n  backend: github\n",
              "'cms.backend' github needs 'cms.repo'"),
}


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_failed_build_leaves_no_pagefind_and_keeps_the_markdown_it_converted(
        big, capsys, base, mistake):
    status, err = build(big, "--verbose", *base, capsys=capsys)
    assert status == 0, err
    documents = converted(err)
    assert documents > POSTS
    before = tree(big / "public")
    shutil.rmtree(big / ".wgsite-cache")
    first = next((big / "content/news").glob("*post-000.md"))
    first.write_text(first.read_text().replace("The body of post 0,", "The new body of post 0,"))
    path, broken, said = MISTAKES[mistake]
    good = (big / path).read_text() if (big / path).exists() else None  # None: the theme's
    write_site(big, {path: broken})

    status, err = build(big, "--verbose", *base, capsys=capsys)
    assert status == 1
    assert said in err and "Traceback" not in err
    assert converted(err) == documents  # every one of them, then the mistake
    assert tree(big / "public") == before  # the previous output, whole
    assert pagefind_running_under(big) == []
    assert not list((big / ".wgsite-cache").rglob("bundle"))  # no half-made index left
    assert not list(big.glob(".public.staging-*"))  # beside the output folder

    write_site(big, {path: good})
    status, err = build(big, "--verbose", *base, capsys=capsys)
    assert status == 0, err
    # the failed build's conversions were written to the cache; but for the post given
    # an alias, whose body it converted one line lower
    assert converted(err) == (1 if mistake == "alias" else 0)
    assert "The new body of post 0," in (big / "public/news/post-000/index.html").read_text()


class _Recording:
    """ProcessPoolExecutor as Markdown's workers get it, noting how they start."""

    methods: list[str] = []

    def __init__(self, *args, mp_context=None, **kwargs):
        self.methods.append(mp_context.get_start_method())
        self._pool = real_pool(*args, mp_context=mp_context, **kwargs)

    def __getattr__(self, name):
        return getattr(self._pool, name)


real_pool = markdown_module.ProcessPoolExecutor


@pytest.mark.skipif(not can_fork(), reason="workers fork on Linux")
@pytest.mark.parametrize("base", BASES)
def test_markdown_workers_fork_in_a_one_thread_build_and_make_the_same_site(
        big, tmp_path, capsys, monkeypatch, base):
    monkeypatch.setattr(markdown_module, "ProcessPoolExecutor", _Recording)
    _Recording.methods = []
    status, err = build(big, "--jobs", "1", "--verbose", *base, capsys=capsys)
    assert status == 0, err
    assert _Recording.methods == []  # one process converts them all
    documents = converted(err)
    alone = tree(big / "public")

    shutil.rmtree(big / "public")
    shutil.rmtree(big / ".wgsite-cache")
    status, err = build(big, "--jobs", "2", "--verbose", *base, capsys=capsys)
    assert status == 0, err
    assert _Recording.methods == ["fork"]
    assert converted(err) == documents
    assert tree(big / "public") == alone

    # a build with another thread running (as in the dev server) must not fork
    shutil.rmtree(big / "public")
    shutil.rmtree(big / ".wgsite-cache")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        status, err = build(big, "--jobs", "2", *base, capsys=capsys)
    finally:
        stop.set()
        other.join()
    assert status == 0, err
    assert _Recording.methods == ["fork", "forkserver"]
    assert tree(big / "public") == alone
