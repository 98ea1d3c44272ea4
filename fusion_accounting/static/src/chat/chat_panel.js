import { Component, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { ApprovalCard } from "./approval_card";
import { UPLOAD_TYPES } from "./chat_service";
import { FusionToolForm } from "./tool_form";
import { FusionToolPicker } from "./tool_picker";
import { FusionToolResult } from "./tool_result";

const USER_GROUP = "fusion_accounting_core.group_fusion_user";
// The panel's own dark mode (Community has no global dark theme; Enterprise's dark bundle styles it too).
const DARK_KEY = "fusion_accounting.chat_dark";

/**
 * The co-pilot side panel.  It lives in the main components container, so it
 * stays open while the user moves between Accounting screens.
 */
export class FusionChatPanel extends Component {
    static template = "fusion_accounting.ChatPanel";
    static components = { ApprovalCard, FusionToolForm, FusionToolPicker, FusionToolResult };
    static props = {};
    uploadTypes = UPLOAD_TYPES;

    setup() {
        this.chat = useService("fusion_accounting.chat");
        this.chatState = useState(this.chat.state);
        this.state = useState({
            draft: "",
            files: [],
            batchRejecting: false,
            batchReason: "",
            picker: false,
            openSuggestion: "",
            dark: browser.localStorage.getItem(DARK_KEY) === "1",
        });
        this.fileInput = useRef("fileInput");
        this.history = useRef("history");
        useEffect(
            () => {
                const el = this.history.el;
                if (el) {
                    el.scrollTop = el.scrollHeight;
                }
            },
            () => [
                this.chatState.messages.length,
                this.chatState.progress.length,
                this.chatState.proposals.length,
                this.chatState.queue.length,
                this.chatState.suggestions.length,
                this.chatState.open,
            ]
        );
    }

    /** The session's items, then the tool calls of the running turn as they are reported. */
    get lines() {
        return [...this.chatState.messages, ...this.chatState.progress];
    }

    get pendingCount() {
        return this.chat.pendingProposals.length;
    }

    /** The provider's status when no model answers ("Claude selected, no API key: set it in Settings."). */
    get statusMessage() {
        const status = this.chatState.status;
        return status && !status.ready ? status.message : "";
    }

    get queueHint() {
        return this.pendingCount
            ? _t("Sent once you decide the proposals above.")
            : _t("Sent when the current answer is done.");
    }

    get sendTitle() {
        return this.chat.waiting ? _t("Queue this message") : _t("Send");
    }

    get darkTitle() {
        return this.state.dark ? _t("Light mode") : _t("Dark mode");
    }

    toggleDark() {
        this.state.dark = !this.state.dark;
        browser.localStorage.setItem(DARK_KEY, this.state.dark ? "1" : "0");
    }

    togglePicker() {
        this.state.picker = !this.state.picker;
    }

    toggleSuggestion(name) {
        this.state.openSuggestion = this.state.openSuggestion === name ? "" : name;
    }

    runTool(name, args) {
        this.state.picker = false;
        this.state.openSuggestion = "";
        this.chat.runTool(name, args);
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !ev.shiftKey) {
            ev.preventDefault();
            this.send();
        }
    }

    onFilesChosen(ev) {
        this.state.files = [...ev.target.files];
    }

    removeFile(index) {
        this.state.files.splice(index, 1);
        if (this.fileInput.el) {
            this.fileInput.el.value = "";
        }
    }

    async send() {
        const text = this.state.draft;
        const files = this.state.files;
        if (!text.trim() && !files.length) {
            return;
        }
        this.state.draft = "";
        this.state.files = [];
        if (this.fileInput.el) {
            this.fileInput.el.value = "";
        }
        // Where the user is, for the prompt (the platform keeps only the keys it knows).
        const refused = await this.chat.ask(text, files, { page: window.location.pathname });
        if (refused.length && !this.state.draft) {
            this.state.draft = text; // no turn ran: give the question back (the files stay on the session)
        }
    }

    toggleBatchReject(open) {
        this.state.batchRejecting = open;
    }

    confirmBatchReject() {
        if (!this.state.batchReason.trim()) {
            return;
        }
        this.chat.rejectAll(this.state.batchReason.trim());
        this.state.batchRejecting = false;
        this.state.batchReason = "";
    }
}

/** Systray button that opens the panel, shown to Fusion users only. */
export class FusionChatSystray extends Component {
    static template = "fusion_accounting.ChatSystray";
    static props = {};

    setup() {
        this.chat = useService("fusion_accounting.chat");
        this.chatState = useState(this.chat.state);
        this.state = useState({ allowed: false });
        user.hasGroup(USER_GROUP).then((allowed) => (this.state.allowed = allowed));
    }
}

registry.category("main_components").add("fusion_accounting.ChatPanel", { Component: FusionChatPanel });
registry.category("systray").add("fusion_accounting.ChatSystray", { Component: FusionChatSystray }, { sequence: 40 });
