"""Create the local coordinator account and one demo staff account (for Montevideo).

Each password is random and printed once, when the account is created; an existing account is
left as it is (run `manage.py changepassword <name>` to set a new password).
"""

import secrets

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from allas.roles import COORDINATORS_GROUP
from partners.models import Partner, PartnerStaff

COORDINATOR = "coordinator"
STAFF = "montevideo-staff"


class Command(BaseCommand):
    help = "Create the local coordinator and Montevideo staff accounts if they are missing."

    @transaction.atomic
    def handle(self, *args, **options):
        coordinator, password = self.ensure_user(COORDINATOR, is_staff=True)
        coordinators = Group.objects.get(name=COORDINATORS_GROUP)
        # add() of a link that exists is still an INSERT (one that conflicts and uses up an id):
        # a second run must write nothing.
        if not coordinator.groups.filter(pk=coordinators.pk).exists():
            coordinator.groups.add(coordinators)
        self.report("Coordinator (admin at /admin/)", coordinator, password)

        montevideo = Partner.objects.filter(slug="montevideo").first()
        if montevideo is None:
            self.stdout.write(
                "No Montevideo partner: load the demo data first for a staff account."
            )
            return
        staff, password = self.ensure_user(STAFF, is_staff=False)
        PartnerStaff.objects.get_or_create(user=staff, partner=montevideo)
        self.report("Staff of Montevideo (staff area at /es/staff/)", staff, password)

    def ensure_user(self, username, *, is_staff):
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, None
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=is_staff)
        return user, password

    def report(self, label, user, password):
        if password is None:
            self.stdout.write(
                f"{label}: user “{user.username}” already exists (password unchanged)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{label}: user “{user.username}”, password {password} (shown only this once)"
                )
            )
