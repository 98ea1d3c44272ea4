import { Component, onWillStart, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { formatAmount } from "../../services/format";
import { FollowupDashboard } from "../../views/followup_dashboard/followup_dashboard";

/** The collections figures above the follow-up dashboard: promises, disputes, DSO, 90+ share, cash collected. */
export class CollectionsSummary extends Component {
    static template = "fusion_accounting_followup.CollectionsSummary";
    static props = {};

    setup() {
        this.state = useState({ figures: null, error: "" });
        onWillStart(() => this.load());
    }

    async load() {
        let answer;
        try {
            answer = await rpc("/fusion/followup/collections_summary", {});
        } catch (error) {
            // The figures are a summary: the dashboard below stays usable without them.
            this.state.error = error.message || String(error);
            return;
        }
        if (answer?.refused) {
            this.state.error = answer.error;
        } else {
            this.state.figures = answer;
        }
    }

    format(amount) {
        return formatAmount(amount);
    }

    percent(share) {
        return share === null || share === undefined ? "–" : `${Math.round(share * 1000) / 10}%`;
    }
}

// The dashboard's template mounts it: declared here, so the dashboard's own file stays unchanged.
FollowupDashboard.components = { ...FollowupDashboard.components, CollectionsSummary };
