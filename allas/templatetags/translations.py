"""Showing a translated text honestly (see allas/translation.py).

``{{ activity.title|in_language }}`` prints the text; where it is not in the page's language it
is wrapped in an element with its ``lang`` attribute and followed by a visible note, "(in
Spanish)" in the page's language. ``{{ activity.summary|linebreaks_in_language }}`` does the
same for paragraphs. ``{{ activity.title|with_language_note }}`` is for places that cannot hold
markup (the page title, meta descriptions, attributes): the text, then the note in brackets.
"""

from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from allas.translation import IN_LANGUAGE, with_language_note

register = template.Library()


def _fallback(value):
    return getattr(value, "is_fallback", False)


@register.filter
def in_language(value):
    if not _fallback(value):
        return value
    return format_html(
        '<span lang="{}">{}</span> <small class="lang-note">({})</small>',
        value.language,
        str(value),
        IN_LANGUAGE[value.language],
    )


@register.filter
def linebreaks_in_language(value):
    # linebreaks() escapes the text itself (autoescape=True), so its paragraphs are safe.
    paragraphs = mark_safe(linebreaks(str(value), autoescape=True))
    if not _fallback(value):
        return paragraphs
    return format_html(
        '<p class="lang-note"><small>({})</small></p><div lang="{}">{}</div>',
        IN_LANGUAGE[value.language],
        value.language,
        paragraphs,
    )


register.filter(with_language_note)
