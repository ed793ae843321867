"""Fill the database with a large synthetic data set, for benchmarks and for trying the site at
the size the network will reach.

Deterministic: the same ``--seed``, the same ``--today`` and the same counts give the same
records (primary keys included, on an empty database). Every database rule holds: memberships
of a partner in a network never overlap, each agreement's status is the end of a recorded
lifecycle that follows ``Agreement.TRANSITIONS``, participations are unique per activity and
partner, and so on (tests/activities/test_synthetic_data.py checks them).

Rows are written in bulk (PostgreSQL: COPY; other databases: ``bulk_create`` in batches), so
simple-history records no history for them and nobody is their author: synthetic data has no
authors. Every slug starts with ``syn-`` and every partner's internal note says it is synthetic.
"""

import datetime
import io
import itertools
import math
import random
import sys
import time
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from activities.management.commands.load_demo_data import THEMES
from activities.models import Activity, Participation, Resource
from allas.cache import new_content_version
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Membership,
    Partner,
    Theme,
)
from partners.regions import region_for_country

SLUG_PREFIX = "syn-"


@dataclass(frozen=True)
class Counts:
    partners: int
    memberships: int
    agreements: int
    activities: int
    participations: int
    resources: int


SIZES = {
    "tiny": Counts(60, 150, 20, 300, 1_500, 30),
    "small": Counts(500, 3_000, 300, 10_000, 100_000, 500),
    "medium": Counts(2_000, 12_000, 1_200, 40_000, 400_000, 2_000),
    "default": Counts(5_000, 30_000, 3_000, 100_000, 1_000_000, 5_000),
}

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
TOPICS = [
    "acción internacional de las ciudades",
    "cooperación descentralizada",
    "comunicación internacional",
    "marcos jurídicos de la acción exterior",
    "movilidad urbana sostenible",
    "gestión de residuos",
    "planificación estratégica internacional",
    "relaciones con actores no gubernamentales",
    "incidencia política local",
    "financiación internacional",
    "gobernanza metropolitana",
    "cambio climático y ciudades",
]
ACTIVITY_WORDS = {
    Activity.Kind.TRAINING: "Curso",
    Activity.Kind.STRATEGIC_MEETING: "Reunión estratégica",
    Activity.Kind.SEMINAR: "Taller",
    Activity.Kind.STUDY_VISIT: "Visita de estudio",
    Activity.Kind.LOBBYING: "Acción de incidencia",
    Activity.Kind.CAMPAIGN: "Campaña",
    Activity.Kind.PUBLICATION: "Publicación",
    Activity.Kind.CONFERENCE: "Conferencia",
}
ACTIVITY_KIND_WEIGHTS = {
    Activity.Kind.TRAINING: 30,
    Activity.Kind.SEMINAR: 20,
    Activity.Kind.STRATEGIC_MEETING: 12,
    Activity.Kind.CONFERENCE: 10,
    Activity.Kind.STUDY_VISIT: 8,
    Activity.Kind.CAMPAIGN: 7,
    Activity.Kind.PUBLICATION: 7,
    Activity.Kind.LOBBYING: 6,
}
# Next step of an agreement's lifecycle and how likely each is (stopping included, as None).
LIFECYCLE_WEIGHTS = {
    Agreement.Status.PROPOSED: [
        (Agreement.Status.UNDER_EVALUATION, 45),
        (Agreement.Status.NEGOTIATION, 30),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.UNDER_EVALUATION: [
        (Agreement.Status.NEGOTIATION, 35),
        (Agreement.Status.SIGNED, 40),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.NEGOTIATION: [
        (Agreement.Status.UNDER_EVALUATION, 10),
        (Agreement.Status.SIGNED, 65),
        (Agreement.Status.DECLINED, 10),
        (None, 15),
    ],
    Agreement.Status.SIGNED: [(Agreement.Status.IN_FORCE, 85), (Agreement.Status.TERMINATED, 10)],
}

FIRST_MEMBERSHIP = datetime.date(1995, 1, 1)
FIRST_AGREEMENT = datetime.date(2005, 1, 1)
FIRST_ACTIVITY = datetime.date(2013, 5, 1)
NOON = datetime.time(12, 0, tzinfo=datetime.UTC)


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def random_date(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def spread(rng, total, n, cap):
    """``n`` whole numbers between 1 (0 if total < n) and ``cap`` that add up to ``total``,
    skewed like real life: many small, a few large."""
    if n == 0:
        return []
    low = 1 if total >= n else 0
    mean = total / n
    sizes = [min(cap, max(low, round(mean * rng.expovariate(1.0)))) for _ in range(n)]
    missing = total - sum(sizes)
    order = list(range(n))
    while missing:
        rng.shuffle(order)
        share = max(1, abs(missing) // n + 1)
        for i in order:
            if missing > 0 and sizes[i] < cap:
                step = min(missing, cap - sizes[i], share)
            elif missing < 0 and sizes[i] > low:
                step = -min(-missing, sizes[i] - low, share)
            else:
                continue
            sizes[i] += step
            missing -= step
            if not missing:
                break
    return sizes


class Progress:
    """A plain progress bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    WIDTH = 30

    def __init__(self, label, total, stream=None, enabled=True):
        self.label, self.total, self.stream = label, max(total, 1), stream or sys.stderr
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.last_tenth = -1

    def advance(self, n):
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        tenth = self.done * 10 // self.total
        if (self.tty and now - self.last_draw > 0.2) or (not self.tty and tenth > self.last_tenth):
            self.draw(now)
            self.last_draw, self.last_tenth = now, tenth

    def draw(self, now, end=""):
        filled = min(self.WIDTH, self.WIDTH * self.done // self.total)
        rate = self.done / max(now - self.started, 1e-6)
        line = (
            f"{self.label:<26} [{'#' * filled}{' ' * (self.WIDTH - filled)}] "
            f"{self.done:>9,}/{self.total:,} {rate:>10,.0f} rows/s"
        )
        self.stream.write(("\r" + line + end) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self):
        if self.enabled and self.tty:
            self.draw(time.monotonic(), end="\n")


def copy_value(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


class Writer:
    """Writes rows (tuples in the order of ``fields``) into a model's table: COPY on
    PostgreSQL, ``bulk_create`` elsewhere."""

    BATCH = 20_000

    def __init__(self, progress_stream, show_progress):
        self.copy = connection.vendor == "postgresql"
        self.progress_stream, self.show_progress = progress_stream, show_progress
        self.timings = {}

    def write(self, label, model, fields, rows, total):
        progress = Progress(label, total, self.progress_stream, self.show_progress)
        started = time.monotonic()
        batch = []
        written = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= self.BATCH:
                self.flush(model, fields, batch)
                written += len(batch)
                progress.advance(len(batch))
                batch = []
        if batch:
            self.flush(model, fields, batch)
            written += len(batch)
            progress.advance(len(batch))
        progress.finish()
        seconds, rows_before = self.timings.get(label, (0.0, 0))
        self.timings[label] = (seconds + time.monotonic() - started, rows_before + written)
        return written

    def flush(self, model, fields, batch):
        if self.copy:
            columns = ", ".join(
                connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
            )
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join(map(copy_value, row)))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                    "FROM STDIN",
                    buffer,
                )
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch], batch_size=500
            )


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic synthetic data set (partners, memberships, "
        "agreements with their lifecycle, activities, participations, resources) at a chosen "
        "size. Rows are written in bulk, so no simple-history records are made for them "
        "(synthetic data has no authors). Use an empty database, or one without synthetic "
        "data: every slug starts with 'syn-'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="default",
            help="Preset counts: "
            + "; ".join(
                f"{name}: " + ", ".join(f"{v:,} {k}" for k, v in asdict(counts).items())
                for name, counts in SIZES.items()
            ),
        )
        for name in asdict(SIZES["default"]):
            parser.add_argument(
                f"--{name}", type=int, default=None, help=f"Number of {name} (overrides --size)."
            )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date the data set is built around (YYYY-MM-DD; default today): "
            "memberships and agreements run up to it, activities to a year after it.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, **options):
        preset = asdict(SIZES[options["size"]])
        counts = Counts(**{k: v if options[k] is None else options[k] for k, v in preset.items()})
        self.check_counts(counts)
        if Partner.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(
                "This database already holds synthetic data (slugs starting with 'syn-'). "
                "Use a fresh database, or empty this one with `manage.py flush`."
            )
        today = options["today"] or timezone.localdate()
        builder = DataSet(counts, seed=options["seed"], today=today)
        writer = Writer(self.stderr._out, not options["no_progress"])
        started = time.monotonic()
        with transaction.atomic():
            builder.write(writer)
            self.reset_sequences()
        # Bulk writes send no signals: every cached page is stale now.
        new_content_version()
        if connection.vendor == "postgresql":
            analyse_started = time.monotonic()
            # VACUUM sets the visibility map, so counts can use index-only scans; it cannot run
            # inside a transaction (as in the test suite), where ANALYZE alone does.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in builder.touched_tables():
                    cursor.execute(f"{command} {connection.ops.quote_name(table)}")
            writer.timings["vacuum analyze"] = (time.monotonic() - analyse_started, 0)
        self.report(writer.timings, time.monotonic() - started, counts, options["seed"], today)

    def check_counts(self, c):
        if min(asdict(c).values()) < 0:
            raise CommandError("Counts cannot be negative.")
        if c.partners < 4:
            raise CommandError("At least 4 partners are needed (cities, networks, institutions).")
        networks = DataSet.network_count(c.partners)
        if c.memberships > 3 * networks * (c.partners - 1):
            raise CommandError(
                f"{c.memberships:,} memberships do not fit: {networks} networks and "
                f"{c.partners:,} partners allow at most {3 * networks * (c.partners - 1):,}."
            )
        if c.participations > c.activities * c.partners:
            raise CommandError(
                "Too many participations: at most one per activity and partner "
                f"({c.activities * c.partners:,})."
            )
        if c.agreements and c.partners < 2:
            raise CommandError("Agreements need at least 2 partners.")

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(
            no_style(), [Partner, Agreement, Activity, Resource]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def report(self, timings, seconds, counts, seed, today):
        self.stdout.write(f"Synthetic data set (seed {seed}, today {today}):")
        total_rows = 0
        for label, (spent, rows) in timings.items():
            total_rows += rows
            rate = f"{rows / spent:>12,.0f} rows/s" if rows and spent else ""
            self.stdout.write(f"  {label:<24} {rows:>10,} rows {spent:>8.1f} s {rate}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total_rows:,} rows in {seconds:.1f} s "
                f"({total_rows / max(seconds, 1e-6):,.0f} rows/s)."
            )
        )


class DataSet:
    """Builds the rows. Each section has its own random stream, so changing one count leaves
    the other sections' choices as they were where possible."""

    def __init__(self, counts, *, seed, today):
        self.counts, self.seed, self.today = counts, seed, today
        self.now = datetime.datetime.combine(today, NOON)
        self.stamp = timezone.now()

    def rng(self, section):
        return random.Random(f"{self.seed}:{section}")

    @staticmethod
    def network_count(partners):
        return max(2, round(partners * 0.04))

    def touched_tables(self):
        models = [
            Partner, Membership, Agreement, AgreementParty, AgreementStatusChange, Activity,
            Participation, Resource, Agreement.themes.through, Activity.themes.through,
            Resource.themes.through, Resource.activities.through, Resource.partners.through,
        ]  # fmt: skip
        return [model._meta.db_table for model in models]

    def next_id(self, model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def write(self, writer):
        self.themes = self.ensure_themes()
        self.write_partners(writer)
        self.write_memberships(writer)
        self.write_agreements(writer)
        self.write_activities(writer)
        self.write_participations(writer)
        self.write_resources(writer)

    def ensure_themes(self):
        for position, (slug, es, pt, fr, en) in enumerate(THEMES):
            Theme.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_es": es,
                    "name_pt": pt,
                    "name_fr": fr,
                    "name_en": en,
                    "position": position,
                },
            )
        return list(Theme.objects.order_by("slug").values_list("pk", flat=True))

    # Names.

    def place(self, rng):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return name.capitalize()

    # Partners.

    def write_partners(self, writer):
        rng = self.rng("partners")
        n = self.counts.partners
        networks = self.network_count(n)
        institutions = max(1, round(n * 0.16))
        kinds = [Partner.Kind.NETWORK] * networks + [Partner.Kind.INSTITUTION] * institutions
        kinds += [Partner.Kind.CITY] * (n - len(kinds))
        first = self.next_id(Partner)
        self.partner_ids = list(range(first, first + n))
        self.partner_kinds = dict(zip(self.partner_ids, kinds, strict=True))
        self.network_ids = [pk for pk, kind in self.partner_kinds.items() if kind == "network"]
        self.city_ids = [pk for pk, kind in self.partner_kinds.items() if kind == "city"]
        self.institution_ids = [pk for pk, k in self.partner_kinds.items() if k == "institution"]
        self.partner_names = {}
        country_weights = [c[4] for c in COUNTRIES]
        fields = [
            "id", "kind", "institution_type", "name", "short_name", "slug", "country", "region",
            "locality", "latitude", "longitude", "website", "description", "logo", "is_public",
            "note", "created_at", "updated_at",
        ]  # fmt: skip
        note = f"Synthetic record (generate_synthetic_data, seed {self.seed}): not real."

        def rows():
            for index, (pk, kind) in enumerate(self.partner_kinds.items()):
                code, lat, lon, language, _weight = rng.choices(COUNTRIES, country_weights)[0]
                place = self.place(rng)
                institution_type = ""
                short_name = ""
                if kind == Partner.Kind.NETWORK and index == 0:
                    # The large world network, like UCLG: most memberships go to it.
                    code, lat, lon, language = "ES", 41.4, 2.2, "es"
                    name = "Red Mundial de Ciudades y Gobiernos Locales (sintética)"
                    short_name = "RMCGL"
                elif kind == Partner.Kind.NETWORK:
                    name = f"{rng.choice(NETWORK_PREFIXES[language])} {place}"
                    short_name = "".join(w[0] for w in name.split() if w[0].isupper())[:10]
                elif kind == Partner.Kind.INSTITUTION:
                    institution_type = rng.choice(Partner.InstitutionType.values)
                    name = f"{rng.choice(INSTITUTION_PREFIXES[institution_type])} {place}"
                else:
                    name = f"{rng.choice(CITY_PREFIXES[language])} {place}"
                    short_name = place
                self.partner_names[pk] = short_name or name
                has_point = rng.random() < 0.95
                latitude = Decimal(f"{lat + rng.uniform(-2, 2):.5f}") if has_point else None
                longitude = Decimal(f"{lon + rng.uniform(-2, 2):.5f}") if has_point else None
                slug = f"{SLUG_PREFIX}{slugify(name)[:70]}-{index + 1}"
                yield (
                    pk, kind, institution_type, name, short_name, slug, code,
                    region_for_country(code), place, latitude, longitude,
                    f"https://{slug}.example.org", f"{name}: {rng.choice(TOPICS)}.", "",
                    rng.random() < 0.97, note, self.stamp, self.stamp,
                )  # fmt: skip

        writer.write("partners", Partner, fields, rows(), n)

    # Memberships: dated periods that never overlap for the same member and network.

    def write_memberships(self, writer):
        rng = self.rng("memberships")
        total = self.counts.memberships
        networks = self.network_ids
        cum_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(networks)))
        )
        pools = [
            (self.city_ids or self.partner_ids, 85),
            (networks, 10),
            (self.institution_ids or self.partner_ids, 5),
        ]
        span = (self.today - FIRST_MEMBERSHIP).days
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
                for member in self.partner_ids:
                    if member != network and (member, network) not in pairs:
                        return member, network
            raise CommandError("No free member and network pair left for more memberships.")

        def rows():
            remaining = total
            while remaining:
                member, network = free_pair()
                pairs.add((member, network))
                periods = min(remaining, rng.choice([1, 1, 1, 1, 1, 2, 2, 3]))
                remaining -= periods
                days = sorted(rng.sample(range(span), 2 * periods))
                if network not in founded:
                    role = Membership.Role.COORDINATOR
                    founded.add(network)
                elif self.partner_kinds[member] == Partner.Kind.INSTITUTION:
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

    # Agreements with their lifecycle.

    def lifecycle(self, rng, proposed_on):
        """The steps of one agreement, as ``agreement_change_status`` would have recorded them:
        returns (status, signed_on, starts_on, ends_on, [(from, to, date), ...])."""
        status = Agreement.Status.PROPOSED
        steps = [("", status, proposed_on)]
        signed_on = starts_on = ends_on = None
        day = proposed_on
        for _step in range(8):
            if status == Agreement.Status.IN_FORCE:
                if ends_on < self.today:
                    target, on = Agreement.Status.EXPIRED, ends_on
                elif rng.random() < 0.05:
                    target = Agreement.Status.TERMINATED
                    on = random_date(rng, day, self.today)
                else:
                    break
            elif status in LIFECYCLE_WEIGHTS:
                target = weighted(rng, LIFECYCLE_WEIGHTS[status])
                on = day + datetime.timedelta(days=rng.randint(15, 240))
                if target is None or on > self.today:
                    break
            else:
                break
            if target == Agreement.Status.SIGNED:
                signed_on = on
            if target == Agreement.Status.IN_FORCE:
                starts_on = on
                ends_on = on + datetime.timedelta(days=365 * rng.randint(1, 6))
            if target in (Agreement.Status.EXPIRED, Agreement.Status.TERMINATED) and not ends_on:
                ends_on = on
            steps.append((status, target, on))
            status, day = target, on
        return status, signed_on, starts_on, ends_on, steps

    def write_agreements(self, writer):
        rng = self.rng("agreements")
        n = self.counts.agreements
        first = self.next_id(Agreement)
        agreements, parties, changes, themes = [], [], [], []
        self.signed_agreement_ids = []
        kind_words = {
            Agreement.Kind.MOU: "Memorando de entendimiento",
            Agreement.Kind.COOPERATION: "Convenio de cooperación",
            Agreement.Kind.PARTNERSHIP: "Acuerdo de asociación",
            Agreement.Kind.LETTER_OF_INTENT: "Carta de intención",
        }
        for index in range(n):
            pk = first + index
            kind = rng.choice(Agreement.Kind.values)
            members = rng.sample(self.partner_ids, weighted(rng, [(2, 70), (3, 20), (4, 10)]))
            proposed_on = random_date(rng, FIRST_AGREEMENT, self.today)
            status, signed_on, starts_on, ends_on, steps = self.lifecycle(rng, proposed_on)
            if status in Agreement.SIGNED_STATUSES:
                self.signed_agreement_ids.append(pk)
            names = " y ".join(self.partner_names[m] for m in members[:2])
            title = f"{kind_words[kind]} entre {names}"
            agreements.append(
                (
                    pk,
                    title[:250],
                    f"{SLUG_PREFIX}agreement-{index + 1:05d}",
                    kind,
                    status,
                    proposed_on,
                    signed_on,
                    starts_on,
                    ends_on,
                    f"{title}: {rng.choice(TOPICS)}.",
                    "",
                    rng.random() < 0.9,
                    "",
                    self.stamp,
                    self.stamp,
                )  # fmt: skip
            )
            for position, member in enumerate(members):
                role = (
                    AgreementParty.Role.SIGNATORY
                    if position < 2
                    else rng.choice(AgreementParty.Role.values)
                )
                parties.append((pk, member, role))
            for order, (from_status, to_status, on) in enumerate(steps):
                recorded = datetime.datetime.combine(on, NOON) + datetime.timedelta(seconds=order)
                note = "Agreement recorded." if not from_status else ""
                changes.append((pk, from_status, to_status, on, None, note, recorded))
            for theme in rng.sample(self.themes, min(len(self.themes), rng.randint(1, 3))):
                themes.append((pk, theme))
        writer.write(
            "agreements",
            Agreement,
            [
                "id",
                "title",
                "slug",
                "kind",
                "status",
                "proposed_on",
                "signed_on",
                "starts_on",
                "ends_on",
                "summary",
                "document",
                "is_public",
                "note",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            agreements,
            n,
        )
        writer.write(
            "agreement parties",
            AgreementParty,
            ["agreement_id", "partner_id", "role"],
            parties,
            len(parties),
        )
        writer.write(
            "agreement status changes",
            AgreementStatusChange,
            [
                "agreement_id",
                "from_status",
                "to_status",
                "changed_on",
                "changed_by_id",
                "note",
                "recorded_at",
            ],  # fmt: skip
            changes,
            len(changes),
        )
        writer.write(
            "agreement themes",
            Agreement.themes.through,
            ["agreement_id", "theme_id"],
            themes,
            len(themes),
        )

    # Activities.

    def write_activities(self, writer):
        rng = self.rng("activities")
        n = self.counts.activities
        first = self.next_id(Activity)
        self.activity_ids = list(range(first, first + n))
        self.activity_kinds = {}
        last_day = self.today + datetime.timedelta(days=365)
        kinds = list(ACTIVITY_KIND_WEIGHTS.items())
        themes = []
        fields = [
            "id", "title", "slug", "kind", "status", "published_at", "summary", "description",
            "starts_on", "ends_on", "venue_type", "venue_partner_id", "venue_name",
            "venue_country", "outcomes", "agreement_id", "hours", "format", "trainers", "notes",
            "created_by_id", "created_at", "updated_at",
        ]  # fmt: skip
        S = Activity.Status

        def rows():
            for index, pk in enumerate(self.activity_ids):
                kind = weighted(rng, kinds)
                self.activity_kinds[pk] = kind
                starts_on = random_date(rng, FIRST_ACTIVITY, last_day)
                ends_on = None
                if rng.random() < 0.4:
                    ends_on = starts_on + datetime.timedelta(days=rng.randint(1, 4))
                upcoming = starts_on > self.today
                status = weighted(
                    rng,
                    [(S.PUBLISHED, 80), (S.DRAFT, 8), (S.SUBMITTED, 8), (S.CANCELLED, 4)]
                    if upcoming
                    else [(S.PUBLISHED, 88), (S.DRAFT, 4), (S.SUBMITTED, 2), (S.CANCELLED, 6)],
                )
                published_at = None
                if status == S.PUBLISHED or (status == S.CANCELLED and rng.random() < 0.8):
                    published = datetime.datetime.combine(
                        starts_on - datetime.timedelta(days=rng.randint(10, 90)), NOON
                    )
                    published_at = min(published, self.now)
                venue_type = weighted(
                    rng,
                    [
                        (Activity.VenueType.CITY, 60),
                        (Activity.VenueType.PLACE, 25),
                        (Activity.VenueType.ONLINE, 15),
                    ],
                )
                venue_partner = venue_name = venue_country = None
                place = self.place(rng)
                if venue_type == Activity.VenueType.CITY and self.city_ids:
                    venue_partner = rng.choice(self.city_ids)
                    place = self.partner_names[venue_partner]
                    venue_name, venue_country = "", ""
                elif venue_type != Activity.VenueType.ONLINE:
                    venue_type = Activity.VenueType.PLACE
                    venue_name = f"Centro de Convenciones de {place}"
                    venue_country = rng.choices(COUNTRIES, [c[4] for c in COUNTRIES])[0][0]
                else:
                    venue_name, venue_country, place = "", "", "en línea"
                topic = rng.choice(TOPICS)
                title = f"{ACTIVITY_WORDS[kind]}: {topic} ({place}, {starts_on.year})"
                hours = training_format = None
                trainers = ""
                if kind == Activity.Kind.TRAINING:
                    hours = Decimal(rng.randint(2, 80)) / 2
                    training_format = rng.choice(Activity.Format.values)
                    trainers = f"Equipo de formación de {self.place(rng)}"
                agreement = None
                if self.signed_agreement_ids and rng.random() < 0.08:
                    agreement = rng.choice(self.signed_agreement_ids)
                outcomes = "" if upcoming else f"Conclusiones sobre {topic}."
                for theme in rng.sample(self.themes, min(len(self.themes), rng.randint(1, 3))):
                    themes.append((pk, theme))
                yield (
                    pk, title, f"{SLUG_PREFIX}activity-{index + 1:06d}", kind, status,
                    published_at, f"{ACTIVITY_WORDS[kind]} sobre {topic} con los socios de la red.",
                    f"Programa de trabajo sobre {topic}. Sesiones, debates y visitas.\n"
                    "Registro sintético para pruebas de rendimiento.",
                    starts_on, ends_on, venue_type, venue_partner, venue_name, venue_country,
                    outcomes, agreement, hours, training_format or "", trainers, "", None,
                    self.stamp, self.stamp,
                )  # fmt: skip

        writer.write("activities", Activity, fields, rows(), n)
        writer.write(
            "activity themes",
            Activity.themes.through,
            ["activity_id", "theme_id"],
            themes,
            len(themes),
        )

    # Participations: unique per activity and partner.

    def write_participations(self, writer):
        rng = self.rng("participations")
        total = self.counts.participations
        n = len(self.activity_ids)
        partners = self.partner_ids
        cap = min(len(partners), max(60, math.ceil(4 * total / max(n, 1))))
        sizes = spread(rng, total, n, cap)
        big_network = self.network_ids[0]
        R = Participation.Role

        def rows():
            for activity, size in zip(self.activity_ids, sizes, strict=True):
                if not size:
                    continue
                draw = rng.random()
                if draw < 0.05:
                    organiser = big_network
                elif draw < 0.15:
                    organiser = rng.choice(self.network_ids)
                else:
                    organiser = rng.choice(partners)
                others = rng.sample(partners, min(len(partners), size))
                chosen = [organiser] + [p for p in others if p != organiser][: size - 1]
                training = self.activity_kinds[activity] == Activity.Kind.TRAINING
                for position, partner in enumerate(chosen):
                    if position == 0:
                        role = R.ORGANISER
                    elif position == 1 and rng.random() < 0.3:
                        role = R.CO_ORGANISER
                    elif position == 2 and training and rng.random() < 0.5:
                        role = R.TRAINER
                    else:
                        role = R.PARTICIPANT
                    if training:
                        attendees = rng.randint(1, 60)
                    else:
                        attendees = 0 if rng.random() < 0.3 else rng.randint(1, 40)
                    yield activity, partner, role, attendees

        writer.write(
            "participations",
            Participation,
            ["activity_id", "partner_id", "role", "attendees"],
            rows(),
            total,
        )

    # Resources of the knowledge hub.

    def write_resources(self, writer):
        rng = self.rng("resources")
        n = self.counts.resources
        first = self.next_id(Resource)
        themes, activities, partners = [], [], []
        kind_words = {
            Resource.Kind.GUIDE: "Guía",
            Resource.Kind.TOOLKIT: "Caja de herramientas",
            Resource.Kind.REPORT: "Informe",
            Resource.Kind.PRESENTATION: "Presentación",
            Resource.Kind.VIDEO: "Vídeo",
            Resource.Kind.LINK: "Enlace",
        }
        languages = [("es", 45), ("pt", 20), ("fr", 15), ("en", 15), ("other", 5)]
        fields = [
            "id", "title", "slug", "kind", "description", "file", "url", "language",
            "published_on", "is_public", "created_by_id", "created_at", "updated_at",
        ]  # fmt: skip

        def rows():
            for index in range(n):
                pk = first + index
                kind = rng.choice(Resource.Kind.values)
                topic = rng.choice(TOPICS)
                slug = f"{SLUG_PREFIX}resource-{index + 1:05d}"
                published_on = None
                if rng.random() < 0.9:
                    published_on = random_date(rng, FIRST_ACTIVITY, self.today)
                for theme in rng.sample(self.themes, min(len(self.themes), rng.randint(1, 2))):
                    themes.append((pk, theme))
                if self.activity_ids and rng.random() < 0.5:
                    for activity in rng.sample(
                        self.activity_ids, min(len(self.activity_ids), rng.randint(1, 2))
                    ):
                        activities.append((pk, activity))
                for partner in rng.sample(self.partner_ids, rng.randint(1, 2)):
                    partners.append((pk, partner))
                yield (
                    pk, f"{kind_words[kind]}: {topic}", slug, kind,
                    f"{kind_words[kind]} sobre {topic}.", "", f"https://example.org/{slug}",
                    weighted(rng, languages), published_on, rng.random() < 0.92, None,
                    self.stamp, self.stamp,
                )  # fmt: skip

        writer.write("resources", Resource, fields, rows(), n)
        for label, through, columns, values in [
            ("resource themes", Resource.themes.through, ["resource_id", "theme_id"], themes),
            (
                "resource activities",
                Resource.activities.through,
                ["resource_id", "activity_id"],
                activities,
            ),
            (
                "resource partners",
                Resource.partners.through,
                ["resource_id", "partner_id"],
                partners,
            ),
        ]:
            writer.write(label, through, columns, values, len(values))
