"""The partners of the synthetic data set (cities, networks, institutions in 60 countries) and
their memberships: dated periods since 1995 that never overlap for the same member and network,
most of them in one large world network."""

import datetime
import itertools
from decimal import Decimal

from django.utils.text import slugify

from activities.synthetic.dataset import SLUG_PREFIX, SyntheticDataError, network_count
from activities.synthetic.languages import draw_languages, texts_in_columns
from activities.synthetic.names import (
    CITY_PREFIXES,
    COUNTRIES,
    INSTITUTION_PREFIXES,
    NETWORK_PREFIXES,
    TOPICS,
    place_name,
)
from activities.synthetic.sampling import weighted
from allas.translation import columns
from partners.models import Membership, Partner
from partners.regions import region_for_country

FIRST_MEMBERSHIP = datetime.date(1995, 1, 1)
# The large world network has official names in the four languages, as UCLG has.
WORLD_NETWORK = ("Red Mundial de Ciudades y Gobiernos Locales (sintética)", "RMCGL")
# Its official names and acronyms in the columns' order (official_name_es, …, _en, then
# official_short_name_es, …, _en); other partners have none.
WORLD_NETWORK_OFFICIAL_NAMES = texts_in_columns(
    {
        "es": WORLD_NETWORK,
        "pt": ("Rede Mundial de Cidades e Governos Locais (sintética)", "RMCGL"),
        "fr": ("Réseau mondial des villes et gouvernements locaux (synthétique)", "RMVGL"),
        "en": ("World Network of Cities and Local Governments (synthetic)", "WNCLG"),
    }
)
NO_OFFICIAL_NAMES = ("",) * len(WORLD_NETWORK_OFFICIAL_NAMES)


def write_partners(data, writer):
    rng = data.rng("partners")
    language_rng = data.rng("partners languages")
    n = data.counts.partners
    networks = network_count(n)
    institutions = max(1, round(n * 0.16))
    kinds = [Partner.Kind.NETWORK] * networks + [Partner.Kind.INSTITUTION] * institutions
    kinds += [Partner.Kind.CITY] * (n - len(kinds))
    first = data.next_id(Partner)
    data.partner_ids = list(range(first, first + n))
    data.partner_kinds = dict(zip(data.partner_ids, kinds, strict=True))
    ids = {kind: [] for kind in Partner.Kind}
    for pk, kind in data.partner_kinds.items():
        ids[kind].append(pk)
    data.network_ids = ids[Partner.Kind.NETWORK]
    data.city_ids = ids[Partner.Kind.CITY]
    data.institution_ids = ids[Partner.Kind.INSTITUTION]
    data.partner_names = {}
    country_weights = [c[4] for c in COUNTRIES]
    fields = [
        "id", "kind", "institution_type", "name", "short_name", "slug", "country", "region",
        "locality", "latitude", "longitude", "website", "wikidata_id", "logo", "is_public",
        "note", "created_at", "updated_at", "original_language", *columns("description"),
        *columns("official_name"), *columns("official_short_name"),
    ]  # fmt: skip
    note = f"Synthetic record (generate_synthetic_data, seed {data.seed}): not real."

    def rows():
        for index, (pk, kind) in enumerate(data.partner_kinds.items()):
            code, lat, lon, language, _weight = rng.choices(COUNTRIES, country_weights)[0]
            place = place_name(rng)
            institution_type = ""
            short_name = ""
            official_names = NO_OFFICIAL_NAMES
            if kind == Partner.Kind.NETWORK and index == 0:
                # The large world network, like UCLG: most memberships go to it.
                code, lat, lon, language = "ES", 41.4, 2.2, "es"
                name, short_name = WORLD_NETWORK
                official_names = WORLD_NETWORK_OFFICIAL_NAMES
            elif kind == Partner.Kind.NETWORK:
                name = f"{rng.choice(NETWORK_PREFIXES[language])} {place}"
                short_name = "".join(w[0] for w in name.split() if w[0].isupper())[:10]
            elif kind == Partner.Kind.INSTITUTION:
                institution_type = rng.choice(Partner.InstitutionType.values)
                name = f"{rng.choice(INSTITUTION_PREFIXES[institution_type])} {place}"
            else:
                name = f"{rng.choice(CITY_PREFIXES[language])} {place}"
                short_name = place
            data.partner_names[pk] = short_name or name
            has_point = rng.random() < 0.95
            latitude = Decimal(f"{lat + rng.uniform(-2, 2):.5f}") if has_point else None
            longitude = Decimal(f"{lon + rng.uniform(-2, 2):.5f}") if has_point else None
            slug = f"{SLUG_PREFIX}{slugify(name)[:70]}-{index + 1}"
            topic = rng.choice(TOPICS)
            original, written = draw_languages(language_rng)
            descriptions = texts_in_columns(
                {lang: (f"{name}: {topic[lang]}.",) for lang in written}
            )
            yield (
                pk, kind, institution_type, name, short_name, slug, code,
                region_for_country(code), place, latitude, longitude,
                f"https://{slug}.example.org", "", "", rng.random() < 0.97, note, data.stamp,
                data.stamp, original, *descriptions, *official_names,
            )  # fmt: skip

    writer.write("partners", Partner, fields, rows(), n)


def write_memberships(data, writer):
    rng = data.rng("memberships")
    total = data.counts.memberships
    networks = data.network_ids
    cum_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(networks))))
    pools = [
        (data.city_ids or data.partner_ids, 85),
        (networks, 10),
        (data.institution_ids or data.partner_ids, 5),
    ]
    span = (data.today - FIRST_MEMBERSHIP).days
    pairs = set()
    founded = set()
    fields = ["member_id", "network_id", "role", "joined_on", "left_on", "note"]

    def free_pair():
        for _attempt in range(1000):
            network = rng.choices(networks, cum_weights=cum_weights)[0]
            member = rng.choice(weighted(rng, pools))
            if member != network and (member, network) not in pairs:
                return member, network
        for network in networks:  # nearly full: take the first free pair
            for member in data.partner_ids:
                if member != network and (member, network) not in pairs:
                    return member, network
        raise SyntheticDataError("No free member and network pair left for more memberships.")

    def rows():
        remaining = total
        while remaining:
            member, network = free_pair()
            pairs.add((member, network))
            periods = min(remaining, rng.choice([1, 1, 1, 1, 1, 2, 2, 3]))
            remaining -= periods
            # Distinct days in order: each period ends before the next one starts, so no two
            # share a day (Membership.overlapping_periods), and only the last may stay open.
            days = sorted(rng.sample(range(span), 2 * periods))
            if network not in founded:
                role = Membership.Role.COORDINATOR
                founded.add(network)
            elif data.partner_kinds[member] == Partner.Kind.INSTITUTION:
                role = rng.choice([Membership.Role.ASSOCIATE, Membership.Role.OBSERVER])
            else:
                role = weighted(
                    rng,
                    [
                        (Membership.Role.PARTNER, 70),
                        (Membership.Role.ASSOCIATE, 20),
                        (Membership.Role.OBSERVER, 10),
                    ],
                )
            for i in range(periods):
                joined = FIRST_MEMBERSHIP + datetime.timedelta(days=days[2 * i])
                left = FIRST_MEMBERSHIP + datetime.timedelta(days=days[2 * i + 1])
                if i == periods - 1 and rng.random() < 0.6:
                    left = None
                yield member, network, role, joined, left, ""

    writer.write("memberships", Membership, fields, rows(), total)
