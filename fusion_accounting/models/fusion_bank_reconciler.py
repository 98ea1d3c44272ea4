from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext

from ..services.bank_matching import BankLine, MatchPolicy, OpenItem, plan_auto_reconcile, suggest
from ..services.money import from_cents, to_cents

# Open items older than this are not offered to statement lines: a payment
# settles recent documents, and the bound keeps one run's working set small.
_ITEM_HORIZON_DAYS = 400
# Read at once for every open item, for the booking (``_prepare_booking`` checks ``company_id`` and ``reconciled``)
# and the rules' matching; planning reads its values in one query (``_item_rows``).
_ITEM_FIELDS = [
    "date",
    "amount_residual",
    "partner_id",
    "account_id",
    "move_id",
    "name",
    "ref",
    "company_id",
    "reconciled",
]


class FusionBankReconciler(models.AbstractModel):
    """Community bank reconciliation: the Odoo side of :mod:`..services.bank_matching`.

    How a match is booked: the statement line's suspense item is replaced by
    one counterpart per matched journal item (same account and partner,
    opposite amount, at most the item's residual), plus fee or write-off items,
    plus what is left in suspense when the line is not fully used; when one
    item takes the whole line with no fee, the suspense item itself becomes
    that counterpart (rewritten in place).  Each counterpart is then
    reconciled with its item.  ``action_undo_reconciliation``
    (Community) puts the suspense item back and unreconciles, so an undo
    restores the line and the items exactly.
    """

    _name = "fusion.bank.reconciler"
    _description = "Fusion: bank reconciliation engine"

    # -- reading ---------------------------------------------------------------

    @api.model
    def _policy(self):
        Roles = self.env["fusion.account.roles"]
        return MatchPolicy(
            card_fee_bps=Roles._int_param("card_fee_bps", 160),
            card_fee_tolerance_bps=Roles._int_param("card_fee_tolerance_bps", 60),
        )

    @api.model
    def _open_amount(self, st_line):
        """What the line still has in suspense, in company currency, signed like the line."""
        _liquidity, suspense, _other = st_line._seek_for_lines()
        return -sum(suspense.mapped("balance"))

    @api.model
    def _bank_line(self, st_line):
        return BankLine(
            id=st_line.id,
            date=st_line.date,
            amount=to_cents(self._open_amount(st_line)),
            label=st_line.payment_ref or "",
            partner_id=st_line.partner_id.commercial_partner_id.id or None,
            partner_name=st_line.partner_name or "",
            ref=st_line.move_id.ref or "",
            narration=html2plaintext(st_line.move_id.narration) if st_line.move_id.narration else "",
        )

    @api.model
    def _partner_names(self, items):
        """``(commercial partner id, name)`` of every name the items' partners are known by.

        Their own and their contacts' names, and the holders of their bank
        accounts (a numbered company, a spouse), all keyed by the commercial
        partner the items carry.
        """
        partner_ids = sorted({item.partner_id for item in items if item.partner_id})
        if not partner_ids:
            return []
        Partner = self.env["res.partner"].with_context(active_test=False)
        people = Partner.search_fetch([("commercial_partner_id", "in", partner_ids)], ["name", "commercial_partner_id"])
        pairs = [(person.commercial_partner_id.id, person.name) for person in people if person.name]
        accounts = self.env["res.partner.bank"].search_fetch(
            [("partner_id", "in", people.ids), ("acc_holder_name", "!=", False)], ["acc_holder_name", "partner_id"]
        )
        pairs += [(account.partner_id.commercial_partner_id.id, account.acc_holder_name) for account in accounts]
        return pairs

    @api.model
    def _items_domain(self, companies, date_to):
        suspense = self.env["account.journal"].search([("company_id", "in", companies.ids)]).suspense_account_id
        return [
            ("company_id", "in", companies.ids),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("account_id.reconcile", "=", True),
            ("account_id", "not in", suspense.ids),
            ("display_type", "not in", ("line_section", "line_subsection", "line_note")),
            ("statement_line_id", "=", False),
            ("amount_residual", "!=", 0.0),
            ("date", "<=", date_to),
            ("date", ">=", self._horizon(date_to)),
            # As Odoo's own matching: a payment's receivable/payable item is settled through the invoice.
            "|",
            ("account_id.account_type", "not in", ("asset_receivable", "liability_payable")),
            ("payment_id", "=", False),
        ]

    @api.model
    def _horizon(self, day):
        return day - timedelta(days=_ITEM_HORIZON_DAYS)

    @api.model
    def _open_items(self, st_lines):
        """Open journal items the lines may settle, as pure :class:`OpenItem` and as records by id."""
        if not st_lines:
            return [], {}
        companies = st_lines.company_id & self.env.companies
        card_accounts = set(self.env["fusion.account.roles"]._accounts(companies, "card_clearing").ids)
        amls = self.env["account.move.line"].search_fetch(
            self._items_domain(companies, max(st_lines.mapped("date"))),
            _ITEM_FIELDS,
            order="date, id",
        )
        items = [
            OpenItem(
                id=item_id,
                date=day,
                residual=to_cents(residual),
                partner_id=partner_id,
                # The move's number, the customer's PO or vendor's bill number (``ref``), the payment reference.
                references=tuple(sorted(filter(None, {name, ref, move_ref, payment_reference}))),
                is_card=account_id in card_accounts,
            )
            for item_id, day, residual, partner_id, account_id, name, ref, move_ref, payment_reference in (
                self._item_rows(amls)
            )
        ]
        return items, {aml.id: aml for aml in amls}

    @api.model
    def _item_rows(self, amls):
        """What planning reads of each item, in ``amls``' order: one SQL row an item.

        Read through the records, these values (the item's, its entry's, its
        partner's commercial partner) cost more than planning every line: a
        few attribute reads an item, 65,000 items at the large size.  ``amls``
        come from a ``search``, so access rules chose them.
        """
        self.env["account.move.line"].flush_model(["date", "amount_residual", "partner_id", "account_id", "ref"])
        self.env["account.move"].flush_model(["name", "ref", "payment_reference"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.id, aml.date, aml.amount_residual, partner.commercial_partner_id, aml.account_id,
                       move.name, aml.ref, move.ref, move.payment_reference
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE aml.id = ANY(%s)
                """,
                amls.ids,
            )
        )
        by_id = {row[0]: row for row in rows}
        return [by_id[item_id] for item_id in amls.ids]

    @api.model
    def _suggestions(self, st_line, limit=5):
        """The best ``limit`` suggestions for one line (pure engine), most confident first."""
        items, _records = self._open_items(st_line)
        return suggest(self._bank_line(st_line), items, self._policy(), self._partner_names(items))[:limit]

    # -- writing ---------------------------------------------------------------

    @api.model
    def _check_matchable(self, st_line):
        if st_line.company_id not in self.env.companies:
            raise UserError(self.env._("This statement line belongs to a company you cannot access."))
        currency = st_line.company_id.currency_id
        if st_line.foreign_currency_id or (
            st_line.journal_id.currency_id and st_line.journal_id.currency_id != currency
        ):
            raise UserError(self.env._("Statement lines in a foreign currency are not supported yet."))
        _liquidity, suspense, _other = st_line._seek_for_lines()
        if not suspense or currency.is_zero(sum(suspense.mapped("balance"))):
            raise UserError(self.env._("The statement line %s is already reconciled.", st_line.display_name))
        return suspense

    @api.model
    def _counterpart_vals(self, st_line, amls, write_offs):
        """Line values replacing the suspense item, and the ``(vals index, item)`` pairs to reconcile.

        ``write_offs`` are ``(account, balance, label, partner)`` with balance
        debit-positive.  Items going the other way (the credit notes a
        customer deducted, a vendor's refunds) are settled whole first and add
        to what the line brings; the others take, oldest first, at most their
        residual of it; the rest stays in suspense.
        """
        currency = st_line.company_id.currency_id
        open_amount = self._open_amount(st_line)
        sign = 1 if open_amount > 0 else -1
        write_off_total = sum(balance for _account, balance, _label, _partner in write_offs)
        available = sign * (open_amount + write_off_total)
        vals, pairs = [], []
        credits = amls.filtered(lambda aml: sign * aml.amount_residual < 0)
        settled = amls.filtered(lambda aml: currency.is_zero(aml.amount_residual))
        if settled:
            raise UserError(
                self.env._("Journal items %s are already settled.", ", ".join(settled.mapped("display_name")))
            )
        # Credit notes alone do not make a payment: the bank line would pay them.
        if credits and credits == amls:
            names = ", ".join(credits.mapped("display_name"))
            raise UserError(self.env._("Journal items %s go the same way as the bank line.", names))
        for aml in credits.sorted(lambda line: (line.date, line.id)):
            available += abs(aml.amount_residual)
            pairs.append((len(vals), aml))
            vals.append(
                self._line_vals(st_line, aml.account_id, -aml.amount_residual, aml.partner_id, st_line.payment_ref)
            )
        for aml in (amls - credits).sorted(lambda line: (line.date, line.id)):
            take = currency.round(min(abs(aml.amount_residual), max(available, 0.0)))
            if currency.is_zero(take):
                break
            available -= take
            pairs.append((len(vals), aml))
            vals.append(self._line_vals(st_line, aml.account_id, -sign * take, aml.partner_id, st_line.payment_ref))
        for account, balance, label, partner in write_offs:
            vals.append(self._line_vals(st_line, account, balance, partner, label or st_line.payment_ref))
        left = currency.round(-(open_amount + sum(v["balance"] for v in vals)))
        if not currency.is_zero(left):
            vals.append(self._line_vals(st_line, st_line.journal_id.suspense_account_id, left, st_line.partner_id))
        return vals, pairs

    @api.model
    def _line_vals(self, st_line, account, balance, partner, label=None):
        return {
            "move_id": st_line.move_id.id,
            "account_id": account.id,
            "partner_id": partner.id if partner else False,
            "name": label or st_line.payment_ref,
            "currency_id": st_line.company_id.currency_id.id,
            "balance": balance,
            "amount_currency": balance,
        }

    @api.model
    def _prepare_booking(self, st_line, amls, write_offs=()):
        """Check that ``st_line`` can take ``amls``; return its suspense item, the new line values and the pairs."""
        suspense = self._check_matchable(st_line)
        foreign = amls.filtered(lambda aml: aml.company_id != st_line.company_id or aml.reconciled)
        if foreign:
            raise UserError(self.env._("Journal items %s are reconciled or of another company.", foreign.ids))
        vals, pairs = self._counterpart_vals(st_line, amls, list(write_offs))
        return suspense, vals, pairs

    @api.model
    def _in_place(self, suspense, vals, pairs):
        """The values that make the suspense item itself the booking's one counterpart; None when it cannot.

        When one journal item takes the line's whole amount, with no fee or
        write-off, the counterpart would be the suspense item on another
        account: it is rewritten (account, partner, label) instead of deleted
        for a new one, which computes far fewer fields and leaves one
        "updated" message in the chatter instead of "deleted" and "created".
        """
        if len(suspense) != 1 or len(vals) != 1 or len(pairs) != 1:
            return None
        new = vals[0]
        if suspense.company_id.currency_id.compare_amounts(new["balance"], suspense.balance):
            return None
        current = suspense._convert_to_write({name: suspense[name] for name in ("account_id", "partner_id", "name")})
        return {name: new[name] for name in current if (new[name] or False) != (current[name] or False)}

    @api.model
    def _book(self, st_line, amls, write_offs=()):
        """Book ``amls`` on ``st_line`` (see the class); return the counterparts and the pairs still to reconcile."""
        suspense, vals, pairs = self._prepare_booking(st_line, amls, write_offs)
        move = st_line.move_id.with_context(skip_readonly_check=True, force_delete=True)
        rewrite = self._in_place(suspense, vals, pairs)
        if rewrite is not None:
            move.write({"line_ids": [Command.update(suspense.id, rewrite)]})
            return suspense, [suspense + pairs[0][1]]
        before = move.line_ids
        move.write({"line_ids": [Command.delete(suspense.id)] + [Command.create(v) for v in vals]})
        created = (move.line_ids - before).sorted("id")
        return created, [created[index] + aml for index, aml in pairs]

    @api.model
    def _book_many(self, bookings):
        """Write prepared ``(st_line, suspense, vals, pairs)`` bookings at once; return the pairs to reconcile.

        What ``_book`` does for one line, as ``account.move.write`` does it, but
        with one ``create`` of every counterpart, one ``write`` per distinct
        values of the suspense items rewritten in place (``_in_place``) and one
        ``unlink`` of the other suspense items, for all the moves: the ORM then
        flushes, recomputes and checks the balance once per run instead of once
        per line (most of a line's cost).  The statement lines are synchronized
        from their moves afterwards, as ``write`` does, inside the same balance
        check; the chatter trail Odoo posts item by item is posted for the run
        at once.
        """
        if not bookings:
            return []
        # Plain ids, not ``st_lines.move_id``: the unlink below empties the cache, and records whose prefetch set
        # is lazily derived from cached values would then be read back one by one.
        moves = self.env["account.move"].browse([st_line.move_id.id for st_line, *_rest in bookings])
        rewrites = [self._in_place(suspense, vals, pairs) for _st_line, suspense, vals, pairs in bookings]
        replaced = [booking for booking, rewrite in zip(bookings, rewrites, strict=True) if rewrite is None]
        # Not synchronized line by line: a move holds its old and new suspense items until the unlink.
        # Not tracked item by item either: the trail is posted for the whole run below.
        quiet = {
            "skip_readonly_check": True,
            "force_delete": True,
            "skip_account_move_synchronization": True,
            "tracking_disable": True,
        }
        # Odoo's balance and dynamic-line checks read every line of every move; the user's rights on the lines
        # were checked by ``_prepare_booking`` and the create below.
        checked = moves.sudo().with_context(**quiet)
        container = {"records": checked}
        with checked._check_balanced(container):
            with checked._sync_dynamic_lines(container):
                Line = self.env["account.move.line"].with_context(**quiet)
                created = Line.create(self._without_analytic_search(moves, [v for b in replaced for v in b[2]]))
                # Odoo posts it unless the caller disabled tracking (imports, tests).
                tracked = not self.env.context.get("tracking_disable")
                trail = self._rewrite_many(Line, moves, bookings, rewrites, tracked)
                suspense = Line.union(*(suspense for _st_line, suspense, _vals, _pairs in replaced))
                if tracked:
                    trail += suspense._fusion_trail("deleted") + created._fusion_trail("created")
                suspense.unlink()
                # As ``account.move.write`` marks an entry whose lines it changed.
                checked.write({"is_manually_modified": True})
            moves._synchronize_business_models({"line_ids"})
        self.env["account.move.line"]._fusion_post_trail(trail)
        created = created.with_env(self.env)  # the reconciliation must not inherit the quiet context
        pairs, offset = [], 0
        for (_st_line, suspense, vals, line_pairs), rewrite in zip(bookings, rewrites, strict=True):
            if rewrite is not None:
                pairs.append((suspense.with_env(self.env), line_pairs[0][1]))
                continue
            pairs += [(created[offset + index], aml) for index, aml in line_pairs]
            offset += len(vals)
        # One prefetch set for the reconciliation, which reads each pair's amounts and dates.
        prefetch = [counterpart.id for counterpart, _aml in pairs] + [aml.id for _counterpart, aml in pairs]
        return [(counterpart + aml).with_prefetch(prefetch) for counterpart, aml in pairs]

    @api.model
    def _rewrite_many(self, Line, moves, bookings, rewrites, tracked):
        """Write the ``rewrites`` (of :meth:`_in_place`) on their suspense items, one ``write`` per distinct values.

        ``Line`` is ``account.move.line`` in the booking's quiet context.  Returns
        the chatter trail of the writes, when ``tracked``.
        """
        groups = defaultdict(list)
        for (_st_line, suspense, _vals, _pairs), rewrite in zip(bookings, rewrites, strict=True):
            if rewrite is not None:
                groups[tuple(sorted(rewrite.items()))].append(suspense.id)
        if not groups:
            return []
        items = Line.browse([item_id for item_ids in groups.values() for item_id in item_ids])
        before = items._fusion_tracked_values({name for values in groups for name, _value in values}) if tracked else {}
        values_list = self._without_analytic_search(moves, [dict(values) for values in groups])
        for values, item_ids in zip(values_list, groups.values(), strict=True):
            Line.browse(item_ids).write(values)
        return items._fusion_trail("updated", before) if tracked else []

    @api.model
    def _without_analytic_search(self, moves, vals_list):
        """``vals_list``, saying "no analytic distribution" when no distribution model can give one.

        Odoo computes a new item's distribution from the analytic distribution
        models, with one search per partner and account: most of a batch's
        queries, for nothing when the companies have no such model.
        """
        Model = self.env["account.analytic.distribution.model"].sudo()
        if Model.search_count([("company_id", "in", [False, *moves.company_id.ids])], limit=1):
            return vals_list
        return [{**vals, "analytic_distribution": False} for vals in vals_list]

    @api.model
    def _match(self, st_line, amls, write_offs=()):
        """Book ``amls`` (and ``write_offs``) on ``st_line`` and reconcile; returns the new counterpart items."""
        created, plan = self._book(st_line, amls, write_offs)
        self._reconcile(plan)
        return created

    @api.model
    def _reconcile(self, plan):
        """Reconcile the recordsets of ``plan`` as Odoo's ``_reconcile_plan``, without re-syncing the items' entries.

        ``_reconcile_plan`` runs inside ``_check_balanced`` and
        ``_sync_dynamic_lines`` over every entry an item belongs to (each
        invoice being paid): it reads all their lines before and after, to
        re-sync taxes, terms and partners and re-check balances.  Reconciling
        changes none of those: it writes residuals, matching numbers and full
        reconciles, and books exchange differences and cash basis as new
        entries, which ``create`` syncs and checks on its own here (inside the
        wrapper they are not).  The re-sync was 22 s of Odoo's 49 s of
        reconciliation at a million journal items; a test compares the
        books this leaves with those ``_reconcile_plan`` leaves.
        """
        if not plan:
            return
        Line = self.env["account.move.line"]
        plan_list, items = Line._optimize_reconciliation_plan(plan)
        Line._reconcile_plan_with_sync(plan_list, items)

    @api.model
    def _fee_write_off(self, st_line, fee):
        """A card batch's fee as a write-off on the company's card fee account."""
        account = self.env["fusion.account.roles"]._account(st_line.company_id, "card_fee")
        if not account:
            raise UserError(self.env._("Set the card processing fee account in the Fusion settings."))
        label = self.env._("Card processing fee")
        return [(account, fee, label, st_line.partner_id)]

    @api.model
    def _suggestion_parts(self, st_line, suggestion, records):
        """The journal items of a suggestion, and its fee as a write-off."""
        amls = self.env["account.move.line"].union(*(records[item_id] for item_id in suggestion.item_ids))
        write_offs = self._fee_write_off(st_line, from_cents(suggestion.fee)) if suggestion.fee else []
        return amls, write_offs

    @api.model
    def _book_suggestion(self, st_line, suggestion, records):
        return self._book(st_line, *self._suggestion_parts(st_line, suggestion, records))

    @api.model
    def _unmatch(self, st_lines):
        """Undo what is booked on the lines: items open again, the lines back in suspense.

        ``action_undo_reconciliation`` writes the statement lines themselves,
        which on Community only ``account.group_account_basic`` may do: an
        accounting Administrator, who implies Invoicing but not Basic, may
        change every journal item and reconciliation the undo changes, yet
        would get an AccessError.  So, as ``_book_many`` runs Odoo's checks,
        the undo runs as superuser once ``_check_undoable`` has checked the
        user's own rights on what it changes; the uid stays the user's, so
        ``write_uid`` and the chatter name them.
        """
        self._check_undoable(st_lines)
        undo = st_lines.sudo()
        undo.action_undo_reconciliation()
        # Flushed now, by this user: the lines' recomputed residual and reconciled flag would otherwise be written
        # by whoever flushes the transaction, and name them in ``write_uid``.
        undo.flush_recordset()

    @api.model
    def _check_undoable(self, st_lines):
        """Refuse, in a sentence, an undo the user could not make with their own rights (see ``_unmatch``)."""
        # Read as superuser: another company's line is refused in words, not by a record rule's AccessError.
        if st_lines.sudo().company_id - self.env.companies:
            raise UserError(self.env._("This statement line belongs to a company you cannot access."))
        items = st_lines.line_ids
        try:
            st_lines.move_id.check_access("write")
            # ``create`` too: the undo replaces the items with a suspense item of the same entry.
            for operation in ("write", "unlink", "create"):
                items.check_access(operation)
            (items.matched_debit_ids | items.matched_credit_ids).check_access("unlink")
            items.full_reconcile_id.check_access("unlink")
            st_lines.payment_ids.check_access("unlink")
        except AccessError:
            raise UserError(
                self.env._(
                    "You may not undo the match of %(lines)s: it changes journal items and reconciliations"
                    " you are not allowed to change.",
                    lines=", ".join(st_lines.mapped("display_name")),
                )
            ) from None

    @api.model
    def _book_all(self, chosen, records, isolate):
        """Book every ``(statement line, suggestion)``; with ``isolate``, a line that fails is skipped.

        Returns ``(matched, to_reconcile, failed)``.  Every line is checked
        first (a line refused there, e.g. for want of a fee account, goes to
        ``failed``), then all are written together by ``_book_many``.  When
        the database refuses that batch (a lock date, a constraint), the lines
        are booked one by one to find the culprits.
        """
        bookings, failed = [], {}
        for st_line, suggestion in chosen:
            try:
                parts = self._suggestion_parts(st_line, suggestion, records)
                bookings.append((st_line, *self._prepare_booking(st_line, *parts)))
            except UserError as error:
                if not isolate:
                    raise
                failed[st_line.id] = str(error)
        booked = [(st_line, suggestion) for st_line, suggestion in chosen if st_line.id not in failed]
        if not isolate:
            return [(st_line.id, suggestion) for st_line, suggestion in booked], self._book_many(bookings), failed
        try:
            with self.env.cr.savepoint():
                to_reconcile = self._book_many(bookings)
        except UserError:
            matched, to_reconcile, refused = self._book_one_by_one(booked, records)
            return matched, to_reconcile, {**failed, **refused}
        return [(st_line.id, suggestion) for st_line, suggestion in booked], to_reconcile, failed

    @api.model
    def _book_one_by_one(self, chosen, records):
        """``_book_all`` line by line, each in its own savepoint: slow, only to isolate what the batch could not."""
        matched, to_reconcile, failed = [], [], {}
        for st_line, suggestion in chosen:
            try:
                with self.env.cr.savepoint():
                    _created, pairs = self._book_suggestion(st_line, suggestion, records)
            except UserError as error:
                failed[st_line.id] = str(error)
                continue
            to_reconcile += pairs
            matched.append((st_line.id, suggestion))
        return matched, to_reconcile, failed

    @api.model
    def _auto_reconcile(self, st_lines):
        """Match every line the pure engine is sure of.

        Returns ``(matched, left, failed)``: ``(line id, suggestion)`` pairs
        booked, the suggestions of each line left for review, and the error
        of each line that could not be booked.
        """
        st_lines = st_lines.filtered(lambda line: not line.is_reconciled)
        items, records = self._open_items(st_lines)
        plan = plan_auto_reconcile(
            [self._bank_line(line) for line in st_lines], items, self._policy(), self._partner_names(items)
        )
        chosen = [(st_line, plan.matches[st_line.id]) for st_line in st_lines if st_line.id in plan.matches]
        matched, to_reconcile, failed = self._book_all(chosen, records, isolate=True)
        # One reconciliation for the whole run: Odoo batches it far better than line by line.
        self._reconcile(to_reconcile)
        return matched, plan.left, failed
