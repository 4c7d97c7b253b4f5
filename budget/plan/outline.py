"""The plan's own outline: its chapters in order, as the plan's Avsnitt rows hold them.

Each row is a text section (kind "text") or a chapter the system fills
(members, board, target groups, goals, annual cycle, risks, budget table):
its heading and the kansli's text, then what the system knows. Every
chapter can stand anywhere, be left out, or be followed by more text; the
order is the rows' `order`, copied to next year's plan with the rows.

`chapters()` turns the rows into what the page and the PDF print.
`inferred_outline()` is the one place that still reads keys: a förbund file
(or a plan from before the outline was data) that names no outline gets the
order the system used before, from its sections' keys.
"""

from dataclasses import dataclass

from ..models import Avsnitt
from .markdown import render

Kind = Avsnitt.Kind

# The heading of a system chapter that the file or the kansli adds without a title of its own.
DEFAULT_TITLES = {
    Kind.MEDLEMMAR: "Medlemmar",
    Kind.STYRELSEN: "Styrelsen",
    Kind.MALGRUPPER: "Målgrupper",
    Kind.MAL: "Mål och resultatmål {year}",
    Kind.ARSHJUL: "Årets process",
    Kind.RISKER: "Internkontroll och riskanalys",
    Kind.BUDGET: "Ekonomisk information",
}

SYSTEM_KINDS = [k.value for k in DEFAULT_TITLES]


def default_title(kind, year):
    return DEFAULT_TITLES[kind].format(year=year)


@dataclass
class Chapter:
    """A chapter of the plan: a text section, or a chapter the system fills, with its text."""

    anchor: str
    title: str
    avsnitt: Avsnitt
    html: str = ""
    toc: tuple = ()  # (anchor, title) of the text's level-2 headings
    block: str = ""
    empty: bool = False  # nothing to print: left out of the PDF, flagged on the page


def standard_chapters(plan):
    """The outline of a plan that has none at all (made outside the plan pages, e.g. in the
    admin): the chapters the system fills, in the standard order, not saved."""
    return [
        Avsnitt(plan=plan, key=kind, kind=kind, title=default_title(kind, plan.year))
        for kind in SYSTEM_KINDS
    ]


def chapters(sections, filled=None):
    """The plan's chapters from its outline rows, in order.

    `filled` says, per system chapter, whether the system has anything to
    print in it; a chapter with no text and nothing filled in is `empty`.
    """
    filled = filled or {}
    result = []
    for avsnitt in sections:
        anchor = f"avsnitt-{avsnitt.key}"
        rendered = render(avsnitt.body, anchor=anchor)
        block = avsnitt.kind if avsnitt.is_system else ""
        has_block = bool(block) and filled.get(block, True)
        result.append(
            Chapter(
                anchor=anchor,
                title=avsnitt.title,
                avsnitt=avsnitt,
                html=rendered.html,
                toc=rendered.headings,
                block=block if has_block else "",
                empty=not rendered.html and not has_block,
            )
        )
    return result


# What the system did before the outline was data: a block prints at the end
# of the first section whose key starts with one of its prefixes, or, if none,
# as a chapter of its own before the first section that comes after it here.
_LEGACY = [
    ("text", "inledning", None),
    ("text", "bakgrund", None),
    ("text", "finsam", None),
    ("text", "samordningsforbundet", None),
    ("text", "forbundet", None),
    ("text", "medlemmar", "medlemmar"),
    ("block", "medlemmar", None),
    ("text", "styrelsens-uppdrag", None),
    ("text", "styrelsen", "styrelsen"),
    ("block", "styrelsen", None),
    ("text", "organisation", None),
    ("text", "verksamhet", None),
    ("text", "kansli", None),
    ("text", "inriktning", None),
    ("text", "malgrupper", "malgrupper"),
    ("block", "malgrupper", None),
    ("text", "mal-och-uppfoljning", "mal"),
    ("text", "mal", "mal"),
    ("block", "mal", None),
    ("text", "uppfoljning", None),
    ("text", "stod", None),
    ("text", "kompetens", None),
    ("text", "arsprocess", "arshjul"),
    ("text", "arshjul", "arshjul"),
    ("block", "arshjul", None),
    ("text", "riskanalys", "risker"),
    ("text", "internkontroll", "risker"),
    ("block", "risker", None),
    ("text", "budget", "budget"),
    ("text", "ekonomi", "budget"),
    ("block", "budget", None),
]


def _legacy_position(key):
    matches = [
        (len(prefix), i)
        for i, (kind, prefix, _host) in enumerate(_LEGACY)
        if kind == "text" and key.startswith(prefix)
    ]
    return max(matches)[1] if matches else None


def inferred_outline(keys):
    """The outline of sections with these keys (in order) when nothing names one.

    Returns [{"avsnitt": key or "", "del": kind or ""}]: a section that hosts
    a system chapter carries its kind; a system chapter no section hosts
    stands on its own ("avsnitt" empty).
    """
    hosted = set()
    placed = []
    last = -1
    for key in keys:
        position = _legacy_position(key)
        kind = ""
        if position is None:
            position = last  # an unknown key stays with the section before it
        else:
            last = position
            host = _LEGACY[position][2]
            if host and host not in hosted:
                kind = host
                hosted.add(host)
        placed.append((position, {"avsnitt": key, "del": kind}))
    pending = [
        (i, {"avsnitt": "", "del": key})
        for i, (kind, key, _host) in enumerate(_LEGACY)
        if kind == "block" and key not in hosted
    ]
    result = []
    for position, entry in placed:
        while pending and pending[0][0] < position:
            result.append(pending.pop(0)[1])
        result.append(entry)
    result.extend(entry for _, entry in pending)
    return result
