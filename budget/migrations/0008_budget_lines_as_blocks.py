"""Budgets written before blocks existed get the blocks that print their table as
before (budget.layout.legacy_tree): the samverkan lines under "Samverkansinsatser"."""

from django.db import migrations

from budget.layout import lay_out_flat_budget

def to_blocks(apps, schema_editor):
    Budget = apps.get_model("budget", "Budget")
    Budgetrad = apps.get_model("budget", "Budgetrad")
    for budget in Budget.objects.all():
        lay_out_flat_budget(Budgetrad, budget)


def to_flat(apps, schema_editor):
    Budgetrad = apps.get_model("budget", "Budgetrad")
    Budgetrad.objects.filter(source="insatser", name="Namn på insats").update(
        name="Samverkansinsatser"
    )
    Budgetrad.objects.filter(kind="rad").update(parent=None)
    Budgetrad.objects.filter(kind="block").delete()


class Migration(migrations.Migration):
    dependencies = [("budget", "0007_budget_table_blocks")]

    operations = [migrations.RunPython(to_blocks, to_flat)]
