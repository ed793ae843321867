"""What a synthetic data set is made of: its counts (``Counts``, the ``SIZES`` presets, the
check that they fit) and ``DataSet``, the state its sections share (seed, dates, the ids and
kinds each section leaves for the next ones)."""

import datetime
import random
from dataclasses import asdict, dataclass

from django.utils import timezone

from activities.models import Activity, Participation, Resource
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Membership,
    Partner,
)

SLUG_PREFIX = "syn-"
NOON = datetime.time(12, 0, tzinfo=datetime.UTC)


class SyntheticDataError(Exception):
    """Counts that cannot fit, or a database that already holds a synthetic data set."""


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


def network_count(partners):
    """How many of ``partners`` are networks."""
    return max(2, round(partners * 0.04))


def check_counts(c):
    """Raise SyntheticDataError if the counts cannot make a data set that keeps every rule."""
    if min(asdict(c).values()) < 0:
        raise SyntheticDataError("Counts cannot be negative.")
    if c.partners < 4:
        raise SyntheticDataError("At least 4 partners are needed (cities, networks, institutions).")
    networks = network_count(c.partners)
    if c.memberships > 3 * networks * (c.partners - 1):
        raise SyntheticDataError(
            f"{c.memberships:,} memberships do not fit: {networks} networks and "
            f"{c.partners:,} partners allow at most {3 * networks * (c.partners - 1):,}."
        )
    if c.participations > c.activities * c.partners:
        raise SyntheticDataError(
            "Too many participations: at most one per activity and partner "
            f"({c.activities * c.partners:,})."
        )
    if c.agreements and c.partners < 2:
        raise SyntheticDataError("Agreements need at least 2 partners.")


class DataSet:
    """The state the sections share. Each section has its own random stream (``rng``), so
    changing one count leaves the other sections' choices as they were where possible.

    The sections fill in, in order: ``themes``; ``partner_ids``, ``partner_kinds``,
    ``partner_names``, ``network_ids``, ``city_ids``, ``institution_ids`` (partners);
    ``signed_agreement_ids`` (agreements); ``activity_ids``, ``activity_kinds`` (activities).
    """

    # Every table the data set writes to (VACUUM ANALYZE runs on them afterwards).
    MODELS = [
        Partner, Membership, Agreement, AgreementParty, AgreementStatusChange, Activity,
        Participation, Resource, Agreement.themes.through, Activity.themes.through,
        Resource.themes.through, Resource.activities.through, Resource.partners.through,
    ]  # fmt: skip

    def __init__(self, counts, *, seed, today):
        self.counts, self.seed, self.today = counts, seed, today
        self.now = datetime.datetime.combine(today, NOON)
        self.stamp = timezone.now()

    def rng(self, section):
        return random.Random(f"{self.seed}:{section}")

    def touched_tables(self):
        return [model._meta.db_table for model in self.MODELS]

    @staticmethod
    def next_id(model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1
