"""How long the plan's PDF takes: gathering and template, WeasyPrint, the whole task.

Loads the demo förbund under a throw-away slug, adds N generated insatser
granted for the plan's year, makes the year's plan and budget drafts (so that
the budget counts the live grants and the insatser reach the PDF), measures,
and rolls everything back (the PDF files go to a temporary folder that is
removed).
"""

import re
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from budget.forbundsfil import load_forbund_file
from budget.models import Budget, Verksamhetsplan
from budget.plan.content import is_adopted, load_plan, plan_html
from budget.tasks import generate_plan_pdf
from finsam.documents import queue_dokument
from finsam.models import Dokument, Medlem
from finsam.pdf import render_pdf
from insatser.models import Anslag, Insats

DEMO = Path(__file__).resolve().parents[2] / "demo" / "uppsala.yaml"
SLUG = "benchmark-plan"
TARGET = 0.2  # data and template at most a fifth of WeasyPrint's time


class Command(BaseCommand):
    help = (
        "Mäter verksamhetsplanens PDF på demoförbundet med N extra insatser: data och mall, "
        "WeasyPrint och hela uppgiften. Allt rullas tillbaka efteråt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--insatser", type=int, default=200, help="antal extra insatser")
        parser.add_argument("--year", type=int, default=2026, help="planens år i demofilen")
        parser.add_argument("--repeat", type=int, default=3, help="antal mätningar (median)")

    def handle(self, *args, insatser, year, repeat, **options):
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            results = self.measure(insatser, year, max(1, repeat))
            transaction.set_rollback(True)
        self.report(results, insatser, repeat)

    def measure(self, count, year, repeat):
        text = DEMO.read_text(encoding="utf-8")
        text = re.sub(r"^(\s*slug:\s*)uppsala\b", rf"\g<1>{SLUG}", text, count=1, flags=re.M)
        forbund = load_forbund_file(text, replace=True)
        members = list(Medlem.objects.of(forbund))
        created = Insats.objects.bulk_create(
            Insats(
                forbund=forbund,
                name=f"Benchmarkinsats {i + 1}",
                agare=members[i % len(members)],
                kind=Insats.Kind.INDIVID,
                status=Insats.Status.PAGAENDE,
            )
            for i in range(count)
        )
        Anslag.objects.bulk_create(
            Anslag(insats=insats, year=year, amount=Decimal(100_000 + i * 1_000))
            for i, insats in enumerate(created)
        )
        # The demo's plan and budget are adopted, and an adopted budget counts the
        # grants frozen at adoption: the new insatser would never reach the PDF.
        # Measure them as drafts (this copy is rolled back).
        Budget.objects.of(forbund).filter(year=year).update(
            status=Budget.Status.UTKAST, beslut=None, frozen_sources=None
        )
        plans = Verksamhetsplan.objects.of(forbund).filter(year=year)
        plans.update(status=Verksamhetsplan.Status.UTKAST, beslut=None)
        plan_pk = plans.get(version=1).pk

        # One untimed round first: fonts, hyphenation dictionaries and templates load once.
        render_pdf(plan_html(load_plan(forbund, plan_pk)))
        data, weasy, task, queries, size = [], [], [], 0, 0
        for _ in range(repeat):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                plan = load_plan(forbund, plan_pk)
                html = plan_html(plan)
            data.append(time.perf_counter() - start)
            queries = len(captured.captured_queries)

            start = time.perf_counter()
            pdf = render_pdf(html, pdf_a=is_adopted(plan))
            weasy.append(time.perf_counter() - start)
            size = len(pdf)

            Dokument.objects.of(forbund).delete()  # an adopted plan is archived once
            dokument = queue_dokument(
                forbund=forbund,
                kind=Dokument.Kind.VERKSAMHETSPLAN,
                title=f"Verksamhetsplan och budget {year}",
                subject=plan,
                user=None,
                archived=is_adopted(plan),
            )
            start = time.perf_counter()
            generate_plan_pdf(dokument.pk)
            task.append(time.perf_counter() - start)
            dokument.refresh_from_db()
            if dokument.status != Dokument.Status.DONE:
                self.stderr.write(f"Uppgiften misslyckades: {dokument.error}")
        return {
            "data": statistics.median(data),
            "weasy": statistics.median(weasy),
            "task": statistics.median(task),
            "queries": queries,
            "html": len(html),
            "pdf": size,
            "insatser": Insats.objects.of(forbund).count(),
        }

    def report(self, r, count, repeat):
        ratio = r["data"] / r["weasy"]
        verdict = "inom målet" if ratio <= TARGET else "ÖVER MÅLET"
        lines = [
            f"Verksamhetsplan och budget (utkast): demoförbundet + {count} insatser "
            f"({r['insatser']} insatser i budgettabellen), median av {repeat} mätningar "
            "efter en omätt första runda",
            f"  Data och mall (HTML, {r['html'] // 1024} kB, {r['queries']} frågor): "
            f"{r['data'] * 1000:8.0f} ms",
            f"  WeasyPrint (PDF, {r['pdf'] // 1024} kB):             {r['weasy'] * 1000:8.0f} ms",
            f"  Hela uppgiften (generate_plan_pdf):  {r['task'] * 1000:8.0f} ms",
            f"  Data och mall / WeasyPrint: {ratio:.3f} (mål högst {TARGET:.2f}): {verdict}",
        ]
        self.stdout.write("\n".join(lines))
