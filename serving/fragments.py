"""The parts of a signed-in page that are the same for every learner, rendered once per
generation of the site and shared; the learner's own marks are filled in on the way out.

A signed-in page cannot come whole from the page cache (its header, its forms and its
progress marks are the learner's own), but most of what it costs is the same for everyone:
a lesson's body, a course's unit list with a link to each unit, its facts. In a template::

    {% load shared %}
    {% shared "course-units" done=done_ids %}
      {% for unit in units %}<li><a href="{% pageurl unit %}">{{ unit.title }}</a>
        {% mark "done" unit.pk %}✓{% otherwise %}{{ unit.minutes }} min{% endmark %}</li>
      {% endfor %}
    {% endshared %}

The block is rendered once and kept in the default cache under the site's generation
(serving/pagecache.py), the language, and the page's host and path: any publish, unpublish,
move, privacy or settings change starts a new generation, so the next request renders it
afresh, in every process, with Redis or with the default install's generation file. Where
the page cache is off (``PAGE_CACHE_SECONDS`` 0: no process could tell the others of a
change) and in previews the block is rendered on every request, as before.

Each ``{% mark set pk %}`` leaves both of its texts in the shared HTML, between comments that
name the set and the id; ``{% shared %}`` then keeps the first where the id is in that set
(``done=done_ids``) and the second elsewhere, in one pass over the text. What the template
writes inside a block is escaped as usual, so no title or lesson text can forge a mark.

The site's header and footer are the same on every page, for each kind of visitor::

    {% shared "site-header" sitewide vary=header_variant %}
      … <a href="/language/en/?next={% own %}{{ request.get_full_path|urlencode }}{% endown %}">
    {% endshared %}

``sitewide`` leaves the page's path out of the key; ``vary`` puts a value in it (the header
differs for a visitor, a learner and a teacher). ``{% own %}`` marks a hole: the shared HTML
keeps a placeholder where it stands, and each request renders the hole's content into it.
A hole's content may depend on the request, not on what the block around it loops over.
"""

import hashlib
import re

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from serving.front import FrontCache
from serving.pagecache import generation

register = template.Library()

MARK = re.compile(
    r"<!--mark:(\w+):(\d+)-->(.*?)<!--otherwise:\1:\2-->(.*?)<!--endmark:\1:\2-->", re.DOTALL
)


def fragment_key(request, name, *, per_page=True, vary=""):
    """The cache key of fragment ``name`` of the page at this URL (of every page of the host,
    unless ``per_page``), in variant ``vary``; None when not shared."""
    if not settings.PAGE_CACHE_SECONDS or getattr(request, "is_preview", False):
        return None
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The query string is left out: no shared part depends on it, and made-up parameters
    # must not fill the cache.
    where = f"{request.get_host()}{request.path if per_page else ''}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"fragment:{generation()}:{language}:{name}:{vary}:{digest}"


def fill_marks(html, sets):
    """Each mark's first text where its id is in the named set, its second elsewhere."""

    def choose(match):
        kind, pk, marked, otherwise = match.groups()
        return marked if int(pk) in sets.get(kind, ()) else otherwise

    return MARK.sub(choose, html)


# Lesson bodies and unit lists, read again by every learner of the course.
_front = FrontCache(size=200)


HOLE = re.compile(r"<!--own:(\d+)-->")
# Set in the context while a block is rendered to be shared: its holes leave placeholders.
_SHARING = "_shared_fragment_holes"


class SharedNode(template.Node):
    def __init__(self, name, sets, nodelist, *, per_page=True, vary=None):
        self.name, self.sets, self.nodelist = name, sets, nodelist
        self.per_page, self.vary = per_page, vary
        self.holes = list(nodelist.get_nodes_by_type(OwnNode))
        for index, hole in enumerate(self.holes):
            hole.index = index

    def render(self, context):
        request = context.get("request")
        key = None
        vary = str(self.vary.resolve(context) or "") if self.vary else "-"
        # A context without the variant (a page rendered without the context processors)
        # could not tell one kind of visitor from another: it is rendered, not shared.
        if request and vary:
            name = self.name.resolve(context)
            key = fragment_key(request, name, per_page=self.per_page, vary=vary)
        html = _front.get(key) if key else None
        if html is None:
            if not key:  # not shared: rendered whole, holes and all
                return mark_safe(self._marked(self.nodelist.render(context), context))
            with context.push({_SHARING: True}):
                html = str(self.nodelist.render(context))
            _front.set(key, html, settings.PAGE_CACHE_SECONDS)
        html = self._marked(html, context)
        if self.holes:
            html = HOLE.sub(lambda match: self.holes[int(match[1])].own(context), html)
        return mark_safe(html)

    def _marked(self, html, context):
        if not self.sets:
            return html
        sets = {kind: _ids(value.resolve(context)) for kind, value in self.sets.items()}
        return fill_marks(html, sets)


def _ids(value):
    if value is None or value == "":
        return set()
    if isinstance(value, int):
        return {value}
    return {int(pk) for pk in value}


@register.tag
def shared(parser, token):
    """``{% shared "name" [sitewide] [vary=value] set=ids ... %}...{% endshared %}``: see the
    module's note."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shared %} needs the fragment's name")
    sets, per_page, vary = {}, True, None
    for bit in bits[2:]:
        if bit == "sitewide":
            per_page = False
            continue
        kind, sep, value = bit.partition("=")
        if not sep or not kind.isidentifier():
            raise template.TemplateSyntaxError(f"{{% shared %}}: {bit!r} is not name=ids")
        if kind == "vary":
            vary = parser.compile_filter(value)
        else:
            sets[kind] = parser.compile_filter(value)
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(parser.compile_filter(bits[1]), sets, nodelist, per_page=per_page, vary=vary)


class OwnNode(template.Node):
    """A hole in a shared block, rendered for each request (``{% own %}``)."""

    index = 0

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def own(self, context):
        return str(self.nodelist.render(context))

    def render(self, context):
        if context.get(_SHARING):
            return f"<!--own:{self.index}-->"
        return self.own(context)


@register.tag
def own(parser, token):
    """``{% own %}…{% endown %}``, inside ``{% shared %}``: rendered for each request."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% own %} takes no arguments")
    nodelist = parser.parse(("endown",))
    parser.delete_first_token()
    return OwnNode(nodelist)


class MarkNode(template.Node):
    def __init__(self, kind, pk, marked, otherwise):
        self.kind, self.pk, self.marked, self.otherwise = kind, pk, marked, otherwise

    def render(self, context):
        kind, pk = self.kind.resolve(context), int(self.pk.resolve(context))
        if not str(kind).isidentifier():
            raise template.TemplateSyntaxError(f"{{% mark %}}: {kind!r} is not a set's name")
        otherwise = self.otherwise.render(context) if self.otherwise else ""
        return (
            f"<!--mark:{kind}:{pk}-->{self.marked.render(context)}"
            f"<!--otherwise:{kind}:{pk}-->{otherwise}<!--endmark:{kind}:{pk}-->"
        )


@register.tag
def mark(parser, token):
    """``{% mark "set" id %}shown when id is in the set{% otherwise %}else{% endmark %}``,
    inside ``{% shared %}``, which names the sets."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('{% mark "set" id %} takes a set\'s name and an id')
    marked = parser.parse(("otherwise", "endmark"))
    otherwise = None
    if parser.next_token().contents == "otherwise":
        otherwise = parser.parse(("endmark",))
        parser.delete_first_token()
    return MarkNode(
        parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), marked, otherwise
    )
