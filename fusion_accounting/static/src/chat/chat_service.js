import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { chatApi } from "./chat_api";

// A turn runs as a server job; the bus says when it changes, polling covers a missed notification.
export const POLL_INTERVAL_MS = 1500;
// What the server reads (services/uploads.py in the platform); the input's accept list, not a check.
export const UPLOAD_TYPES = ".csv,.txt,.tsv,.xlsx,.pdf";

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
 * panel line: the tool, its status, and how many rows it returned or why it failed.
 */
export function progressItem(event) {
    const status = PROGRESS_STATUS[event.kind] || (event.ok ? "done" : "error");
    let content = "";
    if (status === "done" && event.rows !== null && event.rows !== undefined) {
        content = event.rows === 1 ? "1 row" : `${event.rows} rows`;
    } else if (status === "error") {
        content = event.detail || "";
    }
    return { id: `p_${event.call_id}`, role: "tool", tool: event.tool, status, content };
}

/**
 * The platform's messages as panel items: a bubble per text, a line per tool
 * call with its status (running, waiting for approval, done, error).
 */
export function panelItems(session) {
    const results = new Map();
    for (const message of session.messages || []) {
        for (const result of message.results || []) {
            results.set(result.id, result.error ? "error" : "done");
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
            const status = results.get(call.id) || (awaiting ? "waiting" : running ? "running" : "done");
            items.push({ id: `c${index}_${call.id}`, role: "tool", tool: call.name, status });
        }
    });
    return items;
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
    };
}

/**
 * State of the chat side panel, shared by the systray button, the panel and
 * the dashboard (a card click asks the panel a question).  The session read
 * from the server is the only source of truth: after every action the
 * service re-reads it instead of guessing the outcome.
 */
export class FusionChat {
    constructor(api = chatApi, bus = null) {
        this.api = api;
        this.state = reactive({ open: false, ...emptySession(), busy: false, error: "" });
        this._pollTimer = null;
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

    toggle() {
        this.state.open = !this.state.open;
    }

    openPanel() {
        this.state.open = true;
    }

    closePanel() {
        this.state.open = false;
    }

    newSession() {
        this._stopPolling();
        Object.assign(this.state, emptySession());
    }

    /**
     * Send a question (and files).  Returns the server's reasons when it
     * refused a file: then no turn runs, and the caller may give the text back.
     */
    async ask(text, files = [], context = {}) {
        const typed = (text || "").trim();
        if (!typed && !files.length) {
            return [];
        }
        this.openPanel();
        let errors = [];
        await this._call(async () => {
            const encoded = await uploads(files);
            const result = await this.api.postMessage(this.state.sessionId, typed, context, encoded);
            this.state.sessionId = result.session_id;
            // Running from now on, so the first progress events of the turn are not dropped.
            this.state.running = result.state === "queued";
            errors = result.errors || [];
            await this.refresh();
            if (errors.length) {
                this.state.error = errors.join("\n");
            }
        });
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
            await this.refresh();
        });
    }

    reject(proposalId, reason) {
        return this._call(async () => {
            await this.api.reject(proposalId, reason);
            await this.refresh();
        });
    }

    approveAll() {
        return this._decideAll(true, "");
    }

    rejectAll(reason) {
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
        }
    }

    _apply(session, cards) {
        this.state.title = session.name || "";
        this.state.messages = panelItems(session);
        this.state.proposals = cards;
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
        return new FusionChat(chatApi, bus_service);
    },
};

registry.category("services").add("fusion_accounting.chat", fusionChatService);
