"""
First paint of a page over a slow link (400 kbit/s, 400 ms round trip), measured in headless Chromium
with the network emulated through the DevTools protocol. Prints the first contentful paint, the load
event and the bytes transferred, cold (empty cache) and warm (second visit).

    python bench/first_paint.py --base http://127.0.0.1:8000 --email admin@demo.kopdes.id --path /dasbor/

Run it against the quickstart (``make run``) or a production-like server; it only reads pages.
"""

import argparse
import shutil

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
KBIT = 1000 / 8  # bytes per second in one kbit/s


def measure(page, client, url: str) -> dict:
    transferred = []
    client.on("Network.loadingFinished", lambda event: transferred.append(event.get("encodedDataLength", 0)))
    page.goto(url, wait_until="load")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {fcp: paint ? paint.startTime : null, load: nav ? nav.loadEventEnd : null};
    }""")
    return {"fcp_s": round(timing["fcp"] / 1000, 2), "load_s": round(timing["load"] / 1000, 2),
            "kB": round(sum(transferred) / 1000)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="admin@demo.kopdes.id")
    parser.add_argument("--password", default="demo-kopdes-2025")
    parser.add_argument("--path", default="/dasbor/")
    parser.add_argument("--kbit", type=int, default=400)
    parser.add_argument("--latency-ms", type=int, default=400)
    options = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(options.base + "/accounts/login/")
        page.fill("input[name=login]", options.email)
        page.fill("input[name=password]", options.password)
        page.click("form[action$='/accounts/login/'] button[type=submit]")
        page.wait_for_load_state("load")
        client = context.new_cdp_session(page)
        client.send("Network.enable")
        client.send("Network.clearBrowserCache")
        client.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": options.latency_ms,
            "downloadThroughput": options.kbit * KBIT, "uploadThroughput": options.kbit * KBIT})
        cold = measure(page, client, options.base + options.path)
        warm = measure(page, client, options.base + options.path)
        print(f"{options.path} at {options.kbit} kbit/s, {options.latency_ms} ms RTT, 390 px phone:")
        print(f"  cold cache: first contentful paint {cold['fcp_s']} s, load {cold['load_s']} s, {cold['kB']} kB")
        print(f"  warm cache: first contentful paint {warm['fcp_s']} s, load {warm['load_s']} s, {warm['kB']} kB")
        browser.close()


if __name__ == "__main__":
    main()
