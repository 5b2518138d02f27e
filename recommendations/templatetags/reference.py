"""`{% reference_part "name" key... %}...{% endreference_part %}`: a part of a public page that
shows reference data only (a commitment's text, actions, themes, SDG targets, its related
recommendations), kept in the shared cache under the reference scope (`gcmtracker.cache.fragments`,
as the implementation rows are kept under their state's): a status write that retires the page
leaves the part in the cache, and the part's own queries (read lazily by the view) are not run.

`key...`: what else the part's markup depends on besides the language, the day and the reference
version (the commitment's number; the query string where the part's links keep it). Rendered
every time where the page could not be cached (staff, the cache off, a write pending) and, as the
rows are, on pages "as of" a date. One read of the cache a part.

`{% cached_part parts "name" %}...{% endcached_part %}`: a section the view looked up in the cache
beforehand (`gcmtracker.cache.Parts`, under a facet of the page's scope), so that its data was
read only if it missed; its markup from the cache, or the section rendered (and kept).
"""

from django import template
from django.utils.safestring import mark_safe

from gcmtracker import scopes
from gcmtracker.cache import fragments

register = template.Library()


class ReferencePart(template.Node):
    def __init__(self, name, keys, nodelist):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None or context.get("as_of"):  # as the rows (`tables._by_state`)
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        keys = [key.resolve(context) for key in self.keys]
        part = f"reference:{name}"
        rendered = fragments(request, {part: ([scopes.REFERENCE], keys)}, lambda _part: self.nodelist.render(context))
        return mark_safe(rendered[part])  # the template's own markup, escaped when it was rendered


class CachedPart(template.Node):
    def __init__(self, parts, name, nodelist):
        self.parts, self.name, self.nodelist = parts, name, nodelist

    def render(self, context):
        parts, name = self.parts.resolve(context), self.name.resolve(context)
        return mark_safe(parts.render(name, lambda: self.nodelist.render(context)))  # escaped when rendered


@register.tag
def cached_part(parser, token):
    bits = token.split_contents()[1:]
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_part needs the parts and a name")
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    return CachedPart(parser.compile_filter(bits[0]), parser.compile_filter(bits[1]), nodelist)


@register.tag
def reference_part(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("reference_part needs a name")
    nodelist = parser.parse(("endreference_part",))
    parser.delete_first_token()
    return ReferencePart(parser.compile_filter(bits[0]), [parser.compile_filter(bit) for bit in bits[1:]], nodelist)
