"""A section's text as HTML: Markdown (markdown-it-py) sanitised by nh3.

The same HTML goes into the plan page, the preview and the PDF. What the
kansli writes: paragraphs separated by a blank line (a single line break
stays a line break), `## ` sub-headings, lists (`- `, `• ` or `1. `, nested
by indenting), tables (`| a | b |`), footnotes (`[^1]` and `[^1]: text`),
**bold** and *italics*, links. A text's headings start one level below its
chapter's heading (`## ` is an h3 under the chapter's h2); the level-2 ones
go into the table of contents.

Raw HTML is not rendered, images are not allowed (the PDF fetches nothing
from outside), and nh3 removes anything else a text could carry in.
"""

import re
from dataclasses import dataclass, field

import nh3
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

TAGS = {
    "p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "code", "pre",
    "blockquote", "hr", "sup", "section", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "id"},
    "h3": {"id"},
    "h4": {"id"},
    "li": {"id"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "sup": {"class"},
    "section": {"class"},
    "hr": {"class"},
}

_BULLET = re.compile(r"^(\s*)• ", re.MULTILINE)


def _parser():
    md = MarkdownIt("commonmark", {"breaks": True, "html": False, "linkify": False})
    md.enable("table").enable("strikethrough")
    md.disable("image")
    md.use(footnote_plugin)
    return md


_MD = _parser()


@dataclass
class Rendered:
    html: str = ""
    headings: list = field(default_factory=list)  # (id, text) of the level-2 headings


def render(text, *, anchor="text"):
    """The text as safe HTML; ids (headings, footnotes) start with `anchor`."""
    text = _BULLET.sub(r"\1- ", (text or "").replace("\r\n", "\n")).strip()
    if not text:
        return Rendered()
    tokens = _MD.parse(text, {"docId": anchor})
    headings = []
    taken = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        token.tag = f"h{min(max(level, 2) + 1, 6)}"
        if level <= 2:
            title = tokens[i + 1].content
            slug = slugify(title) or "rubrik"
            ident, n = f"{anchor}-{slug}", 2
            while ident in taken:
                ident, n = f"{anchor}-{slug}-{n}", n + 1
            taken.add(ident)
            token.attrSet("id", ident)
            headings.append((ident, title))
    html = _MD.renderer.render(tokens, _MD.options, {"docId": anchor})
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )
    return Rendered(mark_safe(clean), headings)  # noqa: S308 - sanitised by nh3 above
