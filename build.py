#!/usr/bin/env python3
"""The site's one entry point: python build.py [build|check|serve|new] (see --help)."""

from wgsite.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
