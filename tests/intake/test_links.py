"""Links in mail are built from the routes: each route's path is looked up once, and the
links must be what Starlette's own url_path_for gives, for every link a mail carries."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.routing import Router

from intake.links import RouteLinks
from intake.routes import routes

BASE = "https://intake.example.vn"


def starlette_url(name: str, **params: str) -> str:
    return BASE + str(Router(routes=routes).url_path_for(name, **params))


def test_each_link_is_what_the_router_itself_builds():
    links = RouteLinks(routes, BASE + "/", "secret")
    for _ in range(2):  # the second time from the remembered pattern
        assert links.staff_case("ABCD2345EFGH") == starlette_url("case", code="ABCD2345EFGH")
        assert links.log_proof("ABCD2345EFGH") == starlette_url("log_proof", code="ABCD2345EFGH")
        assert links.log_key() == starlette_url("log_key")
        assert links.public_case("ABCD2345EFGH") == starlette_url("track") + "?code=ABCD2345EFGH"
    explanation = links.explanation(7, "nonce")
    token = explanation.rsplit("/", 1)[1]
    assert explanation == starlette_url("explanation_form", token=token)
    assert links.feedback("ABCD2345EFGH", dt.datetime(2026, 12, 1, tzinfo=dt.UTC), True) \
        .startswith(BASE + "/")
    assert links.staff_case("OTHER2345EFG").endswith("/OTHER2345EFG")  # not the first code


@pytest.mark.parametrize("value", ["", "a/b", "../admin"])
def test_a_value_that_is_not_one_path_segment_makes_no_link(value):
    with pytest.raises(ValueError):
        RouteLinks(routes, BASE, "secret").staff_case(value)
