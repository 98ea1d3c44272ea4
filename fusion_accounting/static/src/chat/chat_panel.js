import { Component, useEffect, useRef, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { ApprovalCard } from "./approval_card";
import { UPLOAD_TYPES } from "./chat_service";

const USER_GROUP = "fusion_accounting_core.group_fusion_user";

/**
 * The co-pilot side panel.  It lives in the main components container, so it
 * stays open while the user moves between Accounting screens.
 */
export class FusionChatPanel extends Component {
    static template = "fusion_accounting.ChatPanel";
    static components = { ApprovalCard };
    static props = {};
    uploadTypes = UPLOAD_TYPES;

    setup() {
        this.chat = useService("fusion_accounting.chat");
        this.chatState = useState(this.chat.state);
        this.state = useState({ draft: "", files: [], batchRejecting: false, batchReason: "" });
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
