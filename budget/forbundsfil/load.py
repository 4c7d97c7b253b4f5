"""Writing a parsed förbund file to the database: all of it, or nothing."""

from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from budget.models import (
    Arshjulspost,
    Avsnitt,
    Budget,
    Budgetrad,
    Mal,
    Medlemsavgift,
    Resultatmal,
    Risk,
    Verksamhetsplan,
)
from budget.plan.outline import default_title
from finsam.minutes.frozen import purge_meetings_of
from finsam.models import (
    Arende,
    Beslut,
    Forbund,
    Ledamot,
    Malgrupp,
    Medlem,
    Roll,
    Sammantrade,
    audit_purge_allowed,
)
from insatser.models import Anslag, Ansokan, Insats

from . import values as v
from .checks import warnings as file_warnings
from .schema import ForbundsfilError, as_tree, read


def load_forbund_file(source, *, replace=False, report=None):
    """Load a förbund file (a path, or the YAML text itself) and return the Forbund.

    Raises ForbundsfilError with every fault found; then nothing is written.
    A förbund with the file's slug is refused, unless `replace`: then it is
    deleted with everything in it, and the file loaded in its place — but its
    people keep their access: every role (an insatsägare's by its member's
    name) and every board seat's login come back on the new rows, or the load
    is refused with the roles that would be lost.

    `report`, a list, receives the warnings (checks.py) of a file that loaded.
    """
    data, errors = read(_text(source))
    slug = data and data["forbund"] and data["forbund"]["slug"]
    existing = Forbund.objects.filter(slug=slug).first() if slug else None
    if existing and not replace:
        errors.append(
            f"forbund.slug: förbundet {slug!r} finns redan"
            " (ladda med --replace för att ersätta det)"
        )
    if errors:
        raise ForbundsfilError(errors)
    with transaction.atomic():
        access = _Access(existing) if existing else None
        if existing:
            delete_forbund(existing)
        writer = _Writer()
        forbund = writer.write(data)
        if access and not writer.errors:
            writer.errors.extend(access.restore(forbund))
        if writer.errors:
            raise ForbundsfilError(writer.errors)  # rolls the transaction back
    if report is not None:
        report.extend(file_warnings(data))
        if access:
            report.extend(access.notes)
    return forbund


class _Access:
    """Who may sign in to a förbund about to be replaced, to give back to the new rows."""

    def __init__(self, forbund):
        self.roles = list(
            Roll.objects.filter(forbund=forbund).select_related("user", "medlem").order_by("pk")
        )
        self.seats = list(
            Ledamot.objects.of(forbund)
            .filter(user__isnull=False)
            .select_related("user", "medlem")
            .order_by("pk")
        )
        self.notes = []

    def restore(self, forbund):
        """Recreate the roles and seat logins; the errors for roles that have no place."""
        errors = []
        medlemmar = {m.name: m for m in Medlem.objects.of(forbund)}
        for roll in self.roles:
            medlem = None
            if roll.medlem_id:
                medlem = medlemmar.get(roll.medlem.name)
                if medlem is None:
                    errors.append(
                        f"medlemmar: {v.quoted(roll.medlem.name)} finns inte i filen, men "
                        f"{roll.user} är insatsägare för den; lägg tillbaka medlemmen i filen "
                        "eller ta bort rollen under Konton först (ingenting ändrades)"
                    )
                    continue
            Roll.objects.create(user=roll.user, forbund=forbund, kind=roll.kind, medlem=medlem)
        for seat in self.seats:
            new = (
                Ledamot.objects.of(forbund)
                .filter(
                    medlem__name=seat.medlem.name,
                    name=seat.name,
                    kind=seat.kind,
                    mandate_start=seat.mandate_start,
                    user__isnull=True,
                )
                .first()
            )
            if new is None:
                self.notes.append(
                    f"ledamoter: {seat.name} ({seat.medlem.name}) finns inte längre i filen; "
                    f"inloggningen {seat.user} är inte längre kopplad till någon plats i styrelsen"
                )
                continue
            new.user = seat.user
            new.email = new.email or seat.email
            new.save(update_fields=["user", "email"])
        return errors


def _text(source):
    if isinstance(source, Path) or ("\n" not in source and _is_file(source)):
        return Path(source).read_text(encoding="utf-8")
    return source


def _is_file(name):
    try:
        return Path(name).is_file()
    except OSError:  # e.g. a name too long to be a path
        return False


def delete_forbund(forbund):
    """Delete a förbund and everything in it.

    Some rows protect what they point at (an insats its owner, a grant, a
    budget or a plan its decision), so a plain cascade from the förbund stops;
    those go first, and the decisions go with the förbund. Its audit trail
    goes too: the only deletion of audit events there is (the caller holds
    the transaction).
    """
    Budget.objects.filter(forbund=forbund).delete()
    Verksamhetsplan.objects.filter(forbund=forbund).delete()
    Insats.objects.filter(forbund=forbund).delete()
    Ansokan.objects.filter(forbund=forbund).delete()
    purge_meetings_of(forbund)  # attendance, jäv and signatures protect the board's seats
    with audit_purge_allowed():
        forbund.delete()


class _Writer:
    """Creates the rows of a parsed file, each checked with full_clean() first."""

    def __init__(self):
        self.errors = []
        self.medlemmar = {}
        self.malgrupper = {}
        self.beslut = {}  # (year, date, text, diarienummer): the decision adopting a budget/plan

    def save(self, obj, path, *, single_value=False):
        """Check and save one row; False (and the errors noted) if it is refused."""
        try:
            obj.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                place = path if single_value or field == NON_FIELD_ERRORS else f"{path}.{field}"
                self.errors.extend(f"{place}: {message}" for message in messages)
            return False
        obj.save()
        return True

    def write(self, data):
        forbund = Forbund(**data["forbund"])
        if not self.save(forbund, "forbund"):
            return forbund
        self.write_medlemmar(forbund, data["medlemmar"])
        self.write_malgrupper(forbund, data["malgrupper"])
        self.write_ledamoter(data["ledamoter"])
        self.write_sammantraden(forbund, data["sammantraden"])
        self.write_verksamhetsplaner(forbund, data["verksamhetsplaner"])
        self.write_insatser(forbund, data["insatser"])
        self.write_budgetar(forbund, data["budgetar"])
        return forbund

    def write_medlemmar(self, forbund, items):
        for i, item in enumerate(items):
            path = f"medlemmar[{i}]"
            fields = {k: item[k] for k in ("name", "short_name", "kind", "key_share")}
            medlem = Medlem(forbund=forbund, order=i, **fields)
            if not self.save(medlem, path):
                continue
            self.medlemmar[medlem.name] = medlem
            for year, amount in item["avgifter"].items():
                avgift = Medlemsavgift(medlem=medlem, year=year, amount=amount)
                self.save(avgift, f"{path}.avgifter.{year}", single_value=True)

    def write_malgrupper(self, forbund, items):
        for i, item in enumerate(items):
            malgrupp = Malgrupp(forbund=forbund, order=i, **item)
            if self.save(malgrupp, f"malgrupper[{i}]"):
                self.malgrupper[malgrupp.name] = malgrupp

    def write_ledamoter(self, items):
        for i, item in enumerate(items):
            medlem = self.medlemmar.get(item["medlem"])
            if medlem:
                self.save(Ledamot(**{**item, "medlem": medlem}), f"ledamoter[{i}]")

    def write_sammantraden(self, forbund, items):
        for i, item in enumerate(items):
            path = f"sammantraden[{i}]"
            fields = {k: val for k, val in item.items() if k not in ("arenden", "status")}
            # Signed minutes freeze their meeting: the items come first, the status last.
            sammantrade = Sammantrade(forbund=forbund, **fields)
            if not self.save(sammantrade, path):
                continue
            for j, arende_item in enumerate(item["arenden"]):
                fields = {k: val for k, val in arende_item.items() if k != "beslut"}
                arende = Arende(sammantrade=sammantrade, **fields)
                if self.save(arende, f"{path}.arenden[{j}]") and arende_item["beslut"]:
                    beslut = Beslut(
                        forbund=forbund,
                        arende=arende,
                        date=sammantrade.date,
                        text=arende_item["beslut"],
                    )
                    self.save(beslut, f"{path}.arenden[{j}].beslut", single_value=True)
            status = item.get("status", sammantrade.status)
            if status != sammantrade.status:
                sammantrade.status = status
                sammantrade.save(update_fields=["status"])

    def write_verksamhetsplaner(self, forbund, items):
        for i, item in enumerate(items):
            path = f"verksamhetsplaner[{i}]"
            plan = Verksamhetsplan(
                forbund=forbund,
                year=item["year"],
                version=item["version"],
                status=item["status"],
                beslut=self.adopting_beslut(forbund, item, path),
                arshjul_noter=item["arshjul_noter"],
            )
            if not self.save(plan, path):
                continue
            self.write_outline(plan, item, path)
            for j, post in enumerate(item["arshjul"]):
                first, last = post["months"]
                self.save(
                    Arshjulspost(
                        plan=plan, month=first, end_month=last, text=post["text"], order=j
                    ),
                    f"{path}.arshjul[{j}]",
                )
            for j, fields in enumerate(item["risker"]):
                self.save(Risk(plan=plan, order=j, **fields), f"{path}.risker[{j}]")
            for j, mal_item in enumerate(item["mal"]):
                fields = {k: val for k, val in mal_item.items() if k != "resultatmal"}
                mal = Mal(plan=plan, **fields)
                if not self.save(mal, f"{path}.mal[{j}]"):
                    continue
                for k, fields in enumerate(mal_item["resultatmal"]):
                    self.save(Resultatmal(mal=mal, **fields), f"{path}.mal[{j}].resultatmal[{k}]")

    def write_outline(self, plan, item, path):
        """The sections in the outline's order, each of its kind; a bare system chapter
        gets a row of its own with the standard heading."""
        sections = {fields["key"]: (j, fields) for j, fields in enumerate(item["avsnitt"])}
        taken = set(sections)
        for order, entry in enumerate(item["disposition"]):
            kind = entry["del"] or Avsnitt.Kind.TEXT
            if entry["avsnitt"]:
                j, fields = sections[entry["avsnitt"]]
                avsnitt, place = Avsnitt(plan=plan, order=order, kind=kind, **fields), j
                self.save(avsnitt, f"{path}.avsnitt[{place}]")
                continue
            key, n = kind, 2
            while key in taken:
                key, n = f"{kind}-{n}", n + 1
            taken.add(key)
            avsnitt = Avsnitt(
                plan=plan, order=order, kind=kind, key=key, title=default_title(kind, plan.year)
            )
            self.save(avsnitt, f"{path}.disposition[{order}]")

    def adopting_beslut(self, forbund, item, path):
        """The board decision that adopted a budget or plan, or None.

        A plan and a budget of the same year with the same decision share one
        Beslut: the board adopts "verksamhetsplan och budget" in one decision.
        """
        fields = item["beslut"]
        if not fields:
            return None
        key = (item["year"], fields["date"], fields["text"], fields["diarienummer"])
        if key not in self.beslut:
            beslut = Beslut(forbund=forbund, **fields)
            if not self.save(beslut, f"{path}.beslut"):
                return None
            self.beslut[key] = beslut
        return self.beslut[key]

    def write_insatser(self, forbund, items):
        for i, item in enumerate(items):
            path = f"insatser[{i}]"
            agare = self.medlemmar.get(item["agare"])
            if agare is None:
                continue
            fields = {k: val for k, val in item.items() if k not in ("deltagare", "anslag")}
            fields.update(agare=agare, malgrupp=self.malgrupper.get(item["malgrupp"]))
            insats = Insats(forbund=forbund, **fields)
            if not self.save(insats, path):
                continue
            insats.deltagare.set(
                [self.medlemmar[n] for n in item["deltagare"] if n in self.medlemmar]
            )
            for year, amount in item["anslag"].items():
                anslag = Anslag(insats=insats, year=year, amount=amount)
                self.save(anslag, f"{path}.anslag.{year}", single_value=True)

    def write_budgetar(self, forbund, items):
        for i, item in enumerate(items):
            path = f"budgetar[{i}]"
            skip = ("rader", "beslut", "cost_sign", "closing")
            fields = {k: val for k, val in item.items() if k not in skip}
            beslut = self.adopting_beslut(forbund, item, path)
            budget = Budget(
                forbund=forbund,
                beslut=beslut,
                costs_negative=item["cost_sign"] == "minus",
                closing=_closing(item["closing"]),
                **fields,
            )
            if not self.save(budget, path):
                continue
            rader = as_tree(item["rader"])
            self.write_budget_lines(budget, rader, f"{path}.rader", None, [0])
            if budget.is_frozen:
                # An adopted budget keeps the contributions and grants the file gives it.
                budget.frozen_sources = budget.current_sources()
                budget.save(update_fields=["frozen_sources"])

    def write_budget_lines(self, budget, items, path, parent, counter):
        """The lines and blocks in print order (`order` counts through the tree)."""
        for j, item in enumerate(items):
            place = f"{path}[{j}]"
            counter[0] += 1
            if "rader" in item:
                rad = Budgetrad(
                    budget=budget,
                    parent=parent,
                    kind=Budgetrad.Kind.BLOCK,
                    group=item["group"],
                    name=item["block"],
                    sum_label=item["sum_label"],
                    total_on_heading=item["total_on_heading"],
                    published=item["published"],
                    order=counter[0],
                )
                if self.save(rad, place):
                    self.write_budget_lines(budget, item["rader"], f"{place}.rader", rad, counter)
                continue
            fields = {k: val for k, val in item.items() if k != "owner_column"}
            rad = Budgetrad(
                budget=budget,
                parent=parent,
                show_owner=item["owner_column"],
                order=counter[0],
                **fields,
            )
            self.save(rad, place)


def _closing(items):
    """The file's closing lines as Budget.closing (amounts as text), or None: the default."""
    if items is None:
        return None
    return [
        {
            "line": x["line"],
            "label": x["label"],
            "published": None if x["published"] is None else str(x["published"]),
        }
        for x in items
    ]


def summary(forbund):
    """One Swedish line of what a förbund holds, for the commands' output."""
    sammantraden = Sammantrade.objects.of(forbund)
    counts = [
        (Medlem.objects.of(forbund).count(), "medlem", "medlemmar"),
        (Ledamot.objects.of(forbund).count(), "ledamot", "ledamöter"),
        (Malgrupp.objects.of(forbund).count(), "målgrupp", "målgrupper"),
        (sammantraden.count(), "sammanträde", "sammanträden"),
        (Arende.objects.of(forbund).count(), "ärende", "ärenden"),
        (Beslut.objects.of(forbund).count(), "beslut", "beslut"),
        (Verksamhetsplan.objects.of(forbund).count(), "verksamhetsplan", "verksamhetsplaner"),
        (Insats.objects.of(forbund).count(), "insats", "insatser"),
        (Budget.objects.of(forbund).count(), "budget", "budgetar"),
    ]
    parts = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
    return f"{forbund.name} ({forbund.slug}): {parts}."
