"""Fill the database with förbund at national scale, for the page benchmark."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from finsam.models import Forbund, Handelse
from insatser.models import Insats
from uppfoljning.national import PASSWORD, build


class Command(BaseCommand):
    help = (
        "Bygger förbund i nationell skala (standard 80 förbund × 10 år) med rader av alla "
        "slag. Samma frö ger samma data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forbund", type=int, default=80, help="antal förbund")
        parser.add_argument("--years", type=int, default=10, help="antal år, till och med nästa")
        parser.add_argument("--seed", type=int, default=1, help="frö för slumptalen")
        parser.add_argument("--prefix", default="nat", help="början på förbundens kortnamn")

    def handle(self, *args, forbund, years, seed, prefix, **options):
        if not 1 <= forbund <= 99 or not 1 <= years <= 30:
            raise CommandError("Ange 1–99 förbund och 1–30 år.")
        start = time.perf_counter()
        try:
            with transaction.atomic():
                built = build(
                    forbund_count=forbund, years=years, seed=seed, prefix=prefix, stdout=self.stdout
                )
        except ValueError as error:
            raise CommandError(str(error)) from error
        ids = [f.pk for f in built]
        self.stdout.write(
            f"{len(built)} förbund × {years} år på {time.perf_counter() - start:.0f} s: "
            f"{Insats.objects.filter(forbund__in=ids).count()} insatser, "
            f"{Handelse.objects.filter(forbund__in=ids).count()} händelser. "
            f"Användare: {prefix}01-kansli, {prefix}01-styrelse, {prefix}01-revisor, "
            f"{prefix}01-insatsagare … (lösenord {PASSWORD})."
        )
        self.stdout.write(f"Förbund i databasen: {Forbund.objects.count()}.")
