"""Applications as lists: kansli's inbox, the board's and revisor's list, the applicant's own."""

import django_filters
from django.db.models import Sum
from django.utils import timezone

from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import (
    BeloppColumn,
    ChoiceColumn,
    DateColumn,
    LinkColumn,
    Table,
    TextColumn,
)
from finsam.models import Medlem
from finsam.permissions import INSATSAGARE
from finsam.templatetags.finsam import datum

from ..models import Ansokan, Ansokningsomgang, InsatsKind


def annotated(queryset):
    return queryset.annotate(asked=Sum("belopp__amount"))


class AnsokanFilterSet(FilterSet):
    search_fields = ("title", "diarienummer", "agare__name", "agare__short_name", "contact_name")

    status = django_filters.ChoiceFilter(
        label="Status", choices=Ansokan.Status.choices, empty_label="Alla"
    )
    omgang = django_filters.ModelChoiceFilter(
        label="Omgång", queryset=Ansokningsomgang.objects.none(), empty_label="Alla"
    )
    agare = django_filters.ModelChoiceFilter(
        label="Sökande", queryset=Medlem.objects.none(), empty_label="Alla"
    )
    kind = django_filters.ChoiceFilter(label="Typ", choices=InsatsKind.choices, empty_label="Alla")
    ar = YearFilter(label="Inkom år", field_name="received_at", lookup_expr="year")

    class Meta:
        model = Ansokan
        fields = ["q", "status", "omgang", "agare", "kind", "ar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["omgang"].queryset = Ansokningsomgang.objects.of(self.forbund)
        if self.request.roll.kind == INSATSAGARE:
            del self.filters["agare"]
            del self.form.fields["agare"]
        else:
            self.form.fields["agare"].queryset = Medlem.objects.of(self.forbund)


class AnsokanTable(Table):
    caption = "Ansökningar"
    diarienummer = TextColumn(verbose_name="Dnr", attrs={"td": {"class": "text-nowrap"}})
    title = LinkColumn("ansokan_detail", verbose_name="Insats", sort_fields=("title",))
    agare = TextColumn(
        verbose_name="Sökande", accessor="agare__display_name", sort_fields=("agare__name",)
    )
    omgang = TextColumn(verbose_name="Omgång", accessor="omgang__title", default="–")
    status = ChoiceColumn("status", Ansokan.Status.choices, verbose_name="Status")
    received_at = DateColumn(verbose_name="Inkom", default="–")
    late = TextColumn(verbose_name="Sen", accessor="late", order_by=("late",))
    asked = BeloppColumn(sort_field="asked", verbose_name="Sökt totalt")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["asked"].column.verbose_name = f"Sökt totalt ({self.unit})"

    def render_received_at(self, value):
        return datum(timezone.localtime(value).date())

    def value_received_at(self, value):
        return timezone.localtime(value).date()

    def render_late(self, value):
        return "Ja" if value else ""

    def value_late(self, value):
        return "ja" if value else "nej"

    def render_diarienummer(self, value):
        return value or "–"
