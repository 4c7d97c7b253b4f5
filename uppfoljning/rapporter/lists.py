"""The reports list and the late reports list: tables and filters (shared layer: finsam.lists)."""

import django_filters
from django.utils import timezone
from django.utils.html import format_html

from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import ChoiceColumn, DateColumn, NumberColumn, Table, TextColumn
from finsam.models import Medlem
from finsam.permissions import INSATSAGARE
from finsam.templatetags.finsam import datum
from insatser.models import Insats

from ..models import Rapport


class SenaRapporterFilterSet(FilterSet):
    search_fields = ("insats__name", "insats__agare__name", "insats__agare__short_name")

    agare = django_filters.ModelChoiceFilter(
        label="Insatsägare",
        field_name="insats__agare",
        queryset=Medlem.objects.none(),
        empty_label="Alla",
    )
    kind = django_filters.ChoiceFilter(
        label="Typ av rapport", choices=Rapport.Kind.choices, empty_label="Alla"
    )

    class Meta:
        model = Rapport
        fields = ["q", "agare", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["agare"].queryset = Medlem.objects.of(self.forbund)


class _ReportCells:
    """The insats and period cells of a report list, linked to the insats and the report."""

    def render_insats(self, record, value):
        return format_html(
            '<a href="{}">{}</a>', self.url("insats_detail", record.insats_id), value
        )

    def value_insats(self, value):
        return value

    def render_period(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            self.url("rapport_detail", record.pk),
            self.value_period(record),
        )

    def value_period(self, record):
        return f"{datum(record.period_start)}–{datum(record.period_end)}"


class SenaRapporterTable(_ReportCells, Table):
    caption = "Försenade rapporter"
    insats = TextColumn(
        verbose_name="Insats", accessor="insats__name", sort_fields=("insats__name",)
    )
    agare = TextColumn(
        verbose_name="Insatsägare",
        accessor="insats__agare__display_name",
        sort_fields=("insats__agare__name",),
    )
    kind = ChoiceColumn("kind", Rapport.Kind.choices, verbose_name="Rapport")
    period = TextColumn(
        verbose_name="Period",
        accessor="period_start",
        order_by=("period_start", "period_end"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    due_date = DateColumn(verbose_name="Skulle lämnas senast")
    days_late = NumberColumn(verbose_name="Dagar sen", accessor="due_date", order_by=("due_date",))
    status = ChoiceColumn("status", Rapport.Status.choices, verbose_name="Status")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_days_late(self, record):
        return (self.today - record.due_date).days

    value_days_late = render_days_late


class RapportFilterSet(FilterSet):
    search_fields = (
        "insats__name",
        "insats__agare__name",
        "insats__agare__short_name",
        "diarienummer",
    )

    status = django_filters.ChoiceFilter(
        label="Status", choices=Rapport.Status.choices, empty_label="Alla"
    )
    kind = django_filters.ChoiceFilter(
        label="Typ av rapport", choices=Rapport.Kind.choices, empty_label="Alla"
    )
    insats = django_filters.ModelChoiceFilter(
        label="Insats", queryset=Insats.objects.none(), empty_label="Alla"
    )
    ar = YearFilter(label="År", field_name="period_end", lookup_expr="year")

    class Meta:
        model = Rapport
        fields = ["q", "status", "kind", "insats", "ar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        insatser = Insats.objects.of(self.forbund).order_by("name", "pk")
        roll = self.request.roll
        if roll.kind == INSATSAGARE:  # never another member's insats, not even its name
            insatser = insatser.filter(agare_id=roll.medlem_id)
        self.form.fields["insats"].queryset = insatser


class RapportTable(_ReportCells, Table):
    caption = "Rapporter"
    insats = TextColumn(
        verbose_name="Insats", accessor="insats__name", sort_fields=("insats__name",)
    )
    agare = TextColumn(
        verbose_name="Insatsägare",
        accessor="insats__agare__display_name",
        sort_fields=("insats__agare__name",),
    )
    kind = ChoiceColumn("kind", Rapport.Kind.choices, verbose_name="Typ")
    period = TextColumn(
        verbose_name="Period",
        accessor="period_start",
        order_by=("period_start", "period_end"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    due_date = DateColumn(verbose_name="Sista dag")
    status = ChoiceColumn("status", Rapport.Status.choices, verbose_name="Status")
    diarienummer = TextColumn(
        verbose_name="Diarienummer", default="–", sort_fields=("diarienummer",)
    )
    received_at = TextColumn(verbose_name="Inkom", default="–", order_by=("received_at",))

    def render_received_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    def value_received_at(self, value):
        return timezone.localtime(value).replace(tzinfo=None) if value else None
