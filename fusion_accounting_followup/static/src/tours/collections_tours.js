import { registry } from "@web/core/registry";

// The Python side (tests/test_followup_collections_tours.py) opens the overdue customer's form.
const tours = registry.category("web_tour.tours");

function followupTab() {
    return [{ content: "Open the follow-ups tab", trigger: "a.nav-link:contains('Follow-ups')", run: "click" }];
}

tours.add("fusion_collections_record_promise", {
    steps: () => [
        ...followupTab(),
        {
            content: "Record a promise",
            trigger: "button[name='action_fusion_followup_record_promise']",
            run: "click",
        },
        { content: "The promised day", trigger: ".modal div[name='promised_date'] input", run: "edit 12/31/2099" },
        { content: "The amount", trigger: ".modal div[name='amount'] input", run: "edit 250" },
        { content: "Record it", trigger: ".modal button[name='action_confirm']", run: "click" },
        { content: "The dialog closes", trigger: "body:not(:has(.modal))" },
        {
            content: "The promise is listed on the customer",
            trigger: "div[name='fusion_followup_promise_ids'] .o_data_row:contains('250')",
        },
    ],
});

tours.add("fusion_collections_record_dispute", {
    steps: () => [
        ...followupTab(),
        {
            content: "Record a dispute",
            trigger: "button[name='action_fusion_followup_record_dispute']",
            run: "click",
        },
        { content: "Which invoice", trigger: ".modal div[name='invoice_id'] input", run: "edit INV" },
        { content: "Pick the customer's invoice", trigger: ".o-autocomplete--dropdown-item:contains('INV')", run: "click" },
        { content: "Why", trigger: ".modal div[name='reason'] textarea", run: "edit Goods arrived damaged" },
        { content: "Record it", trigger: ".modal button[name='action_confirm']", run: "click" },
        { content: "The dialog closes", trigger: "body:not(:has(.modal))" },
        {
            content: "The dispute is listed on the customer",
            trigger: "div[name='fusion_followup_dispute_ids'] .o_data_row:contains('Goods arrived damaged')",
        },
    ],
});
