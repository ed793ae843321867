"""The facts of the demo network, as PRODUCT.md describes it: its partners and dates (their
texts in four languages are in texts.py).

Anything added to make the records complete (exact days, hours, attendee counts) is marked in
the record's note as illustrative (``ILLUSTRATIVE``).
"""

import datetime

ILLUSTRATIVE = "Illustrative: {what} not given in the network's description."

# slug, kind, name, short name, country, locality, latitude, longitude, institution type
PARTNERS = [
    ("al-las", "network", "Alianza Euro-Latinoamericana de Cooperación entre Ciudades", "AL-LAs",
     "MX", "Ciudad de México", "19.43260", "-99.13320", ""),
    ("mexico-city", "city", "Gobierno de la Ciudad de México", "Ciudad de México",
     "MX", "Ciudad de México", "19.43260", "-99.13320", ""),
    ("montevideo", "city", "Intendencia de Montevideo", "Montevideo",
     "UY", "Montevideo", "-34.90110", "-56.16450", ""),
    ("moron", "city", "Municipio de Morón", "Morón", "AR", "Morón", "-34.65340", "-58.61980", ""),
    ("belo-horizonte", "city", "Prefeitura de Belo Horizonte", "Belo Horizonte",
     "BR", "Belo Horizonte", "-19.91670", "-43.93450", ""),
    ("quito", "city", "Municipio del Distrito Metropolitano de Quito", "Quito",
     "EC", "Quito", "-0.18070", "-78.46780", ""),
    ("medellin", "city", "Alcaldía de Medellín", "Medellín",
     "CO", "Medellín", "6.24420", "-75.58120", ""),
    ("lima", "city", "Municipalidad Metropolitana de Lima", "Lima",
     "PE", "Lima", "-12.04640", "-77.04280", ""),
    ("cuf", "network", "Cités Unies France", "CUF", "FR", "Paris", "48.85660", "2.35220", ""),
    ("famsi", "network", "Fondo Andaluz de Municipios para la Solidaridad Internacional", "FAMSI",
     "ES", "Andalucía", "37.38910", "-5.98450", ""),
    ("femp", "network", "Federación Española de Municipios y Provincias", "FEMP",
     "ES", "Madrid", "40.41680", "-3.70380", ""),
    ("vng", "network", "Vereniging van Nederlandse Gemeenten", "VNG",
     "NL", "Den Haag", "52.07050", "4.30070", ""),
    ("uclg", "network", "United Cities and Local Governments", "UCLG",
     "ES", "Barcelona", "41.38740", "2.16860", ""),
    ("european-union", "institution", "European Union", "EU",
     "BE", "Brussels", "50.85030", "4.35170", "funder"),
    ("italy-national-network", "network", "Red nacional de gobiernos locales de Italia", "",
     "IT", "", None, None, ""),
    ("portugal-national-network", "network", "Red nacional de gobiernos locales de Portugal", "",
     "PT", "", None, None, ""),
]  # fmt: skip

# Wikidata items checked by hand; the other partners are left without one rather than guessed.
WIKIDATA = {
    "mexico-city": "Q1489",
    "montevideo": "Q1335",
    "belo-horizonte": "Q42800",
    "quito": "Q2900",
    "medellin": "Q48278",
    "lima": "Q2868",
    "european-union": "Q458",
}

LAUNCH = datetime.date(2013, 5, 1)  # May 2013 is a fact; the day is illustrative.
CITY_SLUGS = ["montevideo", "moron", "belo-horizonte", "quito", "medellin", "lima"]
