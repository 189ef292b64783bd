#!/usr/bin/env python3
"""Opens a frontdoor report.html in headless Chromium (Playwright, the system's Chromium) and
uses it as a reader would: no console error and no request leaving the file; zoom in, hover a
site and read its tooltip, click it and find its reasons, filter one agency and count the
markers shown, search a site by name; screenshots at 1280 and 390 px wide; the printed PDF's
summary part (everything before the appendices) counted in pages.

usage: report_check.py REPORT.html OUTDIR [--chromium PATH] [--site ID] [--agency NAME]
Prints one JSON object of findings; exits 1 with the reason on the first failed check."""
import argparse
import json
import os
import re
import shutil
import sys
import time

from playwright.sync_api import sync_playwright


def fail(msg):
    print(json.dumps({"failed": msg}))
    sys.exit(1)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def browser_rss_mb():
    """The resident memory of every Chromium process now (Linux /proc), MB; None elsewhere."""
    total = 0
    try:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"chrom" not in f.read().split(b"\0")[0]:
                        continue
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                continue
    except OSError:
        return None
    return round(total / 1024)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("outdir")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--site", help="a site id to hover, click and search")
    ap.add_argument("--agency", help="an agency to filter")
    ap.add_argument("--zoom-to", help="a site id to zoom into (a town) for the tooltip shot")
    a = ap.parse_args()
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which(a.chromium) or a.chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        console, requests = [], []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto("about:blank")
        found["browser_rss_mb_blank"] = browser_rss_mb()
        url = "file://" + a.report
        t0 = time.time()
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        found["load_seconds"] = round(time.time() - t0, 2)
        paint = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
        found["first_contentful_paint_ms"] = paint
        found["browser_rss_mb"] = browser_rss_mb()
        found["js_heap_mb"] = page.evaluate(
            "() => performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null")
        page.screenshot(path=f"{a.outdir}/summary-1280.png")
        others = [u for u in requests if u != url and not u.startswith("data:")]
        if others:
            fail(f"requests left the file: {others[:5]}")
        # The map: zoom into the site, hover it, read the tooltip.
        page.locator("#map").scroll_into_view_if_needed()
        shown = page.evaluate("() => frontdoorMap.shownCount()")
        found["markers_shown"] = shown
        site = a.site or page.evaluate("() => { var d = JSON.parse(document.getElementById('fd-data').textContent); var i = d.sites.rec.indexOf(d.recommendations.indexOf('keep')); return d.sites.id[i]; }")
        i = page.evaluate("(id) => frontdoorMap.find(id)", site)
        if i < 0:
            fail(f"site {site} is not on the map")
        page.evaluate("(i) => frontdoorMap.zoomTo(i)", i)
        page.evaluate("() => frontdoorMap.zoomAt(1.5, document.getElementById('fd-map').clientWidth / 2, document.getElementById('fd-map').clientHeight / 2)")
        x, y = page.evaluate("(i) => frontdoorMap.screenOf(i)", i)
        page.mouse.move(x, y)
        page.wait_for_timeout(100)
        tip = page.inner_text("#fd-tip") if page.is_visible("#fd-tip") else ""
        name = page.evaluate("(i) => JSON.parse(document.getElementById('fd-data').textContent).sites.name[i]", i)
        if name not in tip:
            fail(f"hovering {site} shows {tip!r}, not its name {name!r}")
        found["tooltip"] = tip
        page.locator("#map").screenshot(path=f"{a.outdir}/map-zoomed-tooltip-1280.png")
        page.mouse.click(x, y)
        page.wait_for_timeout(100)
        card = page.inner_text("#fd-card")
        if name not in card or "Why" not in card:
            fail(f"clicking {site} opens a card without its name or reasons: {card[:200]!r}")
        found["card_first_lines"] = card.splitlines()[:4]
        page.locator("#map").screenshot(path=f"{a.outdir}/map-card-1280.png")
        # Filter one agency: the count shown is that agency's sites but street furniture.
        d = page.evaluate("() => JSON.parse(document.getElementById('fd-data').textContent).sites")
        agencies = d["agencies"]
        agency = a.agency or agencies[d["agency"][i]]
        k = agencies.index(agency)
        furniture = [kk["furniture"] for kk in d["kinds"]]
        expected = sum(1 for j in range(len(d["id"])) if d["agency"][j] == k and not furniture[d["kind"][j]])
        page.select_option("#fd-agency", str(k))
        page.click("#fd-home")
        got = page.evaluate("() => frontdoorMap.shownCount()")
        if got != expected:
            fail(f"filtering {agency!r} shows {got} markers, expected {expected}")
        found["filtered"] = {"agency": agency, "markers": got}
        page.locator("#map").screenshot(path=f"{a.outdir}/map-filtered-1280.png")
        page.select_option("#fd-agency", "")
        # Search by name: the first match is zoomed to and its card opened.
        page.fill("#fd-search", name)
        page.press("#fd-search", "Enter")
        page.wait_for_timeout(100)
        if name not in page.inner_text("#fd-card"):
            fail(f"searching {name!r} does not open its card")
        found["searched"] = name
        # A share proposal's map, where there is one.
        if page.locator("#proposals article").count() > 0:
            page.locator("#proposals article").first.screenshot(path=f"{a.outdir}/proposal-1280.png")
        # Narrow screen.
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_timeout(100)
        page.screenshot(path=f"{a.outdir}/summary-390.png")
        page.locator("#map").scroll_into_view_if_needed()
        page.screenshot(path=f"{a.outdir}/map-390.png")
        page.set_viewport_size({"width": 1280, "height": 900})
        # Print: the whole report, and the summary part alone.
        whole = page.pdf(format="A4", print_background=True)
        open(f"{a.outdir}/report.pdf", "wb").write(whole)
        page.add_style_tag(content="@media print { .appendix, footer { display: none !important; } }")
        summary = page.pdf(format="A4", print_background=True)
        open(f"{a.outdir}/summary.pdf", "wb").write(summary)
        found["pdf_pages"] = pages(whole)
        found["summary_pages"] = pages(summary)
        errors = [c for c in console if c.startswith(("error", "pageerror"))]
        if errors:
            fail(f"console errors: {errors[:5]}")
        others = [u for u in requests if u != url and not u.startswith("data:")]
        if others:
            fail(f"requests left the file: {others[:5]}")
        found["console"] = console
        browser.close()
    print(json.dumps(found))


main()
