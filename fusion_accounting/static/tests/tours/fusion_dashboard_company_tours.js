import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function bankCard(value) {
    return `.o_fusion_health_card[data-card='bank'] .o_fusion_card_value:contains('${value}')`;
}

/** The company switcher decides what the dashboard counts: A alone, then A and B (the Python side checks the tools). */
tours.add("fusion_dashboard_company_switch", {
    url: "/odoo/fusion-ai",
    steps: () => [
        {
            content: "Only company A is selected: the header names it alone",
            trigger: ".o_fusion_dashboard_meta:contains('Tour Company A'):not(:contains('Tour Company B'))",
        },
        { content: "A's two unmatched bank lines", trigger: bankCard("2") },
        { content: "Open the company switcher", trigger: ".o_switch_company_menu button", run: "click" },
        {
            content: "Tick company B as well",
            trigger: ".o_switch_company_item:contains('Tour Company B') [role=menuitemcheckbox]",
            run: "click",
        },
        {
            content: "Confirm the selection",
            trigger: ".o_switch_company_menu_buttons button:contains(Confirm)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Both companies are named now",
            trigger: ".o_fusion_dashboard_meta:contains('Tour Company A'):contains('Tour Company B')",
        },
        { content: "A's two lines and B's three", trigger: bankCard("5") },
    ],
});

/** An audit that never ran is "Not checked" with a button, never a green 100; the button runs it. */
tours.add("fusion_dashboard_stale_audit", {
    url: "/odoo/fusion-ai",
    steps: () => [
        {
            content: "The audit card says it has not checked the books",
            trigger: ".o_fusion_health_card.o_fusion_light_unknown[data-card='audit']:not(:contains('100'))",
        },
        {
            content: "Needs Attention does not say 'Well done'",
            trigger: ".o_fusion_needs_attention .o_fusion_audit_not_current",
        },
        {
            content: "Run the audit now",
            trigger: ".o_fusion_health_card[data-card='audit'] .o_fusion_card_action:enabled",
            run: "click",
        },
        {
            content: "The card shows a score once the audit ran",
            trigger: ".o_fusion_health_card[data-card='audit']:not(.o_fusion_light_unknown):not(:has(.o_fusion_card_action))",
        },
        {
            content: "The draft the audit found is listed",
            trigger: ".o_fusion_needs_attention li:contains('Draft')",
        },
    ],
});

/** The chat panel announces a change of the books on the global bus; the dashboard reloads. Dark mode toggles. */
tours.add("fusion_dashboard_refresh_and_dark", {
    url: "/odoo/fusion-ai",
    steps: () => [
        { content: "One unmatched line to start with", trigger: bankCard("1") },
        {
            content: "Another line is imported, then the books are announced as changed",
            trigger: ".o_fusion_health_card[data-card='bank']",
            async run() {
                const [journalId] = await rpc("/web/dataset/call_kw/account.journal/search", {
                    model: "account.journal",
                    method: "search",
                    args: [[["type", "=", "bank"]]],
                    kwargs: { limit: 1 },
                });
                await rpc("/web/dataset/call_kw/account.bank.statement.line/create", {
                    model: "account.bank.statement.line",
                    method: "create",
                    args: [{ journal_id: journalId, amount: 12.5, payment_ref: "tour refresh" }],
                    kwargs: {},
                });
                odoo.__WOWL_DEBUG__.root.env.bus.trigger("FUSION:BOOKS_CHANGED");
            },
        },
        { content: "The card counts it without a click on Refresh", trigger: bankCard("2") },
        { content: "Switch to dark mode", trigger: ".o_fusion_dashboard_dark_toggle", run: "click" },
        { content: "The dashboard is dark", trigger: ".o_fusion_dashboard.o_fusion_dashboard_dark" },
        { content: "Back to light", trigger: ".o_fusion_dashboard_dark_toggle", run: "click" },
        { content: "Light again", trigger: ".o_fusion_dashboard:not(.o_fusion_dashboard_dark)" },
    ],
});
