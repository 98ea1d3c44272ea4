import { Component, useState } from "@odoo/owl";
import { FusionToolResult } from "./tool_result";

/**
 * A tier-3 proposal as design 6.3 draws it.  The server sends the lines
 * already worded and formatted; the card only collects the decision.
 */
export class ApprovalCard extends Component {
    static template = "fusion_accounting.ApprovalCard";
    static components = { FusionToolResult };
    static props = {
        proposal: Object,
        busy: { type: Boolean, optional: true },
        currencyIds: { type: Object, optional: true },
        onApprove: Function,
        onReject: Function,
    };

    setup() {
        this.state = useState({ rejecting: false, reason: "" });
    }

    get confidencePercent() {
        const confidence = this.props.proposal.confidence;
        return typeof confidence === "number" ? Math.round(confidence * 100) : null;
    }

    get isPending() {
        return this.props.proposal.state === "pending";
    }

    approve() {
        this.props.onApprove(this.props.proposal.id);
    }

    startReject() {
        this.state.rejecting = true;
    }

    cancelReject() {
        this.state.rejecting = false;
        this.state.reason = "";
    }

    /** A rejection needs its reason: the co-pilot learns from it (the server refuses an empty one too). */
    get canReject() {
        return Boolean(this.state.reason.trim()) && !this.props.busy;
    }

    confirmReject() {
        if (!this.canReject) {
            return;
        }
        this.props.onReject(this.props.proposal.id, this.state.reason.trim());
        this.state.rejecting = false;
    }
}
