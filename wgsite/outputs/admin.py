"""The files published at /admin/: Decap CMS, its configuration and its page.

Decap's script comes from npm (package.json pins it) and is copied from
node_modules/decap-cms/dist with the chunks it loads beside itself, so the
editor fetches nothing from another host. Without node_modules the build still
succeeds: /admin/ then says what is missing, and, for a site whose site.yaml
sets up its CMS (`cms:`), one warning names `npm ci`.

With `--cms-backend test-repo` the CMS edits an in-memory copy of the site's
own content and data (test-repo.js), for trying it out and for the browser tests;
nothing is saved anywhere.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wgsite.outputs.cms import cms_config, config_yaml, site_languages
from wgsite.folders import SiteFolders
from wgsite.outputs.headers import netlify_headers
from wgsite.problems import Problems
from wgsite.content.site_schema import SiteSchema
from wgsite.urls import ADMIN

TEST_REPO = "test-repo"
DECAP = Path("node_modules") / "decap-cms" / "dist"
JS_YAML = Path("node_modules") / "js-yaml" / "dist" / "js-yaml.min.js"
GLUE = Path(__file__).resolve().parent / "wgsite-cms.js"
DEFAULT_BRANCH = "main"

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="icon.svg">
<title>Content manager – {title}</title>
</head>
<body>
{body}
</body>
</html>
"""

# Without an icon of its own the browser would ask for /favicon.ico, which no site has.
_ICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
         b'<rect width="16" height="16" rx="3" fill="#1f4e79"/></svg>\n')

# The versions package.json pins (tests/test_cms.py holds the two in step), for a
# site folder of its own, which has no package.json to `npm ci` from.
NPM_PACKAGES = {"decap-cms": "3.16.3", "js-yaml": "4.1.0"}
INSTALL = ("npm install --ignore-scripts --no-save "
           + " ".join(f"{name}@{version}" for name, version in NPM_PACKAGES.items()))

_MISSING = f"""<main>
<h1>The content manager is not installed</h1>
<p>This build was made without Decap CMS, which comes from npm. In the site's
folder, run <code>npm ci --ignore-scripts</code> (or, where the folder has no
package.json, <code>{INSTALL}</code>), then build again.</p>
</main>"""


def admin_files(folders: SiteFolders, schema: SiteSchema, site: Any,
                backend_option: str | None, outputs: Iterable[str], problems: Problems,
                made_by: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every file of /admin/, and _headers, keyed by their paths in the output folder.

    `outputs` are the paths of every other output file (pages, feeds, assets);
    `made_by` names the source of each page, for the error when one is in the way.
    """
    outputs = list(outputs)
    for path in outputs:
        if path.split("/", 1)[0].lower() == ADMIN:
            problems.error((made_by or {}).get(path, "content"), None, f"/{path} is inside "
                           f"/{ADMIN}/, the content manager's folder; give that page "
                           "another slug")
    site = site if isinstance(site, dict) else {}
    backend = {"name": TEST_REPO} if backend_option == TEST_REPO else _backend(
        site.get("cms"), problems)
    files = {f"{ADMIN}/config.yml": config_yaml(cms_config(schema.kinds, site, backend, schema.data_files)),
             f"{ADMIN}/icon.svg": _ICON}
    decap = _installed(folders, DECAP)
    js_yaml = _installed(folders, JS_YAML)
    if decap is None or js_yaml is None:
        # A site that set up its CMS, or a build asked for one, wants it; others are
        # not nagged.
        missing = ("/admin/ has no content manager: Decap CMS is not installed; run `npm ci "
                   f"--ignore-scripts` (or `{INSTALL}`) and build again")
        if "cms" in site:
            problems.warning("data/site.yaml", _line_of(site, "cms"), missing)
        elif backend_option is not None:
            problems.warning("", None, f"--cms-backend {backend_option}: {missing}")
        body = _MISSING
    else:
        scripts = ["js-yaml.min.js", "decap-cms.js", "wgsite-cms.js"]
        files[f"{ADMIN}/js-yaml.min.js"] = js_yaml.read_bytes()
        files[f"{ADMIN}/wgsite-cms.js"] = GLUE.read_bytes()
        files.update(_decap(decap))
        if backend["name"] == TEST_REPO:
            files[f"{ADMIN}/test-repo.js"] = test_repo(folders)
            scripts.insert(0, "test-repo.js")
        body = "\n".join(f'<script src="{name}"></script>' for name in scripts)
    files[f"{ADMIN}/index.html"] = _PAGE.format(
        lang=html.escape(str((site_languages(site) or [site.get("language", "en")])[0])),
        title=html.escape(str(site.get("title", ""))), body=body).encode("utf-8")
    files["_headers"] = netlify_headers(outputs + list(files), backend["name"])
    return files


def _line_of(mapping: Any, key: str) -> int | None:
    line_of = getattr(mapping, "line_of", None)
    return line_of(key) if line_of is not None else None


def _installed(folders: SiteFolders, relative: Path) -> Path | None:
    """An npm file of the site's own node_modules, else of the theme's (this checkout)."""
    for root in dict.fromkeys((folders.root, folders.theme)):
        if (root / relative).exists():
            return root / relative
    return None


def _decap(dist: Path) -> dict[str, bytes]:
    """decap-cms.js, the chunks it loads from its own folder, and its licence notice."""
    names = ["decap-cms.js", "decap-cms.js.LICENSE.txt"]
    names += sorted(p.name for p in dist.glob("*.decap-cms.js"))
    names += sorted(p.name for p in dist.glob("*.wasm"))
    return {f"{ADMIN}/{name}": (dist / name).read_bytes() for name in names
            if (dist / name).is_file()}


def _backend(settings: Any, problems: Problems) -> dict[str, str]:
    """Decap's backend from the `cms` section of data/site.yaml (already validated)."""
    settings = settings if isinstance(settings, dict) else {}
    name = str(settings.get("backend", "git-gateway"))
    backend = {"name": name}
    if settings.get("repo"):
        backend["repo"] = str(settings["repo"])
    elif name == "github":
        problems.error("data/site.yaml", _line_of(settings, "backend"), "'cms.backend' "
                       "github needs 'cms.repo', the "
                       "repository as owner/name")
    backend["branch"] = str(settings.get("branch", DEFAULT_BRANCH))
    return backend


def test_repo(folders: SiteFolders) -> bytes:
    """window.repoFiles for Decap's test backend: the site's content and data files.

    Decap walks the tree by path segment to open a file, but lists a collection
    by looking its whole folder path up at the top: both spellings are given.
    """
    tree: dict[str, Any] = {}
    folders_seen: dict[str, dict[str, Any]] = {}
    for path in sorted(_repo_files(folders)):
        relative = path.relative_to(folders.root).as_posix()
        *parents, name = relative.split("/")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[name] = {"path": relative, "content": path.read_text(encoding="utf-8-sig")}
        if len(parents) > 1:
            folders_seen["/".join(parents)] = node
    tree.update(folders_seen)
    script = "window.repoFiles = " + json.dumps(tree, sort_keys=True, ensure_ascii=True,
                                                  indent=1) + ";\n"
    return script.encode("ascii")


def _repo_files(folders: SiteFolders) -> list[Path]:
    content = [p for p in folders.content.rglob("*.md") if p.is_file()]
    data = [p for p in folders.data.glob("*.yaml") if p.is_file()]
    return [p for p in content + data if folders.contains(p)]
