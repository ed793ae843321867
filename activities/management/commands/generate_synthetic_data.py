"""Fill the database with a large synthetic data set: the options and the report; the data set
itself is ``activities.synthetic`` (see its docstring for what it holds and how it is written).
"""

import datetime
import sys
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activities.synthetic import SIZES, Counts, SyntheticDataError, generate


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
        seed, today = options["seed"], options["today"] or timezone.localdate()
        try:
            timings = generate(
                counts,
                seed=seed,
                today=today,
                # The raw stream: progress bars redraw in place, without the command's styling.
                progress_file=options.get("stderr") or sys.stderr,
                show_progress=not options["no_progress"],
            )
        except SyntheticDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Synthetic data set (seed {seed}, today {today}):")
        total_rows = 0
        for label, (spent, rows) in timings.tables.items():
            total_rows += rows
            rate = f"{rows / spent:>12,.0f} rows/s" if rows and spent else ""
            self.stdout.write(f"  {label:<24} {rows:>10,} rows {spent:>8.1f} s {rate}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total_rows:,} rows in {timings.seconds:.1f} s "
                f"({total_rows / max(timings.seconds, 1e-6):,.0f} rows/s)."
            )
        )
