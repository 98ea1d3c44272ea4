import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { _t } from "@web/core/l10n/translation";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { chatApi } from "./chat_api";

// A turn runs as a server job; the bus says when it changes, polling covers a missed notification.
export const POLL_INTERVAL_MS = 1500;
// What the server reads (services/uploads.py in the platform); the input's accept list, not a check.
export const UPLOAD_TYPES = ".csv,.txt,.tsv,.xlsx,.pdf";
// Said on the env bus after an approval booked something: the dashboard re-reads its cards.
export const BOOKS_CHANGED = "FUSION:BOOKS_CHANGED";

/** The files as the platform takes them: the server reads CSV, XLSX and PDF alike and keeps each one. */
async function uploads(files) {
    const encoded = [];
    for (const file of files) {
        const dataUrl = await getDataURLFromFile(file);
        encoded.push({ name: file.name, data: dataUrl.slice(dataUrl.indexOf(",") + 1) });
    }
    return encoded;
}

function errorText(error) {
    return error?.data?.message || error?.message || String(error);
}

const PROGRESS_STATUS = { started: "running", awaiting_approval: "waiting" };

/**
 * A bus progress event of the running turn (``fusion_ai/progress``) as a
 * panel line: the tool (key and label), its status, and how many rows it returned or why it failed.
 */
export function progressItem(event) {
    const status = PROGRESS_STATUS[event.kind] || (event.ok ? "done" : "error");
    let content = "";
    if (status === "done" && event.rows !== null && event.rows !== undefined) {
        content = event.rows === 1 ? "1 row" : `${event.rows} rows`;
    } else if (status === "error") {
        content = event.detail || "";
    }
    return { id: `p_${event.call_id}`, role: "tool", tool: event.tool, label: event.label || "", status, content };
}

/**
 * The platform's messages as panel items: a bubble per text, a line per tool
 * call with its status (running, waiting for approval, done, error).
 */
export function panelItems(session) {
    const results = new Map();
    for (const message of session.messages || []) {
        for (const result of message.results || []) {
            results.set(result.id, result);
        }
    }
    const running = session.state === "queued";
    const awaiting = session.state === "awaiting_approval";
    const items = [];
    (session.messages || []).forEach((message, index) => {
        if (message.role === "tool") {
            return;
        }
        if (message.text) {
            items.push({ id: `m${index}`, role: message.role, content: message.text });
        }
        for (const call of message.tool_calls || []) {
            const result = results.get(call.id);
            const status = result ? (result.error ? "error" : "done") : awaiting ? "waiting" : running ? "running" : "done";
            const item = { id: `c${index}_${call.id}`, role: "tool", tool: call.name, label: call.label || "", status };
            if (result?.view) {
                // The result as tables and facts, and the JSON the model read behind a toggle.
                Object.assign(item, { view: result.view, raw: result.content || "" });
            }
            items.push(item);
        }
    });
    return items;
}

/** The user's last question of a conversation that the offline router answered without running a tool. */
export function unansweredQuestion(session) {
    if (!session.answered_offline || session.state !== "idle") {
        return "";
    }
    const messages = session.messages || [];
    let index = messages.length - 1;
    while (index >= 0 && messages[index].role === "assistant" && !(messages[index].tool_calls || []).length) {
        index--;
    }
    const question = index >= 0 && index < messages.length - 1 ? messages[index] : null;
    if (!question || question.role !== "user" || (question.text || "").trim().startsWith("/")) {
        return "";
    }
    return question.text.trim();
}

/** The conversation part of the panel's state, as a new session starts it. */
function emptySession() {
    return {
        sessionId: false,
        title: "",
        messages: [],
        proposals: [],
        running: false,
        // Tool calls of the running turn, as the bus reports them; the session read at its end replaces them.
        progress: [],
        // Messages typed while a turn runs or a proposal waits: sent, in order, once it is decided.
        queue: [],
        // Tools the offline router found for the last question, with their forms.
        suggestions: [],
        currencyIds: {},
        currency: "",
    };
}

/**
 * State of the chat side panel, shared by the systray button, the panel and
 * the dashboard (a card click asks the panel a question).  The session read
 * from the server is the only source of truth: after every action the
 * service re-reads it instead of guessing the outcome.
 */
export class FusionChat {
    constructor(api = chatApi, bus = null, envBus = null) {
        this.api = api;
        this.envBus = envBus;
        this.state = reactive({ open: false, ...emptySession(), busy: false, error: "", status: null });
        this._pollTimer = null;
        this._queueSeq = 0;
        this._suggestedFor = "";
        bus?.subscribe("fusion_ai/session", (payload) => {
            if (payload?.id === this.state.sessionId) {
                this.refresh().catch((error) => (this.state.error = errorText(error)));
            }
        });
        bus?.subscribe("fusion_ai/progress", (payload) => this.onProgress(payload));
    }

    /** One tool call of the running turn started, ended or waits for approval: show it at once. */
    onProgress(event) {
        if (!event || event.session_id !== this.state.sessionId || !this.state.running) {
            return;
        }
        const item = progressItem(event);
        const index = this.state.progress.findIndex((line) => line.id === item.id);
        if (index < 0) {
            this.state.progress.push(item);
        } else {
            this.state.progress[index] = item;
        }
    }

    get pendingProposals() {
        return this.state.proposals.filter((proposal) => proposal.state === "pending");
    }

    /** A turn runs or a proposal waits: a new message is queued, not refused. */
    get waiting() {
        return this.state.running || this.pendingProposals.length > 0;
    }

    toggle() {
        this.state.open = !this.state.open;
        if (this.state.open) {
            this.loadStatus();
        }
    }

    openPanel() {
        this.state.open = true;
        this.loadStatus();
    }

    /** Which AI provider answers, or exactly what it lacks ("Claude selected, no API key"). */
    async loadStatus() {
        if (this.state.status || !this.api.status) {
            return;
        }
        try {
            this.state.status = await this.api.status();
        } catch {
            this.state.status = null; // the panel works without it
        }
    }

    /** The tools matching ``query`` for the picker (the router's words and synonyms). */
    searchTools(query) {
        return this.api.tools({ query });
    }

    /** Run a tool chosen in the picker or a form: an explicit command, through the turn and the tier gate. */
    runTool(name, args = {}) {
        const json = Object.keys(args).length ? ` ${JSON.stringify(args)}` : "";
        this.state.suggestions = [];
        return this.ask(`/tool ${name}${json}`, [], { page: window.location.pathname });
    }

    removeQueued(id) {
        const index = this.state.queue.findIndex((item) => item.id === id);
        if (index >= 0) {
            this.state.queue.splice(index, 1);
        }
    }

    closePanel() {
        this.state.open = false;
    }

    newSession() {
        this._stopPolling();
        Object.assign(this.state, emptySession());
    }

    /**
     * Send a question (and files).  While a turn runs or a proposal waits it is
     * queued (shown, removable) and sent once that is over: never thrown away.
     * Returns the reasons the server refused it (files, or the request itself):
     * then no turn runs, and the caller may give the text back.
     */
    async ask(text, files = [], context = {}) {
        const typed = (text || "").trim();
        if (!typed && !files.length) {
            return [];
        }
        this.openPanel();
        if (this.waiting && !files.length) {
            this.state.queue.push({ id: `q${++this._queueSeq}`, text: typed, context });
            return [];
        }
        return this._send(typed, files, context);
    }

    async _send(typed, files, context) {
        // The question shows at once; the session read after the post replaces it.
        const local = { id: `local${++this._queueSeq}`, role: "user", content: typed, pending: true };
        if (typed) {
            this.state.messages.push(local);
        }
        this.state.suggestions = [];
        let errors = [];
        let posted = false;
        await this._call(async () => {
            const encoded = await uploads(files);
            const result = await this.api.postMessage(this.state.sessionId, typed, context, encoded);
            posted = true;
            this.state.sessionId = result.session_id;
            // Running from now on, so the first progress events of the turn are not dropped.
            this.state.running = result.state === "queued";
            errors = result.errors || [];
            await this.refresh();
            if (errors.length) {
                this.state.error = errors.join("\n");
            }
        });
        if (!posted) {
            const index = this.state.messages.findIndex((message) => message.id === local.id);
            if (index >= 0) {
                this.state.messages.splice(index, 1);
            }
            return [this.state.error || _t("The message could not be sent.")];
        }
        return errors;
    }

    async loadSession(sessionId) {
        this.openPanel();
        Object.assign(this.state, { sessionId, progress: [] });
        await this._call(() => this.refresh());
    }

    async refresh() {
        if (!this.state.sessionId) {
            return;
        }
        const session = await this.api.readSession(this.state.sessionId);
        const proposalIds = (session.proposals || []).map((proposal) => proposal.id);
        const cards = proposalIds.length ? await this.api.cards(proposalIds) : [];
        this._apply(session, cards);
    }

    approve(proposalId) {
        const card = this.state.proposals.find((proposal) => proposal.id === proposalId);
        return this._call(async () => {
            await this.api.approve(proposalId, card?.arguments_hash);
            this.booksChanged();
            await this.refresh();
        });
    }

    /** An approval may have booked something: whoever shows figures (the dashboard) re-reads them. */
    booksChanged() {
        this.envBus?.trigger(BOOKS_CHANGED);
    }

    reject(proposalId, reason) {
        if (!(reason || "").trim()) {
            this.state.error = _t("Say why you reject it: the co-pilot learns from your reason.");
            return Promise.resolve();
        }
        return this._call(async () => {
            await this.api.reject(proposalId, reason);
            await this.refresh();
        });
    }

    approveAll() {
        return this._decideAll(true, "");
    }

    rejectAll(reason) {
        if (!(reason || "").trim()) {
            this.state.error = _t("Say why you reject them: the co-pilot learns from your reason.");
            return Promise.resolve();
        }
        return this._decideAll(false, reason);
    }

    _decideAll(approve, reason) {
        const decisions = this.pendingProposals.map((proposal) => ({
            id: proposal.id,
            approve,
            arguments_hash: proposal.arguments_hash,
            reason,
        }));
        if (!decisions.length) {
            return Promise.resolve();
        }
        return this._call(async () => {
            const outcomes = await this.api.decide(decisions);
            if (approve && (outcomes || []).some((outcome) => outcome.ok)) {
                this.booksChanged();
            }
            await this.refresh();
            // Each decision succeeds or fails alone: say which ones did not go through.
            const failed = (outcomes || []).filter((outcome) => !outcome.ok);
            this.state.error = failed.map((outcome) => `#${outcome.id}: ${outcome.error}`).join("\n");
        });
    }

    async _call(fn) {
        this.state.busy = true;
        this.state.error = "";
        try {
            await fn();
        } catch (error) {
            this.state.error = errorText(error);
        } finally {
            this.state.busy = false;
            if (this.state.queue.length && !this.waiting) {
                browser.setTimeout(() => this._sendQueued(), 0);
            }
        }
    }

    _apply(session, cards) {
        this.state.title = session.name || "";
        this.state.messages = panelItems(session);
        this.state.proposals = cards;
        this.state.currencyIds = session.currency_ids || {};
        this.state.currency = session.company_currency || "";
        this.state.running = session.state === "queued";
        if (!this.state.running) {
            this.state.progress = [];
        }
        if (session.state === "failed" && session.last_error) {
            this.state.error = session.last_error;
        }
        if (this.state.running) {
            this._schedulePoll();
        } else {
            this._stopPolling();
        }
        this._suggest(unansweredQuestion(session));
        if (!this.waiting && this.state.queue.length) {
            // Once the action that read this session is over: the queued message starts the next turn.
            browser.setTimeout(() => this._sendQueued(), 0);
        }
    }

    _sendQueued() {
        if (this.waiting || this.state.busy || !this.state.queue.length) {
            return;
        }
        const next = this.state.queue.shift();
        return this._send(next.text, [], next.context);
    }

    /** The offline router's tools for a question it could not answer by itself, with their forms. */
    async _suggest(question) {
        if (!question || !this.api.tools) {
            this.state.suggestions = [];
            this._suggestedFor = "";
            return;
        }
        const key = `${this.state.sessionId}:${question}`;
        if (key === this._suggestedFor) {
            return;
        }
        this._suggestedFor = key;
        try {
            this.state.suggestions = await this.api.tools({ question, page: window.location.pathname });
        } catch {
            this.state.suggestions = [];
        }
    }

    _schedulePoll() {
        if (this._pollTimer) {
            return;
        }
        this._pollTimer = browser.setTimeout(async () => {
            this._pollTimer = null;
            try {
                await this.refresh();
            } catch (error) {
                this.state.error = errorText(error);
                this.state.running = false;
            }
        }, POLL_INTERVAL_MS);
    }

    _stopPolling() {
        if (this._pollTimer) {
            browser.clearTimeout(this._pollTimer);
            this._pollTimer = null;
        }
    }
}

export const fusionChatService = {
    dependencies: ["bus_service"],
    start(env, { bus_service }) {
        return new FusionChat(chatApi, bus_service, env.bus);
    },
};

registry.category("services").add("fusion_accounting.chat", fusionChatService);
