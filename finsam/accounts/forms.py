from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from finsam.hardening import FinsamFormMixin, Form
from finsam.models import Medlem, Roll

from . import tasks


class InviteForm(Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    kind = forms.ChoiceField(label=_("Roll"), choices=[("", _("Välj roll …")), *Roll.Kind.choices])
    medlem = forms.ModelChoiceField(
        label=_("Medlemsorganisation"),
        queryset=Medlem.objects.none(),
        required=False,
        empty_label=_("Välj medlem …"),
        help_text=_("Bara för en insatsägare: den medlem vars insatser personen ska se."),
    )

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medlem"].queryset = Medlem.objects.of(forbund)

    def clean(self):
        data = super().clean()
        kind, medlem = data.get("kind"), data.get("medlem")
        if kind == Roll.Kind.INSATSAGARE and not medlem and "medlem" not in self.errors:
            self.add_error("medlem", _("Välj den medlem som insatsägaren hör till."))
        if kind and kind != Roll.Kind.INSATSAGARE and medlem:
            self.add_error("medlem", _("Bara en insatsägare hör till en medlem; lämna tomt."))
        return data


class LoginForm(FinsamFormMixin, auth_forms.AuthenticationForm):
    """Django's sign-in form, with its user name's length checked before anything else.

    Django sets the field's `max_length` after the field is made, so no
    validator checks it: a very long name reached the lock-out's record of
    failures (255 characters on PostgreSQL) and was a server error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PasswordResetForm(FinsamFormMixin, auth_forms.PasswordResetForm):
    """Django's reset form, but the mail goes out from a Celery task after the commit."""

    def get_users(self, email):
        # Unlike Django's, an invited person who has not yet chosen a password
        # (unusable password) may ask for a new link too.
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        base_url = f"{context['protocol']}://{context['domain']}"
        tasks.send_password_reset.delay_on_commit(context["user"].pk, base_url)


class CodeForm(Form):
    """A six-digit code from the person's authenticator app, checked against their devices."""

    code = forms.CharField(
        label=_("Kod"),
        max_length=12,
        help_text=_("Sex siffror från din autentiseringsapp."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, user, device=None, **kwargs):
        """`device`: check against this one (being set up) rather than the confirmed ones."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Ange koden som sex siffror."))
        if self.device is not None:
            ok = self.device.verify_token(code)
        else:
            self.device = match_token(self.user, code)
            ok = self.device is not None
        if not ok:
            raise forms.ValidationError(
                _(
                    "Koden stämmer inte. Ange den kod som appen visar nu; "
                    "efter ett fel får du vänta några sekunder innan nästa försök."
                )
            )
        return code
