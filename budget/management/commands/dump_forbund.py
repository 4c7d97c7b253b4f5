from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.forbundsfil import dump_forbund
from finsam.models import Forbund


class Command(BaseCommand):
    help = "Skriver ut ett förbund som förbundsfil (YAML), se docs/forbundsfil.md."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="förbundets slug, t.ex. uppsala")
        parser.add_argument("-o", "--output", help="filen att skriva till (annars skärmen)")

    def handle(self, *args, slug, output, **options):
        forbund = Forbund.objects.filter(slug=slug).first()
        if forbund is None:
            raise CommandError(f"Det finns inget förbund med slug {slug!r}.")
        text = dump_forbund(forbund)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Skrev {forbund.name} till {output}."))
        else:
            self.stdout.write(text, ending="")
