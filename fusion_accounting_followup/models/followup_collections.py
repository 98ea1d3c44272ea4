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
from collections import defaultdict, namedtuple
from decimal import Decimal

from markupsafe import Markup

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
REPLY_ACTIVITY = "fusion_accounting_followup.mail_activity_type_reply"


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
        """The source message of a promise or a dispute: on the customer's chatter or on one of its invoices'."""
        if not message_id:
            return self.env["mail.message"]
        message = self.env["mail.message"].sudo().browse(message_id).exists()
        on_partner = message.model == "res.partner" and message.res_id in (partner | partner.child_ids).ids
        on_invoice = (
            message.model == "account.move"
            and self.env["account.move"].sudo().browse(message.res_id).commercial_partner_id == partner
        )
        if not message or not (on_partner or on_invoice):
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
    def _customer_invoices(self, partners, companies, references=None):
        """The posted customer invoices of the commercial ``partners`` in ``companies`` (only ``references``, if given).

        The one search of a customer's invoices: its replies' references, its letters' pay links.
        """
        domain = [
            ("commercial_partner_id", "in", partners.ids),
            ("company_id", "in", companies.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
        ]
        if references is not None:
            domain.append(("name", "in", sorted(references)))
        return self.env["account.move"].sudo().search(domain)

    def _reply_invoices(self, partner, companies):
        """``{reference: invoices}``: the posted customer invoices of ``partner`` in ``companies`` by name.

        Each company numbers its own invoices: one reference may name an invoice in each.
        """
        by_ref = defaultdict(lambda: self.env["account.move"])
        for invoice in self._customer_invoices(partner, companies):
            by_ref[invoice.name] |= invoice
        return dict(by_ref)

    def _reply_domain(self, partner, invoice_ids):
        """Messages of the customer's chatter or of its invoices' chatters that one of its contacts wrote."""
        return [
            "|",
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", (partner | partner.child_ids).ids),
            "&",
            ("model", "=", "account.move"),
            ("res_id", "in", list(invoice_ids)),
            ("message_type", "=", "email"),
            ("author_id.user_ids", "=", False),  # the customer wrote it, not one of our users
        ]

    def _proposals_of(self, message, partner, by_ref):
        """The proposals of one customer e-mail (the deterministic extractor), as JSON-ready dicts.

        A reference names the invoice of the company the e-mail is on, when it is on an invoice.
        """
        text = html2plaintext(message.body or "")
        on_invoice = self.env["account.move"].sudo().browse(message.res_id) if message.model == "account.move" else None
        return [
            {
                "message_id": message.id,
                "kind": proposal.kind,
                "quote": proposal.quote,
                "promised_date": proposal.promised_date and proposal.promised_date.isoformat(),
                "amount": str(proposal.amount) if proposal.amount is not None else None,
                "invoice_ids": [
                    invoice.id
                    for ref in proposal.invoice_refs
                    for invoice in by_ref[ref]
                    if on_invoice is None or invoice.company_id == on_invoice.company_id
                ],
                "reason": proposal.reason,
            }
            for proposal in extract_reply(text, self._today(), invoice_refs=list(by_ref), lang=partner.lang or "")
        ]

    @api.model
    def reply_proposals(self, partner, limit=20):
        """Promises and disputes the customer's recent e-mails propose (nothing is recorded).

        The deterministic extractor (``services/reply_extractor.py``) reads each e-mail of the
        customer on its chatter or on its invoices' not yet the source of a promise, a dispute or a
        rejection; a person accepts, edits or rejects.
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
        # Every selected company: the customer's e-mail on an invoice of any of its sections, not only the current one.
        by_ref = self._reply_invoices(partner, self.env.companies)
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    *self._reply_domain(partner, [i for invoices in by_ref.values() for i in invoices.ids]),
                    ("id", "not in", used),
                ],
                order="date desc, id desc",
                limit=max(1, min(int(limit), MAX_LIST)),
            )
        )
        return [proposal for message in messages for proposal in self._proposals_of(message, partner, by_ref)]

    @api.model
    def _reply_company(self, message, partner):
        """The company a customer's e-mail on its own chatter is about: the one that last chased it, if any.

        An incoming e-mail carries no company (and Odoo re-parents a reply to the thread's first
        message); the latest follow-up sent to the customer does.  Else the partner's company, else
        the current one.
        """
        run = (
            self.env["fusion.followup.run"]
            .sudo()
            .search(
                [("partner_id", "=", partner.commercial_partner_id.id), ("state", "=", "sent")],
                order="run_date desc, id desc",
                limit=1,
            )
        )
        return run.company_id or partner.company_id or self.env.company

    @api.model
    def _reply_arrived(self, message, partner):
        """An e-mail was posted on ``partner`` or one of its invoices: read it when the customer wrote it.

        Never fails the mail gateway: an error is logged and the e-mail stays as it arrived.
        """
        if message.message_type != "email" or message.author_id.user_ids:
            return []
        try:
            with self.env.cr.savepoint():
                return self._read_reply(message, partner)
        except Exception:  # the customer's e-mail must never be lost to a proposal
            _logger.exception("Reading the customer reply %s failed", message.id)
            return []

    def _read_reply(self, message, partner):
        """A customer's e-mail just arrived on ``partner`` or one of its invoices: propose what it says.

        The extractor's proposals are noted on the customer's chatter under the quoted sentence,
        and its collector (else salesperson) gets a to-do to review them (accept, edit or reject
        from "Read Replies"); nothing is recorded until then.  The configured model is not called
        on arrival: the co-pilot reads replies on demand through its tool (``followup_reply_proposals``).
        """
        # In this env's company (the gateway's env has none of its own): its collector, its invoices.
        partner = partner.with_env(self.env).commercial_partner_id
        proposals = self._proposals_of(message, partner, self._reply_invoices(partner, self.env.company))
        if not proposals:
            return []
        lines = [self._proposal_sentence(proposal) for proposal in proposals]
        partner._message_log(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("This e-mail of the customer proposes (review it with Read Replies):"),
                Markup().join(Markup("<li>%s</li>") % line for line in lines),
            )
        )
        user = partner._fusion_followup_person()
        if user:
            self._activity(partner, REPLY_ACTIVITY, user, self.env._("Review the customer's reply: %s", lines[0]))
        return proposals

    def _proposal_sentence(self, proposal):
        if proposal["kind"] == "promise":
            return self.env._(
                "a promise to pay %(amount)s by %(date)s: “%(quote)s”",
                amount=proposal["amount"] or self.env._("the balance"),
                date=proposal["promised_date"],
                quote=proposal["quote"],
            )
        return self.env._("a dispute: “%s”", proposal["quote"])

    def _close_reply_review(self, partner):
        """Mark the reply to-do of ``partner`` done once no e-mail of the customer proposes anything more."""
        if self.reply_proposals(partner):
            return
        activity_type = self.env.ref(REPLY_ACTIVITY, raise_if_not_found=False)
        reviews = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("activity_type_id", "=", activity_type.id if activity_type else False),
                ]
            )
        )
        reviews.action_feedback(feedback=self.env._("Reviewed."))

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
