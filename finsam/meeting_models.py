"""A board meeting in detail: its agenda template, who attended, who was
jäv on an item, who signed the minutes, and the registration numbers that
incoming papers get.

Imported by finsam.models (the models are the finsam app's); import them from
there.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .minutes.frozen import FrozenWithMeeting
from .models import (
    Arende,
    Forbund,
    FrozenScopedQuerySet,
    Ledamot,
    Protokoll,
    Sammantrade,
    ScopedModel,
    StandingItem,
)


class Dagordningspunkt(ScopedModel):
    """One standing item of the förbund's agenda template, copied into each new meeting."""

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="dagordningsmall", verbose_name=_("förbund")
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    standing = models.CharField(_("stående punkt"), max_length=20, choices=StandingItem)
    title = models.CharField(_("rubrik"), max_length=300)
    kind = models.CharField(
        _("typ"), max_length=12, choices=Arende.Kind, default=Arende.Kind.BESLUT
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("stående punkt på dagordningen")
        verbose_name_plural = _("dagordningens mall")

    def __str__(self):
        return self.title


class Narvaro(FrozenWithMeeting, ScopedModel):
    """One seat's attendance at a meeting.

    A deputy (ersättare) votes only while serving for an absent regular
    member of the same member organisation (`serving_for`).
    """

    forbund_path = "sammantrade__forbund"

    sammantrade = models.ForeignKey(
        Sammantrade, on_delete=models.CASCADE, related_name="narvaro", verbose_name=_("sammanträde")
    )
    ledamot = models.ForeignKey(
        Ledamot, on_delete=models.PROTECT, related_name="narvaro", verbose_name=_("ledamot")
    )
    present = models.BooleanField(_("närvarande"), default=False)
    serving_for = models.ForeignKey(
        Ledamot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ersatt_av",
        verbose_name=_("tjänstgör för"),
    )

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["ledamot__medlem__order", "ledamot__kind", "ledamot__name"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["sammantrade", "ledamot"], name="unique_narvaro"),
            models.UniqueConstraint(
                fields=["sammantrade", "serving_for"],
                condition=Q(serving_for__isnull=False),
                name="one_deputy_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(serving_for__isnull=True) | Q(present=True),
                name="serving_deputy_is_present",
            ),
        ]

    def __str__(self):
        return f"{self.ledamot} {self.sammantrade}"


class Jav(FrozenWithMeeting, ScopedModel):
    """A board member's conflict of interest (jäv) on one item: takes no part in it."""

    forbund_path = "arende__sammantrade__forbund"
    meeting_lookup = "arende__sammantrade"

    arende = models.ForeignKey(
        Arende, on_delete=models.CASCADE, related_name="jav", verbose_name=_("ärende")
    )
    ledamot = models.ForeignKey(
        Ledamot, on_delete=models.PROTECT, related_name="jav", verbose_name=_("ledamot")
    )
    reason = models.CharField(_("skäl"), max_length=300)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("anmäld av"),
    )
    declared_at = models.DateTimeField(_("anmält"), default=timezone.now)

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["arende__number", "ledamot__name"]
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [
            models.UniqueConstraint(fields=["arende", "ledamot"], name="unique_jav"),
        ]

    def __str__(self):
        return f"{self.ledamot} jäv i {self.arende}"


class KallelseUtskick(ScopedModel):
    """The notice mailed to one board member: once per meeting and seat."""

    forbund_path = "sammantrade__forbund"

    sammantrade = models.ForeignKey(
        Sammantrade,
        on_delete=models.CASCADE,
        related_name="kallelse_utskick",
        verbose_name=_("sammanträde"),
    )
    ledamot = models.ForeignKey(
        Ledamot, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledamot")
    )
    email = models.EmailField(_("e-post"))
    queued_at = models.DateTimeField(_("lagt i kö"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("utskick av kallelse")
        verbose_name_plural = _("utskick av kallelser")
        constraints = [
            models.UniqueConstraint(fields=["sammantrade", "ledamot"], name="one_notice_per_seat"),
        ]


class Justering(FrozenWithMeeting, ScopedModel):
    """One signature of the minutes: who, when, and the checksum of the exact PDF signed."""

    meeting_lookup = "protokoll__sammantrade"

    class Role(models.TextChoices):
        ORDFORANDE = "ordforande", _("Ordförande")
        JUSTERARE = "justerare", _("Justerare")

    forbund_path = "protokoll__sammantrade__forbund"

    protokoll = models.ForeignKey(
        Protokoll, on_delete=models.PROTECT, related_name="signaturer", verbose_name=_("protokoll")
    )
    ledamot = models.ForeignKey(
        Ledamot, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledamot")
    )
    role = models.CharField(_("roll"), max_length=12, choices=Role)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("användare"),
    )
    signed_at = models.DateTimeField(_("justerat"), default=timezone.now)
    dokument = models.ForeignKey(
        "finsam.Dokument", on_delete=models.PROTECT, related_name="+", verbose_name=_("dokument")
    )
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)

    objects = FrozenScopedQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        constraints = [
            models.UniqueConstraint(fields=["protokoll", "ledamot"], name="one_signature_per_seat"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.ledamot}"


class Lopnummer(models.Model):
    """The last registration number given in a series, per förbund and year.

    `Lopnummer.next(forbund, "ansokan", 2026)` gives 1, 2, 3 …: gap-free,
    because the row is locked until the caller's transaction ends (and a
    rolled-back transaction gives its number back), and unique even when ten
    are taken in the same second.
    """

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="+", verbose_name=_("förbund")
    )
    series = models.CharField(_("serie"), max_length=20)
    year = models.PositiveSmallIntegerField(_("år"))
    last = models.PositiveIntegerField(_("senaste nummer"), default=0)

    class Meta:
        verbose_name = _("löpnummer")
        verbose_name_plural = _("löpnummer")
        constraints = [
            models.UniqueConstraint(fields=["forbund", "series", "year"], name="unique_lopnummer"),
        ]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"

    @classmethod
    def next(cls, forbund, series, year):
        """The next number; call inside the transaction that uses it."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Lopnummer.next() needs a transaction.")
        key = {"forbund": forbund, "series": series, "year": year}
        row = cls.objects.select_for_update().filter(**key).first()
        if row is None:
            try:
                with transaction.atomic():
                    cls.objects.create(**key)
            except IntegrityError:
                pass  # someone else created it at the same moment: lock theirs
            row = cls.objects.select_for_update().get(**key)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last

    # A report's or a claim's number must not read as an application's (which has no
    # prefix): "R 2026/3" is a report, "2026/3" the application with that number.
    PREFIXES = {"rapport": "R", "rekvisition": "Rek"}

    @classmethod
    def format(cls, year, number, series=None):
        prefix = cls.PREFIXES.get(series)
        return f"{prefix} {year}/{number}" if prefix else f"{year}/{number}"
