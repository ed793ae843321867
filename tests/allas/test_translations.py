"""The four catalogues are complete: no untranslated and no fuzzy entry.

Run `make messages-update` after changing a visible string, then translate what it added.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(language, domain):
    catalogue = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    if domain == "djangojs" and not catalogue.exists():
        pytest.skip("no JavaScript catalogue")
    assert catalogue.exists(), f"{catalogue} is missing"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{language}/{domain}.po: {statistics}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_was_extracted_from_the_current_sources(language):
    """A string marked for translation in code but missing from the catalogue fails here."""
    catalogue = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    known = set(re.findall(r'^msgid "(.+)"$', catalogue, flags=re.MULTILINE))
    for source in [
        "partners/models/partners.py",
        "partners/models/memberships.py",
        "partners/models/agreements.py",
        "activities/models.py",
    ]:
        text = (Path(settings.BASE_DIR) / source).read_text()
        for string in re.findall(r'_\("([^"\\]+)"\)', text):
            assert string in known, f"“{string}” ({source}) is not in {language}/django.po"
