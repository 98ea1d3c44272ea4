import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { user } from "@web/core/user";

/**
 * An amount the server sent as a decimal string, in ``currencyId`` (the currency of the company it was
 * computed for: follow-ups are per company), else in the current company's.
 */
export function formatAmount(value, currencyId = null) {
    return formatCurrency(Number(value) || 0, currencyId || user.activeCompany?.currency_id);
}

// The engine's status keys in words, as the partner's status field names them (models/res_partner.py).
const STATUS_LABELS = {
    no_action: _t("Nothing overdue"),
    overdue: _t("Overdue, no follow-up due"),
    action_needed: _t("Follow-up due"),
    paused: _t("Paused"),
};

/** A status key of the engine (``action_needed``) as words. */
export function statusLabel(status) {
    return STATUS_LABELS[status || "no_action"] || status;
}
