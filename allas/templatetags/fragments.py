"""``{% kept_fragment "name" value … %}…{% endkept_fragment %}``: a fragment rendered once per
language, query string and values in each process, then reused.

For the filter menus of the lists: hundreds of options, each through an include, take about a
quarter of a list's rendering (bench/README.md, issue 17), and are the same for every page
number of a list and for every visitor, signed in or not, while the counts are. The key is the
content: the fragment's name, the language, the request's query parameters except ``page``, and
the values named (the options with their counts), so a fragment needs no invalidation: when a
count changes, its key changes. The fragment must read nothing else that varies (use the values
to pass it); an entry holds only what anyone may see of that list.

Each process keeps the ``FRAGMENTS`` fragments used last (a few KB each).
"""

import hashlib
import json
import threading
from collections import OrderedDict

from django import template
from django.utils import translation

register = template.Library()

FRAGMENTS = 256


class KeptFragments:
    def __init__(self, size):
        self.size = size
        self.lock = threading.Lock()
        self.entries = OrderedDict()

    def get_or_render(self, key, render):
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
                return html
        html = render()
        with self.lock:
            self.entries[key] = html
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return html


kept = KeptFragments(FRAGMENTS)


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        request = context.get("request")
        query = (
            sorted((name, request.GET.getlist(name)) for name in request.GET if name != "page")
            if request is not None
            else []
        )
        inputs = [
            self.name.resolve(context),
            translation.get_language(),
            query,
            [value.resolve(context) for value in self.values],
        ]
        # default=str: lazy translations as their text in the active language, dates as ISO.
        key = hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()
        return kept.get_or_render(key, lambda: self.nodelist.render(context))


@register.tag
def kept_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("kept_fragment needs a name.")
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
