"""Links to one online page, however they were shared, compare equal; links to other pages do
not."""

from __future__ import annotations

import pytest

from workflows.cases.web_pages import page_key

SAME_PAGE = [
    # Shopee: the app's share link, the browser's, the product's two spellings.
    ("https://shopee.vn/product/88/12",
     "https://shopee.vn/product/88/12?sp_atk=hang.nguyen&xptdk=ab12&share_from=0912345678",
     "http://m.shopee.vn/product/88/12/",
     "https://SHOPEE.VN/N%C6%B0%E1%BB%9Bc-m%E1%BA%AFm-Ph%C3%BA-Qu%E1%BB%91c-i.88.12?utm_source=zalo",
     "https://shopee.vn/Nước-mắm-Phú-Quốc-i.88.12#reviews"),
    # Lazada: one product whatever its SKU, slug and tracking.
    ("https://www.lazada.vn/products/nuoc-mam-i2001-s3001.html?spm=a2o4n.home&clickTrackInfo=x",
     "https://lazada.vn/products/i2001.html",
     "https://www.lazada.vn/products/khac-ten-i2001-s3002.html"),
    # Tiki keeps the variant it names (spid); its campaign tags go.
    ("https://tiki.vn/nuoc-mam-p789.html?spid=5&itm_campaign=CTP&itm_medium=CPC",
     "https://tiki.vn/p789.html?spid=5"),
    # Any site: parameters in another order, a Facebook click id, www. and a default port.
    ("https://www.example.vn:443/shop?b=2&a=1&fbclid=IwAR0",
     "https://example.vn/shop?a=1&b=2"),
    # TikTok Shop's share parameters, on its subdomains too; a place on the page is no page.
    ("https://www.tiktok.com/@shop/video/7?_r=1&_t=8k&is_from_webapp=1&sender_device=pc",
     "https://tiktok.com/@shop/video/7"),
    ("https://shop.tiktok.com/view/product/17?u_code=abc", "https://shop.tiktok.com/view/product/17"),
    ("https://example.vn/shop#reviews", "https://example.vn/shop"),
]
OTHER_PAGES = [
    ("https://shopee.vn/product/88/12", "https://shopee.vn/product/88/13"),
    ("https://tiki.vn/p789.html?spid=5", "https://tiki.vn/p789.html?spid=6"),
    ("https://example.vn/shop?id=1", "https://example.vn/shop?id=2"),
    ("https://example.vn/Shop", "https://example.vn/shop"),  # paths are case-sensitive
    ("https://example.vn:8443/shop", "https://example.vn/shop"),
    ("https://m.com/shop", "https://com/shop"),  # "m." is the site's own name there
    # Shops that route in the browser: the fragment is the page.
    ("https://shop.example/#/product/1", "https://shop.example/#/product/2"),
    ("https://www.facebook.com/#!/shopA", "https://www.facebook.com/#!/shopB"),
    # A marketplace's share parameter names mean something else elsewhere.
    ("https://example.vn/list?spm=1", "https://example.vn/list?spm=2"),
    ("https://example.vn/list?_r=1", "https://example.vn/list"),
    # Bytes that are no UTF-8 are not all one replacement character; IPv6 keeps its brackets.
    ("https://example.vn/p?id=%FF", "https://example.vn/p?id=%FE"),
    ("http://[::1]:8080/x", "http://[::1:8080]/x"),
]


@pytest.mark.parametrize("links", SAME_PAGE)
def test_links_to_one_page_have_one_key(links):
    keys = {page_key(link) for link in links}
    assert len(keys) == 1 and "" not in keys, links


@pytest.mark.parametrize(("one", "other"), OTHER_PAGES)
def test_links_to_other_pages_differ(one, other):
    assert page_key(one) != page_key(other)


def test_odd_links_get_no_error_and_a_bare_scheme_matches_nothing():
    assert page_key("http://[::1") == page_key(" http://[::1 ") != ""  # compared as typed
    assert page_key("https://exa mple.vn/x") != ""
    assert page_key("https://") == page_key("  ") == ""  # no page: no match with anyone
