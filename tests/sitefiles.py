"""A small, valid site as a dict of path -> text, and helpers to write and build it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wgsite.cli import main

REPO = Path(__file__).resolve().parent.parent
# 2026-06-01T12:00:00Z: the fixture's "today"
BUILD_EPOCH = "1780315200"

DATA = {
    "data/site.yaml": """\
title: Test Network
tagline: Regions learning together
description: A network used by the tests.
base_url: https://test.example.org/
language: en
timezone: Europe/Brussels
menu:
  - {title: Working groups, url: /working-groups/}
  - {title: News, url: /news/}
page_sizes: {news: 2, group_news: 2, related_news: 2, home_news: 2, home_events: 2}
colours: {primary: "#1f4e79"}
""",
    "data/priorities.yaml": """\
period: "2023-2028"
items:
  - id: skills
    number: 1
    title: Skills for the future
    description: Skills *matter*.
  - id: mobility
    number: 2
    title: Mobility for all
""",
    "data/action_types.yaml": """\
- id: capacity-building
  title: Capacity building
- id: responding-to-policy
  title: Responding to policy
""",
    "data/organisations.yaml": """\
- id: north-region
  name: North Region
  country: Sweden
  url: https://north.example.org/
- id: south-agency
  name: South Agency
- id: east-institute
  name: East Institute
""",
}

CONTENT = {
    "content/_index.md": "---\ntitle: Welcome\n---\nThe home page text.\n",
    "content/about.md": "---\ntitle: About us\nsummary: Who we are.\n---\n## Our story\n\nText.\n",
    "content/working-groups/mobility.md": """\
---
title: Mobility
weight: 1
lead: [north-region]
cooperation: [south-agency]
chairs:
  - name: Ada Example
    organisation: north-region
    email: ada@example.org
action_types: [capacity-building, responding-to-policy]
priorities:
  - priority: 2
    text: We move people.
  - priority: skills
    text: We teach *skills*.
policy_areas:
  period: "2023-2024"
  items: [Learning mobility, Recognition]
tags: [mobility]
---
The mobility group's introduction.
""",
    "content/working-groups/adult-learning.md": """\
---
title: Adult learning
weight: 2
lead: [east-institute]
---
Adults learn too.
""",
    "content/news/2026-01-10-first-news.md": """\
---
title: First news
date: 2026-01-10
summary: The first.
working_groups: [mobility]
projects: [move-on]
organisations: [east-institute]
tags: [mobility, Erasmus+]
---
Body of the first news.
""",
    "content/news/2026-02-10-second-news.md": """\
---
title: Second news
date: 2026-02-10
working_groups: [mobility]
---
Body of the second news.
""",
    "content/news/2026-03-10-third-news.md": """\
---
title: Third news
date: 2026-03-10
working_groups: [adult-learning]
---
Body of the third news.
""",
    "content/projects/move-on.md": """\
---
title: Move On
acronym: MOVE
status: ongoing
start: 2024-01-01
end: 2026-12-31
programme: Erasmus+
working_groups: [mobility]
priorities: [2]
partners: [south-agency]
---
A project.
""",
    "content/events/spring-forum.md": """\
---
title: Spring forum
start: 2026-03-01T09:30:00+01:00
location: Brussels
working_groups: [mobility]
---
Past event.
""",
    "content/events/autumn-forum.md": """\
---
title: Autumn forum
start: 2026-10-01
online_only: true
online_url: https://meet.test.example.org/autumn
working_groups: [mobility]
---
Upcoming event.
""",
}

SITE = {**DATA, **CONTENT}


class Symlink(str):
    """A file to write as a symbolic link to this target."""


def site_pages(out: Path) -> list[Path]:
    """The HTML pages of a built site: every .html file but the content manager's
    (admin/, tested in tests/test_cms.py), which is no page of the site."""
    return sorted(p for p in out.rglob("*.html")
                  if p.relative_to(out).parts[0] != "admin")


def many_posts(count: int) -> dict[str, str]:
    """`count` news posts of the mobility group, post-000 onwards, spread over 2025, in
    nine tags: enough of them for a build to share work out among processes."""
    return {f"content/news/2025-{1 + n % 12:02d}-{1 + n % 28:02d}-post-{n:03d}.md": (
        f"---\ntitle: Post number {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
        f"working_groups: [mobility]\ntags: [tag-{n % 9}]\n---\n"
        f"The body of post {n}, with *emphasis* and a [link](https://example.org/{n}).\n")
        for n in range(count)}


def tree(out: Path) -> dict[str, bytes]:
    """Every file under `out` by its relative path: two builds compare byte for byte."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def write_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write `files` (path -> text; None deletes; Symlink links) under `root`."""
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink(missing_ok=True)
            continue
        if isinstance(text, Symlink):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            path.symlink_to(text)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def build(root: Path, *args: str, capsys=None) -> tuple[int, str]:
    """Run `build` in-process on the site at `root`; returns (exit status, stderr)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    try:
        status = main(["build", "--site", str(root), *args])
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    err = capsys.readouterr().err if capsys else ""
    return status, err


EXAMPLE_EPOCH = "1795608000"  # 2026-11-25T12:00:00Z: the example site's "today"


def build_example(out: Path, *args: str) -> Path:
    """The repository's example site built into `out`, on its fixed "today"."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EXAMPLE_EPOCH
    try:
        assert main(["build", "--site", str(REPO), "--out", str(out), *args]) == 0
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` in a subprocess, as a user would."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, **(env or {})}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          env=full_env, capture_output=True, text=True, timeout=120)
