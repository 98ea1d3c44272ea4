import { Component } from "@odoo/owl";
import { formatAmount } from "../../services/format";

/** The partner's follow-up runs, newest first, as the engine recorded them. */
export class FollowupHistoryTable extends Component {
    static template = "fusion_accounting_followup.FollowupHistoryTable";
    static props = { history: Array, currencyId: { type: [Number, { value: null }], optional: true } };

    format(amount) {
        return formatAmount(amount, this.props.currencyId);
    }
}
