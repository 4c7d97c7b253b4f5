"""Adopted budgets keep the insatser's and owners' names with their amounts.

Budgets adopted before the names were kept get the names the insatser have
now: the nearest there is to the names they were adopted with.
"""

from django.db import migrations


def keep_names(apps, schema_editor):
    Budget = apps.get_model("budget", "Budget")
    Insats = apps.get_model("insatser", "Insats")
    for budget in Budget.objects.exclude(frozen_sources=None):
        sources = budget.frozen_sources
        if "namn" in sources:
            continue
        pks = [int(pk) for pk in sources.get("anslag", {})]
        insatser = Insats.objects.filter(pk__in=pks).select_related("agare")
        sources["namn"] = {
            str(i.pk): {"insats": i.name, "agare": i.agare.short_name or i.agare.name}
            for i in insatser
        }
        budget.frozen_sources = sources
        budget.save(update_fields=["frozen_sources"])


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0004_add_revision_to_budget_and_plan"),
        ("insatser", "0001_initial"),
    ]

    operations = [migrations.RunPython(keep_names, migrations.RunPython.noop)]
