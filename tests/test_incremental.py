"""Incremental builds are never stale: after any edit, public/ is what a clean build makes.

A site is edited step by step (issue 4): pages added, renamed, deleted and broken,
a post moved between groups, a data file, a template, a stylesheet, an image and
site.yaml changed. After each step the site is rebuilt in place, on its own
.wgsite-cache/, and its output must equal, file for file and byte for byte, a clean
build of a copy of its sources. Files that did not change keep their mtime and inode,
so live reload and rsync see only real changes; a corrupt or foreign cache is ignored.
"""

from __future__ import annotations

import difflib
import io
import os
import random
import shutil
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw

from tests.sitefiles import REPO, SITE, build, write_site

SOURCES = ("content", "data", "layouts", "assets")
PAST_NS = 1_000_000_000 * 1_000_000_000  # 2001-09-09: older than any build can be


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A small picture; its resized copies are cached in .wgsite-cache/."""
    image = Image.new("RGB", size, (241, 243, 245))
    width, height = size
    ImageDraw.Draw(image).ellipse([width // 8, height // 8, width // 2, height * 7 // 8],
                                  fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# The theme's own files, copied into the site so that it has its own to edit.
NEWS_CARD = (REPO / "layouts/partials/news_card.html").read_text(encoding="utf-8")
SITE_CSS = (REPO / "assets/css/site.css").read_text(encoding="utf-8")
CARD_TAG = '{% call m.card(item, "news", level, item.image, "" if item.image else "card--plain") %}'
assert CARD_TAG in NEWS_CARD, "the step that edits the news card needs this tag"

FOURTH = """\
---
title: Fourth news
date: 2026-04-01
summary: A visit to the harbour.
working_groups: [mobility]
projects: [move-on]
image: images/harbour.png
image_alt: A blue sun over a grey sea
---
Learners from [the project](/projects/move-on/) visited; read [about us](/about/).

![The harbour at dawn](images/harbour.png)
"""

FIFTH = """\
---
title: Fifth news
date: 2026-05-01
working_groups: [{group}]
organisations: [east-institute]
---
Adults met again, after the [first news](/news/first-news/).
This [link](javascript:alert(1)) is removed, with a warning on every build.
"""

SIXTH = """\
---
title: Sixth news
date: 2026-05-15
working_groups: [mobility]
---
A sixth item, linking [Move On](/projects/move-on/).
"""

START = {
    **SITE,
    "content/news/2026-04-01-fourth-news.md": FOURTH,
    "content/news/2026-05-01-fifth-news.md": FIFTH.format(group="adult-learning"),
    "assets/images/harbour.png": png((640, 320), (31, 78, 121)),
    "layouts/partials/news_card.html": NEWS_CARD,
    "assets/css/site.css": SITE_CSS,
}


class Step(NamedTuple):
    name: str
    edits: dict[str, str | bytes | None]  # as write_site takes them: None deletes
    expect: dict[str, str | None]  # output glob -> a text a match holds; None: no match
    fails: bool = False  # the edit is a mistake: the build must stop, public/ untouched


SECOND = SITE["content/news/2026-02-10-second-news.md"]

STEPS = [
    Step("first build", {}, {"news/fourth-news/index.html": "The harbour at dawn"}),
    Step("add a news post", {"content/news/2026-05-15-sixth-news.md": SIXTH},
         {"news/sixth-news/index.html": "A sixth item", "news/page/3/index.html": "news"}),
    Step("edit a post's body",
         {"content/news/2026-04-01-fourth-news.md": FOURTH.replace("visited", "came back")},
         {"news/fourth-news/index.html": "came back"}),
    Step("rename a post",
         {"content/news/2026-04-01-fourth-news.md": None,
          "content/news/2026-04-01-harbour-visit.md": FOURTH.replace("visited", "came back")},
         {"news/harbour-visit/index.html": "came back", "news/fourth-news": None}),
    Step("delete a page that posts link to", {"content/about.md": None},
         {"about": None, "news/harbour-visit/index.html": 'href="/about/"'}),
    Step("break a post: an unknown group",
         {"content/news/2026-05-01-fifth-news.md": FIFTH.format(group="adult-lerning")},
         {}, fails=True),
    Step("fix the post", {"content/news/2026-05-01-fifth-news.md":
                          FIFTH.format(group="adult-learning")},
         {"news/fifth-news/index.html": "Fifth news"}),
    Step("move a post to another group",
         {"content/news/2026-02-10-second-news.md":
          SECOND.replace("[mobility]", "[adult-learning]")},
         {"news/second-news/index.html": 'href="/working-groups/adult-learning/"'}),
    Step("rename an organisation",
         {"data/organisations.yaml": SITE["data/organisations.yaml"].replace(
             "name: East Institute", "name: Eastern Institute of Learning")},
         {"working-groups/adult-learning/index.html": "Eastern Institute of Learning"}),
    Step("change the site's template",
         {"layouts/partials/news_card.html": NEWS_CARD.replace(
             CARD_TAG, '{% call m.card(item, "news", level, item.image, "card--edited") %}')},
         {"news/index.html": "card--edited"}),
    Step("change the site's stylesheet",
         {"assets/css/site.css": SITE_CSS + "\n.card--edited { outline: 1px solid; }\n"},
         {"assets/css/site.*.css": ".card--edited"}),
    Step("replace an image",
         {"assets/images/harbour.png": png((560, 280), (200, 16, 46))},
         {"assets/images/harbour.*.560w.webp": "", "assets/images/harbour.*.640w.*": None}),
    Step("change site.yaml: tagline and page size",
         {"data/site.yaml": SITE["data/site.yaml"].replace(
             "Regions learning together", "Regions that learn").replace("news: 2,", "news: 3,")},
         {"index.html": "Regions that learn", "news/page/2/index.html": "news",
          "news/page/3": None}),
    Step("rebuild with no change", {}, {}),
]


def tree(out: Path) -> dict[str, bytes | None]:
    """Every path under `out`: a file's bytes, or None for a folder (empty ones count)."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(out):
        for name in dirs:
            found[(Path(folder) / name).relative_to(out).as_posix() + "/"] = None
        for name in files:
            found[(Path(folder) / name).relative_to(out).as_posix()] = (
                Path(folder, name).read_bytes())
    return found


def differences(got: Path, want: Path) -> str:
    """'' if the two trees are equal; otherwise what is missing, extra and first differs."""
    mine, clean = tree(got), tree(want)
    missing = sorted(clean.keys() - mine.keys())
    extra = sorted(mine.keys() - clean.keys())
    differing = [p for p in sorted(clean.keys() & mine.keys()) if clean[p] != mine[p]]
    if not (missing or extra or differing):
        return ""
    lines = [f"missing (a clean build makes them): {missing[:10]}" if missing else "",
             f"extra (a clean build does not make them): {extra[:10]}" if extra else "",
             f"{len(differing)} differ, first {differing[0]}:" if differing else ""]
    if differing:
        old, new = clean[differing[0]], mine[differing[0]]
        try:
            lines += list(difflib.unified_diff(
                old.decode().splitlines(), new.decode().splitlines(), "clean", "incremental",
                n=1, lineterm=""))[:30]
        except UnicodeDecodeError:
            at = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b),
                      min(len(old), len(new)))
            lines.append(f"binary: {len(old)} vs {len(new)} bytes, first difference at {at}")
    return "\n".join(line for line in lines if line)


def messages(err: str) -> list[str]:
    """The build's problems, without the summary line that carries its time."""
    return [line for line in err.splitlines() if not line.startswith("Built ")]


def clean_build(site: Path, where: Path, capsys) -> tuple[int, str, Path]:
    """A build of a fresh copy of the site's sources: no public/, no cache."""
    copy = where / "site"
    for name in SOURCES:
        if (site / name).is_dir():
            shutil.copytree(site / name, copy / name)
    status, err = build(copy, capsys=capsys)
    return status, err, copy / "public"


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each output file's (mtime_ns, inode)."""
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in out.rglob("*") if p.is_file()}


def age(out: Path) -> dict[str, tuple[int, int]]:
    """Set every output file's mtime far in the past, so no check passes by timing luck."""
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(PAST_NS, PAST_NS))
    return stamps(out)


def built(site: Path, capsys) -> Path:
    """Build the site in place; its output folder."""
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return site / "public"


def test_every_step_of_an_editing_session_builds_what_a_clean_build_builds(tmp_path, capsys):
    """The cache and the previous output may only save work, never change the result."""
    site = write_site(tmp_path / "site", START)
    for number, step in enumerate(STEPS):
        before = tree(site / "public") if (site / "public").is_dir() else None
        write_site(site, step.edits)
        status, err = build(site, capsys=capsys)
        clean_status, clean_err, clean = clean_build(site, tmp_path / f"clean-{number}", capsys)
        assert (status, messages(err)) == (clean_status, messages(clean_err)), \
            f"{step.name}: the incremental build reports what a clean build reports"
        if step.fails:
            assert status == 1 and "unknown working group 'adult-lerning'" in err, step.name
            assert tree(site / "public") == before, f"{step.name}: public/ is left as it was"
            continue
        assert status == 0, f"{step.name}: {err}"
        assert "javascript:" in err, f"{step.name}: a cached page still warns"
        diff = differences(site / "public", clean)
        assert not diff, f"step {step.name!r}: incremental output != clean build\n{diff}"
        for pattern, text in step.expect.items():
            matches = list((site / "public").glob(pattern))
            if text is None:
                assert not matches, f"{step.name}: {pattern} is gone"
            else:
                assert matches, f"{step.name}: {pattern} is built"
                assert any(text.encode() in m.read_bytes() for m in matches), \
                    f"{step.name}: {pattern} shows {text!r}"


def test_a_rebuild_with_no_change_touches_no_file(tmp_path, capsys):
    """Live reload and rsync must see no change when there is none."""
    site = write_site(tmp_path / "site", START)
    out = built(site, capsys)
    before = age(out)
    built(site, capsys)
    after = stamps(out)
    assert after.keys() == before.keys()
    touched = sorted(path for path in before if after[path] != before[path])
    assert not touched, f"{len(touched)} of {len(before)} unchanged files were rewritten, " \
                        f"e.g. {touched[:5]}"


def test_editing_a_post_rewrites_its_page_and_leaves_unrelated_pages_alone(tmp_path, capsys):
    """Only files whose bytes change are written; the others keep their mtime."""
    site = write_site(tmp_path / "site", START)
    out = built(site, capsys)
    page = out / "news/third-news/index.html"
    old_page = page.read_bytes()
    before = age(out)
    write_site(site, {"content/news/2026-03-10-third-news.md": SITE[
        "content/news/2026-03-10-third-news.md"].replace("Body of", "New body of")})
    built(site, capsys)
    after = stamps(out)
    assert page.read_bytes() != old_page and b"New body of" in page.read_bytes()
    assert after["news/third-news/index.html"][0] > PAST_NS, "the edited page was written"
    css = next(p for p in before if p.startswith("assets/css/site."))
    unrelated = ["about/index.html", "projects/move-on/index.html",
                 "events/spring-forum/index.html", "organisations/north-region/index.html",
                 "news/fourth-news/index.html", css]
    rewritten = [path for path in unrelated if after[path][0] != before[path][0]]
    assert not rewritten, f"pages that cannot depend on the post were rewritten: {rewritten}"


def test_a_corrupt_or_foreign_cache_is_ignored_never_trusted(tmp_path, capsys):
    """Whatever is in .wgsite-cache/, the output is what the sources make."""
    site = write_site(tmp_path / "site", START)
    built(site, capsys)
    cache = site / ".wgsite-cache"
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert entries, "the build cached something (at least the image's copies)"
    contents = [p.read_bytes() for p in entries]
    noise = random.Random(4)
    for index, path in enumerate(entries):
        original = contents[index]
        path.write_bytes([
            noise.randbytes(max(1, len(original))),  # random bytes
            b"",  # empty
            original[:len(original) // 2],  # truncated
            contents[(index + 1) % len(contents)],  # another entry's valid bytes: wrong key
        ][index % 4])
    write_site(cache, {"README.txt": "not wgsite's\n", "images/zz/foreign": b"\x00\xff" * 64,
                       "stale.json": '{"version": 0, "pages": {"/": "<h1>stale</h1>"}}'})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert "Traceback" not in err
    _, _, clean = clean_build(site, tmp_path / "clean", capsys)
    diff = differences(site / "public", clean)
    assert not diff, f"a corrupt cache changed the output\n{diff}"


def test_a_file_no_build_made_is_removed_from_the_output(tmp_path, capsys):
    """public/ holds exactly what the sources make: a hand-dropped file does not survive."""
    site = write_site(tmp_path / "site", START)
    out = built(site, capsys)
    write_site(out, {"stray.html": "<p>by hand</p>", "news/stray/index.html": "<p>old</p>"})
    (out / "empty-folder").mkdir()
    built(site, capsys)
    assert not (out / "stray.html").exists() and not (out / "news/stray").exists()
    assert not (out / "empty-folder").exists()
    _, _, clean = clean_build(site, tmp_path / "clean", capsys)
    assert not differences(out, clean)
