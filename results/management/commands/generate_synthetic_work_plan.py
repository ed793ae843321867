"""Add a work plan to the synthetic data set, for the benchmark: see results/synthetic.py."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from results.synthetic import SyntheticWorkPlanError, generate_work_plan


class Command(BaseCommand):
    help = (
        "Add (or refresh) a work plan over the synthetic data set (generate_synthetic_data "
        "first): three yearly periods, eight objectives, forty indicators using every "
        "definition and narrowing, targets for each period. Idempotent. -v2 prints how long "
        "each figure took to compute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The periods are the years of this date (YYYY-MM-DD; default today) and of "
            "the two before it.",
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        try:
            report = generate_work_plan(today=today, seed=options["seed"])
        except SyntheticWorkPlanError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 2:
            self.stdout.write("Figure computed for each target (slowest first):")
            for indicator, period, seconds in sorted(report.timings, key=lambda t: -t[2]):
                self.stdout.write(f"  {seconds * 1000:8.1f} ms  {period.slug}  {indicator.name}")
        total = sum(seconds for _i, _p, seconds in report.timings)
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic work plan: {len(report.periods)} periods "
                f"({', '.join(p.slug for p in report.periods)}), {report.objectives} objectives, "
                f"{report.indicators} indicators; {report.saved} records saved; "
                f"{len(report.timings)} figures computed in {total:.1f} s."
            )
        )
