import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function openThePanel() {
    return [{ content: "Open the co-pilot", trigger: ".o_fusion_chat_toggle", run: "click" }];
}

/** No model: the offline router reads "AR aging", runs get_ar_aging through the gate and shows a table. */
tours.add("fusion_ai_offline_aging", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openThePanel(),
        {
            content: "The panel says exactly what is missing",
            trigger: ".o_fusion_chat_status:contains('Claude selected, no API key: set it in Settings.')",
        },
        { content: "Ask in plain words", trigger: ".o_fusion_chat_input", run: "edit What is my AR aging?" },
        { content: "Send", trigger: ".o_fusion_chat_send:enabled", run: "click" },
        { content: "The question shows", trigger: ".o_fusion_chat_user .o_fusion_chat_bubble:contains('What is my AR aging?')" },
        { content: "The router ran the aging", trigger: ".o_fusion_chat_tool[data-tool='get_ar_aging']:contains('Receivables aging')" },
        {
            content: "The result is a table whose rows open the customer",
            trigger: ".o_fusion_tool_table tbody a.o_fusion_record_link:contains('Acme Clinic')",
        },
        {
            content: "The aging's own totals are a table of money, bucket by bucket",
            trigger: ".o_fusion_tool_table:has(.fw-bold:contains('Totals')) td:contains('$')",
        },
        { content: "The raw JSON is behind a toggle", trigger: ".o_fusion_raw_toggle", run: "click" },
        { content: "It shows on demand", trigger: ".o_fusion_raw_json:contains('partners')" },
        { content: "The record link opens the customer", trigger: "a.o_fusion_record_link:contains('Acme Clinic')", run: "click" },
        { content: "Its form is open", trigger: ".o_form_view .o_field_widget[name=name]:contains('Acme Clinic'), .o_form_view input[id^=name]" },
    ],
});

/** The tool list is a searchable picker, and a tool missing arguments asks for them in a form. */
tours.add("fusion_ai_tool_picker", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openThePanel(),
        { content: "Open the tool list", trigger: ".o_fusion_chat_tools", run: "click" },
        { content: "Search it", trigger: ".o_fusion_tool_search", run: "edit unreconciled bank" },
        { content: "The bank tool is found", trigger: ".o_fusion_tool_item[data-tool='get_unreconciled_bank_lines']", run: "click" },
        { content: "Its form opens", trigger: ".o_fusion_tool_form[data-tool='get_unreconciled_bank_lines']" },
        { content: "Run it", trigger: ".o_fusion_tool_run:enabled", run: "click" },
        {
            content: "It ran as an explicit command",
            trigger: ".o_fusion_chat_tool[data-tool='get_unreconciled_bank_lines']:contains('Unreconciled bank lines')",
        },
        { content: "Its lines are a table", trigger: ".o_fusion_tool_table td:contains('tour deposit')" },
    ],
});

function openPendingApproval() {
    return [
        {
            content: "A pending approval is listed in Recent AI Activity",
            trigger: ".o_fusion_activity li:has(.fa-hourglass-half)",
            run: "click",
        },
        { content: "Its card is shown in the chat panel", trigger: ".o_fusion_approval_card.o_fusion_approval_pending" },
    ];
}

/** A message typed while a proposal waits is kept, shown as queued, and sent once the proposal is decided. */
tours.add("fusion_ai_queued_message", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openPendingApproval(),
        { content: "Type while it waits", trigger: ".o_fusion_chat_input", run: "edit And is anything else open?" },
        { content: "Send: it is queued", trigger: ".o_fusion_chat_send:enabled", run: "click" },
        {
            content: "The message is kept and shown as queued",
            trigger: ".o_fusion_chat_queued .o_fusion_chat_bubble:contains('And is anything else open?')",
        },
        { content: "Approve", trigger: ".o_fusion_approval_pending .o_fusion_approve:enabled", run: "click" },
        { content: "The card is settled", trigger: ".o_fusion_approval_card.o_fusion_approval_approved" },
        {
            content: "The queued message went out as the next question",
            trigger: ".o_fusion_chat_panel:not(:has(.o_fusion_chat_queued)) .o_fusion_chat_user .o_fusion_chat_bubble:contains('And is anything else open?')",
        },
        { content: "And was answered", trigger: ".o_fusion_chat_assistant .o_fusion_chat_bubble:contains('Nothing else is open.')" },
    ],
});

/** Reject stays disabled until a reason is typed: the co-pilot learns from it. */
tours.add("fusion_ai_reject_needs_a_reason", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openPendingApproval(),
        {
            content: "The waiting call is named by its label, not its key",
            trigger:
                ".o_fusion_chat_tool[data-tool='reconcile_payment_to_invoice']:has(.fa-hourglass-half)" +
                ":contains('Reconcile a payment with an invoice'):not(:contains('reconcile_payment_to_invoice'))",
        },
        { content: "Reject", trigger: ".o_fusion_approval_pending .o_fusion_reject", run: "click" },
        { content: "Without a reason it cannot be confirmed", trigger: ".o_fusion_reject_confirm:disabled" },
        { content: "Give a reason", trigger: ".o_fusion_reject_reason", run: "edit Wrong customer" },
        { content: "Confirm", trigger: ".o_fusion_reject_confirm:enabled", run: "click" },
        { content: "Rejected with its reason", trigger: ".o_fusion_approval_rejected:contains('Wrong customer')" },
    ],
});
