"""Load the two demo förbund and give every role a user to log in with.

It lives in the top app (uppfoljning) because it loads every app's part, the
follow-up's last.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

import budget
from budget.forbundsfil import load_forbund_file, summary
from finsam.meetings import demo as meetings_demo
from finsam.minutes import demo as minutes_demo
from finsam.models import Ledamot, Medlem, Roll, User
from insatser import agenda_demo, demo_decisions
from insatser.ansokan import demo as ansokan_demo
from uppfoljning import demo as uppfoljning_demo

DEMO_DIR = Path(budget.__file__).resolve().parent / "demo"

# username, first name, last name, förbund, role, member (for an insatsägare), what it is
USERS = [
    ("kansli", "Karin", "Kansli", "uppsala", Roll.Kind.KANSLI, None, "Kansli"),
    ("styrelse", "", "", "uppsala", Roll.Kind.STYRELSE, None, "Styrelse (ordförande)"),
    ("heby", "Hanna", "Holm", "uppsala", Roll.Kind.INSATSAGARE, "Heby kommun", "Insatsägare, Heby"),
    ("revisor", "Rolf", "Revisor", "uppsala", Roll.Kind.REVISOR, None, "Revisor"),
    ("norrbacka", "Nora", "Norrbacka", "norrbacka", Roll.Kind.KANSLI, None, "Kansli"),
]


class Command(BaseCommand):
    help = "Läser in demoförbunden (Uppsala län och Norrbacka) och skapar demoanvändare."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default="demo1234", help="lösenord för alla demoanvändare"
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="serverns adress")

    def handle(self, *args, password, url, **options):
        # Tasks queued by the demo (letters, notices) run at the commit and may print their
        # mail to the console: the login table comes after them, last on the screen.
        with transaction.atomic():
            rows = self._load(password, url)
        self._table(rows, password)

    def _load(self, password, url):
        forbund = {}
        for name in ("uppsala.yaml", "norrbacka.yaml"):
            loaded = load_forbund_file(DEMO_DIR / name, replace=True)
            forbund[loaded.slug] = loaded
            self.stdout.write(f"Inläst: {summary(loaded)}")

        rows = []
        for username, first, last, slug, kind, medlem_name, label in USERS:
            chair = None
            if kind == Roll.Kind.STYRELSE:
                chair = Ledamot.objects.of(forbund[slug]).get(
                    chair_role=Ledamot.ChairRole.ORDFORANDE
                )
                first, _, last = chair.name.partition(" ")
            user = _user(username, first, last, password)
            medlem = Medlem.objects.of(forbund[slug]).get(name=medlem_name) if medlem_name else None
            Roll.objects.update_or_create(
                user=user, forbund=forbund[slug], defaults={"kind": kind, "medlem": medlem}
            )
            if chair:
                chair.user = user
                chair.email = chair.email or user.email  # the notice is mailed to the seat
                chair.save(update_fields=["user", "email"])
            rows.append((f"{label} – {forbund[slug].name}", username, f"{url}/{slug}/"))

        ansokan_demo.run(forbund, self.stdout)  # part A: applications for 2027
        meetings_demo.load(forbund["uppsala"], applications=agenda_demo.place)  # part B
        decided = demo_decisions.decided_applications
        rows += minutes_demo.run(forbund["uppsala"], password=password, url=url, add_items=decided)
        uppfoljning_demo.run(forbund, self.stdout)  # reports, claims and activities of 2026

        _user("admin", "Admin", "Plattform", password, staff=True)
        rows.append(("Plattformsadministratör (Django admin)", "admin", f"{url}/admin/"))
        return rows

    def _table(self, rows, password):
        lines = [("Roll", "Användarnamn", "Lösenord", "Adress")]
        lines += [(role, username, password, link) for role, username, link in rows]
        widths = [max(len(line[i]) for line in lines) for i in range(4)]
        lines.insert(1, tuple("-" * width for width in widths))
        self.stdout.write("")
        for line in lines:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=True)]
            self.stdout.write("  ".join(cells).rstrip())


def _user(username, first, last, password, staff=False):
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.email = f"{username}@example.org"
    user.is_staff = user.is_superuser = staff
    user.is_active = True
    user.set_password(password)
    user.save()
    return user
