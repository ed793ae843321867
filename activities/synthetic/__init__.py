"""A large synthetic data set, for benchmarks and for trying the site at the size the network
will reach (``manage.py generate_synthetic_data`` parses the options and calls ``generate``).

Deterministic: the same seed, the same ``today`` and the same counts give the same records
(primary keys included, on an empty database). Every database rule holds: memberships of a
partner in a network never overlap, each agreement's status is the end of a recorded lifecycle
whose every step passes ``partners.services.agreement_step`` (the rules the service applies),
participations are unique per activity and partner, and so on
(tests/activities/test_synthetic_data.py checks them).

Rows are written in bulk (PostgreSQL: COPY; other databases: ``bulk_create`` in batches), so
simple-history records no history for them and nobody is their author: synthetic data has no
authors. Every slug starts with ``syn-`` and every partner's internal note says it is synthetic.

Texts have languages as in the network: each record is written in one language, most in
Spanish or Portuguese, and translated into each other language about half of the time, so
pages show fallbacks (``languages``).

Modules: ``dataset`` (counts, sizes and the state the sections share), ``build`` (the order
of the sections, the transaction and what follows the bulk writes), one module per section
(``partners_and_memberships``, ``agreements``, ``activities_and_participations``,
``resources``), ``names`` and ``sampling`` (the words and the random draws they use),
``languages`` (the language of each record's texts), ``writer`` (COPY or ``bulk_create``, with
a progress bar).
"""

from activities.synthetic.build import generate
from activities.synthetic.dataset import SIZES, Counts, SyntheticDataError

__all__ = ["SIZES", "Counts", "SyntheticDataError", "generate"]
