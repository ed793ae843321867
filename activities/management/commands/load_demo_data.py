"""Load (or refresh) the demo network: see activities/demo/loader.py."""

from django.core.management.base import BaseCommand

from activities.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load (or refresh) the demo data of the AL-LAs network. Idempotent."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(DemoLoader().load()))
