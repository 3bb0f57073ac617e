"""The pages laid out for Pagefind are kept in the cache and brought up to date.

Every build hands Pagefind a folder of the pages to index (outputs/search.py
SearchLayout). It is kept in .wgsite-cache/ between builds, so that a build
after one edit writes the pages that changed instead of a thousand. The index
is a pure function of that folder, so these tests compare each build after an
edit, a deletion, damage to the kept folder or a busy folder with a clean
build of the same sources: output and kept pages alike, byte for byte.
"""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest

from tests.sitefiles import SITE, build, write_site

FIRST = "content/news/2026-01-10-first-news.md"
SECOND = "content/news/2026-02-10-second-news.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def kept_pages(site: Path) -> Path:
    found = list((site / ".wgsite-cache/search-pages").glob("*/site"))
    assert len(found) == 1, found
    return found[0]


def built(site: Path, capsys, *args: str) -> None:
    status, err = build(site, *args, capsys=capsys)
    assert status == 0, err


def assert_as_clean(site: Path, tmp_path: Path, capsys, *args: str) -> None:
    """The output and the kept pages are those of a clean build of the same sources."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".wgsite-cache"))
    built(clean, capsys, *args)
    assert tree(site / "public") == tree(clean / "public")
    assert tree(kept_pages(site)) == tree(kept_pages(clean))


@pytest.mark.parametrize("base", [[], ["--base-url", "https://example.org/wg/"]])
def test_kept_pages_follow_edits_deletions_and_new_pages(tmp_path, capsys, base):
    site = write_site(tmp_path / "site", SITE)
    built(site, capsys, *base)
    pages = kept_pages(site)
    untouched = pages / "news/third-news/index.html"
    stamp = untouched.stat().st_mtime_ns

    first = site / FIRST
    first.write_text(first.read_text().replace("Body of the first news.", "A new body."))
    built(site, capsys, *base)
    assert b"A new body." in (pages / "news/first-news/index.html").read_bytes()
    assert untouched.stat().st_mtime_ns == stamp  # written once, not at every build
    assert_as_clean(site, tmp_path, capsys, *base)

    (site / SECOND).unlink()
    write_site(site, {"content/news/2026-04-10-fourth-news.md":
                      "---\ntitle: Fourth news\ndate: 2026-04-10\n---\nNew.\n"})
    built(site, capsys, *base)
    assert not (pages / "news/second-news").exists()
    assert (pages / "news/fourth-news/index.html").is_file()
    assert_as_clean(site, tmp_path, capsys, *base)


def test_damaged_or_stray_kept_pages_are_laid_out_again(tmp_path, capsys):
    """A kept folder restored by CI, or left by a killed build, is read, not trusted."""
    site = write_site(tmp_path / "site", SITE)
    built(site, capsys)
    pages = kept_pages(site)
    (pages / "news/third-news/index.html").write_text("<html><main>garbage</main></html>")
    write_site(pages, {"news/gone/index.html": "<html><main>a page no more</main></html>"})
    (pages / "news/link.html").symlink_to(site / FIRST)

    first = site / FIRST
    first.write_text(first.read_text().replace("Body of the first news.", "A new body."))
    built(site, capsys)
    assert not (pages / "news/gone").exists() and not (pages / "news/link.html").exists()
    assert_as_clean(site, tmp_path, capsys)


def test_a_build_while_another_holds_the_kept_pages_lays_out_its_own(tmp_path, capsys):
    site = write_site(tmp_path / "site", SITE)
    built(site, capsys)
    pages = kept_pages(site)
    before = {path: (pages / path).stat().st_mtime_ns for path in tree(pages)}

    first = site / FIRST
    first.write_text(first.read_text().replace("Body of the first news.", "A new body."))
    with open(pages.parent / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another build would
        built(site, capsys)
    assert {path: (pages / path).stat().st_mtime_ns for path in tree(pages)} == before
    assert b"A new body." in (site / "public/news/first-news/index.html").read_bytes()
    second = site / SECOND
    second.write_text(second.read_text().replace("Body of the second", "Another body of the"))
    built(site, capsys)  # the next build that indexes has its turn: the kept pages catch up
    assert_as_clean(site, tmp_path, capsys)
