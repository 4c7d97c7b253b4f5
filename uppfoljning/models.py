"""Follow-up: reports with participant counts, and competence activities.

Participants are counts only, never persons.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budget.models import Resultatmal
from finsam.concurrency import Versioned
from finsam.models import Forbund, ScopedModel
from insatser.models import AnsokanMal, Insats


class Rapport(ScopedModel, Versioned):
    class Kind(models.TextChoices):
        KVARTAL = "kvartal", _("Kvartalsrapport")
        HALVAR = "halvar", _("Lägesrapport (halvår)")
        SLUT = "slut", _("Slutrapport")

    class Status(models.TextChoices):
        DUE = "due", _("Väntas")
        UTKAST = "utkast", _("Utkast")
        INSKICKAD = "inskickad", _("Inskickad")
        GODKAND = "godkand", _("Godkänd")
        ATERFORVISAD = "aterforvisad", _("Återförvisad")

    forbund_path = "insats__forbund"

    insats = models.ForeignKey(
        Insats, on_delete=models.CASCADE, related_name="rapporter", verbose_name=_("insats")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind)
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    due_date = models.DateField(_("ska lämnas senast"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DUE)
    diarienummer = models.CharField(_("diarienummer"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("inkom"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inskickad av"),
    )
    goal_progress = models.TextField(_("måluppfyllelse"), blank=True)
    jamstalldhet = models.TextField(_("arbete med jämställdhet"), blank=True)
    money_used = models.DecimalField(
        _("förbrukade medel (kr)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deviations = models.TextField(_("avvikelser från planen"), blank=True)
    return_comment = models.TextField(_("kansliets kommentar vid återförvisning"), blank=True)
    decided_at = models.DateTimeField(_("godkänd"), null=True, blank=True)

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["insats", "kind", "period_start"], name="unique_rapport_period"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.insats} {self.period_end:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("rapport_detail", args=[self.insats.forbund.slug, self.pk])


class Deltagarantal(ScopedModel):
    """Participant counts of one category in a report, by gender."""

    class Category(models.TextChoices):
        NYA = "nya", _("Nya deltagare")
        AKTIVA = "aktiva", _("Aktiva deltagare")
        AVSLUTADE = "avslutade", _("Avslutade deltagare")
        TILL_ARBETE = "till_arbete", _("Avslutade till arbete")
        TILL_STUDIER = "till_studier", _("Avslutade till studier")
        TILL_ARBETSSOKANDE = "till_arbetssokande", _("Avslutade till arbetssökande")
        TILL_REHABPLAN = "till_rehabplan", _("Avslutade med plan för vidare rehabilitering")
        OVRIGT = "ovrigt", _("Avslutade av annan orsak")

    forbund_path = "rapport__insats__forbund"

    rapport = models.ForeignKey(
        Rapport, on_delete=models.CASCADE, related_name="deltagarantal", verbose_name=_("rapport")
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category)
    women = models.PositiveIntegerField(_("kvinnor"), default=0)
    men = models.PositiveIntegerField(_("män"), default=0)
    young_women = models.PositiveIntegerField(_("kvinnor 16–29 år"), default=0)
    young_men = models.PositiveIntegerField(_("män 16–29 år"), default=0)

    class Meta:
        verbose_name = _("deltagarantal")
        verbose_name_plural = _("deltagarantal")
        constraints = [
            models.UniqueConstraint(
                fields=["rapport", "category"], name="unique_deltagare_category"
            ),
            models.CheckConstraint(
                condition=Q(young_women__lte=models.F("women")) & Q(young_men__lte=models.F("men")),
                name="deltagare_young_among_them",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.women} kvinnor, {self.men} män"

    @property
    def total(self):
        return self.women + self.men


class RapportMal(ScopedModel):
    """A structural insats's goal assessed in a report, on a fixed scale, with a comment."""

    class Bedomning(models.TextChoices):
        UPPNATT = "uppnatt", _("Uppnått")
        DELVIS = "delvis", _("Delvis uppnått")
        EJ = "ej", _("Inte uppnått")
        TIDIGT = "tidigt", _("För tidigt att bedöma")

    forbund_path = "rapport__insats__forbund"

    rapport = models.ForeignKey(
        Rapport, on_delete=models.CASCADE, related_name="mal", verbose_name=_("rapport")
    )
    mal = models.ForeignKey(
        AnsokanMal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mål"),
    )
    text = models.TextField(_("mål"))
    bedomning = models.CharField(_("bedömning"), max_length=8, choices=Bedomning, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bedömt mål")
        verbose_name_plural = _("bedömda mål")

    def __str__(self):
        return self.text[:80]


class Aktivitet(ScopedModel, Versioned):
    """A competence activity: training day, seminar, network meeting."""

    class Kind(models.TextChoices):
        UTBILDNING = "utbildning", _("Utbildning")
        SEMINARIUM = "seminarium", _("Seminarium")
        NATVERK = "natverk", _("Nätverksträff")
        KONFERENS = "konferens", _("Konferens")
        OVRIGT = "ovrigt", _("Övrigt")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="aktiviteter", verbose_name=_("förbund")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind)
    date = models.DateField(_("datum"))
    organiser = models.CharField(_("arrangör"), max_length=200, blank=True)
    insats = models.ForeignKey(
        Insats,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name=_("insats"),
    )
    participants_women = models.PositiveIntegerField(_("deltagare, kvinnor"), default=0)
    participants_men = models.PositiveIntegerField(_("deltagare, män"), default=0)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_women__gte=0) & Q(participants_men__gte=0),
                name="aktivitet_counts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.date:%Y-%m-%d}"


class Paminnelse(ScopedModel):
    """A reminder mailed for a report at one step; at most one per report and step."""

    class Step(models.TextChoices):
        FORE = "fore", _("Före sista dag")
        SEN = "sen", _("Försenad")

    forbund_path = "rapport__insats__forbund"

    rapport = models.ForeignKey(
        Rapport, on_delete=models.CASCADE, related_name="paminnelser", verbose_name=_("rapport")
    )
    step = models.CharField(_("steg"), max_length=8, choices=Step)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("mottagare"), default=0)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["rapport", "step"], name="unique_paminnelse_step"),
        ]

    def __str__(self):
        return f"{self.get_step_display()}: {self.rapport}"


class Malbedomning(ScopedModel, Versioned):
    """Kansli's assessment of a result target the plan marks as assessed by hand, for a period."""

    forbund_path = "resultatmal__mal__plan__forbund"

    resultatmal = models.ForeignKey(
        Resultatmal,
        on_delete=models.CASCADE,
        related_name="bedomningar",
        verbose_name=_("resultatmål"),
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    text = models.TextField(_("kansliets bedömning"), max_length=4000, blank=True)
    met = models.BooleanField(_("uppnått"), null=True, blank=True)

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("bedömning av resultatmål")
        verbose_name_plural = _("bedömningar av resultatmål")
        constraints = [
            models.UniqueConstraint(
                fields=["resultatmal", "period_start", "period_end"],
                name="unique_malbedomning_period",
            ),
        ]

    def __str__(self):
        return f"{self.resultatmal} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
