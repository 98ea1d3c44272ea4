import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, deserializeDateTime, formatDate, formatDateTime } from "@web/core/l10n/dates";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";

export const PAGE_SIZE = 10;

/**
 * Format one cell of a result table for a person: money in its currency, dates in the
 * user's format, numbers with the user's separators.  ``currencyIds`` maps the codes the
 * result names (CAD, USD) to currency ids; an unknown code shows the number and its code.
 */
export function formatCell(kind, value, { currency = "", currencyIds = {} } = {}) {
    if (value === null || value === undefined || value === "") {
        return "";
    }
    switch (kind) {
        case "money": {
            const currencyId = currencyIds[currency];
            if (currencyId) {
                return formatMonetary(value, { currencyId });
            }
            return currency ? `${formatFloat(value, { digits: [16, 2] })} ${currency}` : formatFloat(value, { digits: [16, 2] });
        }
        case "number":
            return Number.isInteger(value) ? formatInteger(value) : formatFloat(value);
        case "date": {
            const date = deserializeDate(value);
            return date.isValid ? formatDate(date) : String(value);
        }
        case "datetime": {
            const date = deserializeDateTime(String(value).replace("T", " ").slice(0, 19));
            return date.isValid ? formatDateTime(date) : String(value);
        }
        case "boolean":
            return value ? _t("Yes") : _t("No");
        case "link":
            return value.name || `#${value.id}`;
        case "list":
        case "json":
            return Array.isArray(value) ? value.map((v) => (typeof v === "object" ? JSON.stringify(v) : v)).join(", ") : JSON.stringify(value);
        default:
            return String(value);
    }
}

/**
 * A tool's result as people read it (``services/agent/result_view.py`` shapes it):
 * facts, then tables with a totals row, paged; a record is a link that opens it.
 * The JSON the model read is one click away.
 */
export class FusionToolResult extends Component {
    static template = "fusion_accounting.ToolResult";
    static props = {
        view: Object,
        raw: { type: String, optional: true },
        currencyIds: { type: Object, optional: true },
        currency: { type: String, optional: true },
    };

    setup() {
        this.action = useService("action");
        this.state = useState({ pages: {}, showRaw: false });
    }

    get currencyIds() {
        return this.props.currencyIds || {};
    }

    page(table) {
        return this.state.pages[table.key] || 0;
    }

    pageCount(table) {
        return Math.max(1, Math.ceil(table.rows.length / PAGE_SIZE));
    }

    visibleRows(table) {
        const start = this.page(table) * PAGE_SIZE;
        return table.rows.slice(start, start + PAGE_SIZE);
    }

    setPage(table, page) {
        this.state.pages[table.key] = Math.min(Math.max(0, page), this.pageCount(table) - 1);
    }

    pageLabel(table) {
        const start = this.page(table) * PAGE_SIZE;
        const end = Math.min(table.rows.length, start + PAGE_SIZE);
        return _t("%(start)s–%(end)s of %(total)s", { start: start + 1, end, total: table.total_rows });
    }

    cell(table, column, row) {
        return formatCell(column.kind, row[column.key], {
            currency: row._currency || table.currency || this.props.currency || "",
            currencyIds: this.currencyIds,
        });
    }

    total(table, column) {
        if (!(column.key in table.totals)) {
            return "";
        }
        return formatCell("money", table.totals[column.key], {
            currency: table.currency || this.props.currency || "",
            currencyIds: this.currencyIds,
        });
    }

    fact(fact) {
        return formatCell(fact.kind, fact.value, { currency: this.props.currency || "", currencyIds: this.currencyIds });
    }

    isNumeric(column) {
        return column.kind === "money" || column.kind === "number";
    }

    /** Numbers right-aligned on one line; a row's first, naming cell heads its block on a narrow panel. */
    cellClass(column, first) {
        if (this.isNumeric(column)) {
            return "text-end text-nowrap";
        }
        return first ? "o_fusion_cell_head" : "";
    }

    /** The record a cell or a row names: opened in its form view. */
    open(link) {
        if (!link || !link.model || !link.id) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: link.model,
            res_id: link.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    toggleRaw() {
        this.state.showRaw = !this.state.showRaw;
    }

    get rawText() {
        const raw = this.props.raw || "";
        try {
            return JSON.stringify(JSON.parse(raw), null, 2);
        } catch {
            return raw;
        }
    }
}
