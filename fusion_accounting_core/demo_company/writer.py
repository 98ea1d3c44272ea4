"""Write a :class:`~.model.DemoPlan` into an Odoo 19 database.

How it works:

1. Small things go through the ORM: the company, its ``l10n_ca`` chart
   (``try_loading``), the extra accounts and journals, the partners.
2. The books themselves (moves, journal items, statement lines and their
   monthly statements, partial and full reconciliations, tax links) are
   inserted in bulk with SQL, with every stored value Odoo itself would
   store: the ORM needs tens of milliseconds per document, which would put
   the medium size far beyond five minutes.
   The values follow Odoo 19's own computations (``account.move._compute_amount``,
   ``_compute_payment_state``, ``account.move.line._compute_amount_residual``,
   ``account.partial.reconcile._update_matching_number``, the statement line's
   ``_compute_is_reconciled``); the Odoo tests check them against the ORM.
3. Back in the ORM: the lock date, through ``res.company.write`` so Odoo's
   own checks run.

When the database has the Purchase app, the plan's purchase orders are created
and confirmed with the ORM before the books (they are few), their lines
received in full; the SQL part links the bill lines to them and Odoo then
computes what was invoiced.

:func:`write_plan` returns a :class:`Written` mapping every plan key to its
record ids, from which :mod:`.answer_key` builds the answer key.
"""

import time
from datetime import datetime
from datetime import time as day_time

from odoo import Command
from odoo.tools import SQL

from .chart import ACCOUNTS, CHART_TEMPLATE, CURRENCY, JOURNALS, PROVINCE_CODE, TAXES
from .model import Written

DEMO_XMLID_MODULE = "fusion_demo"
DEMO_XMLID_NAME = "company"
MAXINT = 2_147_483_647
# The tables the writer fills below the ORM, which PostgreSQL must then analyze (and vacuum).
BULK_TABLES = (
    "account_move",
    "account_move_line",
    "account_bank_statement_line",
    "account_bank_statement",
    "account_partial_reconcile",
    "account_full_reconcile",
    "res_partner",
)
# Customer-facing sequences restart yearly, the others monthly (account.move._get_starting_sequence).
YEARLY_JOURNAL_TYPES = {"sale", "bank"}


class DemoCompanyExists(Exception):
    """The database already holds a demo company; building another would mix two sets of books."""


def find_demo_company(env):
    """The demo company of this database, or an empty recordset."""
    return env.ref(f"{DEMO_XMLID_MODULE}.{DEMO_XMLID_NAME}", raise_if_not_found=False) or env["res.company"]


def _money(cents):
    return cents / 100


class _Ids:
    """Pre-allocated primary keys, so rows can point at each other before they are inserted."""

    def __init__(self, cr, table, count):
        cr.execute(f"SELECT nextval('{table}_id_seq') FROM generate_series(1, %s)", [count])
        self._ids = iter([row[0] for row in cr.fetchall()])

    def __call__(self):
        return next(self._ids)


class _Writer:
    def __init__(self, env, plan):
        self.env, self.plan, self.cr = env, plan, env.cr
        self.now = datetime.now()
        self.uid = env.uid

    # ORM part -----------------------------------------------------------------

    def setup_company(self):
        env = self.env
        if find_demo_company(env):
            raise DemoCompanyExists(find_demo_company(env).name)
        company = env["res.company"].create(
            {
                "name": self.plan.company_name,
                "country_id": env.ref("base.ca").id,
                "state_id": env.ref(f"base.state_ca_{PROVINCE_CODE.lower()}").id,
                "currency_id": env.ref(f"base.{CURRENCY}").id,
                "street": "120 Industrial Parkway",
                "city": "Toronto",
                "zip": "M3J 2V6",
            }
        )
        env["ir.model.data"].create(
            {
                "module": DEMO_XMLID_MODULE,
                "name": DEMO_XMLID_NAME,
                "model": "res.company",
                "res_id": company.id,
                "noupdate": True,
            }
        )
        env.user.company_ids = [Command.link(company.id)]
        self.env = env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        env["account.chart.template"].try_loading(CHART_TEMPLATE, company, install_demo=False)
        self.company = env["res.company"].browse(company.id)
        self.written = Written(company.id)
        self.setup_accounts()
        self.setup_journals()
        self.setup_taxes()

    def setup_accounts(self):
        Account = self.env["account.account"]
        for role, spec in ACCOUNTS.items():
            account = Account.search([("code", "=", spec.code), ("company_ids", "in", self.company.id)], limit=1)
            if not account:
                account = Account.create(
                    {
                        "code": spec.code,
                        "name": spec.name,
                        "account_type": spec.account_type,
                        "reconcile": spec.reconcile,
                        "company_ids": [Command.set(self.company.ids)],
                    }
                )
            elif spec.reconcile and not account.reconcile:
                account.reconcile = True
            self.written.accounts[role] = account.id
        self.reconcilable = set(Account.browse(list(self.written.accounts.values())).filtered("reconcile").ids)

    def setup_journals(self):
        Journal = self.env["account.journal"]
        self.journals = {}
        for role, spec in JOURNALS.items():
            journal = Journal.search([("company_id", "=", self.company.id), ("code", "=", spec.code)], limit=1)
            if not journal:
                journal = Journal.create(
                    {"name": spec.name, "code": spec.code, "type": spec.journal_type, "company_id": self.company.id}
                )
            self.journals[role] = journal
        bank = self.journals["bank"]
        self.bank_account_id = bank.default_account_id.id
        self.suspense_account_id = bank.suspense_account_id.id
        self.reconcilable |= set(bank.default_account_id.ids)

    def setup_taxes(self):
        """Per tax role: the tax, its group and, per document kind, its base and tax repartition."""
        self.taxes = {}
        for role, suffix in TAXES.items():
            tax = self.env.ref(f"account.{self.company.id}_{suffix}")
            rep = {}
            for document in ("invoice", "refund"):
                lines = tax.invoice_repartition_line_ids if document == "invoice" else tax.refund_repartition_line_ids
                base = lines.filtered(lambda r: r.repartition_type == "base")
                tax_line = lines.filtered(lambda r: r.repartition_type == "tax")
                rep[document] = (base.tag_ids.ids, tax_line.id, tax_line.account_id.id, tax_line.tag_ids.ids)
            self.taxes[role] = {"id": tax.id, "name": tax.name, "group": tax.tax_group_id.id, "rep": rep}

    def create_partners(self):
        Partner = self.env["res.partner"]
        vals = []
        for partner in self.plan.partners:
            email = "".join(c for c in partner.name.lower() if c.isalnum())[:20] + "@example.com"
            vals.append(
                {
                    "name": partner.name,
                    "company_id": self.company.id,
                    "is_company": partner.role in ("vendor", "agency")
                    or (partner.role == "customer" and not partner.adp),
                    "country_id": self.company.country_id.id,
                    "state_id": self.company.state_id.id,
                    "email": email,
                    "customer_rank": 1 if partner.role == "customer" else 0,
                    "supplier_rank": 1 if partner.role == "vendor" else 0,
                }
            )
        records = Partner.create(vals)
        self.written.partners = {p.key: r.id for p, r in zip(self.plan.partners, records, strict=True)}
        self.partner_names = {p.key: p.name for p in self.plan.partners}

    def create_purchase_orders(self):
        """Confirmed orders received in full; ``self.order_lines`` maps (bill key, line index) to the order line."""
        env = self.env
        # With Inventory an order is delivered to a warehouse; outside tests a new company has none.
        if "stock.warehouse" in env and not env["stock.warehouse"].search_count([("company_id", "=", self.company.id)]):
            env["stock.warehouse"].create({"name": self.company.name, "code": "MMS", "company_id": self.company.id})
        product = env["product.product"].create(
            {
                "name": "Stock purchases",
                "type": "service",
                "purchase_method": "receive",
                "company_id": self.company.id,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.set([self.taxes["hst13_purchase"]["id"]])],
                "property_account_expense_id": self.written.accounts["purchases"],
            }
        )
        bills = {invoice.key: invoice for invoice in self.plan.invoices}
        vals = []
        for order in self.plan.purchase_orders:
            ordered_on = datetime.combine(order.date, day_time(10))
            bill = bills[order.bill]
            vals.append(
                {
                    "partner_id": self.written.partners[order.vendor],
                    "company_id": self.company.id,
                    "date_order": ordered_on,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": line.label,
                                "product_qty": ordered.quantity,
                                "price_unit": _money(ordered.price_unit),
                                "tax_ids": [Command.set([self.taxes[line.tax_role]["id"]] if line.tax_role else [])],
                                "date_planned": ordered_on,
                            }
                        )
                        for line, ordered in zip(bill.lines, order.lines, strict=True)
                    ],
                }
            )
        orders = env["purchase.order"].create(vals)
        orders.button_confirm()
        for order, record in zip(self.plan.purchase_orders, orders, strict=True):
            record.write({"date_approve": record.date_order})
            for line in record.order_line:
                line.qty_received = line.product_qty
            self.written.purchase_orders[order.key] = (record.id, record.name)
        self.order_lines = {
            (order.bill, index): (line.id, record.name)
            for order, record in zip(self.plan.purchase_orders, orders, strict=True)
            for index, line in enumerate(record.order_line.sorted("sequence"))
        }
        self.order_product = product

    def link_purchase_orders(self):
        """Bill lines point at their order lines (as when billed from the order); Odoo counts what is invoiced."""
        if not self.purchase_links:
            return
        product = self.order_product
        self.cr.execute_values(
            "UPDATE account_move_line l SET purchase_line_id = v.po_line, product_id = v.product, "
            "product_uom_id = v.uom FROM (VALUES %s) v(id, po_line, product, uom) WHERE l.id = v.id",
            [(line, po_line, product.id, product.uom_id.id) for line, po_line in self.purchase_links],
            page_size=5000,
        )
        self.cr.execute_values(
            "UPDATE account_move m SET invoice_origin = v.origin FROM (VALUES %s) v(id, origin) WHERE m.id = v.id",
            list(self.bill_origins.items()),
            page_size=5000,
        )
        self.env.invalidate_all()
        # Tell the ORM what SQL changed: it recomputes the orders' bills and invoiced quantities.
        self.env["account.move.line"].browse([line for line, _po_line in self.purchase_links]).modified(
            ["purchase_line_id"]
        )
        self.env.flush_all()

    # SQL part -------------------------------------------------------------------

    def build_rows(self):
        plan = self.plan
        moves_n = len(plan.invoices) + len(plan.entries) + len(plan.bank_lines)
        lines_n = sum(len(i.lines) + 2 for i in plan.invoices) + sum(len(e.lines) for e in plan.entries)
        lines_n += sum(len(b.counterparts) + 1 for b in plan.bank_lines)
        self.move_id = _Ids(self.cr, "account_move", moves_n)
        self.line_id = _Ids(self.cr, "account_move_line", lines_n)
        self.st_id = _Ids(self.cr, "account_bank_statement_line", len(plan.bank_lines))
        self.moves, self.lines, self.tax_rel, self.tag_rel, self.st_rows = [], [], [], [], []
        self.line_info = {}  # line id -> [balance, residual, date, reconcilable]
        self.settlements = []  # (settling line id, item key)
        self.purchase_links, self.bill_origins = [], {}  # (bill line id, order line id); move id -> order name
        self.sequence = {}
        gap_keys = {k for d in plan.defects if d.kind == "sequence_gap" for k in d.keys}
        documents = sorted(
            [(i.date, 0, i.key, i) for i in plan.invoices]
            + [(e.date, 1, e.key, e) for e in plan.entries]
            + [(b.date, 2, b.key, b) for b in plan.bank_lines]
        )
        for _date, kind, key, document in documents:
            if kind == 0:
                self.add_invoice(document, key in gap_keys)
            elif kind == 1:
                self.add_entry(document)
            else:
                self.add_bank_line(document)

    def next_name(self, journal_role, move_type, day, skip=False):
        journal = self.journals[journal_role]
        code = journal.code
        if move_type == "out_refund":
            code = "R" + code
        elif move_type == "in_refund":
            code = "R" + code
        if journal.type in YEARLY_JOURNAL_TYPES:
            prefix, width = f"{code}/{day.year}/", 5
        else:
            prefix, width = f"{code}/{day.year}/{day.month:02d}/", 4
        number = self.sequence.get(prefix, 0) + (2 if skip else 1)
        self.sequence[prefix] = number
        return prefix, number, f"{prefix}{number:0{width}d}"

    def add_move(self, key, journal_role, move_type, day, *, ref, partner_key, state, skip=False, invoice=None):
        move_id = self.move_id()
        partner_id = self.written.partners.get(partner_key)
        if state == "posted":
            prefix, number, name = self.next_name(journal_role, move_type, day, skip)
        else:
            prefix, number, name = None, None, "/"
        self.written.moves[key] = move_id
        self.written.move_names[key] = name
        move = {
            "id": move_id,
            "name": name,
            "sequence_prefix": prefix,
            "sequence_number": number,
            "date": day,
            "ref": ref or None,
            "state": state,
            "move_type": move_type,
            "journal_id": self.journals[journal_role].id,
            "partner_id": partner_id,
            "commercial_partner_id": partner_id,
            "invoice_date": invoice.date if invoice else None,
            "invoice_date_due": invoice.due_date if invoice else day,
            "payment_reference": name if move_type == "out_invoice" and state == "posted" else None,
            "made_sequence_gap": skip,  # a draft has no number yet, hence no gap (_compute_made_sequence_gap)
            "invoice_partner_display_name": self.partner_name(partner_key),
            "lines": [],
        }
        self.moves.append(move)
        return move

    def partner_name(self, key):
        return self.partner_names.get(key)

    def add_line(
        self, move, account_id, balance, *, partner_key="", name=None, display_type="product", sequence=100, extra=None
    ):
        line_id = self.line_id()
        row = {
            "id": line_id,
            "move_id": move["id"],
            "account_id": account_id,
            "balance": balance,
            "partner_id": self.written.partners.get(partner_key),
            "name": name,
            "display_type": display_type,
            "sequence": sequence,
            "date_maturity": None,
            "tax_line_id": None,
            "tax_group_id": None,
            "tax_repartition_line_id": None,
            "tax_base_amount": 0,
            "quantity": None,
            "price_unit": None,
            "price_subtotal": None,
            "price_total": None,
            "statement_line_id": None,
        }
        row.update(extra or {})
        move["lines"].append(row)
        self.lines.append(row)
        self.line_info[line_id] = [
            balance,
            balance if account_id in self.reconcilable else 0,
            move["date"],
            account_id in self.reconcilable,
        ]
        return line_id

    def add_invoice(self, invoice, gap):
        journal = "sale" if invoice.move_type.startswith("out_") else "purchase"
        move = self.add_move(
            invoice.key,
            journal,
            invoice.move_type,
            invoice.date,
            ref=invoice.ref,
            partner_key=invoice.partner,
            state=invoice.state,
            skip=gap,
            invoice=invoice,
        )
        # Income is credited on customer invoices, expenses debited on bills; refunds the other way.
        sign = -1 if invoice.move_type in ("out_invoice", "in_refund") else 1
        document = "refund" if invoice.move_type.endswith("refund") else "invoice"
        taxes = {}
        for index, line in enumerate(invoice.lines):
            tax = self.taxes.get(line.tax_role)
            line_id = self.add_line(
                move,
                self.written.accounts[line.account],
                sign * line.amount,
                partner_key=invoice.partner,
                name=line.label,
                sequence=100 + index,
                extra={
                    "quantity": line.quantity,
                    "price_unit": _money(line.price_unit),
                    "price_subtotal": _money(line.amount),
                    "price_total": _money(line.amount + line.tax),
                },
            )
            order_line = self.order_lines.get((invoice.key, index))
            if order_line:
                self.purchase_links.append((line_id, order_line[0]))
                self.bill_origins[move["id"]] = order_line[1]
            if tax:
                self.tax_rel.append((line_id, tax["id"]))
                self.tag_rel.extend((line_id, tag) for tag in tax["rep"][document][0])
                base, amount = taxes.get(line.tax_role, (0, 0))
                taxes[line.tax_role] = (base + line.amount, amount + line.tax)
        for role, (base, amount) in sorted(taxes.items()):
            if not amount:
                continue
            tax = self.taxes[role]
            _base_tags, rep_id, account_id, tax_tags = tax["rep"][document]
            line_id = self.add_line(
                move,
                account_id,
                sign * amount,
                partner_key=invoice.partner,
                name=tax["name"],
                display_type="tax",
                sequence=10000,
                extra={
                    "tax_line_id": tax["id"],
                    "tax_group_id": tax["group"],
                    "tax_repartition_line_id": rep_id,
                    "tax_base_amount": _money(sign * base),
                },
            )
            self.tag_rel.extend((line_id, tag) for tag in tax_tags)
        role = "receivable" if journal == "sale" else "payable"
        item_line = self.add_line(
            move,
            self.written.accounts[role],
            -sign * invoice.total,
            partner_key=invoice.partner,
            name=move["name"] if move["name"] != "/" else "",
            display_type="payment_term",
            sequence=12000,
            extra={"date_maturity": invoice.due_date},
        )
        self.written.items[invoice.key] = item_line

    def add_entry(self, entry):
        move = self.add_move(
            entry.key, entry.journal, "entry", entry.date, ref=entry.ref, partner_key="", state=entry.state
        )
        for line in entry.lines:
            line_id = self.add_line(
                move,
                self.written.accounts[line.account],
                line.balance,
                partner_key=line.partner,
                name=line.label,
                extra={"quantity": 1},
            )
            if line.item:
                self.written.items[line.item] = line_id
            if line.settles:
                self.settlements.append((line_id, line.settles))

    def add_bank_line(self, bank_line):
        move = self.add_move(
            bank_line.key, "bank", "entry", bank_line.date, ref="", partner_key=bank_line.partner, state="posted"
        )
        st_id = self.st_id()
        move["statement_line_id"] = st_id
        self.written.statement_lines[bank_line.key] = st_id
        extra = {"statement_line_id": st_id, "quantity": 1}
        self.add_line(
            move,
            self.bank_account_id,
            bank_line.amount,
            partner_key=bank_line.partner,
            name=bank_line.label,
            extra=extra,
        )
        if bank_line.reconciled:
            for counterpart in bank_line.counterparts:
                if counterpart.item:
                    role = self.plan_items[counterpart.item][0]
                    line_id = self.add_line(
                        move,
                        self.written.accounts[role],
                        counterpart.balance,
                        partner_key=counterpart.partner or bank_line.partner,
                        name=bank_line.label,
                        extra=extra,
                    )
                    self.settlements.append((line_id, counterpart.item))
                else:
                    self.add_line(
                        move,
                        self.written.accounts[counterpart.account],
                        counterpart.balance,
                        partner_key=bank_line.partner,
                        name=bank_line.label,
                        extra=extra,
                    )
        else:
            self.add_line(
                move,
                self.suspense_account_id,
                -bank_line.amount,
                partner_key=bank_line.partner,
                name=bank_line.label,
                extra=extra,
            )
        self.st_rows.append(
            {
                "id": st_id,
                "move_id": move["id"],
                "partner_id": self.written.partners.get(bank_line.partner),
                "payment_ref": bank_line.label,
                "amount": bank_line.amount,
                "date": bank_line.date,
                "is_reconciled": bank_line.reconciled,
                "amount_residual": 0 if bank_line.reconciled else -bank_line.amount,
            }
        )

    def build_statements(self):
        """One statement per month, each starting where the previous one ended, as an accountant files them.

        The stored values are those of ``account.bank.statement``'s computes: lines in ``internal_index``
        order, ``balance_end_real`` equal to the computed ``balance_end`` (complete), and each
        ``balance_start`` the previous ``balance_end_real`` (valid).
        """
        by_month = {}
        for row in sorted(self.st_rows, key=lambda r: (r["date"], r["id"])):
            by_month.setdefault(row["date"].replace(day=1), []).append(row)
        statement_id = _Ids(self.cr, "account_bank_statement", len(by_month))
        code = self.journals["bank"].code
        self.statements, self.statement_of, balance = [], {}, 0
        for rows in by_month.values():
            st_id = statement_id()
            for row in rows:
                row["statement_id"] = st_id
                self.statement_of[row["id"]] = st_id
            last_day = rows[-1]["date"]
            self.statements.append(
                {
                    "id": st_id,
                    "name": f"{code} Statement {last_day}",
                    "first_line_index": internal_index(rows[0]["date"], rows[0]["id"]),
                    "date": last_day,
                    "balance_start": balance,
                    "balance_end": balance + sum(row["amount"] for row in rows),
                }
            )
            balance = self.statements[-1]["balance_end"]

    def reconcile(self):
        """Partials for every settlement, then full reconciles and matching numbers (as Odoo numbers them)."""
        self.partials = []
        part_ids = _Ids(self.cr, "account_partial_reconcile", len(self.settlements))
        for settling, item_key in self.settlements:
            item = self.written.items[item_key]
            item_info, settling_info = self.line_info[item], self.line_info[settling]
            amount = abs(settling_info[0])
            if item_info[0] > 0:
                debit, credit = item, settling
            else:
                debit, credit = settling, item
            item_info[1] -= item_info[0] // abs(item_info[0]) * amount
            settling_info[1] = 0
            self.partials.append(
                {
                    "id": part_ids(),
                    "debit": debit,
                    "credit": credit,
                    "amount": amount,
                    "max_date": max(item_info[2], settling_info[2]),
                }
            )
        # Connected lines share a number: the smallest partial id of their graph, or the full reconcile id.
        parent = {}

        def root(line):
            parent.setdefault(line, line)
            while parent[line] != line:
                parent[line] = parent[parent[line]]
                line = parent[line]
            return line

        for partial in self.partials:
            parent[root(partial["debit"])] = root(partial["credit"])
        groups = {}
        for partial in self.partials:
            group = groups.setdefault(root(partial["debit"]), {"partials": [], "lines": set()})
            group["partials"].append(partial)
            group["lines"].update((partial["debit"], partial["credit"]))
        full_ids = _Ids(self.cr, "account_full_reconcile", len(groups))
        self.full_reconciles, self.matching = [], {}
        for group in groups.values():
            if all(self.line_info[line][1] == 0 for line in group["lines"]):
                full_id = full_ids()
                self.full_reconciles.append(full_id)
                number = str(full_id)
                for partial in group["partials"]:
                    partial["full"] = full_id
            else:
                full_id, number = None, "P" + str(min(p["id"] for p in group["partials"]))
            for line in group["lines"]:
                self.matching[line] = (number, full_id)

    def finish_moves(self):
        """Stored amounts and payment states of every move (account.move._compute_amount/_compute_payment_state)."""
        for move in self.moves:
            move_type = move["move_type"]
            lines = move["lines"]
            if move_type == "entry":
                total = sum(line["balance"] for line in lines if line["balance"] > 0)
                amounts = dict(
                    amount_untaxed=0,
                    amount_tax=0,
                    amount_total=total,
                    amount_residual=0,
                    amount_untaxed_signed=0,
                    amount_tax_signed=0,
                    amount_total_signed=total,
                    amount_total_in_currency_signed=total,
                    amount_residual_signed=0,
                    amount_untaxed_in_currency_signed=0,
                )
                payment_state = "not_paid"
            else:
                sign = -1 if move_type in ("out_invoice", "in_refund") else 1
                untaxed = sum(line["balance"] for line in lines if line["display_type"] == "product")
                tax = sum(line["balance"] for line in lines if line["display_type"] == "tax")
                residual = sum(
                    self.line_info[line["id"]][1] for line in lines if line["display_type"] == "payment_term"
                )
                matched = any(line["id"] in self.matching for line in lines)
                amounts = dict(
                    amount_untaxed=sign * untaxed,
                    amount_tax=sign * tax,
                    amount_total=sign * (untaxed + tax),
                    amount_residual=-sign * residual,
                    amount_untaxed_signed=-untaxed,
                    amount_untaxed_in_currency_signed=-untaxed,
                    amount_tax_signed=-tax,
                    amount_total_signed=-(untaxed + tax),
                    amount_total_in_currency_signed=-(untaxed + tax),
                    amount_residual_signed=residual,
                )
                payment_state = (
                    "paid" if residual == 0 and move["state"] == "posted" else ("partial" if matched else "not_paid")
                )
            move.update({k: _money(v) for k, v in amounts.items()})
            move["payment_state"] = payment_state

    def insert(self):
        cr, company, now, uid = self.cr, self.company, self.now, self.uid
        currency = company.currency_id.id
        move_rows = [
            (
                m["id"],
                m["name"],
                m["sequence_prefix"],
                m["sequence_number"],
                m["date"],
                m["ref"],
                m["state"],
                m["move_type"],
                m["journal_id"],
                company.id,
                currency,
                m["partner_id"],
                m["commercial_partner_id"],
                m["invoice_date"],
                m["invoice_date_due"],
                m["payment_reference"],
                m["made_sequence_gap"],
                m["invoice_partner_display_name"],
                "no",
                m["state"] == "posted",
                m["state"] == "posted",
                False,
                m["amount_untaxed"],
                m["amount_tax"],
                m["amount_total"],
                m["amount_residual"],
                m["amount_untaxed_signed"],
                m["amount_untaxed_in_currency_signed"],
                m["amount_tax_signed"],
                m["amount_total_signed"],
                m["amount_total_in_currency_signed"],
                m["amount_residual_signed"],
                m["payment_state"],
                1.0 if m["move_type"] != "entry" else None,
                m["move_type"] == "entry",
                datetime.combine(m["date"], day_time(12)),
                uid,
                now,
                uid,
            )
            for m in self.moves
        ]
        cr.execute_values(
            """
            INSERT INTO account_move (id, name, sequence_prefix, sequence_number, date, ref, state, move_type,
                journal_id, company_id, currency_id, partner_id, commercial_partner_id, invoice_date, invoice_date_due,
                payment_reference, made_sequence_gap, invoice_partner_display_name, auto_post, checked, posted_before,
                is_move_sent, amount_untaxed, amount_tax, amount_total, amount_residual, amount_untaxed_signed,
                amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                amount_total_in_currency_signed, amount_residual_signed, payment_state, invoice_currency_rate,
                always_tax_exigible, create_date, create_uid, write_date, write_uid)
            VALUES %s""",
            move_rows,
            page_size=2000,
        )
        bank_journal = self.journals["bank"].id
        cr.execute_values(
            """
            INSERT INTO account_bank_statement (id, name, journal_id, company_id, currency_id, first_line_index, date,
                balance_start, balance_end, balance_end_real, is_complete, create_date, create_uid, write_date,
                write_uid)
            VALUES %s""",
            [
                (
                    st["id"],
                    st["name"],
                    bank_journal,
                    company.id,
                    currency,
                    st["first_line_index"],
                    st["date"],
                    _money(st["balance_start"]),
                    _money(st["balance_end"]),
                    _money(st["balance_end"]),
                    True,
                    datetime.combine(st["date"], day_time(12)),
                    uid,
                    now,
                    uid,
                )
                for st in self.statements
            ],
            page_size=2000,
        )
        cr.execute_values(
            """
            INSERT INTO account_bank_statement_line (id, move_id, journal_id, company_id, sequence, partner_id,
                currency_id, payment_ref, internal_index, amount, amount_currency, is_reconciled, amount_residual,
                statement_id, create_date, create_uid, write_date, write_uid)
            VALUES %s""",
            [
                (
                    s["id"],
                    s["move_id"],
                    bank_journal,
                    company.id,
                    1,
                    s["partner_id"],
                    currency,
                    s["payment_ref"],
                    internal_index(s["date"], s["id"]),
                    _money(s["amount"]),
                    0.0,
                    s["is_reconciled"],
                    _money(s["amount_residual"]),
                    s["statement_id"],
                    datetime.combine(s["date"], day_time(12)),
                    uid,
                    now,
                    uid,
                )
                for s in self.st_rows
            ],
            page_size=2000,
        )
        cr.execute_values(
            "INSERT INTO account_full_reconcile (id, create_date, create_uid, write_date, write_uid) VALUES %s",
            [(f, now, uid, now, uid) for f in self.full_reconciles],
            page_size=5000,
        )
        line_rows = []
        for move in self.moves:
            for line in move["lines"]:
                balance = line["balance"]
                residual = self.line_info[line["id"]][1]
                number, full_id = self.matching.get(line["id"], (None, None))
                reconcilable = self.line_info[line["id"]][3]
                line_rows.append(
                    (
                        line["id"],
                        move["id"],
                        move["journal_id"],
                        company.id,
                        currency,
                        line["sequence"],
                        line["account_id"],
                        currency,
                        line["partner_id"],
                        line["statement_line_id"],
                        self.statement_of.get(line["statement_line_id"]),
                        line["tax_line_id"],
                        line["tax_group_id"],
                        line["tax_repartition_line_id"],
                        full_id,
                        move["name"],
                        move["state"],
                        move["ref"],
                        line["name"],
                        number,
                        line["display_type"],
                        move["date"],
                        move["invoice_date"],
                        line["date_maturity"],
                        _money(max(balance, 0)),
                        _money(max(-balance, 0)),
                        _money(balance),
                        _money(balance),
                        line["tax_base_amount"],
                        _money(residual),
                        _money(residual),
                        line["quantity"],
                        line["price_unit"],
                        line["price_subtotal"] if line["price_subtotal"] is not None else _money(balance),
                        line["price_total"] if line["price_total"] is not None else _money(balance),
                        0,
                        reconcilable and residual == 0,
                        move["move_type"] == "entry",
                        100.0,
                        move_row_date(move),
                        uid,
                        now,
                        uid,
                    )
                )
        cr.execute_values(
            """
            INSERT INTO account_move_line (id, move_id, journal_id, company_id, company_currency_id, sequence,
                account_id, currency_id, partner_id, statement_line_id, statement_id, tax_line_id, tax_group_id,
                tax_repartition_line_id, full_reconcile_id, move_name, parent_state, ref, name, matching_number,
                display_type, date, invoice_date, date_maturity, debit, credit, balance, amount_currency,
                tax_base_amount, amount_residual, amount_residual_currency, quantity, price_unit, price_subtotal,
                price_total, discount, reconciled, no_followup, deductible_amount, create_date, create_uid, write_date,
                write_uid)
            VALUES %s""",
            line_rows,
            page_size=2000,
        )
        cr.execute_values(
            "INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id) VALUES %s",
            self.tax_rel,
            page_size=5000,
        )
        cr.execute_values(
            "INSERT INTO account_account_tag_account_move_line_rel (account_move_line_id, account_account_tag_id) "
            "VALUES %s",
            self.tag_rel,
            page_size=5000,
        )
        cr.execute_values(
            """
            INSERT INTO account_partial_reconcile (id, debit_move_id, credit_move_id, full_reconcile_id,
                debit_currency_id, credit_currency_id, company_id, max_date, amount, debit_amount_currency,
                credit_amount_currency, create_date, create_uid, write_date, write_uid)
            VALUES %s""",
            [
                (
                    p["id"],
                    p["debit"],
                    p["credit"],
                    p.get("full"),
                    currency,
                    currency,
                    company.id,
                    p["max_date"],
                    _money(p["amount"]),
                    _money(p["amount"]),
                    _money(p["amount"]),
                    now,
                    uid,
                    now,
                    uid,
                )
                for p in self.partials
            ],
            page_size=5000,
        )
        cr.execute_values(
            "UPDATE account_move m SET statement_line_id = v.st FROM (VALUES %s) v(id, st) WHERE m.id = v.id",
            [(m["id"], m["statement_line_id"]) for m in self.moves if m.get("statement_line_id")],
            page_size=5000,
        )

    def format_labels(self):
        """Bank labels name invoices by key (``{inv_000012}``): put the invoice numbers in."""
        names = self.written.move_names
        for row in self.st_rows:
            if "{" in row["payment_ref"]:
                row["payment_ref"] = row["payment_ref"].format_map(names)
        for move in self.moves:
            for line in move["lines"]:
                if line["name"] and "{" in line["name"]:
                    line["name"] = line["name"].format_map(names)

    def apply_lock_and_history(self):
        """Lock the closed period with Odoo's checks, then date the late entry's creation after the lock."""
        self.env.invalidate_all()
        self.company.write({"fiscalyear_lock_date": self.plan.lock_date})
        for defect in self.plan.defects:
            if defect.kind == "entry_in_locked_period":
                created = datetime.combine(defect.detail["created_on"], day_time(16))
                ids = tuple(self.written.moves[k] for k in defect.keys)
                self.cr.execute(
                    "UPDATE account_move SET create_date = %s, write_date = %s WHERE id IN %s", [created, created, ids]
                )
                self.cr.execute(
                    "UPDATE account_move_line SET create_date = %s, write_date = %s WHERE move_id IN %s",
                    [created, created, ids],
                )
        self.env.invalidate_all()

    def run(self):
        started = time.monotonic()
        self.setup_company()
        self.create_partners()
        self.order_lines = {}
        if self.plan.purchase_orders and "purchase.order" in self.env:
            self.create_purchase_orders()
        self.written.timings["setup_s"] = round(time.monotonic() - started, 2)
        self.plan_items = self.plan.items()
        step = time.monotonic()
        self.build_rows()
        self.format_labels()
        self.build_statements()
        self.reconcile()
        self.finish_moves()
        self.env.flush_all()
        self.insert()
        self.link_purchase_orders()
        self.written.timings["books_s"] = round(time.monotonic() - step, 2)
        self.apply_lock_and_history()
        # Rows written below the ORM leave PostgreSQL's statistics empty until autovacuum
        # gets to them: the planner would then guess a few rows for a million and pick
        # plans that read whole indexes (the dashboard at the large size took 3 times longer).
        self.cr.execute(SQL("ANALYZE %s", SQL(", ").join(map(SQL.identifier, BULK_TABLES))))
        self.written.counts = {
            "partners": len(self.written.partners),
            "moves": len(self.moves),
            "move_lines": len(self.lines),
            "statement_lines": len(self.st_rows),
            "statements": len(self.statements),
            "purchase_orders": len(self.written.purchase_orders),
            "unreconciled_statement_lines": sum(1 for s in self.st_rows if not s["is_reconciled"]),
            "partial_reconciles": len(self.partials),
            "full_reconciles": len(self.full_reconciles),
        }
        self.written.timings["total_s"] = round(time.monotonic() - started, 2)
        return self.written


def internal_index(day, st_line_id):
    """``account.bank.statement.line.internal_index`` of a line of sequence 1 (``_compute_internal_index``)."""
    return f"{day:%Y%m%d}{MAXINT - 1:0>10}{st_line_id:0>10}"


def move_row_date(move):
    """Demo documents look created on their own date, so creation-date reasoning stays meaningful."""
    return datetime.combine(move["date"], day_time(12))


def write_plan(env, plan):
    """Create the demo company of ``plan`` in ``env``'s database; return what was written.

    Raises :class:`DemoCompanyExists` when the database already has one.  The
    caller owns the transaction (commit or roll back).
    """
    return _Writer(env, plan).run()
