"""A build with nothing to do does nothing, and is never wrong about that.

The manifest of the last build (wgsite/incremental/manifest.py) lets a build whose inputs,
output and moment in time match skip straight to its report. These tests
change each kind of input in the ways a hash of time stamps would miss, and
let time pass over the moments the output depends on, and check that the
result is always what a clean build gives.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import wgsite.outputs.search as search
from tests.sitefiles import BUILD_EPOCH, REPO, SITE, write_site
from wgsite.cli import main

UP_TO_DATE = "the output is up to date"
JUNE = int(BUILD_EPOCH)  # 2026-06-01T12:00:00Z
DAY = 86400


def build_at(root: Path, epoch: int, capsys, *args: str) -> str:
    """Build on the given "today"; the build must succeed. Returns stderr."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        status = main(["build", "--site", str(root), "--verbose", *args])
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    err = capsys.readouterr().err
    assert status == 0, err
    return err


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in folder.rglob("*") if p.is_file()}


def clean_build(site: Path, tmp_path: Path, epoch: int, capsys) -> dict[str, bytes]:
    """What a first build of a copy of the site's sources makes."""
    copy = tmp_path / f"clean-{epoch}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".wgsite-cache"))
    build_at(copy, epoch, capsys)
    return tree(copy / "public")


def reported(err: str) -> list[str]:
    """The problems a build printed, without its timings and summary line."""
    return [line for line in err.splitlines()
            if ": warning: " in line or ": error: " in line]


def test_nothing_changed_leaves_the_output_alone_and_repeats_the_warnings(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About us\n---\n"
                      "[a trap](javascript:alert(1)) and text.\n"})
    first = build_at(site, JUNE, capsys)
    assert UP_TO_DATE not in first
    assert reported(first), "the unsafe link gives a warning"
    before = stamps(site / "public")
    again = build_at(site, JUNE, capsys)
    assert UP_TO_DATE in again
    assert "  markdown " not in again, "nothing was converted or rendered"
    assert reported(again) == reported(first)
    assert stamps(site / "public") == before


def test_strict_is_not_satisfied_by_a_build_that_had_warnings(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About us\n---\n"
                      "[a trap](javascript:alert(1)) and text.\n"})
    build_at(site, JUNE, capsys)
    os.environ["SOURCE_DATE_EPOCH"] = str(JUNE)
    try:
        assert main(["build", "--site", str(site), "--strict"]) == 1
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert "error: " in capsys.readouterr().err


def test_an_edit_that_keeps_size_and_time_stamp_is_still_seen(site, tmp_path, capsys):
    build_at(site, JUNE, capsys)
    page = site / "content/news/2026-02-10-second-news.md"
    stat = page.stat()
    page.write_text(page.read_text().replace("Body of the second", "Body of the 2nd ne"))
    assert page.stat().st_size == stat.st_size
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    err = build_at(site, JUNE, capsys)
    assert UP_TO_DATE not in err
    assert "Body of the 2nd ne" in (site / "public/news/second-news/index.html").read_text()
    assert tree(site / "public") == clean_build(site, tmp_path, JUNE, capsys)


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_changed_output_file_is_put_back(site, capsys, change):
    build_at(site, JUNE, capsys)
    expected = tree(site / "public")
    public = site / "public"
    if change == "edit":
        (public / "index.html").write_text("defaced")
    elif change == "add":
        (public / "stray.html").write_text("not the build's")
    else:
        (public / "news/first-news/index.html").unlink()
    err = build_at(site, JUNE, capsys)
    assert UP_TO_DATE not in err
    assert tree(public) == expected


def test_time_keeps_the_output_until_an_event_ends(site, tmp_path, capsys):
    # The autumn forum (2026-10-01, all day, Brussels) is upcoming in June and
    # in September, and over from 2 October.
    build_at(site, JUNE, capsys)
    assert "Autumn forum" in (site / "public/events/index.html").read_text()
    september = JUNE + 100 * DAY
    assert UP_TO_DATE in build_at(site, september, capsys)
    october = 1790892000 + 3600  # 2026-10-01T22:00Z: 2 October, 00:00 in Brussels
    assert UP_TO_DATE not in build_at(site, october, capsys)
    assert tree(site / "public") == clean_build(site, tmp_path, october, capsys)
    assert tree(site / "public") != clean_build(site, tmp_path, september, capsys)


def test_time_publishes_a_page_on_its_publish_date(site, tmp_path, capsys):
    write_site(site, {"content/news/2026-05-01-later.md": "---\ntitle: Later news\n"
                      "date: 2026-05-01\npublish_date: 2026-07-01\n---\nSoon.\n"})
    build_at(site, JUNE, capsys)
    assert not (site / "public/news/later").exists()
    july = JUNE + 31 * DAY
    assert UP_TO_DATE not in build_at(site, july, capsys)
    assert (site / "public/news/later/index.html").is_file()
    assert tree(site / "public") == clean_build(site, tmp_path, july, capsys)


def test_a_template_that_shows_the_build_date_is_built_every_time(site, capsys):
    footer = (REPO / "layouts/partials/footer.html").read_text()
    write_site(site, {"layouts/partials/footer.html":
                      footer + "<p>Built {{ site.build_date.isoformat() }}</p>\n"})
    build_at(site, JUNE, capsys)
    assert UP_TO_DATE in build_at(site, JUNE, capsys), "the same instant: the same output"
    later = JUNE + 60
    assert UP_TO_DATE not in build_at(site, later, capsys)
    assert "Built 2026-06-01T14:01:00+02:00" in (site / "public/index.html").read_text()


def test_options_are_inputs(site, capsys):
    build_at(site, JUNE, capsys)
    err = build_at(site, JUNE, capsys, "--base-url", "https://elsewhere.example.org/wg/")
    assert UP_TO_DATE not in err
    assert "https://elsewhere.example.org/wg/" in (site / "public/index.html").read_text()
    write_site(site, {"content/news/2026-05-02-draft.md":
                      "---\ntitle: A draft\ndate: 2026-05-02\ndraft: true\n---\nText.\n"})
    build_at(site, JUNE, capsys)
    assert UP_TO_DATE not in build_at(site, JUNE, capsys, "--drafts")
    assert (site / "public/news/draft/index.html").is_file()
    assert UP_TO_DATE not in build_at(site, JUNE, capsys, "--drafts", "--cms-backend",
                                      "test-repo")
    assert "test-repo" in (site / "public/admin/config.yml").read_text()


def test_installing_the_cms_package_is_an_input(site, capsys):
    build_at(site, JUNE, capsys)
    write_site(site, {"node_modules/decap-cms/package.json": '{"version": "0.0.1"}'})
    assert UP_TO_DATE not in build_at(site, JUNE, capsys)


@pytest.mark.parametrize("damage", [b"{not json", b'{"version": 1, "inputs": 3}', b"[]"])
def test_a_damaged_manifest_means_a_full_build(site, capsys, damage):
    build_at(site, JUNE, capsys)
    expected = tree(site / "public")
    for manifest in (site / ".wgsite-cache/builds").glob("*.json"):
        manifest.write_bytes(damage)
    err = build_at(site, JUNE, capsys)
    assert UP_TO_DATE not in err
    assert tree(site / "public") == expected
    assert UP_TO_DATE in build_at(site, JUNE, capsys), "and a good manifest is written again"


def test_the_search_index_is_made_once_per_set_of_indexed_pages(site, capsys, monkeypatch):
    build_at(site, JUNE, capsys)
    expected = tree(site / "public")
    shutil.rmtree(site / "public")
    calls = []

    class Counted(search._Indexer):
        def start(self):  # Pagefind runs
            calls.append(1)
            super().start()

    monkeypatch.setattr(search, "_Indexer", Counted)
    build_at(site, JUNE, capsys)
    assert calls == [], "the index came from the cache"
    assert tree(site / "public") == expected
    entries = list((site / ".wgsite-cache/search").rglob("*.json"))
    assert len(entries) == 1
    header, _, body = entries[0].read_bytes().partition(b"\n")
    foreign = json.dumps({"pagefind/pagefind-entry.json": "bm90IGFuIGluZGV4"}).encode()
    for damaged in (header + b"\n" + body[:-40] + b'"}',  # cut short
                    header + b"\n" + foreign):  # another value under this entry's name
        entries[0].write_bytes(damaged)
        shutil.rmtree(site / "public")
        calls.clear()
        build_at(site, JUNE, capsys)
        assert calls == [1], "the damaged entry was not used"
        assert tree(site / "public") == expected
