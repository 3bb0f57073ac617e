"""serve's memory between builds (wgsite.incremental.session): never a stale page.

The dev server keeps parses, converted Markdown, the render memo, page bytes
and what it wrote in memory from one rebuild to the next. These tests drive
the same Builder `serve` uses through edits a careless editor makes, and after
each one compare the output, byte for byte, with a clean build of the same
sources in another folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.sitefiles import BUILD_EPOCH, SITE, write_site
from wgsite.commands.build import build
from wgsite.commands.serve import Builder
from wgsite.folders import SiteFolders
from wgsite.incremental import render_memo
from wgsite.options import BuildOptions
from wgsite.timings import Timings

OPTIONS = BuildOptions(drafts=True, base_url="http://127.0.0.1:8000/")
NEWS = "content/news/2026-01-10-first-news.md"


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _clean_build(site: Path, where: Path, options: BuildOptions = OPTIONS
                 ) -> dict[str, bytes]:
    """The output of a clean build of the sources of `site`, made in `where`."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(
        "public", ".public.*", ".wgsite-cache"))
    build(SiteFolders.at(where), options)
    return _tree(where / "public")


@pytest.fixture
def served(tmp_path: Path, monkeypatch) -> tuple[Path, Builder]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = write_site(tmp_path / "site", SITE)
    builder = Builder(SiteFolders.at(site), OPTIONS)
    assert builder([]) == []
    return site, builder


def _edit(builder: Builder, site: Path, files: dict[str, str | None]) -> list[str]:
    """Save the files, rebuild as serve does (pages, then the search index)."""
    write_site(site, files)
    problems = builder([str(site / name) for name in files])
    builder.finish()
    return problems


def _differing(site: Path, tmp_path: Path) -> list[str]:
    want = _clean_build(site, tmp_path / "clean")
    got = _tree(site / "public")
    return sorted(p for p in want.keys() | got.keys() if want.get(p) != got.get(p))


def test_careless_edits_in_one_serve_each_end_as_a_clean_build(served, tmp_path):
    site, builder = served
    text = SITE[NEWS]
    steps = [
        {NEWS: text.replace("\n---\n", "\n---\nA new first paragraph.\n\n", 1)},
        {"content/about.md": SITE["content/about.md"] + "\nOne more line about us.\n"},
        {NEWS: text},  # back to a text the memory has seen before
        {"content/news/2026-03-10-third-news.md": None},  # a post deleted
        {"data/site.yaml": SITE["data/site.yaml"].replace("title:", "title: Renamed —", 1)},
    ]
    for number, files in enumerate(steps):
        assert _edit(builder, site, files) == [], f"step {number}"
        assert _differing(site, tmp_path) == [], f"step {number}: {files}"


def test_a_broken_file_fails_keeps_the_last_output_and_its_fix_builds_clean(served, tmp_path):
    site, builder = served
    before = _tree(site / "public")
    broken = SITE[NEWS].replace("title:", "title: [unclosed", 1)
    problems = _edit(builder, site, {NEWS: broken})
    assert problems and NEWS in problems[0]
    assert _tree(site / "public") == before, "a failed rebuild leaves the output as it was"
    # the same mistake again: its parse is remembered, and so is what it said
    assert _edit(builder, site, {NEWS: broken + "\n"}) == problems
    assert _edit(builder, site, {NEWS: SITE[NEWS].replace("First", "Fixed", 1)}) == []
    assert _differing(site, tmp_path) == []


def test_a_page_changed_by_hand_in_the_output_is_made_again(served, tmp_path):
    site, builder = served
    page = site / "public/about/index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>hand-made</p></main>"))
    news = site / "public/news/index.html"
    news.unlink()
    assert _edit(builder, site, {"content/about.md": SITE["content/about.md"] + "\nMore.\n"}) \
        == []
    assert b"hand-made" not in page.read_bytes()
    assert _differing(site, tmp_path) == []


def test_pages_added_and_removed_are_in_the_output_before_the_reload(served, tmp_path):
    """The write before the reload trusts what the last one left only while the site's
    paths are the same; a post added or removed changes them, and the pages that list
    posts with them, before the browser reloads."""
    site, builder = served
    third = "content/news/2026-03-10-third-news.md"
    added = "content/news/2026-03-20-added-news.md"
    for files, present, gone in [
        ({third: None}, [], ["news/third-news/index.html"]),
        ({added: SITE[third].replace("title: ", "title: Added — ", 1)},
         ["news/added-news/index.html"], []),
    ]:
        write_site(site, files)
        assert builder([str(site / name) for name in files]) == []  # the reload comes now
        for page in present:
            assert (site / "public" / page).is_file(), page
        for page in gone:
            assert not (site / "public" / page).exists(), page
        listing = (site / "public/news/index.html").read_text(encoding="utf-8")
        assert ("added-news" in listing) == bool(present)
        builder.finish()
        assert _differing(site, tmp_path) == []


def test_an_edit_that_keeps_the_size_and_the_time_stamp_is_still_seen(served, tmp_path):
    """The session remembers each input file's digest by its stat; a careless tool may put
    the old modification time back on a file of the same size."""
    site, builder = served
    path = site / NEWS
    before = path.stat()
    text = SITE[NEWS].replace("First", "Frist", 1)
    assert len(text) == len(SITE[NEWS])
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert builder([str(path)]) == []
    builder.finish()
    assert b"Frist" in (site / "public/news/first-news/index.html").read_bytes()
    assert _differing(site, tmp_path) == []


def test_the_search_index_follows_pages_moved_removed_and_restored(served, tmp_path):
    """serve keeps the pages laid out for the search indexer between rebuilds and writes
    only those that changed: each index must still be the one a clean build makes."""
    site, builder = served
    moved = "content/news/2026-03-10-moved-news.md"
    third = "content/news/2026-03-10-third-news.md"
    steps = [
        {third: None, moved: SITE[third]},  # renamed: a page goes, another comes
        {moved: SITE[third].replace("\n---\n", "\n---\nA searchable word: zebrafinch.\n\n",
                                    1)},
        {moved: None},  # gone, with its folder in the indexer's layout
        {third: SITE[third]},  # back as it first was
        {"data/site.yaml": SITE["data/site.yaml"].replace("title:", "title: Renamed —", 1)},
    ]
    for number, files in enumerate(steps):
        assert _edit(builder, site, files) == [], f"step {number}"
        assert _differing(site, tmp_path) == [], f"step {number}: {files}"
    assert not (site / "public/news/moved-news").exists()


def test_the_cache_deleted_while_serving_costs_time_never_a_page(served, tmp_path):
    """The README says .wgsite-cache/ may be deleted at will: serve's memory of what the
    indexer's folder held (and every other entry) must not outlive it."""
    site, builder = served
    shutil.rmtree(site / ".wgsite-cache")
    text = SITE[NEWS]
    assert _edit(builder, site, {NEWS: text.replace("Body of the first", "New body of the")}) \
        == []
    assert _differing(site, tmp_path) == []


def _memo_file(site: Path) -> Path:
    return SiteFolders.at(site).kept_for_output("render")


def test_serve_writes_the_render_memo_after_the_reload_for_a_later_build(served, tmp_path):
    """serve keeps the render memo in memory and puts its disk copy off until the browsers
    have reloaded; a `build` in a fresh process afterwards must still find what serve
    rendered last, not the memo of serve's first build."""
    site, builder = served
    memo = _memo_file(site)
    first = memo.read_bytes()
    write_site(site, {NEWS: SITE[NEWS].replace("Body of the first", "Served body of the")})
    assert builder([str(site / NEWS)]) == []
    assert memo.read_bytes() == first, "written while the browser waits for the reload"
    builder.finish()
    assert memo.read_bytes() != first
    # a fresh process, another edit: only that page is rendered, the page serve made is
    # taken as the memo on disk says it is
    other = "content/news/2026-02-10-second-news.md"
    write_site(site, {other: SITE[other].replace("Body of", "The new body of")})
    timings = Timings()
    build(SiteFolders.at(site), OPTIONS, timings)
    assert "1 rendered" in timings.phases["render"].counts
    assert _differing(site, tmp_path) == []


def test_serve_closing_writes_what_it_put_off(served):
    site, builder = served
    memo = _memo_file(site)
    first = memo.read_bytes()
    write_site(site, {NEWS: SITE[NEWS].replace("Body of the first", "Closing body of the")})
    assert builder([str(site / NEWS)]) == []
    builder.session.close()  # serve stopped before the search index was made
    assert memo.read_bytes() != first


@pytest.mark.parametrize("spare", [render_memo.SPARE_LOOKUPS, -10**9])
def test_memo_numbering_kept_or_compacted_still_builds_clean(served, tmp_path, monkeypatch,
                                                              spare):
    """A memo starts from the last one's numbering, so each edit leaves the lookups it
    changed behind, until save() drops them and numbers the rest again (forced here on
    every save): either way every page must be what a clean build makes, and a compacted
    memo holds only lookups some page refers to."""
    monkeypatch.setattr(render_memo, "SPARE_LOOKUPS", spare)
    site, builder = served
    about = SITE["content/about.md"]
    steps = [
        {NEWS: SITE[NEWS].replace("title:", "title: Retitled", 1)},
        {"content/about.md": about + "\nAnother line.\n"},
        {"data/site.yaml": SITE["data/site.yaml"].replace("title:", "title: Renamed —", 1)},
        {NEWS: SITE[NEWS]},
        {"content/about.md": about},
    ]
    for number, files in enumerate(steps):
        assert _edit(builder, site, files) == [], f"step {number}"
        assert _differing(site, tmp_path) == [], f"step {number}: {files}"
        saved = json.loads(_memo_file(site).read_bytes())
        used = {n for page in saved["pages"].values() for n in page["lookups"]}
        assert used <= set(range(len(saved["lookups"])))
        if spare < 0:
            assert len(used) == len(saved["lookups"]), f"step {number}: not compacted"
