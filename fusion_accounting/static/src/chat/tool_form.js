import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

/** A form input's text as the tool's JSON argument (``null`` when left empty). */
export function argumentValue(field, raw) {
    if (field.kind === "boolean") {
        return Boolean(raw);
    }
    const text = raw === null || raw === undefined ? "" : String(raw).trim();
    if (!text) {
        return null;
    }
    if (field.kind === "integer") {
        return Number.isInteger(Number(text)) ? Number(text) : text;
    }
    if (field.kind === "number") {
        return Number.isFinite(Number(text)) ? Number(text) : text;
    }
    if (field.kind === "list") {
        try {
            const parsed = JSON.parse(text);
            if (Array.isArray(parsed)) {
                return parsed;
            }
        } catch {
            // a comma-separated list, read below
        }
        return text
            .split(/[,\s]+/)
            .filter(Boolean)
            .map((item) => (Number.isFinite(Number(item)) ? Number(item) : item));
    }
    return text;
}

/**
 * The arguments of a tool, asked with a small form built from its JSON schema
 * (``intent_router.form_fields``).  Submitting hands the arguments over; the
 * panel sends them as an explicit ``/tool`` command, so the turn and the tier
 * gate decide what happens (run, log, or a proposal to approve).
 */
export class FusionToolForm extends Component {
    static template = "fusion_accounting.ToolForm";
    static props = {
        choice: Object,
        onRun: Function,
        onCancel: { type: Function, optional: true },
        busy: { type: Boolean, optional: true },
    };

    setup() {
        const values = {};
        for (const field of this.props.choice.fields) {
            const given = this.props.choice.arguments?.[field.name];
            const value = given ?? field.default;
            values[field.name] = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(", ") : value;
        }
        this.state = useState({ values, error: "", showOptional: false });
    }

    get required() {
        return this.props.choice.fields.filter((field) => field.required);
    }

    get optional() {
        return this.props.choice.fields.filter((field) => !field.required);
    }

    get runLabel() {
        return this.props.choice.tier === 1 ? _t("Run") : _t("Send");
    }

    toggleOptional() {
        this.state.showOptional = !this.state.showOptional;
    }

    inputType(field) {
        return { date: "date", integer: "number", number: "number" }[field.kind] || "text";
    }

    submit() {
        const args = {};
        const missing = [];
        for (const field of this.props.choice.fields) {
            const value = argumentValue(field, this.state.values[field.name]);
            if (value === null) {
                if (field.required) {
                    missing.push(field.label);
                }
                continue;
            }
            if (field.kind === "boolean" && !field.required && value === Boolean(field.default)) {
                continue; // the tool's own default
            }
            args[field.name] = value;
        }
        if (missing.length) {
            this.state.error = _t("Fill in: %s", missing.join(", "));
            return;
        }
        this.state.error = "";
        this.props.onRun(this.props.choice.name, args);
    }
}
