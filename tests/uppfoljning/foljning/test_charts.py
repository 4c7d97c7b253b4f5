"""The charts: SVG drawn on the server from the published figures, with a title and a table."""

import datetime
import re

from django.template.loader import render_to_string

from uppfoljning.foljning import indicators
from uppfoljning.foljning.charts import bar_chart, charts, formatted

from .fixtures import plan_with_targets, two_insatser


def test_a_hidden_value_has_no_bar_only_its_label():
    chart = bar_chart(
        id="x",
        title="Test",
        unit="antal",
        groups=[
            ("Alfa", {"women": "..", "men": 20}, None),
            ("Beta", {"women": 10, "men": 0}, None),
        ],
        series=["women", "men"],
    )

    bars = {(b.series, b.text): b.width for b in chart.bars}
    assert bars[("women", "K ..")] == 0
    assert bars[("men", "M 20")] == chart.plot_right - chart.plot_left  # the largest: full width
    assert bars[("women", "K 10")] == (chart.plot_right - chart.plot_left) / 2
    html = render_to_string("uppfoljning/foljning/_chart.html", {"chart": chart})
    assert html.count("<rect") == 2 + 2  # the legend's two, and two bars (no zero, no hidden)
    assert ">K ..</text>" in html


def test_shares_are_drawn_against_the_target_on_a_scale_to_100():
    chart = bar_chart(
        id="x",
        title="Andelar",
        unit="procent",
        groups=[("1.1", {"women": 50, "men": "..", "total": 40}, 40)],
        series=["women", "men", "total"],
    )

    assert chart.groups[0].target == "40\u00a0%"
    assert chart.groups[0].target_x == chart.plot_left + (chart.plot_right - chart.plot_left) * 0.4
    assert chart.ticks[-1][1] == "100\u00a0%"


def test_the_page_and_the_pdf_get_the_same_svg_with_title_and_numbers(forbund, heby, tierp):
    two_insatser(forbund, heby, tierp)
    plan_with_targets(forbund)
    figures = indicators.load(
        forbund, indicators.Period.of(2026, "h1", datetime.date(2026, 11, 23))
    )
    shares, participants = charts(figures)

    html = render_to_string("uppfoljning/foljning/_chart.html", {"chart": participants})

    assert 'role="img"' in html
    assert re.search(r'aria-labelledby="diagram-deltagare-titel"', html)
    assert '<title id="diagram-deltagare-titel">Aktiva deltagare' in html
    # Numbers in SVG attributes are never localised ("12,5" would break the drawing).
    assert not re.search(r'(x|y|width)="\d+,\d', html)
    # The table beside it holds every figure drawn.
    assert re.search(r"<th scope=\"row\">Alfa</th>\s*<td[^>]*>18</td>\s*<td[^>]*>14</td>", html)
    labels = [g.full_label for g in shares.groups]
    assert labels == [
        "1.1 Andel avslutade deltagare i arbete eller studier",
        "1.2 Andel avslutade deltagare med plan för vidare rehabilitering",
        "1.3 Andel uppnådda mål i strukturinsatser",
    ]


def test_formatted():
    assert formatted(None, "antal") == "–"
    assert formatted("..", "procent") == ".."
    assert formatted(1204, "antal") == "1\u00a0204"
    assert formatted(62, "procent") == "62\u00a0%"
