import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/** Open Accounting > Fusion AI > Dashboard and read the bank card the test prepared. */
tours.add("fusion_ai_dashboard_card", {
    url: "/odoo/fusion-ai",
    steps: () => [
        {
            content: "The six health cards are shown",
            trigger: ".o_fusion_health_cards:has(.o_fusion_health_card:nth-child(1)) .o_fusion_health_card[data-card='month_end']",
        },
        {
            content: "The bank card counts the two unmatched lines and is yellow",
            trigger: ".o_fusion_health_card.o_fusion_light_yellow[data-card='bank'] .o_fusion_card_value:contains('2')",
        },
        {
            content: "Needs Attention and Recent AI Activity are there",
            trigger: ".o_fusion_needs_attention + *, .o_fusion_activity",
        },
    ],
});

/** Open the side panel from the systray and ask; the Python side scripts the model (a tier-1 read, then text). */
tours.add("fusion_ai_ask_tier1", {
    url: "/odoo/fusion-ai",
    steps: () => [
        { content: "Open the co-pilot", trigger: ".o_fusion_chat_toggle", run: "click" },
        { content: "Ask", trigger: ".o_fusion_chat_input", run: "edit How old are my receivables?" },
        { content: "Send", trigger: ".o_fusion_chat_send:enabled", run: "click" },
        { content: "The read tool ran", trigger: ".o_fusion_chat_tool[data-tool='get_ar_aging']:contains('Receivables aging')" },
        { content: "The co-pilot answered", trigger: ".o_fusion_chat_assistant .o_fusion_chat_bubble:not(:empty)" },
        { content: "The turn is over", trigger: ".o_fusion_chat_panel:not(:has(.o_fusion_chat_thinking))" },
    ],
});

function openPendingApprovals() {
    return [
        {
            content: "A pending approval is listed in Recent AI Activity",
            trigger: ".o_fusion_activity li:has(.fa-hourglass-half)",
            run: "click",
        },
        { content: "Its card is shown in the chat panel", trigger: ".o_fusion_approval_card.o_fusion_approval_pending" },
    ];
}

tours.add("fusion_ai_approve", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openPendingApprovals(),
        { content: "Confidence is shown", trigger: ".o_fusion_approval_confidence" },
        { content: "Approve", trigger: ".o_fusion_approval_pending .o_fusion_approve:enabled", run: "click" },
        { content: "The card is settled", trigger: ".o_fusion_approval_card.o_fusion_approval_approved" },
    ],
});

tours.add("fusion_ai_reject", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openPendingApprovals(),
        { content: "Reject", trigger: ".o_fusion_approval_pending .o_fusion_reject", run: "click" },
        { content: "Give a reason", trigger: ".o_fusion_reject_reason", run: "edit Wrong customer: this is Shirley's payment" },
        { content: "Confirm", trigger: ".o_fusion_reject_confirm:enabled", run: "click" },
        {
            content: "The card shows the rejection and its reason",
            trigger: ".o_fusion_approval_rejected .o_fusion_approval_outcome:contains('Wrong customer')",
        },
    ],
});

tours.add("fusion_ai_batch_approve", {
    url: "/odoo/fusion-ai",
    steps: () => [
        ...openPendingApprovals(),
        { content: "Batch controls appear for several proposals", trigger: ".o_fusion_approve_all:enabled", run: "click" },
        {
            content: "No proposal is left pending",
            trigger: ".o_fusion_chat_panel:has(.o_fusion_approval_approved):not(:has(.o_fusion_approval_pending))",
        },
    ],
});
