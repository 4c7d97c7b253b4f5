from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from budget.forbundsfil import ForbundsfilError, load_forbund_file, summary
from finsam.accounts.invitations import invite
from finsam.models import Roll


class Command(BaseCommand):
    help = (
        "Läser in ett förbund från en förbundsfil (YAML), se docs/forbundsfil.md; "
        "med --kansli får förbundets första kanslianvändare en inbjudan per e-post."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="förbundsfilen, t.ex. budget/demo/uppsala.yaml")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "ersätt ett förbund med samma slug: dess innehåll raderas och läses in från "
                "filen, men konton och roller behålls"
            ),
        )
        parser.add_argument(
            "--kansli",
            metavar="E-POST",
            help="bjud in förbundets första kanslianvändare (får en länk för att välja lösenord)",
        )
        parser.add_argument("--fornamn", default="", help="kanslianvändarens förnamn")
        parser.add_argument("--efternamn", default="", help="kanslianvändarens efternamn")
        parser.add_argument(
            "--url",
            default="",
            help="systemets adress i inbjudans länk (standard: inställningen SITE_URL)",
        )

    def handle(self, *args, fil, replace, kansli, fornamn, efternamn, url, **options):
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {fil}")
        base_url = url or settings.SITE_URL
        if kansli:
            try:
                validate_email(kansli)
            except ValidationError:
                raise CommandError(f"--kansli: {kansli!r} är ingen e-postadress") from None
            if not base_url:
                raise CommandError(
                    "--kansli: inbjudans länk behöver systemets adress; ange --url "
                    "https://… eller sätt SITE_URL"
                )
        report = []
        try:
            with transaction.atomic():
                forbund = load_forbund_file(path, replace=replace, report=report)
                if kansli:
                    roll = invite(
                        forbund=forbund,
                        by=None,
                        first_name=fornamn,
                        last_name=efternamn,
                        email=kansli,
                        kind=Roll.Kind.KANSLI,
                        base_url=base_url,
                    )
        except ForbundsfilError as error:
            count = len(error.errors)
            raise CommandError(
                f"{fil} lästes inte in ({count} fel, ingenting sparades):\n" + str(error)
            ) from None
        except ValidationError as error:
            raise CommandError(
                f"--kansli: {' '.join(error.messages)} (ingenting sparades)"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Inläst: {summary(forbund)}"))
        if replace:
            kept = Roll.objects.filter(forbund=forbund).count()
            self.stdout.write(f"Konton med roll i förbundet: {kept} (behålls vid --replace).")
        if kansli:
            self.stdout.write(
                f"Inbjudan skickad till {roll.user.email} (kansli): länken i mejlet leder till "
                "sidan där lösenordet väljs."
            )
        if report:
            self.stdout.write(self.style.WARNING(f"Att se över ({len(report)}):"))
            for line in report:
                self.stdout.write(f"  {line}")
