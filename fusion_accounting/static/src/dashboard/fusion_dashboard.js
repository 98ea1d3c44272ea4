import { Component, onWillStart, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { HealthCard } from "./health_card";

/** Accounting > Fusion AI > Dashboard: health cards, action center, rates and usage. */
export class FusionDashboard extends Component {
    static template = "fusion_accounting.Dashboard";
    static components = { HealthCard };
    static props = { ...standardActionServiceProps };

    setup() {
        this.chat = useService("fusion_accounting.chat");
        this.state = useState({ data: null, loading: true, error: "" });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await rpc("/fusion/dashboard/data", {});
            this.state.error = "";
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || String(error);
        } finally {
            this.state.loading = false;
        }
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
}

registry.category("actions").add("fusion_accounting.dashboard", FusionDashboard);
