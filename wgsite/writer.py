"""Writing the output: all of it into a staging folder, then one swap.

A build that fails part-way leaves the previous output exactly as it was and
no staging folder behind; readers never see a half-written site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from wgsite.assets import Assets


class UnsafeOutput(Exception):
    """The output folder would overwrite or contain the site's own sources."""


def check_output_folder(out: Path, site_root: Path) -> None:
    """Refuse an output folder that is, or holds, the site's sources."""
    out, site_root = out.resolve(), site_root.resolve()
    protected = [site_root] + [site_root / name for name in ("content", "data", "layouts",
                                                             "assets")]
    if out in protected or site_root.is_relative_to(out) or any(
            out.is_relative_to(p) for p in protected[1:]):
        raise UnsafeOutput(f"the output folder {out} would overwrite the site's sources; "
                           "choose another --out")


def write_site(out: Path, files: dict[str, bytes], assets: Assets) -> None:
    """Replace `out` with exactly `files` plus the assets, all or nothing."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        for relative, data in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for asset in assets.by_path.values():
            target = staging / asset.output
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
        os.chmod(staging, 0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
