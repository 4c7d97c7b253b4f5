"""The project's form renderer writes the plain widgets without templates: the same HTML."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from finsam.forms import DateInput, FormRenderer, KronorField


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Hjälp")
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=0)
    amount = KronorField()
    share = forms.DecimalField(decimal_places=2)
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=DateInput())
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    kind = forms.ChoiceField(choices=[("a", "Kommun & region"), ("b", '"Citat"')])
    optional = forms.ChoiceField(required=False, choices=[("", "Alla"), ("x", "X")])
    grouped = forms.ChoiceField(
        choices=[("Kommuner", [("k1", "Ale"), ("k2", "<Borås>")]), ("r", "Region")]
    )
    numbers = forms.TypedChoiceField(coerce=Decimal, choices=[(Decimal("1.5"), Decimal("1.5"))])
    years = forms.MultipleChoiceField(choices=[(2026, 2026), (2027, 2027)])
    safe = forms.CharField(widget=forms.TextInput(attrs={"title": mark_safe("<b>&amp;</b>")}))
    when = forms.ChoiceField(choices=[("d", datetime.date(2026, 12, 4))])


DATA = {
    "name": "O'Brien <script>\"",
    "secret": "pw",
    "hidden": "5&6",
    "count": "-1",
    "amount": "2 753 000",
    "share": "0,5",
    "day": "2026-13-01",
    "search": "x",
    "kind": "b",
    "grouped": "k2",
    "numbers": "1.5",
    "years": ["2027"],
    "safe": "s",
    "when": "d",
}


@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound with errors"])
def test_it_writes_the_same_html_as_djangos_templates(data):
    fast = Everything(data, renderer=FormRenderer())
    django = Everything(data, renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(django[name]), name
    assert fast.render() == django.render()


def test_other_widgets_still_use_their_templates():
    class Other(forms.Form):
        agree = forms.BooleanField()
        text = forms.CharField(widget=forms.Textarea)
        radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A")])

    fast, django = Other(renderer=FormRenderer()), Other(renderer=DjangoTemplates())
    assert fast.render() == django.render()
