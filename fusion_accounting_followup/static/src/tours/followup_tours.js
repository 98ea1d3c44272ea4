import { registry } from "@web/core/registry";

// The Python side (tests/test_followup_tours.py) creates this overdue customer.
const CUSTOMER = "Fusion Tour Customer";
const CARD = `.o_fusion_partner_card:has(.o_fusion_partner_name:contains('${CUSTOMER}'))`;
// Three days late: listed as overdue, but below the first level's seven days.
const NOT_DUE = "Fusion Tour Early Customer";
const tours = registry.category("web_tour.tours");

function openCustomer() {
    return [
        { content: "The overdue customer is listed", trigger: CARD, run: "click" },
        { content: "Its detail opens", trigger: `.o_fusion_detail_name:contains('${CUSTOMER}')` },
    ];
}

tours.add("fusion_followup_dashboard_list", {
    url: "/odoo/fusion-followups",
    steps: () => [
        { content: "Risk badge on the customer card", trigger: `${CARD} .o_fusion_risk_badge` },
        { content: "Aging strip with an overdue segment", trigger: `${CARD} .o_fusion_aging_segment[data-bucket='31-60']` },
        { content: "Totals in the header", trigger: ".o_fusion_followup_count:contains('2')" },
    ],
});

tours.add("fusion_followup_partner_detail", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "The aging legend shows every bucket", trigger: ".o_fusion_aging_legend [data-bucket='120+']" },
        { content: "The level due is computed by the server", trigger: ".o_fusion_detail_level:not(:contains('–'))" },
        { content: "The history table is shown, empty", trigger: ".o_fusion_history_table:contains('No follow-up sent yet')" },
    ],
});

tours.add("fusion_followup_ai_text", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "Ask for the text", trigger: ".o_fusion_generate_text", run: "click" },
        { content: "A subject is drafted", trigger: ".o_fusion_text_subject:not(:empty)" },
        { content: "Offline, the template wrote it and says so", trigger: ".o_fusion_text_source_template" },
    ],
});

tours.add("fusion_followup_send", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "Send the due follow-up", trigger: ".o_fusion_send:enabled", run: "click" },
        { content: "First, who receives it", trigger: ".o_fusion_send_recipients:contains('tour.customer@example.com')" },
        { content: "... at which level", trigger: ".o_fusion_send_level:contains('Reminder')" },
        { content: "... with which text", trigger: ".o_fusion_send_body:not(:empty)" },
        { content: "Nothing is sent yet", trigger: ".o_fusion_history_table:contains('No follow-up sent yet')" },
        { content: "Edit the subject", trigger: ".o_fusion_send_subject", run: "edit Your account with us, checked" },
        { content: "The edit is on screen", trigger: '.o_fusion_send_subject:value("Your account with us, checked")' },
        { content: "Send it", trigger: ".o_fusion_send_confirm:enabled", run: "click" },
        { content: "The run is recorded as sent", trigger: ".o_fusion_history_row[data-state='sent']" },
        { content: "Send is now disabled", trigger: ".o_fusion_send:disabled" },
        { content: "... and says why", trigger: ".o_fusion_send_reason:contains('already sent')" },
        { content: "Escalate", trigger: ".o_fusion_escalate:enabled", run: "click" },
        { content: "The server asks first", trigger: ".o_fusion_confirm_message:contains('Escalate')" },
        { content: "Confirm", trigger: ".o_fusion_confirm_yes:enabled", run: "click" },
        { content: "The escalation is recorded", trigger: ".o_fusion_history_row:contains('escalation')" },
    ],
});

// tests/test_followup_tours.py turns the Reminder's e-mail off: it prints a letter and schedules a call.
tours.add("fusion_followup_send_without_email", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "Send the due follow-up", trigger: ".o_fusion_send:enabled", run: "click" },
        { content: "At the Reminder", trigger: ".o_fusion_send_level:contains('Reminder')" },
        { content: "It says it prints a letter", trigger: ".o_fusion_send_channel_letter:contains('Letter')" },
        { content: "... and whom it asks to call", trigger: ".o_fusion_send_channel_activity:contains('Tour Collector')" },
        { content: "No e-mail among its channels", trigger: ".o_fusion_send_channels:not(:has(.o_fusion_send_channel_email))" },
        { content: "No subject nor message to check", trigger: ".o_fusion_send_no_email" },
        { content: "... nor an e-mail recipient", trigger: ".o_fusion_send_confirmation:not(:has(.o_fusion_send_subject, .o_fusion_send_recipients))" },
        { content: "Send it without a subject", trigger: ".o_fusion_send_confirm:enabled", run: "click" },
        { content: "The run is recorded as sent", trigger: ".o_fusion_history_row[data-state='sent']" },
    ],
});

tours.add("fusion_followup_first_contact", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "45 days late, never reminded: the Reminder", trigger: ".o_fusion_detail_level:contains('Reminder')" },
        { content: "... though Warning is due by days", trigger: ".o_fusion_detail_level_by_days:contains('Warning')" },
        { content: "Open the send confirmation", trigger: ".o_fusion_send:enabled", run: "click" },
        { content: "It sends the first level", trigger: ".o_fusion_send_level:contains('Reminder'):contains('Warning by days')" },
        { content: "Cancel", trigger: ".o_fusion_send_cancel", run: "click" },
        { content: "Nothing was sent", trigger: ".o_fusion_history_table:contains('No follow-up sent yet')" },
        {
            content: "A customer below the first level",
            trigger: `.o_fusion_partner_card:has(.o_fusion_partner_name:contains('${NOT_DUE}'))`,
            run: "click",
        },
        { content: "Its detail opens", trigger: `.o_fusion_detail_name:contains('${NOT_DUE}')` },
        { content: "Send is disabled", trigger: ".o_fusion_send:disabled" },
        { content: "... with the reason", trigger: ".o_fusion_send_reason:contains('No follow-up level is due yet')" },
        { content: "Draft is disabled too", trigger: ".o_fusion_generate_text:disabled" },
    ],
});

tours.add("fusion_followup_pause_reset", {
    url: "/odoo/fusion-followups",
    steps: () => [
        ...openCustomer(),
        { content: "Pause until further notice (no end date)", trigger: ".o_fusion_pause:enabled", run: "click" },
        { content: "The customer is paused", trigger: ".o_fusion_detail_status:contains('Paused')" },
        { content: "Reset", trigger: ".o_fusion_reset:enabled", run: "click" },
        { content: "The pause is lifted", trigger: ".o_fusion_detail_status:not(:contains('Paused'))" },
        { content: "Switch to dark mode", trigger: ".o_fusion_dark_toggle", run: "click" },
        { content: "Dark mode applies", trigger: ".o_fusion_followup_dashboard.o_fusion_followup_dark" },
        { content: "Back to light", trigger: ".o_fusion_dark_toggle", run: "click" },
        { content: "Light again", trigger: ".o_fusion_followup_dashboard:not(.o_fusion_followup_dark)" },
    ],
});

// tests/test_followup_companies.py: a customer late in company A (20 days) and in company B (45 days).
const TWO_COMPANY_CUSTOMER = "Fusion Tour Two-Company Customer";

/** The company switcher decides which companies' follow-ups are shown: A alone, then a section for A and for B. */
tours.add("fusion_followup_company_switch", {
    url: "/odoo/fusion-followups",
    steps: () => [
        {
            content: "Only company A is selected: the header names it, no per-company headings",
            trigger: ".o_fusion_followup_company:contains('Follow-up Tour Company A')",
        },
        { content: "No section heading for one company", trigger: ".o_fusion_followup_list:not(:has(.o_fusion_followup_section_header))" },
        { content: "The collections figures of A alone", trigger: ".o_fusion_collections_figures" },
        { content: "Open the company switcher", trigger: ".o_switch_company_menu button", run: "click" },
        {
            content: "Tick company B as well",
            trigger: ".o_switch_company_item:contains('Follow-up Tour Company B') [role=menuitemcheckbox]",
            run: "click",
        },
        {
            content: "Confirm the selection",
            trigger: ".o_switch_company_menu_buttons button:contains(Confirm)",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "The header counts both companies", trigger: ".o_fusion_followup_company:contains('2 companies')" },
        {
            content: "Both share a currency: one total overdue",
            trigger: ".o_fusion_followup_totals .o_fusion_followup_total",
        },
        {
            content: "The collections summary has a line per company and their total",
            trigger: ".o_fusion_collections_table:has(.o_fusion_collections_total):contains('Follow-up Tour Company B')",
        },
        {
            content: "The customer is listed under company B as well",
            trigger: `.o_fusion_followup_section:has(.o_fusion_section_company:contains('Follow-up Tour Company B')) .o_fusion_partner_card:has(.o_fusion_partner_name:contains('${TWO_COMPANY_CUSTOMER}'))`,
            run: "click",
        },
        { content: "Its detail is company B's", trigger: ".o_fusion_detail_company:contains('Follow-up Tour Company B')" },
        { content: "B's invoice is 45 days late", trigger: ".o_fusion_detail_oldest:contains('45 days')" },
    ],
});
