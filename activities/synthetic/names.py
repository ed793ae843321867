"""The words and places synthetic records are named from: countries with a central point and
the language of their names, name prefixes by kind and language, syllables, topics (in each
site language)."""

from partners.models import Partner

# code, latitude and longitude of a central point, language of the names, weight.
COUNTRIES = [
    ("AR", -34.6, -58.4, "es", 6), ("BO", -16.5, -68.1, "es", 2), ("BR", -15.8, -47.9, "pt", 8),
    ("CL", -33.4, -70.6, "es", 4), ("CO", 4.7, -74.1, "es", 5), ("CR", 9.9, -84.1, "es", 2),
    ("CU", 23.1, -82.4, "es", 2), ("DO", 18.5, -69.9, "es", 2), ("EC", -0.2, -78.5, "es", 3),
    ("SV", 13.7, -89.2, "es", 2), ("GT", 14.6, -90.5, "es", 2), ("HN", 14.1, -87.2, "es", 2),
    ("MX", 19.4, -99.1, "es", 8), ("NI", 12.1, -86.3, "es", 1), ("PA", 9.0, -79.5, "es", 1),
    ("PY", -25.3, -57.6, "es", 2), ("PE", -12.0, -77.0, "es", 4), ("UY", -34.9, -56.2, "es", 3),
    ("VE", 10.5, -66.9, "es", 2), ("PR", 18.5, -66.1, "es", 1), ("JM", 18.0, -76.8, "en", 1),
    ("TT", 10.7, -61.5, "en", 1), ("HT", 18.5, -72.3, "fr", 1), ("GY", 6.8, -58.2, "en", 1),
    ("ES", 40.4, -3.7, "es", 8), ("PT", 38.7, -9.1, "pt", 4), ("FR", 48.9, 2.4, "fr", 7),
    ("IT", 41.9, 12.5, "it", 6), ("DE", 52.5, 13.4, "de", 5), ("NL", 52.1, 4.3, "nl", 3),
    ("BE", 50.8, 4.4, "fr", 3), ("LU", 49.6, 6.1, "fr", 1), ("AT", 48.2, 16.4, "de", 2),
    ("CH", 46.9, 7.4, "fr", 2), ("IE", 53.3, -6.3, "en", 1), ("GB", 51.5, -0.1, "en", 3),
    ("DK", 55.7, 12.6, "en", 1), ("SE", 59.3, 18.1, "en", 2), ("NO", 59.9, 10.8, "en", 1),
    ("FI", 60.2, 24.9, "en", 1), ("PL", 52.2, 21.0, "en", 3), ("CZ", 50.1, 14.4, "en", 1),
    ("SK", 48.1, 17.1, "en", 1), ("HU", 47.5, 19.0, "en", 1), ("SI", 46.1, 14.5, "en", 1),
    ("HR", 45.8, 16.0, "en", 1), ("RO", 44.4, 26.1, "en", 2), ("BG", 42.7, 23.3, "en", 1),
    ("GR", 38.0, 23.7, "en", 2), ("EE", 59.4, 24.8, "en", 1), ("LV", 56.9, 24.1, "en", 1),
    ("LT", 54.7, 25.3, "en", 1), ("MT", 35.9, 14.5, "it", 1), ("CY", 35.2, 33.4, "en", 1),
    ("MA", 34.0, -6.8, "fr", 1), ("SN", 14.7, -17.4, "fr", 1), ("CV", 14.9, -23.5, "pt", 1),
    ("AO", -8.8, 13.2, "pt", 1), ("CA", 45.4, -75.7, "fr", 1), ("US", 38.9, -77.0, "en", 1),
]  # fmt: skip

CITY_PREFIXES = {
    "es": ["Municipio de", "Alcaldía de", "Intendencia de", "Municipalidad de", "Ayuntamiento de"],
    "pt": ["Prefeitura de", "Câmara Municipal de"],
    "fr": ["Ville de", "Mairie de"],
    "it": ["Comune di"],
    "de": ["Stadt"],
    "nl": ["Gemeente"],
    "en": ["City of", "Municipality of"],
}
NETWORK_PREFIXES = {
    "es": ["Red de Ciudades de", "Asociación de Municipios de", "Federación de Municipios de"],
    "pt": ["Associação de Municípios de", "Rede de Cidades de"],
    "fr": ["Association des Villes de", "Réseau des Collectivités de"],
    "it": ["Associazione dei Comuni di"],
    "de": ["Städtebund"],
    "nl": ["Vereniging van Gemeenten"],
    "en": ["Association of Local Governments of", "Network of Cities of"],
}
INSTITUTION_PREFIXES = {
    Partner.InstitutionType.UNIVERSITY: ["Universidad de", "Universidade de", "Université de"],
    Partner.InstitutionType.THINK_TANK: ["Centro de Estudios Urbanos de", "Urban Lab"],
    Partner.InstitutionType.NGO: ["Fundación", "Instituto Ciudadano de", "Association"],
    Partner.InstitutionType.INTERNATIONAL: ["Oficina Regional de", "Programa Internacional"],
    Partner.InstitutionType.FUNDER: ["Fondo de Cooperación de", "Agencia de Desarrollo de"],
}
SYLLABLES = [
    "al", "ba", "bel", "ca", "cor", "da", "do", "es", "fa", "gar", "la", "lan", "ma", "mon", "na",
    "nor", "pa", "por", "que", "ra", "ri", "ro", "sal", "san", "ta", "ter", "to", "va", "vel",
    "vi", "za", "zu", "mar", "ber", "len", "sol", "tor", "lia",
]  # fmt: skip
# The topics of titles and descriptions, in each site language.
TOPICS = [
    {"es": es, "pt": pt, "fr": fr, "en": en}
    for es, pt, fr, en in [
        (
            "acción internacional de las ciudades",
            "ação internacional das cidades",
            "action internationale des villes",
            "international action of cities",
        ),
        (
            "cooperación descentralizada",
            "cooperação descentralizada",
            "coopération décentralisée",
            "decentralised cooperation",
        ),
        (
            "comunicación internacional",
            "comunicação internacional",
            "communication internationale",
            "international communication",
        ),
        (
            "marcos jurídicos de la acción exterior",
            "marcos jurídicos da ação externa",
            "cadres juridiques de l'action extérieure",
            "legal frameworks of external action",
        ),
        (
            "movilidad urbana sostenible",
            "mobilidade urbana sustentável",
            "mobilité urbaine durable",
            "sustainable urban mobility",
        ),
        ("gestión de residuos", "gestão de resíduos", "gestion des déchets", "waste management"),
        (
            "planificación estratégica internacional",
            "planejamento estratégico internacional",
            "planification stratégique internationale",
            "international strategic planning",
        ),
        (
            "relaciones con actores no gubernamentales",
            "relações com atores não governamentais",
            "relations avec les acteurs non gouvernementaux",
            "relations with non-governmental actors",
        ),
        (
            "incidencia política local",
            "incidência política local",
            "plaidoyer local",
            "local lobbying",
        ),
        (
            "financiación internacional",
            "financiamento internacional",
            "financement international",
            "international funding",
        ),
        (
            "gobernanza metropolitana",
            "governança metropolitana",
            "gouvernance métropolitaine",
            "metropolitan governance",
        ),
        (
            "cambio climático y ciudades",
            "mudança do clima e cidades",
            "changement climatique et villes",
            "climate change and cities",
        ),
    ]
]


def place_name(rng):
    """A made-up place name of two or three syllables."""
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return name.capitalize()
