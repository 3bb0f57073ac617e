"""The site serve keeps from its last good build, for an edit of page bodies alone.

`rebuild`, and `build` when serve asks (see `keeper`), keep it in the session
after each build that succeeded; commands.body_edit starts from it. Nothing
else reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from wgsite.commands.build import MadeSite
from wgsite.content import records as r
from wgsite.folders import SiteFolders
from wgsite.incremental.manifest import npm_state
from wgsite.incremental.session import Session
from wgsite.options import BuildOptions
from wgsite.problems import Problem, Problems

@dataclass
class KeptSite:
    """The last good build, as serve's session keeps it for the next edit."""

    made: MadeSite
    problems: list[Problem]  # what it reported (warnings: it built)
    digests: dict[str, bytes]  # every input file's SHA-256 then, by path
    npm: bytes  # the npm packages /admin/ copies, as they were (manifest.npm_state)
    options: BuildOptions  # its options, but its now
    # each language's records by the file they were made from, once a quick rebuild has
    # looked (the same records while the site is the same)
    by_source: dict[str, dict[str, list[r.Record]]] | None = None


def keep(session: Session, made: MadeSite, problems: Problems, options: BuildOptions,
         folders: SiteFolders) -> None:
    """Keep a build that succeeded, for body_edit.quick to start from after the next edit."""
    before: KeptSite | None = session.kept_site
    session.kept_site = None if made.parts is None else KeptSite(
        made, list(problems.items), {path: digest for path, (_, digest) in
                                     session.digests.items()},
        npm_state(folders), replace(options, now=None),
        before.by_source if before is not None and before.made.parts is made.parts else None)


def keeper(session: Session, options: BuildOptions, folders: SiteFolders
           ) -> Callable[[MadeSite, Problems], None]:
    """What `build` calls with the site it made, for `serve`'s session to keep it."""
    return lambda made, problems: keep(session, made, problems, options, folders)
