from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.forbundsfil import ForbundsfilError, load_forbund_file, summary


class Command(BaseCommand):
    help = "Läser in ett förbund från en förbundsfil (YAML), se docs/forbundsfil.md."

    def add_arguments(self, parser):
        parser.add_argument("fil", help="förbundsfilen, t.ex. budget/demo/uppsala.yaml")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ersätt ett förbund med samma slug (allt i det raderas först)",
        )

    def handle(self, *args, fil, replace, **options):
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {fil}")
        try:
            forbund = load_forbund_file(path, replace=replace)
        except ForbundsfilError as error:
            count = len(error.errors)
            raise CommandError(
                f"{fil} lästes inte in ({count} fel, ingenting sparades):\n" + str(error)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Inläst: {summary(forbund)}"))
