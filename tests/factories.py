import datetime
from decimal import Decimal

import factory

from budget.models import Budget, Budgetrad, Medlemsavgift
from finsam.models import (
    Arende,
    Beslut,
    Forbund,
    Ledamot,
    Malgrupp,
    Medlem,
    Roll,
    Sammantrade,
    User,
)
from insatser.models import (
    Anslag,
    Ansokan,
    AnsokanBelopp,
    AnsokanMal,
    Ansokningsomgang,
    Insats,
    Rekvisition,
)


class ForbundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forbund
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"forbund{n}")
    name = factory.LazyAttribute(lambda o: f"Samordningsförbundet {o.slug.capitalize()}")


class MedlemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medlem

    forbund = factory.SubFactory(ForbundFactory)
    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = Medlem.Kind.KOMMUN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.django.Password("losenord-123")


class RollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roll

    user = factory.SubFactory(UserFactory)
    forbund = factory.SubFactory(ForbundFactory)
    kind = Roll.Kind.KANSLI


class LedamotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ledamot

    medlem = factory.SubFactory(MedlemFactory)
    name = factory.Sequence(lambda n: f"Ledamot {n}")
    kind = Ledamot.Kind.ORDINARIE
    mandate_start = datetime.date(2023, 1, 1)
    mandate_end = datetime.date(2026, 12, 31)


class MalgruppFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Malgrupp

    forbund = factory.SubFactory(ForbundFactory)
    name = factory.Sequence(lambda n: f"Målgrupp {n}")


class SammantradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sammantrade

    forbund = factory.SubFactory(ForbundFactory)
    date = datetime.date(2026, 9, 15)


class ArendeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arende

    sammantrade = factory.SubFactory(SammantradeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Ärende {n}")


class BeslutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beslut

    forbund = factory.SubFactory(ForbundFactory)
    date = datetime.date(2026, 9, 15)
    text = "Styrelsen beslutar att bevilja medel."


class InsatsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insats

    forbund = factory.SubFactory(ForbundFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    agare = factory.SubFactory(MedlemFactory, forbund=factory.SelfAttribute("..forbund"))
    kind = Insats.Kind.INDIVID
    status = Insats.Status.PAGAENDE
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2027, 12, 31)


class AnslagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anslag

    insats = factory.SubFactory(InsatsFactory)
    year = 2026
    amount = Decimal("1000000")


class MedlemsavgiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medlemsavgift

    medlem = factory.SubFactory(MedlemFactory)
    year = 2026
    amount = Decimal("1000000")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    forbund = factory.SubFactory(ForbundFactory)
    year = 2026


class BudgetradFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budgetrad

    budget = factory.SubFactory(BudgetFactory)
    group = Budgetrad.Group.FORVALTNING
    name = "Förvaltning"
    amount = Decimal("100000")


class RekvisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rekvisition

    insats = factory.SubFactory(InsatsFactory)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 3, 31)
    amount = Decimal("100000")
    status = Rekvisition.Status.GODKAND


# --- part A: applications
class AnsokningsomgangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ansokningsomgang

    forbund = factory.SubFactory(ForbundFactory)
    title = factory.Sequence(lambda n: f"Ansökningsomgång {n}")
    year = 2027
    deadline = datetime.date(2026, 5, 12)


class AnsokanFactory(factory.django.DjangoModelFactory):
    """A complete application (a draft unless `status` says otherwise), with one goal and
    an amount for 2027; pass `deltagare=[...]` for the second member."""

    class Meta:
        model = Ansokan
        skip_postgeneration_save = True

    forbund = factory.SubFactory(ForbundFactory)
    title = factory.Sequence(lambda n: f"Ansökan {n}")
    agare = factory.SubFactory(MedlemFactory, forbund=factory.SelfAttribute("..forbund"))
    kind = "individ"
    start = datetime.date(2027, 1, 1)
    end = datetime.date(2027, 12, 31)
    description = "Behovet är stort."
    expected_women = 10
    expected_men = 8
    jamstalldhet = "Lika villkor."
    tillganglighet = "Lokaler utan trappor."
    icke_diskriminering = "Alla behandlas lika."
    contact_name = "Kim Kontakt"
    contact_email = "kim@example.org"

    @factory.post_generation
    def deltagare(self, create, extracted, **kwargs):
        if create and extracted:
            self.deltagare.set(extracted)

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        AnsokanBelopp.objects.create(ansokan=self, year=2027, amount=Decimal("500000"))
        AnsokanMal.objects.create(ansokan=self, text="Fler i arbete", target="40 %")
