"""The förbund's reporting settings: the interval of its periodic reports and the days
after a period within which a report is due.

The interval can change only while the förbund has no periodic reports yet: the
schedule covers an insats's whole run in one interval, so a change later would
owe reports for periods already reported in the other. The days until due can
always change; the reports not yet started get their new due date.
"""

import datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse

from finsam import history
from finsam.access import forbund_view
from finsam.concurrency import GuardedForm, Replayed, already_saved
from finsam.hardening import ModelForm
from finsam.models import Forbund, Handelse

from ..models import Rapport
from .permissions import SETTINGS_ROLES


class ReportSettingsForm(GuardedForm, ModelForm):
    class Meta:
        model = Forbund
        fields = ["report_interval", "report_due_days"]

    def __init__(self, *args, locked_interval=False, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["report_due_days"]
        days.min_value, days.max_value = 1, 180
        days.widget.attrs.update({"min": 1, "max": 180})
        days.error_messages["invalid"] = "Ange antalet dagar som ett heltal, t.ex. 30."
        days.error_messages["required"] = "Ange inom hur många dagar rapporten ska lämnas."
        days.help_text = "Dagar efter periodens slut (1–180)."
        if locked_interval:
            field = self.fields["report_interval"]
            field.disabled = True
            field.help_text = (
                "Förbundet har redan rapporter i det här intervallet; det kan inte ändras "
                "i efterhand (rapporterna skulle annars räknas dubbelt)."
            )

    def clean_report_due_days(self):
        value = self.cleaned_data["report_due_days"]
        if value is not None and not 1 <= value <= 180:
            raise forms.ValidationError("Ange ett antal dagar mellan 1 och 180.")
        return value


def _has_periodic_reports(forbund):
    return (
        Rapport.objects.of(forbund)
        .filter(kind__in=[Rapport.Kind.KVARTAL, Rapport.Kind.HALVAR])
        .exists()
    )


@forbund_view(SETTINGS_ROLES)
def report_settings(request):
    forbund = request.forbund
    before = {
        "intervall": forbund.get_report_interval_display(),
        "dagar": forbund.report_due_days,
    }
    locked = _has_periodic_reports(forbund)
    form = ReportSettingsForm(request.POST or None, instance=forbund, locked_interval=locked)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.claim(forbund)
                form.save()
                form.remember(forbund)
                moved = 0
                if before["dagar"] != forbund.report_due_days:
                    moved = (
                        Rapport.objects.of(forbund)
                        .filter(status=Rapport.Status.DUE)
                        .update(
                            due_date=F("period_end")
                            + datetime.timedelta(days=forbund.report_due_days)
                        )
                    )
                after = {
                    "intervall": forbund.get_report_interval_display(),
                    "dagar": forbund.report_due_days,
                }
                changes = {
                    key: [str(before[key]), str(after[key])]
                    for key in before
                    if before[key] != after[key]
                }
                if changes:
                    Handelse.record(
                        forbund=forbund,
                        user=request.user,
                        subject=forbund,
                        action="rapportering ändrad",
                        reason=f"{moved} ej påbörjade rapporter fick ny sista dag."
                        if moved
                        else "",
                        changes=changes,
                    )
        except Replayed:
            return already_saved(request, reverse("report_settings", args=[forbund.slug]))
        messages.success(request, "Rapporteringen är sparad.")
        return redirect("report_settings", forbund.slug)
    return render(
        request,
        "uppfoljning/rapporter/settings.html",
        {"form": form, "historik": history.for_page(request, forbund)},
    )
