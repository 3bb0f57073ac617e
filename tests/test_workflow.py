"""The CI workflow is valid GitHub Actions and runs the README's commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.sitefiles import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def validate(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub-workflow schema it ships (no network)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["test-and-build"]["steps"]


def test_the_workflow_is_valid():
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    step: []\n")
    assert validate(broken).returncode != 0


def test_the_workflow_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    test_command = re.findall(r"```sh\n(.+?)\n```", readme)[1]
    assert test_command in [step.get("run", "").strip() for step in steps()]


def test_the_workflow_builds_strictly_checks_and_keeps_the_site():
    runs = " ".join(step.get("run", "") for step in steps())
    assert "python build.py build --strict" in runs
    assert "python build.py check --strict" in runs
    upload = next(s for s in steps() if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "public/"


@pytest.mark.parametrize("event", ["push", "pull_request"])
def test_the_workflow_runs_on_every_push_and_pull_request(event):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads on: as true
    assert event in triggers
