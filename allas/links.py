"""A record's address from its slug, without a full ``reverse()`` for each record.

A list page links every item (24 partners, 500 events of a feed): ``reverse()`` costs about
0.05 ms each, a tenth of an uncached list's rendering (bench/README.md, issue 17). The address
of one view differs between records only by the slug, so it is reversed once per view,
language and script prefix, and the slug put in its place.
"""

import functools
import re

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

PLACEHOLDER = "slug-placeholder-7f3a"
# What reverse() would put in the address as it is (no percent-encoding needed).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@functools.lru_cache(maxsize=256)
def _address(view_name, language, script_prefix):
    return reverse(view_name, kwargs={"slug": PLACEHOLDER})


def slug_url(view_name, slug):
    """``reverse(view_name, kwargs={"slug": slug})``, in the active language."""
    if not PLAIN_SLUG.match(slug or ""):
        return reverse(view_name, kwargs={"slug": slug})
    return _address(view_name, get_language(), get_script_prefix()).replace(PLACEHOLDER, slug)
