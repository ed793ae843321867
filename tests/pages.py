"""Reading rendered pages: what the tests and the benchmark (bench/run.py) both measure.

Plain Python (no pytest, no Django), so that bench/run.py can import it as a script.
"""

import re

SELECT_RE = re.compile(r"<select[^>]*>(.*?)</select>", re.S)


def largest_select(html):
    """Options of the largest <select> of a page (0 without one)."""
    return max((block.count("<option") for block in SELECT_RE.findall(html)), default=0)
