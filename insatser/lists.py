"""The insatser list: its table and filters (the shared layer is finsam.lists)."""

import django_filters
from django.db.models import Exists, OuterRef

from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import BeloppColumn, ChoiceColumn, LinkColumn, Table, TextColumn
from finsam.models import Medlem
from finsam.permissions import INSATSAGARE
from finsam.templatetags.finsam import belopp, datum

from .models import Anslag, Insats, InsatsKind


class InsatsFilterSet(FilterSet):
    search_fields = ("name", "agare__name", "agare__short_name", "ansokan__diarienummer")

    status = django_filters.ChoiceFilter(
        label="Status", choices=Insats.Status.choices, empty_label="Alla"
    )
    kind = django_filters.ChoiceFilter(label="Typ", choices=InsatsKind.choices, empty_label="Alla")
    agare = django_filters.ModelChoiceFilter(
        label="Insatsägare", queryset=Medlem.objects.none(), empty_label="Alla"
    )
    ar = YearFilter(label="Aktiv under år", method="active_in")
    anslag_ar = YearFilter(label="Beviljat belopp år", method="granted_in")

    class Meta:
        model = Insats
        fields = ["q", "status", "kind", "agare", "ar", "anslag_ar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request.roll.kind == INSATSAGARE:
            # An insatsägare sees its own member's insatser only: no owner to choose.
            del self.filters["agare"]
            del self.form.fields["agare"]
        else:
            self.form.fields["agare"].queryset = Medlem.objects.of(self.forbund)

    def active_in(self, queryset, name, value):
        return queryset.active_in(value)

    def granted_in(self, queryset, name, value):
        granted = Anslag.objects.filter(insats=OuterRef("pk"), year=value)
        return queryset.filter(Exists(granted))


class InsatsTable(Table):
    caption = "Insatser"
    name = LinkColumn(
        "insats_detail",
        verbose_name="Namn",
        sort_fields=("name",),
        footer=lambda table: table.sum_label(),
    )
    agare = TextColumn(
        verbose_name="Insatsägare", accessor="agare__display_name", sort_fields=("agare__name",)
    )
    kind = ChoiceColumn("kind", InsatsKind.choices, verbose_name="Typ")
    status = ChoiceColumn("status", Insats.Status.choices, verbose_name="Status")
    period = TextColumn(
        verbose_name="Period",
        accessor="start",
        order_by=("start", "end"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    grant_now = BeloppColumn(
        sort_field="grant_now", footer=lambda table: belopp(table.totals["now"], table.unit)
    )
    grant_next = BeloppColumn(
        sort_field="grant_next", footer=lambda table: belopp(table.totals["next"], table.unit)
    )

    def __init__(self, *args, year, totals, **kwargs):
        super().__init__(*args, **kwargs)
        self.totals = totals
        self.columns["grant_now"].column.verbose_name = f"Beviljat {year} ({self.unit})"
        self.columns["grant_next"].column.verbose_name = f"Beviljat {year + 1} ({self.unit})"

    def sum_label(self):
        n = self.paginator.count
        return f"Summa ({n} {'insats' if n == 1 else 'insatser'})"

    def render_period(self, record):
        return f"{datum(record.start)}–{datum(record.end)}"

    value_period = render_period
