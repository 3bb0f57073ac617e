"""README's two opening commands stay true: CI runs exactly the test command."""

from __future__ import annotations

import re

from tests.sitefiles import REPO


def opening_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)[:2]


def test_readme_opens_with_the_build_and_the_test_command():
    build, test = opening_commands()
    assert build.endswith("pip install -e . && python build.py")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    _, test = opening_commands()
    install_and_test = test.split(" && ", 2)[-1]  # after creating and activating the venv
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()


def test_netlify_builds_with_the_engine_and_publishes_public():
    import tomllib
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "public"
    assert "python build.py" in config["build"]["command"]
    assert config["build"]["environment"]["PYTHON_VERSION"].startswith("3.")
