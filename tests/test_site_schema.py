"""A site extends or overrides the schema in data/schema.yaml."""

from __future__ import annotations

from pathlib import Path

from tests.sitefiles import build, run_cli, write_site

SCHEMA = """\
news:
  - name: subtitle
    kind: string
    help: A line under the title.
  - name: note
    kind: markdown
  - name: summary
    required: true
project:
  - name: budget_band
    kind: choice
    choices: [small, large]
"""


def test_added_fields_are_validated_and_reach_templates(site: Path, capsys):
    write_site(site, {
        "data/schema.yaml": SCHEMA,
        "content/news/2026-01-10-first-news.md":
            "---\ntitle: First\ndate: 2026-01-10\nsummary: S\nsubtitle: A subtitle\n"
            "note: Some *emphasis*\n---\nx\n",
        "content/news/2026-02-10-second-news.md":
            "---\ntitle: Second\ndate: 2026-02-10\nsummary: S\n---\nx\n",
        "content/news/2026-03-10-third-news.md":
            "---\ntitle: Third\ndate: 2026-03-10\nsummary: S\n---\nx\n",
        "layouts/news.html": "<h1>{{ page.title }}</h1><p>{{ page.extra.subtitle }}</p>"
                             "{{ page.extra.note }}\n",
    })
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/news/first-news/index.html").read_text()
    assert "<p>A subtitle</p>" in html and "<em>emphasis</em>" in html


def test_an_overridden_field_is_enforced(site: Path, capsys):
    write_site(site, {"data/schema.yaml": SCHEMA})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/news/2026-02-10-second-news.md:2: error: missing required key 'summary'" in err


def test_an_added_choice_is_checked(site: Path, capsys):
    write_site(site, {"data/schema.yaml": "project:\n  - name: budget_band\n    kind: choice\n"
                      "    choices: [small, large]\n",
                      "content/projects/move-on.md":
                      "---\ntitle: Move On\nbudget_band: huge\n---\nx\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("content/projects/move-on.md:3: error: 'budget_band' is 'huge'; use one of: small, "
            "large") in err


def test_a_broken_schema_file_is_reported_with_its_line(site: Path, capsys):
    write_site(site, {"data/schema.yaml": "news:\n  - name: subtitle\n    kind: strng\n"
                      "  - name: rank\n    kind: choice\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("data/schema.yaml:3: error: 'news.kind' is 'strng'; use one of: string, text, markdown"
            in err)
    assert "(did you mean 'string'?)" in err
    assert "data/schema.yaml:4: error: 'rank' is a choice; list its 'choices'" in err


def test_new_writes_the_added_fields(site: Path):
    write_site(site, {"data/schema.yaml": SCHEMA})
    assert run_cli("new", "news", "Hello", "--site", str(site),
                   "--date", "2026-06-01").returncode == 0
    text = (site / "content/news/2026-06-01-hello.md").read_text()
    assert "subtitle:" in text and "A line under the title." in text
    assert "\nsummary:" in text, "a field made required is written uncommented"


DATA_SCHEMA = """\
data:
  organisations:
    - name: membership
      kind: choice
      choices: [full, associate]
      help: How the organisation belongs to the network.
    - name: note
      kind: markdown
    - name: parent
      kind: relation
      target: organisation
  priorities:
    - name: goal
      kind: string
  site:
    - name: phone
      kind: string
"""


def test_data_files_take_added_fields_checked_and_shown(site: Path, capsys):
    organisations = (
        "- id: north-region\n  name: North Region\n  membership: full\n"
        "  note: Joined *early*.\n  parent: south-agency\n"
        "- id: south-agency\n  name: South Agency\n  membership: associate\n"
        "- id: east-institute\n  name: East Institute\n")
    write_site(site, {
        "data/schema.yaml": DATA_SCHEMA,
        "data/organisations.yaml": organisations,
        "layouts/organisation.html": "<h1>{{ page.name }}</h1><p>{{ page.extra.membership }}</p>"
                                     "{{ page.extra.note }}{% for p in page.extra.parent %}"
                                     "<a href='{{ p.url }}'>{{ p.name }}</a>{% endfor %}"
                                     "<i>{{ site.extra.phone }}</i>\n",
    })
    site_yaml = (site / "data/site.yaml").read_text()
    (site / "data/site.yaml").write_text(site_yaml + "phone: +32 2 000 00 00\n")
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    html = (site / "public/organisations/north-region/index.html").read_text()
    assert "<p>full</p>" in html and "<em>early</em>" in html
    assert "<a href='/organisations/south-agency/'>South Agency</a>" in html
    assert "<i>+32 2 000 00 00</i>" in html


def test_an_added_data_field_is_validated_with_its_line(site: Path, capsys):
    write_site(site, {
        "data/schema.yaml": DATA_SCHEMA,
        "data/organisations.yaml": "- id: north-region\n  name: North Region\n"
                                   "  membership: ful\n- id: south-agency\n  name: South Agency\n"
                                   "- id: east-institute\n  name: East Institute\n",
    })
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("data/organisations.yaml:3: error: 'membership' is 'ful'; use one of: full, "
            "associate (did you mean 'full'?)") in err


def test_added_data_fields_reach_the_reference_and_the_cms(site: Path, capsys):
    write_site(site, {"data/schema.yaml": DATA_SCHEMA})
    assert run_cli("docs", "--site", str(site)).returncode == 0
    reference = (site / "docs/reference.md").read_text()
    data_part = reference.split("## `data/organisations.yaml`", 1)[1]
    assert "| `membership` |  | one of: `full`, `associate` | How the organisation belongs" \
        in data_part
    assert build(site, capsys=capsys)[0] == 0
    import yaml
    config = yaml.safe_load((site / "public/admin/config.yml").read_text())
    data = next(c for c in config["collections"] if c["name"] == "data")
    organisations = next(f for f in data["files"] if f["name"] == "organisations")
    fields = organisations["fields"][0]["fields"]
    assert {"name": "membership"}.items() <= next(
        f for f in fields if f["name"] == "membership").items()


def test_a_built_in_field_keeps_its_kind(site: Path, capsys):
    # a date read as text, or ids read as lists, would break sorting and relations
    write_site(site, {"data/schema.yaml": "news:\n  - name: date\n    kind: string\n"
                      "data:\n  organisations:\n    - name: id\n      kind: list\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("data/schema.yaml:2: error: 'date' is a built-in date field; only its 'required', "
            "'help' and 'example' can change") in err
    assert "data/schema.yaml:6: error: 'id' is a built-in slug field" in err
