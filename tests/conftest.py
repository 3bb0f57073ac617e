from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import SITE, write_site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid site (content/ and data/ only: layouts come from the theme)."""
    return write_site(tmp_path / "site", SITE)
