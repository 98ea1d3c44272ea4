"""A level's channels beside the e-mail: SMS, printed letter, call activity, statement and pay-now links.

The one send path (``_send_plans``) hands its runs here once they exist:
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

from odoo import api, models

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


class FusionFollowupChannels(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    # ------------------------------------------------------------------ after a send
    def _deliver_channels(self, plans, runs):
        """The other channels of the sent ``plans`` (``runs``: their runs, in the same order)."""
        sent = [(planned, run) for planned, run in zip(plans, runs, strict=True) if run.state == "sent"]
        if not sent:
            return
        sms_available = module_installed(self.env, "sms")
        letters = runs.browse([run.id for planned, run in sent if planned.level.fusion_channel_letter])
        letters.write({"fusion_letter_state": "to_print"})
        for planned, run in sent:
            level = planned.level
            if level.fusion_channel_sms and sms_available:
                self._isolated(run, "fusion_sms_state", lambda p=planned: self._send_sms(p))
            if level.fusion_channel_activity:
                self._isolated(run, None, lambda p=planned, r=run: self._schedule_call(p, r))
            if level.fusion_attach_statement and run.mail_id:
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
        number = partner.phone_sanitized or partner.phone  # phone_validation's field (sms depends on it)
        if not number:
            return "no_number"
        items = planned.overdue.overdue_items
        body = sms_text(
            self.env.company.name,
            sum((item.amount_residual for item in items), 0),
            planned.overdue.currency,
            [item.reference for item in items],
            partner.lang or "",
        )
        # sudo: the engine writes with a controlled sudo; a follow-up user needs no write right on partners.
        partner.sudo()._message_sms(body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number})
        return "queued"

    def _schedule_call(self, planned, run):
        user = planned.partner._fusion_followup_person() or planned.level.fusion_activity_user_id
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
            user = planned.partner._fusion_followup_person() or planned.level.fusion_activity_user_id
            if user:
                summary = self.env._("Review follow-up %s before it is sent", planned.level.name)
                self._activity(planned.partner, TODO, user, summary)

    # ------------------------------------------------------------------ letters and statements
    @api.model
    def _letter(self, partner):
        """What ``partner``'s printed letter says now: the level, its text, the chased items with days late."""
        planned = self._plan(partner)
        level = planned.level or partner.sudo().fusion_followup_last_level_id
        if not level:
            ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
            level = records[ladder.levels[0].id] if ladder.levels else level
        overdue = planned.overdue
        rows = letter_rows(overdue.items, overdue.today)
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
        links = self._pay_links(rows, partner)
        return {
            "level": level.name if level else "",
            "paragraphs": paragraphs,
            "rows": [
                {
                    "reference": row.reference,
                    "date_maturity": row.date_maturity,
                    "days_late": row.days_late,
                    "amount": float(row.amount),
                    "pay_link": links.get(row.reference, ""),
                }
                for row in rows
            ],
            "total": float(sum((row.amount for row in rows), 0)),
            "today": overdue.today,
        }

    @api.model
    def _statement(self, partner):
        """The partner's statement: every open item (disputed ones apart), the last payments, the balance."""
        planned = self._plan(partner)
        overdue = planned.overdue
        payments = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("credit", ">", 0),
                ],
                order="date desc, id desc",
                limit=10,
            )
        )
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

    def _pay_links(self, rows, partner):
        """``{invoice reference: portal URL}`` to pay online, when the Community ``account_payment`` app is there."""
        if not rows or not module_installed(self.env, "account_payment"):
            return {}
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("name", "in", [row.reference for row in rows]),
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                ]
            )
        )
        return {invoice.name: invoice.get_base_url() + invoice.get_portal_url() for invoice in invoices}

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
