import { Component } from "@odoo/owl";
import { formatAmount } from "../../services/format";

// The platform's aging table (fusion_accounting_core's AGING_BUCKETS: Enterprise's six periods), oldest last;
// ``key`` is the server's, ``css`` names the colour of the segment.
export const BUCKETS = [
    { key: "current", css: "current", label: "Current" },
    { key: "1-30", css: "1_30", label: "1-30" },
    { key: "31-60", css: "31_60", label: "31-60" },
    { key: "61-90", css: "61_90", label: "61-90" },
    { key: "91-120", css: "91_120", label: "91-120" },
    { key: "120+", css: "120_plus", label: "120+" },
];

/**
 * Width of each bucket in a 100% strip.  Negative buckets (credit notes,
 * advances) take no room; a strip with nothing positive is empty.
 */
export function bucketWidths(aging) {
    const amounts = BUCKETS.map((bucket) => Math.max(Number(aging?.[bucket.key]) || 0, 0));
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    return BUCKETS.map((bucket, index) => ({
        ...bucket,
        amount: Number(aging?.[bucket.key]) || 0,
        width: total ? Math.round((amounts[index] / total) * 10000) / 100 : 0,
    }));
}

export class AgingBucketStrip extends Component {
    static template = "fusion_accounting_followup.AgingBucketStrip";
    static props = {
        aging: Object,
        showLegend: { type: Boolean, optional: true },
        currencyId: { type: [Number, { value: null }], optional: true },
    };

    get buckets() {
        return bucketWidths(this.props.aging);
    }

    format(amount) {
        return formatAmount(amount, this.props.currencyId);
    }
}
