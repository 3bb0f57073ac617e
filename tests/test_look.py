"""What a reader sees of the theme's look in the built HTML: the home hero, the
asides, date ranges, tag names, typography in titles, the footer, the favicon."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, SITE, build, write_site
from wgsite.render.phrases import Phrases

BRUSSELS = ZoneInfo("Europe/Brussels")
GOTHENBURG = "/events/mobility-meeting-gothenburg-2027/"


def english() -> Phrases:
    table = yaml.safe_load((REPO / "data/i18n/en.yaml").read_text(encoding="utf-8"))
    return Phrases("en", {"en": table}, BRUSSELS)


def read(out: Path, url: str, main_only: bool = False) -> HtmlPage:
    return HtmlPage.read(out / url.strip("/") / "index.html" if url != "/"
                         else out / "index.html", main_only)


def section(html: str, css_class: str) -> str:
    """The HTML of the first element whose class list starts with `css_class`."""
    start = html.index(f'class="{css_class}')
    return html[start:start + 6000]


def plain(text: str) -> str:
    """Text as a reader reads it: non-breaking spaces and word joiners as spaces or nothing."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def test_a_range_says_its_month_and_year_once():
    t = english()
    assert plain(t.range(date(2027, 3, 10), date(2027, 3, 11))) == "10–11 March 2027"
    assert plain(t.range(date(2027, 3, 30), date(2027, 4, 2))) == "30 March – 2 April 2027"
    assert plain(t.range(date(2026, 12, 30), date(2027, 1, 2))) == \
        "30 December 2026 – 2 January 2027"
    assert plain(t.range(date(2027, 3, 10), date(2027, 3, 10))) == "10 March 2027"
    start = datetime(2027, 3, 10, 9, 30, tzinfo=BRUSSELS)
    assert plain(t.range(start, datetime(2027, 3, 10, 17, 0, tzinfo=BRUSSELS))) == \
        "10 March 2027, 09:30–17:00 CET"
    assert plain(t.range(start, datetime(2027, 3, 11, 13, 0, tzinfo=BRUSSELS))) == \
        "10 March, 09:30 – 11 March 2027, 13:00 CET"
    assert plain(t.range(start)) == "10 March 2027, 09:30 CET"


def test_a_date_never_breaks_across_lines():
    t = english()
    for text in (t.range(date(2027, 3, 10), date(2027, 3, 11)),
                 t.range(datetime(2027, 3, 10, 9, 30, tzinfo=BRUSSELS),
                         datetime(2027, 3, 11, 13, 0, tzinfo=BRUSSELS))):
        # a line may break only at " – " between two dates, never inside one
        for part in text.split(" – "):
            assert " " not in part, repr(part)
            assert "–" not in part or "\u2060–\u2060" in part, repr(part)


def test_the_event_page_shows_its_range_once_formatted(example: Path):
    page = read(example, GOTHENBURG, main_only=True)
    times = [plain(t) for t in page.texts("time")]
    assert "10 March, 09:30 – 11 March 2027, 13:00 CET" in times
    assert not any("11 March 2027, 13:00 CET –" in t for t in times)


def test_tags_read_by_their_names(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", SITE)
    assert build(site, capsys=capsys)[0] == 0
    tags = read(site / "public", "/tags/", main_only=True).text
    assert "Mobility" in tags and "Erasmus+" in tags  # a slug reads as a word; a name as written
    write_site(site, {"data/site.yaml": SITE["data/site.yaml"] + (
        "tags:\n  - {id: mobility, title: Learning mobility}\n")})
    assert build(site, capsys=capsys)[0] == 0
    page = read(site / "public", "/news/first-news/", main_only=True)
    assert "Learning mobility" in page.texts("a")
    assert "mobility" not in page.texts("a")


def test_a_slug_tag_reads_as_words_and_a_declared_one_by_its_title(example: Path):
    tags = read(example, "/tags/", main_only=True).texts("a")
    assert any(t.startswith("Erasmus+ ") for t in tags), tags  # declared in data/site.yaml
    assert any(t.startswith("Green skills ") for t in tags), tags  # green-skills, readable
    assert not any(re.match(r"[a-z]+-[a-z]+ ", t) for t in tags), "no slug shown as a name"


def test_a_tag_declaration_is_checked_like_every_other_key(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**SITE, "data/site.yaml": SITE["data/site.yaml"] + (
        "tags:\n  - {id: mobility, titel: Learning mobility}\n")})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "data/site.yaml:" in err and "titel" in err


def test_titles_and_summaries_get_the_typography_of_bodies(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**SITE, "content/news/2026-04-01-quotes.md": (
        "---\ntitle: '\"Skills\" -- what''s next'\ndate: 2026-04-01\n"
        "summary: 'The network''s \"view\"...'\n---\nBody.\n")})
    assert build(site, capsys=capsys)[0] == 0
    page = read(site / "public", "/news/quotes/")
    assert page.texts("h1") == ["“Skills” – what’s next"]
    assert "The network’s “view”…" in page.text
    listing = read(site / "public", "/news/", main_only=True)
    assert "“Skills” – what’s next" in listing.text


def test_the_home_page_opens_with_its_purpose_figures_and_next_event(example: Path):
    page = read(example, "/", main_only=True)
    home = yaml.safe_load((REPO / "content/_index.md").read_text().split("---\n")[1])
    assert page.texts("h1") == [home["title"]]
    html = (example / "index.html").read_text(encoding="utf-8")
    figures = section(html, "figures")
    groups = len([p for p in (example / "working-groups").iterdir()
                  if (p / "index.html").is_file() and p.name != "page"])
    site = yaml.safe_load((REPO / "data/site.yaml").read_text())
    assert re.search(rf"<dt>working groups</dt><dd><a [^>]*>{groups}</a></dd>", figures)
    assert f"<dt>members</dt><dd>{site['members']}</dd>" in figures
    next_event = section(html, "hero__event")
    assert "Next event" in next_event and GOTHENBURG in next_event


def test_the_group_page_keeps_chairs_next_event_and_feeds_in_its_aside(example: Path):
    html = (example / "working-groups/mobility/index.html").read_text(encoding="utf-8")
    main, aside = html.split('class="layout__aside', 1)
    # the group's address, for a person to read: no mailto and no address in the clear
    assert 'data-user="mobility" data-domain="earlall.example.org"' in aside
    assert "mobility@earlall.example.org" not in html
    assert GOTHENBURG in aside and "feed.xml" in aside and "events.ics" in aside
    assert "mailto:" not in main.split('<main', 1)[1]


def test_the_news_item_keeps_its_relations_in_its_aside(example: Path):
    html = (example / "news/working-towards-meaningful-international-cooperation/"
            "index.html").read_text(encoding="utf-8")
    aside = html.split('class="layout__aside', 1)[1]
    for target in ("/working-groups/mobility/", "/projects/", "/organisations/", "/tags/"):
        assert f'href="{target}' in aside, target


def test_a_priority_crumb_is_its_number_not_its_title(example: Path):
    priority = next(p for p in sorted((example / "priorities").iterdir()) if p.is_dir())
    page = HtmlPage.read(priority / "index.html")
    current = [e.text.strip() for e in page.all("span") if e.attrs.get("aria-current")]
    assert len(current) == 1 and re.fullmatch(r"Priority \d+", current[0]), current


def test_the_footer_has_contact_legal_pages_social_links_and_the_eu_line(example: Path):
    html = (example / "index.html").read_text(encoding="utf-8")
    footer = html[html.index("<footer"):]
    for path in ("legal-notice", "privacy", "accessibility"):
        assert f'href="/{path}/"' in footer
        assert (example / path / "index.html").is_file()
    assert 'href="mailto:info@earlall.example.org"' in footer
    assert "Co-funded by the European Union" in footer
    emblem = re.search(r'<img class="eu-funding__emblem" src="([^"]+)"', footer)
    assert emblem and (example / emblem.group(1).lstrip("/")).is_file()
    assert "social.example.org" in footer and "newsletter.earlall.example.org" in footer


def test_the_eu_line_shows_only_when_the_site_asks(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", SITE)
    assert build(site, capsys=capsys)[0] == 0
    assert "European Union" not in (site / "public/index.html").read_text()
    write_site(site, {"data/site.yaml": SITE["data/site.yaml"] + "footer: {eu_emblem: true}\n"})
    assert build(site, capsys=capsys)[0] == 0
    assert "Co-funded by the European Union" in (site / "public/index.html").read_text()


def test_the_favicon_is_the_logo_under_the_base_path(tmp_path: Path):
    from tests.sitefiles import build_example
    out = build_example(tmp_path / "public", "--base-url", "https://example.org/wg/")
    page = HtmlPage.read(out / "about/index.html")
    icons = [e.attrs for e in page.all("link") if e.attrs.get("rel") == "icon"]
    assert len(icons) == 1 and icons[0]["href"].startswith("/wg/assets/images/logo.")
    assert (out / icons[0]["href"].removeprefix("/wg/")).is_file()
