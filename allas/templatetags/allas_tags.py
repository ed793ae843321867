"""Tags of the public layout: the language switcher and hreflang alternates."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages: dicts of code, name (in that language), url
    (absolute), path and current. The query string is kept, so a filtered list stays filtered."""
    request = context.get("request")
    if request is None:
        return []
    try:
        request.get_host()
    except DisallowedHost:
        return []  # the 400 page of a request naming a host not served: no absolute links
    current = get_language()
    here = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(here, code)
        versions.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "path": path,
                "url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return versions
