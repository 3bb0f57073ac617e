"""Allow `python -m wgsite`, the same as the `wgsite` script."""

from wgsite.cli import main

raise SystemExit(main())
