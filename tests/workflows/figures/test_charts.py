"""The dashboard's charts as a reader sees them: every legend name whole, and no pie for one
agency's own figures (a single 100 % slice says nothing)."""

from __future__ import annotations

import base64

from workflows.figures.charts import pie

LONG = "Chi cục Quản lý thị trường tỉnh Khánh Hòa (Đội Quản lý thị trường số 1)"


def svg(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def test_a_pie_names_each_slice_in_full():
    drawn = svg(pie("Tỷ lệ theo cơ quan", [(LONG, 30), ("Hội Bảo vệ người tiêu dùng", 12),
                                             ("Sở Khoa học và Công nghệ", 3)]))
    assert 'class="slice' in drawn
    assert LONG in drawn and "…" not in drawn


def test_one_slice_is_drawn_as_a_bar_not_a_whole_circle():
    drawn = svg(pie("Tỷ lệ theo cơ quan", [(LONG, 41), ("Hội Bảo vệ người tiêu dùng", 0)]))
    assert 'class="slice' not in drawn
    assert 'class="rect' in drawn or "<rect" in drawn
    assert LONG in drawn and "41" in drawn
