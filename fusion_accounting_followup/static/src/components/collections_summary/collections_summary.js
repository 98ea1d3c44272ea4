import { Component, onWillStart, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { selectedCompanyIds } from "../../services/followup_service";
import { formatAmount } from "../../services/format";
import { FollowupDashboard } from "../../views/followup_dashboard/followup_dashboard";

/**
 * The collections figures above the follow-up dashboard: promises, disputes, DSO, 90+ share, cash collected.
 * One line per selected company (each in its currency); their total only when the currencies agree.
 */
export class CollectionsSummary extends Component {
    static template = "fusion_accounting_followup.CollectionsSummary";
    static props = {};

    setup() {
        this.state = useState({ sections: [], total: null, error: "" });
        onWillStart(() => this.load());
    }

    async load() {
        const companyIds = selectedCompanyIds();
        let answer;
        try {
            answer = await rpc("/fusion/followup/collections_summary", companyIds.length ? { company_ids: companyIds } : {});
        } catch (error) {
            // The figures are a summary: the dashboard below stays usable without them.
            this.state.error = error.message || String(error);
            return;
        }
        if (answer?.refused) {
            this.state.error = answer.error;
        } else {
            this.state.sections = answer.sections;
            this.state.total = answer.total;
        }
    }

    /** The lines to show: each company, then the total when there is one. */
    get lines() {
        const lines = this.state.sections.map((section) => ({ key: `c${section.company_id}`, ...section }));
        if (this.state.total) {
            lines.push({ key: "total", company: null, ...this.state.total });
        }
        return lines;
    }

    format(amount, currencyId) {
        return formatAmount(amount, currencyId);
    }

    /** "2 · 1,200.00 $"; none is "0", not "0 · 0.00 $". */
    countAndAmount(count, amount, currencyId) {
        return count ? `${count} · ${this.format(amount, currencyId)}` : "0";
    }

    isPositive(amount) {
        return Number(amount) > 0;
    }

    percent(share) {
        return share === null || share === undefined ? "–" : `${Math.round(share * 1000) / 10}%`;
    }

    days(dso) {
        return dso === null || dso === undefined ? "–" : `${dso}`;
    }
}

// The dashboard's template mounts it: declared here, so the dashboard's own file stays unchanged.
FollowupDashboard.components = { ...FollowupDashboard.components, CollectionsSummary };
