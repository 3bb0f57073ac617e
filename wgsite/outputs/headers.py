"""Netlify's _headers: which Content-Security-Policy each path of the output gets.

The site's pages hold no inline script or style and load nothing from other
hosts, so they get a strict policy. The content manager at /admin/ cannot live
with it: Decap CMS compiles its config schema with eval (ajv), styles itself
with inline <style> (emotion) and talks to the git host's API. Netlify applies
every rule whose path matches and joins the values, so a looser rule for
/admin/* beside a strict one for /* would add a second policy, and browsers
enforce both. Hence the strict policy is not given to /*: it is given, here,
to every top-level file and folder the build writes except admin/ (a list
made from the output itself, so a new page cannot miss it), and /admin/* gets
its own. netlify.toml keeps the other headers for /*, with a base policy that
both share and that covers paths nothing was built for.
"""

from __future__ import annotations

from collections.abc import Iterable

from wgsite.urls import ADMIN

# Only the site's own files; 'wasm-unsafe-eval' lets Pagefind's search run its
# WebAssembly (it allows no eval() of JavaScript). JSON-LD is data, not script.
SITE_POLICY = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
               "base-uri 'self'; frame-ancestors 'none'; manifest-src 'self'; object-src 'none'")

# What each backend's API and status check need, beyond the site itself.
_BACKEND_HOSTS = {
    "git-gateway": {"connect-src": ["https://www.netlifystatus.com"]},
    "github": {"connect-src": ["https://api.github.com", "https://www.githubstatus.com"],
               "img-src": ["https://avatars.githubusercontent.com"]},
    "test-repo": {},
}


def admin_policy(backend: str) -> str:
    """The policy of /admin/: Decap's eval and inline styles, its backend's hosts."""
    hosts = _BACKEND_HOSTS.get(backend, {})
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
    for name, sources in hosts.items():
        directives[name] = directives[name] + sources
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def netlify_headers(outputs: Iterable[str], backend: str) -> bytes:
    """_headers: the site's policy for each top-level output but admin/, admin's for it."""
    tops: set[str] = set()
    for path in outputs:
        first, _, rest = path.partition("/")
        tops.add(f"/{first}/*" if rest else f"/{first}")
    tops.discard(f"/{ADMIN}/*")
    tops -= {"/_headers", "/_redirects"}  # Netlify reads these; it never serves them
    lines = []
    for pattern in ["/"] + sorted(tops):
        lines += [pattern, f"  Content-Security-Policy: {SITE_POLICY}"]
    lines += [f"/{ADMIN}/*", f"  Content-Security-Policy: {admin_policy(backend)}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
