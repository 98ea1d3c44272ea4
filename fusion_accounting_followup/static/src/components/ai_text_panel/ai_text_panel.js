import { Component, markup } from "@odoo/owl";

const SOURCE_LABELS = { ai: "AI draft", cache: "AI draft (cached)", template: "Template" };

/**
 * Preview of the follow-up text the engine would send.  The source badge is
 * what tells the user whether an AI wrote it or the offline template did.
 */
export class AiTextPanel extends Component {
    static template = "fusion_accounting_followup.AiTextPanel";
    static props = {
        text: { type: [Object, { value: null }], optional: true },
        loading: { type: Boolean, optional: true },
        // Why drafting is not possible now ("" or absent: it is)
        disabledReason: { type: String, optional: true },
        onGenerate: Function,
    };

    get sourceLabel() {
        const source = this.props.text?.source;
        return SOURCE_LABELS[source] || source || "";
    }

    get body() {
        // The server renders the body from a mail template or escapes the AI text (plaintext2html).
        return markup(this.props.text?.body_html || "");
    }
}
