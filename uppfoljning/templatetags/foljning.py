"""The follow-up's published figures as text: `62 %`, `1 204`, `..`, `–`."""

from django import template

from uppfoljning.foljning.charts import formatted

register = template.Library()


@register.filter
def figur(value, unit="antal"):
    return formatted(value, unit)
