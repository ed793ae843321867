"""Region of the world derived from a partner's ISO 3166-1 country code.

Latin America and the Caribbean follows the UN M49 grouping; Europe includes the whole continent
(EU members and not), as the network's European partners do. Pure data and one function:
``partners.models`` imports this module, nothing here imports the models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """A partner's region (``Partner.Region``), derived from its country on save."""

    LATIN_AMERICA = "latam", _("Latin America and the Caribbean")
    EUROPE = "europe", _("Europe")
    OTHER = "other", _("Other")


LATIN_AMERICA_AND_CARIBBEAN = frozenset(
    [
        "AG",
        "AI",
        "AR",
        "AW",
        "BB",
        "BL",
        "BM",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BZ",
        "CL",
        "CO",
        "CR",
        "CU",
        "CW",
        "DM",
        "DO",
        "EC",
        "FK",
        "GD",
        "GF",
        "GP",
        "GT",
        "GY",
        "HN",
        "HT",
        "JM",
        "KN",
        "KY",
        "LC",
        "MF",
        "MQ",
        "MS",
        "MX",
        "NI",
        "PA",
        "PE",
        "PR",
        "PY",
        "SR",
        "SV",
        "SX",
        "TC",
        "TT",
        "UY",
        "VC",
        "VE",
        "VG",
        "VI",
    ]
)
EUROPE = frozenset(
    [
        "AD",
        "AL",
        "AT",
        "AX",
        "BA",
        "BE",
        "BG",
        "BY",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FO",
        "FR",
        "GB",
        "GG",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IM",
        "IS",
        "IT",
        "JE",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MD",
        "ME",
        "MK",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "RU",
        "SE",
        "SI",
        "SJ",
        "SK",
        "SM",
        "UA",
        "VA",
        "XK",
    ]
)


def region_for_country(code) -> Region:
    """The region of an ISO country code (``Region.OTHER`` when it is in neither list)."""
    code = (code or "").upper()
    if code in LATIN_AMERICA_AND_CARIBBEAN:
        return Region.LATIN_AMERICA
    if code in EUROPE:
        return Region.EUROPE
    return Region.OTHER
