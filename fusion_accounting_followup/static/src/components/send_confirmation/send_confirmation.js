import { Component, markup, useRef, useState } from "@odoo/owl";

const SOURCE_LABELS = { ai: "AI draft", cache: "AI draft (cached)", template: "Template" };

/**
 * The step before a follow-up goes: who receives it, which level, on which channels, and the
 * e-mail's text, which the person may edit (a level without e-mail has none).  Nothing is sent
 * until "Send now"; the server then sends exactly this text.
 */
export class SendConfirmation extends Component {
    static template = "fusion_accounting_followup.SendConfirmation";
    static props = {
        draft: Object,
        loading: { type: Boolean, optional: true },
        onConfirm: Function,
        onCancel: Function,
    };

    setup() {
        this.body = useRef("body");
        this.subject = useRef("subject");
        this.local = useState({ subject: this.props.draft.subject || "" });
    }

    get sourceLabel() {
        return SOURCE_LABELS[this.props.draft.source] || this.props.draft.source || "";
    }

    get initialBody() {
        // Rendered by the server (mail template or escaped AI text); sanitized again when sent.
        return markup(this.props.draft.body_html || "");
    }

    /** Whether "Send now" may go: an e-mail needs its subject; SMS, letter and call need no text. */
    get canConfirm() {
        return !this.props.loading && (!this.props.draft.email || Boolean(this.local.subject.trim()));
    }

    confirm() {
        if (!this.props.draft.email) {
            this.props.onConfirm(null);
            return;
        }
        // Read from the fields themselves: what is on screen is what is sent.
        const subject = this.subject.el?.value ?? this.local.subject;
        const bodyHtml = this.body.el?.innerHTML ?? this.props.draft.body_html;
        const edited = subject !== this.props.draft.subject || bodyHtml !== this.props.draft.body_html;
        this.props.onConfirm({ subject, body_html: bodyHtml, edited });
    }
}
