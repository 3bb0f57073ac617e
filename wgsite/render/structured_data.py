"""Structured data (schema.org JSON-LD) for a page, built as plain values.

Templates get the blocks as dicts and write each with the `json_script` filter,
which escapes what could end a <script> element. A data block runs no code, so
the Content-Security-Policy need not allow it.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from markupsafe import Markup

# JSON allows these escapes in strings; with them no text can close the
# <script> element (</script>, <!--) or end a line for old parsers (U+2028/9).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"})

Getter = Callable[[Any, str], Any]


def json_script(value: Any) -> Markup:
    """`value` as JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.translate(_SCRIPT_SAFE))


def structured_data(page: Any, breadcrumbs: list, site: Any, absolute: Callable[[str], str],
                    logo: str, page_label: str, get: Getter = getattr) -> list[dict[str, Any]]:
    """The JSON-LD blocks of `page`: what it is (home, news, event) and its trail.

    `logo` is the logo's href ("" for none), `page_label` the "(Page 2 of 3)" of a
    later page of a list ("" otherwise), and `get` reads attributes (the template
    environment's, so that the render memo sees what was read).
    """
    blocks = []
    thing = _thing(page, site, absolute, logo, get)
    if thing:
        blocks.append(thing)
    if breadcrumbs:
        title = get(site, "title") if get(page, "kind") == "home" else get(page, "title")
        here = f"{title} ({page_label})" if page_label else title
        trail = [{"@type": "ListItem", "position": number, "name": get(crumb, "title"),
                  "item": absolute(get(crumb, "url"))}
                 for number, crumb in enumerate(breadcrumbs, 1)]
        trail.append({"@type": "ListItem", "position": len(trail) + 1, "name": here,
                      "item": get(page, "permalink")})
        blocks.append({"@context": "https://schema.org", "@type": "BreadcrumbList",
                       "itemListElement": trail})
    return blocks


def _thing(page: Any, site: Any, absolute: Callable[[str], str], logo: str,
           get: Getter) -> dict[str, Any]:
    kind = get(page, "kind")
    if kind not in ("home", "news", "event"):
        return {}
    organisation = {"@type": "Organization", "name": get(site, "title"),
                    "url": get(site, "base_url")}
    if logo:
        organisation["logo"] = absolute(logo)
    thing: dict[str, Any] = {"@context": "https://schema.org"}
    if kind == "home":
        thing.update(organisation)
    elif kind == "news":
        thing.update({"@type": "NewsArticle", "headline": get(page, "title"),
                      "datePublished": get(page, "date").isoformat(),
                      "url": get(page, "permalink"), "mainEntityOfPage": get(page, "permalink"),
                      "author": organisation, "publisher": organisation})
    else:
        thing.update(_event(page, organisation, get))
    # as the page's meta description reads: whitespace runs as one space
    description = " ".join((get(page, "summary") or get(site, "description")).split())
    if description:
        thing["description"] = description
    image = get(page, "image")
    if image and kind != "home":
        thing["image"] = [absolute(get(image, "url"))]
    return thing


def _event(page: Any, organisation: dict[str, Any], get: Getter) -> dict[str, Any]:
    event: dict[str, Any] = {"@type": "Event", "name": get(page, "title"),
                             "startDate": get(page, "start").isoformat(),
                             "url": get(page, "permalink"), "organizer": organisation}
    if get(page, "end"):
        event["endDate"] = get(page, "end").isoformat()
    location, online = get(page, "location"), get(page, "online_url")
    places = ([{"@type": "Place", "name": location, "address": location}] if location else []) \
        + ([{"@type": "VirtualLocation", "url": online}] if online else [])
    if places:
        mode = "Mixed" if len(places) > 1 else ("Online" if online else "Offline")
        event["location"] = places[0] if len(places) == 1 else places
        event["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    return event
