from django import forms

from finsam.concurrency import GuardedForm, RevisionForm
from finsam.forms import KronorField
from finsam.hardening import ModelForm
from finsam.models import Forbund, Ledamot, Protokoll


class ProtokollForm(RevisionForm):
    """Who chairs, signs and keeps the minutes; guarded by the meeting's revision."""

    ordforande = forms.ModelChoiceField(
        label="Mötets ordförande", queryset=Ledamot.objects.none(), required=True
    )
    justerare = forms.ModelMultipleChoiceField(
        label="Justerare",
        queryset=Ledamot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Den eller de som jämte ordföranden justerar protokollet.",
    )
    sekreterare = forms.CharField(label="Sekreterare", max_length=200, required=False)
    ovriga_narvarande = forms.CharField(
        label="Övriga närvarande",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En per rad: namn och roll.",
    )

    def __init__(self, data=None, *, instance, **kwargs):
        protokoll = Protokoll.objects.filter(sammantrade=instance).first()
        if protokoll is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "ordforande": protokoll.ordforande_id,
                "justerare": list(protokoll.justerare.values_list("pk", flat=True)),
                "sekreterare": protokoll.sekreterare,
                "ovriga_narvarande": protokoll.ovriga_narvarande,
            }
        super().__init__(data, instance=instance, **kwargs)
        seats = (
            Ledamot.objects.of(instance.forbund_id)
            .current(instance.date)
            .select_related("medlem")
            .order_by("name", "pk")
        )
        # Once attendance is recorded, the chair and the checkers are among those present
        # (the full board, twenty-odd names, is a long list to find two in).
        present = instance.narvaro.filter(present=True).values("ledamot")
        if present.exists():
            seats = seats.filter(pk__in=present)
        self.fields["ordforande"].queryset = seats
        self.fields["justerare"].queryset = seats

    def clean(self):
        cleaned = super().clean()
        chair, checkers = cleaned.get("ordforande"), cleaned.get("justerare")
        if chair and checkers and list(checkers) == [chair]:
            self.add_error("justerare", "Välj minst en justerare utöver ordföranden.")
        return cleaned


class SignForm(RevisionForm):
    """I have read this very PDF (its checksum) and sign it."""

    checksum = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="Jag har läst protokollet och justerar det.",
        error_messages={"required": "Kryssa i att du har läst protokollet för att justera det."},
    )


class DelegationLimitForm(GuardedForm, ModelForm):
    class Meta:
        model = Forbund
        fields = ["delegation_limit"]
        field_classes = {"delegation_limit": KronorField}

    def clean_delegation_limit(self):
        value = self.cleaned_data["delegation_limit"]
        if value is not None and value < 0:
            raise forms.ValidationError("Gränsen kan inte vara negativ.")
        return value
