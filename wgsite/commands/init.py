"""`init DIR`: a new site that builds, checks clean and deploys as this repository does.

It writes content/ and data/ (layouts, CSS and interface phrases come from the
default theme until the site overrides them), a netlify.toml and a GitHub
workflow that install Decap CMS with npm (pinned by a package-lock.json cut
from the theme's) and wgsite with pip, and a README whose steps an editor can
follow word for word. Both deploy paths keep the build cache between builds
(actions/cache; the Netlify plugin that this repository keeps in
netlify/plugins/wgsite-cache/, copied from there), so CI builds start warm.
"""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import metadata
from pathlib import Path

from wgsite.commands.npm_lock import cms_npm_files
from wgsite.folders import theme_root

STARTER_README = """\
# {title}

This folder is your network's website. Pages are text files in `content/`,
written in Markdown; facts that many pages share are in `data/`. wgsite turns
them into the site. Follow these steps in order.

## 1. Say who you are: `data/site.yaml`

Open `data/site.yaml` in a text editor. Change the value after the colon on
these lines, and keep the word before the colon as it is:

| line | what to write | for example |
| --- | --- | --- |
| `title:` | your network's name, in double quotes | `title: "Baltic Learning Network"` |
| `base_url:` | the web address where the site will be published, ending in `/` | `base_url: https://wg.baltic-learning.eu/` |
| `language:` | the language of the site's menus and buttons (a code: en, fr, de, es, it, pt, nl, pl, sv and ar are translated; another one is in English until its phrases are translated in `data/i18n/`) | `language: en` |
| `timezone:` | where your events take place, as Region/City | `timezone: Europe/Riga` |
| `logo:` | save your logo as `assets/images/logo.svg`, then delete the `# ` in front of the line | `logo: images/logo.svg` |
| `primary:`, `primary_dark:`, `accent:` | your colours, each in double quotes | `primary: "#00539f"` |

Put a value in double quotes whenever it holds a colon followed by a space
(`title: "Mobility: what next"`) or a `#`: without quotes, YAML reads the
rest of the line as a comment.

A site in several languages replaces the `language:` line with a list of
codes, the default first: `languages: [en, fr]`. A page is then translated by
a file beside it with the language before `.md` (`about.fr.md`); see
"Publishing in several languages" in wgsite's docs/editing.md.

## 2. Look at it on your computer

Install wgsite once, with the line in `requirements.txt`:

```sh
pip install -r requirements.txt
```

Then, in this folder:

```sh
wgsite serve --site .
```

and open http://127.0.0.1:8000/ in your browser. Every time you save a file,
the page in the browser follows. Stop the preview with Ctrl+C.

## 3. Your priorities, organisations and working groups

- `data/priorities.yaml`: your strategic priorities, numbered.
- `data/organisations.yaml`: the regions and bodies that lead and join your
  groups; each has an `id` (lowercase words joined by hyphens) that pages use.
- `content/working-groups/`: one file per group; start from
  `example-group.md`, and name its lead with an id from
  `data/organisations.yaml`.

## 4. Add news

```sh
wgsite new news "Our first meeting" --site .
```

This writes a file in `content/news/` with every field explained. It is a
draft: the preview shows it, the published site does not, until you delete
its line `draft: true`.

## 5. Check everything

```sh
wgsite check --site . --strict
```

Every problem is printed with its file and line, and what to write instead.
When it prints no error, the site is ready to publish.

## 6. Publish

1. On GitHub, create a new repository (private is fine), then send this
   folder to it, replacing `YOUR-ACCOUNT/YOUR-REPOSITORY` with its name:

   ```sh
   git init -b main
   git add .
   git commit -m "Our site"
   git remote add origin https://github.com/YOUR-ACCOUNT/YOUR-REPOSITORY.git
   git push -u origin main
   ```

   GitHub now checks every change with `.github/workflows/site.yml` (the
   Actions tab shows the result).
2. On Netlify, choose "Add new site", then "Import an existing project",
   GitHub, and your repository. Leave the build settings as they are:
   `netlify.toml` gives them (it installs the content manager with npm and
   wgsite with pip, then builds). Choose "Deploy". Each later build reuses
   what the last one made and redoes only what changed (the plugin in
   `netlify/plugins/wgsite-cache/` keeps it); "Clear cache and deploy site"
   under "Trigger deploy" builds everything afresh.
3. For editors who do not use git: on Netlify, under "Identity", choose
   "Enable Identity", then under "Services" enable "Git Gateway", and
   invite them. They edit the site at your address followed by `/admin/`.
"""

def starter_files(title: str, today: date, engine: str | None = None) -> dict[str, str]:
    """The files of a new site named `title`, path -> text; `engine` is the requirement
    that installs wgsite (default: this wgsite, as it was installed)."""
    engine = engine or engine_requirement()
    def q(text: str) -> str:  # a JSON string is a valid YAML scalar, whatever it holds
        return json.dumps(text, ensure_ascii=False)

    return {
        "README.md": STARTER_README.format(title=title),
        ".gitignore": "/public/\n/.wgsite-cache/\n/.public.lock\n/node_modules/\n",
        "requirements.txt": f"# The wgsite this site is built with (see README.md)\n{engine}\n",
        "netlify.toml": NETLIFY_TOML,
        **netlify_plugin_files(),
        ".github/workflows/site.yml": WORKFLOW,
        "data/site.yaml": f"""\
# The site's name, shown on every page.
title: {q(title)}
tagline: Our working groups, their priorities and their work
description: {q(f"The working groups of {title}: who leads them, what they do and their news.")}
# The address where the site is published, ending in /.
base_url: https://example.org/
# The language of menus, buttons and dates, as a code: en, fr, de, es, it, pt, nl, pl,
# sv, ar... A site in several languages lists them instead, the default first:
# languages: [en, fr]
language: en
# Where events take place: the time zone of dates and times without one.
timezone: Europe/Brussels
# Your logo, saved as assets/images/logo.svg: delete the "# " before the next line.
# logo: images/logo.svg
menu:
  - {{title: Working groups, url: /working-groups/}}
  - {{title: Priorities, url: /priorities/}}
  - {{title: News, url: /news/}}
  - {{title: Events, url: /events/}}
footer:
  text: {q(title)}
# The site's colours, each in double quotes.
colours:
  primary: "#1f4e79"
  primary_dark: "#163a5c"
  accent: "#c8102e"
""",
        "data/priorities.yaml": f"""\
period: "{today.year}-{today.year + 4}"
items:
  - id: skills
    number: 1
    title: Skills for the future
    description: What the network wants to achieve under this priority.
  - id: cooperation
    number: 2
    title: Cooperation across borders
""",
        "data/action_types.yaml": """\
- id: capacity-building
  title: Capacity building
- id: responding-to-policy
  title: Responding to policy
""",
        "data/organisations.yaml": """\
- id: lead-region
  name: Lead Region
  country: Belgium
""",
        "content/_index.md": f"""\
---
title: Welcome
summary: {q(f"The working groups of {title}.")}
---
Introduce your network here: who its members are and what its working groups do.
""",
        "content/working-groups/example-group.md": """\
---
title: Example group
summary: One sentence on what this group does.
lead: [lead-region]
action_types: [capacity-building]
priorities:
  - priority: 1
    text: What the group does under the first priority.
---
The group's introduction.
""",
        f"content/news/{today.isoformat()}-our-site-is-live.md": f"""\
---
title: Our site is live
date: {today.isoformat()}
summary: The working groups now have a home on the web.
working_groups: [example-group]
---
Write your first news item here.
""",
        **cms_npm_files(theme_root(), re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
                        or "site"),
    }


def _direct_url() -> dict:
    """Where pip installed the running wgsite from (PEP 610), or {} for a package index."""
    try:
        return json.loads(metadata.distribution("wgsite").read_text("direct_url.json") or "{}")
    except (ValueError, metadata.PackageNotFoundError):
        return {}


def installed_from_git() -> bool:
    direct = _direct_url()
    return direct.get("vcs_info", {}).get("vcs") == "git" and \
        direct.get("url", "").startswith("https://")


def engine_requirement() -> str:
    """How pip installs the wgsite that runs now: from the git repository and commit it
    came from when it was installed from one, else by its version."""
    if installed_from_git():
        direct = _direct_url()
        return f"wgsite @ git+{direct['url']}@{direct['vcs_info'].get('commit_id', 'main')}"
    return f"wgsite=={metadata.distribution('wgsite').version}"


# The Netlify build plugin that keeps the build cache: one copy, this repository's
# (a wheel carries it in wgsite/_theme/, as it does package-lock.json).
NETLIFY_PLUGIN = "netlify/plugins/wgsite-cache"
NETLIFY_PLUGIN_FILES = ("manifest.yml", "index.js")


def netlify_plugin_files() -> dict[str, str]:
    """The plugin's files as a new site gets them, path -> text."""
    folder = theme_root() / NETLIFY_PLUGIN
    return {f"{NETLIFY_PLUGIN}/{name}": (folder / name).read_text(encoding="utf-8")
            for name in NETLIFY_PLUGIN_FILES}


NETLIFY_TOML = """\
# Netlify builds the site on every push and publishes public/. `npm ci` brings
# Decap CMS (pinned in package-lock.json), which the build copies to /admin/;
# --ignore-scripts: no package runs code at install.
[build]
  command = "npm ci --ignore-scripts && pip install -r requirements.txt && wgsite build"
  publish = "public"

[build.environment]
  PYTHON_VERSION = "3.11"

# A pull request's preview: drafts shown, a banner on every page, robots.txt
# disallowing all, and links on the preview's own address.
[context.deploy-preview]
  command = "npm ci --ignore-scripts && pip install -r requirements.txt && wgsite build --drafts --preview --base-url \\"$DEPLOY_PRIME_URL\\""

# Netlify builds each deploy in a fresh clone; this plugin (in this folder, no
# dependencies) restores .wgsite-cache/ and public/ from the last build and saves
# them after it, so a build redoes only what changed. "Clear cache and deploy site"
# on Netlify starts cold.
[[plugins]]
  package = "./netlify/plugins/wgsite-cache"

# Every response; the Content-Security-Policy proper comes from public/_headers,
# which the build writes (a strict one for the site, a looser one for /admin/).
[[headers]]
  for = "/*"
  [headers.values]
    Content-Security-Policy = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    Strict-Transport-Security = "max-age=31536000; includeSubDomains"
    X-Content-Type-Options = "nosniff"
    Referrer-Policy = "strict-origin-when-cross-origin"
    Permissions-Policy = "camera=(), microphone=(), geolocation=(), browsing-topics=()"
    X-Frame-Options = "DENY"

# Fingerprinted files: a new content is a new name, so browsers keep each a year.
[[headers]]
  for = "/assets/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"
"""

WORKFLOW = """\
# On every push and pull request: build the site with warnings as errors and
# check every link, image and alt text; keep the built site as an artifact.
name: site

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  build-and-check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - uses: actions/setup-node@v4
        with:
          node-version: "20"
      - name: Install the content manager and wgsite
        run: npm ci --ignore-scripts --no-audit --no-fund && pip install -r requirements.txt
      # The last run's build cache (the newest key with this prefix); this run's is kept
      # under a key of its own. Delete it in the Actions tab (Caches) to start cold.
      - name: Restore and keep the build cache
        uses: actions/cache@v4
        with:
          path: |
            .wgsite-cache
            public
          key: wgsite-${{ runner.os }}-${{ github.run_id }}
          restore-keys: wgsite-${{ runner.os }}-
      - name: Build the site, warnings as errors
        run: wgsite build --strict
      - name: Check every link, fragment, image and alt text
        run: wgsite check --strict
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: public/
          if-no-files-found: error
"""


class StarterError(Exception):
    """The folder already holds a site."""


def init_site(root: Path, title: str, today: date, engine: str | None = None) -> list[Path]:
    """Write a new site into `root` (new or empty); returns the files written."""
    if root.exists() and any(root.iterdir()):
        raise StarterError(f"{root} is not empty; choose a new folder")
    written = []
    for relative, text in starter_files(title, today, engine).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def run(folder: Path, title: str, today: date, wgsite: str | None = None) -> int:
    """`init` as the command line runs it; the exit status."""
    import sys

    try:
        init_site(folder, title, today, wgsite)
    except StarterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created a new site in {folder}; its README.md says what to do next.",
          file=sys.stderr)
    if wgsite is None and not installed_from_git():
        print(f"warning: requirements.txt names {engine_requirement()}, which pip finds only "
              "where that version is published; if yours came from a checkout, write in its "
              "place where pip can get it (e.g. wgsite @ git+https://host/owner/wgsite@v0.1.0),"
              " or run init again with --wgsite", file=sys.stderr)
    return 0
