import { reactive } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

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

/** The companies selected in the company switcher: follow-ups are computed for each of them. */
export function selectedCompanyIds() {
    return user.context.allowed_company_ids || [];
}

/**
 * JSON-RPC wrappers: every follow-up decision is taken by the server's engine.  Follow-ups are per
 * company, so a customer is a ``target``: ``{partner_id, company_id}`` (the section it was picked from).
 */
export const followupApi = {
    // {sections: [{company_id, company, currency_id, rows, total, total_overdue}], total, total_overdue}
    listOverdue: (params) => call("/fusion/followup/list_overdue", params),
    getPartner: (target) => call("/fusion/followup/get_partner", target),
    computeLevel: (target) => call("/fusion/followup/compute_level", target),
    // What Send would send (recipients, level, text) or why it cannot: nothing is sent.
    previewSend: (target, levelId = null) => call("/fusion/followup/preview_send", { ...target, level_id: levelId }),
    // force and escalate answer {confirm_required, message, confirm} first; send again with `confirm` to act.
    // `text` ({subject, body_html, text_source, edited}) is the text the person confirmed.
    send: (target, levelId = null, force = false, confirm = null, text = null) =>
        call("/fusion/followup/send", { ...target, level_id: levelId, force, confirm, ...(text || {}) }),
    escalate: (target, confirm = null) => call("/fusion/followup/escalate", { ...target, confirm }),
    pause: (target, untilDate = null) => call("/fusion/followup/pause", { ...target, until_date: untilDate }),
    reset: (target) => call("/fusion/followup/reset", target),
    history: (target, limit = 50) => call("/fusion/followup/history", { ...target, limit }),
    generateText: (target, levelId = null) =>
        call("/fusion/followup/generate_text", { ...target, level_id: levelId }),
};

/**
 * Reactive state of the follow-up dashboard: the overdue page of each selected
 * company, the selected partner (summary, level, history) and the drafted text.
 * After each action the service re-reads what the server now says instead of
 * patching locally.
 */
export class FollowupStore {
    constructor(api = followupApi, storage = window.localStorage, companyIds = selectedCompanyIds) {
        this.api = api;
        this.storage = storage;
        this.companyIds = companyIds;
        this._pending = null; // {call, token} of state.confirmation
        this.state = reactive({
            // one per selected company: {company_id, company, currency_id, rows, total, total_overdue}
            sections: [],
            total: 0,
            // null when the companies' currencies differ: each section shows its own
            totalOverdue: "0",
            currencyId: null,
            offset: 0,
            limit: 40,
            search: "",
            order: "overdue",
            loading: false,
            error: "",
            notice: "",
            partnerId: null,
            companyId: null,
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
            const companyIds = this.companyIds();
            const page = await this.api.listOverdue({
                offset,
                limit,
                search: search || null,
                order,
                ...(companyIds.length ? { company_ids: companyIds } : {}),
            });
            this.state.sections = page.sections;
            this.state.total = page.total;
            this.state.totalOverdue = page.total_overdue;
            this.state.currencyId = page.currency_id;
        });
    }

    /** The selected customer in the company it was picked from (what every customer route takes). */
    get target() {
        return { partner_id: this.state.partnerId, company_id: this.state.companyId };
    }

    async search(term) {
        this.state.search = term;
        this.state.offset = 0;
        await this.loadPage();
    }

    async selectPartner(partnerId, name = "", companyId = null) {
        this.state.partnerId = partnerId;
        this.state.companyId = companyId;
        this.state.partnerName = name;
        this.state.text = null;
        this.state.draft = null;
        this.cancelConfirmation();
        await this.refreshPartner();
    }

    async refreshPartner() {
        if (!this.state.partnerId) {
            return;
        }
        const target = this.target;
        await this._guard(async () => {
            // get_partner already carries the level due, the risk and the follow-up state.
            const [partner, history] = await Promise.all([this.api.getPartner(target), this.api.history(target)]);
            this.state.partner = partner;
            this.state.history = history;
        });
    }

    async generateText() {
        this.state.textLoading = true;
        try {
            await this._guard(async () => {
                this.state.text = await this.api.generateText(this.target);
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
        const target = this.target;
        if (force) {
            return this._confirmable((confirm) => this.api.send(target, null, true, confirm));
        }
        this.cancelConfirmation();
        this.state.draft = null;
        await this._guard(async () => {
            const preview = await this.api.previewSend(target);
            if (!preview.can_send) {
                throw new Error(preview.reason);
            }
            this.state.draft = preview;
        });
    }

    /** Send the checked text ({subject, body_html, edited}; null for a level without e-mail) at the previewed level. */
    async confirmSend(text) {
        const draft = this.state.draft;
        if (!draft) {
            return;
        }
        this.state.draft = null;
        const sent = text && { ...text, text_source: draft.source };
        const target = { ...this.target, partner_id: draft.partner_id };
        await this._act(() => this.api.send(target, draft.level_id, false, null, sent));
    }

    cancelSend() {
        this.state.draft = null;
    }

    escalate() {
        const target = this.target;
        return this._confirmable((confirm) => this.api.escalate(target, confirm));
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
        const target = this.target;
        return this._act(() => this.api.pause(target, untilDate));
    }

    reset() {
        const target = this.target;
        return this._act(() => this.api.reset(target));
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
