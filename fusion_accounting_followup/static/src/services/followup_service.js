import { reactive } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

const DARK_KEY = "fusion_followup.dark_mode";

/**
 * A route's answer; a refusal arrives as ``{refused: true, error: "<sentence>"}``
 * and is thrown so that the store shows the sentence like any other error.
 */
async function call(route, params) {
    const result = await rpc(route, params);
    if (result?.refused) {
        throw new Error(result.error);
    }
    return result;
}

/** JSON-RPC wrappers: every follow-up decision is taken by the server's engine. */
export const followupApi = {
    listOverdue: (params) => call("/fusion/followup/list_overdue", params),
    getPartner: (partnerId) => call("/fusion/followup/get_partner", { partner_id: partnerId }),
    computeLevel: (partnerId) => call("/fusion/followup/compute_level", { partner_id: partnerId }),
    // What Send would send (recipients, level, text) or why it cannot: nothing is sent.
    previewSend: (partnerId, levelId = null) =>
        call("/fusion/followup/preview_send", { partner_id: partnerId, level_id: levelId }),
    // force and escalate answer {confirm_required, message, confirm} first; send again with `confirm` to act.
    // `text` ({subject, body_html, text_source, edited}) is the text the person confirmed.
    send: (partnerId, levelId = null, force = false, confirm = null, text = null) =>
        call("/fusion/followup/send", { partner_id: partnerId, level_id: levelId, force, confirm, ...(text || {}) }),
    escalate: (partnerId, confirm = null) => call("/fusion/followup/escalate", { partner_id: partnerId, confirm }),
    pause: (partnerId, untilDate = null) =>
        call("/fusion/followup/pause", { partner_id: partnerId, until_date: untilDate }),
    reset: (partnerId) => call("/fusion/followup/reset", { partner_id: partnerId }),
    history: (partnerId, limit = 50) => call("/fusion/followup/history", { partner_id: partnerId, limit }),
    generateText: (partnerId, levelId = null) =>
        call("/fusion/followup/generate_text", { partner_id: partnerId, level_id: levelId }),
};

/**
 * Reactive state of the follow-up dashboard: the overdue page, the selected
 * partner (summary, level, history) and the drafted text.  After each action
 * the service re-reads what the server now says instead of patching locally.
 */
export class FollowupStore {
    constructor(api = followupApi, storage = window.localStorage) {
        this.api = api;
        this.storage = storage;
        this._pending = null; // {call, token} of state.confirmation
        this.state = reactive({
            rows: [],
            total: 0,
            totalOverdue: "0",
            company: "",
            otherCompanies: 0,
            offset: 0,
            limit: 40,
            search: "",
            order: "overdue",
            loading: false,
            error: "",
            notice: "",
            partnerId: null,
            partnerName: "",
            partner: null,
            history: [],
            text: null,
            textLoading: false,
            // {message}: what a forced send or an escalation would do, waiting for the user's yes
            confirmation: null,
            // preview_send's answer while the person checks recipients, level and text before sending
            draft: null,
            dark: storage?.getItem(DARK_KEY) === "1",
        });
    }

    async loadPage() {
        const { offset, limit, search, order } = this.state;
        await this._guard(async () => {
            const page = await this.api.listOverdue({ offset, limit, search: search || null, order });
            this.state.rows = page.rows;
            this.state.total = page.total;
            this.state.totalOverdue = page.total_overdue;
            this.state.company = page.company || "";
            this.state.otherCompanies = Math.max((page.companies || 1) - 1, 0);
        });
    }

    async search(term) {
        this.state.search = term;
        this.state.offset = 0;
        await this.loadPage();
    }

    async selectPartner(partnerId, name = "") {
        this.state.partnerId = partnerId;
        this.state.partnerName = name;
        this.state.text = null;
        this.state.draft = null;
        this.cancelConfirmation();
        await this.refreshPartner();
    }

    async refreshPartner() {
        const partnerId = this.state.partnerId;
        if (!partnerId) {
            return;
        }
        await this._guard(async () => {
            // get_partner already carries the level due, the risk and the follow-up state.
            const [partner, history] = await Promise.all([
                this.api.getPartner(partnerId),
                this.api.history(partnerId),
            ]);
            this.state.partner = partner;
            this.state.history = history;
        });
    }

    async generateText() {
        this.state.textLoading = true;
        try {
            await this._guard(async () => {
                this.state.text = await this.api.generateText(this.state.partnerId);
            });
        } finally {
            this.state.textLoading = false;
        }
    }

    /**
     * The Send button: first the server's preview (recipients, level, drafted text), shown for the
     * person to check and edit; nothing goes until confirmSend().  A forced resend asks its own question.
     */
    async send(force = false) {
        const partnerId = this.state.partnerId;
        if (force) {
            return this._confirmable((confirm) => this.api.send(partnerId, null, true, confirm));
        }
        this.cancelConfirmation();
        this.state.draft = null;
        await this._guard(async () => {
            const preview = await this.api.previewSend(partnerId);
            if (!preview.can_send) {
                throw new Error(preview.reason);
            }
            this.state.draft = preview;
        });
    }

    /** Send the checked text ({subject, body_html, edited}) at the previewed level. */
    async confirmSend(text) {
        const draft = this.state.draft;
        if (!draft) {
            return;
        }
        this.state.draft = null;
        const sent = { ...text, text_source: draft.source };
        await this._act(() => this.api.send(draft.partner_id, draft.level_id, false, null, sent));
    }

    cancelSend() {
        this.state.draft = null;
    }

    escalate() {
        const partnerId = this.state.partnerId;
        return this._confirmable((confirm) => this.api.escalate(partnerId, confirm));
    }

    /** Send the confirmation token of the pending question: the server acts now. */
    async confirm() {
        const pending = this._pending;
        this._pending = null;
        this.state.confirmation = null;
        if (pending) {
            await this._act(() => pending.call(pending.token));
        }
    }

    cancelConfirmation() {
        this._pending = null;
        this.state.confirmation = null;
    }

    pause(untilDate = null) {
        return this._act(() => this.api.pause(this.state.partnerId, untilDate));
    }

    reset() {
        return this._act(() => this.api.reset(this.state.partnerId));
    }

    toggleDark() {
        this.state.dark = !this.state.dark;
        this.storage?.setItem(DARK_KEY, this.state.dark ? "1" : "0");
    }

    /** An action the server may first answer with a question (``confirm_required``); it waits for confirm(). */
    async _confirmable(call) {
        this.cancelConfirmation();
        let question = null;
        const done = await this._guard(async () => {
            const result = await call(null);
            if (result?.confirm_required) {
                question = result;
            } else {
                this.state.notice = result?.message || "";
            }
        });
        if (question) {
            this._pending = { call, token: question.confirm };
            this.state.confirmation = { message: question.message, action: question.action };
        } else if (done) {
            await Promise.all([this.refreshPartner(), this.loadPage()]);
        }
    }

    async _act(call) {
        const done = await this._guard(async () => {
            const result = await call();
            this.state.notice = result?.message || "";
        });
        // A refused action changed nothing; re-reading would also wipe the error shown.
        if (done) {
            await Promise.all([this.refreshPartner(), this.loadPage()]);
        }
    }

    async _guard(fn) {
        this.state.loading = true;
        this.state.error = "";
        try {
            await fn();
            return true;
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || String(error);
            return false;
        } finally {
            this.state.loading = false;
        }
    }
}

export const followupService = {
    start() {
        return new FollowupStore();
    },
};

registry.category("services").add("fusion_accounting_followup.followup", followupService);
