"""What template authors get: routes by name, list pages from one frame, structured
data as values that cannot break out of their <script> element."""

from __future__ import annotations

import json
from pathlib import Path

from tests.sitefiles import SITE, build, write_site
from wgsite.render.structured_data import json_script
from wgsite.urls import PATTERNS


def test_a_layout_links_to_routes_by_name_under_the_base_path(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**SITE, "layouts/page.html": (
        '<a id="news" href="{{ url_for("news_list") }}">n</a>'
        '<a id="group" href="{{ url_for("working_group", slug="mobility") }}">g</a>'
        '<a id="search" href="{{ url_for("search") }}">s</a>\n')})
    status, err = build(site, "--base-url", "https://example.org/wg/", capsys=capsys)
    assert status == 0, err
    html = (site / "public/about/index.html").read_text(encoding="utf-8")
    assert 'id="news" href="/wg/news/"' in html
    assert 'id="group" href="/wg/working-groups/mobility/"' in html
    assert 'id="search" href="/wg/search/"' in html


def test_an_unknown_route_name_is_an_error_at_its_template_line(tmp_path: Path, capsys):
    site = write_site(tmp_path / "site", {**SITE, "layouts/page.html": (
        "<p>fine</p>\n<a href=\"{{ url_for('newz') }}\">n</a>\n")})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "layouts/page.html:2:" in err
    assert "no route 'newz'" in err and "news_list" in err


def test_the_theme_names_routes_instead_of_writing_paths():
    """Every path the theme links to is a named route (the search form and page,
    which load Pagefind's own files, aside)."""
    layouts = Path(__file__).resolve().parent.parent / "layouts"
    for template in sorted(layouts.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        if template.name in ("search.html", "header.html"):
            text = text.replace('url("/search/")', "").replace('url("/pagefind/', "")
            text = text.replace('url("/")', "") if template.name == "search.html" else text
        assert 'url("/' not in text, template


def test_named_routes_include_the_pages_templates_link_to():
    assert {"home", "search", "not_found", "tags"} <= set(PATTERNS)


def test_json_for_a_script_element_escapes_what_could_end_it():
    text = 'a </script> <!-- & \' \u2028 \u2029 “curly”'
    out = json_script({"name": text})
    for unsafe in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert unsafe not in out
    assert json.loads(out) == {"name": text}
    assert "“curly”" in out  # other text stays readable
