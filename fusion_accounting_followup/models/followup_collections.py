"""Promises to pay and disputes: the engine's writes for them, the holds the plan reads, the daily check.

A promise and a dispute are *inputs of the plan* (``services/followup_plan.py``):
``_holds_by_partner`` reads, for a batch of partners in one query each, the
latest promised date of their open promises and the journal items of their
disputed invoices; ``_plan`` passes them in, so the engine's sends, the scan
and the wizard all skip a promised partner and leave a disputed invoice out of
levels, texts, letters and amounts.  The daily check (``_check_promises``, run by
the scan's cron before the scan) judges every open promise with the pure
``judge_promise`` and escalates a broken one by one level.
"""

import json
import logging
from collections import namedtuple
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from ..services.followup_plan import chased_items
from ..services.promise_policy import PromiseFacts, PromiseVerdict, escalation_level, judge_promise
from ..services.reply_extractor import extract_reply
from .followup_engine import FOLLOWUP_READ, FOLLOWUP_WRITE
from .followup_human import HumanAction

_logger = logging.getLogger(__name__)
Holds = namedtuple("Holds", "promised_until disputed")
NO_HOLDS = Holds(None, frozenset())
RECORD_PROMISE = HumanAction("followup_record_promise", 2)
RECORD_DISPUTE = HumanAction("followup_record_dispute", 2)
RESOLVE_DISPUTE = HumanAction("followup_resolve_dispute", 2)
REJECT_PROPOSAL = HumanAction("followup_reject_proposal", 2)
MAX_LIST = 200


class FusionFollowupCollections(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    # ------------------------------------------------------------------ holds (plan inputs)
    @api.model
    def _holds_by_partner(self, partner_ids):
        """``{partner_id: Holds}`` in the current company: the latest open promised date, the disputed line ids."""
        if not partner_ids:
            return {}
        self.env["fusion.followup.promise"].flush_model(["partner_id", "company_id", "state", "promised_date"])
        self.env["fusion.followup.dispute"].flush_model(["move_id", "company_id", "state"])
        company_id, partner_ids = self.env.company.id, list(partner_ids)
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, MAX(promised_date) FROM fusion_followup_promise
                    WHERE state = 'open' AND company_id = %s AND partner_id = ANY(%s) GROUP BY partner_id""",
                company_id,
                partner_ids,
            )
        )
        promised = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                """SELECT aml.partner_id, ARRAY_AGG(aml.id) FROM fusion_followup_dispute d
                     JOIN account_move_line aml ON aml.move_id = d.move_id
                    WHERE d.state = 'open' AND d.company_id = %s AND aml.partner_id = ANY(%s)
                    GROUP BY aml.partner_id""",
                company_id,
                partner_ids,
            )
        )
        disputed = {partner_id: frozenset(line_ids) for partner_id, line_ids in self.env.cr.fetchall()}
        return {
            partner_id: Holds(promised.get(partner_id), disputed.get(partner_id, frozenset()))
            for partner_id in set(promised) | set(disputed)
        }

    def _covered_residual(self, partner, invoices):
        """What a promise covers now, in company currency: the invoices' receivable residual, else the open balance."""
        ledger = self.env["fusion.followup.ledger"]
        if invoices:
            lines = invoices.sudo().line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            return ledger._decimal(sum(lines.mapped("amount_residual")))
        holds = self._holds_by_partner([partner.id]).get(partner.id, NO_HOLDS)
        items = chased_items(ledger._open_items(partner.id), holds.disputed)
        return sum((item.amount_residual for item in items), Decimal(0))

    def _refresh_status(self, partner):
        """Store the status the partner's plan gives now (a promise or a dispute changes it)."""
        planned = self._plan(partner)
        self._write_grouped({partner: self._status_values(partner, planned.plan.status, planned.plan.clears_pause)})

    # ------------------------------------------------------------------ writes
    def _invoices_of(self, partner, invoice_ids):
        invoices = self.env["account.move"].browse(list(invoice_ids or ())).exists()
        wrong = invoices.filtered(
            lambda move: (
                move.commercial_partner_id != partner
                or move.company_id != self.env.company
                or move.move_type != "out_invoice"
                or move.state != "posted"
            )
        )
        if wrong or len(invoices) != len(set(invoice_ids or ())):
            raise UserError(
                self.env._(
                    "Invoices %(ids)s are not posted customer invoices of %(partner)s in this company.",
                    ids=sorted(set(invoice_ids or ()) - set((invoices - wrong).ids)),
                    partner=partner.display_name,
                )
            )
        return invoices

    def _message(self, partner, message_id):
        if not message_id:
            return self.env["mail.message"]
        message = self.env["mail.message"].sudo().browse(message_id).exists()
        if not message or message.model != "res.partner" or message.res_id not in (partner | partner.child_ids).ids:
            raise UserError(self.env._("Message %s is not on this customer's chatter.", message_id))
        return message

    @api.model
    def record_promise(self, partner, promised_date, *, amount=None, invoice_ids=None, message_id=None, quote=None):
        """Record a promise to pay: the partner is not chased through ``promised_date``."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        if not promised_date:
            raise ValidationError(self.env._("A promise to pay needs the date the customer promised."))
        invoices = self._invoices_of(partner, invoice_ids)
        promise = (
            self.env["fusion.followup.promise"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "invoice_ids": [(6, 0, invoices.ids)],
                    "promised_date": fields.Date.to_date(promised_date),
                    "amount": float(amount) if amount else False,
                    "source_message_id": self._message(partner, message_id).id,
                    "quote": quote or False,
                    "user_id": self.env.uid,
                }
            )
        )
        partner.sudo()._message_log(
            body=self.env._(
                "Promise to pay %(amount)s by %(date)s recorded; follow-ups wait until then.",
                amount=promise.amount,
                date=promise.promised_date,
            )
        )
        self._refresh_status(partner)
        return self._promise_dict(promise)

    @api.model
    def record_dispute(self, invoice_id, reason, *, owner_id=None, message_id=None, quote=None):
        """Record a dispute on a customer invoice: it leaves the chase and the amounts until resolved."""
        self._check_right(FOLLOWUP_WRITE)
        if not invoice_id:
            raise ValidationError(self.env._("A dispute needs the invoice it is about."))
        invoice = self.env["account.move"].browse(int(invoice_id)).exists()
        if not invoice or not invoice.has_access("read"):
            raise UserError(self.env._("Invoice %s does not exist.", invoice_id))
        partner = self._partner(invoice.commercial_partner_id)
        self._invoices_of(partner, [invoice.id])
        if not (reason or "").strip():
            raise ValidationError(self.env._("A dispute needs a reason."))
        Dispute = self.env["fusion.followup.dispute"].sudo()
        if Dispute.search_count([("move_id", "=", invoice.id), ("state", "=", "open")], limit=1):
            raise UserError(self.env._("%s is already disputed; resolve that dispute first.", invoice.name))
        owner = self.env["res.users"].browse(owner_id).exists() if owner_id else self.env.user
        dispute = Dispute.create(
            {
                "move_id": invoice.id,
                "reason": reason.strip(),
                "owner_id": owner.id,
                "source_message_id": self._message(partner, message_id).id,
                "quote": quote or False,
            }
        )
        partner.sudo()._message_log(
            body=self.env._("%(invoice)s disputed: %(reason)s", invoice=invoice.name, reason=dispute.reason)
        )
        self._refresh_status(partner)
        return self._dispute_dict(dispute)

    @api.model
    def resolve_dispute(self, dispute_id, resolution=None):
        """Close an open dispute: its invoice is chased again from the next scan."""
        self._check_right(FOLLOWUP_WRITE)
        dispute = self.env["fusion.followup.dispute"].browse(int(dispute_id)).exists()
        if not dispute or not dispute.has_access("read") or dispute.company_id != self.env.company:
            raise UserError(self.env._("Dispute %s does not exist.", dispute_id))
        if dispute.state != "open":
            raise UserError(self.env._("This dispute is already resolved."))
        dispute.sudo().write({"state": "resolved", "resolved_on": self._today(), "resolution": resolution or False})
        partner = dispute.partner_id
        partner.sudo()._message_log(body=self.env._("Dispute on %s resolved.", dispute.move_id.name))
        self._refresh_status(partner)
        return self._dispute_dict(dispute)

    # ------------------------------------------------------------------ a person's buttons (logged)
    @api.model
    def human_record_promise(self, partner, promised_date, **terms):
        """The Record button of a promise (``terms``: those of :meth:`record_promise`), logged."""
        amount = terms.get("amount")
        result = self.record_promise(partner, promised_date, **terms)
        arguments = {"partner_id": result["partner_id"], "promised_date": result["promised_date"], "amount": amount}
        return self._log_human(RECORD_PROMISE, arguments, result)

    @api.model
    def human_record_dispute(self, invoice_id, reason, **details):
        """The Record button of a dispute (``details``: those of :meth:`record_dispute`), logged."""
        result = self.record_dispute(invoice_id, reason, **details)
        arguments = {"partner_id": result["partner_id"], "invoice_id": result["invoice_id"], "reason": reason}
        return self._log_human(RECORD_DISPUTE, arguments, result)

    @api.model
    def human_resolve_dispute(self, dispute_id, resolution=None):
        """The Resolve button, logged."""
        result = self.resolve_dispute(dispute_id, resolution)
        return self._log_human(RESOLVE_DISPUTE, {"partner_id": result["partner_id"], "dispute_id": dispute_id}, result)

    # ------------------------------------------------------------------ reads
    @api.model
    def list_collections(self, partner=None, state="open", limit=50):
        """The promises and disputes of the current company (of ``partner`` when given), newest first."""
        self._check_right(FOLLOWUP_READ)
        domain = [("company_id", "=", self.env.company.id)]
        if partner:
            domain.append(("partner_id", "=", self._partner(partner).id))
        limit = max(1, min(int(limit), MAX_LIST))
        promises = (
            self.env["fusion.followup.promise"]
            .sudo()
            .search(domain + ([("state", "=", state)] if state in ("open", "kept", "broken") else []), limit=limit)
        )
        disputes = (
            self.env["fusion.followup.dispute"]
            .sudo()
            .search(domain + ([("state", "=", state)] if state in ("open", "resolved") else []), limit=limit)
        )
        return {
            "promises": [self._promise_dict(promise) for promise in promises],
            "disputes": [self._dispute_dict(dispute) for dispute in disputes],
        }

    def _promise_dict(self, promise):
        return {
            "id": promise.id,
            "partner_id": promise.partner_id.id,
            "partner": promise.partner_id.display_name,
            "promised_date": promise.promised_date.isoformat(),
            "amount": str(self.env["fusion.followup.ledger"]._decimal(promise.amount)),
            "invoices": promise.invoice_ids.mapped("name"),
            "state": promise.state,
            "quote": promise.quote or "",
        }

    def _dispute_dict(self, dispute):
        return {
            "id": dispute.id,
            "partner_id": dispute.partner_id.id,
            "invoice_id": dispute.move_id.id,
            "invoice": dispute.move_id.name,
            "reason": dispute.reason,
            "owner": dispute.owner_id.name or "",
            "state": dispute.state,
            "quote": dispute.quote or "",
        }

    # ------------------------------------------------------------------ from the customer's replies
    @api.model
    def reply_proposals(self, partner, limit=20):
        """Promises and disputes the customer's recent e-mails on its chatter propose (nothing is recorded).

        The deterministic extractor (``services/reply_extractor.py``) reads each incoming
        e-mail not yet the source of a promise or a dispute; a person accepts, edits or rejects.
        """
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        sources = [
            self.env[model].sudo().search([("partner_id", "=", partner.id)]).source_message_id.ids
            for model in ("fusion.followup.promise", "fusion.followup.dispute")
        ]
        rejected = (
            self.env["fusion.accounting.match.history"]
            .sudo()
            .search([("tool_name", "=", REJECT_PROPOSAL.name), ("partner_id", "=", partner.id)])
        )
        sources.append([json.loads(row.tool_params or "{}").get("message_id") for row in rejected])
        used = [message_id for ids in sources for message_id in ids if message_id]
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", (partner | partner.child_ids).ids),
                    ("message_type", "=", "email"),
                    ("author_id.user_ids", "=", False),  # the customer wrote it, not one of our users
                    ("id", "not in", used),
                ],
                order="date desc, id desc",
                limit=max(1, min(int(limit), MAX_LIST)),
            )
        )
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ]
            )
        )
        by_ref = {invoice.name: invoice.id for invoice in invoices}
        proposals = []
        for message in messages:
            text = html2plaintext(message.body or "")
            for proposal in extract_reply(text, self._today(), invoice_refs=list(by_ref), lang=partner.lang or ""):
                proposals.append(
                    {
                        "message_id": message.id,
                        "kind": proposal.kind,
                        "quote": proposal.quote,
                        "promised_date": proposal.promised_date and proposal.promised_date.isoformat(),
                        "amount": str(proposal.amount) if proposal.amount is not None else None,
                        "invoice_ids": [by_ref[ref] for ref in proposal.invoice_refs],
                        "reason": proposal.reason,
                    }
                )
        return proposals

    @api.model
    def human_reject_proposal(self, partner, message_id, quote=""):
        """A person rejects a proposal drawn from a reply: logged, nothing else changes."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        arguments = {"partner_id": partner.id, "message_id": message_id, "quote": quote or None}
        return self._log_human(REJECT_PROPOSAL, arguments, {"rejected": True})

    # ------------------------------------------------------------------ the daily check
    @api.model
    def _check_promises(self):
        """Judge every open promise of the current company today; escalate the broken ones one level.

        Each promise is its own savepoint: one that fails is logged and left open for tomorrow.
        Returns ``{"kept": n, "broken": n, "open": n}``.
        """
        today = self._today()
        counts = {verdict.value: 0 for verdict in PromiseVerdict}
        promises = (
            self.env["fusion.followup.promise"]
            .sudo()
            .search([("company_id", "=", self.env.company.id), ("state", "=", "open")], order="promised_date, id")
        )
        for promise in promises:
            try:
                with self.env.cr.savepoint():
                    verdict = self._judge(promise, today)
            except Exception:  # isolate the promise: the others are still judged
                _logger.exception("Follow-up promise check failed for promise %s", promise.id)
                continue
            counts[verdict.value] += 1
        return counts

    def _judge(self, promise, today):
        partner = promise.partner_id
        facts = PromiseFacts(
            promised_on=promise.promised_date,
            amount=self.env["fusion.followup.ledger"]._decimal(promise.amount),
            residual_at_promise=self.env["fusion.followup.ledger"]._decimal(promise.residual_at_promise),
            residual_now=self._covered_residual(partner, promise.invoice_ids),
        )
        verdict = judge_promise(facts, today)
        if verdict is PromiseVerdict.OPEN:
            return verdict
        promise.write({"state": verdict.value, "closed_on": today})
        if verdict is PromiseVerdict.KEPT:
            partner._message_log(body=self.env._("Promise to pay by %s kept.", promise.promised_date))
            return verdict
        partner._message_log(body=self.env._("Promise to pay by %s broken.", promise.promised_date))
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        level = escalation_level(ladder, partner.fusion_followup_last_level_id.id or None)
        if level is not None:
            promise.escalation_run_id = self._send(partner, records[level.id], force=True, trigger="escalation")
        return verdict
