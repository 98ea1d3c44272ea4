"""Screenshots of the Fusion screens from a running Odoo, with headless Chromium over CDP.

    python tools/screenshots.py --url http://127.0.0.1:8069 --db fusion_demo --out docs/screenshots

Logs in through ``/web/session/authenticate``, hands the session cookie to
Chromium, opens each screen, runs its preparation script (open the chat, pick
a customer, switch to dark mode) and saves a PNG.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlparse

import websocket

WIDTH, HEIGHT = 1400, 900

# Pick the second overdue customer, draft its text, set the colour scheme.
FOLLOWUP_PREPARE = """(async () => {{
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    document.querySelectorAll('.o_fusion_partner_card')[1]?.click();
    await pause(1500);
    document.querySelector('.o_fusion_generate_text')?.click();
    const dark = !!document.querySelector('.o_fusion_followup_dark');
    if (dark !== {dark}) document.querySelector('.o_fusion_dark_toggle')?.click();
}})()"""

# (file name, path, JavaScript run once the page is ready, CSS selector that must appear)
SHOTS = (
    ("dashboard.png", "/odoo/fusion-ai", "", ".o_fusion_health_card"),
    (
        "chat_approval_card.png",
        "/odoo/fusion-ai",
        "document.querySelector('.o_fusion_activity li .fa-hourglass-half')?.closest('li').click()",
        ".o_fusion_approval_card",
    ),
    (
        "followup_dashboard_light.png",
        "/odoo/fusion-followups",
        FOLLOWUP_PREPARE.format(dark="false"),
        ".o_fusion_followup_dashboard:not(.o_fusion_followup_dark) .o_fusion_text_subject",
    ),
    (
        "followup_dashboard_dark.png",
        "/odoo/fusion-followups",
        FOLLOWUP_PREPARE.format(dark="true"),
        ".o_fusion_followup_dark .o_fusion_text_subject",
    ),
)


def session_cookie(base_url, db, login, password):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps({"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}}).encode()
    request = urllib.request.Request(f"{base_url}/web/session/authenticate", body, {"Content-Type": "application/json"})
    answer = json.load(opener.open(request))
    if answer.get("error"):
        raise SystemExit(f"login failed: {answer['error']['data']['message']}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


class Browser:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp(prefix="ui_chromium_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(target for target in targets if target["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        else:
            raise SystemExit("chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.3)
        return False

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="fusion_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--port", type=int, default=9333, help="Chromium's remote debugging port")
    opts = parser.parse_args()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    cookie = session_cookie(opts.url, opts.db, opts.login, opts.password)
    browser = Browser(opts.port)
    try:
        browser.send("Network.enable")
        browser.send("Network.setCookie", name="session_id", value=cookie, domain=urlparse(opts.url).hostname, path="/")
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False
        )
        for name, path, prepare, ready in SHOTS:
            browser.send("Page.navigate", url=opts.url + path)
            time.sleep(1)
            browser.wait_for(".o_action_manager .o_action")
            if prepare:
                time.sleep(1)
                browser.evaluate(prepare)
            found = browser.wait_for(ready)
            time.sleep(1.5)  # let fonts and transitions settle
            png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
            (out / name).write_bytes(png)
            print(f"{name}: {len(png)} bytes{'' if found else ' (WARNING: ' + ready + ' not found)'}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
