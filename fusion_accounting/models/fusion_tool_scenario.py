from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

from ..services.money import to_cents
from ..services.scoring import AUTO, NEEDS_APPROVAL, PROMOTED, Score, ScoringPolicy, demote
from ..services.tool_promotion import (
    DEFAULT_MIN_SPAN_DAYS,
    Decision,
    PromotionPolicy,
    assess,
    outcome_of,
    reinstate,
    settle,
)
from ..services.tool_scenarios import (
    AMOUNT_BELOW,
    CARD_BATCH,
    GENERAL,
    PARTNER,
    CallFacts,
    promoted_call,
    scenario_label,
    scenarios_of,
)
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
    by the policy of :mod:`..services.tool_promotion` with the settings'
    threshold, minimum sample and minimum span; the Fusion administrators are
    told, and an admin can revert the promotion.
    """

    _name = "fusion.accounting.tool.scenario"
    _description = "Fusion AI tool promotion per scenario"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "tool_name, scenario"

    tool_name = fields.Char(string="Tool Key", required=True, readonly=True, index=True)
    fusion_tool_label = fields.Char(
        string="Tool", compute="_compute_fusion_tool_label", help="The tool as people read it (its declared label)."
    )
    scenario = fields.Char(
        string="Scenario Key", required=True, readonly=True, help="Technical key of the scenario (e.g. partner_59)."
    )
    scenario_label = fields.Char(
        string="Scenario", compute="_compute_scenario_label", help="What kind of case the tool was used for."
    )
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
    total_uses = fields.Integer(string="Decisions", readonly=True)
    total_approved = fields.Integer(
        string="Proven Calls", readonly=True, help="Distinct calls approved and executed successfully."
    )
    total_rejected = fields.Integer(
        string="Against", readonly=True, help="Rejections, failed or refused executions and undone runs."
    )
    confidence_score = fields.Float(digits=(16, 3), readonly=True)
    decision_ids = fields.Many2many(
        "fusion.accounting.match.history",
        "fusion_tool_scenario_decision_rel",
        "scenario_id",
        "history_id",
        string="Counted Records",
        readonly=True,
        help="The decided proposals (and undone runs) the promotion is judged on.",
    )
    fusion_missing = fields.Char(
        string="Still Needs", readonly=True, help="What the decisions do not prove yet for a promotion."
    )

    _tool_scenario_unique = models.Constraint(
        "UNIQUE(tool_name, scenario, company_id)", "One promotion record per tool, scenario and company."
    )

    @api.depends("tool_name")
    def _compute_fusion_tool_label(self):
        for pair in self:
            pair.fusion_tool_label = REGISTRY.title_of(pair.tool_name)

    @api.depends("scenario", "company_id")
    def _compute_scenario_label(self):
        for company, pairs in self.grouped("company_id").items():
            labels = self._scenario_labels(pairs.mapped("scenario"), company or self.env.company)
            for pair in pairs:
                pair.scenario_label = labels[pair.scenario]

    @api.model
    def _scenario_labels(self, keys, company):
        """``{key: label}`` of scenario ``keys`` in the user's language: partners by name, amounts in
        ``company``'s currency."""
        parts = {key: scenario_label(key) for key in keys if key}
        ids = [part.record_id for part in parts.values() if part.kind == PARTNER]
        # sudo: a label names the partner the decisions were about, whoever reads the promotion.
        partners = self.env["res.partner"].sudo().with_context(active_test=False).browse(ids).exists()
        names = {partner.id: partner.display_name for partner in partners}
        _ = self.env._
        labels = {}
        for key, part in parts.items():
            if part.kind == PARTNER:
                name = names.get(part.record_id)
                labels[key] = _("Partner: %s", name) if name else _("Partner #%s (deleted)", part.record_id)
            elif part.kind == AMOUNT_BELOW:
                labels[key] = _("Amounts below %s", format_amount(self.env, part.amount, company.currency_id))
            elif part.kind == CARD_BATCH:
                labels[key] = _("Card batches")
            elif part.kind == GENERAL:
                labels[key] = _("Every call of the tool")
            else:
                labels[key] = part.words
        return {key: labels.get(key, "") for key in keys}

    @api.depends("state")
    def _compute_effective_tier(self):
        for pair in self:
            pair.effective_tier = 2 if pair.state == AUTO else 3

    @api.model
    def _policy(self):
        return PromotionPolicy(
            scoring=ScoringPolicy(
                threshold=_settings_float(self.env, "promotion_threshold", 0.95),
                min_sample=int(_settings_float(self.env, "min_sample_size", 30)),
            ),
            min_span_days=max(0, int(_settings_float(self.env, "promotion_min_span_days", DEFAULT_MIN_SPAN_DAYS))),
        )

    @api.model
    def _pair(self, tool_name, scenario, company=None):
        company = company or self.env.company
        domain = [("tool_name", "=", tool_name), ("scenario", "=", scenario), ("company_id", "=", company.id)]
        found = self.sudo().search(domain, limit=1)
        return found or self.sudo().create({"tool_name": tool_name, "scenario": scenario, "company_id": company.id})

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
    def _count_history(self, record, scenarios):
        """Judge the pairs of ``scenarios`` of ``record``'s tool again, with ``record`` among their decisions."""
        pairs = self.browse()
        for scenario in dict.fromkeys(scenarios):
            pairs |= self._pair(record.tool_name, scenario, record.company_id)
        pairs.sudo().write({"decision_ids": [Command.link(record.id)]})
        pairs._reassess()
        return pairs

    def _decisions(self):
        """``{pair id: [Decision]}`` of the pairs' counted records, in one grouped query whatever their number.

        Records alike in everything the policy reads (outcome, call, approver, pattern, day) are one
        row with a count; days are UTC days, as the records store them.
        """
        History = self.env["fusion.accounting.match.history"].sudo().with_context(tz=False)
        rows = History._read_group(
            [("fusion_scenario_ids", "in", self.ids)],
            groupby=[
                "fusion_scenario_ids",
                "fusion_undone",
                "decision",
                "execution_state",
                "arguments_hash",
                "decided_by",
                "user_id",
                "fusion_pattern",
                "decided_at:day",
                "proposed_at:day",
            ],
            aggregates=["__count"],
        )
        decisions = {pair_id: [] for pair_id in self.ids}
        for (
            pair,
            undone,
            decision,
            state,
            args_hash,
            decided_by,
            user,
            pattern,
            decided_day,
            proposed_day,
            count,
        ) in rows:
            outcome = outcome_of(decision, state == "done", undone)
            if pair.id not in decisions or outcome is None:
                continue
            decisions[pair.id] += [
                Decision(
                    outcome=outcome,
                    approver_id=decided_by.id or user.id,
                    arguments_hash=args_hash or "",
                    decided_on=(decided_day or proposed_day).date(),
                    pattern=pattern or "",
                )
            ] * count
        return decisions

    def _assessment(self, decisions=None):
        """The :class:`..services.tool_promotion.Assessment` of the pair's decisions (read when not given)."""
        self.ensure_one()
        if decisions is None:
            decisions = self._decisions()[self.id]
        return assess(decisions, self._policy(), general=self.scenario == GENERAL)

    def _reassess(self):
        """Promote the pairs their decisions now prove, demote those they no longer do."""
        decisions = self._decisions()
        for pair in self:
            assessment = pair._assessment(decisions[pair.id])
            tier, event = settle(pair.state, pair.held, assessment)
            pair._store(tier, pair.held, event, assessment)

    def _score(self):
        return Score(
            uses=self.total_uses,
            approved=self.total_approved,
            rejected=self.total_rejected,
            tier=self.state,
            held=self.held,
        )

    def _store(self, tier, held, event=None, assessment=None):
        values = {"state": tier, "held": held}
        if assessment:
            values.update(
                total_uses=assessment.score.uses,
                total_approved=assessment.score.approved,
                total_rejected=assessment.score.rejected,
                confidence_score=round(assessment.confidence, 3),
                fusion_missing=", ".join(assessment.missing),
            )
        self.sudo().write(values)
        if event:
            self._message_log(body=self.env._("Tier %(kind)s: %(reason)s", kind=event.kind, reason=event.reason))
            if event.kind == PROMOTED:
                self._announce_promotion(event)

    def _announce_promotion(self, event):
        """A to-do for each Fusion administrator of the company: a tool now runs without approval."""
        admins = (
            self.env.ref(ADMIN_GROUP)
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share and self.company_id in user.company_ids)
        )
        summary = self.env._(
            "%(tool)s runs without approval for %(scenario)s", tool=self.fusion_tool_label, scenario=self.scenario_label
        )
        for admin in admins:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=self.env._("Promoted to tier 2: %s. Revert it here if it should not be.", event.reason),
                user_id=admin.id,
            )

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
                        "%(tool)s is not promoted for %(scenario)s.",
                        tool=pair.tool_name,
                        scenario=pair.scenario_label,
                    )
                )
            score, event = demote(
                pair._score(), self._policy().scoring, reason=self.env._("reverted by %s", self.env.user.name)
            )
            pair._store(score.tier, score.held, event)
        return True

    def action_reinstate(self):
        """Admin: lift a revert; promoted again at once if the decisions still prove it."""
        self._check_admin()
        for pair in self.filtered("held"):
            tier, event = reinstate(pair._assessment(), reason=self.env._("reinstated by %s", self.env.user.name))
            pair._store(tier, False, event)
        return True


class FusionAccountingMatchHistory(models.Model):
    """The scenario a proposal was filed under, as people read it (the key stays for debug mode)."""

    _inherit = "fusion.accounting.match.history"

    fusion_scenario_label = fields.Char(string="Scenario Label", compute="_compute_fusion_scenario_label")

    @api.depends("fusion_scenario", "company_id")
    def _compute_fusion_scenario_label(self):
        Pairs = self.env["fusion.accounting.tool.scenario"]
        for company, records in self.grouped("company_id").items():
            labels = Pairs._scenario_labels(records.mapped("fusion_scenario"), company or self.env.company)
            for record in records:
                record.fusion_scenario_label = labels.get(record.fusion_scenario, "") if record.fusion_scenario else ""
