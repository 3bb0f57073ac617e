"""wgsite: a static site generator for the pages of working groups."""

__version__ = "0.1.0"
