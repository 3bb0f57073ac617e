"""A content kind a site declares in data/schema.yaml gets everything the engine's kinds get.

The proof that the kinds are declared in one place: with no change to the
engine, `publications` get item pages, a paginated list, relations both ways,
search, the CMS, the reference, `new` and validation with file and line.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml

from tests.sitefiles import build, run_cli, write_site

SCHEMA = """\
kinds:
  - name: publication
    title: Publications
    singular: Publication
    page_size: 1
    help: What the publication says.
    fields:
      - name: working_groups
        kind: list
        item: relation
        target: working_group
      - name: projects
        kind: list
        item: relation
        target: project
      - name: pages
        kind: int
        help: How many pages it has.
news:
  - name: publications
    kind: list
    item: relation
    target: publication
"""

PUBLICATIONS = {
    "data/schema.yaml": SCHEMA,
    "content/publications/mobility-report.md":
        "---\ntitle: Mobility report\ndate: 2026-04-01\nsummary: What we learnt.\n"
        "working_groups: [mobility]\nprojects: [move-on]\npages: 40\n---\nThe findings.\n",
    "content/publications/skills-paper.md":
        "---\ntitle: Skills paper\ndate: 2026-05-01\nworking_groups: [adult-learning]\n---\n"
        "A paper.\n",
    "content/news/2026-04-02-report-out.md":
        "---\ntitle: Report out\ndate: 2026-04-02\npublications: [mobility-report]\n---\n"
        "Read it.\n",
}


@pytest.fixture
def published(site: Path, capsys) -> Path:
    write_site(site, PUBLICATIONS)
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return site / "public"


def test_each_item_gets_a_page_naming_what_its_relations_name(published: Path):
    html = (published / "publications/mobility-report/index.html").read_text()
    assert "<h1>Mobility report</h1>" in html and "The findings." in html
    assert 'href="/working-groups/mobility/"' in html and 'href="/projects/move-on/"' in html
    assert 'href="/publications/"' in html  # the way back to the list


def test_the_list_is_paginated_by_the_declared_page_size(published: Path):
    first = (published / "publications/index.html").read_text()
    second = (published / "publications/page/2/index.html").read_text()
    assert "Publications" in first
    # an undated kind reads like plain pages: by weight, then title
    assert "Mobility report" in first and "Skills paper" not in first
    assert "Skills paper" in second


def test_the_records_it_names_list_it_back(published: Path):
    group = (published / "working-groups/mobility/index.html").read_text()
    assert 'id="referenced-publication"' in group
    assert 'href="/publications/mobility-report/"' in group
    assert "skills-paper" not in group
    project = (published / "projects/move-on/index.html").read_text()
    assert 'href="/publications/mobility-report/"' in project
    report = (published / "publications/mobility-report/index.html").read_text()
    assert 'href="/news/report-out/"' in report  # named by a news item's added field


def test_search_indexes_it_with_its_own_type(published: Path):
    fragments = {}
    for path in (published / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        fragments[data["url"]] = data
    assert fragments["/publications/mobility-report/"]["filters"]["Type"] == ["Publication"]


def test_the_cms_gets_a_collection_with_relations(published: Path):
    config = yaml.safe_load((published / "admin/config.yml").read_text())
    collection = next(c for c in config["collections"] if c["name"] == "publications")
    assert collection["folder"] == "content/publications"
    assert collection["label"] == "Publications"
    assert collection["label_singular"] == "Publication"
    groups = next(f for f in collection["fields"] if f["name"] == "working_groups")
    assert groups["widget"] == "relation" and groups["collection"] == "working_groups"
    news = next(c for c in config["collections"] if c["name"] == "news")
    named = next(f for f in news["fields"] if f["name"] == "publications")
    assert named["widget"] == "relation" and named["collection"] == "publications"


def test_the_reference_documents_it(site: Path):
    write_site(site, {"data/schema.yaml": SCHEMA})
    assert run_cli("docs", "--site", str(site)).returncode == 0
    reference = (site / "docs/reference.md").read_text()
    assert "## Publication: `content/publications/<slug>.md`" in reference
    assert "| `pages` |  | a whole number | How many pages it has. |" in reference


def test_new_writes_an_item_that_builds(site: Path, capsys):
    write_site(site, {"data/schema.yaml": SCHEMA})
    done = run_cli("new", "publication", "Annual review", "--site", str(site))
    assert done.returncode == 0, done.stderr
    assert (site / "content/publications/annual-review.md").is_file()
    status, err = build(site, "--drafts", capsys=capsys)
    assert status == 0, err
    assert (site / "public/publications/annual-review/index.html").is_file()


def test_new_names_the_kinds_it_knows(site: Path):
    write_site(site, {"data/schema.yaml": SCHEMA})
    done = run_cli("new", "publications", "X", "--site", str(site))
    assert done.returncode == 1
    assert "there is no kind of content 'publications'" in done.stderr
    assert "(did you mean 'publication'?)" in done.stderr


def test_its_relations_are_validated_with_file_and_line(site: Path, capsys):
    write_site(site, {**PUBLICATIONS, "content/publications/skills-paper.md":
                      "---\ntitle: Skills paper\nworking_groups: [mobilty]\n---\nA paper.\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/publications/skills-paper.md:3: error: unknown working group 'mobilty' "
            "(did you mean 'mobility'?)") in err


def test_a_declaration_that_cannot_be_a_kind_is_an_error(site: Path, capsys):
    write_site(site, {"data/schema.yaml": """\
kinds:
  - name: news
    title: More news
    singular: News
  - name: report
    title: Reports
    singular: Report
    folder: projects
  - name: paper
    title: Papers
    singular: Paper
    fields:
      - name: group
        kind: relation
        target: workgroup
"""})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "data/schema.yaml:2: error: there is already a kind 'news'" in err
    assert "data/schema.yaml:5: error: content/projects/ already holds project pages" in err
    assert ("data/schema.yaml:13: error: 'group' names the target 'workgroup', which is not "
            "a kind of record") in err
    assert "(did you mean 'working_group'?)" in err


def test_a_site_made_by_init_gets_a_kind_of_its_own(tmp_path: Path):
    site = tmp_path / "network"
    assert run_cli("init", str(site), "--title", "Our Network").returncode == 0
    (site / "data/schema.yaml").write_text(SCHEMA.split("news:")[0], encoding="utf-8")
    done = run_cli("new", "publication", "First paper", "--site", str(site))
    assert done.returncode == 0, done.stderr
    done = run_cli("build", "--site", str(site), "--drafts",
                   "--base-url", "https://example.org/wg/")
    assert done.returncode == 0, done.stderr
    page = (site / "public/publications/first-paper/index.html").read_text()
    assert 'href="/wg/publications/"' in page
    assert "First paper" in (site / "public/publications/index.html").read_text()


def test_a_kind_cannot_take_a_route_the_site_already_has(site: Path, capsys):
    write_site(site, {"data/schema.yaml": """\
kinds:
  - name: tag
    title: Labels
    singular: Label
    folder: labels
  - name: bulletin
    title: Bulletins
    singular: Bulletin
    folder: feed
  - name: paper
    title: Papers
    singular: Paper
    page_size: 0
"""})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "data/schema.yaml:2: error: there is already a kind 'tag'" in err
    assert "data/schema.yaml:6: error: the list /feed/ is taken; set another 'folder'" in err
    assert "data/schema.yaml:10: error: 'page_size' is 0; give how many items" in err
