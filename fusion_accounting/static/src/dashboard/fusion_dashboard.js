import { Component, onWillStart, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { BOOKS_CHANGED } from "../chat/chat_service";
import { HealthCard } from "./health_card";

const DARK_KEY = "fusion_accounting.dashboard_dark";

/** The companies selected in the company switcher: every figure is computed for them only. */
export function selectedCompanyIds() {
    return user.context.allowed_company_ids || [];
}

/** Accounting > Fusion AI > Dashboard: health cards, action center, rates and usage. */
export class FusionDashboard extends Component {
    static template = "fusion_accounting.Dashboard";
    static components = { HealthCard };
    static props = { ...standardActionServiceProps };

    setup() {
        this.chat = useService("fusion_accounting.chat");
        this.notification = useService("notification");
        this.state = useState({
            data: null,
            loading: true,
            error: "",
            running: "",
            dark: browser.localStorage.getItem(DARK_KEY) === "1",
        });
        // The chat panel triggers it on the global bus once a decision changed the books.
        useBus(this.env.bus, BOOKS_CHANGED, () => this.load());
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await rpc("/fusion/dashboard/data", { company_ids: selectedCompanyIds() });
            this.state.error = "";
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || String(error);
        } finally {
            this.state.loading = false;
        }
    }

    /** A card's button: only ``run_audit`` for now (the audit has not run within its period). */
    async runCardAction(card) {
        if (card.action?.name !== "run_audit" || this.state.running) {
            return;
        }
        this.state.running = card.key;
        try {
            const result = await rpc("/fusion/dashboard/run_audit", { company_ids: selectedCompanyIds() });
            this.notification.add(
                _t("Audit done: %(count)s new findings.", { count: result.new_findings }),
                { type: "success" }
            );
            await this.load();
        } catch (error) {
            this.notification.add(error?.data?.message || error?.message || String(error), { type: "danger" });
        } finally {
            this.state.running = "";
        }
    }

    get darkToggleTitle() {
        return this.state.dark ? _t("Light mode") : _t("Dark mode");
    }

    toggleDark() {
        this.state.dark = !this.state.dark;
        browser.localStorage.setItem(DARK_KEY, this.state.dark ? "1" : "0");
    }

    ask(prompt) {
        this.chat.newSession();
        this.chat.ask(prompt);
    }

    openActivity(item) {
        if (item.session_id) {
            this.chat.loadSession(item.session_id);
        }
    }

    formatRate(rate) {
        return rate === null || rate === undefined ? "–" : `${Math.round(rate * 100)}%`;
    }

    activityIcon(item) {
        if (item.kind === "approval") {
            return "fa-hourglass-half text-warning";
        }
        return item.kind === "conversation" ? "fa-comments-o" : "fa-bolt text-success";
    }
}

registry.category("actions").add("fusion_accounting.dashboard", FusionDashboard);
