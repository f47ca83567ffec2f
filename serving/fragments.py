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


def fragment_key(request, name):
    """The cache key of fragment ``name`` of the page at this URL; None when not shared."""
    if not settings.PAGE_CACHE_SECONDS or getattr(request, "is_preview", False):
        return None
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # The query string is left out: no shared part depends on it, and made-up parameters
    # must not fill the cache.
    digest = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()
    return f"fragment:{generation()}:{language}:{name}:{digest}"


def fill_marks(html, sets):
    """Each mark's first text where its id is in the named set, its second elsewhere."""

    def choose(match):
        kind, pk, marked, otherwise = match.groups()
        return marked if int(pk) in sets.get(kind, ()) else otherwise

    return MARK.sub(choose, html)


# Lesson bodies and unit lists, read again by every learner of the course.
_front = FrontCache(size=200)


class SharedNode(template.Node):
    def __init__(self, name, sets, nodelist):
        self.name, self.sets, self.nodelist = name, sets, nodelist

    def render(self, context):
        request = context.get("request")
        key = fragment_key(request, self.name.resolve(context)) if request else None
        html = _front.get(key) if key else None
        if html is None:
            html = self.nodelist.render(context)
            if key:
                _front.set(key, str(html), settings.PAGE_CACHE_SECONDS)
        if self.sets:
            sets = {kind: _ids(value.resolve(context)) for kind, value in self.sets.items()}
            html = fill_marks(html, sets)
        return mark_safe(html)


def _ids(value):
    if value is None or value == "":
        return set()
    if isinstance(value, int):
        return {value}
    return {int(pk) for pk in value}


@register.tag
def shared(parser, token):
    """``{% shared "name" set=ids ... %}...{% endshared %}``: see the module's note."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shared %} needs the fragment's name")
    sets = {}
    for bit in bits[2:]:
        kind, sep, value = bit.partition("=")
        if not sep or not kind.isidentifier():
            raise template.TemplateSyntaxError(f"{{% shared %}}: {bit!r} is not name=ids")
        sets[kind] = parser.compile_filter(value)
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(parser.compile_filter(bits[1]), sets, nodelist)


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
