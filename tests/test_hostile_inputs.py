"""A corpus of broken and hostile inputs: each a mutation of the small good site.

Every case must fail with exit status 1, the exact file, line and message,
no traceback, and the previous output left byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import Symlink, build, write_site

GROUP = "content/working-groups/mobility.md"
NEWS = "content/news/2026-01-10-first-news.md"
PROJECT = "content/projects/move-on.md"
EVENT = "content/events/spring-forum.md"
ABOUT = "content/about.md"


def page(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


def group(*lines: str) -> str:
    return page("title: Mobility", "lead: [north-region]", *lines)


CASES: list[tuple[str, dict, tuple[str, ...], str]] = [
    # -- the file itself ---------------------------------------------------------------
    ("empty file", {ABOUT: ""}, (),
     "content/about.md:1: error: the file is empty; a page needs front matter with a title"),
    ("blank file", {ABOUT: "\n  \n"}, (),
     "content/about.md:1: error: the file is empty; a page needs front matter with a title"),
    ("no front matter", {ABOUT: "Just text.\n"}, (),
     "content/about.md:1: error: no front matter: a page starts with a line '---', then its "
     "keys (title: ...), then another '---'"),
    ("unclosed front matter", {ABOUT: "---\ntitle: About\nBody.\n"}, (),
     "content/about.md:1: error: the front matter is not closed: add a line '---' after its keys"),
    ("front matter is a list", {ABOUT: page("- a", "- b")}, (),
     "content/about.md:2: error: the front matter must be keys and values (title: ...), not a "
     "list"),
    ("front matter is a scalar", {ABOUT: page("just words")}, (),
     "content/about.md:2: error: the front matter must be keys and values (title: ...), not a "
     "single value"),
    ("not UTF-8", {ABOUT: "---\ntitle: About\n---\nCaf\xe9\n".encode("latin-1")}, (),
     "content/about.md:4: error: the file is not UTF-8 text; save it as UTF-8"),
    ("YAML syntax", {ABOUT: page("title: About", "summary: [a, b")}, (),
     "content/about.md:3:10: error: the [ here is never closed; add ] where the list ends, "
     "or put the whole value in quotes if the [ is part of the text"),
    ("tab indentation", {ABOUT: page("title: About", "tags:", "\t- a")}, (),
     "content/about.md:4: error: this line is indented with a tab; indent with spaces, "
     "not tabs"),
    ("duplicate key", {ABOUT: page("title: About", "summary: x", "title: Again")}, (),
     "content/about.md:4: error: duplicate key 'title' (first given on line 2)"),
    ("python tag in front matter", {ABOUT: page("title: !!python/object/apply:os.system [ls]")},
     (), "content/about.md:2:8: error: YAML tags such as !!python/... are not allowed; write "
     "plain values"),
    ("python tag in data", {"data/action_types.yaml": "- !!python/name:os.system\n"}, (),
     "data/action_types.yaml:1:3: error: YAML tags such as !!python/... are not allowed"),
    ("a key that is a list", {ABOUT: page("title: About", "[a, b]: c")}, (),
     "content/about.md:3:1: error: YAML syntax: a key here is a list or mapping; keys must be "
     "plain words"),
    # -- values YAML 1.1 would retype, dates that do not exist -------------------------
    ("yes is not a boolean", {ABOUT: page("title: About", "draft: yes")}, (),
     "content/about.md:3: error: 'draft' must be true or false, not 'yes'"),
    ("words for a number", {ABOUT: page("title: About", "weight: ten")}, (),
     "content/about.md:3: error: 'weight' must be a whole number, not 'ten'"),
    ("a day that does not exist", {NEWS: page("title: N", "date: 2026-02-30")}, (),
     "content/news/2026-01-10-first-news.md:3: error: 'date' is 2026-02-30, which does not "
     "exist (day is out of range for month)"),
    ("a date in another order", {NEWS: page("title: N", "date: 10/01/2026")}, (),
     "content/news/2026-01-10-first-news.md:3: error: 'date' must be a date (YYYY-MM-DD), not "
     "'10/01/2026'"),
    ("a month that does not exist", {EVENT: page("title: E", "start: 2026-13-01T10:00")}, (),
     "content/events/spring-forum.md:3: error: 'start' is 2026-13-01T10:00, which does not "
     "exist (month must be in 1..12)"),
    ("an end before the start", {EVENT: page("title: E", "start: 2026-03-02T10:00:00+01:00",
                                             "end: 2026-03-01")}, (),
     "content/events/spring-forum.md:4: error: 'end' (2026-03-01) is before 'start' "
     "(2026-03-02 10:00:00+01:00)"),
    ("a project ending before it starts", {PROJECT: page("title: P", "start: 2025-01-01",
                                                         "end: 2024-12-31")}, (),
     "content/projects/move-on.md:4: error: 'end' (2024-12-31) is before 'start' (2025-01-01)"),
    ("a start that is not a date", {EVENT: page("title: E", "start: tomorrow")}, (),
     "content/events/spring-forum.md:3: error: 'start' must be a date (YYYY-MM-DD) or date and "
     "time (YYYY-MM-DDTHH:MM:SS+01:00), not 'tomorrow'"),
    ("a title that is a list", {ABOUT: page("title: [a, b]")}, (),
     "content/about.md:2: error: 'title' must be text, not a list"),
    ("publish date with a time but no date", {ABOUT: page("title: A", "publish_date: '10:30'")},
     (), "content/about.md:3: error: 'publish_date' must be a date (YYYY-MM-DD) or date and time"),
    # -- the schema ----------------------------------------------------------------------
    ("missing title", {ABOUT: page("summary: x")}, (),
     "content/about.md:2: error: missing required key 'title'"),
    ("empty title", {ABOUT: page("title:", "summary: x")}, (),
     "content/about.md:2: error: 'title' is empty"),
    ("unknown key, near miss", {ABOUT: page("title: A", "sumary: x")}, (),
     "content/about.md:3: error: unknown key 'sumary' (did you mean 'summary'?)"),
    ("unknown key", {ABOUT: page("title: A", "colour: red")}, (),
     "content/about.md:3: error: unknown key 'colour'"),
    ("status not a choice", {PROJECT: page("title: P", "status: finished")}, (),
     "content/projects/move-on.md:3: error: 'status' is 'finished'; use one of: planned, "
     "ongoing, completed"),
    ("url without a scheme", {PROJECT: page("title: P", "url: www.example.org")}, (),
     "content/projects/move-on.md:3: error: 'url' must be a web address (https://...), not "
     "'www.example.org'"),
    ("url with javascript", {PROJECT: page("title: P", "url: javascript:alert(1)")}, (),
     "content/projects/move-on.md:3: error: 'url' must be a web address (https://...), not "
     "'javascript:alert(1)'"),
    ("chair email", {GROUP: group("chairs:", "  - name: Ada", "    email: ada.example.org")}, (),
     "content/working-groups/mobility.md:6: error: 'chairs.email' must be an email address, "
     "not 'ada.example.org'"),
    ("chair without a name", {GROUP: group("chairs:", "  - email: ada@example.org")}, (),
     "content/working-groups/mobility.md:5: error: missing required key 'chairs.name'"),
    ("image that does not exist", {ABOUT: page("title: A", "image: images/x.png",
                                               "image_alt: x")}, (),
     "content/about.md:3: error: 'image': there is no image assets/images/x.png"),
    ("image without alt", {ABOUT: page("title: A", "image: images/pic.svg"),
                           "assets/images/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg' "
                           "width='2' height='2'/>"}, (),
     "content/about.md:3: error: 'image' has no 'image_alt': describe the picture for readers "
     "who cannot see it"),
    ("slug with spaces", {ABOUT: page("title: A", "slug: About Us")}, (),
     "content/about.md:3: error: 'slug' must be lowercase words joined by hyphens, not "
     "'About Us'"),
    ("slug trying to climb", {ABOUT: page("title: A", "slug: ../../etc")}, (),
     "content/about.md:3: error: 'slug' must be lowercase words joined by hyphens, not "
     "'../../etc'"),
    ("file name that cannot be a URL", {"content/news/2026-05-05-Big News.md":
                                        page("title: B", "date: 2026-05-05")}, (),
     "content/news/2026-05-05-Big News.md: error: the file name 'Big News' cannot be a URL: use "
     "lowercase words joined by hyphens, or set 'slug'"),
    ("news without a date", {NEWS: page("title: N")}, (),
     "content/news/2026-01-10-first-news.md:2: error: missing required key 'date'"),
    ("event without a start", {EVENT: page("title: E")}, (),
     "content/events/spring-forum.md:2: error: missing required key 'start'"),
    ("group without a lead", {GROUP: page("title: Mobility")}, (),
     "content/working-groups/mobility.md:2: error: missing required key 'lead'"),
    ("group with an empty lead", {GROUP: page("title: Mobility", "lead: []")}, (),
     "content/working-groups/mobility.md:3: error: 'lead' needs at least one item"),
    ("priority text missing", {GROUP: group("priorities:", "  - priority: 1")}, (),
     "content/working-groups/mobility.md:5: error: missing required key 'priorities.text'"),
    ("policy areas without items", {GROUP: group("policy_areas:", "  period: 2023-2024")}, (),
     "content/working-groups/mobility.md:5: error: missing required key 'policy_areas.items'"),
    # -- relations -----------------------------------------------------------------------
    ("unknown group", {NEWS: page("title: N", "date: 2026-01-10", "working_groups: [mobilty]")},
     (), "content/news/2026-01-10-first-news.md:4: error: unknown working group 'mobilty' (did "
     "you mean 'mobility'?)"),
    ("unknown project", {NEWS: page("title: N", "date: 2026-01-10", "projects: [moveon]")}, (),
     "content/news/2026-01-10-first-news.md:4: error: unknown project 'moveon' (did you mean "
     "'move-on'?)"),
    ("unknown partner", {GROUP: group("cooperation: [south-agencey]")}, (),
     "content/working-groups/mobility.md:4: error: unknown organisation 'south-agencey' (did "
     "you mean 'south-agency'?)"),
    ("unknown action type", {GROUP: group("action_types: [capacity]")}, (),
     "content/working-groups/mobility.md:4: error: unknown action type 'capacity'"),
    ("unknown chair organisation", {GROUP: group("chairs:", "  - name: Ada",
                                                 "    organisation: nort-region")}, (),
     "content/working-groups/mobility.md:6: error: unknown organisation 'nort-region' (did you "
     "mean 'north-region'?)"),
    ("unknown priority number", {GROUP: group("priorities:", "  - priority: 7", "    text: x")},
     (), "content/working-groups/mobility.md:5: error: unknown priority '7'"),
    ("unknown priority id in a project", {PROJECT: page("title: P", "priorities: [skils]")}, (),
     "content/projects/move-on.md:3: error: unknown priority 'skils' (did you mean 'skills'?)"),
    # -- data files ----------------------------------------------------------------------
    ("site without a title", {"data/site.yaml": "base_url: https://x.example/\n"}, (),
     "data/site.yaml:1: error: missing required key 'title'"),
    ("unknown time zone", {"data/site.yaml": "title: T\nbase_url: https://x.example/\n"
                           "timezone: Europe/Brusels\n"}, (),
     "data/site.yaml:3: error: unknown time zone 'Europe/Brusels' (use a name such as "
     "Europe/Brussels)"),
    ("base url not a URL", {"data/site.yaml": "title: T\nbase_url: example.org\n"}, (),
     "data/site.yaml:2: error: 'base_url' must be a web address (https://...), not "
     "'example.org'"),
    ("menu link not a path", {"data/site.yaml": "title: T\nbase_url: https://x.example/\n"
                              "menu:\n  - {title: About, url: about}\n"}, (),
     "data/site.yaml:4: error: 'menu.url' must be a path such as /about/, not 'about'"),
    ("organisation id not a slug", {"data/organisations.yaml": "- id: North Region\n"
                                    "  name: North\n"}, (),
     "data/organisations.yaml:1: error: 'id' must be lowercase words joined by hyphens, not "
     "'North Region'"),
    ("organisation with two names", {"data/organisations.yaml": "- id: north-region\n"
                                     "  name: North\n  name: Nord\n"}, (),
     "data/organisations.yaml:3: error: duplicate key 'name' (first given on line 2)"),
    ("priorities as a list", {"data/priorities.yaml": "- id: skills\n"}, (),
     "data/priorities.yaml:1: error: this file must hold keys and values, not a list"),
    ("action type without a title", {"data/action_types.yaml": "- id: capacity-building\n"}, (),
     "data/action_types.yaml:1: error: missing required key 'title'"),
    ("empty site file", {"data/site.yaml": "\n"}, (),
     "data/site.yaml:1: error: the file is empty; see docs/reference.md for what "
     "data/site.yaml holds"),
    ("empty organisations file", {"data/organisations.yaml": ""}, (),
     "data/organisations.yaml:1: error: the file is empty"),
    ("an entry that is not keys and values", {"data/action_types.yaml": "- just a string\n"},
     (), "data/action_types.yaml:1: error: this must be keys and values, not 'just a string'"),
    ("missing data file", {"data/priorities.yaml": None}, (),
     "data/priorities.yaml: error: the site needs data/priorities.yaml"),
    # -- URLs and the output folder ------------------------------------------------------
    ("two pages, one URL", {"content/news/2026-05-01-first-news.md":
                            page("title: Again", "date: 2026-05-01")}, (),
     "content/news/2026-05-01-first-news.md: error: this file's name gives the slug "
     "'first-news', which content/news/2026-01-10-first-news.md already has (both would be "
     "/news/first-news/); rename the file, or give it a 'slug'"),
    ("a page against a list", {"content/news.md": page("title: News page")}, (),
     "the list /news/: error: the URL /news/ is also claimed by content/news.md"),
    ("an alias against a page", {ABOUT: page("title: A", "aliases: [/news/first-news/]")}, (),
     "content/news/2026-01-10-first-news.md: error: the URL /news/first-news/ is also claimed by "
     "content/about.md (alias /news/first-news/)"),
    ("an alias differing in case only", {ABOUT: page("title: A", "aliases: [/News/First-News/]")},
     (), "content/news/2026-01-10-first-news.md: error: the URL /news/first-news/ is also claimed "
     "by content/about.md (alias /News/First-News/) as /News/First-News/: they differ only in "
     "case or Unicode form, which many file systems treat as one"),
    ("aliases differing in Unicode form only",
     {ABOUT: page("title: A", "aliases: [\"/caf\\u00e9/\", \"/cafe\\u0301/\"]")}, (),
     "content/about.md (alias /cafe\u0301/): error: the URL /cafe\u0301/ is also claimed by "
     "content/about.md (alias /caf\u00e9/) as /caf\u00e9/: they differ only in case or Unicode "
     "form"),
    ("an alias that is a file where a page needs a folder",
     {ABOUT: page("title: A"), NEWS: page("title: N", "date: 2026-01-10", "aliases: [/about]")},
     (), "content/news/2026-01-10-first-news.md (alias /about): error: the URL /about is a file "
     "where content/about.md needs the folder /about/ for /about/"),
    ("alias climbing out", {ABOUT: page("title: A", "aliases: [/../../etc/passwd]")}, (),
     "content/about.md:3: error: 'aliases' '/../../etc/passwd' must not contain . or .. "
     "segments"),
    ("alias climbing out, URL-escaped", {ABOUT: page("title: A", "aliases: [/%2e%2e/x/]")}, (),
     "content/about.md:3: error: 'aliases' '/%2e%2e/x/' must not contain . or .. segments"),
    ("alias climbing out, escaped twice", {ABOUT: page("title: A", "aliases: [/%252e%252e/x/]")},
     (), "content/about.md:3: error: 'aliases' '/%252e%252e/x/' must not contain . or .. "
     "segments"),
    ("alias to another site", {ABOUT: page("title: A", "aliases: ['https://evil.example/']")},
     (), "content/about.md:3: error: 'aliases' 'https://evil.example/' must be a path on this "
     "site, starting with one /"),
    ("alias that is absolute on disk", {ABOUT: page("title: A", "aliases: ['//etc/passwd']")},
     (), "content/about.md:3: error: 'aliases' '//etc/passwd' must be a path on this site, "
     "starting with one /"),
    ("alias with backslashes", {ABOUT: page("title: A", "aliases: ['/..\\..\\x']")}, (),
     "content/about.md:3: error: 'aliases' '/..\\\\..\\\\x' must not contain backslashes or "
     "control characters"),
    ("alias with a NUL", {ABOUT: page("title: A", "aliases: [\"/x\\0y/\"]")}, (),
     "content/about.md:3: error: 'aliases' '/x\\x00y/' must not contain backslashes or control "
     "characters"),
    ("alias naming a drive", {ABOUT: page("title: A", "aliases: ['/C:/Windows/']")}, (),
     "content/about.md:3: error: 'aliases' '/C:/Windows/' must not name a drive"),
    ("a folder that is not a section", {"content/news/2026/x.md": page("title: X")}, (),
     "content/news/2026/x.md: error: this folder is not a section of the site"),
    ("a content file linking outside", {ABOUT: Symlink("/etc/hostname")}, (),
     "content/about.md: error: this is a symbolic link that leads outside the site folder; copy "
     "the file in"),
    ("an asset linking outside", {"assets/images/secret.txt": Symlink("/etc/hostname")}, (),
     "assets/images/secret.txt: error: this is a symbolic link that leads outside the site "
     "folder; copy the file in"),
    # -- Markdown ------------------------------------------------------------------------
    ("image in Markdown that does not exist", {ABOUT: page("title: A") + "\n![Map](images/m.png)\n"},
     (), "content/about.md:6: error: there is no image assets/images/m.png"),
    ("javascript link, strict", {ABOUT: page("title: A") + "\n[x](javascript:alert(1))\n"},
     ("--strict",), "content/about.md:6: error: removed a javascript: link; links and images "
     "may use http, https, mailto or a path on the site"),
    ("obfuscated link, strict", {ABOUT: page("title: A") + "\n[x](JaVa&#x09;ScRiPt:alert(1))\n"},
     ("--strict",), "content/about.md:6: error: removed a javascript: link"),
    ("data image, strict", {ABOUT: page("title: A") + "\n![x](data:image/png;base64,AAAA)\n"},
     ("--strict",), "content/about.md:6: error: removed a data: image"),
    ("raw script, strict", {ABOUT: page("title: A") + "\n<div>hi<script>alert(1)</script></div>\n"},
     ("--strict",), "content/about.md:6: error: removed the <script> element from raw HTML (set "
     "trust_html in data/site.yaml to allow it)"),
    ("raw event handler, strict", {ABOUT: page("title: A") + "\n<p onmouseover=\"x()\">hi</p>\n"},
     ("--strict",), "content/about.md:6: error: removed the onmouseover attribute of <p> from "
     "raw HTML"),
    # -- templates -----------------------------------------------------------------------
    ("a template naming nothing", {"layouts/page.html": "<h1>{{ page.title }}</h1>\n"
                                   "{{ page.subtitle }}\n"}, (),
     "layouts/page.html:2: error: 'wgsite.content.records.Record object' has no attribute 'subtitle' "
     "(while rendering /about/ from content/about.md)"),
    ("a template syntax error", {"layouts/page.html": "<h1>{{ page.title }}</h1>\n{% if %}\n"},
     (), "layouts/page.html:2: error: Expected an expression, got 'end of statement block'"),
    ("a layout that does not exist", {ABOUT: page("title: A", "layout: fancy.html")}, (),
     "layouts: error: there is no template 'fancy.html' (while rendering /about/ from "
     "content/about.md)"),
    ("a phrase that does not exist", {"layouts/page.html": "<h1>{{ t('nope') }}</h1>\n"}, (),
     "layouts/page.html:1: error: no phrase 'nope' in data/i18n/en.yaml (while rendering "
     "/about/ from content/about.md)"),
]


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name,files,args,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_fails_cleanly(site: Path, capsys, name, files, args, expected):
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    before = snapshot(site / "public")
    write_site(site, files)
    status, err = build(site, *args, capsys=capsys)
    assert status == 1, err
    assert expected in err
    assert "Traceback" not in err
    assert err.rstrip().endswith("the site was not built; the previous output is unchanged.")
    assert snapshot(site / "public") == before
    assert not list(site.glob(".public.staging-*"))


def test_the_corpus_is_large():
    assert len(CASES) >= 50
