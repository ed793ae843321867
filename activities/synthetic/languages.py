"""The languages of the synthetic records' texts, so that pages show fallbacks as they will in
the network: each record is written in one language, most in Spanish or Portuguese
(``ORIGINAL_LANGUAGES``), and translated into each other language about half of the time,
independently per language (``TRANSLATED_SHARE``).

Each section draws the languages from a random stream of its own (``data.rng("<section>
languages")``), so the records are those the same seed gave before texts had languages; only
their texts differ.
"""

import itertools

from allas.translation import LANGUAGE_CODES

ORIGINAL_LANGUAGES = [("es", 60), ("pt", 30), ("fr", 5), ("en", 5)]
TRANSLATED_SHARE = 0.5
# For rng.choices: a draw by weight at the cost of one random number.
_ORIGINALS = [language for language, _weight in ORIGINAL_LANGUAGES]
_CUMULATIVE_WEIGHTS = list(itertools.accumulate(weight for _language, weight in ORIGINAL_LANGUAGES))


def draw_languages(rng):
    """The original language of one record and every language it has its texts in (the
    original first)."""
    original = rng.choices(_ORIGINALS, cum_weights=_CUMULATIVE_WEIGHTS)[0]
    written = [original]
    for language in LANGUAGE_CODES:
        if language != original and rng.random() < TRANSLATED_SHARE:
            written.append(language)
    return original, written


def texts_in_columns(texts):
    """The values of one record's translated columns, in the order of
    ``allas.translation.columns`` (field by field, language by language: title_es, title_pt,
    …, summary_es, …). ``texts`` gives, for each language the record is written in, its texts
    in that language (one per field); the other languages stay empty (missing)."""
    missing = ("",) * len(next(iter(texts.values())))
    by_language = [texts.get(language, missing) for language in LANGUAGE_CODES]
    return tuple(itertools.chain.from_iterable(zip(*by_language, strict=True)))
