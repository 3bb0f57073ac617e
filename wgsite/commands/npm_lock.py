"""The npm packages a new site needs for /admin/ (Decap CMS), pinned as this theme pins them.

`init` gives a new site a package.json and a package-lock.json so that
`npm ci` on Netlify or in CI installs exactly the Decap CMS this wgsite was
tested with. The lock is cut from the theme's own package-lock.json: the
entries the CMS packages reach, and no test tools.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CMS_PACKAGES = ("decap-cms", "js-yaml")  # what wgsite/outputs/admin.py copies to /admin/


def _resolve(packages: dict[str, Any], where: str, name: str) -> str | None:
    """The lock entry npm would use for `name` required by the package at `where`."""
    base = where
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        base = base[:cut] if cut >= 0 else ""


def cms_lock(theme_lock: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(package.json, package-lock.json) of a site named `name` with only the CMS packages."""
    packages = theme_lock["packages"]
    wanted = {pkg: packages[""]["devDependencies"][pkg] for pkg in CMS_PACKAGES}
    keep: dict[str, Any] = {}
    todo = [f"node_modules/{pkg}" for pkg in CMS_PACKAGES]
    while todo:
        path = todo.pop()
        if path in keep:
            continue
        keep[path] = packages[path]
        entry = packages[path]
        for field in ("dependencies", "optionalDependencies", "peerDependencies"):
            for dependency in entry.get(field, {}):
                found = _resolve(packages, path, dependency)
                if found is not None:
                    todo.append(found)
    manifest = {"name": name, "private": True,
                "description": "Decap CMS, which the build publishes at /admin/ for editors.",
                "devDependencies": wanted}
    root = {"name": name, "devDependencies": wanted}
    lock = {"name": name, "lockfileVersion": theme_lock["lockfileVersion"], "requires": True,
            "packages": {"": root, **dict(sorted(keep.items()))}}
    return manifest, lock


def cms_npm_files(theme: Path, name: str) -> dict[str, str]:
    """package.json and package-lock.json for a new site, or nothing when the theme has
    no lock to cut them from."""
    try:
        theme_lock = json.loads((theme / "package-lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    manifest, lock = cms_lock(theme_lock, name)
    return {"package.json": json.dumps(manifest, indent=2) + "\n",
            "package-lock.json": json.dumps(lock, indent=2) + "\n"}
