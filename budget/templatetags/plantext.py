"""`{{ text|plantext }}`: a text of the plan (a goal's follow-up) as sanitised Markdown HTML."""

from django import template

from budget.plan.markdown import render

register = template.Library()


@register.filter
def plantext(text, anchor="text"):
    return render(text, anchor=str(anchor)).html
