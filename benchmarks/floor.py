"""The Python floor: the least a Python generator does to build the benchmark's news site.

    python benchmarks/floor.py --site SITE     # SITE: the wgsite export of a corpus

One process, no cache, nothing skipped on a rebuild (public/ is removed first):
for each post of the wgsite export (content/news/*.md) it splits the front matter, loads it with PyYAML's C
loader, converts the body with Python-Markdown and the extensions wgsite's content
needs (wgsite.markup.markdown.EXTENSIONS), renders one small Jinja template and
writes public/news/<slug>/index.html; then an index page; then it runs Pagefind's
binary over public/. What this takes on the same cores is the floor that wgsite's
cold build is compared with (see README.md): the work every Python generator of
this site has to do, without wgsite's validation, links, lists, feeds or cache.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import markdown
import yaml
from markupsafe import Markup
from pagefind.service import get_executable

from wgsite.markup.markdown import EXTENSION_CONFIGS, EXTENSIONS

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PAGE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} | Benchmark Network</title></head>
<body><main><h1>{{ title }}</h1>
<p><time datetime="{{ date }}">{{ date }}</time></p>
{{ body }}
</main></body></html>
"""
INDEX = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>News | Benchmark Network</title></head>
<body><main><h1>News</h1>
<ul>{% for post in posts %}
<li><a href="/news/{{ post.slug }}/">{{ post.title }}</a> <time>{{ post.date }}</time></li>{% endfor %}
</ul></main></body></html>
"""


def split(text: str, path: Path) -> tuple[str, str]:
    """The front matter and the body of a Markdown file that starts with `---`."""
    if not text.startswith("---\n"):
        raise SystemExit(f"error: {path}: no front matter")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise SystemExit(f"error: {path}: the front matter is not closed by ---")
    return head, body


def build(site: Path) -> int:
    """Build `site` into site/public; the number of posts."""
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    page, index = environment.from_string(PAGE), environment.from_string(INDEX)
    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    out = site / "public"
    if out.exists():  # what this build writes, and nothing from an earlier one
        shutil.rmtree(out)
    posts = []
    for path in sorted((site / "content" / "news").glob("*.md")):
        head, body = split(path.read_text(encoding="utf-8"), path)
        meta = yaml.load(head, Loader=LOADER) or {}
        html = converter.reset().convert(body)
        slug = path.stem[len("YYYY-MM-DD-"):]
        date = str(meta.get("date", ""))
        target = out / "news" / slug / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.render(title=meta.get("title", slug), date=date,
                                      body=Markup(html)), encoding="utf-8")
        posts.append({"slug": slug, "title": meta.get("title", slug), "date": date})
    posts.sort(key=lambda post: post["date"], reverse=True)
    (out / "index.html").write_text(index.render(posts=posts), encoding="utf-8")
    binary = get_executable()
    if binary is None:
        raise SystemExit("error: Pagefind's binary is not installed (pip install 'pagefind[bin]')")
    done = subprocess.run([str(binary), "--site", "public", "--output-path", "public/pagefind",
                           "--silent", "--force-language", "en"], cwd=site,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise SystemExit(f"error: Pagefind exited {done.returncode}")
    return len(posts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    if not (args.site / "content" / "news").is_dir():
        raise SystemExit(f"error: {args.site} has no content/news/ folder")
    count = build(args.site)
    print(f"Built {count} posts and an index into {args.site / 'public'}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
