"""Applications, the insatser they become, grants per year, payment claims."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.concurrency import Versioned
from finsam.models import Arende, Beslut, Forbund, Malgrupp, Medlem, ScopedModel, ScopedQuerySet
from finsam.storage import private_storage


class InsatsKind(models.TextChoices):
    INDIVID = "individ", _("Individinsats")
    STRUKTUR = "struktur", _("Strukturinsats")
    KOMPETENS = "kompetens", _("Kompetenshöjande insats")


class Ansokningsomgang(ScopedModel):
    """An application round: the money it is for and the deadline ("senast den 12 maj")."""

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="omgangar", verbose_name=_("förbund")
    )
    title = models.CharField(_("namn"), max_length=200)
    year = models.PositiveSmallIntegerField(_("för år"), help_text=_("Det första år som söks."))
    deadline = models.DateField(_("sista ansökningsdag"))

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("ansökningsomgång")
        verbose_name_plural = _("ansökningsomgångar")
        constraints = [
            models.UniqueConstraint(fields=["forbund", "title"], name="unique_omgang_title"),
        ]

    def __str__(self):
        return self.title


class Ansokan(ScopedModel, Versioned):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        INSKICKAD = "inskickad", _("Inskickad")
        BEREDNING = "beredning", _("Under beredning")
        KOMPLETTERING = "komplettering", _("Komplettering begärd")
        KLAR_FOR_BESLUT = "klar_for_beslut", _("Klar för beslut")
        BEVILJAD = "beviljad", _("Beviljad")
        DELVIS_BEVILJAD = "delvis_beviljad", _("Delvis beviljad")
        AVSLAGEN = "avslagen", _("Avslagen")
        ATERTAGEN = "atertagen", _("Återtagen")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="ansokningar", verbose_name=_("förbund")
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=20, blank=True)
    title = models.CharField(_("insatsens namn"), max_length=200)
    agare = models.ForeignKey(
        Medlem, on_delete=models.PROTECT, related_name="ansokningar", verbose_name=_("insatsägare")
    )
    deltagare = models.ManyToManyField(
        Medlem,
        blank=True,
        related_name="deltar_i_ansokningar",
        verbose_name=_("övriga deltagande medlemmar"),
    )
    kind = models.CharField(_("typ av insats"), max_length=10, choices=InsatsKind)
    malgrupper = models.ManyToManyField(
        Malgrupp, blank=True, related_name="ansokningar", verbose_name=_("målgrupper")
    )
    omgang = models.ForeignKey(
        Ansokningsomgang,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ansokningar",
        verbose_name=_("ansökningsomgång"),
    )
    start = models.DateField(_("startdatum"), null=True, blank=True)
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    description = models.TextField(_("bakgrund och behov"), blank=True)
    expected_women = models.PositiveIntegerField(
        _("förväntade deltagare, kvinnor"), null=True, blank=True
    )
    expected_men = models.PositiveIntegerField(
        _("förväntade deltagare, män"), null=True, blank=True
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    jamstalldhet = models.TextField(_("jämställdhet"), blank=True)
    tillganglighet = models.TextField(_("tillgänglighet"), blank=True)
    icke_diskriminering = models.TextField(_("icke-diskriminering"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.UTKAST)
    received_at = models.DateTimeField(_("inkom"), null=True, blank=True)
    received_on = models.DateField(
        _("inkom enligt brevet"),
        null=True,
        blank=True,
        help_text=_("Ankomstdatum för en ansökan som kom per post eller e-post."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inskickad av"),
    )
    late = models.BooleanField(_("inkom efter sista ansökningsdag"), default=False)
    registered_by_kansli = models.BooleanField(
        _("registrerad av kansliet"),
        default=False,
        help_text=_("Inkom per post eller e-post och fördes in av kansliet."),
    )
    submitted = models.JSONField(
        _("inskickad version"),
        default=dict,
        blank=True,
        help_text=_("Ansökan som den skickades in; ändras inte av beredningen."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    proposal_conditions = models.TextField(_("villkor i förslaget"), blank=True)
    arende = models.ForeignKey(
        Arende,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ansokningar",
        verbose_name=_("ärende"),
    )
    beslut = models.ForeignKey(
        Beslut,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ansokningar",
        verbose_name=_("beslut"),
    )

    class Meta:
        ordering = ["-received_at", "title"]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "diarienummer"],
                condition=~Q(diarienummer=""),
                name="unique_ansokan_diarienummer",
            ),
        ]

    def __str__(self):
        return f"{self.diarienummer} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("ansokan_detail", args=[self.forbund.slug, self.pk])


class AnsokanBelopp(ScopedModel):
    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="belopp", verbose_name=_("ansökan")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("sökt belopp (kr)"), max_digits=12, decimal_places=2)
    proposed = models.DecimalField(
        _("föreslaget belopp (kr)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("sökt belopp")
        verbose_name_plural = _("sökta belopp")
        constraints = [
            models.UniqueConstraint(fields=["ansokan", "year"], name="unique_ansokan_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Medfinansiering(ScopedModel):
    """A taking-part member's own contribution to the insats in one year (money or staff time)."""

    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="medfinansiering", verbose_name=_("ansökan")
    )
    medlem = models.ForeignKey(
        Medlem, on_delete=models.PROTECT, related_name="+", verbose_name=_("medlem")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("egen insats (kr)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("avser"), max_length=200, blank=True)

    class Meta:
        ordering = ["year", "medlem__order", "medlem__name"]
        verbose_name = _("medfinansiering")
        verbose_name_plural = _("medfinansiering")
        constraints = [
            models.UniqueConstraint(
                fields=["ansokan", "medlem", "year"], name="unique_medfinansiering"
            ),
        ]


class AnsokanMal(ScopedModel):
    """One goal of an application, with its measurable target."""

    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="mal", verbose_name=_("ansökan")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.TextField(_("mål"))
    target = models.CharField(_("mätbart målvärde"), max_length=300)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mål i ansökan")
        verbose_name_plural = _("mål i ansökan")


def _bilaga_path(instance, filename):
    return f"ansokningar/{instance.ansokan.forbund_id}/{instance.ansokan_id}/{filename}"


class Bilaga(ScopedModel):
    """An attachment: stored outside the public media, served only to those who may read it."""

    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="bilagor", verbose_name=_("ansökan")
    )
    file = models.FileField(_("fil"), upload_to=_bilaga_path, storage=private_storage)
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    original = models.BooleanField(
        _("originalet"), default=False, help_text=_("Ansökan som den kom in per post eller e-post.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self):
        return self.name


class Anteckning(ScopedModel):
    """Kansli's internal preparation note on an application; the applicant never sees it."""

    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="anteckningar", verbose_name=_("ansökan")
    )
    text = models.TextField(_("anteckning"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("användare"),
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("beredningsanteckning")
        verbose_name_plural = _("beredningsanteckningar")


class Komplettering(ScopedModel):
    """A request for completion and the applicant's answer."""

    forbund_path = "ansokan__forbund"

    ansokan = models.ForeignKey(
        Ansokan, on_delete=models.CASCADE, related_name="kompletteringar", verbose_name=_("ansökan")
    )
    question = models.TextField(_("begäran"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    asked_at = models.DateTimeField(_("begärd"), auto_now_add=True)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvarad av"),
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("komplettering")
        verbose_name_plural = _("kompletteringar")


class InsatsQuerySet(ScopedQuerySet):
    def running(self):
        return self.filter(status=Insats.Status.PAGAENDE)

    def active_in(self, year):
        """Insatser whose period touches the year."""
        return self.filter(Q(start__year__lte=year) | Q(start__isnull=True)).filter(
            Q(end__year__gte=year) | Q(end__isnull=True)
        )

    def visible_to(self, roll):
        """What a role may see: an insatsägare only its own member's insatser."""
        if roll.kind == roll.Kind.INSATSAGARE:
            return self.filter(agare=roll.medlem_id)
        return self

    def with_grants(self, **years):
        """Annotate each insats with its grant for some years, in the same query.

        `with_grants(grant_now=2026, grant_next=2027)` gives `insats.grant_now`
        (a Decimal, or None where nothing is granted that year).
        """
        return self.annotate(
            **{
                name: Subquery(
                    Anslag.objects.filter(insats=OuterRef("pk"), year=year).values("amount")[:1],
                    output_field=models.DecimalField(max_digits=12, decimal_places=2),
                )
                for name, year in years.items()
            }
        )


class Insats(ScopedModel, Versioned):
    Kind = InsatsKind

    # The Finsam law: at least two members take part in every insats.
    MIN_MEMBERS = 2

    class Status(models.TextChoices):
        PLANERAD = "planerad", _("Planerad")
        PAGAENDE = "pagaende", _("Pågående")
        AVSLUTAD = "avslutad", _("Avslutad")

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="insatser", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=200)
    agare = models.ForeignKey(
        Medlem,
        on_delete=models.PROTECT,
        related_name="agda_insatser",
        verbose_name=_("insatsägare"),
    )
    deltagare = models.ManyToManyField(
        Medlem,
        blank=True,
        related_name="deltar_i_insatser",
        verbose_name=_("övriga deltagande medlemmar"),
    )
    kind = models.CharField(_("typ av insats"), max_length=10, choices=InsatsKind)
    malgrupp = models.ForeignKey(
        Malgrupp,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insatser",
        verbose_name=_("målgrupp"),
    )
    ansokan = models.OneToOneField(
        Ansokan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="insats",
        verbose_name=_("ansökan"),
    )
    start = models.DateField(_("startdatum"), null=True, blank=True)
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANERAD)
    description = models.TextField(_("beskrivning"), blank=True)

    objects = InsatsQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="insats_period_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("insats_detail", args=[self.forbund.slug, self.pk])

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Slutdatum kan inte vara före startdatum.")})

    def members_taking_part(self):
        """The owner first, then the other taking-part members (prefetch `deltagare`)."""
        others = [m for m in self.deltagare.all() if m.pk != self.agare_id]
        return [self.agare, *others]

    @property
    def too_few_members(self):
        return len(self.members_taking_part()) < self.MIN_MEMBERS


class AnslagQuerySet(ScopedQuerySet):
    def of_year(self, year):
        return self.filter(year=year)


class Anslag(ScopedModel):
    """The amount granted to an insats for one year. Changed only by decisions."""

    forbund_path = "insats__forbund"

    insats = models.ForeignKey(
        Insats, on_delete=models.CASCADE, related_name="anslag", verbose_name=_("insats")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("beviljat belopp (kr)"), max_digits=12, decimal_places=2)
    beslut = models.ForeignKey(
        Beslut,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anslag",
        verbose_name=_("beslut"),
    )

    objects = AnslagQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")
        constraints = [
            models.UniqueConstraint(fields=["insats", "year"], name="unique_anslag_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="anslag_not_negative"),
        ]

    def __str__(self):
        return f"{self.insats} {self.year}: {self.amount}"


class Rekvisition(ScopedModel):
    """The owner's claim for money granted."""

    class Status(models.TextChoices):
        INSKICKAD = "inskickad", _("Inskickad")
        GODKAND = "godkand", _("Godkänd")
        AVSLAGEN = "avslagen", _("Avslagen")

    forbund_path = "insats__forbund"

    insats = models.ForeignKey(
        Insats, on_delete=models.CASCADE, related_name="rekvisitioner", verbose_name=_("insats")
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.INSKICKAD)
    diarienummer = models.CharField(_("diarienummer"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("inkom"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    reason = models.TextField(_("motivering till avslag"), blank=True)
    registered_by_kansli = models.BooleanField(
        _("registrerad av kansliet"),
        default=False,
        help_text=_("Rekvisitionen kom per post eller e-post och fördes in av kansliet."),
    )

    class Meta:
        ordering = ["period_start"]
        verbose_name = _("rekvisition")
        verbose_name_plural = _("rekvisitioner")

    def __str__(self):
        return f"{self.insats} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
