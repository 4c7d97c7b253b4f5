"""The activities list: its table and filters (the shared layer is finsam.lists)."""

import django_filters

from finsam.lists.filters import FilterSet, YearFilter
from finsam.lists.tables import (
    ChoiceColumn,
    DateColumn,
    EditColumn,
    NumberColumn,
    Table,
    TextColumn,
)
from insatser.models import Insats

from ..models import Aktivitet


class AktivitetFilterSet(FilterSet):
    search_fields = ("title", "organiser", "insats__name")

    kind = django_filters.ChoiceFilter(
        label="Typ", choices=Aktivitet.Kind.choices, empty_label="Alla"
    )
    insats = django_filters.ModelChoiceFilter(
        label="Insats", queryset=Insats.objects.none(), empty_label="Alla"
    )
    ar = YearFilter(label="År", field_name="date", lookup_expr="year")

    class Meta:
        model = Aktivitet
        fields = ["q", "kind", "insats", "ar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["insats"].queryset = Insats.objects.of(self.forbund)


class AktivitetTable(Table):
    caption = "Kompetensaktiviteter"
    date = DateColumn(verbose_name="Datum")
    title = TextColumn(verbose_name="Rubrik", sort_fields=("title",))
    kind = ChoiceColumn("kind", Aktivitet.Kind.choices, verbose_name="Typ")
    organiser = TextColumn(verbose_name="Arrangör", default="–", sort_fields=("organiser",))
    insats = TextColumn(
        verbose_name="Insats", accessor="insats__name", default="–", sort_fields=("insats__name",)
    )
    participants_women = NumberColumn(verbose_name="Kvinnor")
    participants_men = NumberColumn(verbose_name="Män")
    andra = EditColumn("aktivitet_edit")
