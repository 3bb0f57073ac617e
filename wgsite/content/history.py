"""When each source file last changed, as the site's git history records it.

Editors commit the site to git, so the time of the last commit that changed a
file is when its content last changed: the same for every build of that
commit, on any machine (unlike a file's time stamp, which is when it was
checked out), and later after every edit. Calendars take it as an event's
LAST-MODIFIED, sitemap.xml as a page's lastmod.

A file that git does not know, or that differs from the last commit (an edit
not committed yet), is left out, as is everything when the site is not in git
or git is missing: those take the dates the content itself gives, if any. In a
shallow clone (one commit), every file seems to have changed in that commit:
later than the truth, never earlier.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

_GIT = ["git", "-c", "log.showSignature=false", "-c", "core.quotePath=false"]


# The log read for the commit checked out, kept for the life of the process: serve
# rebuilds after every edit, and the history only changes with a commit.
_READ: dict[tuple[str, str], dict[str, datetime]] = {}


def last_changes(root: Path) -> dict[str, datetime]:
    """Each committed, unmodified file under `root` (its path relative to `root`, with /)
    and the time (UTC) of the last commit that changed it."""
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if not head:
        return {}
    key = (str(root.resolve()), head.strip())
    if key not in _READ:
        _READ.clear()
        _READ[key] = _committed(root)
    changed = dict(_READ[key])
    edited = _git(root, "diff", "HEAD", "--name-only", "--relative", "-z", "--", ".")
    for name in (edited or "").split("\0"):
        changed.pop(name, None)
    return changed


def _committed(root: Path) -> dict[str, datetime]:
    """The time of the last commit that changed each file, from one `git log`."""
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative",
               "-z", "--", ".")
    if log is None:
        return {}
    changed: dict[str, datetime] = {}
    when: datetime | None = None
    # With -z each commit reads "\0<time>\0\n<file>\0<file>\0...\0": after an empty
    # field comes a commit's time, then the files it changed. The log runs newest first.
    after_gap = True
    for field in log.split("\0"):
        if not field:
            after_gap = True
        elif after_gap:
            when = datetime.fromtimestamp(int(field), timezone.utc) if field.isdigit() else None
            after_gap = False
        elif when is not None:
            changed.setdefault(field[1:] if field.startswith("\n") else field, when)
    return changed


def state(root: Path) -> str:
    """What last_changes depends on, cheaply: the commit checked out and the files
    edited since. A build whose sources are as before must still notice a commit."""
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD") or ""
    edited = _git(root, "diff", "HEAD", "--name-only", "--relative", "-z", "--", ".") or ""
    return head + "\0" + edited if head else ""


def _git(root: Path, *args: str) -> str | None:
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run([*_GIT, "-C", str(root), *args], capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape",
                              env=environment, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
