import { Component } from "@odoo/owl";

/** The 0-100 payment-risk score and its band, as the server's risk scorer gave them. */
export class RiskBadge extends Component {
    static template = "fusion_accounting_followup.RiskBadge";
    static props = { score: { type: Number, optional: true }, band: { type: String, optional: true } };
}
