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


def test_netlify_previews_show_drafts_a_banner_and_keep_robots_out():
    import tomllib
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    production = config["context"]["production"]["command"]
    preview = config["context"]["deploy-preview"]["command"]
    assert "--drafts" not in production and "--preview" not in production
    assert "--drafts" in preview and "--preview" in preview
    assert '--base-url "$DEPLOY_PRIME_URL"' in preview


def test_a_preview_build_has_a_banner_drafts_and_a_closed_robots_txt(tmp_path):
    from tests.sitefiles import SITE, run_cli, write_site
    site = write_site(tmp_path / "s", {**SITE, "content/news/2026-05-01-draft.md":
                                       "---\ntitle: Draft\ndate: 2026-05-01\ndraft: true\n---\nx\n"})
    result = run_cli("build", "--site", str(site), "--drafts", "--preview")
    assert result.returncode == 0, result.stderr
    out = site / "public"
    assert "Disallow: /" in (out / "robots.txt").read_text()
    assert 'class="preview-banner"' in (out / "index.html").read_text()
    assert (out / "news/draft/index.html").is_file()
    result = run_cli("build", "--site", str(site))
    assert "Allow: /" in (out / "robots.txt").read_text()
    assert "preview-banner" not in (out / "index.html").read_text()
