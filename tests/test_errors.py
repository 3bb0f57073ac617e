"""Mistakes in content fail the build with the file named, exit 1 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import build, run_cli, write_site

MISTAKES = [
    ("missing required key",
     {"content/news/2026-01-10-first-news.md": "---\ndate: 2026-01-10\n---\nx\n"},
     "content/news/2026-01-10-first-news.md:2: error: missing required key 'title'"),
    ("unknown relation id with a suggestion",
     {"content/news/2026-02-10-second-news.md":
      "---\ntitle: Second\ndate: 2026-02-10\nworking_groups: [mobilty]\n---\nx\n"},
     "content/news/2026-02-10-second-news.md:4: error: unknown working group 'mobilty' "
     "(did you mean 'mobility'?)"),
    ("unknown organisation in a group",
     {"content/working-groups/adult-learning.md":
      "---\ntitle: Adult learning\nlead: [east-institut]\n---\nx\n"},
     "content/working-groups/adult-learning.md:3: error: unknown organisation 'east-institut' "
     "(did you mean 'east-institute'?)"),
    ("unparsable front matter",
     {"content/about.md": "---\ntitle: About\nsummary: [unclosed\n---\nx\n"},
     "content/about.md:3:10: error: the [ here is never closed; add ] where the list ends"),
    ("unclosed front matter",
     {"content/about.md": "---\ntitle: About\n\nNo closing line.\n"},
     "content/about.md:1: error: the front matter is not closed"),
    ("no front matter",
     {"content/about.md": "# About\n\nJust text.\n"},
     "content/about.md:1: error: no front matter"),
    ("front matter is a list",
     {"content/about.md": "---\n- title\n- About\n---\nx\n"},
     "content/about.md:2: error: the front matter must be keys and values"),
    ("unknown key with a suggestion",
     {"content/about.md": "---\ntitle: About\nsumary: Oops\n---\nx\n"},
     "content/about.md:3: error: unknown key 'sumary' (did you mean 'summary'?)"),
    ("wrong enum value",
     {"content/projects/move-on.md": "---\ntitle: Move On\nstatus: ongong\n---\nx\n"},
     "content/projects/move-on.md:3: error: 'status' is 'ongong'; use one of: planned, ongoing,"
     " completed (did you mean 'ongoing'?)"),
    ("date that does not exist",
     {"content/news/2026-03-10-third-news.md":
      "---\ntitle: Third\ndate: \"2026-02-30\"\n---\nx\n"},
     "content/news/2026-03-10-third-news.md:3: error: 'date' is 2026-02-30, which does not exist "
     "(day is out of range for month)"),
    ("bad data file",
     {"data/organisations.yaml": "- id: north-region\n  name: North\n- id: South Agency\n"
      "  name: South\n"},
     "data/organisations.yaml:3: error: 'id' must be lowercase words joined by "
     "hyphens, not 'South Agency'"),
    ("missing image",
     {"content/about.md": "---\ntitle: About\nimage: images/none.png\nimage_alt: x\n---\nx\n"},
     "content/about.md:3: error: 'image': there is no image assets/images/none.png"),
    ("missing image in markdown",
     {"content/about.md": "---\ntitle: About\n---\nText\n\n![A map](images/map.png)\n"},
     "content/about.md:6: error: there is no image assets/images/map.png"),
    ("two pages claim one URL",
     {"content/news/2026-05-01-first-news.md":
      "---\ntitle: Again\ndate: 2026-05-01\n---\nx\n"},
     "content/news/2026-05-01-first-news.md: error: this file's name gives the slug "
     "'first-news', which content/news/2026-01-10-first-news.md already has (both would be "
     "/news/first-news/); rename the file, or give it a 'slug'"),
    ("a template mistake names the template and line",
     {"layouts/page.html": "<h1>{{ page.title }}</h1>\n{{ page.no_such_thing }}\n"},
     "layouts/page.html:2: error: 'wgsite.content.records.Record object' has no attribute "
     "'no_such_thing' (while rendering /about/ from content/about.md)"),
]


@pytest.mark.parametrize("name,files,expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistake_fails_with_file_line_and_message(site: Path, capsys, name, files, expected):
    status, _ = build(site, capsys=capsys)
    assert status == 0
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    write_site(site, files)
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert expected in err
    assert "Traceback" not in err
    assert "the site was not built; the previous output is unchanged." in err
    after = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    assert after == before, "a failed build leaves the previous output as it was"


def test_every_mistake_is_reported_in_one_run(site: Path, capsys):
    write_site(site, {
        "content/about.md": "---\ntitle: About\nsumary: x\n---\n",
        "content/news/2026-02-10-second-news.md":
            "---\ntitle: S\ndate: 2026-02-10\nprojects: [nope]\n---\n",
        "content/projects/move-on.md": "---\nstatus: done\n---\n",
    })
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/about.md:3" in err
    assert "content/news/2026-02-10-second-news.md:4: error: unknown project 'nope'" in err
    assert "content/projects/move-on.md:2: error: missing required key 'title'" in err
    assert "content/projects/move-on.md:2: error: 'status' is 'done'" in err
    assert "4 errors, 0 warnings" in err


def test_the_command_line_exits_1_without_a_traceback(site: Path):
    write_site(site, {"content/about.md": "---\ntitle: [\n---\n"})
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "content/about.md:" in result.stderr and "Traceback" not in result.stderr


def test_output_folder_that_holds_the_sources_is_refused(site: Path, capsys):
    status, err = build(site, "--out", str(site / "content"), capsys=capsys)
    assert status == 1
    assert (f"{site / 'content'}: error: the output folder would overwrite the sources in "
            f"{site}") in err
    assert (site / "content/about.md").is_file()


def test_output_folder_inside_the_theme_is_refused(site: Path, capsys):
    from tests.sitefiles import REPO
    status, err = build(site, "--out", str(REPO / "layouts"), capsys=capsys)
    assert status == 1
    assert f"would overwrite the sources in {REPO}" in err
    assert (REPO / "layouts" / "base.html").is_file()


def test_editor_lock_files_are_not_pages(site: Path, capsys):
    from tests.sitefiles import Symlink
    write_site(site, {"content/.#about.md": Symlink("user@host.1234:1700000000"),
                      "content/news/.backup.md": "not front matter"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err


def test_an_unclosed_list_names_the_line_where_it_starts(site: Path, capsys):
    write_site(site, {"content/about.md": "---\ntitle: [About\nsummary: x\n---\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/about.md:2:8: error: the [ here is never closed; add ] where the list "
            "ends, or put the whole value in quotes if the [ is part of the text") in err


def test_strict_turns_warnings_into_errors(site: Path, capsys):
    write_site(site, {"content/news/undated.md": "---\ntitle: Undated\ndate: 2026-01-01\n---\nx\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0
    assert "content/news/undated.md: warning: name news files YYYY-MM-DD-slug.md" in err
    status, err = build(site, "--strict", capsys=capsys)
    assert status == 1
    assert "content/news/undated.md: error: name news files YYYY-MM-DD-slug.md" in err
