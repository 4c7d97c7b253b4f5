"""The base filter set every list shares (django-filter): search `q` plus the list's own filters."""

import django_filters
from django import forms
from django.db.models import Q


class YearFilter(django_filters.Filter):
    """A four-digit year; anything else is told in Swedish next to the field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Ange ett år med fyra siffror.",
                "min_value": "Ange ett år från 2000 och framåt.",
                "max_value": "Ange ett år före 2100.",
            },
        )
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """Filters plus a free-text search `q` over `search_fields` (icontains, any word order)."""

    search_fields = ()

    q = django_filters.CharFilter(label="Sök i listan", method="search", max_length=200)

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        self.request = request
        super().__init__(data, queryset, request=request, **kwargs)
        for name, field in self.form.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", f"{css} {css}-sm")
            if name == "q":
                widget.input_type = "search"

    def mark_invalid_fields(self):
        """Tie each bad field to its message beside it (lists/_filter.html) for screen readers."""
        for name in self.errors:
            if name in self.form.fields:
                attrs = self.form.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.form[name].auto_id}-fel"

    @property
    def forbund(self):
        return self.request.forbund

    def search(self, queryset, name, value):
        for word in value.split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        return queryset
