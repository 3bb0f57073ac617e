"""Documents (minutes, reports, position papers): a built-in kind, each a file of the site
or an address elsewhere, listed on its groups' pages and in their paginated archives.

Everything from the outside: small sites in tmp dirs, built by the command line, and
the pages, the search index, /admin/ and the error messages they give.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import yaml

from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, SITE, build, run_cli, write_site

MINUTES = """\
---
title: Minutes of the March meeting
date: 2026-03-12
document_type: minutes
summary: What the group decided.
file: documents/minutes-march.pdf
working_groups: [mobility]
projects: [move-on]
meeting: monthly-meeting
language: fr
---
The group decided to meet again.
"""

# the meeting the minutes name: on the second Thursday, as 12 March 2026 is
MEETINGS = """meetings:
  - id: monthly-meeting
    title: Monthly meeting
    recurrence: {frequency: monthly, week: second, weekday: thursday}
    start_date: 2026-01-08
    time: "10:00"
    duration: 60
    time_zone: Europe/Brussels
    online_url: https://meet.example.org/mobility
"""

DOCUMENTS = {
    "content/working-groups/mobility.md": SITE["content/working-groups/mobility.md"].replace(
        "---\n", "---\n" + MEETINGS, 1),
    "assets/documents/minutes-march.pdf": b"%PDF-1.4\n" + b"x" * 1_234_567,
    "content/documents/2026-03-12-minutes-march.md": MINUTES,
    "content/documents/2026-04-01-oecd-report.md":
        "---\ntitle: OECD report\ndate: 2026-04-01\ndocument_type: report\n"
        "url: https://www.oecd.org/report.pdf\nworking_groups: [mobility]\n---\n",
    "content/documents/2026-02-01-old-agenda.md":
        "---\ntitle: Old agenda\ndate: 2026-02-01\ndocument_type: agenda\n"
        "url: https://example.net/agenda\nworking_groups: [mobility]\n---\n",
    "content/documents/2026-05-01-skills-paper.md":
        "---\ntitle: Skills paper\ndate: 2026-05-01\ndocument_type: position-paper\n"
        "url: https://example.net/skills\nworking_groups: [adult-learning]\n---\n",
}


def _site_yaml(site: Path, extra: str) -> None:
    text = (site / "data/site.yaml").read_text()
    (site / "data/site.yaml").write_text(text.replace(
        "page_sizes: {", "page_sizes: {" + extra + ", ") if extra else text)


@pytest.fixture
def documents(site: Path, capsys) -> Path:
    write_site(site, DOCUMENTS)
    _site_yaml(site, "related_documents: 2, group_documents: 2, documents: 3")
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    return site / "public"


def _main(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<main"):html.index("</main>")]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


# ---- the group page, its archive, the document's page ----

def test_the_group_page_lists_its_latest_documents_and_links_to_its_archive(documents: Path):
    section = _section(_main(documents / "working-groups/mobility/index.html"),
                       "documents-heading")
    assert "Latest documents" in section
    # newest first, page_sizes.related_documents of them (2 of the group's 3)
    assert section.index("OECD report") < section.index("Minutes of the March meeting")
    assert "Old agenda" not in section and "Skills paper" not in section
    assert 'href="/working-groups/mobility/documents/"' in section
    assert "See all documents of Mobility" in _text(section)
    assert 'href="/documents/minutes-march/"' in section


def test_a_site_without_documents_shows_no_documents_anywhere(site: Path, capsys):
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/working-groups/mobility/index.html").read_text()
    assert "documents-heading" not in html
    # a site that publishes no documents gets no empty lists of them
    assert not (site / "public/working-groups/mobility/documents").exists()
    assert not (site / "public/documents").exists()
    assert "/documents/" not in (site / "public/sitemap.xml").read_text()
    # nor does a group without documents, in a site with some
    write_site(site, {"content/documents/2026-05-01-skills-paper.md":
                      DOCUMENTS["content/documents/2026-05-01-skills-paper.md"]})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert (site / "public/working-groups/adult-learning/documents/index.html").is_file()
    assert not (site / "public/working-groups/mobility/documents").exists()
    assert (site / "public/documents/index.html").is_file()


def test_the_group_archive_is_paginated_and_holds_only_its_documents(documents: Path):
    first = _main(documents / "working-groups/mobility/documents/index.html")
    second = _main(documents / "working-groups/mobility/documents/page/2/index.html")
    assert "<h1>Documents of Mobility</h1>" in first
    assert "OECD report" in first and "Minutes of the March meeting" in first
    assert "Old agenda" in second and "OECD report" not in second
    assert "Skills paper" not in first + second
    assert 'href="/working-groups/mobility/documents/page/2/"' in first
    assert 'href="/working-groups/mobility/"' in first  # back to the group
    assert not (documents / "working-groups/mobility/documents/page/3").exists()


def test_every_document_is_in_the_paginated_list_of_all_documents(documents: Path):
    first = _text(_main(documents / "documents/index.html"))
    second = _text(_main(documents / "documents/page/2/index.html"))
    assert first.index("Skills paper") < first.index("OECD report") \
        < first.index("Minutes of the March meeting")
    assert "Old agenda" in second
    # the list of every document says whose each one is
    assert "Position paper · 1 May 2026 · Adult learning" in first


def test_a_file_link_shows_its_type_and_size_and_leads_to_the_published_file(documents: Path):
    html = _main(documents / "documents/minutes-march/index.html")
    page = HtmlPage()
    page.feed(html)
    link = next(e for e in page.elements if e.tag == "a"
                and e.attrs.get("class") == "document-read__link")
    assert link.attrs["href"].startswith("/assets/documents/minutes-march.")
    assert link.attrs["hreflang"] == "fr"
    published = documents / link.attrs["href"].lstrip("/")
    assert published.read_bytes() == DOCUMENTS["assets/documents/minutes-march.pdf"]
    assert "Read the document PDF, 1.2 MB, French" in _text(html)
    # the size never breaks across lines
    assert "PDF, 1.2\u00a0MB" in html
    # in lists the link names the document for screen readers, not only "PDF, 1.2 MB"
    group = _section(_main(documents / "working-groups/mobility/index.html"),
                     "documents-heading")
    assert "Minutes of the March meeting: PDF, 1.2 MB, French" in _text(group)


def test_a_document_published_elsewhere_links_there_and_names_the_host(documents: Path):
    html = _main(documents / "documents/oecd-report/index.html")
    assert 'href="https://www.oecd.org/report.pdf"' in html
    assert "Read the document on www.oecd.org" in _text(html)


def test_the_document_page_says_what_it_is_and_whose(documents: Path):
    text = _text(_main(documents / "documents/minutes-march/index.html"))
    assert "Minutes of the March meeting" in text and "What the group decided." in text
    assert "Minutes · 12 March 2026" in text
    assert "Type Minutes" in text and "Language French" in text
    html = _main(documents / "documents/minutes-march/index.html")
    assert 'href="/working-groups/mobility/"' in html and 'href="/projects/move-on/"' in html
    assert 'href="/documents/"' in html


def test_file_sizes_read_in_bytes_kilobytes_and_megabytes(site: Path, capsys):
    sizes = {"tiny": 512, "small": 4_500, "medium": 340_000, "large": 12_300_000}
    files = {}
    for name, size in sizes.items():
        files[f"assets/documents/{name}.docx"] = b"x" * size
        files[f"content/documents/2026-01-01-{name}.md"] = (
            f"---\ntitle: {name}\ndate: 2026-01-01\ndocument_type: report\n"
            f"file: documents/{name}.docx\n---\n")
    write_site(site, files)
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    shown = {name: _text(_main(site / f"public/documents/{name}/index.html"))
             for name in sizes}
    assert "DOCX, 512 B" in shown["tiny"]
    assert "DOCX, 4.5 kB" in shown["small"]
    assert "DOCX, 340 kB" in shown["medium"]
    assert "DOCX, 12 MB" in shown["large"]


def test_sizes_and_type_names_come_from_the_sites_phrases(site: Path, capsys):
    write_site(site, {**DOCUMENTS, "data/i18n/en.yaml":
                      'size_mb: "{size} Mo"\n'
                      "document_type_minutes: Record of the meeting\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    text = _text(_main(site / "public/documents/minutes-march/index.html"))
    assert "PDF, 1.2 Mo, French" in text
    assert "Record of the meeting · 12 March 2026" in text


def test_the_archive_and_links_work_under_a_base_path(site: Path, capsys):
    write_site(site, DOCUMENTS)
    status, err = build(site, "--base-url", "https://example.org/wg/", capsys=capsys)
    assert status == 0, err
    group = _section(_main(site / "public/working-groups/mobility/index.html"),
                     "documents-heading")
    assert 'href="/wg/working-groups/mobility/documents/"' in group
    assert 'href="/wg/documents/minutes-march/"' in group
    assert 'href="/wg/assets/documents/minutes-march.' in group
    archive = _main(site / "public/working-groups/mobility/documents/index.html")
    assert 'href="/wg/documents/oecd-report/"' in archive


def test_a_sites_layout_reads_the_meeting_a_document_belongs_to(site: Path, capsys):
    write_site(site, {**DOCUMENTS, "layouts/document.html":
                      "<main>meeting={{ page.meeting }}</main>\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/documents/minutes-march/index.html").read_text()
    assert "meeting=monthly-meeting" in html


# ---- mistakes, each with its file and line ----

def _fails(site: Path, capsys, files: dict) -> str:
    write_site(site, files)
    status, err = build(site, capsys=capsys)
    assert status == 1, err
    assert "Traceback" not in err
    return err


def test_a_file_that_does_not_exist_is_an_error_with_file_and_line(site: Path, capsys):
    err = _fails(site, capsys, {"content/documents/2026-03-12-minutes-march.md": MINUTES})
    assert ("content/documents/2026-03-12-minutes-march.md:6: error: 'file': there is no "
            "file assets/documents/minutes-march.pdf; put the file there, or correct the "
            "name") in err


def test_a_file_outside_assets_documents_is_an_error(site: Path, capsys):
    err = _fails(site, capsys, {
        "assets/images/minutes.pdf": b"%PDF-1.4\n",
        "content/documents/2026-03-12-minutes-march.md":
            MINUTES.replace("documents/minutes-march.pdf", "images/minutes.pdf"),
        "content/documents/2026-03-13-sneaky.md":
            MINUTES.replace("documents/minutes-march.pdf", "documents/../images/minutes.pdf"),
    })
    assert ("content/documents/2026-03-12-minutes-march.md:6: error: 'file' is "
            "'images/minutes.pdf'; documents are files in assets/documents/: put the file "
            "there and write documents/<file name>") in err
    assert "content/documents/2026-03-13-sneaky.md:6: error: 'file' is " \
           "'documents/../images/minutes.pdf'" in err


def test_a_file_and_a_url_both_or_neither_are_errors(site: Path, capsys):
    err = _fails(site, capsys, {
        **DOCUMENTS,
        "content/documents/2026-03-12-minutes-march.md":
            MINUTES.replace("meeting:", "url: https://example.net/m.pdf\nmeeting:"),
        "content/documents/2026-03-14-nothing.md":
            "---\ntitle: Nothing\ndate: 2026-03-14\ndocument_type: report\n---\n",
    })
    assert ("content/documents/2026-03-12-minutes-march.md:9: error: both 'file' and "
            "'url' are given; a document is either a file in assets/documents/ or an "
            "address elsewhere: keep one of the two") in err
    assert ("content/documents/2026-03-14-nothing.md:2: error: a document needs its 'file' "
            "(a path such as documents/minutes.pdf, the file in assets/documents/) or its "
            "'url' (where it is published elsewhere)") in err


def test_a_draft_may_wait_for_its_file(site: Path, capsys):
    write_site(site, {"content/documents/2026-03-14-coming.md":
                      "---\ntitle: Coming\ndraft: true\ndate: 2026-03-14\n"
                      "document_type: report\n---\n"})
    status, err = build(site, "--drafts", "--strict", capsys=capsys)
    assert status == 0, err
    html = _main(site / "public/documents/coming/index.html")
    assert "document-read" not in html


def test_an_unknown_document_type_a_missing_one_and_a_bad_meeting_id(site: Path, capsys):
    err = _fails(site, capsys, {
        **DOCUMENTS,
        "content/documents/2026-03-12-minutes-march.md":
            MINUTES.replace("document_type: minutes", "document_type: minuets")
                   .replace("meeting: monthly-meeting", "meeting: Monthly Meeting"),
        "content/documents/2026-03-14-untyped.md":
            "---\ntitle: Untyped\ndate: 2026-03-14\nurl: https://example.net/x\n---\n",
    })
    assert ("content/documents/2026-03-12-minutes-march.md:4: error: 'document_type' is "
            "'minuets'; use one of: minutes, agenda, report, position-paper, presentation "
            "(did you mean 'minutes'?)") in err
    assert ("content/documents/2026-03-12-minutes-march.md:9: error: 'meeting' must be "
            "lowercase words joined by hyphens, not 'Monthly Meeting'") in err
    assert ("content/documents/2026-03-14-untyped.md:2: error: missing required key "
            "'document_type'") in err


def test_an_unknown_group_names_the_line(site: Path, capsys):
    err = _fails(site, capsys, {
        **DOCUMENTS,
        "content/documents/2026-03-12-minutes-march.md":
            MINUTES.replace("working_groups: [mobility]", "working_groups: [mobilty]"),
    })
    assert ("content/documents/2026-03-12-minutes-march.md:7: error: unknown working group "
            "'mobilty' (did you mean 'mobility'?)") in err


# ---- a site's own document types ----

OWN_TYPES = """\
document:
  - name: document_type
    choices: [minutes, agenda, report, position-paper, presentation, policy-brief]
"""


def test_a_site_adds_a_document_type_in_its_schema(site: Path, capsys):
    write_site(site, {**DOCUMENTS, "data/schema.yaml": OWN_TYPES,
                      "content/documents/2026-05-02-brief.md":
                          "---\ntitle: A brief\ndate: 2026-05-02\ndocument_type: policy-brief\n"
                          "url: https://example.net/brief\nworking_groups: [mobility]\n---\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    # named from its id unless the site's phrases name it (document_type_policy_brief)
    assert "Policy brief · 2 May 2026" in _text(_main(site / "public/documents/brief/index.html"))
    config = yaml.safe_load((site / "public/admin/config.yml").read_text())
    documents = next(c for c in config["collections"] if c["name"] == "documents")
    kind = next(f for f in documents["fields"] if f["name"] == "document_type")
    assert kind["options"][-1] == "policy-brief"
    # and the type is still checked against the site's list
    err = _fails(site, capsys, {"content/documents/2026-05-02-brief.md":
                                "---\ntitle: A brief\ndate: 2026-05-02\n"
                                "document_type: newsletter\nurl: https://example.net/b\n---\n"})
    assert ("content/documents/2026-05-02-brief.md:4: error: 'document_type' is 'newsletter'; "
            "use one of: minutes, agenda, report, position-paper, presentation, policy-brief"
            ) in err
    reference = run_cli("docs", "--site", str(site))
    assert reference.returncode == 0, reference.stderr
    assert "policy-brief" in (site / "docs/reference.md").read_text()


def test_a_site_field_of_kind_file_is_checked_too(site: Path, capsys):
    err = _fails(site, capsys, {
        "data/schema.yaml": "project:\n  - name: report\n    kind: file\n",
        "content/projects/move-on.md":
            (site / "content/projects/move-on.md").read_text().replace(
                "programme: Erasmus+", "programme: Erasmus+\nreport: documents/final.pdf"),
    })
    assert ("content/projects/move-on.md:8: error: 'report': there is no file "
            "assets/documents/final.pdf") in err


# ---- search, the CMS, new ----

def _fragments(out: Path) -> dict[str, dict]:
    found = {}
    for path in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def test_documents_are_in_search_filterable_by_their_type(documents: Path):
    fragments = _fragments(documents)
    minutes = fragments["/documents/minutes-march/"]
    assert minutes["filters"]["Type"] == ["Document"]
    assert minutes["filters"]["Document type"] == ["Minutes"]
    assert minutes["filters"]["Working group"] == ["Mobility"]
    assert minutes["meta"]["type"] == "Minutes"
    assert fragments["/documents/skills-paper/"]["filters"]["Document type"] == [
        "Position paper"]
    assert "Document type" not in fragments["/news/first-news/"]["filters"]
    # the lists are not indexed: they would repeat the documents
    assert "/working-groups/mobility/documents/" not in fragments
    search = (documents / "search/index.html").read_text()
    filters = re.search(r'data-filters="([^"]+)"', search)[1].replace("&#34;", '"')
    assert "Document type" in json.loads(filters)


def test_the_cms_has_a_documents_collection_with_file_upload(documents: Path):
    config = yaml.safe_load((documents / "admin/config.yml").read_text())
    collection = next(c for c in config["collections"] if c["name"] == "documents")
    assert collection["folder"] == "content/documents"
    assert collection["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    fields = {f["name"]: f for f in collection["fields"]}
    assert fields["file"]["widget"] == "file"
    assert fields["file"]["media_folder"] == "/assets/documents"
    assert fields["file"]["public_folder"] == "documents"
    assert fields["url"]["widget"] == "string"
    assert fields["document_type"]["widget"] == "select"
    assert fields["document_type"]["options"] == ["minutes", "agenda", "report",
                                                  "position-paper", "presentation"]
    assert fields["working_groups"]["widget"] == "relation"
    assert fields["working_groups"]["collection"] == "working_groups"
    assert fields["projects"]["collection"] == "projects"
    assert fields["date"]["widget"] == "datetime" and "required" not in fields["date"]


def test_new_document_writes_a_dated_draft_that_builds(site: Path, capsys):
    result = run_cli("new", "document", "Minutes of May", "--site", str(site),
                     "--date", "2026-05-20")
    assert result.returncode == 0, result.stderr
    path = site / "content/documents/2026-05-20-minutes-of-may.md"
    text = path.read_text()
    assert "\ndocument_type: minutes\n" in text and "# file: documents/" in text
    status, err = build(site, "--drafts", "--strict", capsys=capsys)
    assert status == 0, err
    assert (site / "public/documents/minutes-of-may/index.html").is_file()


# ---- the example site ----

def test_the_mobility_page_of_the_example_lists_its_minutes_and_position_paper(example: Path):
    section = _section(_main(example / "working-groups/mobility/index.html"),
                       "documents-heading")
    text = _text(section)
    assert text.index("The regional view on Erasmus+ after 2027") \
        < text.index("Minutes of the Mobility meeting, October 2026") \
        < text.index("Minutes of the Mobility meeting, September 2026")
    assert "Position paper" in text and "Minutes" in text
    assert re.search(r"PDF, \d(\.\d)? kB", text)
    archive = _main(example / "working-groups/mobility/documents/index.html")
    assert archive.count('class="document"') == 3


def test_the_example_pdfs_are_made_by_our_script_and_are_valid(tmp_path: Path):
    names = sorted(p.name for p in (REPO / "assets/documents").glob("*.pdf"))
    assert len(names) == 3
    for name in names:
        data = (REPO / "assets/documents" / name).read_bytes()
        assert data.startswith(b"%PDF-1.4\n") and data.endswith(b"%%EOF\n")
        # every object sits where the cross-reference table says
        start = int(re.search(rb"startxref\n(\d+)\n", data)[1])
        assert data[start:].startswith(b"xref\n")
        offsets = re.findall(rb"(\d{10}) 00000 n ", data[start:])
        for number, offset in enumerate(offsets, start=1):
            assert data[int(offset):].startswith(b"%d 0 obj\n" % number), (name, number)
    # the script makes exactly the committed files
    import importlib.util
    spec = importlib.util.spec_from_file_location("make", REPO / "scripts/make_example_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, (title, paragraphs) in module.DOCUMENTS.items():
        assert module.pdf(title, paragraphs) == (REPO / "assets/documents" / name).read_bytes()


def test_a_group_page_changes_in_the_sitemap_with_its_latest_documents(site: Path, capsys):
    write_site(site, {"content/documents/2026-05-20-late-report.md":
                      "---\ntitle: Late report\ndate: 2026-05-20\ndocument_type: report\n"
                      "url: https://example.net/late\nworking_groups: [adult-learning]\n---\n"})
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    sitemap = (site / "public/sitemap.xml").read_text()
    entry = re.search(r"<loc>https://test.example.org/working-groups/adult-learning/</loc>\s*"
                      r"<lastmod>([^<]+)</lastmod>", sitemap)
    assert entry and entry[1] == "2026-05-20"


def test_minutes_name_their_meeting_and_the_meeting_links_them(site: Path, capsys):
    write_site(site, DOCUMENTS)
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/working-groups/mobility/index.html").read_text(encoding="utf-8")
    past = html[html.index('<details class="meeting__past"'):]
    past = past[:past.index("</details>")]
    assert 'href="/documents/minutes-march/"' in past  # with its occurrence of 12 March
    write_site(site, {"content/documents/2026-03-12-minutes-march.md": MINUTES.replace(
        "meeting: monthly-meeting", "meeting: monthly-meting")})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/documents/2026-03-12-minutes-march.md:9: error: 'meeting' is "
            "'monthly-meting', which is no meeting of its working groups (mobility): their "
            "meetings are: monthly-meeting (did you mean 'monthly-meeting'?)") in err
