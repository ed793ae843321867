"""{% kept_fragment %} (allas/templatetags/fragments.py): the lists' filter menus rendered once
per language, query string and counts in each process, and never stale."""

import re

import pytest
from django.test import Client

from allas.templatetags import fragments
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db


def kind_option(html, kind):
    return re.search(rf'<option value="{kind}"[^>]*>[^<]*</option>', html).group(0)


@pytest.fixture(autouse=True)
def no_kept_fragments(monkeypatch):
    monkeypatch.setattr(fragments, "kept", fragments.KeptFragments(fragments.FRAGMENTS))


def test_a_filter_menu_is_rendered_once_for_the_same_counts_and_again_when_they_change(
    monkeypatch,
):
    populate(3)
    visitor = Client()  # the page cache is off in the suite: every request renders the page
    renders = []
    real = fragments.KeptFragments.get_or_render

    def counted(self, key, render):
        return real(self, key, lambda: renders.append(key) or render())

    monkeypatch.setattr(fragments.KeptFragments, "get_or_render", counted)
    first = visitor.get("/en/partners/").content.decode()
    again = visitor.get("/en/partners/?page=1").content.decode()
    assert len(renders) == 1  # the second page view reused the menu
    assert again.count(kind_option(first, "city")) == 1
    assert "(3)" in kind_option(first, "city")
    factories.make_partner(name="New Town", slug="new-town")
    after = visitor.get("/en/partners/").content.decode()
    assert len(renders) == 2
    assert "(4)" in kind_option(after, "city")


def test_each_language_and_filter_has_its_own_menu():
    populate(3)
    visitor = Client()
    english = visitor.get("/en/activities/").content.decode()
    spanish = visitor.get("/es/activities/").content.decode()
    assert "Show activities" in english and "Show activities" not in spanish
    filtered = visitor.get("/en/activities/?kind=training").content.decode()
    assert re.search(r'<option value="training" selected>', filtered)
    assert not re.search(r'<option value="training" selected>', english)
    searched = visitor.get("/en/resources/?q=guide").content.decode()
    assert 'value="guide"' in searched


def test_the_kept_fragments_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "kept", fragments.KeptFragments(3))
    populate(3)
    visitor = Client()
    for n in range(10):
        assert visitor.get(f"/en/partners/?q=junk{n}").status_code == 200
    assert len(fragments.kept.entries) == 3
