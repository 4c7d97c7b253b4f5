"""The layout of a budget written before blocks existed, as blocks.

A budget used to be a flat list of lines; the builder then put the lines of the
groups insatser, övriga samverkansinsatser and ej beslutade insatser under a
fixed "Samverkansinsatser" heading. `legacy_tree` turns such a list into the
blocks that print exactly that table, so that the builder follows the tree
only. The förbund file's loader uses it for a file without blocks, and a data
migration for the budgets in the database. Plain dicts in, plain dicts out (the
file's shape: a block is a dict with "rader"); no models, so a migration can
import it.
"""

INSATSER = "insatser"
OVRIGA = "ovriga_samverkansinsatser"
EJ_BESLUTADE = "ej_beslutade"
SAMVERKAN_GROUPS = (INSATSER, OVRIGA, EJ_BESLUTADE)

SAMVERKAN_HEADING = "Samverkansinsatser"
GRANTS_HEADING = "Namn på insats"
INSATSER_SUM = "S:a samverkansinsatser"
OVRIGA_HEADING = "Övriga samverkansinsatser"
OVRIGA_SUM = "S:a övr samverkansinsatser"


def block(heading, group, rader, *, sum_label="", total_on_heading=False):
    return {
        "block": heading,
        "group": group,
        "sum_label": sum_label,
        "total_on_heading": total_on_heading,
        "rader": rader,
    }


def legacy_tree(lines):
    """The flat `lines` (dicts with at least group and source) as a tree that prints
    as the fixed layout did: the samverkan lines in one block at the place of the
    first of them; in it the grants and the typed insatser lines under
    "S:a samverkansinsatser", the övriga in a block of their own, the ej beslutade
    last. The `source: insatser` line is named for the column heading it prints."""
    samverkan = [x for x in lines if x["group"] in SAMVERKAN_GROUPS]
    if not samverkan:
        return list(lines)
    grants = [dict(x, name=GRANTS_HEADING) for x in samverkan if x.get("source") == INSATSER]
    insatser = [x for x in samverkan if x["group"] == INSATSER and x.get("source") != INSATSER]
    ovriga = [x for x in samverkan if x["group"] == OVRIGA]
    ej_beslutade = [x for x in samverkan if x["group"] == EJ_BESLUTADE]
    inner = []
    if grants or insatser:
        inner.append(block("", INSATSER, grants + insatser, sum_label=INSATSER_SUM))
    if ovriga:
        inner.append(block(OVRIGA_HEADING, OVRIGA, ovriga, sum_label=OVRIGA_SUM))
    outer = block(SAMVERKAN_HEADING, INSATSER, inner + ej_beslutade, total_on_heading=True)
    tree, placed = [], False
    for line in lines:
        if line["group"] not in SAMVERKAN_GROUPS:
            tree.append(line)
        elif not placed:
            tree.append(outer)
            placed = True
    return tree


def is_tree(lines):
    """Whether a list of lines holds any block (then it is laid out as written)."""
    return any("rader" in x for x in lines)


def flatten(tree):
    """[(index of its block in the list or None, item without "rader")] in print order:
    the rows to write, each block before what it holds."""
    out = []

    def walk(items, parent):
        for item in items:
            out.append((parent, {k: v for k, v in item.items() if k != "rader"}))
            if "rader" in item:
                walk(item["rader"], len(out) - 1)

    walk(tree, None)
    return out


LINE_FIELDS = ("group", "name", "source", "amount", "outcome", "forecast")


def lay_out_flat_budget(budgetrad_model, budget):
    """Give a budget in the database that has no blocks the blocks of `legacy_tree`.

    `budgetrad_model` is the Budgetrad model (a migration passes its historical
    one). A budget with blocks, or without samverkan lines, is left as it is.
    Returns whether anything changed.
    """
    lines = list(budgetrad_model.objects.filter(budget=budget).order_by("order", "pk"))
    if any(r.kind == "block" for r in lines):
        return False
    items = [{"pk": r.pk, **{f: getattr(r, f) for f in LINE_FIELDS}} for r in lines]
    tree = legacy_tree(items)
    if not is_tree(tree):
        return False
    made = []
    for order, (parent, item) in enumerate(flatten(tree)):
        parent_row = made[parent] if parent is not None else None
        if "pk" in item:
            row = next(r for r in lines if r.pk == item["pk"])
            row.name, row.parent, row.order = item["name"], parent_row, order
            row.save(update_fields=["name", "parent", "order"])
        else:
            row = budgetrad_model.objects.create(
                budget=budget,
                kind="block",
                parent=parent_row,
                group=item["group"],
                name=item["block"],
                sum_label=item["sum_label"],
                total_on_heading=item["total_on_heading"],
                order=order,
            )
        made.append(row)
    return True
