"""`serve`: build with drafts, serve the output on 127.0.0.1, rebuild and reload on change.

Only the output folder is served. A failed rebuild keeps the last good site
served and prints every problem, as `build` does.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

from livereload import Server

from wgsite.folders import SiteFolders
from wgsite.graph import BuildOptions

WATCHED = ("content", "data", "layouts", "assets")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(folders: SiteFolders, options: BuildOptions, host: str, port: int,
          rebuild: Callable[[SiteFolders, BuildOptions], bool]) -> None:
    """Serve until interrupted; `rebuild` builds and reports, returning success."""
    if not is_loopback(host):
        print(f"warning: serving on {host}: anyone who can reach this machine can see drafts",
              file=sys.stderr)
    shown_host = f"[{host}]" if ":" in host else host
    options = replace(options, base_url=f"http://{shown_host}:{port}/")
    rebuild(folders, options)

    server = Server()
    out = folders.out.resolve()

    def ignored(path: str) -> bool:
        resolved = Path(path).resolve()
        return resolved.is_relative_to(out) or resolved.is_relative_to(folders.cache)

    for root in dict.fromkeys([folders.root, folders.theme]):
        for name in WATCHED:
            if (root / name).is_dir():
                server.watch(str(root / name), lambda: rebuild(folders, options),
                             ignore=ignored)
    print(f"Serving {folders.relative(out)} on http://{shown_host}:{port}/ "
          "(Ctrl+C to stop)", file=sys.stderr)
    folders.out.mkdir(parents=True, exist_ok=True)
    server.serve(host=host, port=port, root=str(out), restart_delay=0)
