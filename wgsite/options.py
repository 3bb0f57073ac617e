"""What the command line decides about a build.

Its own small module, so that the command line and a build with nothing to do
need not import the stages (Markdown, Jinja, Pillow, Pagefind) to hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BuildOptions:
    """What the command line decides about a build."""

    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    preview: bool = False  # a deploy preview: banner on every page, robots.txt disallows all
    now: datetime | None = None  # the build's "today"; None: the clock (or SOURCE_DATE_EPOCH)
    jobs: int = 0  # processes converting Markdown; 0: one per processor
    cms_backend: str | None = None  # "test-repo": /admin/ edits an in-memory copy of the site
