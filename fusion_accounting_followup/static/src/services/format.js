import { formatCurrency } from "@web/core/currency";
import { user } from "@web/core/user";

/** An amount the server sent as a decimal string, in the current company's currency (the engine's). */
export function formatAmount(value) {
    return formatCurrency(Number(value) || 0, user.activeCompany?.currency_id);
}

/** A status key of the engine (``action_needed``) as words. */
export function statusLabel(status) {
    return (status || "").replaceAll("_", " ");
}
