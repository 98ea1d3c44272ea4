"""Screenshots of the Fusion screens from a running Odoo, with headless Chromium over CDP.

    python tools/screenshots.py --url http://127.0.0.1:8069 --db fusion_demo --out docs/screenshots \\
        --sizes 1400x900,1024x768 --themes light,dark

Logs in through ``/web/session/authenticate``, hands the session cookie to
Chromium, opens each screen at each size and theme, runs its preparation script
(open the chat and ask a question, pick a customer, open a wizard) and saves
``<screen>-<size>-<theme>.png``.  Dark is the project's own dark mode: the
dashboard's, the chat panel's and the follow-up page's moon buttons keep their
choice in ``localStorage``, which is set before the page loads (Community has no
global dark theme; the ``color_scheme=dark`` cookie is also set, for
Enterprise's).  The browser console's errors and uncaught exceptions of each
shot are printed after it; the exit status is 1 when a screen was not ready or
logged an error.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlparse

import websocket

# localStorage keys of the dark toggles (fusion_accounting/static/src/dashboard/fusion_dashboard.js,
# fusion_accounting/static/src/chat/chat_panel.js, fusion_accounting_followup/static/src/services/followup_service.js)
DARK_KEYS = ("fusion_accounting.dashboard_dark", "fusion_accounting.chat_dark", "fusion_followup.dark_mode")

# Helpers every preparation script may use: wait for a selector, click it, type into an OWL input.
HELPERS = """
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(selector, timeout = 30000) {
    const end = Date.now() + timeout;
    while (Date.now() < end) {
        const element = document.querySelector(selector);
        if (element) return element;
        await pause(200);
    }
    throw new Error(`not found: ${selector}`);
}
async function click(selector) { (await until(selector)).click(); await pause(300); }
async function type(selector, text) {
    const input = await until(selector);
    input.focus();
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await pause(200);
}
const services = () => odoo.__WOWL_DEBUG__.root.env.services;
async function overduePartnerIds() {
    return services().orm.search("res.partner", [["fusion_followup_overdue", "=", true]], { limit: 20 });
}
/** Switch the channels of every follow-up level of the demo (the send confirmation shows them). */
async function setLevelChannels(values) {
    const levels = await services().orm.search("fusion.followup.level", []);
    await services().orm.write("fusion.followup.level", levels, values);
}
/** The first customer card whose detail allows a send (a level is due), else the second card. */
async function pickSendableCustomer() {
    const cards = [...document.querySelectorAll(".o_fusion_partner_card")];
    for (const card of cards.slice(0, 12)) {
        card.click();
        await until(".o_fusion_detail_name");
        await pause(900);
        if (document.querySelector(".o_fusion_send:not([disabled])")) return;
    }
    cards[1]?.click();
    await pause(900);
}
"""


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    ready: str  # CSS selector that must appear before the shot
    prepare: str = ""  # body of an async function run once the action is loaded
    companies: str = "current"  # "current": the user's company; "all": every company of the user, selected


SCREENS = (
    Screen("dashboard", "/odoo/fusion-ai", ".o_fusion_health_card"),
    Screen(
        "chat_offline_aging",
        "/odoo/fusion-ai",
        ".o_fusion_chat_panel .o_fusion_tool_table",
        """await click(".o_fusion_chat_toggle");
        await type(".o_fusion_chat_input", "What is my AR aging?");
        await click(".o_fusion_chat_send:not([disabled])");""",
    ),
    Screen(
        "chat_approval_card",
        "/odoo/fusion-ai",
        ".o_fusion_approval_card",
        # A pending proposal from the activity list, else one made now: a forced follow-up is tier 3, so the
        # explicit command only stores a proposal (nothing is sent before someone approves it).
        """await until(".o_fusion_activity");
        const pending = document.querySelector(".o_fusion_activity li .fa-hourglass-half");
        if (pending) {
            pending.closest("li").click();
        } else {
            const [partnerId] = await overduePartnerIds();
            await click(".o_fusion_chat_toggle");
            await type(".o_fusion_chat_input", `/tool followup_send_now {"partner_id": ${partnerId}}`);
            await click(".o_fusion_chat_send:not([disabled])");
        }""",
    ),
    Screen(
        "chat_approval_booked",
        "/odoo/fusion-ai",
        ".o_fusion_approval_booked",
        # The first match ever booked for this screen, reopened: its card shows what was booked and the books do not
        # change.  Only a database without one books it (once): an open deposit and the open invoice its label names
        # (else one of the same customer, else the first deposit and invoice), proposed by the explicit command, then
        # approved.  (No undo after the shot: unmatch_bank_line refuses the demo admin, who may not write bank lines.)
        """const [shown] = await services().orm.searchRead("fusion.accounting.match.history",
            [["tool_name", "=", "match_bank_line_to_payments"], ["decision", "=", "approved"],
             ["execution_state", "=", "done"], ["session_id", "!=", false]], ["session_id"], { order: "id", limit: 1 });
        if (shown) {
            await services()["fusion_accounting.chat"].loadSession(shown.session_id[0]);
            return;
        }
        const items = await services().orm.searchRead("account.move.line",
            [["account_type", "=", "asset_receivable"], ["reconciled", "=", false], ["parent_state", "=", "posted"],
            ["amount_residual", ">", 0]], ["partner_id", "move_name"], { limit: 500 });
        const lines = await services().orm.searchRead("account.bank.statement.line",
            [["is_reconciled", "=", false], ["amount", ">", 0]], ["partner_id", "payment_ref"], { limit: 200 });
        const samePartner = (line, item) => line.partner_id && item.partner_id?.[0] === line.partner_id[0];
        const pairs = (test) => lines.flatMap((line) => items.filter((i) => test(line, i)).map((i) => [line, i]));
        const [line, item] = pairs((l, i) => samePartner(l, i) && (l.payment_ref || "").includes(i.move_name))[0]
            || pairs(samePartner)[0] || [lines[0], items[0]];
        await click(".o_fusion_chat_toggle");
        await click(".o_fusion_chat_new");
        await type(".o_fusion_chat_input",
            `/tool match_bank_line_to_payments {"statement_line_id": ${line.id}, "move_line_ids": [${item.id}]}`);
        await click(".o_fusion_chat_send:not([disabled])");
        await click(".o_fusion_approval_card .o_fusion_approve:not([disabled])");
        await until(".o_fusion_approval_booked");
        await pause(1500);""",  # the dashboard reloads its cards once the books changed
    ),
    Screen(
        "chat_offline_form",
        "/odoo/fusion-ai",
        ".o_fusion_chat_suggestions .o_fusion_tool_form",
        """await click(".o_fusion_chat_toggle");
        await click(".o_fusion_chat_new");
        await type(".o_fusion_chat_input", "cash flow");
        await click(".o_fusion_chat_send:not([disabled])");
        await click(".o_fusion_suggestion[data-tool='get_cash_flow']");""",
    ),
    Screen(
        "chat_tool_picker",
        "/odoo/fusion-ai",
        ".o_fusion_tool_picker .o_fusion_tool_item",
        """await click(".o_fusion_chat_toggle");
        await click(".o_fusion_chat_new");
        await click(".o_fusion_chat_tools");""",
    ),
    Screen("settings", "/odoo/action-fusion_accounting_core.action_fusion_settings", ".o_setting_container, .settings"),
    Screen(
        "tool_promotions",
        "/odoo/fusion-ai",
        ".o_list_view",
        """await services().action.doAction({
            type: "ir.actions.act_window", name: "Tool Promotions", res_model: "fusion.accounting.tool.scenario",
            views: [[false, "list"], [false, "form"]], target: "current",
        });""",
    ),
    Screen("followup_dashboard", "/odoo/fusion-followups", ".o_fusion_partner_card"),
    Screen(
        "followup_partner",
        "/odoo/fusion-followups",
        ".o_fusion_text_subject",
        """await until(".o_fusion_partner_card");
        document.querySelectorAll(".o_fusion_partner_card")[1]?.click();
        await until(".o_fusion_detail_name");
        await click(".o_fusion_generate_text:not([disabled])");""",
    ),
    Screen(
        "followup_send_confirmation",
        "/odoo/fusion-followups",
        ".o_fusion_send_confirmation",
        # E-mail on, with a printed letter beside it: the confirmation lists both.
        """await setLevelChannels(
            { fusion_send_email: true, fusion_channel_letter: true, fusion_channel_activity: false });
        await until(".o_fusion_partner_card");
        await pickSendableCustomer();
        await click(".o_fusion_send:not([disabled])");""",
    ),
    Screen(
        "followup_send_confirmation_no_email",
        "/odoo/fusion-followups",
        ".o_fusion_send_no_email",
        # A level that prints a letter and schedules a call, without e-mail: no subject nor message to check.
        """await setLevelChannels(
            { fusion_send_email: false, fusion_channel_letter: true, fusion_channel_activity: true });
        await until(".o_fusion_partner_card");
        await pickSendableCustomer();
        await click(".o_fusion_send:not([disabled])");""",
    ),
    Screen(
        "followup_batch_wizard",
        "/odoo/fusion-followups",
        ".modal .o_form_view",
        """const ids = await overduePartnerIds();
        await services().action.doAction("fusion_accounting_followup.action_partner_batch_followup", {
            additionalContext: { active_ids: ids, active_id: ids[0], active_model: "res.partner" },
        });""",
    ),
    Screen(
        "collections_summary",
        "/odoo/fusion-followups",
        ".o_fusion_collections_table",
        "await until('.o_fusion_partner_card');",
        companies="all",
    ),
)


def session(base_url, db, login, password):
    """``(session cookie, ids of the user's companies, current first)``."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(path, params):
        body = json.dumps({"jsonrpc": "2.0", "params": params}).encode()
        request = urllib.request.Request(f"{base_url}{path}", body, {"Content-Type": "application/json"})
        answer = json.load(opener.open(request))
        if answer.get("error"):
            raise SystemExit(f"{path} failed: {answer['error']['data']['message']}")
        return answer["result"]

    info = call("/web/session/authenticate", {"db": db, "login": login, "password": password})
    companies = info.get("user_companies", {})
    current = companies.get("current_company")
    ids = [current, *sorted(int(i) for i in companies.get("allowed_companies", {}) if int(i) != current)]
    cookie = next(cookie.value for cookie in jar if cookie.name == "session_id")
    return cookie, [i for i in ids if i]


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
                "--window-size=1400,900",
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
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.next_id = 0
        self.console_errors = []

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message):
        """Keep what the console reports as an error (the events arrive between command answers)."""
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.console_errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.console_errors.append(f"{entry.get('text', '')} {entry.get('url', '')}".strip())

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            return {"error": result["exceptionDetails"].get("exception", {}).get("description", "failed")}
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=40):
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


def size_list(text):
    sizes = []
    for part in text.split(","):
        width, _, height = part.strip().partition("x")
        if not (width.isdigit() and height.isdigit()):
            raise argparse.ArgumentTypeError(f"{part!r} is not WIDTHxHEIGHT")
        sizes.append((int(width), int(height)))
    return sizes


def theme_list(text):
    themes = [part.strip() for part in text.split(",")]
    if not set(themes) <= {"light", "dark"}:
        raise argparse.ArgumentTypeError("themes are light and dark")
    return themes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="fusion_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument(
        "--sizes", type=size_list, default=size_list("1400x900,1024x768"), help="e.g. 1400x900,1024x768"
    )
    parser.add_argument("--themes", type=theme_list, default=theme_list("light,dark"), help="light, dark or both")
    parser.add_argument(
        "--only", default="", help="comma-separated screen names: " + ", ".join(s.name for s in SCREENS)
    )
    parser.add_argument("--port", type=int, default=9333, help="Chromium's remote debugging port")
    opts = parser.parse_args()
    only = {name.strip() for name in opts.only.split(",") if name.strip()}
    unknown = only - {screen.name for screen in SCREENS}
    if unknown:
        parser.error(f"unknown screens: {', '.join(sorted(unknown))}")
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    cookie, company_ids = session(opts.url, opts.db, opts.login, opts.password)
    host = urlparse(opts.url).hostname
    browser = Browser(opts.port)
    failures = 0
    try:
        for domain in ("Network", "Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable")
        browser.send("Network.setCookie", name="session_id", value=cookie, domain=host, path="/")
        for theme in opts.themes:
            dark = theme == "dark"
            browser.send("Network.setCookie", name="color_scheme", value=theme, domain=host, path="/")
            script = browser.send(
                "Page.addScriptToEvaluateOnNewDocument",
                source="".join(f"localStorage.setItem('{key}', '{int(dark)}');" for key in DARK_KEYS),
            )["identifier"]
            for width, height in opts.sizes:
                browser.send(
                    "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
                )
                for screen in SCREENS:
                    if only and screen.name not in only:
                        continue
                    failures += shoot(
                        browser,
                        screen,
                        out / shot_name(screen, width, height, theme),
                        base_url=opts.url,
                        host=host,
                        company_ids=company_ids,
                    )
            browser.send("Page.removeScriptToEvaluateOnNewDocument", identifier=script)
    finally:
        browser.close()
    sys.exit(1 if failures else 0)


def shot_name(screen, width, height, theme):
    return f"{screen.name}-{width}x{height}-{theme}.png"


def shoot(browser, screen, path, *, base_url, host, company_ids):
    """Take one screenshot; returns 1 when the screen was not ready or its console logged an error."""
    selected = company_ids if screen.companies == "all" else company_ids[:1]
    browser.send("Network.setCookie", name="cids", value="-".join(map(str, selected)), domain=host, path="/")
    browser.console_errors = []
    browser.send("Page.navigate", url=base_url + screen.path)
    time.sleep(1)
    browser.wait_for(".o_action_manager .o_action")
    problem = None
    if screen.prepare:
        time.sleep(1)
        answer = browser.evaluate(f"(async () => {{ {HELPERS}\n{screen.prepare} }})()")
        if isinstance(answer, dict) and answer.get("error"):
            problem = answer["error"].splitlines()[0]
    found = browser.wait_for(screen.ready)
    time.sleep(1.5)  # let fonts and transitions settle
    png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
    path.write_bytes(png)
    notes = [] if found else [f"WARNING: {screen.ready} not found"]
    notes += [f"preparation failed: {problem}"] if problem else []
    notes += [f"console: {error.splitlines()[0][:300]}" for error in browser.console_errors]
    print(f"{path.name}: {len(png)} bytes" + "".join(f"\n    {note}" for note in notes), flush=True)
    return 1 if notes else 0


if __name__ == "__main__":
    main()
