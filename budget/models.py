"""The year's plan: contributions, the budget and its lines, the Verksamhetsplan."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.concurrency import Versioned, lock
from finsam.models import Beslut, Forbund, Handelse, Medlem, Roll, ScopedModel, ScopedQuerySet
from insatser.models import Anslag

from .layout import lay_out_flat_budget


class MedlemsavgiftQuerySet(ScopedQuerySet):
    def of_year(self, year):
        return self.filter(year=year)


class Medlemsavgift(ScopedModel):
    """A member's contribution for one year, in kronor."""

    forbund_path = "medlem__forbund"

    medlem = models.ForeignKey(
        Medlem, on_delete=models.CASCADE, related_name="avgifter", verbose_name=_("medlem")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("medlemsavgift (kr)"), max_digits=12, decimal_places=2)

    objects = MedlemsavgiftQuerySet.as_manager()

    class Meta:
        ordering = ["year", "medlem__order"]
        verbose_name = _("medlemsavgift")
        verbose_name_plural = _("medlemsavgifter")
        constraints = [
            models.UniqueConstraint(fields=["medlem", "year"], name="unique_medlemsavgift_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="medlemsavgift_not_negative"),
        ]

    def __str__(self):
        return f"{self.medlem} {self.year}: {self.amount}"

    @classmethod
    @transaction.atomic
    def set_for_year(cls, *, forbund, year, amounts, user):
        """Write the members' contributions for a year; None removes a member's row.

        `amounts` maps members of the förbund to a Decimal or None. Each member
        whose contribution changes gets a Handelse. Returns how many changed.
        The förbund's row is locked: two saves at once write one after the other.
        """
        lock(forbund)
        existing = {a.medlem_id: a for a in cls.objects.of(forbund).of_year(year)}
        changed = 0
        for medlem, amount in amounts.items():
            if medlem.forbund_id != forbund.pk:
                raise ValueError(f"{medlem} hör inte till {forbund}.")
            row = existing.get(medlem.pk)
            old = row.amount if row else None
            if old == amount:
                continue
            if amount is None:
                row.delete()
            elif row:
                row.amount = amount
                row.save(update_fields=["amount"])
            else:
                cls.objects.create(medlem=medlem, year=year, amount=amount)
            Handelse.record(
                forbund=forbund,
                user=user,
                subject=medlem,
                action=f"medlemsavgift {year} ändrad",
                changes={
                    "år": year,
                    "före": None if old is None else str(old),
                    "efter": None if amount is None else str(amount),
                },
            )
            changed += 1
        return changed


class YearVersionQuerySet(ScopedQuerySet):
    """Budgets and plans: versions per year, and who may read which."""

    def of_year(self, year):
        return self.filter(year=year)

    def latest_version(self, year):
        """The one of the year that counts: its highest version, or None."""
        return self.of_year(year).order_by("-version").first()

    def visible_to(self, roll):
        """What a role may read: an insatsägare only what is published."""
        if roll.kind == Roll.Kind.INSATSAGARE:
            return self.filter(status=self.model.Status.PUBLICERAD)
        return self


class Budget(ScopedModel, Versioned):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        FORSLAG = "forslag", _("Förslag")
        FASTSTALLD = "faststalld", _("Fastställd")
        PUBLICERAD = "publicerad", _("Publicerad")

    # The audit trail's action for a budget started from last year's.
    STARTED_FROM_PREVIOUS = "skapad från föregående år"

    forbund = models.ForeignKey(
        Forbund, on_delete=models.CASCADE, related_name="budgetar", verbose_name=_("förbund")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.UTKAST)
    beslut = models.ForeignKey(
        Beslut,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgetar",
        verbose_name=_("fastställd genom beslut"),
    )
    previous_surplus = models.DecimalField(
        _("över-/underskott från tidigare år (kr)"), max_digits=14, decimal_places=2, default=0
    )
    forecast_previous_year = models.DecimalField(
        _("prognostiserat resultat för föregående år (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Tomt: ingen prognos, och raden skrivs inte ut."),
    )
    costs_negative = models.BooleanField(
        _("kostnader skrivs med minustecken"),
        default=False,
        help_text=_("Som förbundet trycker tabellen; beloppen sparas alltid utan tecken."),
    )
    income_published = models.DecimalField(
        _("S:a intäkter enligt fastställd budget (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cost_published = models.DecimalField(
        _("S:a kostnader enligt fastställd budget (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    closing = models.JSONField(
        _("slutrader"),
        null=True,
        blank=True,
        help_text=_(
            "Tabellens slutrader i ordning: [{line, label, published}]; tomt: de fyra "
            "vanliga (resultat, tidigare år, prognos, kvarvarande beslutsutrymme)."
        ),
    )
    frozen_sources = models.JSONField(
        _("belopp från databasen vid fastställandet"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Årets medlemsavgifter och insatsernas beviljade belopp som de var när "
            "budgeten fastställdes; en fastställd budget räknar med dem."
        ),
    )

    objects = YearVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year", "version"], name="unique_budget_version"
            ),
        ]

    def __str__(self):
        return f"Budget {self.year} (version {self.version})"

    def get_absolute_url(self):
        return reverse("budget_detail", args=[self.forbund.slug, self.year])

    @property
    def is_frozen(self):
        """An adopted budget never changes; a change is a new version."""
        return self.status in (self.Status.FASTSTALLD, self.Status.PUBLICERAD)

    @classmethod
    @transaction.atomic
    def create_empty(cls, *, forbund, year, user):
        """A draft budget with the two derived lines every förbund has."""
        budget = cls.objects.create(forbund=forbund, year=year)
        Group, Source = Budgetrad.Group, Budgetrad.Source
        Budgetrad.objects.bulk_create(
            [
                Budgetrad(
                    budget=budget,
                    group=Group.MEDLEMSAVGIFTER,
                    name=str(Group.MEDLEMSAVGIFTER.label),
                    source=Source.MEDLEMSAVGIFTER,
                    order=10,
                ),
                Budgetrad(
                    budget=budget,
                    group=Group.INSATSER,
                    name=str(Group.INSATSER.label),
                    source=Source.INSATSER,
                    order=100,
                ),
            ]
        )
        lay_out_flat_budget(Budgetrad, budget)  # the insatser line in its Samverkansinsatser block
        Handelse.record(forbund=forbund, user=user, subject=budget, action="skapad")
        return budget

    def copy_lines_to(self, other, *, with_outcome):
        """Copy every line and block to `other`, the tree and the order as they are."""
        lines = list(self.rader.order_by("order", "pk"))
        copies = {}
        pending = lines
        while pending:  # parents first: one insert per level of the tree
            ready = [r for r in pending if r.parent_id is None or r.parent_id in copies]
            if not ready:
                raise ValueError(f"{self}: en rad ingår i ett block som inte finns.")
            pending = [r for r in pending if r not in ready]
            made = Budgetrad.objects.bulk_create(
                [
                    Budgetrad(
                        budget=other,
                        parent=copies.get(rad.parent_id),
                        kind=rad.kind,
                        group=rad.group,
                        name=rad.name,
                        source=rad.source,
                        amount=rad.amount,
                        outcome=rad.outcome if with_outcome else None,
                        forecast=rad.forecast if with_outcome else None,
                        order=rad.order,
                        sum_label=rad.sum_label,
                        total_on_heading=rad.total_on_heading,
                        published=rad.published,
                        owner=rad.owner,
                        show_owner=rad.show_owner,
                        per=rad.per,
                    )
                    for rad in ready
                ]
            )
            copies.update({rad.pk: new for rad, new in zip(ready, made, strict=True)})

    def _locked(self):
        """This budget re-read under a row lock, so that two clicks make one transition."""
        current = type(self).objects.select_for_update().get(pk=self.pk)
        self.beslut_id = current.beslut_id
        return current

    def _move(self, *, to, by, reason="", changes=None, action):
        self.status = to
        self.save(update_fields=["status", "beslut", "frozen_sources"])
        Handelse.record(
            forbund=self.forbund,
            user=by,
            subject=self,
            action=action,
            reason=reason,
            changes={"status": str(self.Status(to).label), **(changes or {})},
        )

    @transaction.atomic
    def propose(self, *, by, reason=""):
        """utkast → förslag: the kansli lays the budget before the board."""
        current = self._locked()
        if current.status != self.Status.UTKAST:
            raise ValidationError(
                f"Budgeten är {current.get_status_display().lower()}; "
                "bara ett utkast kan läggas fram som förslag."
            )
        self._move(to=self.Status.FORSLAG, by=by, reason=reason, action="framlagd som förslag")

    @transaction.atomic
    def adopt(self, *, by, beslut=None, date=None, text="", diarienummer="", reason=""):
        """förslag → fastställd by a board decision: `beslut`, or a new one from date and text."""
        current = self._locked()
        if current.status != self.Status.FORSLAG:
            raise ValidationError(
                f"Budgeten är {current.get_status_display().lower()}; "
                "bara ett förslag kan fastställas."
            )
        if beslut is None:
            text = (text or "").strip()
            if date is None or not text:
                raise ValidationError("Ange styrelsens beslut: datum och beslutstext.")
            beslut = Beslut.objects.create(
                forbund_id=self.forbund_id,
                date=date,
                text=text,
                diarienummer=(diarienummer or "").strip(),
            )
        elif beslut.forbund_id != self.forbund_id:
            raise ValidationError("Beslutet hör till ett annat samordningsförbund.")
        elif beslut.delegated:
            raise ValidationError("Budgeten fastställs av styrelsen, inte genom delegationsbeslut.")
        self.beslut = beslut
        self.frozen_sources = self.current_sources()
        self._move(
            to=self.Status.FASTSTALLD,
            by=by,
            reason=reason or beslut.text,
            action="fastställd",
            changes={"beslut": f"{beslut.date:%Y-%m-%d} {beslut.text}"[:300]},
        )

    def current_sources(self):
        """The derived lines' amounts as the database holds them now, as JSON.

        Adopting the budget keeps them (`frozen_sources`): a grant or a
        contribution changed later does not change an adopted budget; nor does
        renaming an insats or its owner (the names are kept with the amounts).
        """
        contributions = Medlemsavgift.objects.of(self.forbund_id).filter(year=self.year)
        grants = Anslag.objects.of(self.forbund_id).filter(year=self.year)
        total = contributions.aggregate(total=Sum("amount"))["total"] or 0
        rows = grants.order_by("insats").values_list(
            "insats", "amount", "insats__name", "insats__agare__short_name", "insats__agare__name"
        )
        rows = list(rows)
        return {
            "medlemsavgifter": str(total),
            # Per member, for a table that prints the contributions per payer or member.
            "avgifter": {str(m): str(a) for m, a in contributions.values_list("medlem", "amount")},
            "anslag": {str(pk): str(amount) for pk, amount, *_texts in rows},
            # The texts as adopted: a later renaming does not change the decided budget.
            "namn": {
                str(pk): {"insats": name, "agare": short_name or owner}
                for pk, _amount, name, short_name, owner in rows
            },
        }

    @transaction.atomic
    def publish(self, *, by, reason=""):
        """fastställd → publicerad: the adopted budget is shown to the insatsägare too."""
        current = self._locked()
        if current.status != self.Status.FASTSTALLD:
            raise ValidationError(
                f"Budgeten är {current.get_status_display().lower()}; "
                "bara en fastställd budget kan publiceras."
            )
        self._move(to=self.Status.PUBLICERAD, by=by, reason=reason, action="publicerad")

    @transaction.atomic
    def new_version(self, *, by, reason=""):
        """A draft copy of an adopted budget, every line and figure; this one stays as it is."""
        current = self._locked()
        if not current.is_frozen:
            raise ValidationError(
                f"Budgeten är {current.get_status_display().lower()} och kan ändras som den är; "
                "en ny version görs av en fastställd budget."
            )
        latest = type(self).objects.filter(forbund_id=self.forbund_id, year=self.year)
        if latest.filter(version__gt=self.version).exists():
            raise ValidationError(f"Det finns redan en nyare version av budgeten för {self.year}.")
        budget = type(self).objects.create(
            forbund_id=self.forbund_id,
            year=self.year,
            version=self.version + 1,
            previous_surplus=self.previous_surplus,
            forecast_previous_year=self.forecast_previous_year,
            costs_negative=self.costs_negative,
            income_published=self.income_published,
            cost_published=self.cost_published,
            closing=self.closing,
        )
        self.copy_lines_to(budget, with_outcome=True)
        Handelse.record(
            forbund=self.forbund,
            user=by,
            subject=budget,
            action="ny version",
            reason=reason,
            changes={"från version": self.version},
        )
        return budget

    @transaction.atomic
    def set_outcome(self, *, figures, user):
        """Write the typed outcome and forecast of lines; allowed on an adopted budget too.

        Outcome and forecast are not part of what the board adopts. `figures`
        maps lines of this budget to (outcome, forecast). Returns how many changed.
        """
        changes = {}
        for rad, (outcome, forecast) in figures.items():
            if rad.budget_id != self.pk:
                raise ValueError(f"{rad} hör inte till {self}.")
            if rad.source == Budgetrad.Source.INSATSER:
                raise ValidationError("Insatsernas utfall räknas fram ur godkända rekvisitioner.")
            if (rad.outcome, rad.forecast) == (outcome, forecast):
                continue
            rad.outcome, rad.forecast = outcome, forecast
            rad.save(update_fields=["outcome", "forecast"])
            changes[rad.name] = {
                "utfall": None if outcome is None else str(outcome),
                "prognos": None if forecast is None else str(forecast),
            }
        if changes:
            Handelse.record(
                forbund=self.forbund,
                user=user,
                subject=self,
                action="utfall och prognos ändrade",
                changes=changes,
            )
        return len(changes)


class Budgetrad(ScopedModel):
    """A line of the budget (typed, or derived from what the database holds), or a block:
    a heading with lines and blocks under it and an optional sum line (budget.tables
    prints the tree; budget.layout gives a budget written before blocks its blocks)."""

    class Section(models.TextChoices):
        INTAKT = "intakt", _("Intäkter")
        KOSTNAD = "kostnad", _("Kostnader")

    class Group(models.TextChoices):
        MEDLEMSAVGIFTER = "medlemsavgifter", _("Medlemsavgifter")
        EU_MEDEL = "eu_medel", _("EU-/ESF-medel")
        FORSALJNING = "forsaljning", _("Försäljning av tjänster")
        EGET_KAPITAL = "eget_kapital", _("Ianspråktaget eget kapital")
        OVRIGA_INTAKTER = "ovriga_intakter", _("Övriga intäkter")
        STYRELSE = "styrelse", _("Förtroendevalda")
        FORVALTNING = "forvaltning", _("Förvaltning")
        INSATSER = "insatser", _("Samverkansinsatser")
        OVRIGA_SAMVERKANSINSATSER = "ovriga_samverkansinsatser", _("Övriga samverkansinsatser")
        EJ_BESLUTADE = "ej_beslutade", _("Ej beslutade insatser")
        OVRIGA_KOSTNADER = "ovriga_kostnader", _("Övriga kostnader")

    INCOME_GROUPS = (
        Group.MEDLEMSAVGIFTER,
        Group.EU_MEDEL,
        Group.FORSALJNING,
        Group.EGET_KAPITAL,
        Group.OVRIGA_INTAKTER,
    )

    class Source(models.TextChoices):
        TYPED = "typed", _("Inskrivet belopp")
        MEDLEMSAVGIFTER = "medlemsavgifter", _("Summan av årets medlemsavgifter")
        INSATSER = "insatser", _("Insatsernas beviljade belopp för året")

    class Kind(models.TextChoices):
        RAD = "rad", _("Rad")
        BLOCK = "block", _("Block (rubrik med rader och summa)")

    class Per(models.TextChoices):
        EN_RAD = "", _("En rad")
        BETALARE = "betalare", _("En rad per betalare (staten, regionen, varje kommun)")
        MEDLEM = "medlem", _("En rad per medlem")

    forbund_path = "budget__forbund"

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="rader", verbose_name=_("budget")
    )
    kind = models.CharField(_("slag"), max_length=5, choices=Kind, default=Kind.RAD)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ingår i block"),
    )
    group = models.CharField(_("grupp"), max_length=30, choices=Group)
    name = models.CharField(_("benämning"), max_length=200, blank=True)
    sum_label = models.CharField(_("summarad"), max_length=200, blank=True)
    total_on_heading = models.BooleanField(_("summan på rubrikraden"), default=False)
    published = models.DecimalField(
        _("summa enligt fastställd budget (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    owner = models.CharField(_("insatsägare (text)"), max_length=200, blank=True)
    show_owner = models.BooleanField(_("visa kolumnen insatsägare"), default=True)
    per = models.CharField(
        _("medlemsavgifterna som"), max_length=10, choices=Per, blank=True, default=Per.EN_RAD
    )
    source = models.CharField(_("belopp från"), max_length=20, choices=Source, default=Source.TYPED)
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    outcome = models.DecimalField(
        _("utfall hittills (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    forecast = models.DecimalField(
        _("prognos för helåret (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="rad", source="typed", amount__isnull=False)
                | (Q(kind="rad") & ~Q(source="typed") & Q(amount__isnull=True))
                | Q(kind="block", source="typed", amount__isnull=True),
                name="budgetrad_typed_has_amount",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def section(self):
        return self.Section.INTAKT if self.group in self.INCOME_GROUPS else self.Section.KOSTNAD

    @property
    def is_typed(self):
        return self.source == self.Source.TYPED

    @property
    def is_block(self):
        return self.kind == self.Kind.BLOCK


class Verksamhetsplan(ScopedModel, Versioned):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        FASTSTALLD = "faststalld", _("Fastställd")
        PUBLICERAD = "publicerad", _("Publicerad")

    forbund = models.ForeignKey(
        Forbund,
        on_delete=models.CASCADE,
        related_name="verksamhetsplaner",
        verbose_name=_("förbund"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.UTKAST)
    beslut = models.ForeignKey(
        Beslut,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verksamhetsplaner",
        verbose_name=_("fastställd genom beslut"),
    )
    arshjul_noter = models.TextField(_("fotnoter till årshjulet"), blank=True)

    objects = YearVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "year", "version"], name="unique_verksamhetsplan_version"
            ),
        ]

    def __str__(self):
        return f"Verksamhetsplan {self.year}"

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.forbund.slug, self.year])

    @property
    def is_frozen(self):
        """An adopted plan is a decided document: nothing in it changes any more."""
        return self.status in (self.Status.FASTSTALLD, self.Status.PUBLICERAD)

    def is_visible_to(self, roll):
        return roll.kind != Roll.Kind.INSATSAGARE or self.status == self.Status.PUBLICERAD

    @classmethod
    @transaction.atomic
    def start_from_previous(cls, *, forbund, year, user):
        """A draft plan for the year, written from the latest earlier plan.

        Copies the outline with its text sections, the goals with their result targets and the
        risk register without its follow-ups (those belong to the year that was
        followed up); the earlier plan is not touched. Without an earlier plan
        the draft gets the standard sections, empty. A year that already has a
        plan is refused.
        """
        plans = cls.objects.of(forbund)
        if plans.of_year(year).exists():
            raise ValidationError(f"Det finns redan en verksamhetsplan för {year}.")
        previous = plans.filter(year__lt=year).order_by("-year", "-version").first()
        plan = cls.objects.create(forbund=forbund, year=year)
        if previous is None:
            Avsnitt.objects.bulk_create(
                Avsnitt(plan=plan, key=key, title=title, kind=kind, order=10 * (i + 1))
                for i, (key, title, kind) in enumerate(STANDARD_AVSNITT)
            )
        else:
            previous.copy_content_to(plan)
        Handelse.record(
            forbund=forbund,
            user=user,
            subject=plan,
            action="skapad",
            changes={"utgångspunkt": str(previous) if previous else "standardavsnitten"},
        )
        return plan

    def copy_content_to(self, plan):
        """Copy sections, goals with targets, and risks (without follow-ups) to another plan."""
        Avsnitt.objects.bulk_create(
            Avsnitt(plan=plan, key=a.key, title=a.title, body=a.body, order=a.order, kind=a.kind)
            for a in self.avsnitt.all()
        )
        for mal in self.mal.prefetch_related("resultatmal"):
            new = Mal.objects.create(
                plan=plan,
                number=mal.number,
                title=mal.title,
                focus=mal.focus,
                description=mal.description,
                measured_by=mal.measured_by,
            )
            Resultatmal.objects.bulk_create(
                Resultatmal(
                    mal=new,
                    number=r.number,
                    text=r.text,
                    indicator=r.indicator,
                    target=r.target,
                    unit=r.unit,
                    follow_up=r.follow_up,
                )
                for r in mal.resultatmal.all()
            )
        Arshjulspost.objects.bulk_create(
            Arshjulspost(
                plan=plan, month=p.month, end_month=p.end_month, text=p.text, order=p.order
            )
            for p in self.arshjul.all()
        )
        if self.arshjul_noter:
            type(plan).objects.filter(pk=plan.pk).update(arshjul_noter=self.arshjul_noter)
            plan.arshjul_noter = self.arshjul_noter
        Risk.objects.bulk_create(
            Risk(
                plan=plan,
                risk=r.risk,
                likelihood=r.likelihood,
                consequence=r.consequence,
                control=r.control,
                responsible=r.responsible,
                order=r.order,
            )
            for r in self.risker.all()
        )

    @transaction.atomic
    def adopt(self, *, beslut, by):
        """The board's decision adopts the plan; from now on it never changes."""
        current = type(self).objects.select_for_update().get(pk=self.pk)
        if current.is_frozen:
            raise ValidationError(f"Verksamhetsplanen för {self.year} är redan fastställd.")
        if beslut.forbund_id != self.forbund_id:
            raise ValidationError("Beslutet hör till ett annat samordningsförbund.")
        self.status, self.beslut = self.Status.FASTSTALLD, beslut
        self.save(update_fields=["status", "beslut"])
        Handelse.record(
            forbund=self.forbund,
            user=by,
            subject=self,
            action="fastställd",
            changes={"beslut": beslut.text, "beslutsdatum": beslut.date.isoformat()},
        )

    @transaction.atomic
    def publish(self, *, by):
        """Make the adopted plan public: the insatsägare may read it too."""
        current = type(self).objects.select_for_update().get(pk=self.pk)
        if current.status != self.Status.FASTSTALLD:
            raise ValidationError("Bara en fastställd verksamhetsplan kan publiceras.")
        self.status = self.Status.PUBLICERAD
        self.save(update_fields=["status"])
        Handelse.record(forbund=self.forbund, user=by, subject=self, action="publicerad")


# The outline a new plan starts with (key, title, kind), in the printed order:
# text sections (empty) and the chapters the system fills. A chapter the
# system fills prints its section's text first, then what the system knows.
STANDARD_AVSNITT = [
    ("inledning", "Bakgrund och uppdrag", "text"),
    ("medlemmar", "Medlemmar", "medlemmar"),
    ("styrelsen", "Styrelsen", "styrelsen"),
    ("verksamhet", "Verksamhet", "text"),
    ("inriktning", "Inriktning", "text"),
    ("malgrupper_text", "Målgrupper", "malgrupper"),
    ("mal_text", "Mål och uppföljning", "mal"),
    ("uppfoljning", "Uppföljning av insatserna", "text"),
    ("stod", "Stöd till parterna för att underlätta samverkan", "text"),
    ("kompetens", "Stöd till kompetensutveckling/kunskapshöjande insatser", "text"),
    ("arsprocess", "Årsprocess för verksamhetsplaneringen", "arshjul"),
    ("kansliet", "Kansliet", "text"),
    ("internkontroll", "Riskanalys och internkontrollplan", "risker"),
    ("budget_text", "Budget", "budget"),
]


class Avsnitt(ScopedModel, Versioned):
    """An item of the plan's outline: a text section, or a chapter the system fills.

    The plan's outline is its Avsnitt rows in their order. A row of a kind
    other than text prints its heading and text (often none), then the part
    the system fills in from the database: the members, the board, ...
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        MEDLEMMAR = "medlemmar", _("Medlemmar")
        STYRELSEN = "styrelsen", _("Styrelsen")
        MALGRUPPER = "malgrupper", _("Målgrupper")
        MAL = "mal", _("Mål och resultatmål")
        ARSHJUL = "arshjul", _("Årshjul")
        RISKER = "risker", _("Riskanalys")
        BUDGET = "budget", _("Budgettabell")

    forbund_path = "plan__forbund"

    plan = models.ForeignKey(
        Verksamhetsplan,
        on_delete=models.CASCADE,
        related_name="avsnitt",
        verbose_name=_("verksamhetsplan"),
    )
    key = models.SlugField(_("nyckel"), max_length=50)
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("innehåll"), max_length=20, choices=Kind, default=Kind.TEXT)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="unique_avsnitt_key"),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=~Q(kind="text"),
                name="unique_avsnitt_system_kind",
            ),
        ]

    @property
    def is_system(self):
        return self.kind != self.Kind.TEXT

    def __str__(self):
        return self.title


class Mal(ScopedModel):
    forbund_path = "plan__forbund"

    plan = models.ForeignKey(
        Verksamhetsplan,
        on_delete=models.CASCADE,
        related_name="mal",
        verbose_name=_("verksamhetsplan"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.TextField(_("mål"))
    focus = models.CharField(_("fokusområde"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    measured_by = models.TextField(_("uppföljning"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_mal_number"),
        ]

    def __str__(self):
        return f"Mål {self.number}"

    @property
    def has_target_follow_ups(self):
        """Its result targets have follow-ups of their own (one per row of the goals' table)."""
        return any(target.follow_up for target in self.resultatmal.all())


class Resultatmal(ScopedModel):
    """A measurable target under a goal: a figure and the way it is measured."""

    class Indicator(models.TextChoices):
        MANUELL = "manuell", _("Bedöms av kansliet")
        ANDEL_ARBETE_STUDIER = (
            "andel_arbete_studier",
            _("Andel avslutade deltagare i arbete eller studier"),
        )
        ANDEL_PLAN = "andel_plan", _("Andel avslutade deltagare med plan för vidare rehabilitering")
        ANDEL_STRUKTURMAL = "andel_strukturmal", _("Andel uppnådda mål i strukturinsatser")
        ANTAL_AKTIVITETER = "antal_aktiviteter", _("Antal genomförda aktiviteter")
        ANTAL_AKTIVITETSDELTAGARE = (
            "antal_aktivitetsdeltagare",
            _("Antal deltagare i aktiviteter"),
        )

    class Unit(models.TextChoices):
        PROCENT = "procent", _("procent")
        ANTAL = "antal", _("antal")

    forbund_path = "mal__plan__forbund"

    mal = models.ForeignKey(
        Mal, on_delete=models.CASCADE, related_name="resultatmal", verbose_name=_("mål")
    )
    number = models.CharField(_("nummer"), max_length=10)
    text = models.TextField(_("resultatmål"))
    indicator = models.CharField(
        _("mäts som"), max_length=30, choices=Indicator, default=Indicator.MANUELL
    )
    target = models.DecimalField(
        _("målvärde"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit, blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)

    class Meta:
        ordering = ["mal__number", "pk"]
        verbose_name = _("resultatmål")
        verbose_name_plural = _("resultatmål")

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    # What a count target counts, as the plan names it ("minst 12 aktiviteter").
    COUNTED = {
        Indicator.ANTAL_AKTIVITETER: "aktiviteter",
        Indicator.ANTAL_AKTIVITETSDELTAGARE: "deltagare",
    }

    @property
    def target_text(self):
        """The target as the plan prints it: "Målvärde: minst 12 aktiviteter", "Målvärde: 35 %"."""
        if self.target is None:
            return ""
        figure = f"{Decimal(self.target).normalize():f}".replace(".", ",")
        if self.unit == self.Unit.PROCENT:
            return f"Målvärde: {figure} %"
        if self.unit == self.Unit.ANTAL:
            counted = self.COUNTED.get(self.indicator, "")
            return f"Målvärde: minst {figure} {counted}".rstrip()
        return f"Målvärde: {figure}"


MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
MONTH_CHOICES = [(i, name.capitalize()) for i, name in enumerate(MONTHS, start=1)]


class Arshjulspost(ScopedModel):
    """An item of the annual cycle that is not a meeting: "Maj–juni: dialog med medlemmarna"."""

    forbund_path = "plan__forbund"

    plan = models.ForeignKey(
        Verksamhetsplan,
        on_delete=models.CASCADE,
        related_name="arshjul",
        verbose_name=_("verksamhetsplan"),
    )
    month = models.PositiveSmallIntegerField(_("månad"), choices=MONTH_CHOICES)
    end_month = models.PositiveSmallIntegerField(
        _("till och med månad"), choices=MONTH_CHOICES, null=True, blank=True
    )
    text = models.TextField(_("vad som händer"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["month", "order", "pk"]
        verbose_name = _("post i årshjulet")
        verbose_name_plural = _("poster i årshjulet")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12)
                & (
                    Q(end_month__isnull=True)
                    | Q(end_month__gte=models.F("month"), end_month__lte=12)
                ),
                name="arshjulspost_months_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.months}: {self.text[:60]}"

    @property
    def months(self):
        """ "Maj" or "Maj–juni"."""
        first = MONTHS[self.month - 1].capitalize()
        if self.end_month and self.end_month != self.month:
            return f"{first}–{MONTHS[self.end_month - 1]}"
        return first


class Risk(ScopedModel, Versioned):
    """One row of the internal-control risk register."""

    forbund_path = "plan__forbund"

    plan = models.ForeignKey(
        Verksamhetsplan,
        on_delete=models.CASCADE,
        related_name="risker",
        verbose_name=_("verksamhetsplan"),
    )
    risk = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(
        _("sannolikhet (1–4)"), choices=[(i, str(i)) for i in range(1, 5)]
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens (1–4)"), choices=[(i, str(i)) for i in range(1, 5)]
    )
    control = models.TextField(_("kontrollmoment"), blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    follow_up_1 = models.TextField(_("uppföljning vid delåret"), blank=True)
    follow_up_2 = models.TextField(_("uppföljning vid helåret"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    likelihood__gte=1, likelihood__lte=4, consequence__gte=1, consequence__lte=4
                ),
                name="risk_scale_1_to_4",
            ),
        ]

    def __str__(self):
        return self.risk

    @property
    def value(self):
        return self.likelihood * self.consequence

    @property
    def level(self):
        """low (1–3), medium (4–8) or high (9–16): the colour in the matrix."""
        return risk_level(self.value)


def risk_level(value):
    if value >= 9:
        return "hog"
    if value >= 4:
        return "medel"
    return "lag"


def risk_matrix(risks):
    """The risk register as a 4 × 4 grid for the plan and its PDF.

    Rows run from consequence 4 (top) to 1, columns from likelihood 1 to 4;
    each cell holds the numbers (1-based, in register order) of its risks.
    """
    numbered = list(enumerate(risks, start=1))
    return [
        {
            "consequence": consequence,
            "cells": [
                {
                    "likelihood": likelihood,
                    "level": risk_level(likelihood * consequence),
                    "numbers": [
                        n
                        for n, risk in numbered
                        if risk.likelihood == likelihood and risk.consequence == consequence
                    ],
                }
                for likelihood in range(1, 5)
            ],
        }
        for consequence in range(4, 0, -1)
    ]
