"""Region of the world derived from a partner's ISO 3166-1 country code.

Latin America and the Caribbean follows the UN M49 grouping; Europe includes the whole continent
(EU members and not), as the network's European partners do.
"""

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


def region_for_country(code):
    """Return the Partner.Region value for an ISO country code ('' when unknown)."""
    from partners.models import Partner

    code = (code or "").upper()
    if code in LATIN_AMERICA_AND_CARIBBEAN:
        return Partner.Region.LATIN_AMERICA
    if code in EUROPE:
        return Partner.Region.EUROPE
    return Partner.Region.OTHER
