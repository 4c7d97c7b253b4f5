"""URL converters: a year in a URL is four digits, so it always fits the database."""

from django.urls import register_converter


class YearConverter:
    """`/budget/2026/`: 1000–2999; anything else (99999, 10^30) is a 404, not a server error."""

    regex = "[12][0-9]{3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(YearConverter, "year")
