"""`init DIR`: a minimal new site that builds, so another network can start at once.

It writes content/ and data/ only; layouts, CSS and interface phrases come
from the default theme until the site overrides them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

STARTER_README = """\
# {title}

This folder is a wgsite site: Markdown pages in `content/`, shared data in
`data/`. Preview it with `wgsite serve --site .` and build it with
`wgsite build --site .` (into `public/`).

Three next steps:

1. Put your network's name, address and web address in `data/site.yaml`, and
   your strategic priorities in `data/priorities.yaml`.
2. List the organisations that lead and join your groups in
   `data/organisations.yaml`, then describe each working group in
   `content/working-groups/` (start from `example-group.md`).
3. Add news with `wgsite new news "Title" --site .`, then publish the folder:
   on Netlify, with a build command that installs wgsite the way you did
   (for example `pip install git+<the address of your wgsite repository>`)
   followed by `&& wgsite build`, and the publish directory `public`.
"""


def starter_files(title: str, today: date) -> dict[str, str]:
    """The files of a new site named `title`, path -> text."""
    def q(text: str) -> str:  # a JSON string is a valid YAML scalar, whatever it holds
        return json.dumps(text, ensure_ascii=False)

    return {
        "README.md": STARTER_README.format(title=title),
        ".gitignore": "/public/\n/.wgsite-cache/\n/.public.lock\n",
        "data/site.yaml": f"""\
title: {q(title)}
tagline: Our working groups, their priorities and their work
description: {q(f"The working groups of {title}: who leads them, what they do and their news.")}
base_url: https://example.org/
language: en
timezone: Europe/Brussels
menu:
  - {{title: Working groups, url: /working-groups/}}
  - {{title: Priorities, url: /priorities/}}
  - {{title: News, url: /news/}}
  - {{title: Events, url: /events/}}
footer:
  text: {q(title)}
colours: {{primary: "#1f4e79", primary_dark: "#163a5c", accent: "#c8102e"}}
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
    }


class StarterError(Exception):
    """The folder already holds a site."""


def init_site(root: Path, title: str, today: date) -> list[Path]:
    """Write a new site into `root` (new or empty); returns the files written."""
    if root.exists() and any(root.iterdir()):
        raise StarterError(f"{root} is not empty; choose a new folder")
    written = []
    for relative, text in starter_files(title, today).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def run(folder: Path, title: str, today: date) -> int:
    """`init` as the command line runs it; the exit status."""
    import sys

    try:
        init_site(folder, title, today)
    except StarterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created a new site in {folder}; its README.md says what to do next.",
          file=sys.stderr)
    return 0
