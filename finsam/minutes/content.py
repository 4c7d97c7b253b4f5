"""What the minutes say: attendance, and per item its quorum, jäv and decision.

The same context renders the PDF (templates/print/protokoll.html) and the
minutes page. The archive copy adds the signatures it was signed with.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from finsam.agenda import subjects_for
from finsam.meetings import workflow as meeting
from finsam.models import Arende, Jav, Ledamot, Narvaro


def attendance(sammantrade):
    rows = list(
        Narvaro.objects.filter(sammantrade=sammantrade).select_related(
            "ledamot__medlem", "serving_for"
        )
    )
    return {
        "ordinarie": [r for r in rows if r.present and r.ledamot.kind == Ledamot.Kind.ORDINARIE],
        "tjanstgorande": [r for r in rows if r.present and r.serving_for_id],
        "ersattare": [
            r
            for r in rows
            if r.present and r.ledamot.kind == Ledamot.Kind.ERSATTARE and not r.serving_for_id
        ],
        "franvarande": [r for r in rows if not r.present],
    }


def items(sammantrade):
    arenden = list(
        sammantrade.arenden.select_related("beslut")
        .prefetch_related("beslut__belopp")
        .order_by("number")
    )
    jav = {}
    for row in Jav.objects.filter(arende__in=arenden).select_related("ledamot"):
        jav.setdefault(row.arende_id, []).append(row)
    subjects = subjects_for(arenden)
    board = meeting.attendance(sammantrade)

    def decides(arende):
        return arende.kind == Arende.Kind.BESLUT

    result = []
    for arende in arenden:
        beslut = arende.beslut_or_none
        result.append(
            {
                "arende": arende,
                "paragraf": arende.paragraf or arende.number,
                "subject": subjects.get(arende.pk),
                "jav": jav.get(arende.pk, []),
                "quorum": (
                    meeting.quorum(arende, board=board)
                    if arende.kind == Arende.Kind.BESLUT
                    else None
                ),
                "beslut": beslut,
                "belopp": list(beslut.belopp.all()) if beslut else [],
            }
        )
    return result


def minutes_context(sammantrade, protokoll, *, archived=False):
    listed = items(sammantrade)
    return {
        "forbund": sammantrade.forbund,
        "sammantrade": sammantrade,
        "protokoll": protokoll,
        "title": f"Protokoll {sammantrade.date:%Y-%m-%d}",
        "narvaro": attendance(sammantrade),
        "ovriga": [line for line in protokoll.ovriga_narvarande.splitlines() if line.strip()],
        "items": listed,
        "delegation_item": any(i["arende"].standing == "delegation" for i in listed),
        "delegationsbeslut": list(
            sammantrade.anmalda_delegationsbeslut.prefetch_related("belopp").order_by("date")
        ),
        "justerare": list(protokoll.justerare.all()),
        "signaturer": list(protokoll.signaturer.select_related("ledamot")) if archived else [],
        "archived": archived,
        "generated_on": timezone.localdate(),
    }


def minutes_html(sammantrade, protokoll, *, archived=False):
    context = minutes_context(sammantrade, protokoll, archived=archived)
    return render_to_string("print/protokoll.html", context)
