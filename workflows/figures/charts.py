"""The dashboard's charts, drawn on the server as SVG by pygal: they need no JavaScript, print,
and sit beside a table holding the same numbers (the table is what screen readers use).

Each chart is returned as a `data:` URI for an <img>: an SVG shown as an image runs no script
and its own styles are not blocked by the page's Content-Security-Policy.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pygal
from pygal.etree import etree
from pygal.style import Style

# Readable on screen and paper; colours told apart by most colour-blind readers (Okabe–Ito).
STYLE = Style(
    background="white", plot_background="white", foreground="#222", foreground_strong="#111",
    foreground_subtle="#888", opacity="1", opacity_hover="1", transition="none",
    font_family="system-ui, 'Segoe UI', Roboto, Arial, sans-serif", label_font_size=13,
    major_label_font_size=13, legend_font_size=13, value_font_size=12, title_font_size=16,
    colors=("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
            "#000000", "#999999"),
)
# A legend is never cut: a name is what tells the slices apart (truncate_legend=-1), and a
# long one gets a line of its own (LONG_LEGEND).
COMMON = dict(style=STYLE, js=[], disable_xml_declaration=True, width=720, height=400,
              legend_at_bottom=True, legend_at_bottom_columns=3, truncate_legend=-1,
              truncate_label=30, print_values=False, show_y_guides=True, margin=12)


def _data_uri(chart: pygal.graph.graph.Graph) -> str:
    """The chart without pygal's configuration script (an image runs none anyway)."""
    tree = chart.render_tree()
    for script in [element for element in tree.iter() if str(element.tag).endswith("script")]:
        parent = next(candidate for candidate in tree.iter() if script in list(candidate))
        parent.remove(script)
    svg = etree.tostring(tree, encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def stacked_bars(title: str, x_labels: Sequence[str],
                 series: Sequence[tuple[str, Sequence[int]]]) -> str:
    chart = pygal.StackedBar(title=title, x_labels=list(x_labels), x_label_rotation=-30,
                             **{**COMMON, "legend_at_bottom_columns": 2, "height": 480})
    for name, values in series:
        chart.add(name, list(values))
    return _data_uri(chart)


LONG_LEGEND = 28  # characters: past this, one legend entry per line


def pie(title: str, slices: Sequence[tuple[str, int]]) -> str:
    """Shares of a whole; one slice (an agency's own figures) is no share: a bar says it."""
    shown = [(name, value) for name, value in slices if value]
    if len(shown) < 2:
        return horizontal_bars(title, shown)
    longest = max(len(name) for name, _ in shown)
    columns = 1 if longest > LONG_LEGEND else 2 if longest > LONG_LEGEND // 2 else 3
    rows = -(-len(shown) // columns)
    chart = pygal.Pie(title=title, inner_radius=0.45, **{
        **COMMON, "print_values": True, "legend_at_bottom_columns": columns,
        "height": 360 + 24 * rows})
    for name, value in shown:
        chart.add(name, value)
    return _data_uri(chart)


def horizontal_bars(title: str, items: Sequence[tuple[str, int]]) -> str:
    chart = pygal.HorizontalBar(title=title, **{**COMMON, "show_legend": False,
                                                "print_values": True,
                                                "height": 120 + 34 * max(1, len(items))})
    chart.x_labels = [name for name, _ in reversed(items)]
    chart.add(title, [value for _, value in reversed(items)])
    return _data_uri(chart)
