"""The register of decisions: the board's and the delegated ones, filtered, linked, in Excel.

A decision's subject (an application) belongs to a higher app: it tells its
links through `register_links(provider)`, `provider(decisions)` → {beslut.pk:
DecisionLinks}, as finsam.agenda's subjects do.
"""

from dataclasses import dataclass

import django_filters
from django.db.models import Sum
from django.utils.html import format_html, format_html_join

from finsam.access import forbund_view
from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import BeloppColumn, ChoiceColumn, DateColumn, Table, TextColumn
from finsam.lists.views import list_view
from finsam.models import Beslut, Sammantrade

from .permissions import DECISION_READERS


@dataclass
class DecisionLinks:
    title: str = ""
    url: str = ""
    letter_url: str = ""


_providers = []


def register_links(provider):
    if provider not in _providers:
        _providers.append(provider)


def links_for(decisions):
    found = {}
    for provider in _providers:
        found.update(provider(decisions))
    return found


KIND_CHOICES = [("styrelse", "Styrelsens beslut"), ("delegation", "Delegationsbeslut")]


class BeslutFilterSet(FilterSet):
    search_fields = ("text", "diarienummer", "arende__title", "arende__diarienummer")

    ar = YearFilter(label="År", method="of_year")
    sammantrade = django_filters.ModelChoiceFilter(
        label="Sammanträde",
        field_name="arende__sammantrade",
        queryset=Sammantrade.objects.none(),
        empty_label="Alla",
    )
    typ = django_filters.ChoiceFilter(
        label="Typ", choices=KIND_CHOICES, empty_label="Alla", method="of_kind"
    )
    outcome = django_filters.ChoiceFilter(
        label="Utgång", choices=Beslut.Outcome.choices, empty_label="Alla"
    )

    class Meta:
        model = Beslut
        fields = ["q", "ar", "sammantrade", "typ", "outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["sammantrade"].queryset = Sammantrade.objects.of(self.forbund).order_by(
            "-date"
        )

    def of_year(self, queryset, name, value):
        return queryset.filter(date__year=value)

    def of_kind(self, queryset, name, value):
        return queryset.filter(delegated=(value == "delegation"))


class BeslutTable(Table):
    caption = "Beslut"
    export_title = "Beslutsregister"
    date = DateColumn(
        verbose_name="Datum", order_by=("date", "pk"), attrs={"td": {"class": "text-nowrap"}}
    )
    diarienummer = TextColumn(
        verbose_name="Dnr",
        accessor="diarienummer",
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )
    text = TextColumn(verbose_name="Beslut", orderable=False)
    typ = TextColumn(verbose_name="Typ", accessor="delegated", orderable=False)
    outcome = ChoiceColumn("outcome", Beslut.Outcome.choices, verbose_name="Utgång", default="")
    total = BeloppColumn(verbose_name="Belopp", sort_field="total")
    sammantrade = TextColumn(
        verbose_name="Sammanträde",
        accessor="arende",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    lankar = TextColumn(
        verbose_name="Handlingar", accessor="pk", orderable=False, exclude_from_export=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = None
        self.columns["total"].column.verbose_name = f"Belopp ({self.unit})"

    def _links(self, record):
        """The subjects' links, asked once for the page's rows (or all rows, for Excel)."""
        if self.links is None:
            page = getattr(self, "page", None)
            rows = [row.record for row in page.object_list] if page else list(self.data)
            self.links = links_for(rows)
        return self.links.get(record.pk) or DecisionLinks()

    def render_diarienummer(self, record):
        return record.diarienummer or (record.arende.diarienummer if record.arende else "") or "–"

    value_diarienummer = render_diarienummer

    def render_text(self, record):
        links = self._links(record)
        text = record.text if len(record.text) <= 140 else record.text[:137] + "…"
        if links.url:
            return format_html(
                '<a href="{}">{}</a><br><span class="small">{}</span>', links.url, links.title, text
            )
        return text

    def value_text(self, record):
        return record.text

    def render_typ(self, record):
        return "Delegation" if record.delegated else "Styrelsen"

    value_typ = render_typ

    def render_sammantrade(self, record):
        if record.arende_id is None:
            if record.reported_at_id:
                url = self.url("sammantrade_detail", record.reported_at_id)
                return format_html('Anmäls <a href="{}">{}</a>', url, record.reported_at.date)
            return "–"
        meeting = record.arende.sammantrade
        url = self.url("sammantrade_detail", meeting.pk)
        number = record.arende.paragraf or record.arende.number
        return format_html('<a href="{}">{} § {}</a>', url, meeting.date, number)

    def value_sammantrade(self, record):
        if record.arende_id is None:
            return ""
        return (
            f"{record.arende.sammantrade.date} § {record.arende.paragraf or record.arende.number}"
        )

    def render_lankar(self, record):
        parts = []
        if record.arende_id:
            url = self.url("protokoll_detail", record.arende.sammantrade_id)
            parts.append((url, "Protokoll"))
        letter = self._links(record).letter_url
        if letter:
            parts.append((letter, "Beslutsbrev"))
        if not parts:
            return "–"
        return format_html_join(" · ", '<a href="{}">{}</a>', parts)


@forbund_view(DECISION_READERS)
def beslut_list(request):
    decisions = (
        Beslut.objects.of(request.forbund)
        .select_related("arende__sammantrade", "reported_at")
        .annotate(total=Sum("belopp__amount"))
        .order_by("-date", "-pk")
    )

    return list_view(
        request,
        decisions,
        BeslutTable,
        BeslutFilterSet,
        template="finsam/minutes/beslut_list.html",
        filename=f"beslut-{request.forbund.slug}",
        context_name="beslut",
        cache="beslut",
    )
