"""The förbund itself: tenant, members, users' roles, board, meetings, decisions.

Every row of every app belongs to one Forbund, directly (a `forbund` foreign
key) or through its parent. `ScopedModel.forbund_path` names that way, and
`ScopedQuerySet.of(forbund)` is the one place where a query is scoped.
"""

import functools
import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The one-time keys of posted forms live with the other guards against lost edits.
from .concurrency import Inlamning, Versioned  # noqa: F401
from .generation import GenerationQuerySet, deleting, forbund_of
from .minutes.frozen import FrozenMeeting, FrozenRowsQuerySet, FrozenWithMeeting


class User(AbstractUser):
    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.get_full_name() or self.username


class Forbund(models.Model):
    class Unit(models.TextChoices):
        TKR = "tkr", _("tkr (tusental kronor)")
        KR = "kr", _("kr")

    class ReportInterval(models.TextChoices):
        KVARTAL = "kvartal", _("Kvartalsvis")
        HALVAR = "halvar", _("Halvårsvis")

    slug = models.SlugField(_("kortnamn i adressen"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    organisationsnummer = models.CharField(_("organisationsnummer"), max_length=20, blank=True)
    display_unit = models.CharField(
        _("belopp visas i"), max_length=3, choices=Unit, default=Unit.TKR
    )
    report_interval = models.CharField(
        _("rapportering"), max_length=10, choices=ReportInterval, default=ReportInterval.KVARTAL
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("dagar efter perioden som rapporten ska lämnas"),
        default=30,
        help_text=_(
            "Rapporten för en period ska lämnas senast så många dagar efter periodens slut."
        ),
    )
    equity_ceiling_percent = models.DecimalField(
        _("tak för eget kapital (% av årets medlemsavgifter)"),
        max_digits=5,
        decimal_places=2,
        default=20,
    )
    require_2fa_kansli = models.BooleanField(
        _("kansliet måste använda tvåstegsverifiering"),
        default=False,
        help_text=_("Kansliets användare loggar då in med lösenord och en kod från en app."),
    )
    delegation_limit = models.DecimalField(
        _("delegationsgräns (kr)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_(
            "Ansökningar vars sökta belopp sammanlagt ryms inom gränsen får förbundschefen "
            "besluta på delegation. 0 betyder ingen delegation."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("home", args=[self.slug])


class ScopedQuerySet(GenerationQuerySet, models.QuerySet):
    def of(self, forbund):
        """The rows of one förbund: the only way views reach tenant data.

        Given the Forbund itself (not its id), rows with a direct `forbund` key
        come back with it already attached, as `forbund.medlemmar.all()` would:
        building their URLs (`self.forbund.slug`) costs no query per row.
        """
        rows = self.filter(**{self.model.forbund_path: forbund})
        # Its writes move this förbund's generation (finsam/generation.py).
        bound = forbund.pk if isinstance(forbund, Forbund) else forbund
        rows._generation_forbund = bound if isinstance(bound, int) else None
        if self.model.forbund_path == "forbund" and isinstance(forbund, Forbund):
            field = self.model._meta.get_field("forbund")
            rows._known_related_objects = {
                **rows._known_related_objects,
                field: {forbund.pk: forbund},
            }
        return rows


@functools.cache
def _choice_labels(field, language):
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }


class ScopedModel(models.Model):
    """A row that belongs to one förbund, directly or through its parent.

    `clean()` refuses a row whose related rows belong to another förbund, so
    an insats can never be owned by a member of someone else's förbund.
    """

    forbund_path = "forbund"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """Django's `get_FOO_display()`, with the field's labels read once per language:
        Django builds them anew, translated and made hashable, on every call, and
        lists and tables show a label in every row."""
        value = getattr(self, field.attname)
        labels = _choice_labels(field, get_language())
        return labels.get(make_hashable(value), force_str(value, strings_only=True))

    def delete(self, *args, **kwargs):
        # The förbund asked while the row is there: the delete's signals cannot (generation.py).
        with deleting({forbund_of(self)}):
            return super().delete(*args, **kwargs)

    @property
    def forbund_id_via_path(self):
        obj = self
        *parents, last = self.forbund_path.split("__")
        for name in parents:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)

    def clean(self):
        super().clean()
        own = self.forbund_id_via_path
        for field in self._meta.concrete_fields:
            if not field.is_relation or not field.many_to_one:
                continue
            related_model = field.related_model
            value = getattr(self, field.attname)
            if value is None or field.name == self.forbund_path.split("__")[0]:
                continue
            if issubclass(related_model, ScopedModel):
                other = getattr(self, field.name).forbund_id_via_path
                if own is not None and other != own:
                    raise ValidationError({field.name: _("Hör till ett annat samordningsförbund.")})


class Medlem(ScopedModel, Versioned):
    class Kind(models.TextChoices):
        FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
        ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
        REGION = "region", _("Region")
        KOMMUN = "kommun", _("Kommun")

    STATE_KINDS = (Kind.FORSAKRINGSKASSAN, Kind.ARBETSFORMEDLINGEN)

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="medlemmar", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(
        _("kort namn"), max_length=100, blank=True, help_text=_("T.ex. ”Heby” i budgettabellen.")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    key_share = models.DecimalField(
        _("andel enligt fördelningsnyckel (%)"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Kommunens andel av kommunernas 25 %, t.ex. efter folkmängd."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        constraints = [
            models.UniqueConstraint(fields=["forbund", "name"], name="unique_medlem_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("medlem_detail", args=[self.forbund.slug, self.pk])

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def is_state(self):
        return self.kind in self.STATE_KINDS


class Malgrupp(ScopedModel):
    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="malgrupper", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    prioritized = models.BooleanField(_("prioriterad målgrupp"), default=False)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")

    def __str__(self):
        return self.name


class Roll(ScopedModel):
    """A user's role in one förbund; a user has at most one per förbund."""

    class Kind(models.TextChoices):
        KANSLI = "kansli", _("Kansli")
        STYRELSE = "styrelse", _("Styrelse")
        INSATSAGARE = "insatsagare", _("Insatsägare")
        REVISOR = "revisor", _("Revisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roller",
        verbose_name=_("användare"),
    )
    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="roller", verbose_name=_("förbund")
    )
    kind = models.CharField(_("roll"), max_length=20, choices=Kind)
    medlem = models.ForeignKey(
        Medlem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roller",
        verbose_name=_("medlem"),
        help_text=_("Insatsägarens medlemsorganisation."),
    )

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(fields=["user", "forbund"], name="one_roll_per_forbund"),
            models.CheckConstraint(
                condition=Q(kind="insatsagare", medlem__isnull=False)
                | (~Q(kind="insatsagare") & Q(medlem__isnull=True)),
                name="insatsagare_has_medlem",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} i {self.forbund}"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.INSATSAGARE and not self.medlem_id:
            raise ValidationError({"medlem": _("En insatsägare måste höra till en medlem.")})
        if self.kind != self.Kind.INSATSAGARE and self.medlem_id:
            raise ValidationError({"medlem": _("Bara insatsägare hör till en medlem.")})


class LedamotQuerySet(ScopedQuerySet):
    def overlapping(self, start, end):
        """Seats whose mandate shares at least one day with start–end."""
        return self.filter(mandate_start__lte=end, mandate_end__gte=start)

    def current(self, day=None):
        """Seats whose mandate covers the day (default today)."""
        day = day or timezone.localdate()
        return self.overlapping(day, day)


SEAT_TAKEN = _("Ledamoten har redan ett uppdrag för medlemmen med samma startdatum.")


class Ledamot(ScopedModel, Versioned):
    """A seat on the board: one member organisation, one mandate period."""

    class Kind(models.TextChoices):
        ORDINARIE = "ordinarie", _("Ordinarie ledamot")
        ERSATTARE = "ersattare", _("Ersättare")

    class ChairRole(models.TextChoices):
        ORDFORANDE = "ordforande", _("Ordförande")
        VICE_1 = "vice_1", _("1:e vice ordförande")
        VICE_2 = "vice_2", _("2:e vice ordförande")

    forbund_path = "medlem__forbund"

    SEAT_TAKEN = SEAT_TAKEN

    medlem = models.ForeignKey(
        Medlem, on_delete=models.CASCADE, related_name="ledamoter", verbose_name=_("medlem")
    )
    name = models.CharField(_("namn"), max_length=200)
    party = models.CharField(_("parti"), max_length=20, blank=True)
    kind = models.CharField(_("uppdrag"), max_length=10, choices=Kind)
    chair_role = models.CharField(_("ordföranderoll"), max_length=12, choices=ChairRole, blank=True)
    mandate_start = models.DateField(_("mandat från"))
    mandate_end = models.DateField(_("mandat till"))
    email = models.EmailField(_("e-post"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledamoter",
        verbose_name=_("användare"),
    )

    objects = LedamotQuerySet.as_manager()

    class Meta:
        ordering = ["medlem__order", "medlem__name", "kind", "name"]
        verbose_name = _("ledamot")
        verbose_name_plural = _("ledamöter")
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_end__gte=models.F("mandate_start")),
                name="ledamot_mandate_in_order",
            ),
            # One seat per person, member and mandate: a form sent twice is one seat.
            models.UniqueConstraint(
                fields=["medlem", "name", "mandate_start"],
                name="unique_ledamot_seat",
                violation_error_message=SEAT_TAKEN,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.party})" if self.party else self.name

    def get_absolute_url(self):
        return reverse("ledamot_edit", args=[self.medlem.forbund.slug, self.pk])

    def clean(self):
        super().clean()
        if self.mandate_start and self.mandate_end and self.mandate_end < self.mandate_start:
            raise ValidationError({"mandate_end": _("Mandatet kan inte sluta före det börjar.")})

    @property
    def is_past(self):
        return self.mandate_end < timezone.localdate()

    @property
    def is_future(self):
        return self.mandate_start > timezone.localdate()


class FrozenScopedQuerySet(FrozenRowsQuerySet, ScopedQuerySet):
    """The rows of a meeting: update() and delete() refuse once its minutes are signed."""


class SammantradeQuerySet(FrozenRowsQuerySet, ScopedQuerySet):
    def of_year(self, year):
        return self.filter(date__year=year)

    def upcoming(self, today=None):
        return self.filter(date__gte=today or timezone.localdate())


class Sammantrade(FrozenMeeting, ScopedModel, Versioned):
    class Kind(models.TextChoices):
        STYRELSEMOTE = "styrelsemote", _("Styrelsemöte")
        MEDLEMSSAMRAD = "medlemssamrad", _("Medlemssamråd")

    class Status(models.TextChoices):
        PLANERAT = "planerat", _("Planerat")
        KALLAT = "kallat", _("Kallelse skickad")
        GENOMFORT = "genomfort", _("Genomfört")
        JUSTERAT = "justerat", _("Protokoll justerat")
        PUBLICERAT = "publicerat", _("Publicerat")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="sammantraden", verbose_name=_("förbund")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, default=Kind.STYRELSEMOTE)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("tid"), null=True, blank=True)
    location = models.CharField(_("plats"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANERAT)
    notes = models.TextField(_("anteckning"), blank=True)
    notice_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)

    objects = SammantradeQuerySet.as_manager()

    FROZEN_STATUSES = (Status.JUSTERAT, Status.PUBLICERAT)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("sammantrade_detail", args=[self.forbund.slug, self.pk])

    @property
    def is_frozen(self):
        """Signed minutes are public documents: the meeting must not change any more."""
        return self.status in (self.Status.JUSTERAT, self.Status.PUBLICERAT)


class StandingItem(models.TextChoices):
    """The standing items of a board meeting's agenda, in their usual order."""

    OPPNANDE = "oppnande", _("Mötets öppnande")
    NARVARO = "narvaro", _("Närvaro och beslutförhet")
    JUSTERARE = "justerare", _("Val av justerare")
    DAGORDNING = "dagordning", _("Godkännande av dagordningen")
    FOREGAENDE = "foregaende", _("Föregående protokoll")
    ANSOKNINGAR = "ansokningar", _("Ansökningar")
    DELEGATION = "delegation", _("Anmälan av delegationsbeslut")
    INFORMATION = "information", _("Information")
    OVRIGT = "ovrigt", _("Övriga frågor")
    AVSLUTNING = "avslutning", _("Mötets avslutande")


class Arende(FrozenWithMeeting, ScopedModel):
    """One item on a meeting's agenda.

    The item does not know its subject's kind: a higher app (an Ansokan, a
    Budget) points at its Arende and renders itself.
    """

    class Kind(models.TextChoices):
        BESLUT = "beslut", _("Beslutsärende")
        INFORMATION = "information", _("Informationsärende")

    forbund_path = "sammantrade__forbund"

    sammantrade = models.ForeignKey(
        Sammantrade, on_delete=models.CASCADE, related_name="arenden", verbose_name=_("sammanträde")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind, default=Kind.BESLUT)
    diarienummer = models.CharField(_("diarienummer"), max_length=20, blank=True)
    standing = models.CharField(
        _("stående punkt"),
        max_length=20,
        choices=StandingItem,
        blank=True,
        help_text=_("Tom för ett vanligt ärende (t.ex. en ansökan)."),
    )
    paragraf = models.PositiveSmallIntegerField(
        _("paragraf"),
        null=True,
        blank=True,
        help_text=_("Protokollets §-nummer; löper genom året och ges av systemet."),
    )
    postponed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postponed_to",
        verbose_name=_("bordlagt från"),
    )

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sammantrade__date", "number"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.UniqueConstraint(fields=["sammantrade", "number"], name="unique_arende_number"),
        ]

    def __str__(self):
        return f"§ {self.number} {self.title}"

    @property
    def beslut_or_none(self):
        """The decision on this item, or None while there is none (safe in templates)."""
        try:
            return self.beslut
        except ObjectDoesNotExist:
            return None

    def set_beslut(self, text):
        """Give the item its decision, dated the meeting's day; empty text removes it.

        Says what happened for the audit trail: "nytt", "ändrat", "borttaget" or "".
        """
        text = text.strip()
        beslut = self.beslut_or_none
        date = self.sammantrade.date
        if not text:
            if beslut is None:
                return ""
            beslut.delete()
            return "borttaget"
        if beslut is None:
            Beslut.objects.create(
                forbund_id=self.sammantrade.forbund_id, arende=self, date=date, text=text
            )
            return "nytt"
        if beslut.text == text and beslut.date == date:
            return ""
        beslut.text, beslut.date = text, date
        beslut.save(update_fields=["text", "date"])
        return "ändrat"


class Beslut(FrozenWithMeeting, ScopedModel):
    """A decision: by the board on an agenda item, or by the director on delegation.

    A delegated decision has no item; `subject` is what it decided (an
    application), set by the app that owns the subject.
    """

    class Outcome(models.TextChoices):
        BEVILJAS = "beviljas", _("Beviljas")
        DELVIS = "delvis", _("Beviljas delvis")
        AVSLAS = "avslas", _("Avslås")
        BORDLAGGS = "bordlaggs", _("Bordläggs")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="beslut", verbose_name=_("förbund")
    )
    arende = models.OneToOneField(
        Arende,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="beslut",
        verbose_name=_("ärende"),
    )
    date = models.DateField(_("beslutsdatum"))
    text = models.TextField(_("beslut"))
    delegated = models.BooleanField(_("delegationsbeslut"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutat av"),
    )
    reported_at = models.ForeignKey(
        Sammantrade,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="anmalda_delegationsbeslut",
        verbose_name=_("anmält vid sammanträde"),
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=20, blank=True)
    outcome = models.CharField(
        _("beslutets utgång"),
        max_length=12,
        choices=Outcome,
        blank=True,
        help_text=_("För ansökningar; tomt för andra beslut (t.ex. att godkänna dagordningen)."),
    )
    conditions = models.TextField(_("villkor"), blank=True)
    reservations = models.TextField(
        _("reservationer"), blank=True, help_text=_("Vem som reserverade sig, och hur.")
    )
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("typ av objekt"),
    )
    subject_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("objektets id")
    )
    subject = GenericForeignKey("subject_type", "subject_id")

    meeting_lookup = "arende__sammantrade"
    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            models.CheckConstraint(
                condition=Q(delegated=True, arende__isnull=True) | Q(delegated=False),
                name="delegated_beslut_has_no_arende",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class BeslutBelopp(FrozenWithMeeting, ScopedModel):
    """The amount a decision grants for one year (beviljas, beviljas delvis)."""

    forbund_path = "beslut__forbund"
    meeting_lookup = "beslut__arende__sammantrade"

    beslut = models.ForeignKey(
        Beslut, on_delete=models.CASCADE, related_name="belopp", verbose_name=_("beslut")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("beviljat belopp (kr)"), max_digits=12, decimal_places=2)

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("beslutat belopp")
        verbose_name_plural = _("beslutade belopp")
        constraints = [
            models.UniqueConstraint(fields=["beslut", "year"], name="unique_beslut_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="beslut_belopp_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Protokoll(FrozenWithMeeting, ScopedModel):
    """Minutes of a meeting; frozen once signed (justerat)."""

    forbund_path = "sammantrade__forbund"
    # Set after the signing: the archived PDF/A copy and the day it was posted.
    frozen_writable = frozenset({"dokument", "posted_at"})

    sammantrade = models.OneToOneField(
        Sammantrade,
        on_delete=models.CASCADE,
        related_name="protokoll",
        verbose_name=_("sammanträde"),
    )
    ordforande = models.ForeignKey(
        Ledamot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mötets ordförande"),
    )
    sekreterare = models.CharField(_("sekreterare"), max_length=200, blank=True)
    justerare = models.ManyToManyField(
        Ledamot, blank=True, related_name="justeringar", verbose_name=_("justerare")
    )
    ovriga_narvarande = models.TextField(
        _("övriga närvarande"), blank=True, help_text=_("En per rad: namn och roll.")
    )
    notes = models.TextField(_("övrigt"), blank=True)
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    posted_at = models.DateField(_("anslaget"), null=True, blank=True)
    dokument = models.ForeignKey(
        "Dokument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justerat protokoll (PDF/A)"),
    )

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self):
        return f"Protokoll {self.sammantrade}"


class Dokument(ScopedModel):
    """A generated document (PDF or Excel) and the state of its generation."""

    class Kind(models.TextChoices):
        VERKSAMHETSPLAN = "verksamhetsplan", _("Verksamhetsplan och budget")
        BUDGETTABELL = "budgettabell", _("Budgettabell")
        KALLELSE = "kallelse", _("Kallelse och dagordning")
        PROTOKOLL = "protokoll", _("Protokoll")
        BESLUTSBREV = "beslutsbrev", _("Beslutsbrev")
        UPPFOLJNING = "uppfoljning", _("Uppföljningsrapport")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Skapas")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="dokument", verbose_name=_("förbund")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    title = models.CharField(_("titel"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    error = models.TextField(_("fel"), blank=True)
    file = models.FileField(_("fil"), upload_to="dokument/%Y/", blank=True)
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, blank=True)
    archived = models.BooleanField(_("arkiverad (PDF/A)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("typ av objekt"),
    )
    subject_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("objektets id")
    )
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")

    def __str__(self):
        return f"{self.title} v{self.version}"

    @staticmethod
    def sha256(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


AUDIT_TRAIL_IS_FIXED = _("Händelseloggen kan inte ändras.")


class HandelseQuerySet(ScopedQuerySet):
    """The audit trail's rows are added, never changed or removed by the app."""

    def update(self, **kwargs):
        raise ValidationError(AUDIT_TRAIL_IS_FIXED)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ValidationError(AUDIT_TRAIL_IS_FIXED)

    def delete(self):
        raise ValidationError(AUDIT_TRAIL_IS_FIXED)

    delete.queryset_only = True


@contextmanager
def audit_purge_allowed():
    """Let the block delete audit events with their förbund (the loader's --replace only).

    On PostgreSQL a trigger refuses every UPDATE and DELETE of the audit trail
    (the migration audit_trail_trigger) unless the transaction-local setting
    finsam.allow_audit_purge is on. The setting is switched off again after
    the block; if the block fails, rolling back the transaction undoes it.
    """
    connection = connections[router.db_for_write(Handelse)]
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_purge_allowed() needs a transaction (SET LOCAL).")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL finsam.allow_audit_purge = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL finsam.allow_audit_purge = 'off'")


class Handelse(ScopedModel):
    """The audit trail: who did what, when and why. Rows are never changed."""

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="handelser", verbose_name=_("förbund")
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    action = models.CharField(_("händelse"), max_length=100)
    reason = models.TextField(_("motivering"), blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("typ av objekt")
    )
    subject_id = models.PositiveBigIntegerField(_("objektets id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_repr = models.CharField(_("gäller"), max_length=300)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)

    objects = HandelseQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("händelse")
        verbose_name_plural = _("händelselogg")
        indexes = [
            # The lists: the förbund's latest, an object's history, the admin's log.
            models.Index(fields=["forbund", "-at", "-id"], name="handelse_forbund_at"),
            models.Index(
                fields=["subject_type", "subject_id", "-at", "-id"], name="handelse_subject_at"
            ),
            models.Index(fields=["-at", "-id"], name="handelse_at"),
        ]

    def __str__(self):
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.user}: {self.action} {self.subject_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(AUDIT_TRAIL_IS_FIXED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(AUDIT_TRAIL_IS_FIXED)

    @classmethod
    def record(cls, *, forbund, user, subject, action, reason="", changes=None):
        return cls.objects.create(
            forbund=forbund,
            user=user if user and user.is_authenticated else None,
            action=action,
            reason=reason,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            subject_repr=str(subject)[:300],
            changes=changes or {},
        )


# Meetings in detail: agenda template, attendance, conflicts of interest,
# signatures, registration numbers. Defined beside the rest of the förbund.
from .meeting_models import (  # noqa: E402, F401
    Dagordningspunkt,
    Jav,
    Justering,
    KallelseUtskick,
    Lopnummer,
    Narvaro,
)
