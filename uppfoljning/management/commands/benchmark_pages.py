"""How fast the main pages are on the current database, against the login page.

Each page is asked for by the Django test client as each role that reads it
(`force_login`, no password check), once untimed, once counted, then N times
timed, taking turns with the login page. The login page's median over the
same time is the yardstick: every main page within 5× it, the kansli start
page within 3×.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from finsam.models import Forbund, Roll
from uppfoljning.pages import KANSLI, main_pages

LOGIN = "/konto/logga-in/"
TARGET = 5.0
START_PAGE_TARGET = 3.0  # the kansli's start page, the page opened most


def target(page, kind):
    return START_PAGE_TARGET if page.path == "" and kind == KANSLI else TARGET


class Command(BaseCommand):
    help = (
        "Mäter huvudsidorna för varje roll på den aktuella databasen: antal frågor, "
        "mediantid och kvot mot inloggningssidan, och om målen nås."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--forbund", help="förbundets kortnamn (standard: det mittersta av de genererade)"
        )
        parser.add_argument("--repeat", type=int, default=20, help="mätningar per sida (median)")
        parser.add_argument(
            "--roll", choices=list(Roll.Kind.values), action="append", help="bara denna roll"
        )
        parser.add_argument(
            "--check", action="store_true", help="avsluta med fel om någon sida missar sitt mål"
        )

    def handle(self, *args, forbund, repeat, check, roll, **options):
        forbund = self.choose(forbund)
        repeat = max(1, repeat)
        # Plain static file URLs: the benchmark needs no collectstatic.
        static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        with override_settings(
            STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                      "staticfiles": static},
            SECURE_SSL_REDIRECT=False,
        ):  # fmt: skip
            self.anonymous = Client()
            login_queries = self.count(self.anonymous, LOGIN)
            login = statistics.median(self.timed(self.anonymous, LOGIN) for _ in range(repeat))
            rows = self.pages(forbund, repeat, roll or list(Roll.Kind.values))
        self.report(forbund, repeat, login_queries, login, rows)
        if check and any(not row["ok"] for row in rows):
            raise CommandError("Minst en sida når inte sitt mål.")

    def choose(self, slug):
        if slug:
            found = Forbund.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"Inget förbund med kortnamnet {slug}.")
            return found
        generated = list(Forbund.objects.filter(slug__startswith="nat").order_by("slug"))
        if generated:
            return generated[len(generated) // 2]
        found = Forbund.objects.filter(roller__kind=KANSLI).order_by("slug").first()
        if found is None:
            raise CommandError("Databasen har inget förbund med kansli; kör national_data.")
        return found

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} svarade {response.status_code}.")

    def count(self, client, url):
        self.get(client, url)  # untimed: caches that live for the process fill here
        queries = []

        def counter(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            self.get(client, url)
        return len(queries)

    def timed(self, client, url):
        start = time.perf_counter()
        self.get(client, url)
        return time.perf_counter() - start

    def measure(self, client, url, repeat):
        """(queries, median, the login page's median meanwhile).

        The page and the login page take turns, so that both meet the same
        load on the machine and the ratio stays fair.
        """
        queries = self.count(client, url)
        times, login = [], []
        for _ in range(repeat):
            times.append(self.timed(client, url))
            login.append(self.timed(self.anonymous, LOGIN))
        return queries, statistics.median(times), statistics.median(login)

    def pages(self, forbund, repeat, kinds):
        rows = []
        roller = Roll.objects.of(forbund).select_related("user", "medlem")
        for kind in Roll.Kind:
            if kind not in kinds:
                continue
            roll = next((r for r in roller if r.kind == kind), None)
            if roll is None:
                continue
            client = Client()
            client.force_login(roll.user)
            for page in main_pages(forbund, agare=roll.medlem):
                if kind not in page.roles:
                    continue
                url = f"/{forbund.slug}/{page.path}"
                queries, median, login = self.measure(client, url, repeat)
                rows.append(
                    {
                        "page": page,
                        "kind": kind,
                        "queries": queries,
                        "median": median,
                        "login": login,
                        "ok": None,
                    }
                )
        return rows

    def report(self, forbund, repeat, login_queries, login, rows):
        out = [
            f"{forbund} ({forbund.slug}), databas {connection.vendor}, "
            f"median av {repeat} anrop per sida.",
            f"Inloggningssidan: {login * 1000:.1f} ms, {login_queries} frågor. Kvoten jämför "
            "varje sida med inloggningssidan, hämtad växelvis med den.",
            "",
            f"{'Sida':<26} {'Roll':<12} {'Frågor':>6} {'Median':>9} {'Kvot':>6} {'Mål':>5}  "
            "Når målet",
        ]
        for row in rows:
            ratio = row["median"] / row["login"]
            goal = target(row["page"], row["kind"])
            row["ok"] = ratio <= goal
            out.append(
                f"{row['page'].name:<26} {row['kind'].label:<12} {row['queries']:>6} "
                f"{row['median'] * 1000:>6.1f} ms {ratio:>5.1f}× {goal:>4.0f}×  "
                f"{'ja' if row['ok'] else 'NEJ'}"
            )
        met = sum(row["ok"] for row in rows)
        out += ["", f"{met} av {len(rows)} sidor når sitt mål."]
        self.stdout.write("\n".join(out))
