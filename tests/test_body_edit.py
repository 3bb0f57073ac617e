"""serve's quickest rebuild (wgsite/commands/body_edit.py): an edit of page bodies alone.

When every file changed since the last good rebuild is a page whose front matter
is as it was, serve puts the new HTML on the records it kept and renders again
only the pages that read it. These tests drive serve's rebuild through edits a
careless editor makes, say for each whether it took that path or the full one,
and compare every output, byte for byte, with a clean build of the same sources;
at the root and under a base path, in one language and in two.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.sitefiles import BUILD_EPOCH, SITE, write_site
from tests.test_languages import BILINGUAL
from tests.test_outputs import commit, git, needs_git
from tests.test_serve_memory import _clean_build, _tree
from wgsite.commands.build import build
from wgsite.commands.kept_site import keeper
from wgsite.commands.rebuild import rebuild
from wgsite.folders import SiteFolders
from wgsite.incremental.session import Session
from wgsite.options import BuildOptions
from wgsite.problems import BuildFailed
from wgsite.timings import Timings

NEWS = "content/news/2026-01-10-first-news.md"
SECOND = "content/news/2026-02-10-second-news.md"
ROOT = BuildOptions(drafts=True, base_url="http://127.0.0.1:8000/")
UNDER_A_PATH = BuildOptions(drafts=True, base_url="https://example.org/wg/")
QUICK = "pages whose body alone changed"


class Served:
    """A site and the session of one `serve`, rebuilt as serve rebuilds it."""

    def __init__(self, site: Path, options: BuildOptions, tmp_path: Path):
        self.site, self.options, self.tmp_path = site, options, tmp_path
        self.folders = SiteFolders.at(site)
        self.session = Session()
        build(self.folders, options, None, self.session,  # serve's first build keeps it
              keeper(self.session, options, self.folders))

    def edit(self, files: dict[str, str | None]) -> tuple[bool, list[str]]:
        """Save the files, rebuild: whether the quick path made the site, and the problems
        reported (as `file:line: severity: message`)."""
        write_site(self.site, files)
        timings = Timings()
        try:
            rebuilt = rebuild(self.folders, self.options, timings, self.session)
        except BuildFailed as failed:
            return False, [str(problem) for problem in failed.problems.items]
        if rebuilt.finish is not None:
            rebuilt.finish()
        read = timings.phases.get("read")
        quick = read is not None and any(QUICK in count for count in read.counts)
        return quick, [str(problem) for problem in rebuilt.result.problems.items]

    def differing(self) -> list[str]:
        want = _clean_build(self.site, self.tmp_path / "clean", self.options)
        got = _tree(self.site / "public")
        return sorted(p for p in want.keys() | got.keys() if want.get(p) != got.get(p))

    def close(self) -> None:
        self.session.close()


@pytest.fixture(params=[ROOT, UNDER_A_PATH], ids=["root", "base-path"])
def served(request, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    one = Served(write_site(tmp_path / "site", SITE), request.param, tmp_path)
    yield one
    one.close()


def _body(path: str, text: str, site: dict[str, str] = SITE) -> str:
    """The file of `path` in `site` with its body replaced by `text`."""
    head, _, _ = site[path].partition("\n---\n")
    return f"{head}\n---\n{text}"


def test_body_edits_take_the_quick_path_and_end_as_a_clean_build(served):
    steps = [
        {NEWS: _body(NEWS, "A *new* body for the first news, with [a link](/about/).\n")},
        {"content/about.md": _body("content/about.md", "## Our story\n\nRewritten.\n")},
        {"content/_index.md": _body("content/_index.md", "A new welcome.\n")},
        {"content/working-groups/mobility.md":
         _body("content/working-groups/mobility.md", "The group, described again.\n")},
        # the calendars and the sitemap are kept: an event's text must not be in them
        {"content/events/autumn-forum.md":
         _body("content/events/autumn-forum.md", "Come to the *autumn* forum.\n")},
        {"content/projects/move-on.md": _body("content/projects/move-on.md", "Moving on.\n")},
        {NEWS: SITE[NEWS], SECOND: _body(SECOND, "Two pages in one save.\n")},  # and back
    ]
    for number, files in enumerate(steps):
        quick, problems = served.edit(files)
        assert (quick, problems) == (True, []), f"step {number}"
        assert served.differing() == [], f"step {number}: {files}"
    page = served.site / "public/news/second-news/index.html"
    assert b"Two pages in one save." in page.read_bytes()


def test_the_feeds_show_the_new_body(served):
    quick, _ = served.edit({NEWS: _body(NEWS, "Words only the feeds and the page have.\n")})
    assert quick
    feeds = [path for path in (served.site / "public").rglob("*.xml")
             if b"<feed" in path.read_bytes()]
    showing = [path for path in feeds
               if b"Words only the feeds and the page have." in path.read_bytes()]
    assert len(showing) >= 2, "the site's feed and its group's"
    assert served.differing() == []


@pytest.mark.parametrize("files", [
    pytest.param({NEWS: SITE[NEWS].replace("title: First news", "title: First news, renamed")},
                 id="front matter"),
    pytest.param({"content/news/2026-04-10-fourth-news.md":
                  "---\ntitle: Fourth news\ndate: 2026-04-10\n---\nNew.\n"}, id="a page added"),
    pytest.param({"content/news/2026-03-10-third-news.md": None}, id="a page removed"),
    pytest.param({"data/site.yaml": SITE["data/site.yaml"].replace("title:", "title: New —", 1)},
                 id="a data file"),
    pytest.param({NEWS: _body(NEWS, "Body.\n"), "data/site.yaml":
                  SITE["data/site.yaml"].replace("title:", "title: New —", 1)},
                 id="a body and a data file"),
])
def test_any_other_edit_makes_the_site_in_full(served, files):
    quick, _ = served.edit(files)
    assert not quick
    assert served.differing() == []
    # and the next edit of a body alone starts from that site
    quick, problems = served.edit({SECOND: _body(SECOND, "After the full rebuild.\n")})
    assert (quick, problems) == (True, [])
    assert served.differing() == []


def test_a_picture_in_a_body_makes_the_site_in_full(served):
    """Its resized copies are assets: the full rebuild makes them."""
    from PIL import Image

    (served.site / "assets").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 800), "#1f4e79").save(served.site / "assets/cat.png")
    quick, _ = served.edit({})  # a file added
    assert not quick
    quick, problems = served.edit({NEWS: _body(NEWS, "A picture: ![A cat](cat.png)\n")})
    assert not quick and problems == []
    assert served.differing() == []
    quick, problems = served.edit({NEWS: _body(NEWS, "No picture now.\n")})
    assert not quick, "the kept body had a picture"
    assert served.differing() == []


def test_a_body_with_a_mistake_is_reported_by_the_full_rebuild(served):
    broken = _body(NEWS, "See [the report](/documents/missing.pdf) and ![x](nothere.png).\n")
    quick, problems = served.edit({NEWS: broken})
    clean = served.tmp_path / "reported"
    shutil.copytree(served.site, clean, ignore=shutil.ignore_patterns(
        "public", ".wgsite-cache"))
    try:
        build(SiteFolders.at(clean), served.options)
        expected: list[str] = []
    except BuildFailed as failed:
        expected = [str(problem).replace(str(clean), str(served.site))
                    for problem in failed.problems.items]
    assert not quick
    assert problems == expected and problems, "the same problems as a build of the sources"
    quick, problems = served.edit({NEWS: _body(NEWS, "Mended.\n")})
    assert problems == []
    assert served.differing() == []


def test_warnings_of_other_files_are_still_reported(served):
    quick, warned = served.edit({"content/notes.txt": "not a page"})
    assert not quick and warned and "content/notes.txt" in warned[0]
    quick, problems = served.edit({NEWS: _body(NEWS, "Still warned about notes.txt.\n")})
    assert quick
    assert problems == warned
    assert served.differing() == []


def test_a_warning_the_last_body_gave_goes_with_it(served):
    """The quick path reports the kept build's problems again: one about the old text of
    the page being edited must not outlive that text."""
    quick, warned = served.edit({NEWS: _body(NEWS, "See [this](javascript:alert(1)).\n")})
    assert not quick and warned and NEWS in warned[0] and "javascript" in warned[0]
    quick, problems = served.edit({NEWS: _body(NEWS, "See [this](/about/).\n")})
    assert problems == []
    assert served.differing() == []


def test_a_broken_save_then_its_fix_ends_as_a_clean_build(served):
    quick, problems = served.edit({NEWS: SITE[NEWS].replace("title:", "title: [unclosed", 1)})
    assert problems and NEWS in problems[0]
    # the fix keeps the old front matter and brings a new body: the kept site still holds
    quick, problems = served.edit({NEWS: _body(NEWS, "Fixed, with new words.\n")})
    assert (quick, problems) == (True, [])
    assert served.differing() == []


def test_the_clock_past_an_event_makes_the_site_in_full(served, monkeypatch):
    """The autumn forum (1 October 2026) is upcoming on 1 June; a save after it has
    ended must move it to the past events, which only a full rebuild does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01
    quick, problems = served.edit({NEWS: _body(NEWS, "Saved in November.\n")})
    assert not quick and problems == []
    assert served.differing() == []


def test_an_output_page_changed_by_hand_is_made_again(served):
    page = served.site / "public/about/index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>hand-made</p></main>"))
    (served.site / "public/news/index.html").unlink()
    quick, problems = served.edit({NEWS: _body(NEWS, "Elsewhere.\n")})
    assert (quick, problems) == (True, [])
    assert b"hand-made" not in page.read_bytes()
    assert served.differing() == []


@pytest.mark.parametrize("options", [ROOT, UNDER_A_PATH], ids=["root", "base-path"])
def test_bodies_of_originals_and_translations(tmp_path, monkeypatch, options):
    """A page without a translation shows the original's text in the other language too;
    a translation's body is its own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    served = Served(write_site(tmp_path / "site", BILINGUAL), options, tmp_path)
    try:
        french = "content/news/2026-01-10-first-news.fr.md"
        steps = [
            {french: _body(french, "Un nouveau corps.\n", BILINGUAL)},
            {SECOND: _body(SECOND, "Shown in English and in French.\n", BILINGUAL)},
            {NEWS: _body(NEWS, "The original, edited.\n", BILINGUAL)},
        ]
        for number, files in enumerate(steps):
            quick, problems = served.edit(files)
            assert (quick, problems) == (True, []), f"step {number}"
            assert served.differing() == [], f"step {number}: {files}"
    finally:
        served.close()


def test_serve_keeps_its_first_build_for_the_first_edit(tmp_path, monkeypatch):
    """serve's Builder: the site its first build made is the one the first edit of a body
    starts from (the kept parts stay the same objects), and the result is a clean build's."""
    from wgsite.commands.serve import Builder

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = write_site(tmp_path / "site", SITE)
    builder = Builder(SiteFolders.at(site), ROOT)
    try:
        assert builder([]) == []
        builder.finish()
        first = builder.session.kept_site.made.parts
        write_site(site, {NEWS: _body(NEWS, "The first edit after serve started.\n")})
        assert builder([str(site / NEWS)]) == []
        builder.finish()
        assert builder.session.kept_site.made.parts is first
        want = _clean_build(site, tmp_path / "clean", ROOT)
        assert _tree(site / "public") == want
    finally:
        builder.session.close()


def test_a_template_that_fails_on_the_new_body_fails_as_a_full_rebuild(served):
    """The quick path has put the new HTML on its records when a template breaks on it: it
    gives up that site, and the full rebuild reports the mistake; the fix builds clean."""
    layout = ('{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n'
              '{% if "BOOM" in page.content %}{{ page.no_such_field.x }}{% endif %}\n'
              "{{ page.content }}\n{% endblock %}\n")
    quick, problems = served.edit({"layouts/page.html": layout})
    assert not quick and problems == []
    quick, problems = served.edit({"content/about.md": _body("content/about.md", "BOOM.\n")})
    assert not quick
    assert problems and all("layouts/page.html" in problem for problem in problems)
    assert b"BOOM" not in (served.site / "public/about/index.html").read_bytes()
    quick, problems = served.edit({"content/about.md": _body("content/about.md", "Calm.\n")})
    assert not quick, "the site that broke is not kept"
    assert problems == []
    assert served.differing() == []
    quick, problems = served.edit({"content/about.md": _body("content/about.md", "Again.\n")})
    assert (quick, problems) == (True, [])
    assert served.differing() == []


@needs_git
@pytest.mark.parametrize("options", [ROOT, UNDER_A_PATH], ids=["root", "base-path"])
def test_body_edits_of_a_site_in_git_end_as_a_clean_build(tmp_path, monkeypatch, options):
    """In git, a file edited since the last commit loses its commit's day: the calendars
    and the sitemap change with the first edit of each file, the feeds with the body."""
    from icalendar import Calendar

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = write_site(tmp_path / "site", SITE)
    git(site, "init", "-q")
    commit(site, "2026-02-01T10:00:00Z")
    served = Served(site, options, tmp_path)
    forum = "content/events/autumn-forum.md"
    calendar = site / "public/events/autumn-forum/event.ics"

    def stamp() -> object:
        events = Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
        return events[0].get("LAST-MODIFIED")

    try:
        assert stamp() is not None, "the day of its commit"
        steps = [
            {NEWS: _body(NEWS, "Edited since the commit.\n")},
            {NEWS: _body(NEWS, "Edited again: the same files edited since it.\n")},
            {forum: _body(forum, "Come to the forum, edited.\n")},
            {"content/about.md": _body("content/about.md", "Rewritten.\n")},
        ]
        for number, files in enumerate(steps):
            quick, problems = served.edit(files)
            assert (quick, problems) == (True, []), f"step {number}"
            assert served.differing() == [], f"step {number}: {files}"
        assert stamp() is None, "an edit not committed takes no commit's day"
        sitemap = (site / "public/sitemap.xml").read_bytes()
        assert b"<lastmod>" in sitemap
    finally:
        served.close()


def test_the_first_edit_after_serve_started_reads_no_page_back(tmp_path, monkeypatch):
    """serve's first build notes what it wrote, as later rebuilds do: the first edit
    compares the output by what was written, not by reading every file again. Before the
    reload it looks at no page on disk at all; the write after the search index does, and
    mends a page changed by hand."""
    import wgsite.commands.rebuild as rebuilding
    import wgsite.writer as writer
    from wgsite.commands.serve import Builder

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = write_site(tmp_path / "site", SITE)
    builder = Builder(SiteFolders.at(site), UNDER_A_PATH)
    read_back = []
    same = writer._same
    monkeypatch.setattr(writer, "_same", lambda path, data: read_back.append(path)
                        or same(path, data))
    index_read = []
    previous_index = rebuilding._previous_index
    monkeypatch.setattr(rebuilding, "_previous_index", lambda out: index_read.append(out)
                        or previous_index(out))
    try:
        assert builder([]) == []
        builder.finish()
        (site / "public/about/index.html").write_bytes(b"changed by hand")
        write_site(site, {NEWS: _body(NEWS, "The first edit after serve started.\n")})
        assert builder([str(site / NEWS)]) == []

        def pages_read() -> list[str]:
            names = sorted(path.relative_to(site / "public").as_posix() for path in read_back)
            return [name for name in names if name.endswith(".html")]  # not copied assets

        assert pages_read() == [], "before the reload, no page is read back"
        assert index_read == [], "nor the search index the first build made"
        assert b"The first edit after serve started." in \
            (site / "public/news/first-news/index.html").read_bytes()
        assert (site / "public/about/index.html").read_bytes() == b"changed by hand"
        builder.finish()
        pages = pages_read()
        assert "about/index.html" in pages, "a page changed by hand is read and mended"
        assert len(pages) <= 5, pages  # those the edit changed; the site has 30
        assert _tree(site / "public") == _clean_build(site, tmp_path / "clean", UNDER_A_PATH)
    finally:
        builder.session.close()


def test_serve_started_on_an_up_to_date_output_keeps_a_site_for_the_first_edit(
        tmp_path, monkeypatch):
    """serve started again on the output of the last build finds it up to date and makes
    nothing; `warm`, run once pages are served, makes the site in memory, leaving every
    output file as it was, so that the first edit of a body takes the quick path."""
    from wgsite.commands.serve import Builder

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    site = write_site(tmp_path / "site", SITE)
    folders = SiteFolders.at(site)
    build(folders, UNDER_A_PATH)
    stamps = {path: path.stat().st_mtime_ns for path in (site / "public").rglob("*")}
    builder = Builder(folders, UNDER_A_PATH)
    try:
        assert builder([]) == []
        assert builder.session.kept_site is None, "the output was up to date: nothing made"
        builder.warm()
        assert builder.session.kept_site is not None
        assert {path: path.stat().st_mtime_ns
                for path in (site / "public").rglob("*")} == stamps
        write_site(site, {NEWS: _body(NEWS, "The first edit after serve started again.\n")})
        timings = Timings()
        rebuilt = rebuild(folders, UNDER_A_PATH, timings, builder.session)
        assert any(QUICK in count for count in timings.phases["read"].counts)
        rebuilt.finish()
        assert _tree(site / "public") == _clean_build(site, tmp_path / "clean", UNDER_A_PATH)
    finally:
        builder.session.close()
