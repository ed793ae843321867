"""Search in every language of a record's texts, best match first.

PostgreSQL: full-text search. Each site language has a text search configuration of its own,
``allas_es``, ``allas_pt``, ``allas_fr`` and ``allas_en`` (migration partners/0007): that
language's stemmer (spanish, portuguese, french, english) after ``unaccent``, so "formacion"
finds "Formación", "cooperacao" finds "cooperação" and "trainings" finds "training". A record's
document in a language is its texts in that language plus its language-neutral ones (a
partner's name). Each searched model has two GIN indexes per language, over exactly the
expressions ``document()`` builds: one over all its searched texts (which records match) and
one over its heading, the title or names (which rank first). Migrations partners/0007 and
activities/0012 write those expressions out; tests/allas/test_search.py checks that the planner
uses the indexes, so a change of an expression here needs a migration that rebuilds them.

A record matches when every word typed is in one of its languages, as a word or as the start
of one ("coop" finds "Cooperación"). The words are taken from the text here (letters and
digits): nothing typed reaches PostgreSQL's query syntax (``& | ! : * ( ) '``).

The rank has two levels: records with every word in their heading (in one language) first, then
the others, each in the list's usual order. PostgreSQL's ts_rank was the first choice, but it
rebuilds each matching record's document (about 1 ms a record in four languages): six seconds
for a common word among 100,000 activities (bench/README.md). The heading level is read from
the heading indexes instead: the ids of the records (of the list, with its other filters) that
match in their heading, a set PostgreSQL hashes once per query.

SQLite (development and tests): every word must be contained in a text of one language
(case-insensitive for ASCII; accents must be typed as written), with the same two levels.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Case, Q, Value, When
from translated_fields import to_attribute

from allas.translation import LANGUAGE_CODES

# What a search reads of the text typed: a bound on the work of one query.
MAX_WORDS = 8
MAX_WORD_LENGTH = 50
WORD = re.compile(r"[^\W_]+")


def configuration(language):
    """The text search configuration of ``language`` (migration partners/0007)."""
    return f"allas_{language}"


def words(text):
    """The words of ``text``: its runs of letters and digits, anything else separating them
    ("l'économie" → "l", "économie"; "AL-LAs" → "AL", "LAs"), at most ``MAX_WORDS`` of at
    most ``MAX_WORD_LENGTH`` characters."""
    return [word[:MAX_WORD_LENGTH] for word in WORD.findall(text)[:MAX_WORDS]]


def column(model, name, language):
    """The column of field ``name`` in ``language``: ``title_pt`` for a translated field, the
    field itself (``name``) for a language-neutral one."""
    translated = to_attribute(name, language)
    try:
        model._meta.get_field(translated)
    except FieldDoesNotExist:
        return name
    return translated


def document(columns, language):
    """The words of ``columns`` in ``language``, as PostgreSQL's GIN indexes hold them:
    ``to_tsvector('allas_es'::regconfig, COALESCE(a, '') || ' ' || COALESCE(b, '') …)``."""
    return SearchVector(*columns, config=configuration(language))


def prefix_query(found):
    """Every word, or a word starting with it, as a raw tsquery: ``'coop':* & 'lima':*``
    (each word holds only letters and digits, so the quotes need no escaping)."""
    return " & ".join(f"'{word}':*" for word in found)


def ranked_search(queryset, text, *, heading, body, then):
    """The records of ``queryset`` holding every word of ``text`` in one language, in their
    ``heading`` fields (title, names) or ``body`` fields (the other texts searched); first
    those with every word in the heading, then the others, each in the order ``then``. None
    when ``text`` has no word. Translated fields are searched in each language, the others
    (a partner's name) in all. The rank is an alias (``search_rank``): ordered by, not
    selected, so counts and grouped queries over the result do not compute it."""
    found = words(text)
    if not found:
        return queryset.none()
    matching = _full_text if connections[queryset.db].vendor == "postgresql" else _contains
    model = queryset.model
    documents, condition = matching(model, found, heading)
    # Filters applied to the list before the search narrow this subquery too.
    headings = queryset.alias(**documents).filter(condition).values("pk")
    documents, condition = matching(model, found, (*heading, *body))
    return (
        queryset.alias(**documents)
        .filter(condition)
        .alias(search_rank=Case(When(pk__in=headings, then=Value(1)), default=Value(0)))
        .order_by("-search_rank", *then)
    )


def _full_text(model, found, fields):
    """PostgreSQL: the documents of ``fields`` in each language (aliases, one GIN index each)
    and the condition "one of them holds every word"."""
    documents, condition = {}, Q()
    for language in LANGUAGE_CODES:
        alias = f"search_document_{language}"
        documents[alias] = document([column(model, name, language) for name in fields], language)
        query = SearchQuery(prefix_query(found), config=configuration(language), search_type="raw")
        condition |= Q(**{alias: query})
    return documents, condition


def _contains(model, found, fields):
    """SQLite: no documents, and the condition "every word is contained in ``fields`` in one
    language"."""
    condition = Q()
    for language in LANGUAGE_CODES:
        columns = [column(model, name, language) for name in fields]
        every = Q()
        for word in found:
            anywhere = Q()
            for name in columns:
                anywhere |= Q(**{f"{name}__icontains": word})
            every &= anywhere
        condition |= every
    return {}, condition
