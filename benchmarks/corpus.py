"""A deterministic corpus of news posts, exported as a site for each generator.

The benchmark compares engines on the same words: one neutral corpus (posts with
title, date, tags, groups, projects and a Markdown body of about 700 words) is
made from a seeded random.Random, then written out in the shape each tool reads.
Internal links are kept as placeholders in the neutral body, because each tool
spells a link to another post its own way.

    python benchmarks/corpus.py --posts 1000 --out /tmp/corpus   # every tool's site
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# "floor" (floor.py: the least a Python build of this site does) reads the wgsite export.
TOOLS = ("floor", "wgsite", "hugo", "eleventy", "pelican", "mkdocs")
# Written inside each exported site, so a tool's folder can be told from a stray one.
MARKER = ".bench-corpus"
LAST_DATE = date(2025, 12, 31)
POSTS_PER_DAY = 3

WORDS = """
region regions learning learner learners skills skill adult adults school schools teacher
teachers training trainer mobility exchange partner partners network networks policy policies
programme project projects funding fund budget plan plans strategy strategies priority
priorities group groups meeting meetings workshop seminar forum conference visit visits study
studies report reports survey data evidence practice practices example examples method methods
course courses module modules centre centres college colleges university universities
apprentice apprentices apprenticeship employer employers company companies sector sectors
market labour work job jobs career careers guidance counselling recognition credential
credentials qualification qualifications framework frameworks standard standards quality
inclusion access barrier barriers opportunity opportunities support service services
community communities citizen citizens youth young people family families rural urban city
cities town towns border borders cooperation dialogue debate proposal proposals position paper
papers statement response consultation commission parliament council authority authorities
ministry ministries agency agencies office offices team teams member members chair chairs
lead leads coordinator coordinators partner digital green transition transitions climate
energy environment technology tools platform platforms online hybrid local national european
international regional public private social economic cultural lifelong vocational higher
basic early further continuing informal formal non-formal open shared joint common new next
current future past recent annual monthly weekly first second third final main key central
clear strong practical useful broad narrow short long small large better wider deeper
""".split()

VERBS = """
supports discusses presents shares reviews compares prepares explores describes collects
publishes proposes agrees welcomes invites brings connects improves extends builds tests
measures follows outlines summarises highlights addresses examines maps plans funds hosts
""".split()

HEADINGS = """
Background|What the group discussed|Next steps|Key findings|How regions took part|
Results so far|Lessons learnt|Who was there|What comes next|The regional view|
Open questions|Figures at a glance|Why it matters|Practical examples|Recommendations
""".replace("\n", "").split("|")

GROUPS = [
    ("mobility", "Mobility"),
    ("vocational-education", "Vocational education and training"),
    ("adult-learning", "Adult learning"),
    ("digital-and-green-skills", "Digital and green skills"),
    ("higher-education", "Higher education"),
    ("early-school-leaving", "Early school leaving"),
]
ORGANISATIONS = [
    ("tuscany", "Tuscany Region", "Italy"),
    ("flanders", "Flanders", "Belgium"),
    ("catalonia", "Catalonia", "Spain"),
    ("vastra-gotaland", "Västra Götaland", "Sweden"),
]
TAGS = [
    "erasmus-plus", "apprenticeships", "guidance", "micro-credentials", "inclusion",
    "recognition", "digital-skills", "green-skills", "teachers", "youth", "rural-areas",
    "funding", "policy", "data", "quality", "cooperation", "employers", "lifelong-learning",
    "languages", "demography",
]
PROJECT_COUNT = 12


@dataclass(frozen=True)
class Project:
    slug: str
    title: str
    acronym: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    date: date
    summary: str
    groups: tuple[str, ...]
    projects: tuple[str, ...]
    tags: tuple[str, ...]
    body: str  # Markdown; links to other posts are written [text](@post:SLUG)

    def stem(self) -> str:
        return f"{self.date.isoformat()}-{self.slug}"


@dataclass(frozen=True)
class Corpus:
    posts: tuple[Post, ...]
    projects: tuple[Project, ...]


POST_LINK = re.compile(r"\(@post:([a-z0-9-]+)\)")


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words.insert(rng.randint(1, 3), rng.choice(VERBS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 6)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _decorate(rng: random.Random, paragraph: str, others: list[str]) -> str:
    """Emphasis, strong emphasis and links put into a plain paragraph."""
    words = paragraph.split(" ")
    i = rng.randrange(1, len(words) - 2)
    words[i] = f"*{words[i]}*"
    j = rng.randrange(1, len(words) - 2)
    if j != i:
        words[j] = f"**{words[j]}**"
    if others and rng.random() < 0.7:
        k = rng.randrange(0, len(words) - 1)
        if k not in (i, j):
            words[k] = f"[{words[k]}](@post:{rng.choice(others)})"
    if rng.random() < 0.4:
        k = rng.randrange(0, len(words) - 1)
        if "[" not in words[k] and "*" not in words[k]:
            words[k] = f"[{words[k]}](https://example.org/{rng.choice(WORDS)}/)"
    return " ".join(words)


def _table(rng: random.Random) -> str:
    head = "| Region | Participants | Share |\n| --- | ---: | ---: |"
    rows = [f"| {name} | {rng.randint(10, 400)} | {rng.randint(1, 99)} % |"
            for _, name, _ in rng.sample(ORGANISATIONS, 3)]
    return "\n".join([head, *rows])


def _body(rng: random.Random, others: list[str], target_words: int = 700) -> str:
    headings = rng.sample(HEADINGS, 5)
    blocks = [_decorate(rng, _paragraph(rng), others),
              f"## {headings[0]}",
              _decorate(rng, _paragraph(rng), others),
              "\n".join(f"- {_sentence(rng, 4, 10)}" for _ in range(rng.randint(4, 6))),
              f"## {headings[1]}",
              _paragraph(rng),
              _table(rng),
              f"## {headings[2]}",
              "\n".join(f"{n}. {_sentence(rng, 5, 12)}" for n in range(1, rng.randint(4, 6))),
              _decorate(rng, _paragraph(rng), others)]
    spare = iter(headings[3:])
    while len(" ".join(blocks).split()) < target_words:
        if rng.random() < 0.25:
            heading = next(spare, None)
            if heading:
                blocks.append(f"## {heading}")
        blocks.append(_decorate(rng, _paragraph(rng), others))
    return "\n\n".join(blocks) + "\n"


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 6))]
    text = f"{rng.choice(WORDS)} {rng.choice(VERBS)} " + " ".join(words)
    return text[0].upper() + text[1:]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_corpus(posts: int, seed: int = 2025) -> Corpus:
    """`posts` news posts, the newest dated LAST_DATE; the same seed gives the same corpus."""
    rng = random.Random(seed)
    group_ids = [slug for slug, _ in GROUPS]
    projects = []
    for n in range(PROJECT_COUNT):
        title = f"{_title(rng)} {n + 1}"
        acronym = "".join(word[0] for word in title.split()[:4]).upper() + str(n + 1)
        projects.append(Project(slugify(title), title, acronym,
                                tuple(rng.sample(group_ids, rng.randint(1, 2)))))
    first = LAST_DATE - timedelta(days=(posts - 1) // POSTS_PER_DAY)
    heads = []
    seen: set[str] = set()
    for n in range(posts):
        title = _title(rng)
        slug = slugify(title)[:60].strip("-")
        if slug in seen:
            slug = f"{slug}-{n}"
        seen.add(slug)
        heads.append((slug, title, first + timedelta(days=n // POSTS_PER_DAY)))
    result = []
    for n, (slug, title, day) in enumerate(heads):
        others = [s for s, _, _ in heads[max(0, n - 30):n]]  # links to older posts
        project_pool = [p for p in projects if rng.random() < 0.2][:2]
        groups = sorted({*rng.sample(group_ids, rng.randint(1, 2)),
                         *(g for p in project_pool for g in p.groups[:1])})
        result.append(Post(
            slug=slug, title=title, date=day, summary=_sentence(rng, 10, 16),
            groups=tuple(groups), projects=tuple(p.slug for p in project_pool),
            tags=tuple(sorted(rng.sample(TAGS, rng.randint(1, 3)))),
            body=_body(rng, others)))
    return Corpus(tuple(result), tuple(projects))


def links(body: str, spell) -> str:
    """The body with every post link spelled by `spell(slug)`."""
    return POST_LINK.sub(lambda m: f"({spell(m.group(1))})", body)


def q(text: str) -> str:
    """A JSON string: a valid YAML scalar whatever it holds."""
    return json.dumps(text, ensure_ascii=False)


def ylist(items) -> str:
    return "[" + ", ".join(items) + "]"


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


# --- wgsite -----------------------------------------------------------------------

def export_wgsite(corpus: Corpus, root: Path, translated: float = 0.0) -> None:
    """The corpus as a wgsite site; with `translated` > 0, a site in English and French
    in which that share of the posts (spread evenly, the same ones each run) and the home
    page have a French translation."""
    files = {
        "data/site.yaml": """\
title: Benchmark Network
tagline: A generated corpus for timing builds
description: The working groups of a generated network, for benchmarking builds.
base_url: https://network.benchmark.test/
language: en
timezone: Europe/Brussels
menu:
  - {title: Working groups, url: /working-groups/}
  - {title: News, url: /news/}
footer:
  text: Benchmark Network
""",
        "data/priorities.yaml": """\
period: "2021-2027"
items:
  - {id: skills, number: 1, title: Skills for the future}
  - {id: cooperation, number: 2, title: Cooperation across borders}
""",
        "data/action_types.yaml": """\
- {id: capacity-building, title: Capacity building}
- {id: responding-to-policy, title: Responding to policy}
""",
        "data/organisations.yaml": "".join(
            f"- {{id: {oid}, name: {q(name)}, country: {country}}}\n"
            for oid, name, country in ORGANISATIONS),
        "content/_index.md": "---\ntitle: Welcome\nsummary: A generated network.\n---\n"
                             "The news of a generated network.\n",
    }
    for n, (slug, title) in enumerate(GROUPS):
        files[f"content/working-groups/{slug}.md"] = f"""\
---
title: {q(title)}
summary: What the {title.lower()} group does.
lead: [{ORGANISATIONS[n % len(ORGANISATIONS)][0]}]
action_types: [capacity-building]
priorities:
  - priority: 1
    text: What the group does under the first priority.
---
The {title.lower()} group's introduction.
"""
    for n, project in enumerate(corpus.projects):
        files[f"content/projects/{project.slug}.md"] = f"""\
---
title: {q(project.title)}
acronym: {project.acronym}
status: ongoing
start: 2024-01-01
programme: Erasmus+
working_groups: {ylist(project.groups)}
priorities: [1]
partners: [{ORGANISATIONS[n % len(ORGANISATIONS)][0]}]
summary: A generated project.
---
A generated project of the benchmark corpus.
"""
    for post in corpus.posts:
        projects = f"projects: {ylist(post.projects)}\n" if post.projects else ""
        files[f"content/news/{post.stem()}.md"] = (
            f"---\ntitle: {q(post.title)}\ndate: {post.date.isoformat()}\n"
            f"summary: {q(post.summary)}\nworking_groups: {ylist(post.groups)}\n"
            f"{projects}tags: {ylist(post.tags)}\n---\n"
            + links(post.body, lambda slug: f"/news/{slug}/"))
    if translated:
        files["data/site.yaml"] = files["data/site.yaml"].replace("language: en\n",
                                                                  "languages: [en, fr]\n")
        files["content/_index.fr.md"] = "---\ntitle: Bienvenue\n---\nLes nouvelles.\n"
        chosen = [post for n, post in enumerate(corpus.posts)
                  if int((n + 1) * translated) > int(n * translated)]  # evenly spread
        for post in chosen:
            # a stand-in for a translation: its own text (so converted on its own), as
            # long as the original and linking the same way
            files[f"content/news/{post.stem()}.fr.md"] = (
                f"---\ntitle: {q('FR ' + post.title)}\nsummary: {q(post.summary)}\n---\n"
                "Version française de la nouvelle.\n\n"
                + links(post.body, lambda slug: f"/news/{slug}/"))
    _write(root, files)


def export_bilingual(corpus: Corpus, root: Path) -> None:
    """The languages scenario: the wgsite site with 30% of its posts in French too."""
    export_wgsite(corpus, root, translated=0.3)


# --- Hugo -------------------------------------------------------------------------

HUGO_BASEOF = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
"""
HUGO_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .RegularPagesRecursive.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}
</ul>{{ end }}
"""


def export_hugo(corpus: Corpus, root: Path) -> None:
    files = {
        "hugo.toml": """\
baseURL = "https://example.org/"
title = "Benchmark Network"
languageCode = "en"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
tag = "tags"
""",
        "layouts/baseof.html": HUGO_BASEOF,
        "layouts/single.html": HUGO_SINGLE,
        "layouts/list.html": HUGO_LIST,
        "content/_index.md": "---\ntitle: News\n---\n",
    }
    for post in corpus.posts:
        files[f"content/news/{post.slug}.md"] = _plain_post(post)
    _write(root, files)


def _plain_post(post: Post) -> str:
    """A post as Hugo and Eleventy both read it: title, date and tags, then the text."""
    return (f"---\ntitle: {q(post.title)}\ndate: {post.date.isoformat()}\n"
            f"tags: {ylist(post.tags)}\n---\n"
            + links(post.body, lambda slug: f"/news/{slug}/"))


# --- Eleventy ---------------------------------------------------------------------

ELEVENTY_CONFIG = """\
// One page per post, an index of all posts and a page per tag: the same pages the
// other tools build from this corpus.
module.exports = function (eleventyConfig) {
  eleventyConfig.addFilter("isoDate", (d) => d.toISOString().slice(0, 10));
  eleventyConfig.addCollection("tagList", (api) => {
    const tags = new Set();
    for (const item of api.getFilteredByTag("news")) {
      for (const tag of item.data.tags || []) if (tag !== "news") tags.add(tag);
    }
    return [...tags].sort();
  });
  return { dir: { input: ".", includes: "_includes", output: "_site" },
           markdownTemplateEngine: false };
};
"""
ELEVENTY_BASE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} | Benchmark Network</title></head>
<body><header><a href="/">Benchmark Network</a></header>
<main>{{ content | safe }}</main></body></html>
"""
ELEVENTY_POST = """\
---
layout: base.njk
---
<article><h1>{{ title }}</h1>
<p><time datetime="{{ page.date | isoDate }}">{{ page.date | isoDate }}</time></p>
{{ content | safe }}
<ul class="tags">{% for tag in tags %}{% if tag != "news" %}<li><a href="/tags/{{ tag }}/">{{ tag }}</a></li>{% endif %}{% endfor %}</ul>
</article>
"""
ELEVENTY_INDEX = """\
---
layout: base.njk
title: News
---
<h1>News</h1>
<ul>{% for post in collections.news | reverse %}
<li><a href="{{ post.url }}">{{ post.data.title }}</a> <time>{{ post.date | isoDate }}</time></li>{% endfor %}
</ul>
"""
ELEVENTY_TAGS = """\
---
layout: base.njk
pagination: {data: collections.tagList, size: 1, alias: tag}
permalink: /tags/{{ tag }}/
eleventyComputed: {title: "{{ tag }}"}
---
<h1>{{ tag }}</h1>
<ul>{% for post in collections[tag] | reverse %}
<li><a href="{{ post.url }}">{{ post.data.title }}</a> <time>{{ post.date | isoDate }}</time></li>{% endfor %}
</ul>
"""


def export_eleventy(corpus: Corpus, root: Path) -> None:
    files = {
        ".eleventy.js": ELEVENTY_CONFIG,
        "package.json": '{"private": true}\n',  # CommonJS config, whatever is above
        "_includes/base.njk": ELEVENTY_BASE,
        "_includes/post.njk": ELEVENTY_POST,
        "index.njk": ELEVENTY_INDEX,
        "tags.njk": ELEVENTY_TAGS,
        # news/<slug>.md is /news/<slug>/ by Eleventy's default; "news" joins the tags.
        "news/news.json": json.dumps({"layout": "post.njk", "tags": ["news"]}) + "\n",
    }
    for post in corpus.posts:
        files[f"news/{post.slug}.md"] = _plain_post(post)
    _write(root, files)


# --- Pelican ----------------------------------------------------------------------

PELICAN_CONF = """\
# Articles at /news/<slug>/, the default theme, and Pelican's content cache on.
AUTHOR = "Benchmark"
SITENAME = "Benchmark Network"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
DEFAULT_PAGINATION = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def export_pelican(corpus: Corpus, root: Path) -> None:
    files = {"pelicanconf.py": PELICAN_CONF}
    for post in corpus.posts:
        files[f"content/news/{post.slug}.md"] = (
            f"Title: {post.title}\nDate: {post.date.isoformat()}\nSlug: {post.slug}\n"
            f"Tags: {', '.join(post.tags)}\nSummary: {post.summary}\n\n"
            + links(post.body, lambda slug: f"/news/{slug}/"))
    _write(root, files)


# --- MkDocs -----------------------------------------------------------------------

def export_mkdocs(corpus: Corpus, root: Path) -> None:
    files = {
        "mkdocs.yml": "site_name: Benchmark Network\nsite_url: https://example.org/\n"
                      "use_directory_urls: true\nmarkdown_extensions: [tables]\n",
    }
    index = ["# News", ""]
    for post in reversed(corpus.posts):
        index.append(f"- [{post.title}](news/{post.slug}.md) {post.date.isoformat()}")
        files[f"docs/news/{post.slug}.md"] = (
            f"# {post.title}\n\n{post.date.isoformat()}\n\n"
            + links(post.body, lambda slug: f"{slug}.md")
            + "\nTags: " + ", ".join(post.tags) + "\n")
    files["docs/index.md"] = "\n".join(index) + "\n"
    _write(root, files)


EXPORTERS = {"floor": export_wgsite, "wgsite": export_wgsite, "hugo": export_hugo,
             "eleventy": export_eleventy, "pelican": export_pelican, "mkdocs": export_mkdocs}


def post_file(tool: str, site: Path, post: Post) -> Path:
    """Where `tool`'s export keeps `post` (the file a one-edit run appends to)."""
    return site / {
        "floor": f"content/news/{post.stem()}.md",
        "wgsite": f"content/news/{post.stem()}.md",
        "hugo": f"content/news/{post.slug}.md",
        "eleventy": f"news/{post.slug}.md",
        "pelican": f"content/news/{post.slug}.md",
        "mkdocs": f"docs/news/{post.slug}.md",
    }[tool]


def export(corpus: Corpus, tool: str, site: Path) -> Path:
    """A fresh export of `corpus` for `tool` in `site` (removed first if it is ours)."""
    return export_with(EXPORTERS[tool], corpus, site, tool)


def export_with(exporter, corpus: Corpus, site: Path, name: str = "") -> Path:
    """A fresh export of `corpus` by `exporter` in `site` (removed first if it is ours)."""
    if site.exists():
        if not (site / MARKER).exists():
            raise SystemExit(f"error: {site} exists and is not a benchmark corpus; "
                             "choose another folder")
        shutil.rmtree(site)
    site.mkdir(parents=True)
    exporter(corpus, site)
    (site / MARKER).write_text(f"{name or exporter.__name__} {len(corpus.posts)}\n",
                               encoding="utf-8")
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, required=True, help="one folder per tool in here")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    args = parser.parse_args(argv)
    corpus = make_corpus(args.posts, args.seed)
    for tool in args.tools:
        print(export(corpus, tool, args.out / tool))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
