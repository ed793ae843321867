"""The demo network's texts in the site's four languages (Spanish, Portuguese, French, English).

Each record says the language it was plausibly written in (``original_language``: Spanish for
most, Portuguese for Belo Horizonte, French for Cités Unies France, English for UCLG, VNG and
the European Union) and gives every translated field in all four languages (``text``); the
facts are those of PRODUCT.md, and what is added to them is said to be illustrative in every
language. Official names and acronyms are given only in the languages in which the
organisation has them (FEMP only in Spanish); a city's name stays as the city writes it (the
``name`` in facts.py).
"""

from translated_fields import to_attribute

from allas.translation import LANGUAGE_CODES


def text(*, es, pt, fr, en):
    """One text in the four languages: all four are required."""
    return {"es": es, "pt": pt, "fr": fr, "en": en}


def column_values(texts, names):
    """The columns of translated fields ``names`` for one record's ``texts``:
    ``original_language`` and a column per field and language (``title_es``, ``title_pt``, …),
    "" where the texts have none (a field the record leaves empty, an official name the
    organisation does not have), so that the loader replaces an older demo's texts whole."""
    unknown = set(texts) - {"original_language", *names}
    if unknown:
        raise ValueError(f"Not translated fields of this model: {sorted(unknown)}")
    values = {"original_language": texts["original_language"]}
    for name in names:
        for language in LANGUAGE_CODES:
            values[to_attribute(name, language)] = texts.get(name, {}).get(language, "")
    return values


# The working themes, in the order the site lists them.
THEMES = {
    "legal-framework": {
        "original_language": "es",
        "name": text(
            es="Marcos jurídicos e institucionales",
            pt="Marcos jurídicos e institucionais",
            fr="Cadres juridiques et institutionnels",
            en="Legal and institutional frameworks",
        ),
        "description": text(
            es="Los marcos jurídicos e institucionales de la acción internacional de las ciudades.",
            pt="Os marcos jurídicos e institucionais da ação internacional das cidades.",
            fr="Les cadres juridiques et institutionnels de l'action internationale des villes.",
            en="The legal and institutional frameworks of cities' international action.",
        ),
    },
    "communication-tools": {
        "original_language": "es",
        "name": text(
            es="Herramientas de comunicación",
            pt="Ferramentas de comunicação",
            fr="Outils de communication",
            en="Communication tools",
        ),
        "description": text(
            es="Herramientas para comunicar la acción internacional de las ciudades.",
            pt="Ferramentas para comunicar a ação internacional das cidades.",
            fr="Des outils pour communiquer sur l'action internationale des villes.",
            en="Tools to communicate cities' international action.",
        ),
    },
    "city-council-organisation": {
        "original_language": "es",
        "name": text(
            es="Organización de las relaciones internacionales en el gobierno local",
            pt="Organização das relações internacionais na prefeitura",
            fr="Organisation des relations internationales au sein de la mairie",
            en="Organisation of international relations within city councils",
        ),
        "description": text(
            es="Cómo se organizan las relaciones internacionales dentro del gobierno local.",
            pt="Como se organizam as relações internacionais dentro da prefeitura.",
            fr="Comment s'organisent les relations internationales au sein de la mairie.",
            en="How international relations are organised within city councils.",
        ),
    },
    "non-governmental-actors": {
        "original_language": "es",
        "name": text(
            es="Relaciones con actores no gubernamentales",
            pt="Relações com atores não governamentais",
            fr="Relations avec les acteurs non gouvernementaux",
            en="Relations with non-governmental actors",
        ),
        "description": text(
            es="Las relaciones con los actores no gubernamentales en el ámbito de la ciudad.",
            pt="As relações com os atores não governamentais no âmbito da cidade.",
            fr="Les relations avec les acteurs non gouvernementaux à l'échelle de la ville.",
            en="Relations with non-governmental actors at city level.",
        ),
    },
    "lobbying": {
        "original_language": "es",
        "name": text(
            es="Incidencia política", pt="Incidência política", fr="Plaidoyer", en="Lobbying"
        ),
        "description": text(
            es="La incidencia política de los gobiernos locales.",
            pt="A incidência política dos governos locais.",
            fr="Le plaidoyer des collectivités locales.",
            en="Lobbying by local governments.",
        ),
    },
    "training": {
        "original_language": "es",
        "name": text(es="Formación", pt="Formação", fr="Formation", en="Training"),
        "description": text(
            es="La formación, junto con universidades y centros de pensamiento.",
            pt="A formação, em conjunto com universidades e centros de pesquisa.",
            fr="La formation, avec des universités et des groupes de réflexion.",
            en="Training, with universities and think tanks.",
        ),
    },
}

_LATIN_AMERICAN_CITY = text(
    es="Ciudad latinoamericana socia de AL-LAs.",
    pt="Cidade latino-americana parceira da AL-LAs.",
    fr="Ville latino-américaine partenaire d'AL-LAs.",
    en="Latin-American partner city of AL-LAs.",
)
_UNDER_EVALUATION = text(
    es="Asociación con AL-LAs en evaluación. La descripción de la red no da el nombre de la "
    "organización.",
    pt="Parceria com a AL-LAs em avaliação. A descrição da rede não dá o nome da organização.",
    fr="Partenariat avec AL-LAs en cours d'évaluation. La description du réseau ne donne pas "
    "le nom de l'organisation.",
    en="Partnership with AL-LAs under evaluation. The network's description does not name the "
    "organisation.",
)
_UCLG_NAME = {
    "es": "Ciudades y Gobiernos Locales Unidos",
    "pt": "Cidades e Governos Locais Unidos",
    "fr": "Cités et Gouvernements Locaux Unis",
    "en": "United Cities and Local Governments",
}

# Per partner (by slug): the description, and official names and acronyms where the
# organisation has them in a language. The two national networks are not named in the
# network's description: their names are a description of them in each language.
PARTNERS = {
    "al-las": {
        "original_language": "es",
        "official_name": {
            "es": "Alianza Euro-Latinoamericana de Cooperación entre Ciudades",
            "en": "Euro-Latin-American Alliance of Cooperation among Cities",
        },
        "official_short_name": {"es": "AL-LAs", "en": "AL-LAs"},
        "description": text(
            es="AL-LAs ayuda a las ciudades a actuar en el ámbito internacional: la estrategia "
            "internacional como una parte profesional y planificada del gobierno de la ciudad, "
            "más allá del hermanamiento y de la cooperación descentralizada. Inició sus "
            "actividades en mayo de 2013 con el apoyo financiero de la Unión Europea y se "
            "presenta como un centro de conocimiento para alcaldes, alcaldesas y sus equipos.",
            pt="A AL-LAs ajuda as cidades a atuar no plano internacional: a estratégia "
            "internacional como uma parte profissional e planejada do governo da cidade, para "
            "além da geminação e da cooperação descentralizada. Iniciou suas atividades em "
            "maio de 2013 com o apoio financeiro da União Europeia e apresenta-se como um "
            "centro de conhecimento para prefeitos, prefeitas e suas equipes.",
            fr="AL-LAs aide les villes à agir à l'international : la stratégie internationale "
            "comme une part professionnelle et planifiée du gouvernement de la ville, au-delà "
            "des jumelages et de la coopération décentralisée. Elle a commencé ses activités en "
            "mai 2013 avec le soutien financier de l'Union européenne et se présente comme un "
            "pôle de connaissances pour les maires et leurs équipes.",
            en="AL-LAs helps cities act internationally: international strategy as a "
            "professional, planned part of city government, beyond twinning and decentralised "
            "cooperation. It began its activities in May 2013 with financial support from the "
            "European Union and presents itself as a knowledge hub for mayors and their teams.",
        ),
    },
    "mexico-city": {
        "original_language": "es",
        "description": text(
            es="Coordina la red AL-LAs.",
            pt="Coordena a rede AL-LAs.",
            fr="Coordonne le réseau AL-LAs.",
            en="Coordinates the AL-LAs network.",
        ),
    },
    "montevideo": {"original_language": "es", "description": _LATIN_AMERICAN_CITY},
    "moron": {"original_language": "es", "description": _LATIN_AMERICAN_CITY},
    "belo-horizonte": {"original_language": "pt", "description": _LATIN_AMERICAN_CITY},
    "quito": {"original_language": "es", "description": _LATIN_AMERICAN_CITY},
    "medellin": {"original_language": "es", "description": _LATIN_AMERICAN_CITY},
    "lima": {"original_language": "es", "description": _LATIN_AMERICAN_CITY},
    "cuf": {
        "original_language": "fr",
        "official_name": {"fr": "Cités Unies France"},
        "official_short_name": {"fr": "CUF"},
        "description": text(
            es="Red europea de gobiernos locales, socia de AL-LAs (Francia).",
            pt="Rede europeia de governos locais, parceira da AL-LAs (França).",
            fr="Réseau européen de collectivités locales, partenaire d'AL-LAs (France).",
            en="European network of local governments, partner of AL-LAs (France).",
        ),
    },
    "famsi": {
        "original_language": "es",
        "official_name": {"es": "Fondo Andaluz de Municipios para la Solidaridad Internacional"},
        "official_short_name": {"es": "FAMSI"},
        "description": text(
            es="Red europea de gobiernos locales, socia de AL-LAs (España).",
            pt="Rede europeia de governos locais, parceira da AL-LAs (Espanha).",
            fr="Réseau européen de collectivités locales, partenaire d'AL-LAs (Espagne).",
            en="European network of local governments, partner of AL-LAs (Spain).",
        ),
    },
    "femp": {
        "original_language": "es",
        "official_name": {"es": "Federación Española de Municipios y Provincias"},
        "official_short_name": {"es": "FEMP"},
        "description": text(
            es="Red con la que AL-LAs colabora en actividades concretas: una sesión de "
            "formación conjunta.",
            pt="Rede com a qual a AL-LAs colabora em atividades específicas: uma sessão de "
            "formação conjunta.",
            fr="Réseau avec lequel AL-LAs collabore sur des activités précises : une session "
            "de formation conjointe.",
            en="A network AL-LAs works with on particular activities: a joint training session.",
        ),
    },
    "vng": {
        "original_language": "en",
        "official_name": {"en": "Association of Netherlands Municipalities"},
        "official_short_name": {"en": "VNG"},
        "description": text(
            es="Coordina el equipo de fortalecimiento de capacidades de Ciudades y Gobiernos "
            "Locales Unidos.",
            pt="Coordena a equipe de fortalecimento de capacidades de Cidades e Governos "
            "Locais Unidos.",
            fr="Coordonne l'équipe de renforcement des capacités de Cités et Gouvernements "
            "Locaux Unis.",
            en="Coordinates the capacity-building team of United Cities and Local Governments.",
        ),
    },
    "uclg": {
        "original_language": "en",
        "official_name": _UCLG_NAME,
        "official_short_name": {"es": "CGLU", "pt": "CGLU", "fr": "CGLU", "en": "UCLG"},
        "description": text(
            es="Red mundial de gobiernos locales; AL-LAs mantuvo una reunión estratégica con su "
            "equipo de fortalecimiento de capacidades.",
            pt="Rede mundial de governos locais; a AL-LAs realizou uma reunião estratégica com "
            "sua equipe de fortalecimento de capacidades.",
            fr="Réseau mondial de collectivités locales ; AL-LAs a tenu une réunion stratégique "
            "avec son équipe de renforcement des capacités.",
            en="World network of local governments; AL-LAs held a strategic meeting with its "
            "capacity-building team.",
        ),
    },
    "european-union": {
        "original_language": "en",
        "official_name": {
            "es": "Unión Europea",
            "pt": "União Europeia",
            "fr": "Union européenne",
            "en": "European Union",
        },
        "official_short_name": {"es": "UE", "pt": "UE", "fr": "UE", "en": "EU"},
        "description": text(
            es="Apoyo financiero al inicio de AL-LAs en mayo de 2013.",
            pt="Apoio financeiro ao início da AL-LAs em maio de 2013.",
            fr="Soutien financier au lancement d'AL-LAs en mai 2013.",
            en="Financial support for the start of AL-LAs in May 2013.",
        ),
    },
    "italy-national-network": {
        "original_language": "es",
        "official_name": text(
            es="Red nacional de gobiernos locales de Italia",
            pt="Rede nacional de governos locais da Itália",
            fr="Réseau national de collectivités locales d'Italie",
            en="National network of local governments of Italy",
        ),
        "description": _UNDER_EVALUATION,
    },
    "portugal-national-network": {
        "original_language": "es",
        "official_name": text(
            es="Red nacional de gobiernos locales de Portugal",
            pt="Rede nacional de governos locais de Portugal",
            fr="Réseau national de collectivités locales du Portugal",
            en="National network of local governments of Portugal",
        ),
        "description": _UNDER_EVALUATION,
    },
}

_AGREEMENT_UNDER_EVALUATION = text(
    es="Acuerdo en evaluación.",
    pt="Acordo em avaliação.",
    fr="Accord en cours d'évaluation.",
    en="Agreement under evaluation.",
)

AGREEMENTS = {
    "founding-partnership-agreement": {
        "original_language": "es",
        "title": text(
            es="Acuerdo de asociación fundacional de AL-LAs",
            pt="Acordo de parceria fundador da AL-LAs",
            fr="Accord de partenariat fondateur d'AL-LAs",
            en="Founding partnership agreement of AL-LAs",
        ),
        "summary": text(
            es="La asociación con la que la Ciudad de México, seis ciudades latinoamericanas y "
            "dos redes europeas de gobiernos locales pusieron en marcha AL-LAs en mayo de 2013.",
            pt="A parceria com a qual a Cidade do México, seis cidades latino-americanas e duas "
            "redes europeias de governos locais lançaram a AL-LAs em maio de 2013.",
            fr="Le partenariat par lequel Mexico, six villes latino-américaines et deux réseaux "
            "européens de collectivités locales ont lancé AL-LAs en mai 2013.",
            en="The partnership through which Mexico City, six Latin-American cities and two "
            "European networks of local governments started AL-LAs in May 2013.",
        ),
    },
    "partnership-italy-national-network": {
        "original_language": "es",
        "title": text(
            es="Asociación con la red nacional de gobiernos locales de Italia",
            pt="Parceria com a rede nacional de governos locais da Itália",
            fr="Partenariat avec le réseau national de collectivités locales d'Italie",
            en="Partnership with the national network of local governments of Italy",
        ),
        "summary": _AGREEMENT_UNDER_EVALUATION,
    },
    "partnership-portugal-national-network": {
        "original_language": "pt",
        "title": text(
            es="Asociación con la red nacional de gobiernos locales de Portugal",
            pt="Parceria com a rede nacional de governos locais de Portugal",
            fr="Partenariat avec le réseau national de collectivités locales du Portugal",
            en="Partnership with the national network of local governments of Portugal",
        ),
        "summary": _AGREEMENT_UNDER_EVALUATION,
    },
}

ACTIVITIES = {
    "launch-of-al-las": {
        "original_language": "es",
        "title": text(
            es="Lanzamiento de AL-LAs",
            pt="Lançamento da AL-LAs",
            fr="Lancement d'AL-LAs",
            en="Launch of AL-LAs",
        ),
        "summary": text(
            es="AL-LAs inició sus actividades en mayo de 2013 con el apoyo financiero de la "
            "Unión Europea.",
            pt="A AL-LAs iniciou suas atividades em maio de 2013 com o apoio financeiro da "
            "União Europeia.",
            fr="AL-LAs a commencé ses activités en mai 2013 avec le soutien financier de l'Union "
            "européenne.",
            en="AL-LAs began its activities in May 2013 with financial support from the "
            "European Union.",
        ),
        "description": text(
            es="La Ciudad de México, coordinadora de la red, seis ciudades socias "
            "latinoamericanas (Montevideo, Morón, Belo Horizonte, Quito, Medellín y Lima) y dos "
            "redes europeas de gobiernos locales (Cités Unies France y el FAMSI) comenzaron su "
            "trabajo común: ayudar a las ciudades a hacer de la acción internacional una "
            "política profesional y planificada.\n\n"
            "Datos ilustrativos: el día exacto y el lugar no figuran en la descripción de la red.",
            pt="A Cidade do México, coordenadora da rede, seis cidades parceiras "
            "latino-americanas (Montevidéu, Morón, Belo Horizonte, Quito, Medellín e Lima) e "
            "duas redes europeias de governos locais (Cités Unies France e o FAMSI) começaram "
            "seu trabalho conjunto: ajudar as cidades a fazer da ação internacional uma "
            "política profissional e planejada.\n\n"
            "Dados ilustrativos: o dia exato e o local não constam da descrição da rede.",
            fr="Mexico, coordinatrice du réseau, six villes partenaires latino-américaines "
            "(Montevideo, Morón, Belo Horizonte, Quito, Medellín et Lima) et deux réseaux "
            "européens de collectivités locales (Cités Unies France et le FAMSI) ont commencé "
            "leur travail commun : aider les villes à faire de l'action internationale une "
            "politique professionnelle et planifiée.\n\n"
            "Données illustratives : le jour exact et le lieu ne figurent pas dans la description "
            "du réseau.",
            en="Mexico City, the network's coordinator, six Latin-American partner cities "
            "(Montevideo, Morón, Belo Horizonte, Quito, Medellín and Lima) and two European "
            "networks of local governments (Cités Unies France and FAMSI) started their joint "
            "work: helping cities make international action a professional, planned policy.\n\n"
            "Illustrative: the exact day and the venue are not given in the network's "
            "description.",
        ),
    },
    "joint-training-session-with-femp": {
        "original_language": "es",
        "title": text(
            es="Sesión de formación conjunta con la FEMP",
            pt="Sessão de formação conjunta com a FEMP",
            fr="Session de formation conjointe avec la FEMP",
            en="Joint training session with FEMP",
        ),
        "summary": text(
            es="Una sesión de formación conjunta de AL-LAs y la Federación Española de "
            "Municipios y Provincias sobre la acción internacional de las ciudades.",
            pt="Uma sessão de formação conjunta da AL-LAs e da Federação Espanhola de "
            "Municípios e Províncias sobre a ação internacional das cidades.",
            fr="Une session de formation conjointe d'AL-LAs et de la Fédération espagnole des "
            "municipalités et provinces sur l'action internationale des villes.",
            en="A joint training session of AL-LAs and the Spanish Federation of "
            "Municipalities and Provinces on the international action of cities.",
        ),
        "description": text(
            es="La FEMP es una de las redes con las que AL-LAs colabora en actividades "
            "concretas.\n\n"
            "Datos ilustrativos: las fechas, el lugar, las horas y el número de asistentes no "
            "figuran en la descripción de la red.",
            pt="A FEMP é uma das redes com as quais a AL-LAs colabora em atividades "
            "específicas.\n\n"
            "Dados ilustrativos: as datas, o local, as horas e o número de participantes não "
            "constam da descrição da rede.",
            fr="La FEMP est l'un des réseaux avec lesquels AL-LAs collabore sur des activités "
            "précises.\n\n"
            "Données illustratives : les dates, le lieu, les heures et le nombre de participants "
            "ne figurent pas dans la description du réseau.",
            en="FEMP is one of the networks AL-LAs works with on particular activities.\n\n"
            "Illustrative: the dates, the venue, the hours and the attendee counts are not "
            "given in the network's description.",
        ),
        "venue_name": text(es="Madrid", pt="Madri", fr="Madrid", en="Madrid"),
    },
    "strategic-meeting-uclg-capacity-building": {
        "original_language": "en",
        "title": text(
            es="Reunión estratégica con el equipo de fortalecimiento de capacidades de CGLU",
            pt="Reunião estratégica com a equipe de fortalecimento de capacidades da CGLU",
            fr="Réunion stratégique avec l'équipe de renforcement des capacités de CGLU",
            en="Strategic meeting with UCLG's capacity-building team",
        ),
        "summary": text(
            es="Una reunión estratégica con el equipo de fortalecimiento de capacidades de "
            "Ciudades y Gobiernos Locales Unidos, que coordina la Asociación de Municipios de "
            "los Países Bajos (VNG).",
            pt="Uma reunião estratégica com a equipe de fortalecimento de capacidades de "
            "Cidades e Governos Locais Unidos, coordenada pela Associação dos Municípios dos "
            "Países Baixos (VNG).",
            fr="Une réunion stratégique avec l'équipe de renforcement des capacités de Cités et "
            "Gouvernements Locaux Unis, coordonnée par l'Association des communes "
            "néerlandaises (VNG).",
            en="A strategic meeting with the capacity-building team of United Cities and "
            "Local Governments, coordinated by the Association of Netherlands Municipalities.",
        ),
        "description": text(
            es="La VNG y CGLU son redes con las que AL-LAs colabora en actividades concretas."
            "\n\n"
            "Datos ilustrativos: la fecha y el lugar no figuran en la descripción de la red.",
            pt="A VNG e a CGLU são redes com as quais a AL-LAs colabora em atividades "
            "específicas.\n\n"
            "Dados ilustrativos: a data e o local não constam da descrição da rede.",
            fr="La VNG et CGLU sont des réseaux avec lesquels AL-LAs collabore sur des "
            "activités précises.\n\n"
            "Données illustratives : la date et le lieu ne figurent pas dans la description du "
            "réseau.",
            en="VNG and UCLG are networks AL-LAs works with on particular activities.\n\n"
            "Illustrative: the date and the venue are not given in the network's description.",
        ),
        "venue_name": text(es="La Haya", pt="Haia", fr="La Haye", en="The Hague"),
    },
    "first-year-report": {
        "original_language": "es",
        "title": text(
            es="Informe del primer año de AL-LAs",
            pt="Relatório do primeiro ano da AL-LAs",
            fr="Rapport sur la première année d'AL-LAs",
            en="Report on the first year of AL-LAs",
        ),
        "summary": text(
            es="La red presentó el informe de su primer año de actividades el 28 de julio de 2014.",
            pt="A rede apresentou o relatório do seu primeiro ano de atividades em 28 de julho "
            "de 2014.",
            fr="Le réseau a rendu compte de sa première année d'activités le 28 juillet 2014.",
            en="The network reported on its first year of activities on 28 July 2014.",
        ),
    },
}

RESOURCES = {
    "first-year-report": {
        "original_language": "es",
        "title": text(
            es="AL-LAs: informe del primer año",
            pt="AL-LAs: relatório do primeiro ano",
            fr="AL-LAs : rapport sur la première année",
            en="AL-LAs: report on the first year",
        ),
        "description": text(
            es="El informe con el que la red dio cuenta de su primer año de actividades, el 28 "
            "de julio de 2014.\n\n"
            "Dato ilustrativo: el enlace es provisional hasta que se suba el documento.",
            pt="O relatório com o qual a rede prestou contas do seu primeiro ano de "
            "atividades, em 28 de julho de 2014.\n\n"
            "Dado ilustrativo: o link é provisório até que o documento seja enviado.",
            fr="Le rapport par lequel le réseau a rendu compte de sa première année "
            "d'activités, le 28 juillet 2014.\n\n"
            "Donnée illustrative : le lien est provisoire jusqu'à ce que le document soit "
            "déposé.",
            en="The report in which the network gave an account of its first year of "
            "activities, on 28 July 2014.\n\n"
            "Illustrative: the link is a placeholder until the document is uploaded.",
        ),
    },
    "guide-international-action-of-cities": {
        "original_language": "es",
        "title": text(
            es="Guía de la acción internacional de las ciudades",
            pt="Guia da ação internacional das cidades",
            fr="Guide de l'action internationale des villes",
            en="Guide to the international action of cities",
        ),
        "description": text(
            es="La red ofrece a alcaldes, alcaldesas y sus equipos herramientas prácticas para "
            "la acción internacional, como guías.\n\n"
            "Datos ilustrativos: el título, el enlace y la fecha de publicación de esta guía no "
            "figuran en la descripción de la red.",
            pt="A rede oferece a prefeitos, prefeitas e suas equipes ferramentas práticas para "
            "a ação internacional, como guias.\n\n"
            "Dados ilustrativos: o título, o link e a data de publicação deste guia não constam da "
            "descrição da rede.",
            fr="Le réseau offre aux maires et à leurs équipes des outils pratiques pour "
            "l'action internationale, comme des guides.\n\n"
            "Données illustratives : le titre, le lien et la date de publication de ce guide ne "
            "figurent pas dans la description du réseau.",
            en="The network gives mayors and their teams practical tools for international "
            "action, such as guides.\n\n"
            "Illustrative: the title, the link and the publication date of this guide are not "
            "given in the network's description.",
        ),
    },
}
