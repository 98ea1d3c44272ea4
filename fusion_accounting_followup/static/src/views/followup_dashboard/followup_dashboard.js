import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { AgingBucketStrip } from "../../components/aging_bucket_strip/aging_bucket_strip";
import { AiTextPanel } from "../../components/ai_text_panel/ai_text_panel";
import { FollowupHistoryTable } from "../../components/followup_history_table/followup_history_table";
import { PartnerCard } from "../../components/partner_card/partner_card";
import { RiskBadge } from "../../components/risk_badge/risk_badge";
import { SendConfirmation } from "../../components/send_confirmation/send_confirmation";
import { formatAmount, statusLabel } from "../../services/format";

/** Accounting > Customers > Follow-up Dashboard: overdue customers, one partner's detail, actions. */
export class FollowupDashboard extends Component {
    static template = "fusion_accounting_followup.Dashboard";
    static components = { AgingBucketStrip, AiTextPanel, FollowupHistoryTable, PartnerCard, RiskBadge, SendConfirmation };
    static props = { ...standardActionServiceProps };

    setup() {
        this.followup = useService("fusion_accounting_followup.followup");
        this.state = useState(this.followup.state);
        this.local = useState({ searchTerm: this.state.search, pauseUntil: "" });
        onWillStart(() => this.followup.loadPage());
    }

    format(amount, currencyId = null) {
        return formatAmount(amount, currencyId);
    }

    isPositive(amount) {
        return Number(amount) > 0;
    }

    statusLabel(status) {
        return statusLabel(status);
    }

    onSearchKeydown(ev) {
        if (ev.key === "Enter") {
            this.followup.search(this.local.searchTerm);
        }
    }

    /** Why Send is disabled ("" when a level is due): the server's plan says it. */
    get sendBlocked() {
        const next = this.state.partner?.next_send;
        return next ? next.skip_reason || "" : "";
    }

    /** Why Draft is disabled: there is no level to write a text for. */
    get draftBlocked() {
        const next = this.state.partner?.next_send;
        return next && !next.level ? next.skip_reason || "No follow-up level is due yet." : "";
    }

    pause() {
        this.followup.pause(this.local.pauseUntil || null);
    }
}

registry.category("actions").add("fusion_accounting_followup.dashboard", FollowupDashboard);
