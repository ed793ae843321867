"""Values no column can hold, submitted where a form or a list expects one: ids wider than 64
bits (SQLite raises OverflowError for them) or not integers at all, and years too large for a
date. The form is refused with the field's message or the list answers 4xx or the admin's "bad
filter" redirect, never a server error, on SQLite and PostgreSQL. The form fields of
allas/fields.py refuse such ids before any query; allas/admin.py's ChangeList such years."""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests import factories
from tests.fuzz.strategies import read_form

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_IDS = [HUGE, "-" + HUGE, " ", "abc", "1.5"]


def admin_add_urls():
    return [
        "admin:activities_activity_add",
        "admin:activities_resource_add",
        "admin:activities_participation_add",
        "admin:partners_agreement_add",
        "admin:partners_membership_add",
        "admin:partners_partner_add",
    ]


@pytest.fixture
def world(partner_a, partner_b, network):
    factories.make_theme()
    factories.make_membership(member=partner_a, network=network)
    factories.make_activity(kind=Activity.Kind.TRAINING, partners=[partner_a, partner_b])
    factories.make_resource()


def rendered_data(form):
    """What the browser would send for the form as rendered (first option of each select)."""
    data = {}
    for name, field in form.fields.items():
        if field.kind == "select":
            data[name] = next((o for o in field.options if o), "")
        elif field.kind in ("checkbox", "radio", "submit", "file"):
            continue
        else:
            data[name] = field.value
    return data


@pytest.mark.parametrize("url_name", admin_add_urls())
@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_admin_form_refuses_a_bad_id_in_every_select(coordinator_client, world, url_name, bad):
    url = reverse(url_name)
    page = coordinator_client.get(url)
    assert page.status_code == 200
    form = read_form(page.content.decode())
    data = rendered_data(form)
    for name, field in form.fields.items():
        if field.kind == "select":
            data[name] = [bad]
    response = coordinator_client.post(url, data)
    assert response.status_code == 200, (url_name, response.status_code)
    assert '<p class="errornote">' in response.content.decode()


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    "url_name",
    ["admin:activities_activity_changelist", "admin:activities_participation_changelist"],
)
@pytest.mark.parametrize("param", ["partner", "theme"])
def test_an_admin_list_filter_with_a_bad_id_never_fails(
    coordinator_client, world, url_name, param, bad
):
    response = coordinator_client.get(reverse(url_name), {param: bad})
    # The admin's answer to a bad filter: back to the list with ?e=1 ("Database error").
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_staff_training_form_refuses_a_bad_theme(client, world, staff_a, bad):
    client.force_login(staff_a)
    url = reverse("staff:training-create")
    form = read_form(client.get(url).content.decode())
    data = rendered_data(form)
    data["themes"] = [bad]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["themes"]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("name", ["activities", "themes", "publisher"])
def test_the_staff_resource_form_refuses_a_bad_id(client, world, staff_a, name, bad):
    client.force_login(staff_a)
    url = reverse("staff:resource-create")
    form = read_form(client.get(url).content.decode())
    data = rendered_data(form)
    data[name] = [bad]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[name]


@pytest.mark.parametrize(
    "url_name, param",
    [
        ("admin:partners_agreementstatuschange_changelist", "changed_on__year"),
        ("admin:partners_membership_changelist", "joined_on__year"),
        ("admin:activities_resource_changelist", "published_on__year"),
    ],
)
@pytest.mark.parametrize("bad", [HUGE, "9" * 300])
def test_a_date_hierarchy_year_too_large_for_a_date_is_refused(
    coordinator_client, url_name, param, bad
):
    response = coordinator_client.get(reverse(url_name), {param: bad})
    # The admin's answer to a bad filter: back to the list with ?e=1 ("Database error").
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_account_and_group_forms_refuse_a_bad_id(coordinator_client, staff_a, bad):
    user_url = reverse("admin:auth_user_change", args=[staff_a.pk])
    data = rendered_data(read_form(coordinator_client.get(user_url).content.decode()))
    data.update(groups=[bad], user_permissions=[bad])
    response = coordinator_client.post(user_url, data)
    assert response.status_code == 200
    assert {"groups", "user_permissions"} <= set(response.context["adminform"].form.errors)

    response = coordinator_client.post(
        reverse("admin:auth_group_add"), {"name": "Editors", "permissions": [bad]}
    )
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
