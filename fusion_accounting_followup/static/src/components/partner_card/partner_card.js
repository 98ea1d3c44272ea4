import { Component } from "@odoo/owl";
import { formatAmount, statusLabel } from "../../services/format";
import { AgingBucketStrip } from "../aging_bucket_strip/aging_bucket_strip";
import { RiskBadge } from "../risk_badge/risk_badge";

/** One overdue customer in the dashboard list. */
export class PartnerCard extends Component {
    static template = "fusion_accounting_followup.PartnerCard";
    static components = { AgingBucketStrip, RiskBadge };
    static props = {
        row: Object,
        selected: { type: Boolean, optional: true },
        onSelect: Function,
    };

    format(amount) {
        return formatAmount(amount, this.props.row.currency_id);
    }

    statusLabel(status) {
        return statusLabel(status);
    }
}
