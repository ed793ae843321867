"""The coordinator dashboard: for coordinators only, charts drawn here, a CSV behind each, the
translations still missing."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Participation
from allas.roles import COORDINATORS_GROUP
from joining.models import Application
from partners.models import Agreement, Membership
from tests import factories

pytestmark = pytest.mark.django_db


URL = "/admin/dashboard/"
CHARTS = [
    "members-by-region",
    "members-over-time",
    "activities-per-year",
    "training-per-partner",
    "agreements-by-status",
]


def network_data(n):
    """n partners in a network with trainings and agreements: enough to fill every chart."""
    network = factories.make_network(name=f"Network {n}")
    today = timezone.localdate()
    for i in range(n):
        partner = factories.make_partner(country="ES" if i % 2 else "BR")
        factories.make_membership(
            member=partner,
            network=network,
            joined_on=datetime.date(2014 + i % 5, 1, 1),
            role=Membership.Role.PARTNER if i % 3 else Membership.Role.OBSERVER,
        )
        factories.make_activity(
            partners=[partner, network],
            kind=Activity.Kind.TRAINING if i % 2 else Activity.Kind.SEMINAR,
            starts_on=datetime.date(2015 + i % 4, 6, 1),
        )
        factories.make_agreement(
            parties=[partner, network],
            status=Agreement.Status.IN_FORCE,
            signed_on=datetime.date(2020, 1, 1),
            ends_on=today + datetime.timedelta(days=10 + i),
        )


def test_it_is_reachable_by_name_and_linked_from_the_admin_index(coordinator_client):
    assert reverse("admin:dashboard") == URL
    assert coordinator_client.get(URL).status_code == 200


def test_visitors_and_partner_staff_are_sent_to_the_admin_login(client, staff_a):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

    client.force_login(staff_a)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_back_office_users_who_are_not_coordinators_get_404(client):
    client.force_login(factories.make_user("clerk", is_staff=True))

    assert client.get(URL).status_code == 404
    assert client.get(URL, {"csv": "agreements-by-status"}).status_code == 404


def test_superusers_see_it(client):
    client.force_login(factories.make_user("root", is_staff=True, is_superuser=True))
    assert client.get(URL).status_code == 200


def test_it_draws_every_chart_as_svg_with_a_csv_link(coordinator_client):
    network_data(4)

    page = coordinator_client.get(URL).content.decode()

    assert page.count('<svg class="chart"') == len(CHARTS)
    for name in CHARTS:
        assert f'href="?csv={name}"' in page
    assert "<script" not in page.split('id="content-main"')[1].split("</svg>")[0]


def test_the_training_chart_counts_attendees_and_hours_per_partner(coordinator_client):
    quito = factories.make_partner(name="Quito")
    lima = factories.make_partner(name="Lima")
    first = factories.make_activity(partners=[quito, lima], kind=Activity.Kind.TRAINING, hours=3)
    factories.make_activity(partners=[quito], kind=Activity.Kind.TRAINING, hours=2)
    factories.make_activity(
        partners=[quito], kind=Activity.Kind.TRAINING, hours=50, status=Activity.Status.DRAFT
    )
    Participation.objects.filter(activity=first, partner=lima).update(attendees=7)

    response = coordinator_client.get(URL, {"csv": "training-per-partner"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["partner", "sessions", "hours", "attendees", "attendee_hours"]
    assert ["Quito", "2", "5", "20", "50"] in rows
    assert ["Lima", "1", "3", "7", "21"] in rows


def test_members_over_time_count_members_at_each_year_end(coordinator_client):
    network = factories.make_network()
    montevideo = factories.make_partner(country="UY")
    factories.make_membership(
        member=montevideo,
        network=network,
        joined_on=datetime.date(2014, 3, 1),
        left_on=datetime.date(2016, 6, 1),
    )
    factories.make_membership(
        member=factories.make_partner(country="FR"),
        network=network,
        joined_on=datetime.date(2015, 1, 1),
    )

    response = coordinator_client.get(URL, {"csv": "members-over-time"})

    rows = {(r[0], r[1]): r[2:] for r in csv.reader(io.StringIO(response.content.decode()))}
    assert rows[("2014", "latam")] == ["1", "1"]
    assert rows[("2015", "europe")] == ["1", "1"]
    assert rows[("2016", "latam")] == ["0", "0"]
    assert rows[(str(timezone.localdate().year), "europe")] == ["1", "0"]


def test_agreements_due_for_action_are_listed(coordinator_client):
    factories.make_agreement(
        title="Ends next week",
        status=Agreement.Status.IN_FORCE,
        signed_on=datetime.date(2020, 1, 1),
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    factories.make_agreement(
        title="Forgotten proposal",
        status=Agreement.Status.NEGOTIATION,
        proposed_on=datetime.date(2015, 1, 1),
    )

    page = coordinator_client.get(URL).content.decode()

    assert "Ends next week" in page
    assert "Forgotten proposal" in page


def test_an_agreement_title_in_another_language_is_marked_with_its_language(coordinator_client):
    factories.make_agreement(
        original_language="pt",
        title="Acordo de cooperação",
        status=Agreement.Status.IN_FORCE,
        signed_on=datetime.date(2020, 1, 1),
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = coordinator_client.get(URL).content.decode()

    assert '<span lang="pt">Acordo de cooperação</span> <small class="lang-note">' in page


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_downloads_as_csv(coordinator_client, name):
    network_data(2)

    response = coordinator_client.get(URL, {"csv": name})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"allas-{name}-" in response["Content-Disposition"]
    assert len(response.content.decode().splitlines()) >= 2


def test_an_unknown_chart_name_is_a_404_not_a_server_error(coordinator_client):
    assert coordinator_client.get(URL, {"csv": "<script>"}).status_code == 404


def test_the_dashboard_costs_the_same_queries_for_few_and_many_rows(
    client, coordinator, django_assert_num_queries
):
    """Prevents N+1: every figure comes from grouped queries."""
    client.force_login(coordinator)
    network_data(2)
    applications(2)
    client.get(URL)

    # 16, and one per kind of record whose missing translations are counted.
    with django_assert_num_queries(21) as few:
        client.get(URL)
    network_data(25)
    applications(25)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL)


# --- Applications to join -------------------------------------------------------------------


def applications(n):
    """n applications awaiting review, and as many the queue does not hold."""
    for _ in range(n):
        factories.make_application(status=Application.Status.RECEIVED)
        factories.make_application(status=Application.Status.UNDER_REVIEW)
        factories.make_application()  # not confirmed yet
        factories.make_application(status=Application.Status.DECLINED)


def test_applications_awaiting_review_are_due_for_action_with_a_link_to_the_queue(
    coordinator_client,
):
    applications(2)
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = coordinator_client.get(URL).content.decode()

    due = page.split('id="due-heading"')[1].split("</section>")[0]
    queue = reverse("admin:joining_application_changelist")
    assert "4 applications to join await review." in due
    assert f'<a href="{queue}">Review them</a>' in due
    queued = coordinator_client.get(queue).context["cl"].result_count
    assert queued == 4  # the link opens the very applications counted


def test_one_application_reads_in_the_singular_and_none_says_nothing(coordinator_client):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    factories.make_application()  # unconfirmed: not for coordinators yet

    assert "to join await" not in coordinator_client.get(URL).content.decode()

    factories.make_application(status=Application.Status.RECEIVED)
    assert "1 application to join awaits review." in coordinator_client.get(URL).content.decode()


# --- Translations missing -----------------------------------------------------------------


def missing_table(page):
    """{kind: [cell per language (es, pt, fr, en)]} of the "Translations missing" table."""
    table = page.split('id="missing-translations"')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tbody>")[1].split("<tr>")[1:]:
        kind = row.split('<th scope="row">')[1].split("</th>")[0]
        rows[kind] = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]
    return rows


def test_it_counts_the_records_missing_each_language_with_links_to_them(coordinator_client):
    factories.make_activity(original_language="es", title="Foro", title_pt="Fórum")
    factories.make_activity(original_language="pt", title="Oficina")
    factories.make_activity(
        title="Complete", **{f"title_{code}": "x" for code in ("es", "pt", "fr", "en")}
    )
    factories.make_theme(name_fr="", name_en="")  # the factory writes all four: lacks two
    factories.make_partner(description="Ciudad del sur")
    factories.make_partner()  # no description: nothing to translate
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = coordinator_client.get(URL).content.decode()

    table = missing_table(page)
    activities = reverse("admin:activities_activity_changelist")
    assert table["Activities"] == [
        f'<a href="{activities}?missing_language=es">1<span class="visually-hidden">: '
        "activities, missing Spanish</span></a>",
        "0",
        f'<a href="{activities}?missing_language=fr">2<span class="visually-hidden">: '
        "activities, missing French</span></a>",
        f'<a href="{activities}?missing_language=en">2<span class="visually-hidden">: '
        "activities, missing English</span></a>",
    ]
    counts = {
        kind: [re.sub(r"<[^>]+>|:.*", "", cell) for cell in cells] for kind, cells in table.items()
    }
    assert counts == {
        "Activities": ["1", "0", "2", "2"],
        "Partnership agreements": ["0", "0", "0", "0"],
        "Resources": ["0", "0", "0", "0"],
        "Themes": ["0", "0", "1", "1"],
        "Partners": ["0", "1", "1", "1"],
    }


def test_each_missing_count_is_the_length_of_the_list_it_opens(coordinator_client):
    for original in ("es", "pt", "fr"):
        factories.make_agreement(original_language=original, title=f"In {original}")
    factories.make_agreement(title="Dos", title_en="Two")

    page = coordinator_client.get(URL).content.decode()

    links = re.findall(r'<a href="([^"]+\?missing_language=(\w+))">(\d+)<', page)
    assert len(links) >= 4
    for url, _language, count in links:
        response = coordinator_client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count == int(count), url


def test_only_kinds_the_coordinator_may_change_are_counted(client):
    coordinator = factories.make_coordinator()
    group = coordinator.groups.get(name=COORDINATORS_GROUP)
    group.permissions.remove(Permission.objects.get(codename="change_theme"))
    client.force_login(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    table = missing_table(client.get(URL).content.decode())

    assert list(table) == ["Activities", "Partnership agreements", "Resources", "Partners"]


def test_the_charts_coordinates_are_numbers_in_every_language(coordinator_client):
    """Django writes 69,7 for 69.7 in Spanish, Portuguese and French: not a length a browser
    reads in an SVG attribute."""
    network_data(4)
    for language in ("es", "pt", "fr"):
        page = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        charts = "".join(part.split("</svg>")[0] for part in page.split('<svg class="chart"')[1:])
        assert re.findall(r'(?:x|width)="[0-9.]+"', charts)
        assert not re.findall(r'(?:x|y|width|height)="[0-9]+,[0-9]+"', charts), language
