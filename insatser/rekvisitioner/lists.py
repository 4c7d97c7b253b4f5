"""The claims list: its table and filters (the shared layer is finsam.lists)."""

import django_filters
from django.utils import timezone
from django.utils.text import Truncator

from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import BeloppColumn, ChoiceColumn, LinkColumn, Table, TextColumn
from finsam.models import Medlem
from finsam.permissions import INSATSAGARE
from finsam.templatetags.finsam import datum

from ..models import Insats, Rekvisition


class RekvisitionFilterSet(FilterSet):
    search_fields = ("diarienummer", "insats__name", "insats__agare__name")

    status = django_filters.ChoiceFilter(
        label="Status", choices=Rekvisition.Status.choices, empty_label="Alla"
    )
    insats = django_filters.ModelChoiceFilter(
        label="Insats", queryset=Insats.objects.none(), empty_label="Alla"
    )
    agare = django_filters.ModelChoiceFilter(
        label="Insatsägare",
        field_name="insats__agare",
        queryset=Medlem.objects.none(),
        empty_label="Alla",
    )
    ar = YearFilter(label="År", field_name="period_end", lookup_expr="year")

    class Meta:
        model = Rekvisition
        fields = ["q", "status", "insats", "agare", "ar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roll = self.request.roll
        self.form.fields["insats"].queryset = Insats.objects.of(self.forbund).visible_to(roll)
        if roll.kind == INSATSAGARE:
            del self.filters["agare"]
            del self.form.fields["agare"]
        else:
            self.form.fields["agare"].queryset = Medlem.objects.of(self.forbund)


class RekvisitionTable(Table):
    caption = "Rekvisitioner"
    diarienummer = LinkColumn(
        "rekvisition_detail", verbose_name="Nr", attrs={"td": {"class": "text-nowrap"}}
    )
    insats = TextColumn(
        verbose_name="Insats", accessor="insats__name", sort_fields=("insats__name",)
    )
    agare = TextColumn(
        verbose_name="Insatsägare",
        accessor="insats__agare__display_name",
        sort_fields=("insats__agare__name",),
    )
    period = TextColumn(
        verbose_name="Period",
        accessor="period_start",
        order_by=("period_start", "period_end"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    amount = BeloppColumn(sort_field="amount", verbose_name="Belopp")
    status = ChoiceColumn("status", Rekvisition.Status.choices, verbose_name="Status")
    received_at = TextColumn(verbose_name="Inkom", default="–")
    reason = TextColumn(verbose_name="Skäl till avslag", default="–", orderable=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["amount"].column.verbose_name = f"Belopp ({self.unit})"

    def render_period(self, record):
        return f"{datum(record.period_start)}–{datum(record.period_end)}"

    value_period = render_period

    def render_reason(self, value):
        return Truncator(value).chars(80)

    def value_reason(self, value):
        return value

    def render_received_at(self, value):
        return datum(timezone.localtime(value).date())

    def value_received_at(self, value):
        return timezone.localtime(value).date()
