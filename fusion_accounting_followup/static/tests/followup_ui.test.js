import { describe, expect, test } from "@odoo/hoot";

import { bucketWidths } from "@fusion_accounting_followup/components/aging_bucket_strip/aging_bucket_strip";
import { FollowupStore } from "@fusion_accounting_followup/services/followup_service";

describe("FusionFollowupUI aging strip", () => {
    test("widths are proportional and add up to 100", () => {
        const widths = bucketWidths({ current: "100", "1-30": "300", "120+": "600" });
        expect(widths.map((bucket) => bucket.width)).toEqual([10, 30, 0, 0, 0, 60]);
    });

    test("credits take no room and an empty aging draws nothing", () => {
        expect(bucketWidths({ current: "-50", "31-60": "50" }).map((b) => b.width)).toEqual([0, 0, 100, 0, 0, 0]);
        expect(bucketWidths({}).every((bucket) => bucket.width === 0)).toBe(true);
        expect(bucketWidths(null).length).toBe(6);
    });
});

function fakeApi() {
    const calls = [];
    const api = { calls };
    for (const name of ["getPartner", "computeLevel", "history", "send", "pause", "reset", "escalate", "generateText"]) {
        api[name] = async (...args) => {
            calls.push([name, ...args]);
            return name === "history" ? [] : { name };
        };
    }
    api.listOverdue = async (params) => {
        calls.push(["listOverdue", params]);
        const rows = [{ partner_id: 9, company_id: 1, currency_id: 1 }];
        return { sections: [{ company_id: 1, rows, total: 1, total_overdue: "10" }], total: 1, total_overdue: "10" };
    };
    return api;
}

// The customer 9 picked from company 1's section: what every customer route is sent.
const TARGET = { partner_id: 9, company_id: 1 };

function memoryStorage() {
    const data = {};
    return { getItem: (key) => data[key] ?? null, setItem: (key, value) => (data[key] = value) };
}

describe("FusionFollowupUI store", () => {
    test("Send shows recipients, level and text first; the checked text is what is sent", async () => {
        const api = fakeApi();
        const draft = {
            partner_id: 9,
            recipients: ["Acme <a@example.com>"],
            level_id: 3,
            level: "Reminder",
            can_send: true,
            subject: "Reminder",
            body_html: "<p>Please pay.</p>",
            source: "template",
        };
        api.previewSend = async (partnerId) => {
            api.calls.push(["previewSend", partnerId]);
            return draft;
        };
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.send();
        expect(api.calls).toEqual([["previewSend", TARGET]]);
        expect(store.state.draft.recipients).toEqual(["Acme <a@example.com>"]);
        await store.confirmSend({ subject: "Checked", body_html: "<p>Please pay.</p>", edited: true });
        expect(api.calls[1]).toEqual([
            "send",
            TARGET,
            3,
            false,
            null,
            { subject: "Checked", body_html: "<p>Please pay.</p>", edited: true, text_source: "template" },
        ]);
        expect(store.state.draft).toBe(null);
        const names = api.calls.map((call) => call[0]);
        expect(names).toInclude("getPartner");
        expect(names).toInclude("listOverdue");
    });

    test("a level without e-mail sends no text: the server sends its letter, SMS or call", async () => {
        const api = fakeApi();
        api.previewSend = async () => ({
            partner_id: 9,
            level_id: 3,
            level: "Reminder",
            can_send: true,
            email: false,
            recipients: [],
            channel_lines: [{ channel: "letter", label: "Letter", detail: "printed with the batch letters" }],
        });
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.send();
        await store.confirmSend(null);
        expect(api.calls[0]).toEqual(["send", TARGET, 3, false, null, null]);
    });

    test("Send with nothing due shows the reason and sends nothing", async () => {
        const api = fakeApi();
        api.previewSend = async () => ({ can_send: false, reason: "No follow-up level is due yet." });
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.send();
        expect(store.state.error).toBe("No follow-up level is due yet.");
        expect(store.state.draft).toBe(null);
        await store.confirmSend({ subject: "x", body_html: "", edited: false });
        expect(api.calls.map((call) => call[0])).toEqual([]);
    });

    test("an escalation asks first and sends only with the server's token", async () => {
        const api = fakeApi();
        api.escalate = async (target, confirm) => {
            api.calls.push(["escalate", target, confirm]);
            return confirm
                ? { state: "sent" }
                : { confirm_required: true, action: "escalate", message: "Escalate to Warning?", confirm: "tok" };
        };
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.escalate();
        expect(api.calls).toEqual([["escalate", TARGET, null]]);
        expect(store.state.confirmation.message).toBe("Escalate to Warning?");
        await store.confirm();
        expect(api.calls[1]).toEqual(["escalate", TARGET, "tok"]);
        expect(store.state.confirmation).toBe(null);
        expect(api.calls.map((call) => call[0])).toInclude("getPartner");
    });

    test("a cancelled question sends nothing", async () => {
        const api = fakeApi();
        api.send = async (...args) => {
            api.calls.push(["send", ...args]);
            return { confirm_required: true, action: "resend", message: "Send it again?", confirm: "tok" };
        };
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.send(true);
        store.cancelConfirmation();
        await store.confirm();
        expect(api.calls).toEqual([["send", TARGET, null, true, null]]);
    });

    test("searching restarts at the first page", async () => {
        const api = fakeApi();
        const store = new FollowupStore(api, memoryStorage(), () => []);
        store.state.offset = 40;
        await store.search("acme");
        expect(api.calls[0][1]).toEqual({ offset: 0, limit: 40, search: "acme", order: "overdue" });
    });

    test("the overdue list is asked for the companies selected in the switcher, a section each", async () => {
        const api = fakeApi();
        api.listOverdue = async (params) => {
            api.calls.push(["listOverdue", params]);
            return {
                sections: [
                    { company_id: 1, currency_id: 1, rows: [], total: 0, total_overdue: "0" },
                    { company_id: 2, currency_id: 5, rows: [], total: 0, total_overdue: "0" },
                ],
                total: 0,
                total_overdue: null,
                currency_id: null,
            };
        };
        const store = new FollowupStore(api, memoryStorage(), () => [2, 1]);
        await store.loadPage();
        expect(api.calls[0][1].company_ids).toEqual([2, 1]);
        expect(store.state.sections.map((section) => section.company_id)).toEqual([1, 2]);
        expect(store.state.totalOverdue).toBe(null);
    });

    test("a customer's routes name the company it was picked from", async () => {
        const api = fakeApi();
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 2);
        await store.reset();
        const targets = api.calls.filter((call) => call[0] !== "listOverdue").map((call) => call[1]);
        expect(targets.every((target) => target.partner_id === 9 && target.company_id === 2)).toBe(true);
        expect(api.calls.map((call) => call[0])).toInclude("reset");
    });

    test("dark mode is remembered", () => {
        const storage = memoryStorage();
        new FollowupStore(fakeApi(), storage).toggleDark();
        expect(new FollowupStore(fakeApi(), storage).state.dark).toBe(true);
    });

    test("an error is kept for display and loading stops", async () => {
        const api = fakeApi();
        api.pause = async () => {
            throw new Error("A pause must end after today.");
        };
        const store = new FollowupStore(api, memoryStorage());
        await store.selectPartner(9, "Acme", 1);
        api.calls.length = 0;
        await store.pause("2000-01-01");
        expect(store.state.error).toBe("A pause must end after today.");
        expect(store.state.loading).toBe(false);
        expect(api.calls.map((call) => call[0])).toEqual([]);
    });
});
