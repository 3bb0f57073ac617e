"""Every page type in Chromium under netlify.toml's headers: no request leaves
127.0.0.1, nothing goes to the console as an error, the Content-Security-Policy
is never violated; and the Nu HTML Checker finds no error in any built page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PAGE_TYPES, headers_for, netlify_headers
from tests.test_headers import STRICT

# Collects what the page's own CSP refuses, from the first moment of the document.
WATCH_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__violations.push(`${event.violatedDirective} refused ${event.blockedURI || 'inline'}`
                           + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def csp(out: Path, path: str = "/") -> str | None:
    """What netlify.toml and the build's _headers send for `path`."""
    return headers_for(path, netlify_headers(out)).get("Content-Security-Policy")


@pytest.fixture
def watched(browser):
    """A page that records every request, console error, page error and CSP violation."""
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    log = {"requests": [], "errors": []}
    page.on("request", lambda request: log["requests"].append(request.url))
    page.on("console", lambda message: message.type == "error" and log["errors"].append(
        f"console: {message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: log["errors"].append(f"page error: {error}"))
    yield page, log
    context.close()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_a_page_stays_on_its_host_logs_no_error_and_keeps_its_csp(watched, site_url, pages,
                                                                   built_example, kind):
    page, log = watched
    response = page.goto(site_url + pages[kind])
    if kind == "search":
        page.wait_for_selector(".search-result__link")
    page.wait_for_load_state("networkidle")
    if kind == "404":
        assert response.status == 404
        # The one expected error: the browser reports the missing page itself.
        log["errors"] = [e for e in log["errors"] if "status of 404" not in e
                         or not e.endswith(f"({site_url + pages[kind]})")]
    else:
        assert response.status == 200
    policy = csp(built_example, pages[kind].split("?")[0])
    assert response.headers.get("content-security-policy") == policy
    if kind != "404":  # a path nothing was built for gets netlify.toml's base policy only
        assert STRICT in policy.split(", ")
    leaving = [url for url in log["requests"]
               if urlsplit(url).scheme not in ("data", "blob")
               and urlsplit(url).hostname != "127.0.0.1"]
    assert not leaving, f"requests to other hosts: {leaving}"
    assert len(log["requests"]) > 1, "the page's own files were requested and recorded"
    assert not log["errors"], "\n".join(log["errors"])
    assert page.evaluate("window.__violations") == []


def test_a_violation_of_the_csp_would_be_seen(watched, site_url):
    """The check above is real: an inline script, which the policy forbids, is caught."""
    page, log = watched
    page.goto(site_url + "/about/")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.ran = true'; document.head.append(s); }""")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")


def test_the_nu_html_checker_finds_no_error_in_any_page(vnu, built_example: Path):
    files = sorted(str(path) for path in built_example.rglob("*.html"))
    assert len(files) > 50
    done = subprocess.run([*vnu, "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]  # vnu reports on stderr
    assert not messages, "\n".join(describe(message, built_example) for message in messages)


def describe(message: dict, root: Path) -> str:
    where = message.get("url", "").removeprefix("file:").removeprefix(str(root) + "/")
    return (f"{where}:{message.get('lastLine', '?')}: {message['type']}: "
            f"{message['message']} [{message.get('extract', '').strip()[:120]}]")
