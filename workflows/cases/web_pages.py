"""Which online page a report is about, whatever link the citizen copied. Two buyers of the
same fake share the same product page as different links: the app adds who shared it and
from where (`?sp_atk=…&xptdk=…`, `utm_…`), the browser says `m.` or `www.`, http or https,
and Shopee names one product as `/Ten-san-pham-i.88.12` or `/product/88/12`. The page key
is what is left when all that is taken away, so that "I saw this too" and the staff's
"possible duplicates" find the case that is about the same page. Cases store the key
(migration 0030 computed it for older ones): a change to how it is made needs a migration
that computes the stored keys again."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote_plus, urlsplit

from w3lib.url import canonicalize_url

# Query parameters that say who shared a link or which campaign brought the visitor, never
# which page it is: on every site (exact names, and prefixes of families of them), and on the
# marketplaces that add their own (where a name like "spm" means nothing else).
TRACKING_EVERYWHERE = frozenset({
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "ttclid", "twclid",
    "igshid", "igsh", "mibextid", "srsltid", "mc_cid", "mc_eid", "_branch_match_id",
})
TRACKING_PREFIXES = ("utm_", "itm_", "pk_", "mtm_")
TRACKING_ON_SITE: dict[str, frozenset[str]] = {
    "shopee.vn": frozenset({"sp_atk", "xptdk", "smtt", "share_from", "share_channel_code",
                            "uls_trackid", "deep_and_deferred", "publish_id"}),
    "lazada.vn": frozenset({"spm", "scm", "laz_trackid", "mkttid", "clicktrackinfo",
                            "trafficfrom", "fs_ab", "laz_share_info", "laz_token", "exlaz",
                            "dsource"}),
    "tiktok.com": frozenset({"_r", "_t", "is_from_webapp", "sender_device", "sender_web_id",
                             "share_app_id", "share_item_id", "share_link_id", "social_sharing",
                             "tt_from", "u_code", "is_copy_url", "share_author_id",
                             "sec_user_id"}),
}
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
# A fragment that is a page of its own on sites that route in the browser ("#/product/2",
# "#!/shop"); any other fragment is a place on the page.
ROUTE_FRAGMENT = ("/", "!")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _site_tracking(host: str) -> frozenset[str]:
    """The tracking parameter names of the marketplace the host belongs to, if any."""
    return frozenset().union(*(names for site, names in TRACKING_ON_SITE.items()
                               if host == site or host.endswith(f".{site}")))


def _tracking(parameter: str, site_tracking: frozenset[str]) -> bool:
    """Whether a query's `name=value` says who shared the link rather than which page it is."""
    name = unquote_plus(parameter.partition("=")[0]).lower()
    return (name in TRACKING_EVERYWHERE or name.startswith(TRACKING_PREFIXES)
            or name in site_tracking)


def canonical_page(url: str) -> str:
    """The page a link shows, as host, path and the query that selects it ("" for no link);
    a link the URL parser refuses is compared as it was typed."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(canonicalize_url(url, keep_fragments=True))
        port = parts.port
    except ValueError:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets, apart from the port
        host = f"[{host}]"
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
    # The parameters as canonicalize_url encoded and ordered them: not decoded again, so
    # that bytes which are no UTF-8 stay apart.
    site_tracking = _site_tracking(host)
    query = "&".join(parameter for parameter in parts.query.split("&")
                     if parameter and not _tracking(parameter, site_tracking))
    route = f"#{parts.fragment}" if parts.fragment.startswith(ROUTE_FRAGMENT) else ""
    return f"{host}{path}" + (f"?{query}" if query else "") + route


def page_key(url: str) -> str:
    """What cases are compared by: the canonical page's digest, of a fixed length whatever
    the link's ("" for no link)."""
    page = canonical_page(url)
    return hashlib.sha256(page.encode()).hexdigest() if page else ""
