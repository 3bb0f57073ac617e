"""A group's working life, from the outside: people named by id, former chairs,
status (active, dormant, closed), members by country, and the contact box.

Each test builds a small site in a tmp dir and reads the built pages or the errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, SITE, build, write_site

GROUP = "content/working-groups/mobility.md"
PEOPLE = """\
- id: ada-lovelace
  name: Ada Lovelace
  organisation: north-region
  role: Head of mobility
  email: ada.lovelace@north.example.org
  links:
    - {title: Profile, url: https://north.example.org/ada}
- id: bruno-weber
  name: Bruno Weber
  organisation: south-agency
- id: carla-rossi
  name: Carla Rossi
  organisation: east-institute
  role: Policy officer
- id: dora-smith
  name: Dora Smith
- id: emil-berg
  name: Emil Berg
  organisation: north-region
"""
MOBILITY = """\
---
title: Mobility
weight: 1
lead: [north-region]
cooperation: [south-agency]
chairs:
  - ada-lovelace
  - name: Ines Inline
    organisation: east-institute
    email: ines@east.example.org
contacts: [carla-rossi]
emeritus:
  - person: emil-berg
    from: 2018
    to: 2022
  - person: dora-smith
    from: 2012
    to: 2018
members: [east-institute, south-agency, west-college, north-region]
contact:
  email: mobility@lists.example.org
  mailing_list: https://lists.example.org/mobility
  join: /about/
  chat:
    - {title: Matrix, url: "https://matrix.to/#/#mobility:example.org"}
---
The mobility group's introduction.
"""
ORGANISATIONS = SITE["data/organisations.yaml"] + """\
- id: west-college
  name: West College
  country: Ireland
"""


def people_site(root: Path, **files: str) -> Path:
    return write_site(root, {**SITE, "data/people.yaml": PEOPLE, GROUP: MOBILITY,
                             "data/organisations.yaml": ORGANISATIONS, **files})


def built(site: Path, capsys, *args: str) -> Path:
    status, err = build(site, *args, capsys=capsys)
    assert status == 0, err
    return site / "public"


def aside(out: Path, slug: str = "mobility") -> str:
    html = (out / f"working-groups/{slug}/index.html").read_text(encoding="utf-8")
    return html.split('class="layout__aside', 1)[1].split("</main>", 1)[0]


def section(html: str, heading_id: str) -> str:
    start = html.index(">", html.index(f'aria-labelledby="{heading_id}"')) + 1
    return html[start:html.index("</section>", start)]


def text(html: str) -> str:
    """What a reader gets of the HTML: its text, whitespace collapsed."""
    page = HtmlPage()
    page.feed(html)
    return page.text


# -- people ------------------------------------------------------------------------------

def test_chairs_and_contacts_by_id_show_with_role_and_organisation(tmp_path: Path, capsys):
    out = built(people_site(tmp_path / "site"), capsys)
    leadership = section(aside(out), "leadership-heading")
    assert ">Leadership</h2>" in leadership
    shown = text(leadership)
    assert "Chairs Ada Lovelace Head of mobility North Region" in shown
    # a chair written out in place sits beside one named by id
    assert "Ines Inline East Institute" in shown
    assert "Contact Carla Rossi Policy officer East Institute" in shown
    assert 'href="/organisations/north-region/"' in leadership
    assert 'href="https://north.example.org/ada"' in leadership


def test_former_chairs_are_apart_earliest_first_with_their_years(tmp_path: Path, capsys):
    out = built(people_site(tmp_path / "site"), capsys)
    page = aside(out)
    former = text(section(page, "former-chairs-heading"))
    assert former == ("Former chairs Dora Smith 2012–2018 Emil Berg North Region 2018–2022")
    assert "Emil Berg" not in text(section(page, "leadership-heading"))


def test_years_of_a_former_chair_may_be_open_at_either_end(tmp_path: Path, capsys):
    group = MOBILITY.replace("    from: 2018\n    to: 2022\n", "    from: 2018\n") \
        .replace("    from: 2012\n    to: 2018\n", "    to: 2018\n")
    out = built(people_site(tmp_path / "site", **{GROUP: group}), capsys)
    former = text(section(aside(out), "former-chairs-heading"))
    assert "Dora Smith until 2018" in former and "Emil Berg North Region since 2018" in former


def test_email_addresses_are_not_in_the_clear_and_only_where_public(tmp_path: Path, capsys):
    out = built(people_site(tmp_path / "site"), capsys)
    html = (out / "working-groups/mobility/index.html").read_text(encoding="utf-8")
    every_page = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html")
                         if "admin" not in p.parts)
    for address in ("ada.lovelace@north.example.org", "ines@east.example.org",
                    "mobility@lists.example.org"):
        assert address not in every_page, address
        user, domain = address.split("@")
        assert f'data-user="{user}" data-domain="{domain}"' in html
        # readable, and typeable, without JavaScript
        assert f"{user} [at] {domain}" in text(html)
    assert "mailto:" not in html
    # Bruno and Carla have no public address: nothing is shown for them
    assert text(html).count("[at]") == 3
    script = re.search(r'<script src="(/assets/js/email\.[0-9a-f]+\.js)" defer>', html)
    assert script, "the group page loads the script that makes addresses links"
    js = (out / script.group(1).lstrip("/")).read_text(encoding="utf-8")
    assert "mailto:" in js and "data-domain" in js


def test_people_are_searched_by_the_cms_and_named_in_the_reference(tmp_path: Path, capsys):
    out = built(people_site(tmp_path / "site"), capsys)
    cms = yaml.safe_load((out / "admin/config.yml").read_text(encoding="utf-8"))
    groups = next(c for c in cms["collections"] if c["name"] == "working_groups")
    fields = {f["name"]: f for f in groups["fields"]}
    for name in ("chairs", "contacts"):
        assert (fields[name]["widget"], fields[name]["file"]) == ("relation", "people"), name
    former = {f["name"]: f for f in fields["emeritus"]["fields"]}
    assert former["person"]["file"] == "people" and former["from"]["widget"] == "number"
    assert fields["members"]["file"] == "organisations"
    assert fields["status"]["options"] == ["active", "dormant", "closed"]
    assert fields["started"]["widget"] == fields["status_since"]["widget"] == "datetime"
    contact = {f["name"]: f for f in fields["contact"]["fields"]}
    assert list(contact) == ["email", "mailing_list", "join", "chat"]
    data = next(c for c in cms["collections"] if c["name"] == "data")
    people = next(f for f in data["files"] if f["name"] == "people")
    assert people["file"] == "data/people.yaml"
    entry = {f["name"]: f for f in people["fields"][0]["fields"]}
    assert entry["organisation"]["file"] == "organisations"
    assert entry["photo"]["widget"] == "image"
    reference = (REPO / "docs/reference.md").read_text(encoding="utf-8")
    assert "## `data/people.yaml`" in reference
    for key in ("`chairs`", "`contacts`", "`emeritus[].person`", "`emeritus[].from`",
                "`members`", "`contact.mailing_list`", "`contact.chat[].url`", "`status`",
                "`status_since`", "`started`", "`photo_alt`"):
        assert key in reference, key


def test_a_site_without_people_yaml_and_with_inline_chairs_still_builds(site: Path, capsys):
    assert not (site / "data/people.yaml").exists()
    out = built(site, capsys)
    shown = text(section(aside(out), "leadership-heading"))
    assert "Chair Ada Example North Region ada [at] example.org" in shown
    assert "ada@example.org" not in (out / "working-groups/mobility/index.html").read_text()


def test_a_person_shows_a_photo_with_its_description(tmp_path: Path, capsys):
    people = PEOPLE.replace("  role: Head of mobility\n", "  role: Head of mobility\n"
                            "  photo: images/ada.svg\n  photo_alt: Ada at her desk\n")
    site = people_site(tmp_path / "site", **{"data/people.yaml": people,
                                             "assets/images/ada.svg": LOGO})
    out = built(site, capsys)
    page = HtmlPage.read(out / "working-groups/mobility/index.html")
    photos = [e for e in page.all("img") if e.attrs.get("class") == "person__photo"]
    assert [p.attrs["alt"] for p in photos] == ["Ada at her desk"]


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        '<rect width="40" height="40"/></svg>')


# -- mistakes ----------------------------------------------------------------------------

def test_every_people_mistake_is_reported_with_file_line_and_nearest_id(tmp_path: Path,
                                                                         capsys):
    people = PEOPLE.replace("  organisation: south-agency\n", "  organisation: south-agncy\n") \
        .replace("- id: dora-smith\n  name: Dora Smith\n",
                 "- id: dora-smith\n  name: Dora Smith\n  photo: images/logo.svg\n")
    group = MOBILITY.replace("  - ada-lovelace\n", "  - ada-lovelac\n") \
        .replace("contacts: [carla-rossi]", "contacts: [carla-rosi]") \
        .replace("  - person: emil-berg\n    from: 2018\n    to: 2022\n",
                 "  - person: emil-berg\n    from: 2022\n    to: 2018\n") \
        .replace("members: [east-institute,", "members: [east-institut,")
    site = people_site(tmp_path / "site", **{"data/people.yaml": people, GROUP: group,
                                             "assets/images/logo.svg": LOGO})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "Traceback" not in err
    for message in (
        "data/people.yaml:10: error: unknown organisation 'south-agncy' "
        "(did you mean 'south-agency'?)",
        "data/people.yaml:17: error: the photo of 'dora-smith' has no 'photo_alt': describe "
        "the picture for readers who cannot see it",
        "content/working-groups/mobility.md:7: error: unknown person 'ada-lovelac' "
        "(did you mean 'ada-lovelace'?)",
        "content/working-groups/mobility.md:11: error: unknown person 'carla-rosi' "
        "(did you mean 'carla-rossi'?)",
        "content/working-groups/mobility.md:15: error: former chair 'emil-berg' stops in 2018, "
        "before starting in 2022",
        "content/working-groups/mobility.md:19: error: unknown organisation 'east-institut' "
        "(did you mean 'east-institute'?)",
    ):
        assert message in err, (message, err)


def test_naming_a_person_without_people_yaml_says_where_people_go(site: Path, capsys):
    write_site(site, {GROUP: MOBILITY.replace("contacts: [carla-rossi]\n", "")
                      .split("emeritus:")[0] + "---\nText.\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/working-groups/mobility.md:7: error: unknown person 'ada-lovelace' "
            "(data/people.yaml lists none)") in err


def test_a_person_named_twice_and_a_group_closing_before_it_began(tmp_path: Path, capsys):
    group = MOBILITY.replace("  - ada-lovelace\n", "  - ada-lovelace\n  - ada-lovelace\n") \
        .replace("weight: 1\n", "weight: 1\nstatus: closed\nstarted: 2020-01-01\n"
                 "status_since: 2019-06-30\n")
    status, err = build(people_site(tmp_path / "site", **{GROUP: group}), capsys=capsys)
    assert status == 1
    assert ("content/working-groups/mobility.md:11: error: 'chairs' gives 'ada-lovelace' twice "
            "(first on line 10); keep one of the two") in err
    assert ("content/working-groups/mobility.md:6: error: 'status_since' (2019-06-30) is "
            "before 'started' (2020-01-01)") in err


def test_an_unknown_status_names_the_three(site: Path, capsys):
    write_site(site, {GROUP: SITE[GROUP].replace("weight: 1\n", "weight: 1\nstatus: paused\n")})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/working-groups/mobility.md:4: error: 'status' is 'paused'; use one of: "
            "active, dormant, closed") in err


# -- lifecycle ---------------------------------------------------------------------------

CLOSED = """\
---
title: Rural learning
weight: 5
status: closed
started: 2015-01-01
status_since: 2022-06-30
lead: [east-institute]
---
The group met from 2015 to 2022.
"""
DORMANT = """\
---
title: Higher education
weight: 3
status: dormant
status_since: 2021-12-31
lead: [south-agency]
---
Paused.
"""


def lifecycle_site(root: Path) -> Path:
    news = SITE["content/news/2026-03-10-third-news.md"].replace(
        "working_groups: [adult-learning]", "working_groups: [adult-learning, rural-learning]")
    event = SITE["content/events/autumn-forum.md"].replace(
        "working_groups: [mobility]", "working_groups: [rural-learning]")
    return people_site(root, **{
        "content/working-groups/rural-learning.md": CLOSED,
        "content/working-groups/higher-education.md": DORMANT,
        "content/news/2026-03-10-third-news.md": news,
        "content/events/autumn-forum.md": event})


def test_a_closed_group_moves_to_earlier_working_groups(tmp_path: Path, capsys):
    out = built(lifecycle_site(tmp_path / "site"), capsys)
    html = (out / "working-groups/index.html").read_text(encoding="utf-8")
    html = html.split("<main", 1)[1].split("</main>", 1)[0]
    main, earlier = html.split('aria-labelledby="earlier-heading"', 1)
    assert "Rural learning" not in main
    assert ">Earlier working groups</h2>" in earlier and "Rural learning" in earlier
    # a dormant group stays among the current ones, marked as such
    assert "Higher education" in main and "Higher education" not in earlier
    card = main[main.index("Higher education"):]
    assert text(card).startswith("Higher education Dormant")
    for current in ("Mobility", "Adult learning"):
        assert current in main and current not in earlier


def test_a_closed_group_keeps_its_page_with_a_note_and_its_links(tmp_path: Path, capsys):
    out = built(lifecycle_site(tmp_path / "site"), capsys)
    page = (out / "working-groups/rural-learning/index.html").read_text(encoding="utf-8")
    assert ("This working group closed on 30 June 2022. Its page stays as a record of its "
            "work.") in text(page)
    news = HtmlPage.read(out / "news/third-news/index.html")
    assert news.links_to("/working-groups/rural-learning/") == ["Rural learning"]
    event = HtmlPage.read(out / "events/autumn-forum/index.html")
    assert event.links_to("/working-groups/rural-learning/") == ["Rural learning"]
    dormant = (out / "working-groups/higher-education/index.html").read_text(encoding="utf-8")
    assert "This working group has been dormant since 31 December 2021." in text(dormant)
    assert "status-note" not in (out / "working-groups/mobility/index.html").read_text()


def test_a_closed_group_leaves_the_home_page_and_the_footer(tmp_path: Path, capsys):
    out = built(lifecycle_site(tmp_path / "site"), capsys)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "/working-groups/rural-learning/" not in home
    assert "/working-groups/higher-education/" in home
    footer = (out / "about/index.html").read_text(encoding="utf-8").split("<footer", 1)[1]
    assert "/working-groups/rural-learning/" not in footer
    assert "/working-groups/higher-education/" in footer
    figures = re.search(r"<dt>working groups</dt><dd><a [^>]*>(\d+)</a>", home)
    assert figures and figures.group(1) == "3"


# -- members and contact -----------------------------------------------------------------

def test_members_are_listed_by_country_and_organisations_list_their_roles(tmp_path: Path,
                                                                           capsys):
    out = built(lifecycle_site(tmp_path / "site"), capsys)
    page = (out / "working-groups/mobility/index.html").read_text(encoding="utf-8")
    members = text(section(page, "members-heading"))
    # countries by name, members by name in each, those without a country last
    assert members == ("Members Ireland West College Sweden North Region "
                       "Other East Institute South Agency")
    north = text(section((out / "organisations/north-region/index.html").read_text(),
                         "org-groups"))
    assert north == "Working groups Mobility: lead, member"
    south = text(section((out / "organisations/south-agency/index.html").read_text(),
                         "org-groups"))
    assert south == "Working groups Mobility: cooperation, member Higher education: lead"
    east = text(section((out / "organisations/east-institute/index.html").read_text(),
                        "org-groups"))
    assert "Rural learning: lead (Closed)" in east and "Mobility: member" in east


def test_the_contact_box_offers_list_form_address_and_chat(tmp_path: Path, capsys):
    out = built(people_site(tmp_path / "site"), capsys, "--base-url",
                "https://example.org/wg/")
    box = section(aside(out), "contact-heading")
    assert ">Join or contact this group</h2>" in box
    page = HtmlPage()
    page.feed(box)
    assert page.links_to("/wg/about/") == ["Join the group"]
    assert page.links_to("https://lists.example.org/mobility") == \
        ["Subscribe to the mailing list"]
    # a second '#' is not allowed in a URL: matrix.to's room links get it encoded
    assert page.links_to("https://matrix.to/#/%23mobility:example.org") == ["Chat on Matrix"]
    assert "Write to: mobility [at] lists.example.org" in text(box)


def test_a_group_without_people_members_or_contact_shows_none_of_their_boxes(site: Path,
                                                                            capsys):
    out = built(site, capsys)
    page = (out / "working-groups/adult-learning/index.html").read_text(encoding="utf-8")
    for heading in ("leadership-heading", "former-chairs-heading", "contact-heading",
                    "members-heading"):
        assert heading not in page, heading


def test_a_rebuild_after_editing_people_yaml_shows_the_change(tmp_path: Path, capsys):
    site = people_site(tmp_path / "site")
    out = built(site, capsys)
    assert "Carla Rossi" in aside(out)
    write_site(site, {"data/people.yaml": PEOPLE.replace("Carla Rossi", "Carla Rossi-Ferri")})
    out = built(site, capsys)
    assert "Carla Rossi-Ferri" in aside(out)


def test_a_status_without_its_date_says_so_without_one(site: Path, capsys):
    write_site(site, {
        "content/working-groups/rural-learning.md": CLOSED.replace("status_since: 2022-06-30\n",
                                                                   ""),
        "content/working-groups/higher-education.md": DORMANT.replace(
            "status_since: 2021-12-31\n", "")})
    out = built(site, capsys)
    closed = text((out / "working-groups/rural-learning/index.html").read_text())
    assert "This working group has closed. Its page stays as a record of its work." in closed
    dormant = text((out / "working-groups/higher-education/index.html").read_text())
    assert "This working group is dormant at present." in dormant
