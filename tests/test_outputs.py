"""Machine outputs, read with real parsers: Atom feeds, calendars, sitemap, robots, _redirects."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
import pytest

from tests.htmlpage import HtmlPage
from tests.sitefiles import build, site_pages, write_site

BASE = "https://example.org/wg/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"></svg>\n'

# Text that iCalendar must escape; a line long enough to fold, with 2- and 4-octet characters.
SCHOOL = "Summer school; rooms, meals\nand more"
SCHOOL_YAML = SCHOOL.replace("\n", "\\n")
PLACE = ("Region Västra Götaland, Göteborgs universitet, Näringslivets hus 🌍 "
         "Vasagatan 1, Göteborg")
# Beside the fixture's three news items (January to March 2026) and two events.
EXTRA = {
    "assets/images/map.svg": SVG,
    "content/about.md": "---\ntitle: About us\naliases: [/old-about/]\n---\nText.\n",
    "content/news/2026-04-10-with-links.md": """\
---
title: With links
date: 2026-04-10
summary: Links inside.
working_groups: [adult-learning]
---
See [Move On](/projects/move-on/) and [the list](../) and [elsewhere](https://other.example/).

![A map](images/map.svg)

A claim.[^1]

[^1]: A source.
""",
    "content/news/2026-05-10-draft-news.md":
        "---\ntitle: Draft news\ndate: 2026-05-10\ndraft: true\n"
        "working_groups: [mobility]\n---\nX\n",
    "content/news/2026-05-20-scheduled-news.md":
        "---\ntitle: Scheduled news\ndate: 2026-05-20\npublish_date: 2030-01-01\n"
        "working_groups: [mobility]\n---\nX\n",
    "content/events/summer-school.md": f"""\
---
title: "{SCHOOL_YAML}"
start: 2026-07-06
end: 2026-07-08
summary: "Three days; bring a laptop, a notebook\\nand questions."
location: "{PLACE}"
working_groups: [adult-learning]
---
A school.
""",
    "content/events/draft-event.md":
        "---\ntitle: Draft event\nstart: 2026-08-01\ndraft: true\n---\nX\n",
}
PUBLISHED_TITLES = ["With links", "Third news", "Second news", "First news"]


@pytest.fixture
def sub(site: Path, capsys) -> Path:
    """The fixture site and EXTRA, built under a base path."""
    write_site(site, EXTRA)
    status, err = build(site, "--base-url", BASE, capsys=capsys)
    assert status == 0, err
    return site / "public"


def feed(out: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((out / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def calendar(out: Path, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((out / path).read_bytes())


def events(out: Path, path: str) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in calendar(out, path).walk("VEVENT")}


def built_file(out: Path, url: str) -> Path:
    """The file a URL under BASE (or any site path) is served from."""
    path = urlsplit(url).path.removeprefix(urlsplit(BASE).path).lstrip("/")
    return out / path / "index.html" if url.endswith("/") else out / path


# -- Atom feeds -----------------------------------------------------------------

def test_site_feed_lists_published_news_newest_first(sub: Path):
    parsed = feed(sub, "feed.xml")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == PUBLISHED_TITLES, \
        "drafts and scheduled items stay out; newest first"
    assert parsed.feed.title == "Test Network"
    assert parsed.feed.updated == "2026-04-10T00:00:00+02:00", "the newest entry's date"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [BASE + "feed.xml"]
    for entry in parsed.entries:
        assert entry.link.startswith(BASE) and built_file(sub, entry.link).is_file(), entry.link
        assert entry.author == "Test Network"
        assert entry.id.startswith("tag:example.org,2026-")
    first = parsed.entries[-1]
    assert first.link == BASE + "news/first-news/"
    assert first.published == "2026-01-10T00:00:00+01:00", "midnight in Brussels, winter time"
    assert first.published_parsed[:4] == (2026, 1, 9, 23)
    assert first.updated == first.published
    assert first.summary == "The first."
    assert [(tag.term, tag.label) for tag in first.tags] == [("mobility", "Mobility"),
                                                             ("erasmus", "Erasmus+")]
    assert first.content[0].type == "text/html"
    assert "Body of the first news." in first.content[0].value


def test_feed_content_has_absolute_links_and_images(sub: Path):
    root = ET.parse(sub / "feed.xml").getroot()
    entry = next(e for e in root.iter(ATOM + "entry") if e.findtext(ATOM + "title") == "With links")
    content = entry.find(ATOM + "content")
    assert content.get("type") == "html"
    html = HtmlPage()
    html.feed(content.text)
    permalink = BASE + "news/with-links/"
    assert set(html.links_to(BASE + "projects/move-on/")) == {"Move On"}
    assert html.links_to(BASE + "news/"), "a relative link resolves against the item's page"
    assert html.links_to("https://other.example/"), "other sites' links stay as they are"
    assert any(href.startswith(permalink + "#fn") for href in html.hrefs), html.hrefs
    [src] = html.srcs
    assert src.startswith(BASE + "assets/images/map.") and built_file(sub, src).is_file()
    for href in html.hrefs:
        assert urlsplit(href).scheme, f"{href} is relative"


def test_group_feed_holds_only_that_groups_news(sub: Path):
    mobility = feed(sub, "working-groups/mobility/feed.xml")
    assert [e.title for e in mobility.entries] == ["Second news", "First news"]
    assert mobility.feed.title == "Mobility – Test Network"
    alternate = [link.href for link in mobility.feed.links if link.rel == "alternate"]
    assert alternate == [BASE + "working-groups/mobility/news/"]
    adults = feed(sub, "working-groups/adult-learning/feed.xml")
    assert [e.title for e in adults.entries] == ["With links", "Third news"]
    assert adults.feed.updated == "2026-04-10T00:00:00+02:00"


def test_feed_keeps_the_latest_20_and_entry_ids_do_not_change(site: Path, capsys):
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    before = {e.title: e.id for e in feed(site / "public", "feed.xml").entries}
    write_site(site, {f"content/news/2025-{m:02d}-{d:02d}-old-{m}-{d}.md":
                      f"---\ntitle: Old {m}-{d}\ndate: 2025-{m:02d}-{d:02d}\n---\nOld.\n"
                      for m in (5, 6, 7) for d in (1, 2, 3, 4, 5, 6, 7, 8)})
    write_site(site, {"content/news/2026-05-01-newest.md":
                      "---\ntitle: Newest\ndate: 2026-05-01\n---\nNew.\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    entries = feed(site / "public", "feed.xml").entries
    assert len(entries) == 20
    assert [entries[0].title, entries[-1].title] == ["Newest", "Old 6-1"]
    after = {e.title: e.id for e in entries}
    assert {title: after[title] for title in before} == before, "an entry keeps its id"
    assert after["Newest"] == "tag:test.example.org,2026-05-01:/news/newest/"


def test_a_group_without_news_has_a_valid_empty_feed(site: Path, capsys):
    write_site(site, {"content/working-groups/quiet.md":
                      "---\ntitle: Quiet\nlead: [north-region]\n---\nQ\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    parsed = feed(site / "public", "working-groups/quiet/feed.xml")
    assert parsed.entries == [] and parsed.feed.updated == "1970-01-01T00:00:00Z"
    assert calendar(site / "public", "working-groups/quiet/events.ics").walk("VEVENT") == []


# -- iCalendar --------------------------------------------------------------------

def test_site_calendar_holds_every_published_event_in_utc_or_as_dates(sub: Path):
    cal = calendar(sub, "events.ics")
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//wgsite//")
    assert str(cal["X-WR-CALNAME"]) == "Test Network"
    found = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(found) == {"Spring forum", "Autumn forum", SCHOOL}, "the draft event stays out"
    spring = found["Spring forum"]
    assert spring.decoded("DTSTART") == datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
    assert spring.decoded("DTSTART").tzinfo.utcoffset(None).total_seconds() == 0
    assert spring.decoded("DTEND") - spring.decoded("DTSTART") == timedelta(hours=1), \
        "no end given: a default length, not none (RFC 5545 3.6.1)"
    autumn = found["Autumn forum"]
    assert autumn.decoded("DTSTART") == date(2026, 10, 1)
    assert autumn.decoded("DTEND") == date(2026, 10, 2), "DTEND is the day after a one-day event"
    assert str(autumn["LOCATION"]) == "https://meet.test.example.org/autumn", \
        "an online-only event's place is its link"
    assert str(autumn["URL"]) == BASE + "events/autumn-forum/"
    assert str(autumn["UID"]) == "wg/autumn-forum@example.org"
    assert autumn.decoded("DTSTAMP") == datetime(1970, 1, 1, tzinfo=timezone.utc), \
        "no git, no date: DTSTAMP is fixed, neither the clock nor the event's future start"
    assert "LAST-MODIFIED" not in autumn and autumn.decoded("SEQUENCE") == 0
    school = found[SCHOOL]
    assert (school.decoded("DTSTART"), school.decoded("DTEND")) == (date(2026, 7, 6),
                                                                    date(2026, 7, 9))


def test_group_and_event_calendars(sub: Path):
    assert set(events(sub, "working-groups/mobility/events.ics")) == {"Spring forum",
                                                                      "Autumn forum"}
    assert set(events(sub, "working-groups/adult-learning/events.ics")) == {SCHOOL}
    one = calendar(sub, "events/spring-forum/event.ics")
    [event] = one.walk("VEVENT")
    assert str(event["SUMMARY"]) == str(one["X-WR-CALNAME"]) == "Spring forum"
    assert str(event["LOCATION"]) == "Brussels"
    assert not (sub / "events/draft-event/event.ics").exists()


def test_calendar_text_is_escaped_and_folded_and_unfolds_to_the_same_text(sub: Path):
    raw = (sub / "events.ics").read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF"
    physical = raw.split(b"\r\n")[:-1]
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    assert b"SUMMARY:Summer school\\; rooms\\, meals\\nand more\r\n" in raw
    assert re.search(rb"\r\nLOCATION:Region V\xc3\xa4stra[^\r]*\r\n [^\r]+\r\nURL:", raw), \
        "the long location is folded onto a second line"
    school = events(sub, "events.ics")[SCHOOL]
    assert str(school["DESCRIPTION"]) == "Three days; bring a laptop, a notebook\nand questions."
    assert str(school["LOCATION"]) == PLACE


def test_uids_and_every_machine_output_are_the_same_in_two_builds(site: Path, capsys):
    write_site(site, EXTRA)
    outputs = ["feed.xml", "events.ics", "sitemap.xml", "robots.txt", "_redirects",
               "working-groups/mobility/feed.xml", "events/autumn-forum/event.ics"]
    runs = []
    for out in ("one", "two"):
        status, err = build(site, "--out", str(site / out), capsys=capsys)
        assert status == 0, err
        runs.append({path: (site / out / path).read_bytes() for path in outputs})
    assert runs[0] == runs[1]
    uids = {name: str(e["UID"]) for name, e in events(site / "one", "events.ics").items()}
    assert uids["Autumn forum"] == "autumn-forum@test.example.org"
    [single] = calendar(site / "two", "events/autumn-forum/event.ics").walk("VEVENT")
    assert str(single["UID"]) == uids["Autumn forum"], "one UID for the event in every file"


# -- when things changed: git's record of the sources -------------------------------

def git(site: Path, *args: str, when: str = "") -> None:
    """Run git in the site; `when` (ISO 8601) is the time a commit gets."""
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                    "-c", "commit.gpgsign=false", "-C", str(site), *args], check=True,
                   capture_output=True, env={**os.environ, **dates})


def commit(site: Path, when: str) -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "edit", when=when)


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_an_events_stamp_and_version_come_from_its_files_last_commit(site: Path, capsys):
    git(site, "init", "-q")
    commit(site, "2026-02-01T10:00:00Z")
    write_site(site, {"content/about.md": "---\ntitle: About us\n---\nEdited.\n"})
    commit(site, "2026-02-15T10:00:00Z")  # another file: the events are as they were
    assert build(site, capsys=capsys)[0] == 0
    before = events(site / "public", "events.ics")
    spring = before["Spring forum"]
    assert spring.decoded("LAST-MODIFIED") == datetime(2026, 2, 1, 10, tzinfo=timezone.utc)
    assert spring.decoded("DTSTAMP") == spring.decoded("LAST-MODIFIED")
    first = spring.decoded("SEQUENCE")
    assert first > 0

    forum = site / "content/events/spring-forum.md"
    forum.write_text(forum.read_text().replace("Brussels", "Ghent"))
    assert build(site, capsys=capsys)[0] == 0
    edited = events(site / "public", "events.ics")["Spring forum"]
    assert str(edited["LOCATION"]) == "Ghent"
    assert "LAST-MODIFIED" not in edited and edited.decoded("SEQUENCE") == 0, \
        "an edit not committed yet has no date of its own in git"

    commit(site, "2026-03-20T09:00:00Z")
    assert build(site, capsys=capsys)[0] == 0
    after = events(site / "public", "events.ics")
    spring = after["Spring forum"]
    assert spring.decoded("LAST-MODIFIED") == datetime(2026, 3, 20, 9, tzinfo=timezone.utc)
    assert spring.decoded("SEQUENCE") > first, "the version only ever grows"
    autumn = after["Autumn forum"]
    assert (autumn.decoded("LAST-MODIFIED"), autumn.decoded("SEQUENCE")) == (
        before["Autumn forum"].decoded("LAST-MODIFIED"),
        before["Autumn forum"].decoded("SEQUENCE")), "an event left alone stays the same"


def test_without_git_an_event_is_stamped_with_its_date_and_not_with_the_clock(
        site: Path, tmp_path: Path, capsys, monkeypatch):
    write_site(site, {"content/events/spring-forum.md": "---\ntitle: Spring forum\n"
                      "date: 2026-01-20\nstart: 2026-03-01T09:30:00+01:00\n---\nX\n"})
    runs = []
    for epoch, out in (("1780315200", "june"), ("1790000000", "september")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        from wgsite.cli import main
        assert main(["build", "--site", str(site), "--out", str(tmp_path / out)]) == 0
        runs.append((tmp_path / out / "events/spring-forum/event.ics").read_bytes())
    assert runs[0] == runs[1], "the build's today does not reach the calendar"
    [spring] = icalendar.Calendar.from_ical(runs[0]).walk("VEVENT")
    stamp = datetime(2026, 1, 19, 23, tzinfo=timezone.utc)  # midnight in Brussels
    assert spring.decoded("DTSTAMP") == spring.decoded("LAST-MODIFIED") == stamp
    assert spring.decoded("SEQUENCE") == int((stamp - datetime(2000, 1, 1, tzinfo=timezone.utc))
                                             .total_seconds())


@needs_git
def test_with_git_every_page_in_the_sitemap_has_the_day_its_content_changed(
        site: Path, capsys):
    git(site, "init", "-q")
    commit(site, "2026-01-05T10:00:00Z")
    write_site(site, {"content/news/2026-01-10-first-news.md": (
        site / "content/news/2026-01-10-first-news.md").read_text() + "More.\n"})
    commit(site, "2026-04-02T10:00:00Z")
    assert build(site, "--base-url", BASE, capsys=capsys)[0] == 0
    root = ET.parse(site / "public/sitemap.xml").getroot()
    entries = {u.findtext(SITEMAP + "loc"): u.findtext(SITEMAP + "lastmod")
               for u in root.iter(SITEMAP + "url")}
    assert all(entries.values()), [loc for loc, day in entries.items() if not day]
    assert entries[BASE + "about/"] == "2026-01-05", "its last commit"
    assert entries[BASE + "news/first-news/"] == "2026-04-02", "edited after its date"
    assert entries[BASE + "news/third-news/"] == "2026-03-10", "its date, after its commit"
    assert entries[BASE + "working-groups/mobility/"] == "2026-04-02", "it shows that news"
    assert entries[BASE + "working-groups/adult-learning/"] == "2026-03-10"
    assert entries[BASE + "news/"] == "2026-03-10", "a list changes with its newest item"
    assert entries[BASE + "news/page/2/"] == "2026-04-02", "... and with any item it shows"
    assert entries[BASE + "organisations/east-institute/"] == "2026-04-02", \
        "data/organisations.yaml is old, but the news naming it is not"
    assert entries[BASE + "priorities/skills/"] == "2026-01-05"
    assert entries[BASE + "search/"] == "2026-04-02"


# -- sitemap, robots, _redirects ----------------------------------------------------

def test_sitemap_lists_every_html_page_but_404_and_aliases(sub: Path):
    root = ET.parse(sub / "sitemap.xml").getroot()
    assert root.tag == SITEMAP + "urlset"
    entries = {u.findtext(SITEMAP + "loc"): u.findtext(SITEMAP + "lastmod")
               for u in root.iter(SITEMAP + "url")}
    pages = {BASE + p.relative_to(sub).as_posix().removesuffix("index.html")
             for p in site_pages(sub)}
    assert BASE + "old-about/" in pages, "the alias page exists, as a fallback"
    assert set(entries) == pages - {BASE + "404.html", BASE + "old-about/"}
    for loc, lastmod in entries.items():
        assert loc.startswith(BASE)
        assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), lastmod
    assert entries[BASE + "news/first-news/"] == "2026-01-10"
    assert entries[BASE + "news/"] == "2026-04-10", "a list changes with its newest item"
    assert entries[BASE + "news/page/2/"] == "2026-02-10"
    assert entries[BASE] == "2026-04-10"
    assert entries[BASE + "about/"] is None, "no date, no lastmod"


def test_robots_allows_all_and_names_the_sitemap(sub: Path):
    assert (sub / "robots.txt").read_text().splitlines() == [
        "User-agent: *", "Allow: /", "", f"Sitemap: {BASE}sitemap.xml"]


def test_redirects_send_each_alias_to_its_page(sub: Path, site: Path, capsys):
    assert (sub / "_redirects").read_text() == "/wg/old-about/ /wg/about/ 301!\n"
    project = (site / "content/projects/move-on.md").read_text()
    write_site(site, {"content/projects/move-on.md": project.replace(
        "status:", "aliases: [/projects/moveon/, /m/]\nstatus:")})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert (site / "public/_redirects").read_text().splitlines() == [
        "/m/ /projects/move-on/ 301!", "/old-about/ /about/ 301!",
        "/projects/moveon/ /projects/move-on/ 301!"]
    assert (site / "public/old-about/index.html").is_file()


@pytest.mark.parametrize("alias, clash", [("/feed.xml", "/feed.xml"),
                                          ("/Robots.txt", "/robots.txt"),
                                          ("/sitemap.xml/", "/sitemap.xml"),
                                          ("/events/autumn-forum/event.ics", None)])
def test_a_page_cannot_take_the_place_of_a_machine_output(site: Path, capsys, alias, clash):
    write_site(site, {"content/about.md": f"---\ntitle: About us\naliases: ['{alias}']\n---\nT\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    clash = clash or alias
    assert (f"content/about.md: error: the alias {alias} would overwrite {clash}, which wgsite "
            "writes itself") in err, err


# -- links on the pages ------------------------------------------------------------

def test_pages_link_to_feeds_and_calendars_that_exist(sub: Path):
    def links(url: str, media_type: str) -> list[str]:
        page = HtmlPage.read(built_file(sub, BASE + url.lstrip("/")), main_only=True)
        found = [a.attrs["href"] for a in page.all("a") if a.attrs.get("type") == media_type]
        for href in found:
            assert built_file(sub, href).is_file(), href
        return found

    assert links("/news/", "application/atom+xml") == ["/wg/feed.xml"]
    assert links("/working-groups/mobility/news/", "application/atom+xml") == [
        "/wg/working-groups/mobility/feed.xml"]
    assert links("/working-groups/mobility/", "application/atom+xml") == [
        "/wg/working-groups/mobility/feed.xml"]
    assert links("/working-groups/mobility/", "text/calendar") == [
        "/wg/working-groups/mobility/events.ics"]
    assert links("/events/", "text/calendar") == ["/wg/events.ics"]
    assert links("/events/autumn-forum/", "text/calendar") == ["/wg/events/autumn-forum/event.ics"]
    event = HtmlPage.read(built_file(sub, BASE + "events/autumn-forum/"), main_only=True)
    [add] = [a for a in event.all("a") if a.attrs.get("type") == "text/calendar"]
    assert add.attrs["download"] == "autumn-forum.ics"
    assert links("/events/spring-forum/", "text/calendar") == [], "not for a past event"


# -- the example site ----------------------------------------------------------------



def test_example_site_feeds_hold_its_published_news(example: Path):
    parsed = feedparser.parse((example / "feed.xml").read_bytes())
    assert not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert len(titles) == 18, "20 items less a draft and one scheduled for 2030"
    assert not {"Notes from the autumn meeting", "Towards the next strategic period"} & set(titles)
    dates = [e.published for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    seed = next(e for e in parsed.entries if "meaningful international cooperation" in e.title)
    assert seed.link == "https://earlall.example.org/news/working-towards-meaningful-" \
                        "international-cooperation/"
    assert 'href="https://earlall.example.org/projects/venhans/"' in seed.content[0].value
    mobility = feedparser.parse((example / "working-groups/mobility/feed.xml").read_bytes())
    assert len(mobility.entries) == 11


def test_example_site_calendars_and_sitemap(example: Path):
    cal = calendar(example, "events.ics")
    assert len(cal.walk("VEVENT")) == 7
    gothenburg = calendar(example, "events/mobility-meeting-gothenburg-2027/event.ics")
    [event] = gothenburg.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2027, 3, 10, 8, 30, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2027, 3, 11, 12, 0, tzinfo=timezone.utc)
    root = ET.parse(example / "sitemap.xml").getroot()
    locs = [u.findtext(SITEMAP + "loc") for u in root.iter(SITEMAP + "url")]
    html_pages = [p for p in site_pages(example) if p.name != "404.html"]
    assert len(locs) == len(set(locs)) == len(html_pages)
    assert "https://earlall.example.org/working-groups/mobility/" in locs


def _sitemap_by_element_tree(pages, several: bool) -> bytes:
    """The sitemap as ElementTree writes it, indented: what machine._sitemap_xml must give."""
    from wgsite.outputs.machine import SITEMAP as NS, XHTML

    urlset = ET.Element("urlset", {"xmlns": NS, **({"xmlns:xhtml": XHTML} if several else {})})
    for loc, day, alternates in pages:
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = loc
        if day:
            ET.SubElement(entry, "lastmod").text = day.isoformat()
        for alternate in alternates:
            ET.SubElement(entry, "xhtml:link", {"rel": "alternate", "hreflang": alternate.lang,
                                                "href": alternate.permalink})
        for alternate in alternates:
            if alternate.default:
                ET.SubElement(entry, "xhtml:link", {"rel": "alternate", "hreflang": "x-default",
                                                    "href": alternate.permalink})
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("several", [False, True], ids=["one language", "two"])
def test_the_sitemap_is_written_as_element_tree_would(several: bool):
    from types import SimpleNamespace

    from wgsite.outputs.machine import _sitemap_xml

    def alternate(lang: str, href: str, default: bool = False):
        return SimpleNamespace(lang=lang, permalink=href, default=default)

    odd = 'https://example.org/wg/a&b/<c>/"d"/\u00e9t\u00e9/'
    pages = [
        ("https://example.org/wg/", date(2026, 1, 2),
         [alternate("en", "https://example.org/wg/", True),
          alternate("fr", "https://example.org/wg/fr/")] if several else []),
        (odd, None, [alternate("fr", odd + "?x=1&y=\"2\"\t")] if several else []),
        ("https://example.org/wg/plain/", date(2025, 12, 31), []),
    ]
    assert _sitemap_xml(pages, several) == _sitemap_by_element_tree(pages, several)
    assert _sitemap_xml([], several) == _sitemap_by_element_tree([], several)
    ET.fromstring(_sitemap_xml(pages, several))  # and it parses
