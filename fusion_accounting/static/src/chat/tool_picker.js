import { Component, onWillStart, useState } from "@odoo/owl";
import { useDebounced } from "@web/core/utils/timing";
import { FusionToolForm } from "./tool_form";

/**
 * Every tool the user may use, searchable by words (the router's synonyms
 * too: "aged", "rapprochement", "HST"), in a list of fixed height; choosing
 * one opens its form.
 */
export class FusionToolPicker extends Component {
    static template = "fusion_accounting.ToolPicker";
    static components = { FusionToolForm };
    static props = {
        search: Function, // query -> choices
        onRun: Function,
        onClose: Function,
        busy: { type: Boolean, optional: true },
    };

    setup() {
        this.state = useState({ query: "", tools: [], selected: null, loading: true });
        this.debouncedSearch = useDebounced(() => this.load(), 250);
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.tools = await this.props.search(this.state.query);
        } finally {
            this.state.loading = false;
        }
    }

    onInput(ev) {
        this.state.query = ev.target.value;
        this.state.selected = null;
        this.debouncedSearch();
    }

    select(tool) {
        this.state.selected = tool;
    }

    run(name, args) {
        this.props.onRun(name, args);
        this.state.selected = null;
    }
}
