"""The tables and filters of the förbund's own lists: members, board, meetings."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils.html import format_html

from .lists.filters import FilterSet, YearFilter
from .lists.tables import (
    ChoiceColumn,
    DateColumn,
    EditColumn,
    LinkColumn,
    NumberColumn,
    Table,
    TextColumn,
)
from .models import Arende, Ledamot, Medlem, Sammantrade
from .templatetags.finsam import datum

# Members ----------------------------------------------------------------------


class MedlemFilterSet(FilterSet):
    search_fields = ("name", "short_name")

    kind = django_filters.ChoiceFilter(label="Typ", choices=Medlem.Kind.choices, empty_label="Alla")

    class Meta:
        model = Medlem
        fields = ["q", "kind"]


class MedlemTable(Table):
    caption = "Medlemmar"
    name = LinkColumn("medlem_detail", verbose_name="Namn", sort_fields=("name",))
    short_name = TextColumn(verbose_name="Kort namn", sort_fields=("short_name",), default="")
    kind = ChoiceColumn("kind", Medlem.Kind.choices, verbose_name="Typ")
    key_share = NumberColumn(verbose_name="Fördelningsnyckel (%)", default="")
    antal_ledamoter = NumberColumn(verbose_name="Platser i styrelsen i dag")
    andra = EditColumn("medlem_edit")

    def render_key_share(self, value):
        return f"{value:.2f}".replace(".", ",")

    def value_key_share(self, value):
        return value


# Board ------------------------------------------------------------------------


class LedamotFilterSet(FilterSet):
    search_fields = ("name", "party", "email", "medlem__name", "medlem__short_name")

    medlem = django_filters.ModelChoiceFilter(
        label="Medlem", queryset=Medlem.objects.none(), empty_label="Alla"
    )
    kind = django_filters.ChoiceFilter(
        label="Uppdrag", choices=Ledamot.Kind.choices, empty_label="Alla"
    )
    alla = django_filters.ChoiceFilter(
        label="Mandat",
        choices=[("1", "Alla, även tidigare och kommande")],
        empty_label="Nuvarande mandat",
        method="all_mandates",
    )

    class Meta:
        model = Ledamot
        fields = ["q", "medlem", "kind", "alla"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["medlem"].queryset = Medlem.objects.of(self.forbund)

    def all_mandates(self, queryset, name, value):
        return queryset  # the current ones only are the default, in filter_queryset

    @property
    def all_shown(self):
        return self.is_valid() and self.form.cleaned_data.get("alla") == "1"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.all_shown else queryset.current()


class LedamotTable(Table):
    caption = "Styrelsens ledamöter och ersättare"
    medlem = TextColumn(verbose_name="Medlem", sort_fields=("medlem__name",))
    kind = ChoiceColumn("kind", Ledamot.Kind.choices, verbose_name="Uppdrag")
    name = TextColumn(verbose_name="Namn", sort_fields=("name",))
    party = TextColumn(verbose_name="Parti", default="")
    chair_role = ChoiceColumn(
        "chair_role", Ledamot.ChairRole.choices, verbose_name="Ordföranderoll", default=""
    )
    mandat = TextColumn(
        verbose_name="Mandatperiod", accessor="mandate_start", order_by=("mandate_start",)
    )
    email = TextColumn(verbose_name="E-post", default="")
    andra = EditColumn("ledamot_edit")

    class Meta(Table.Meta):
        row_attrs = {"class": lambda record: "text-secondary" if record.is_past else ""}

    def render_medlem(self, record):
        url = self.url("medlem_detail", record.medlem_id)
        return format_html('<a href="{}">{}</a>', url, record.medlem.display_name)

    def value_medlem(self, record):
        return record.medlem.name

    def render_mandat(self, record):
        badge = ""
        if record.is_past:
            badge = format_html(' <span class="badge text-bg-light">{}</span>', "Tidigare")
        elif record.is_future:
            badge = format_html(' <span class="badge text-bg-light">{}</span>', "Kommande")
        period = f"{datum(record.mandate_start)} – {datum(record.mandate_end)}"
        return format_html('<span class="text-nowrap">{}</span>{}', period, badge)

    def value_mandat(self, record):
        return f"{datum(record.mandate_start)} – {datum(record.mandate_end)}"

    def render_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)


# Meetings ---------------------------------------------------------------------


class SammantradeFilterSet(FilterSet):
    ar = YearFilter(label="År", method="of_year")
    status = django_filters.ChoiceFilter(
        label="Status", choices=Sammantrade.Status.choices, empty_label="Alla"
    )
    kind = django_filters.ChoiceFilter(
        label="Typ", choices=Sammantrade.Kind.choices, empty_label="Alla"
    )

    class Meta:
        model = Sammantrade
        fields = ["q", "ar", "status", "kind"]

    def of_year(self, queryset, name, value):
        return queryset.of_year(value)

    def search(self, queryset, name, value):
        # A meeting is found by its place and notes, or by the titles of its items.
        for word in value.split():
            items = Arende.objects.filter(sammantrade=OuterRef("pk"), title__icontains=word)
            match = Q(location__icontains=word) | Q(notes__icontains=word) | Exists(items)
            queryset = queryset.filter(match)
        return queryset


class SammantradeTable(Table):
    caption = "Sammanträden"
    date = DateColumn(verbose_name="Datum", order_by=("date", "start_time"))
    start_time = TextColumn(verbose_name="Tid", default="")
    kind = ChoiceColumn("kind", Sammantrade.Kind.choices, verbose_name="Typ")
    location = TextColumn(verbose_name="Plats", default="", sort_fields=("location",))
    status = ChoiceColumn("status", Sammantrade.Status.choices, verbose_name="Status")
    antal_arenden = NumberColumn(verbose_name="Ärenden")

    def __init__(self, *args, next_meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.next_meeting_id = next_meeting.pk if next_meeting else None

    class Meta(Table.Meta):
        row_attrs = {
            "class": lambda record, table: (
                "table-primary" if record.pk == table.next_meeting_id else ""
            )
        }

    def render_date(self, record):
        url = self.url("sammantrade_detail", record.pk)
        link = format_html('<a href="{}">{}</a>', url, datum(record.date))
        if record.pk == self.next_meeting_id:
            return format_html('{} <span class="badge text-bg-primary">Nästa</span>', link)
        return link

    def value_date(self, value):
        return value

    def render_start_time(self, value):
        return value.strftime("%H:%M")

    def value_start_time(self, value):
        return value.strftime("%H:%M") if value else ""

    def render_status(self, record):
        return render_to_string("finsam/_status_badge.html", {"sammantrade": record})

    def value_status(self, record):
        return record.get_status_display()
