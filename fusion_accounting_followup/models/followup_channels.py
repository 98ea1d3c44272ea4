"""A level's channels beside the e-mail: SMS, printed letter, call activity, statement and pay-now links.

The one send path (``_send_plans``) e-mails only when the level's channels say so
(``LevelChannels``, carried by the plan's level) and hands its runs here once they exist:
``_deliver_channels`` texts the customer through Odoo's ``sms`` app when it is
installed (never a hard dependency), queues the letter for printing (the batch
wizard prints every queued letter as one PDF: a scan of thousands of partners
never waits on wkhtmltopdf) and schedules a call for the customer's collector,
else its salesperson, else the level's default collector.  A level that needs
a person (``requires_manual_review``) gets a review activity from the scan
instead of a send.  Each channel of each partner fails alone: its run records
what happened, the e-mail stands.
"""

import logging
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..services.followup_channels import letter_rows, sms_text
from ..services.followup_text_generator import generate_text
from ..services.tone_selector import select_tone
from .followup_engine import FOLLOWUP_WRITE  # also defines the engine before this extension of it

_logger = logging.getLogger(__name__)
LETTER_REPORT = "fusion_accounting_followup.action_report_followup_letter"
STATEMENT_REPORT = "fusion_accounting_followup.action_report_followup_statement"
CALL = "mail.mail_activity_data_call"
TODO = "mail.mail_activity_data_todo"
STATEMENT_PAYMENTS = 10  # the latest payments a statement lists


class FusionFollowupChannels(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    # ------------------------------------------------------------------ after a send
    def _deliver_channels(self, plans, runs):
        """The other channels of the sent ``plans`` (``runs``: their runs, in the same order)."""
        sent = [(planned, run) for planned, run in zip(plans, runs, strict=True) if run.state == "sent"]
        if not sent:
            return
        sms_available = module_installed(self.env, "sms")
        deliveries = [
            (planned, run, planned.plan.level.channels.deliveries(sms_available=sms_available)) for planned, run in sent
        ]
        letters = runs.browse([run.id for planned, run, does in deliveries if does.letter])
        letters.write({"fusion_letter_state": "to_print"})
        for planned, run, does in deliveries:
            if does.sms:
                self._isolated(run, "fusion_sms_state", lambda p=planned: self._send_sms(p))
            if does.activity:
                self._isolated(run, None, lambda p=planned, r=run: self._schedule_call(p, r))
            if does.statement and run.mail_id:
                self._isolated(run, None, lambda p=planned, r=run: self._attach_statement(p, r))

    def _attach_statement(self, planned, run):
        run.mail_id.attachment_ids = [(4, self._statement_attachment(planned.partner).id)]

    def _isolated(self, run, state_field, deliver):
        """Run one channel of one partner in a savepoint; a failure is logged and recorded on the run."""
        try:
            with self.env.cr.savepoint():
                outcome = deliver()
        except Exception as error:  # one channel of one partner: the e-mail and the others stand
            _logger.exception("Follow-up channel failed for run %s", run.id)
            if state_field:
                run.write({state_field: "failed", "error": f"{state_field}: {error}"})
            return
        if state_field and outcome:
            run.write({state_field: outcome})

    def _send_sms(self, planned):
        """Text the partner through Odoo's SMS app; ``queued`` or ``no_number``."""
        partner = planned.partner
        number = self._sms_number(partner)
        if not number:
            return "no_number"
        # The amount is the e-mail's and the letter's (net of past-due credits); the references name the invoices.
        body = sms_text(
            self.env.company.name,
            planned.overdue.followup_total,
            planned.overdue.currency,
            [item.reference for item in planned.overdue.overdue_items],
            partner.lang or "",
        )
        # sudo: the engine writes with a controlled sudo; a follow-up user needs no write right on partners.
        partner.sudo()._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        return "queued"

    def _sms_number(self, partner):
        return partner.phone_sanitized or partner.phone  # phone_validation's field (sms depends on it)

    def _call_person(self, planned):
        """Who gets the call or review activity of ``planned``: the collector, the salesperson, the level's default."""
        return planned.partner._fusion_followup_person() or planned.level.fusion_activity_user_id

    def _schedule_call(self, planned, run):
        user = self._call_person(planned)
        if not user:
            return None
        summary = self.env._(
            "Call about %(level)s (%(amount)s overdue)", level=planned.level.name, amount=run.amount_overdue
        )
        run.fusion_activity_id = self._activity(planned.partner, CALL, user, summary)
        return None

    def _activity(self, partner, xmlid, user, summary):
        """The partner's open activity of this type for ``user``, or a new one due today (never two)."""
        activity_type = self.env.ref(xmlid, raise_if_not_found=False) or self.env.ref(TODO)
        Activity = self.env["mail.activity"].sudo()
        found = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", activity_type.id),
                ("user_id", "=", user.id),
            ],
            limit=1,
        )
        if found:
            return found
        return Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "summary": summary,
                "user_id": user.id,
                "date_deadline": self._today(),
            }
        )

    def _review_activities(self, plans):
        """A to-do for a person on each partner the scan left for a manual review (one open at a time)."""
        for planned in plans:
            user = self._call_person(planned)
            if user:
                summary = self.env._("Review follow-up %s before it is sent", planned.level.name)
                self._activity(planned.partner, TODO, user, summary)

    # ------------------------------------------------------------------ letters and statements
    def _document_plans(self, partners, ladder, records):
        """``{partner_id: PartnerPlan}`` of the commercial ``partners`` for their letters or statements.

        Set-based, as ``res_partner._compute_fusion_followup_live``: one ledger query and one holds
        query for the whole batch (``ladder`` and ``records``: the company's levels, read once),
        so printing N letters costs no query per letter.
        """
        today = self._today()
        items = self.env["fusion.followup.ledger"]._open_items_by_partner(partners.ids)
        holds = self._holds_by_partner(partners.ids)
        return {
            partner.id: self._plan(
                partner,
                items=items.get(partner.id, []),
                ladder=ladder,
                records=records,
                today=today,
                holds=holds.get(partner.id, (None, frozenset())),
            )
            for partner in partners
        }

    @api.model
    def _letters(self, partners):
        """``{partner_id: letter}``: what each printed letter says now (see :meth:`_letter_of`)."""
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        plans = self._document_plans(partners, ladder, records)
        first = records[ladder.levels[0].id] if ladder.levels else self.env["fusion.followup.level"]
        rows = {
            partner.id: letter_rows(plans[partner.id].overdue.items, plans[partner.id].overdue.today)
            for partner in partners
        }
        links = self._pay_links(rows)
        return {
            partner.id: self._letter_of(partner, plans[partner.id], rows[partner.id], links, first)
            for partner in partners
        }

    def _letter(self, partner):
        """What ``partner``'s printed letter says now: the level, its text, the chased items with days late."""
        return self._letters(partner)[partner.id]

    def _letter_of(self, partner, planned, rows, links, first_level):
        level = planned.level or partner.sudo().fusion_followup_last_level_id or first_level
        overdue = planned.overdue
        paragraphs = []
        if level:
            tone = select_tone(level.tone, partner.sudo().fusion_followup_risk_band or "low")
            text = generate_text(self._text_request(partner, level, overdue, tone))
            # The template's own list of items ("- INV/..." lines) gives way to the letter's table.
            paragraphs = [
                "\n".join(line for line in part.split("\n") if not line.lstrip().startswith("- "))
                for part in text.body.split("\n\n")
            ]
            paragraphs = [part for part in paragraphs if part.strip()]
        return {
            "level": level.name if level else "",
            "paragraphs": paragraphs,
            "rows": [
                {
                    "reference": row.reference,
                    "date_maturity": row.date_maturity,
                    "days_late": row.days_late,
                    "amount": float(row.amount),
                    "pay_link": links.get((partner.id, row.reference), ""),
                }
                for row in rows
            ],
            "total": float(sum((row.amount for row in rows), 0)),
            "today": overdue.today,
        }

    @api.model
    def _statements(self, partners):
        """``{partner_id: statement}``: every open item (disputed ones apart), the last payments, the balance."""
        plans = self._document_plans(partners, *self.env["fusion.followup.level"]._ladder(self.env.company))
        payments = self._recent_payments(partners)
        return {partner.id: self._statement_of(plans[partner.id], payments.get(partner.id, [])) for partner in partners}

    def _statement(self, partner):
        return self._statements(partner)[partner.id]

    def _statement_of(self, planned, payments):
        overdue = planned.overdue
        return {
            "items": [
                {
                    "reference": item.reference,
                    "date_maturity": item.date_maturity,
                    "days_late": max(item.days_overdue(overdue.today), 0),
                    "amount": float(item.amount_residual),
                }
                for item in overdue.items
            ],
            "payments": [
                {"date": line.date, "reference": line.move_id.name, "amount": line.credit} for line in payments
            ],
            "balance": float(overdue.total_due),
            "overdue": float(overdue.total_overdue),
            "today": overdue.today,
        }

    def _recent_payments(self, partners, limit=STATEMENT_PAYMENTS):
        """``{partner_id: [account.move.line]}``: each partner's latest receivable credits (newest first), one query."""
        Line = self.env["account.move.line"].sudo()
        Line.flush_model(["partner_id", "company_id", "account_id", "parent_state", "credit", "date"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM (
                       SELECT aml.id, aml.partner_id, aml.date,
                              ROW_NUMBER() OVER (
                                  PARTITION BY aml.partner_id ORDER BY aml.date DESC, aml.id DESC
                              ) AS rank
                         FROM account_move_line aml
                         JOIN account_account acc ON acc.id = aml.account_id
                        WHERE aml.partner_id = ANY(%s) AND aml.company_id = %s AND acc.account_type = 'asset_receivable'
                          AND aml.parent_state = 'posted' AND aml.credit > 0
                   ) ranked
                  WHERE rank <= %s
                  ORDER BY partner_id, date DESC, id DESC""",
                partners.ids,
                self.env.company.id,
                limit,
            )
        )
        lines = Line.browse([line_id for (line_id,) in self.env.cr.fetchall()])
        by_partner = defaultdict(list)
        for line in lines:
            by_partner[line.partner_id.id].append(line)
        return by_partner

    def _pay_links(self, rows_by_partner):
        """``{(partner_id, reference): portal URL}`` to pay online, with the Community ``account_payment`` app."""
        references = {row.reference for rows in rows_by_partner.values() for row in rows}
        if not references or not module_installed(self.env, "account_payment"):
            return {}
        partners = self.env["res.partner"].browse(list(rows_by_partner))
        invoices = self._customer_invoices(partners, self.env.company, references)
        return {
            (invoice.commercial_partner_id.id, invoice.name): invoice.get_base_url() + invoice.get_portal_url()
            for invoice in invoices
        }

    @api.model
    def letters_action(self, partner_ids):
        """Print the letters of ``partner_ids`` as one PDF and mark their queued letters printed."""
        self._check_right(FOLLOWUP_WRITE)
        partners = self.env["res.partner"].browse(partner_ids).exists().mapped("commercial_partner_id")
        queued = (
            self.env["fusion.followup.run"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                    ("fusion_letter_state", "=", "to_print"),
                ]
            )
        )
        queued.write({"fusion_letter_state": "printed"})
        return self.env.ref(LETTER_REPORT).report_action(partners, config=False)

    def _statement_attachment(self, partner):
        """The statement PDF of ``partner`` as an ``ir.attachment`` (for the e-mail of a level that attaches it)."""
        # Odoo's test mode renders reports as HTML (no wkhtmltopdf workers): the attachment says which it got.
        content, kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf(STATEMENT_REPORT, partner.ids)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Statement - %(partner)s.%(ext)s", partner=partner.name, ext=kind),
                    "raw": content,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                    "res_model": "res.partner",
                    "res_id": partner.id,
                }
            )
        )
