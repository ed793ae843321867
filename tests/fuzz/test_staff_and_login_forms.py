"""The staff training form (new and edit) and both login forms, with generated input: never a
500, never a partial write."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from activities.models import Activity
from tests import factories
from tests.fuzz.conftest import example, response_status, row_counts
from tests.fuzz.strategies import flatten, form_data, fuzz_settings, hostile, read_form


def has_errors(response):
    """Any form or formset in the page's context with an error, or an error message."""
    context = response.context or {}
    for key in ("form", "formset"):
        form = context.get(key)
        if form is not None and (
            getattr(form, "errors", None)
            and any(form.errors)
            or getattr(form, "non_form_errors", lambda: [])()
        ):
            return True
    return any(m.level_tag == "error" for m in context.get("messages", []))


def test_the_training_form_never_fails_and_never_half_saves(client, fuzz_world):
    client.force_login(fuzz_world["staff"])
    url = reverse("staff:training-create")
    form = read_form(client.get(url).content.decode())
    target = "staff training-create"

    @fuzz_settings
    @given(data=form_data(form))
    def run(data):
        with example(target):
            before = row_counts()
            response = client.post(url, flatten(data))
            status = response_status(target, response)
            if status == 302:
                after = row_counts()
                assert after["activities_activity"] == before["activities_activity"] + 1
                assert after["activities_participation"] > before["activities_participation"]
            else:
                assert status in {200, 400}, status
                assert row_counts() == before
                if status == 200:
                    assert has_errors(response), "200 without an error message"

    run()


def test_the_training_edit_form_never_fails_and_changes_nothing_when_refused(
    client, fuzz_world, partner_a, partner_b
):
    client.force_login(fuzz_world["staff"])
    activity = factories.make_activity(
        kind=Activity.Kind.TRAINING, status=Activity.Status.DRAFT, partners=[partner_a, partner_b]
    )
    url = reverse("staff:activity-edit", args=[activity.pk])
    form = read_form(client.get(url).content.decode())
    target = "staff activity-edit"

    @fuzz_settings
    @given(data=form_data(form))
    def run(data):
        with example(target):
            before = row_counts()
            response = client.post(url, flatten(data))
            status = response_status(target, response)
            if status == 302:
                assert row_counts()["activities_activity"] == before["activities_activity"]
            else:
                assert status in {200, 400}, status
                assert row_counts() == before
                if status == 200:
                    assert has_errors(response), "200 without an error message"

    run()


@pytest.mark.parametrize("url_name", ["admin:login", "staff:login"])
def test_a_login_form_never_fails_on_generated_credentials(client, fuzz_world, url_name):
    url = reverse(url_name)
    form = read_form(client.get(url).content.decode())
    target = f"login {url_name}"
    usernames = st.one_of(st.sampled_from(["coordinator", "staff_a", "COORDINATOR"]), hostile)
    passwords = st.one_of(st.just(factories.PASSWORD), hostile)

    @fuzz_settings
    @given(data=form_data(form, keep=("next",)), username=usernames, password=passwords)
    def run(data, username, password):
        data = {**data, "username": username, "password": password}
        with example(target):
            before = row_counts()
            response = client.post(url, data)
            assert response_status(target, response) in {200, 302, 400, 403, 429}
            # A login writes nothing but its session and the attempt log (both ignored).
            assert row_counts() == before
            client.logout()

    run()
