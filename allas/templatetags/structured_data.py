"""Linked data in a page: ``{{ json_ld|json_ld }}`` writes a dict (schema.org, built by the
app that owns the page, e.g. ``partners/schema_org.py``) as a
``<script type="application/ld+json">`` element.

Such an element is a data block, not a script: browsers never run it, so the Content Security
Policy (``script-src 'self'``) neither blocks nor reports it. Its text ends at the first
``</script``, so ``<``, ``>`` and ``&`` are written as JSON escapes (``\\u003C``…), as
Django's ``json_script`` does: a name such as ``</script><script>…`` stays inside the data.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """The JSON-LD element of ``data``; nothing for empty data."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
