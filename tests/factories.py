"""Small factories with sensible defaults: call with only what the test is about."""

import collections
import datetime
import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

from activities.models import Activity, Participation, Resource
from allas.roles import COORDINATORS_GROUP
from joining import privacy
from joining.models import Application
from partners.models import Agreement, AgreementParty, Membership, Partner, PartnerStaff, Theme
from partners.services import agreement_change_status, agreement_create

_sequence = itertools.count(1)


def _n():
    return next(_sequence)


def make_theme(**fields):
    n = _n()
    fields.setdefault("slug", f"theme-{n}")
    fields.setdefault("name_es", f"Tema {n}")
    fields.setdefault("name_pt", f"Tema {n} (pt)")
    fields.setdefault("name_fr", f"Thème {n}")
    fields.setdefault("name_en", f"Theme {n}")
    return Theme.objects.create(**fields)


def make_partner(**fields):
    n = _n()
    fields.setdefault("kind", Partner.Kind.CITY)
    if fields["kind"] == Partner.Kind.INSTITUTION:
        fields.setdefault("institution_type", Partner.InstitutionType.UNIVERSITY)
    fields.setdefault("name", f"Partner {n}")
    fields.setdefault("slug", f"partner-{n}")
    fields.setdefault("country", "UY")
    return Partner.objects.create(**fields)


def make_network(**fields):
    fields.setdefault("kind", Partner.Kind.NETWORK)
    return make_partner(**fields)


def make_membership(*, member=None, network=None, **fields):
    fields.setdefault("joined_on", datetime.date(2013, 5, 1))
    return Membership.objects.create(
        member=member or make_partner(), network=network or make_network(), **fields
    )


def lifecycle_path(to_status):
    """The shortest run of steps from "proposed" to ``to_status`` that the lifecycle allows."""
    paths = {Agreement.Status.PROPOSED: []}
    queue = collections.deque([Agreement.Status.PROPOSED])
    while queue:
        status = queue.popleft()
        for following in Agreement.TRANSITIONS[status]:
            if following not in paths:
                paths[following] = [*paths[status], following]
                queue.append(following)
    return paths[Agreement.Status(to_status)]


def make_agreement(
    *, parties=None, status=Agreement.Status.PROPOSED, themes=(), step_note="", **fields
):
    """An agreement as the app makes one: created by ``agreement_create`` (which records the
    proposal), then moved to ``status`` by ``agreement_change_status``, one recorded step at a
    time. The steps are dated so that they are in order: the proposal on ``proposed_on``, the
    signature on ``signed_on``, entry into force on ``starts_on``, the end on ``ends_on``.

    ``step_note`` is the coordinator's note on each of those steps. Every agreement has at least
    two parties: missing ones are made.
    """
    n = _n()
    if not any(name.startswith("title_") for name in fields):  # else the test names each
        fields.setdefault("title", f"Agreement {n}")
    fields.setdefault("slug", f"agreement-{n}")
    fields.setdefault("kind", Agreement.Kind.COOPERATION)
    path = lifecycle_path(status)
    signed_on = fields.pop("signed_on", None) if Agreement.Status.SIGNED in path else None
    fields.setdefault("proposed_on", min(filter(None, [datetime.date(2020, 1, 1), signed_on])))
    parties = list(parties) if parties is not None else []
    parties += [make_partner() for _ in range(2 - len(parties))]
    agreement = agreement_create(
        parties=[(partner, AgreementParty.Role.SIGNATORY) for partner in parties],
        themes=themes,
        **fields,
    )
    on = agreement.proposed_on
    for step in path:
        if step == Agreement.Status.SIGNED:
            on = signed_on or on
        elif step == Agreement.Status.IN_FORCE:
            on = max(on, agreement.starts_on or on)
        elif step in (Agreement.Status.EXPIRED, Agreement.Status.TERMINATED):
            on = max(on, agreement.ends_on or on)
        agreement_change_status(agreement=agreement, to_status=step, on=on, note=step_note)
        agreement.refresh_from_db()
    return agreement


def make_activity(*, partners=(), **fields):
    """An activity; ``partners`` become organisers (first) and participants."""
    n = _n()
    if not any(name.startswith("title_") for name in fields):  # else the test names each
        fields.setdefault("title", f"Activity {n}")
    fields.setdefault("slug", f"activity-{n}")
    fields.setdefault("kind", Activity.Kind.SEMINAR)
    fields.setdefault("starts_on", datetime.date(2024, 3, 1))
    fields.setdefault("status", Activity.Status.PUBLISHED)
    if fields["kind"] == Activity.Kind.TRAINING:
        fields.setdefault("hours", 4)
        fields.setdefault("format", Activity.Format.ONLINE)
    if "venue_partner" not in fields and "venue_type" not in fields:
        fields["venue_type"] = Activity.VenueType.ONLINE
    if fields["status"] in (Activity.Status.PUBLISHED, Activity.Status.CANCELLED):
        # A cancelled activity was called off after it was published, unless published_at=None.
        fields.setdefault("published_at", timezone.now())
    activity = Activity.objects.create(**fields)
    for index, partner in enumerate(partners):
        Participation.objects.create(
            activity=activity,
            partner=partner,
            role=Participation.Role.ORGANISER if index == 0 else Participation.Role.PARTICIPANT,
            attendees=10,
        )
    return activity


def make_resource(**fields):
    n = _n()
    if not any(name.startswith("title_") for name in fields):  # else the test names each
        fields.setdefault("title", f"Resource {n}")
    fields.setdefault("slug", f"resource-{n}")
    fields.setdefault("kind", Resource.Kind.GUIDE)
    fields.setdefault("url", f"https://example.org/resource-{n}")
    fields.setdefault("published_on", datetime.date(2024, 1, 1))
    return Resource.objects.create(**fields)


def make_user(username=None, **fields):
    username = username or f"user{_n()}"
    fields.setdefault("email", f"{username}@example.org")
    user = User.objects.create_user(username=username, password="a-Long-passw0rd!", **fields)
    return user


def make_coordinator(username=None):
    user = make_user(username, is_staff=True)
    # get_or_create: transactional tests flush the group the migration created.
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


def make_staff(partner, username=None):
    """Partner staff of ``partner``: keeps its records (no ``is_staff``: not an admin user)."""
    user = make_user(username)
    PartnerStaff.objects.create(user=user, partner=partner)
    return user


PASSWORD = "a-Long-passw0rd!"


def make_application(*, status=None, **fields):
    """An application as the public form records it (unconfirmed), or in ``status``: "received"
    and later statuses are confirmed; closed ones have their closing date."""
    n = _n()
    now = timezone.now()
    fields.setdefault("language", "es")
    fields.setdefault("organisation_name", f"Ciudad {n}")
    fields.setdefault("kind", Partner.Kind.CITY)
    fields.setdefault("country", "IT")
    fields.setdefault("proposal", Application.Proposal.AGREEMENT)
    if fields["proposal"] != Application.Proposal.MEMBERSHIP:
        fields.setdefault("proposal_title", f"Cooperation {n}")
    fields.setdefault("motivation", "We would like to cooperate.")
    fields.setdefault("contact_name", f"Contact {n}")
    fields.setdefault("contact_role", "International relations")
    fields.setdefault("contact_email", f"contact{n}@example.org")
    fields.setdefault("consent_version", privacy.VERSION)
    fields.setdefault("consent_text", "Notice.")
    fields.setdefault("consent_given_at", now)
    status = status or Application.Status.UNCONFIRMED
    fields["status"] = status
    if status not in (Application.Status.UNCONFIRMED, Application.Status.ABANDONED):
        fields.setdefault("confirmed_at", now)
    if status in (
        Application.Status.ACCEPTED,
        Application.Status.DECLINED,
        Application.Status.ABANDONED,
    ):
        fields.setdefault("closed_at", now)
    if status == Application.Status.DECLINED:
        fields.setdefault("decline_reason", "Not now.")
    application = Application(**fields)
    application.full_clean()
    application.save()
    return application
