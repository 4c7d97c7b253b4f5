"""What the follow-up page and its PDF show: the figures, the charts, the rows side by side."""

from django.template.loader import render_to_string

from . import indicators
from .charts import charts


def content_context(figures):
    """The context of `_innehall.html`, shared by the page and the PDF."""
    participants = [lines for _label, _forbund, lines in figures.participants]
    shares = [lines for _label, _forbund, lines in figures.shares]
    return {
        "figures": figures,
        "charts": charts(figures),
        # Each insats's line of every table side by side: one row of the table.
        "participant_rows": list(zip(*participants, strict=True)),
        "share_rows": list(zip(*shares, strict=True)),
    }


def followup_html(forbund, period, *, title):
    figures = indicators.load(forbund, period)
    context = content_context(figures)
    context.update(
        {
            "forbund": forbund,
            "title": title,
            "generated_on": indicators.current_date(),
            "print": True,
        }
    )
    return render_to_string("print/uppfoljning.html", context)
