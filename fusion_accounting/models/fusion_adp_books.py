"""The ADP receivable in the books: split invoices, open ADP items and deposits, read set-based.

An ADP invoice is billed to the client in full; a split entry then moves
ADP's share from the client's receivable to the ADP receivable (a setting,
``1101`` by default) and is reconciled with the invoice.  ADP's deposits
later settle the ADP items.
"""

from decimal import Decimal

from odoo import api, models

from ..services.adp import AdpInvoice, OpenItem, verify_split

# Names that find the ADP receivable in a chart that has no code configured.
_ADP_NAME_PATTERNS = ("%ADP%receivable%", "%assistive devices%", "ADP%")


class FusionAdpBooks(models.AbstractModel):
    _name = "fusion.adp.books"
    _description = "Fusion: ADP receivable"

    @api.model
    def _adp_accounts(self):
        """The ADP receivable of each selected company: the configured code, else found by name."""
        roles = self.env["fusion.account.roles"]
        Account = self.env["account.account"]
        found = Account
        for company in self.env.companies:
            account = roles._account(company, "adp_receivable")
            for pattern in () if account else _ADP_NAME_PATTERNS:
                account = Account.with_company(company).search(
                    [*Account._check_company_domain(company), ("name", "=ilike", pattern)], order="code", limit=1
                )
                if account:
                    break
            found |= account
        return found

    @api.model
    def _adp_lines(self, domain):
        accounts = self._adp_accounts()
        if not accounts:
            return self.env["account.move.line"]
        return self.env["account.move.line"].search(
            [
                ("company_id", "in", self.env.companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id", "in", accounts.ids),
                *domain,
            ],
            order="date, id",
        )

    @api.model
    def _invoice_splits(self, date_from, date_to, move_ids=None):
        """One row per ADP invoice of the period: total, customer and ADP portions, and their difference."""
        domain = [("date", ">=", date_from), ("date", "<=", date_to), ("balance", ">", 0)]
        adp_lines = self._adp_lines(domain)
        accounts = adp_lines.account_id
        rows = {}
        for split in adp_lines.move_id:
            adp_portion = sum(split.line_ids.filtered(lambda aml: aml.account_id in accounts).mapped("balance"))
            if split.move_type == "out_invoice":
                invoices = {split: 0.0}
            else:
                transfers = split.line_ids.filtered(
                    lambda aml: (
                        aml.account_id not in accounts and aml.account_type == "asset_receivable" and aml.balance < 0
                    )
                )
                invoices = {}
                for partial in transfers.matched_debit_ids:
                    invoice = partial.debit_move_id.move_id
                    if invoice.move_type == "out_invoice":
                        invoices[invoice] = invoices.get(invoice, 0.0) + partial.amount
                if not invoices:
                    continue
            for invoice, transferred in invoices.items():
                if move_ids and invoice.id not in move_ids:
                    continue
                row = rows.setdefault(invoice.id, {"invoice": invoice, "transferred": 0.0, "adp": 0.0, "splits": []})
                row["transferred"] += transferred
                # A split entry serving several invoices shares its ADP amount in proportion to what it moved.
                total_moved = sum(invoices.values())
                row["adp"] += adp_portion * (transferred / total_moved) if total_moved else adp_portion
                row["splits"].append(split.id)
        result = []
        for invoice_id, row in rows.items():
            invoice = row["invoice"]
            total = invoice.amount_total
            if invoice.move_type == "out_invoice" and not row["transferred"]:
                customer = total - row["adp"]  # the ADP share is on the invoice itself
            else:
                customer = total - row["transferred"]
            value = AdpInvoice(
                invoice.name, invoice.invoice_date, self._d(total), self._d(customer), self._d(row["adp"])
            )
            finding = verify_split([value])
            result.append(
                {
                    "invoice_id": invoice_id,
                    "invoice": invoice.name,
                    "partner": invoice.partner_id.display_name,
                    "date": invoice.invoice_date.isoformat() if invoice.invoice_date else None,
                    "total": round(total, 2),
                    "customer_portion": round(customer, 2),
                    "adp_portion": round(row["adp"], 2),
                    "difference": float(finding[0].difference) if finding else 0.0,
                    "split_move_ids": row["splits"],
                }
            )
        return result

    @api.model
    def _d(self, value):
        return Decimal(str(round(value, 2)))

    @api.model
    def _open_items(self, as_of):
        """Open ADP items at ``as_of`` (residual as of today's reconciliation state) as pure values."""
        lines = self._adp_lines([("date", "<=", as_of), ("reconciled", "=", False), ("amount_residual", ">", 0)])
        return [
            OpenItem(line.move_id.name or str(line.id), line.date, self._d(line.amount_residual), line.id)
            for line in lines
        ], lines

    @api.model
    def _collected(self, date_from, date_to):
        """ADP's payments in the period: credits to the ADP receivable that are not split reversals."""
        lines = self._adp_lines([("date", ">=", date_from), ("date", "<=", date_to), ("balance", "<", 0)])
        return -sum(lines.mapped("balance")), lines
