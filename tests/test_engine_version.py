"""The caches are keyed by wgsite's own code: a change to any module, in any subpackage,
makes the next build convert Markdown again instead of trusting old results."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.sitefiles import BUILD_EPOCH, REPO, SITE, write_site


def _converted(engine: Path, site: Path) -> int:
    """How many documents a build with the engine copy at `engine` converted."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "PYTHONPATH": str(engine)}
    done = subprocess.run([sys.executable, "-m", "wgsite", "build", "--site", str(site),
                           "--verbose", "--jobs", "1"], cwd=engine, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(re.search(r"markdown .*?(\d+) converted", done.stderr).group(1))


def test_editing_a_module_of_a_subpackage_invalidates_cached_markdown(tmp_path: Path):
    engine = tmp_path / "engine"
    for folder in ("wgsite", "layouts", "assets", "data/i18n"):  # the engine and its theme
        shutil.copytree(REPO / folder, engine / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    site = write_site(tmp_path / "site", SITE)
    assert _converted(engine, site) > 0
    (site / "public" / "index.html").unlink()  # a build with nothing to do would convert nothing
    assert _converted(engine, site) == 0, "the second build takes Markdown from the cache"

    module = engine / "wgsite" / "render" / "routes.py"  # not a module Markdown uses
    module.write_text(module.read_text() + "\n# a change to the engine\n")
    (site / "public" / "index.html").unlink()
    assert _converted(engine, site) > 0, "an engine change is not served stale HTML"
