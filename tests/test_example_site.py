"""The example site: everything the two seed pages carry, and what they lost."""

from __future__ import annotations

import os
from pathlib import Path


from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, site_pages

SEED_NEWS = "/news/working-towards-meaningful-international-cooperation/"
PRIORITY_TITLES = [
    "Working towards skills for the future at the regional level, through innovation in "
    "lifelong learning",
    "Facilitating mobility and internationalisation across the EARLALL network and outreach",
    "Supporting the resilience of lifelong learning structures in the face of demographic and "
    "societal changes",
    "Remaining at the forefront of policy development at the EU level",
]




def read(out: Path, url: str, main_only: bool = True) -> HtmlPage:
    path = out / url.strip("/") / "index.html" if url != "/" else out / "index.html"
    return HtmlPage.read(path, main_only)


def test_the_example_has_the_amounts_the_network_needs(example: Path):
    def count(section: str) -> int:
        return len([p for p in (example / section).iterdir()
                    if p.is_dir() and p.name != "page" and (p / "index.html").is_file()])
    assert count("working-groups") >= 4
    assert count("projects") >= 4
    assert count("events") >= 4
    assert count("organisations") >= 8
    assert count("priorities") == 4
    assert count("news") >= 14
    years = {d.split("-")[0] for d in os.listdir(REPO / "content" / "news")}
    assert {"2025", "2026"} <= years
    assert (example / "about/index.html").is_file()


def test_mobility_page_says_who_leads_it_and_with_whom(example: Path):
    page = read(example, "/working-groups/mobility/")
    assert "Region Västra Götaland" in page.links_to("/organisations/region-vastra-gotaland/")
    assert "Movetia" in page.links_to("/organisations/movetia/")
    assert "Led by Region Västra Götaland in cooperation with Movetia" in page.text


def test_mobility_page_lists_all_four_action_types(example: Path):
    page = read(example, "/working-groups/mobility/")
    items = page.texts("li")
    for action in ("Capacity building", "Responding to policy", "Outreach and cooperation",
                   "EU projects and project events"):
        assert any(action in item for item in items), action


def test_mobility_page_has_one_section_per_priority_with_its_real_title(example: Path):
    page = read(example, "/working-groups/mobility/")
    headings = page.texts("h2") + page.texts("h3")
    for number, title in enumerate(PRIORITY_TITLES, start=1):
        assert f"Strategic Priority {number}: {title}" in headings
    assert "regions that do not take part in Erasmus+" in page.text


def test_mobility_page_lists_the_policy_areas_it_followed(example: Path):
    page = read(example, "/working-groups/mobility/")
    heading = next(h for h in page.texts("h2") + page.texts("h3") if "2023-2024" in h)
    assert "olicy areas" in heading
    uls = [ul for ul in page.all("ul")]
    areas = [li for li in page.texts("li") if "Europe on the Move" in li
             or "Recognition of qualifications" in li or "Inclusion and diversity" in li]
    assert len(areas) >= 3 and uls


def test_mobility_page_shows_related_news_with_their_own_images_and_all_news(example: Path):
    page = read(example, "/working-groups/mobility/")
    related = [h for h in page.hrefs if h.startswith("/news/") and h != "/news/"]
    assert len(set(related)) >= 3
    images = [img for img in page.all("img") if "/assets/images/news/" in img.attrs["src"]]
    assert images and all(img.attrs["alt"] for img in images)
    assert all(img.attrs.get("width") and img.attrs.get("height") for img in images)
    # a credit belongs with its picture on the item's own page (the seed item's test)
    assert "Illustration by" not in page.text and "Image by" not in page.text
    assert page.links_to("/working-groups/mobility/news/")
    group_news = read(example, "/working-groups/mobility/news/")
    assert group_news.links_to("/working-groups/mobility/news/page/2/"), "8+ items paginate"


def test_news_cards_show_only_their_own_pictures_and_no_credits(example: Path):
    listing = read(example, "/news/")
    pictures = [img.attrs["src"] for img in listing.all("img")]
    assert len(pictures) == len(set(pictures)), "no illustration repeats down the list"
    assert "Illustration by" not in listing.text
    cards = listing.all("article")
    assert len(cards) > len(pictures), "items without a picture of their own show none"


def test_seed_news_item_has_hero_image_with_alt_and_credit(example: Path):
    page = read(example, SEED_NEWS)
    assert page.texts("h1") == ["Working towards meaningful international cooperation and "
                                "inclusive mobility"]
    hero = page.all("img")[0]
    assert hero.attrs["alt"].startswith("Stylised globe")
    assert (example / hero.attrs["src"].lstrip("/")).is_file()
    assert "Image by Pavan Trikutam" in page.texts("figcaption")[0]


def test_seed_news_item_has_its_sections_as_h2(example: Path):
    h2 = read(example, SEED_NEWS).texts("h2")
    for section in ("A renewed commitment to internationalisation", "Shared interests and "
                    "common goals", "Building strong partnerships to deliver on "
                    "internationalisation"):
        assert section in h2


def test_seed_news_item_links_projects_partners_and_its_group(example: Path):
    page = read(example, SEED_NEWS)
    for href in ("/projects/venhans/", "/projects/ihes/", "/working-groups/mobility/"):
        assert page.links_to(href), href
    for org in ("etf", "cedefop", "epale", "oecd", "unesco", "lllp", "european-commission"):
        assert page.links_to(f"/organisations/{org}/"), org
    for project in ("venhans", "ihes"):
        assert (example / "projects" / project / "index.html").is_file()
        assert read(example, f"/projects/{project}/").links_to(SEED_NEWS), "and back again"


def test_every_internal_link_of_the_example_resolves(example: Path):
    checked = 0
    for html_file in site_pages(example):
        page = HtmlPage.read(html_file)
        for ref in page.hrefs + page.srcs:
            if ref.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, fragment = ref.partition("#")
            if not path:
                continue
            target = example / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{html_file.relative_to(example)}: {ref}"
            checked += 1
    assert checked > 1000


def test_example_drafts_and_scheduled_items_stay_out(example: Path):
    drafts = [p.name for p in (REPO / "content" / "news").glob("*.md")
              if "\ndraft: true" in p.read_text()]
    later = [p.name for p in (REPO / "content" / "news").glob("*.md")
             if "\npublish_date: 2030" in p.read_text()]
    assert drafts and later
    for name in drafts + later:
        slug = name[11:-3]
        assert not (example / "news" / slug).exists(), name


def test_every_chair_of_the_example_is_a_person_and_one_earlier_group_is_dormant(example: Path):
    import frontmatter
    import yaml

    people = {p["id"] for p in yaml.safe_load((REPO / "data/people.yaml").read_text())}
    groups = {p.stem: frontmatter.load(p).metadata
              for p in (REPO / "content/working-groups").glob("*.md")}
    for slug, meta in groups.items():
        for chair in meta.get("chairs", []):
            assert chair in people, (slug, chair)
    dormant = [slug for slug, meta in groups.items() if meta.get("status") == "dormant"]
    assert len(dormant) == 1
    since = groups[dormant[0]]["status_since"]
    assert since.year < 2025, "dormant since earlier years"
    note = read(example, f"/working-groups/{dormant[0]}/").text
    assert "This working group has been dormant since" in note
    mobility = read(example, "/working-groups/mobility/").text
    assert "Former chairs" in mobility and "Join or contact this group" in mobility
