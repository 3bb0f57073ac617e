from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import SITE, build_example, write_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid site (content/ and data/ only: layouts come from the theme)."""
    return write_site(tmp_path / "site", SITE)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Path:
    """The repository's example site, built once per session; tests only read it."""
    return build_example(tmp_path_factory.mktemp("example") / "public")
