"""Which online page a report is about, whatever link the citizen copied. Two buyers of the
same fake share the same product page as different links: the app adds who shared it and
from where (`?sp_atk=…&xptdk=…`, `utm_…`), the browser says `m.` or `www.`, http or https,
and Shopee names one product as `/Ten-san-pham-i.88.12` or `/product/88/12`. The page key
is what is left when all that is taken away, so that "I saw this too" and the staff's
"possible duplicates" find the case that is about the same page."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from w3lib.url import canonicalize_url

# Query parameters that say who shared a link or which campaign brought the visitor, never
# which page it is: exact names, and the prefixes of families of them.
TRACKING_PARAMETERS = frozenset({
    # advertising and analytics click identifiers
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "ttclid", "twclid",
    "igshid", "igsh", "mibextid", "srsltid", "mc_cid", "mc_eid", "_branch_match_id",
    # Shopee's share links
    "sp_atk", "xptdk", "smtt", "share_from", "share_channel_code", "uls_trackid",
    "deep_and_deferred", "publish_id",
    # Lazada
    "spm", "scm", "laz_trackid", "mkttid", "clicktrackinfo", "trafficfrom", "fs_ab",
    "laz_share_info", "laz_token", "exlaz", "dsource",
    # TikTok Shop
    "_r", "_t", "is_from_webapp", "sender_device", "sender_web_id", "share_app_id",
    "share_item_id", "share_link_id", "social_sharing", "tt_from", "u_code", "is_copy_url",
    "share_author_id", "sec_user_id",
})
TRACKING_PREFIXES = ("utm_", "itm_", "pk_", "mtm_")
# Host names that are the same site as without the prefix.
SAME_SITE_PREFIXES = ("www.", "m.", "mobile.", "web.")
# One product page written in several ways on a marketplace: the host, the path's pattern and
# its single spelling.
PRODUCT_PATHS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("shopee.vn", re.compile(r"^/(?:[^/]*-)?i\.(\d+)\.(\d+)$"), r"/product/\1/\2"),
    ("lazada.vn", re.compile(r"^/products/(?:[^/]*-)?i(\d+)(?:-s\d+)?\.html$"),
     r"/products/i\1.html"),
    ("tiki.vn", re.compile(r"^/(?:[^/]*-)?p(\d+)\.html$"), r"/p\1.html"),
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    folded = name.lower()
    return folded in TRACKING_PARAMETERS or folded.startswith(TRACKING_PREFIXES)


def canonical_page(url: str) -> str:
    """The page a link shows, as host, path and the query that selects it ("" for no link);
    a link the URL parser refuses is compared as it was typed."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(canonicalize_url(url))
        port = parts.port
    except ValueError:
        return url
    host = parts.hostname or ""
    for prefix in SAME_SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    for site, pattern, spelling in PRODUCT_PATHS:
        if host == site:
            path = pattern.sub(spelling, path)
    query = urlencode([(name, value) for name, value in parse_qsl(parts.query, True)
                       if not _tracking(name)])
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def page_key(url: str) -> str:
    """What cases are compared by: the canonical page's digest, of a fixed length whatever
    the link's ("" for no link)."""
    page = canonical_page(url)
    return hashlib.sha256(page.encode()).hexdigest() if page else ""
