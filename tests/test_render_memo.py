"""Pages are rendered again exactly when something they read has changed.

wgsite/incremental/render_memo.py reuses a page's bytes from the previous output when every
value its template looked up gives the same digest. A lookup it failed to see
would leave a page stale, so besides targeted cases these tests make random
series of edits to titles, dates, summaries, relations, tags, weights, data
files, phrases and templates, and after every edit compare the incremental
output with a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from tests.sitefiles import REPO, SITE, build, write_site

RENDERED = re.compile(r"^\s+render\s.*?([\d,]+) rendered\b", re.MULTILINE)


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def rendered(err: str) -> int:
    found = RENDERED.search(err)
    assert found, err
    return int(found.group(1).replace(",", ""))


def clean(site: Path, where: Path, capsys) -> dict[str, bytes]:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns("public", ".wgsite-cache"))
    status, err = build(where, capsys=capsys)
    assert status == 0, err
    return tree(where / "public")


def incremental(site: Path, capsys) -> str:
    status, err = build(site, "--verbose", capsys=capsys)
    assert status == 0, err
    return err


def test_editing_one_post_body_renders_that_page_only(site, capsys):
    incremental(site, capsys)
    page = site / "content/news/2026-02-10-second-news.md"
    page.write_text(page.read_text().replace("Body of", "The new body of"))
    err = incremental(site, capsys)
    assert rendered(err) == 1
    assert "The new body of" in (site / "public/news/second-news/index.html").read_text()


def test_a_title_reaches_every_page_that_shows_it(site, tmp_path, capsys):
    incremental(site, capsys)
    group = site / "content/working-groups/mobility.md"
    group.write_text(group.read_text().replace("title: Mobility", "title: Learning mobility"))
    err = incremental(site, capsys)
    assert 1 < rendered(err)
    got = tree(site / "public")
    assert got == clean(site, tmp_path / "clean", capsys)
    assert b"Learning mobility" in got["news/first-news/index.html"]


@pytest.mark.parametrize("edit", ["template", "phrase"])
def test_what_every_page_depends_on_renders_every_page(site, tmp_path, capsys, edit):
    first = incremental(site, capsys)
    if edit == "template":
        footer = (REPO / "layouts/partials/footer.html").read_text()
        write_site(site, {"layouts/partials/footer.html": footer + "<p>edited</p>\n"})
    else:
        phrases = (REPO / "data/i18n/en.yaml").read_text()
        write_site(site, {"data/i18n/en.yaml": phrases.replace("Skip to", "Jump to", 1)})
    err = incremental(site, capsys)
    assert rendered(err) == rendered(first)
    assert tree(site / "public") == clean(site, tmp_path / "clean", capsys)


def test_a_damaged_memo_means_rendering_everything(site, tmp_path, capsys):
    first = incremental(site, capsys)
    for memo in (site / ".wgsite-cache/render").glob("*.json"):
        memo.write_text('{"version": 1, "pages": {"index.html": {"lookups": [99]}}}')
    shutil.rmtree(site / "public")
    err = incremental(site, capsys)
    assert rendered(err) == rendered(first)
    assert tree(site / "public") == clean(site, tmp_path / "clean", capsys)


def _edits(rng: random.Random, files: dict[str, str]) -> dict[str, str]:
    """One random, valid edit of the sources, as write_site takes it."""
    news = sorted(p for p in files if p.startswith("content/news/"))
    kind = rng.choice(["title", "summary", "date", "groups", "tags", "weight", "org",
                       "priority", "body", "event", "new"])
    path = rng.choice(news)
    text = files[path]
    word = rng.choice(["Harbour", "Summit", "Report", "Visit", "Call"])
    if kind == "title":
        return {path: re.sub(r"^title: .*$", f"title: {word} {rng.randint(1, 99)}", text,
                             count=1, flags=re.MULTILINE)}
    if kind == "summary":
        text = re.sub(r"^summary: .*\n", "", text, flags=re.MULTILINE)
        return {path: text.replace("---\n", f"---\nsummary: {word} told.\n", 1)}
    if kind == "date":
        return {path: re.sub(r"^date: .*$", f"date: 2026-0{rng.randint(1, 5)}-1{rng.randint(0, 9)}",
                             text, count=1, flags=re.MULTILINE)}
    if kind == "groups":
        groups = rng.choice(["[mobility]", "[adult-learning]", "[mobility, adult-learning]"])
        text = re.sub(r"^working_groups: .*\n", "", text, flags=re.MULTILINE)
        return {path: text.replace("---\n", f"---\nworking_groups: {groups}\n", 1)}
    if kind == "tags":
        tags = rng.choice(["[mobility]", "[Erasmus+, skills]", "[skills]"])
        text = re.sub(r"^tags: .*\n", "", text, flags=re.MULTILINE)
        return {path: text.replace("---\n", f"---\ntags: {tags}\n", 1)}
    if kind == "weight":
        group = "content/working-groups/adult-learning.md"
        return {group: re.sub(r"^weight: .*$", f"weight: {rng.choice([0, 2, 5])}",
                              files[group], count=1, flags=re.MULTILINE)}
    if kind == "org":
        data = "data/organisations.yaml"
        return {data: re.sub(r"name: East.*", f"name: East {word}", files[data], count=1)}
    if kind == "priority":
        data = "data/priorities.yaml"
        return {data: re.sub(r"title: Mobility.*", f"title: Mobility {word}", files[data],
                             count=1)}
    if kind == "event":
        event = "content/events/autumn-forum.md"
        return {event: re.sub(r"^start: .*$", rng.choice(["start: 2026-10-01",
                                                          "start: 2026-05-20"]),
                              files[event], count=1, flags=re.MULTILINE)}
    if kind == "new":
        number = rng.randint(100, 999)
        return {f"content/news/2026-03-2{rng.randint(0, 9)}-extra-{number}.md":
                f"---\ntitle: Extra {number}\ndate: 2026-03-20\n"
                f"working_groups: [adult-learning]\n---\nMore.\n"}
    return {path: text + f"\nA sentence about the {word.lower()}.\n"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_always_build_what_a_clean_build_builds(tmp_path, capsys, seed):
    rng = random.Random(seed)
    files = dict(SITE)
    site = write_site(tmp_path / "site", files)
    incremental(site, capsys)
    for step in range(6):
        edits = _edits(rng, files)
        files.update(edits)
        write_site(site, edits)
        incremental(site, capsys)
        want = clean(site, tmp_path / "clean", capsys)
        got = tree(site / "public")
        stale = sorted(path for path in want.keys() | got.keys()
                       if want.get(path) != got.get(path))
        assert not stale, f"seed {seed}, step {step}, after {sorted(edits)}: {stale}"
