from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services.money import to_cents
from ..services.scoring import AUTO, NEEDS_APPROVAL, Score, ScoringPolicy, demote, record_decision, reinstate
from ..services.tool_scenarios import CallFacts, promoted_call, scenarios_of
from .fusion_rule import ADMIN_GROUP, _settings_float

# Tool arguments naming the records that tell a call's scenario, and their model.
_RECORD_ARGUMENTS = {
    "statement_line_id": "account.bank.statement.line",
    "invoice_id": "account.move",
    "payment_move_id": "account.move",
    "move_line_ids": "account.move.line",
    "partner_id": "res.partner",
}
# How each model gives a record's partner and (signed) amount; a partner argument is its own partner.
_FACT_FIELDS = {
    "account.bank.statement.line": ("partner_id", "amount"),
    "account.move": ("partner_id", "amount_total_signed"),
    "account.move.line": ("partner_id", "balance"),
    "res.partner": (None, None),
}


class FusionToolScenario(models.Model):
    """Tier promotion of one (tool, scenario) pair (design 3.1).

    A tier-3 tool used in a given scenario (e.g. ``match_bank_line_to_payments``
    on ``card_batch`` lines) is promoted to tier 2 once its decisions prove it,
    with the maths of :mod:`..services.scoring` and the settings'
    threshold and minimum sample; an admin can revert the promotion.
    """

    _name = "fusion.accounting.tool.scenario"
    _description = "Fusion AI tool promotion per scenario"
    _inherit = ["mail.thread"]
    _order = "tool_name, scenario"

    tool_name = fields.Char(required=True, readonly=True, index=True)
    scenario = fields.Char(required=True, readonly=True, help="What kind of case the tool was used for.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [(NEEDS_APPROVAL, "Tier 3: needs approval"), (AUTO, "Tier 2: promoted")],
        required=True,
        default=NEEDS_APPROVAL,
        readonly=True,
        tracking=True,
    )
    effective_tier = fields.Integer(compute="_compute_effective_tier")
    held = fields.Boolean(string="Reverted by admin", readonly=True)
    total_uses = fields.Integer(readonly=True)
    total_approved = fields.Integer(readonly=True)
    total_rejected = fields.Integer(readonly=True)
    confidence_score = fields.Float(digits=(16, 3), readonly=True)

    _tool_scenario_unique = models.Constraint(
        "UNIQUE(tool_name, scenario, company_id)", "One promotion record per tool, scenario and company."
    )

    @api.depends("state")
    def _compute_effective_tier(self):
        for pair in self:
            pair.effective_tier = 2 if pair.state == AUTO else 3

    @api.model
    def _policy(self):
        return ScoringPolicy(
            threshold=_settings_float(self.env, "promotion_threshold", 0.95),
            min_sample=int(_settings_float(self.env, "min_sample_size", 30)),
        )

    @api.model
    def _pair(self, tool_name, scenario, company=None):
        company = company or self.env.company
        domain = [("tool_name", "=", tool_name), ("scenario", "=", scenario), ("company_id", "=", company.id)]
        found = self.sudo().search(domain, limit=1)
        return found or self.sudo().create({"tool_name": tool_name, "scenario": scenario, "company_id": company.id})

    @api.model
    def _effective_tier(self, tool_name, scenario, company=None):
        """3 unless the pair has been promoted: what the tier gate should use for this call."""
        company = company or self.env.company
        domain = [("tool_name", "=", tool_name), ("scenario", "=", scenario), ("company_id", "=", company.id)]
        pair = self.sudo().search(domain, limit=1)
        return pair.effective_tier if pair else 3

    # -- the scenarios of one call ------------------------------------------------

    @api.model
    def _call_facts(self, arguments):
        """:class:`CallFacts` of a call, read from the records its ``arguments`` name (never from its words)."""
        partners, amounts, card_batch = set(), [], False
        for argument, model in _RECORD_ARGUMENTS.items():
            value = arguments.get(argument)
            ids = [i for i in (value if isinstance(value, list) else [value]) if type(i) is int]
            # sudo: only classifies the call; the tool itself runs with the user's rights.
            records = self.env[model].sudo().browse(ids).exists()
            if not records:
                continue
            partner_field, amount_field = _FACT_FIELDS[model]
            partners |= set(records.mapped(partner_field).ids if partner_field else records.ids)
            amounts += [abs(to_cents(amount)) for amount in records.mapped(amount_field)] if amount_field else []
            if model == "account.move.line":
                clearing = self.env["fusion.account.roles"]._accounts(records.company_id, "card_clearing")
                card_batch = card_batch or bool(records.account_id & clearing)
        commercial = self.env["res.partner"].sudo().browse(partners).commercial_partner_id
        return CallFacts(
            partner_id=commercial.id if len(commercial) == 1 else None,
            amount=max(amounts) if amounts else None,
            card_batch=card_batch,
        )

    @api.model
    def _scenarios_of_call(self, arguments):
        """The scenarios of a call with ``arguments``, narrowest first, ``general`` last."""
        return scenarios_of(self._call_facts(arguments))

    @api.model
    def _promotes_call(self, tool_name, arguments, company=None):
        """True when a promotion of one of the call's scenarios lets it run at tier 2 in ``company``."""
        company = company or self.env.company
        scenarios = self._scenarios_of_call(arguments)
        pairs = self.sudo().search(
            [("tool_name", "=", tool_name), ("scenario", "in", scenarios), ("company_id", "=", company.id)]
        )
        promoted = set(pairs.filtered(lambda pair: pair.state == AUTO).mapped("scenario"))
        return promoted_call(scenarios, promoted, set(pairs.filtered("held").mapped("scenario")))

    # -- counting decisions ------------------------------------------------------

    @api.model
    def _record_tool_decision(self, tool_name, scenario, approved, company=None):
        """Count a decision on a tier-3 proposal of ``tool_name`` in ``scenario``; return the tier events."""
        pair = self._pair(tool_name, scenario, company)
        score, events = record_decision(pair._score(), bool(approved), self._policy())
        pair._store(score, events)
        return events

    def _score(self):
        return Score(
            uses=self.total_uses,
            approved=self.total_approved,
            rejected=self.total_rejected,
            tier=self.state,
            held=self.held,
        )

    def _store(self, score, events=()):
        self.sudo().write(
            {
                "total_uses": score.uses,
                "total_approved": score.approved,
                "total_rejected": score.rejected,
                "state": score.tier,
                "held": score.held,
                "confidence_score": round(score.confidence(self._policy()), 3),
            }
        )
        for event in events:
            if event:
                self._message_log(body=self.env._("Tier %(kind)s: %(reason)s", kind=event.kind, reason=event.reason))

    def _check_admin(self):
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(self.env._("Only Fusion AI administrators change tool promotions."))

    def action_revert(self):
        """Admin: revert a promotion; the tool needs approval again in this scenario until reinstated."""
        self._check_admin()
        for pair in self:
            if pair.state != AUTO:
                raise UserError(
                    self.env._(
                        "%(tool)s is not promoted for %(scenario)s.", tool=pair.tool_name, scenario=pair.scenario
                    )
                )
            score, event = demote(
                pair._score(), self._policy(), reason=self.env._("reverted by %s", self.env.user.name)
            )
            pair._store(score, [event])
        return True

    def action_reinstate(self):
        """Admin: lift a revert; promoted again at once if the record still proves it."""
        self._check_admin()
        for pair in self.filtered("held"):
            score, event = reinstate(
                pair._score(), self._policy(), reason=self.env._("reinstated by %s", self.env.user.name)
            )
            pair._store(score, [event])
        return True
