"""`{% pagecache "name" load [part ...] %}…{% endpagecache %}`: a fragment cached per generation.

The fragment is rendered once for its key (finsam/generation.py: the förbund,
its generation and the global one, today, the language, the role's kind and
member, and the extra parts given) and then served from the shared cache.
`load` is a callable in the context (the view's) returning a dict of what
the fragment needs: it is called only when the fragment is rendered, so a
served fragment asks the database nothing. Without the page cache the
fragment is rendered every time, the same HTML.
"""

from django import template
from django.utils.safestring import mark_safe

from finsam import generation

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist, name, load, parts):
        self.nodelist, self.name, self.load, self.parts = nodelist, name, load, parts

    def render(self, context):
        request = context["request"]
        name = self.name.resolve(context)
        parts = [part.resolve(context) for part in self.parts]

        def build():
            extra = self.load.resolve(context) if self.load is not None else {}
            with context.push(**(extra or {})):
                return self.nodelist.render(context)

        return mark_safe(generation.fragment(request, name, build, *parts))


@register.tag
def pagecache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("pagecache takes a name, a loader and key parts")
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    name = parser.compile_filter(bits[1])
    load = parser.compile_filter(bits[2]) if len(bits) > 2 else None
    parts = [parser.compile_filter(bit) for bit in bits[3:]]
    return PageCacheNode(nodelist, name, load, parts)
