import { describe, expect, test } from "@odoo/hoot";
import { advanceTime, animationFrame } from "@odoo/hoot-mock";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { contains, getService, mountWithCleanup, onRpc, serverState } from "@web/../tests/web_test_helpers";

import { ApprovalCard } from "@fusion_accounting/chat/approval_card";
import { FusionChatPanel } from "@fusion_accounting/chat/chat_panel";
import {
    BOOKS_CHANGED,
    FusionChat,
    panelItems,
    POLL_INTERVAL_MS,
    progressItem,
    unansweredQuestion,
} from "@fusion_accounting/chat/chat_service";
import { argumentValue } from "@fusion_accounting/chat/tool_form";
import { FusionToolPicker } from "@fusion_accounting/chat/tool_picker";
import { FusionToolResult } from "@fusion_accounting/chat/tool_result";

/** A fake platform: records the calls, answers with the session it holds. */
function fakeApi(session) {
    const calls = [];
    return {
        calls,
        session,
        refusals: [],
        async postMessage(sessionId, text, context, files = []) {
            calls.push(["post", sessionId, text, files]);
            if (this.refusals.length) {
                return { session_id: 7, state: "idle", errors: this.refusals };
            }
            return { session_id: 7, state: "queued" };
        },
        async readSession(sessionId) {
            calls.push(["read", sessionId]);
            return this.session;
        },
        async cards(ids) {
            return (this.session.proposals || []).filter((proposal) => ids.includes(proposal.id));
        },
        async approve(id, hash) {
            calls.push(["approve", id, hash]);
        },
        async reject(id, reason) {
            calls.push(["reject", id, reason]);
        },
        async decide(decisions) {
            calls.push(["decide", decisions]);
            return decisions.map((decision) => ({ id: decision.id, ok: decision.id !== 3, error: "expired" }));
        },
    };
}

const PROPOSALS = [
    { id: 1, state: "pending", tool: "match_bank_line", arguments_hash: "h1" },
    { id: 2, state: "approved", tool: "match_bank_line", arguments_hash: "h2" },
    { id: 3, state: "pending", tool: "match_bank_line", arguments_hash: "h3" },
];

describe("FusionCopilotUI chat service", () => {
    test("an empty question sends nothing", async () => {
        const api = fakeApi({ messages: [] });
        const chat = new FusionChat(api);
        await chat.ask("   ");
        expect(api.calls).toEqual([]);
        expect(chat.state.open).toBe(false);
    });

    test("asking opens the panel, keeps the session and re-reads it", async () => {
        const api = fakeApi({ name: "Bank", state: "idle", messages: [{ role: "user", text: "hi" }] });
        const chat = new FusionChat(api);
        await chat.ask("hi");
        expect(chat.state.open).toBe(true);
        expect(chat.state.sessionId).toBe(7);
        expect(api.calls).toEqual([
            ["post", false, "hi", []],
            ["read", 7],
        ]);
        expect(chat.state.messages).toEqual([{ id: "m0", role: "user", content: "hi" }]);
    });

    test("attached payroll summaries go to the platform as they are, CSV or not", async () => {
        const api = fakeApi({ state: "idle", messages: [] });
        const chat = new FusionChat(api);
        const refused = await chat.ask("Book this payroll", [
            new File(["Gross,1000"], "payroll.csv", { type: "text/csv" }),
            new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], "payroll.pdf", { type: "application/pdf" }),
        ]);
        expect(api.calls[0].slice(2)).toEqual([
            "Book this payroll",
            [
                { name: "payroll.csv", data: btoa("Gross,1000") },
                { name: "payroll.pdf", data: btoa("%PDF") },
            ],
        ]);
        expect(refused).toEqual([]);
    });

    test("a file the platform refuses: its reason is shown and handed back, no turn runs", async () => {
        const api = fakeApi({ state: "idle", messages: [] });
        api.refusals = ["notes.docx: only CSV, TXT, TSV, XLSX and PDF files can be read."];
        const chat = new FusionChat(api);
        const refused = await chat.ask("Book it", [new File(["x"], "notes.docx")]);
        expect(refused).toEqual(api.refusals);
        expect(chat.state.error).toBe(api.refusals[0]);
        expect(chat.state.running).toBe(false);
    });

    test("tool calls of the running turn appear as the bus reports them, then give way to the session", async () => {
        const api = fakeApi({ state: "queued", messages: [] });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        const event = { session_id: 7, call_id: "a", tool: "get_ar_aging", ok: true, rows: null, detail: "" };
        chat.onProgress({ ...event, kind: "started" });
        chat.onProgress({ ...event, session_id: 8, call_id: "z", kind: "started" }); // another conversation
        expect(chat.state.progress.map((line) => [line.tool, line.status])).toEqual([["get_ar_aging", "running"]]);
        chat.onProgress({ ...event, kind: "done", rows: 3 });
        chat.onProgress({ ...event, call_id: "b", tool: "match_bank_line", kind: "awaiting_approval" });
        expect(chat.state.progress.map((line) => [line.status, line.content])).toEqual([
            ["done", "3 rows"],
            ["waiting", ""],
        ]);
        api.session = { state: "awaiting_approval", messages: [] };
        await chat.refresh();
        expect(chat.state.progress).toEqual([]);
        chat.onProgress({ ...event, call_id: "late", kind: "started" }); // the turn is over: nothing to show
        expect(chat.state.progress).toEqual([]);
    });

    test("a failed tool call says why", () => {
        const line = progressItem({ call_id: "c", tool: "explode", kind: "done", ok: false, detail: "The tool failed" });
        expect(line).toEqual({
            id: "p_c",
            role: "tool",
            tool: "explode",
            label: "",
            status: "error",
            content: "The tool failed",
        });
    });

    test("tool calls show their status while the turn runs and once it waits", () => {
        const messages = [
            { role: "user", text: "match it" },
            { role: "assistant", text: "", tool_calls: [{ id: "a", name: "get_unreconciled_bank_lines" }] },
            { role: "tool", results: [{ id: "a", name: "get_unreconciled_bank_lines", error: false }] },
            { role: "assistant", text: "Proposing", tool_calls: [{ id: "b", name: "match_bank_line_to_payments" }] },
        ];
        const statuses = (state) =>
            panelItems({ state, messages })
                .filter((item) => item.role === "tool")
                .map((item) => item.status);
        expect(statuses("queued")).toEqual(["done", "running"]);
        expect(statuses("awaiting_approval")).toEqual(["done", "waiting"]);
    });

    test("Approve All sends the pending proposals with their hashes and reports the ones that failed", async () => {
        const api = fakeApi({ state: "awaiting_approval", proposals: PROPOSALS });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        await chat.approveAll();
        expect(api.calls.filter((call) => call[0] === "decide")).toEqual([
            [
                "decide",
                [
                    { id: 1, approve: true, arguments_hash: "h1", reason: "" },
                    { id: 3, approve: true, arguments_hash: "h3", reason: "" },
                ],
            ],
        ]);
        expect(chat.state.error).toBe("#3: expired");
    });

    test("Reject All carries the reason; nothing pending means no call", async () => {
        const api = fakeApi({ state: "awaiting_approval", proposals: PROPOSALS });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        await chat.rejectAll("wrong partner");
        const [[, decisions]] = api.calls.filter((call) => call[0] === "decide");
        expect(decisions.map((decision) => [decision.approve, decision.reason])).toEqual([
            [false, "wrong partner"],
            [false, "wrong partner"],
        ]);
        api.session = { state: "idle", proposals: [PROPOSALS[1]] };
        await chat.refresh();
        api.calls.length = 0;
        await chat.approveAll();
        expect(api.calls).toEqual([]);
    });

    test("approving one card sends the hash the card was shown with", async () => {
        const api = fakeApi({ state: "awaiting_approval", proposals: PROPOSALS });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        await chat.approve(3);
        expect(api.calls).toInclude(["approve", 3, "h3"]);
    });

    test("a queued turn is polled until the server says it is done", async () => {
        const api = fakeApi({ state: "queued", messages: [] });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        expect(chat.state.running).toBe(true);
        api.session = { state: "idle", messages: [{ role: "assistant", text: "done" }] };
        await advanceTime(POLL_INTERVAL_MS + 10);
        expect(chat.state.running).toBe(false);
        expect(chat.state.messages[0].content).toBe("done");
        const reads = api.calls.filter((call) => call[0] === "read").length;
        await advanceTime(POLL_INTERVAL_MS * 3);
        expect(api.calls.filter((call) => call[0] === "read").length).toBe(reads);
    });

    test("a server error is shown, not thrown", async () => {
        const api = fakeApi({});
        api.approve = async () => {
            throw new Error("Proposal expired");
        };
        const chat = new FusionChat(api);
        await chat.approve(1);
        expect(chat.state.error).toBe("Proposal expired");
        expect(chat.state.busy).toBe(false);
    });
});

describe("FusionCopilotUI chat friction", () => {
    test("the question shows at once, before the server answers", async () => {
        const api = fakeApi({ state: "queued", messages: [] });
        let release;
        api.postMessage = (sessionId, text) =>
            new Promise((resolve) => {
                release = () => resolve({ session_id: 7, state: "queued" });
            });
        const chat = new FusionChat(api);
        const asked = chat.ask("What is my AR aging?");
        await Promise.resolve();
        expect(chat.state.messages.map((m) => [m.role, m.content, m.pending])).toEqual([
            ["user", "What is my AR aging?", true],
        ]);
        release();
        await asked;
    });

    test("a message typed while a proposal waits is queued, shown, then sent after the decision", async () => {
        const api = fakeApi({ state: "awaiting_approval", messages: [], proposals: [PROPOSALS[0]] });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        const refused = await chat.ask("and the next one?");
        expect(refused).toEqual([]);
        expect(chat.state.queue.map((item) => item.text)).toEqual(["and the next one?"]);
        expect(api.calls.filter((call) => call[0] === "post")).toEqual([]);
        api.session = { state: "idle", messages: [], proposals: [{ ...PROPOSALS[0], state: "approved" }] };
        await chat.approve(1);
        await advanceTime(1);
        await animationFrame();
        expect(api.calls.filter((call) => call[0] === "post").map((call) => call[2])).toEqual(["and the next one?"]);
        expect(chat.state.queue).toEqual([]);
    });

    test("a queued message can be taken back before it goes", async () => {
        const api = fakeApi({ state: "queued", messages: [] });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        await chat.ask("first");
        await chat.ask("second");
        chat.removeQueued(chat.state.queue[0].id);
        expect(chat.state.queue.map((item) => item.text)).toEqual(["second"]);
    });

    test("a message the server could not take is handed back, not lost", async () => {
        const api = fakeApi({ state: "idle", messages: [] });
        api.postMessage = async () => {
            throw new Error("Network down");
        };
        const chat = new FusionChat(api);
        const refused = await chat.ask("hello");
        expect(refused).toEqual(["Network down"]);
        expect(chat.state.messages).toEqual([]);
    });

    test("an approval tells the dashboard the books changed; a rejection does not", async () => {
        const api = fakeApi({ state: "awaiting_approval", proposals: PROPOSALS });
        const said = [];
        const envBus = { trigger: (name) => said.push(name) };
        const chat = new FusionChat(api, null, envBus);
        await chat.loadSession(7);
        await chat.reject(1, "wrong partner");
        expect(said).toEqual([]);
        await chat.approve(1);
        expect(said).toEqual([BOOKS_CHANGED]);
        await chat.approveAll();
        expect(said).toEqual([BOOKS_CHANGED, BOOKS_CHANGED]);
    });

    test("rejecting without a reason is refused before any call", async () => {
        const api = fakeApi({ state: "awaiting_approval", proposals: PROPOSALS });
        const chat = new FusionChat(api);
        await chat.loadSession(7);
        await chat.reject(1, "  ");
        await chat.rejectAll("");
        expect(api.calls.filter((call) => ["reject", "decide"].includes(call[0]))).toEqual([]);
        expect(Boolean(chat.state.error)).toBe(true);
    });

    test("a tool chosen in a form is sent as an explicit command", async () => {
        const api = fakeApi({ state: "idle", messages: [] });
        const chat = new FusionChat(api);
        await chat.runTool("get_cash_flow", { date_from: "2026-12-01", date_to: "2026-12-02" });
        expect(api.calls[0][2]).toBe('/tool get_cash_flow {"date_from":"2026-12-01","date_to":"2026-12-02"}');
    });

    test("the offline router's question is the last one it did not answer with a tool", () => {
        const asked = { role: "user", text: "cash flow" };
        const said = { role: "assistant", text: "These tools fit" };
        expect(unansweredQuestion({ answered_offline: true, state: "idle", messages: [asked, said] })).toBe("cash flow");
        expect(unansweredQuestion({ answered_offline: false, state: "idle", messages: [asked, said] })).toBe("");
        const ran = { role: "assistant", text: "", tool_calls: [{ id: "a", name: "get_cash_flow" }] };
        expect(unansweredQuestion({ answered_offline: true, state: "idle", messages: [asked, ran, said] })).toBe("");
        const command = { role: "user", text: "/tool aging" };
        expect(unansweredQuestion({ answered_offline: true, state: "idle", messages: [command, said] })).toBe("");
    });

    test("form inputs become typed arguments", () => {
        expect(argumentValue({ kind: "integer" }, " 42 ")).toBe(42);
        expect(argumentValue({ kind: "list" }, "1, 2 3")).toEqual([1, 2, 3]);
        expect(argumentValue({ kind: "list" }, "[4, 5]")).toEqual([4, 5]);
        expect(argumentValue({ kind: "date" }, "")).toBe(null);
        expect(argumentValue({ kind: "boolean" }, true)).toBe(true);
    });
});

describe("FusionCopilotUI tool results", () => {
    defineMailModels();

    const rows = Array.from({ length: 12 }, (_, n) => ({
        partner: { model: "res.partner", id: n + 1, name: `Customer ${n + 1}` },
        total: 100 + n,
        _currency: "CAD",
    }));
    const view = {
        text: "",
        facts: [{ key: "as_of", label: "As of", kind: "date", value: "2026-11-30" }],
        tables: [
            {
                key: "partners",
                title: "Partners",
                columns: [
                    { key: "partner", label: "Partner", kind: "link" },
                    { key: "total", label: "Total", kind: "money" },
                ],
                rows,
                total_rows: 12,
                totals: { total: 1266 },
                currency: "CAD",
            },
        ],
    };

    test("a list of records is a paged table with links, money and a totals row", async () => {
        await mountWithCleanup(FusionToolResult, { props: { view, raw: '{"partners": []}' } });
        expect(".o_fusion_tool_table tbody tr").toHaveCount(10);
        expect(".o_fusion_record_link").toHaveCount(10);
        expect(".o_fusion_tool_totals").toHaveText(/Total\s*1,266\.00 CAD/);
        await contains(".o_fusion_tool_next").click();
        expect(".o_fusion_tool_table tbody tr").toHaveCount(2);
        expect(".o_fusion_raw_json").toHaveCount(0);
        await contains(".o_fusion_raw_toggle").click();
        expect(".o_fusion_raw_json").toHaveCount(1);
    });
});

describe("FusionCopilotUI approval card", () => {
    // mail is installed with us, so its services start in every mounted test.
    defineMailModels();

    const proposal = {
        id: 4,
        state: "pending",
        title: "Match a bank line",
        confidence: 0.94,
        lines: [
            { label: "Bank: Mar 4 elavon mrch svc", amount: "$697.61" },
            { label: "Fee to 60545 (Elavon Fee)", amount: "$11.53" },
        ],
        reasoning: "Weekend daily batch, 1.6% fee",
    };

    test("shows amounts, confidence and reason as design 6.3", async () => {
        await mountWithCleanup(ApprovalCard, { props: { proposal, onApprove() {}, onReject() {} } });
        expect(".o_fusion_approval_card").toHaveText(/Match a bank line/);
        expect(".o_fusion_approval_confidence").toHaveText("94% conf");
        expect("tbody tr").toHaveCount(2);
        expect(".o_fusion_approval_reason").toHaveText('AI: "Weekend daily batch, 1.6% fee"');
    });

    test("rejecting asks for a reason and hands it over", async () => {
        const rejected = [];
        await mountWithCleanup(ApprovalCard, {
            props: { proposal, onApprove() {}, onReject: (id, reason) => rejected.push([id, reason]) },
        });
        await contains(".o_fusion_reject").click();
        expect(".o_fusion_reject_confirm").toHaveAttribute("disabled");
        await contains(".o_fusion_reject_reason").edit("   ");
        expect(".o_fusion_reject_confirm").toHaveAttribute("disabled");
        await contains(".o_fusion_reject_reason").edit("  wrong invoice  ");
        await contains(".o_fusion_reject_confirm").click();
        expect(rejected).toEqual([[4, "wrong invoice"]]);
    });

    test("a decided proposal has no buttons", async () => {
        await mountWithCleanup(ApprovalCard, {
            props: {
                proposal: { ...proposal, state: "rejected", state_label: "Rejected", rejection_reason: "not this one" },
                onApprove() {},
                onReject() {},
            },
        });
        expect(".o_fusion_approve").toHaveCount(0);
        expect(".o_fusion_approval_outcome .badge").toHaveText("Rejected");
        expect(".o_fusion_approval_reject_reason").toHaveText("not this one");
    });
});

describe("FusionCopilotUI chat panel", () => {
    defineMailModels();

    test("a running tool call is a spinner line, then a check with its rows", async () => {
        onRpc("/fusion/ai/session", () => ({
            name: "Aging",
            state: "queued",
            messages: [{ role: "user", text: "Who owes us?" }],
            proposals: [],
        }));
        await mountWithCleanup(FusionChatPanel, { noMainContainer: true }); // the main components would add a second
        const chat = getService("fusion_accounting.chat");
        await chat.loadSession(7);
        const event = {
            session_id: 7,
            call_id: "a",
            tool: "get_ar_aging",
            label: "Receivables aging",
            ok: true,
            rows: null,
            detail: "",
        };
        chat.onProgress({ ...event, kind: "started" });
        await animationFrame();
        expect(".o_fusion_chat_tool .fa-spinner").toHaveCount(1);
        chat.onProgress({ ...event, kind: "done", rows: 12 });
        await animationFrame();
        expect(".o_fusion_chat_tool .fa-spinner").toHaveCount(0);
        expect(".o_fusion_chat_tool .fa-check").toHaveCount(1);
        expect(".o_fusion_chat_tool").toHaveText(/Receivables aging\s*12 rows/);
        expect(".o_fusion_chat_tool").not.toHaveText(/get_ar_aging/);
    });

    const AWAITING = {
        name: "Follow-ups",
        state: "awaiting_approval",
        messages: [
            { role: "user", text: "Send Acme's follow-up now" },
            {
                role: "assistant",
                text: "",
                tool_calls: [{ id: "c1", name: "followup_send_now", label: "Send follow-up now", arguments: {} }],
            },
        ],
        proposals: [],
    };

    test("a call waiting for approval is named by its label, the key only as a tooltip", async () => {
        onRpc("/fusion/ai/session", () => AWAITING);
        await mountWithCleanup(FusionChatPanel, { noMainContainer: true });
        await getService("fusion_accounting.chat").loadSession(7);
        await animationFrame();
        const line = ".o_fusion_chat_tool[data-tool='followup_send_now']";
        expect(`${line} .fa-hourglass-half`).toHaveCount(1);
        expect(`${line} .o_fusion_tool_label`).toHaveText("Send follow-up now");
        expect(`${line} .o_fusion_tool_label`).toHaveAttribute("title", "followup_send_now");
        expect(line).not.toHaveText(/followup_send_now/);
    });

    test("in debug mode the waiting call shows its key too", async () => {
        serverState.debug = "1";
        onRpc("/fusion/ai/session", () => AWAITING);
        await mountWithCleanup(FusionChatPanel, { noMainContainer: true });
        await getService("fusion_accounting.chat").loadSession(7);
        await animationFrame();
        expect(".o_fusion_chat_tool .o_fusion_tool_label").toHaveText("Send follow-up now");
        expect(".o_fusion_chat_tool .o_fusion_tool_key").toHaveText("followup_send_now");
    });
});

describe("FusionCopilotUI tool picker", () => {
    defineMailModels();

    const tools = [
        { name: "get_ar_aging", label: "Receivables aging", description: "Open customer amounts.", tier: 1, fields: [] },
        { name: "followup_send_now", label: "Send follow-up now", description: "Outside the schedule.", tier: 3, fields: [] },
    ];

    test("lists the tools by label, the key only as a tooltip outside debug mode", async () => {
        await mountWithCleanup(FusionToolPicker, {
            props: { search: async () => tools, onRun() {}, onClose() {} },
        });
        expect(".o_fusion_tool_item .o_fusion_tool_label").toHaveCount(2);
        expect(".o_fusion_tool_item[data-tool='get_ar_aging'] .o_fusion_tool_label").toHaveText("Receivables aging");
        expect(".o_fusion_tool_item[data-tool='get_ar_aging'] .o_fusion_tool_label").toHaveAttribute(
            "title",
            "get_ar_aging"
        );
        expect(".o_fusion_tool_key").toHaveCount(0);
        expect(".o_fusion_tool_list").not.toHaveText(/get_ar_aging|followup_send_now/);
        await contains(".o_fusion_tool_item[data-tool='followup_send_now']").click();
        expect(".o_fusion_tool_form .o_fusion_tool_label").toHaveText("Send follow-up now");
    });
});
