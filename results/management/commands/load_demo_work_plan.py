"""Load (or refresh) the demo network's first-year work plan: see results/demo.py."""

from django.core.management.base import BaseCommand, CommandError

from results.demo import DemoWorkPlanError, DemoWorkPlanLoader


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo network's first-year work plan: objectives under the six "
        "themes, indicators and illustrative targets. Needs load_demo_data first. Idempotent."
    )

    def handle(self, *args, **options):
        try:
            message = DemoWorkPlanLoader().load()
        except DemoWorkPlanError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(message))
