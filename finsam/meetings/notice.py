"""The notice (kallelse): the agenda with each subject's summary, as HTML for the PDF."""

from django.template.loader import render_to_string
from django.utils import timezone

from ..agenda import subjects_for
from ..models import Sammantrade
from .workflow import notice_title


def notice_context(sammantrade):
    items = list(sammantrade.arenden.order_by("number"))
    subjects = subjects_for(items)
    return {
        "sammantrade": sammantrade,
        "forbund": sammantrade.forbund,
        "title": notice_title(sammantrade),
        "items": [(i, subjects.get(i.pk), amount_rows(subjects.get(i.pk))) for i in items],
        "delegationsbeslut": sammantrade.anmalda_delegationsbeslut.all(),
        "generated_on": timezone.localdate(),
    }


def amount_rows(subject):
    """(year, asked, proposed) for each year the subject touches."""
    if subject is None:
        return []
    years = sorted(set(subject.asked) | set(subject.proposed))
    return [(year, subject.asked.get(year), subject.proposed.get(year)) for year in years]


def notice_html(sammantrade):
    return render_to_string("print/kallelse.html", notice_context(sammantrade))


def load_meeting(forbund, pk):
    return Sammantrade.objects.of(forbund).select_related("forbund").get(pk=pk)
