"""The random draws the synthetic data set is made of (each takes its ``random.Random``)."""

import datetime


def weighted(rng, pairs):
    """One value of ``pairs`` ((value, weight), ...), drawn by weight."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def random_date(rng, start, end):
    """A day from ``start`` to ``end``, both included (``start`` if ``end`` is before it)."""
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def spread(rng, total, n, cap):
    """``n`` whole numbers between 1 (0 if total < n) and ``cap`` that add up to ``total``,
    skewed like real life: many small, a few large."""
    if n == 0:
        return []
    low = 1 if total >= n else 0
    mean = total / n
    sizes = [min(cap, max(low, round(mean * rng.expovariate(1.0)))) for _ in range(n)]
    missing = total - sum(sizes)
    order = list(range(n))
    while missing:
        rng.shuffle(order)
        share = max(1, abs(missing) // n + 1)
        for i in order:
            if missing > 0 and sizes[i] < cap:
                step = min(missing, cap - sizes[i], share)
            elif missing < 0 and sizes[i] > low:
                step = -min(-missing, sizes[i] - low, share)
            else:
                continue
            sizes[i] += step
            missing -= step
            if not missing:
                break
    return sizes
