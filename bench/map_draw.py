#!/usr/bin/env python
"""The partner map in headless Chromium: time to its first full draw, and frames while panning.

    .venv/bin/python bench/map_draw.py http://127.0.0.1:8000
    .venv/bin/python bench/map_draw.py http://127.0.0.1:8000 /en/ /en/partners/?region=europe

Against a running server (runserver or gunicorn) on the database to measure, e.g. the
benchmark's default synthetic size (5,000 partners). For each page (default: the home page,
the directory filtered by a region, and the profile of the first located network):

- first draw: milliseconds from navigation start until allas/static/js/map.js marks the map
  drawn (``data-ready``: outlines and every marker placed), cold (empty browser cache) and
  warm (the GeoJSON and outlines from the browser's cache, as on a visitor's next page);
- pan: requestAnimationFrame callbacks counted during a 2-second mouse drag across the map
  (60 is a smooth second on a 60 Hz display; headless Chromium draws at up to 60 fps);
- outside: requests to any other host (refused; there must be none).

Uses Debian's Chromium with the flags of tests/browser/conftest.py.
"""

import argparse
import json
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

PAN_SECONDS = 2.0
PAN_STEPS = 120

COUNT_FRAMES = """seconds => new Promise(resolve => {
  let frames = 0;
  const end = performance.now() + seconds * 1000;
  function tick(now) {
    frames += 1;
    if (now < end) requestAnimationFrame(tick); else resolve(frames);
  }
  requestAnimationFrame(tick);
})"""


def largest_network_path(base):
    """The profile of the first located network (by slug): a network's profile map shows the
    network and its current members."""
    with urllib.request.urlopen(f"{base}/en/partners/map.json?kind=network") as response:
        slugs = json.load(response)["ids"]
    return f"/en/partners/{slugs[0]}/" if slugs else None


def measure(browser, base, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside = []

    def route(request_route):
        if request_route.request.url.startswith(base):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    figures = {"page": path}
    for visit in ("cold", "warm"):
        started = time.monotonic()
        page.goto(base + path)
        page.wait_for_selector("#map[data-ready=true]", timeout=60_000)
        figures[f"draw_ms_{visit}"] = int(page.get_attribute("#map", "data-drawn-ms"))
        figures[f"wall_s_{visit}"] = round(time.monotonic() - started, 2)
    figures["markers_drawn"] = page.locator(".leaflet-marker-icon").count()
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    frames = page.evaluate_handle(COUNT_FRAMES, PAN_SECONDS)
    for step in range(PAN_STEPS):
        page.mouse.move(x - box["width"] * 0.6 * (step + 1) / PAN_STEPS, y, steps=1)
        page.wait_for_timeout(PAN_SECONDS * 1000 / PAN_STEPS)
    page.mouse.up()
    figures["pan_frames_2s"] = frames.json_value()
    figures["outside"] = outside
    context.close()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="*", help="pages with a map (default: three)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    paths = args.paths or [
        p for p in ("/en/", "/en/partners/?region=europe", largest_network_path(base)) if p
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        results = [measure(browser, base, path) for path in paths]
        browser.close()
    for figures in results:
        print(json.dumps(figures))
    return 1 if any(figures["outside"] for figures in results) else 0


if __name__ == "__main__":
    sys.exit(main())
