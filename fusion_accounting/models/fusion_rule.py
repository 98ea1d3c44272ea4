import ast
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..services import rule_sandbox
from ..services.audit_ranking import SEVERITIES as AUDIT_SEVERITIES
from ..services.scoring import (
    AUTO,
    NEEDS_APPROVAL,
    Score,
    ScoringPolicy,
    demote,
    record_decision,
    record_use,
    reinstate,
)

ADMIN_GROUP = "fusion_accounting_core.group_fusion_admin"
RULE_TYPES = [
    ("match", "Match"),
    ("classify", "Classify"),
    ("audit", "Audit"),
    ("fee", "Fee"),
    ("routing", "Routing"),
    ("followup", "Follow-up"),
]
# Editing one of these changes what the rule does: it becomes a new version (design 4.2, step 5).
LOGIC_FIELDS = frozenset(
    {"rule_type", "trigger_domain", "match_logic", "match_code", "fee_account_id", "write_off_account_id"}
    | {"journal_ids"}
)
# What only a Fusion administrator may set (design 7.1: "Config"); scoring writes them as superuser.
ADMIN_FIELDS = frozenset(
    {"approval_tier", "tier_held", "promotion_threshold", "min_sample_size", "confidence_score"}
    | {"total_uses", "total_approved", "total_rejected"}
)
# Who wrote a rule and where it sits in its chain decide how far it is trusted (an admin rule keeps its tier
# across versions): only versioning and administrators set them, never a manager's write (issue 18).
LINEAGE_FIELDS = frozenset({"created_by", "version", "parent_rule_id"})
# An entry's items an audit rule sees (the largest): the sandbox caps every value's size.
MAX_PAYLOAD_LINES = 50
# Rank of design 4.3: admin rules, then proven AI rules, then proposed AI rules.
_PRIORITY = {("admin", AUTO): 0, ("admin", NEEDS_APPROVAL): 0, ("ai", AUTO): 1, ("ai", NEEDS_APPROVAL): 2}


def _settings_float(env, key, default):
    value = env["ir.config_parameter"].sudo().get_param(f"fusion_accounting.{key}")
    try:
        return float(value) if value not in (None, "", False) else default
    except ValueError:
        return default


class FusionAccountingRule(models.Model):
    """A Fusion rule (design 4): what the co-pilot applies before it reasons.

    Rules with ``match_code`` run deterministically in :mod:`..services.rule_sandbox`;
    rules with only ``match_logic`` reach the model as instructions.  Every
    decision on a rule's proposal feeds :mod:`..services.scoring`.
    """

    _name = "fusion.accounting.rule"
    _description = "Fusion AI rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10, help="Order among rules of the same priority rank.")
    rule_type = fields.Selection(RULE_TYPES, required=True, default="match", tracking=True)
    description = fields.Text(help="Natural language; the AI reads it.")
    trigger_domain = fields.Text(
        help="Odoo domain the records must satisfy for the rule to apply, e.g. [('journal_id.type', '=', 'bank')]."
    )
    match_logic = fields.Text(help="Natural-language matching instructions for the AI.")
    match_code = fields.Text(
        help="Optional deterministic Python. Match and fee rules see `line` and `candidates` and assign `result` "
        "(a list of candidate ids, or {'ids': [...], 'fee': amount}); audit rules see `move` and flag it with "
        "`result` = True, a message, or {'message': ..., 'severity': ..., 'recommendation': ...}. Imports, "
        "attributes, loops without bounds and large values are refused."
    )
    fee_account_id = fields.Many2one("account.account", check_company=True, tracking=True)
    write_off_account_id = fields.Many2one("account.account", check_company=True, tracking=True)
    approval_tier = fields.Selection(
        [(NEEDS_APPROVAL, "Needs approval"), (AUTO, "Automatic")],
        required=True,
        default=NEEDS_APPROVAL,
        tracking=True,
    )
    tier_held = fields.Boolean(
        string="Demoted by admin", readonly=True, help="Automatic promotion is suspended until an admin reinstates."
    )
    created_by = fields.Selection([("admin", "Admin"), ("ai", "AI")], required=True, default="admin")
    confidence_score = fields.Float(digits=(16, 3), readonly=True, help="Wilson lower bound of the approval rate.")
    total_uses = fields.Integer(readonly=True)
    total_approved = fields.Integer(readonly=True)
    total_rejected = fields.Integer(readonly=True)
    promotion_threshold = fields.Float(
        digits=(16, 3), default=lambda self: _settings_float(self.env, "promotion_threshold", 0.95)
    )
    min_sample_size = fields.Integer(
        default=lambda self: int(_settings_float(self.env, "min_sample_size", 30)),
    )
    active = fields.Boolean(default=True)
    version = fields.Integer(default=1, readonly=True, required=True)
    parent_rule_id = fields.Many2one("fusion.accounting.rule", string="Previous version", readonly=True, index=True)
    origin_rule_id = fields.Many2one(
        "fusion.accounting.rule", compute="_compute_origin_rule_id", store=True, recursive=True, index=True
    )
    journal_ids = fields.Many2many("account.journal", check_company=True, help="Empty: every journal.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    notes = fields.Text()
    last_error = fields.Text(readonly=True, help="Why match_code failed on its last run.")
    last_error_date = fields.Datetime(readonly=True)
    fusion_failure_count = fields.Integer(
        string="Failures",
        readonly=True,
        copy=False,
        help="How many times match_code failed or gave an unusable result; each failure skips the rule there.",
    )
    priority_rank = fields.Integer(compute="_compute_priority_rank")

    _confidence_range = models.Constraint(
        "CHECK(confidence_score >= 0 AND confidence_score <= 1)", "The confidence of a rule is between 0 and 1."
    )
    _threshold_range = models.Constraint(
        "CHECK(promotion_threshold > 0 AND promotion_threshold <= 1)",
        "The promotion threshold is a rate in (0, 1].",
    )
    _min_sample_positive = models.Constraint("CHECK(min_sample_size >= 1)", "The minimum sample is at least 1.")
    _counters_consistent = models.Constraint(
        "CHECK(total_approved >= 0 AND total_rejected >= 0 AND total_approved + total_rejected <= total_uses)",
        "Approvals and rejections cannot exceed uses.",
    )

    @api.depends("parent_rule_id.origin_rule_id")
    def _compute_origin_rule_id(self):
        for rule in self:
            rule.origin_rule_id = rule.parent_rule_id.origin_rule_id or rule.parent_rule_id or rule

    @api.depends("created_by", "approval_tier")
    def _compute_priority_rank(self):
        for rule in self:
            rule.priority_rank = _PRIORITY[(rule.created_by, rule.approval_tier)]

    @api.constrains("match_code")
    def _check_match_code(self):
        for rule in self.filtered("match_code"):
            error = rule_sandbox.check(rule.match_code)
            if error:
                raise ValidationError(
                    self.env._("Rule %(rule)s: match code refused: %(error)s", rule=rule.name, error=error)
                )

    @api.constrains("trigger_domain")
    def _check_trigger_domain(self):
        for rule in self.filtered("trigger_domain"):
            try:
                domain = ast.literal_eval(rule.trigger_domain)
            except (ValueError, SyntaxError):
                domain = None
            if not isinstance(domain, list):
                raise ValidationError(
                    self.env._("Rule %s: the trigger domain must be a list, e.g. [('amount', '>', 0)].", rule.name)
                )

    @api.constrains("active", "origin_rule_id")
    def _check_one_active_version(self):
        for origin in self.filtered("active").origin_rule_id:
            if self.search_count([("origin_rule_id", "=", origin.id)]) > 1:
                raise ValidationError(self.env._("Only one version of rule %s can be active.", origin.name))

    # -- writing ---------------------------------------------------------------

    def _is_fusion_admin(self):
        return self.env.su or self.env.user.has_group(ADMIN_GROUP)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_fusion_admin():
            for vals in vals_list:
                # A manager's new rule starts unproven, whatever was sent.
                for name in ADMIN_FIELDS - {"promotion_threshold", "min_sample_size"}:
                    vals.pop(name, None)
                if {"promotion_threshold", "min_sample_size"} & set(vals):
                    raise AccessError(self.env._("Only Fusion AI administrators configure promotion settings."))
        return super().create(vals_list)

    def write(self, vals):
        if (ADMIN_FIELDS | LINEAGE_FIELDS) & set(vals) and not self._is_fusion_admin():
            raise AccessError(
                self.env._("Only Fusion AI administrators change a rule's tier, scoring, origin or version.")
            )
        # Always a new version, whoever writes: no context key may skip it, as RPC sets the context (issue 18).
        if LOGIC_FIELDS & set(vals):
            self._new_versions(vals)
            return True
        return super().write(vals)

    def _new_versions(self, vals):
        """Each rule becomes a new active version carrying ``vals``; the edited one is archived."""
        for rule in self:
            if not rule.active:
                raise UserError(
                    self.env._("Rule %s is an archived version: roll back to it before editing.", rule.name)
                )
            tier = rule.approval_tier if rule.created_by == "admin" else NEEDS_APPROVAL
            reset = {
                "active": True,
                "version": rule.version + 1,
                "parent_rule_id": rule.id,
                "approval_tier": tier,
                "tier_held": False,
                "confidence_score": 0.0,
                "total_uses": 0,
                "total_approved": 0,
                "total_rejected": 0,
                "last_error": False,
                "last_error_date": False,
            }
            # Archive first: the constraint allows one active version per chain.
            rule.write({"active": False})
            new = rule.sudo().copy({**vals, **reset})
            rule._message_log(body=self.env._("Replaced by version %(version)s.", version=new.version))

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        if "version" not in default:
            # A duplicate is a new rule, not a version: it starts its own chain, unproven.
            for vals in vals_list:
                vals.update(version=1, parent_rule_id=False, confidence_score=0.0, approval_tier=NEEDS_APPROVAL)
                vals.update(total_uses=0, total_approved=0, total_rejected=0, tier_held=False)
        return vals_list

    def action_rollback(self):
        """Make this (earlier) version the active one of its chain again (design 4.2, step 6)."""
        self.ensure_one()
        if not self._is_fusion_admin():
            raise AccessError(self.env._("Only Fusion AI administrators roll rules back."))
        chain = self.with_context(active_test=False).search([("origin_rule_id", "=", self.origin_rule_id.id)])
        current = chain.filtered("active")
        current.write({"active": False})
        self.write({"active": True})
        previous = ", ".join(str(version) for version in current.mapped("version")) or "-"
        self._message_log(
            body=self.env._(
                "Rolled back to version %(version)s (from %(previous)s).", version=self.version, previous=previous
            )
        )
        return True

    def action_open_current_version(self):
        self.ensure_one()
        current = self.search([("origin_rule_id", "=", self.origin_rule_id.id)], limit=1)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": (current or self).id,
            "view_mode": "form",
            "target": "current",
        }

    # -- priority and application ----------------------------------------------

    @api.model
    def _get_rules_in_priority(self, rule_types=None, journal=None, company=None):
        """Active rules in the order of design 4.3: admin, proven AI (auto), proposed AI (needs approval)."""
        company = company or self.env.company
        domain = [("company_id", "=", company.id)]
        if rule_types:
            domain.append(("rule_type", "in", list(rule_types)))
        rules = self.search(domain)
        if journal:
            rules = rules.filtered(lambda rule: not rule.journal_ids or journal in rule.journal_ids)
        return rules.sorted(lambda rule: (rule.priority_rank, rule.sequence, rule.id))

    @api.model
    def _apply_rules(self, rule_types, payloads, journal=None, company=None, *, claim=True, normalize=None):
        """Run the rules before any model reasoning; never raises for a bad rule.

        ``payloads`` is a list of ``{"key", "variables", "record"?}``: ``variables``
        are plain values for ``match_code`` (see :meth:`_statement_line_payload`
        and :meth:`_move_payload`), ``record`` an optional record checked against
        ``trigger_domain``.  With ``claim``, the first rule (in priority order)
        with a result claims a payload; without, every rule judges every payload
        (audit rules each flag what they see).  ``normalize(value, variables)``
        turns a result into ``(match dict, problem)`` (default: candidate ids and
        fee).  Returns ``{"matches": [...], "errors": [...], "instructions": str}``:
        the deterministic matches, one error per failing rule and payload, and the
        rules with only ``match_logic``, as text for the prompt.  A rule that runs
        out of time is not run on the remaining payloads: each try would cost the
        whole time limit again.
        """
        normalize = normalize or _normalize_match
        rules = self._get_rules_in_priority(rule_types, journal=journal, company=company)
        matches, errors, claimed = [], [], set()
        for rule in rules.filtered("match_code"):
            domain = rule._parsed_trigger_domain()
            for payload in payloads:
                if payload["key"] in claimed:
                    continue
                record = payload.get("record")
                if domain and record is not None and not record.filtered_domain(domain):
                    continue
                outcome = rule_sandbox.run(rule.match_code, payload["variables"])
                problem = outcome.error and str(outcome.error)
                value = outcome.value
                if not problem and value:
                    try:
                        value, problem = normalize(value, payload["variables"])
                    except (TypeError, ValueError, KeyError, AttributeError) as error:
                        # The rule's own result, whatever its shape, must not break the run for the others.
                        value, problem = None, f"{rule_sandbox.BAD_RESULT}: {type(error).__name__}: {error}"
                if problem:
                    errors.append({"rule_id": rule.id, "key": payload["key"], "error": problem})
                    rule._note_error(problem)
                    if outcome.error and outcome.error.kind == rule_sandbox.TIMEOUT:
                        break
                    continue
                if value:
                    if claim:
                        claimed.add(payload["key"])
                    matches.append(
                        {
                            "key": payload["key"],
                            "rule_id": rule.id,
                            "rule": rule.name,
                            "version": rule.version,
                            "tier": rule.approval_tier,
                            "reason": self.env._("rule %(name)s (v%(version)s)", name=rule.name, version=rule.version),
                            **value,
                        }
                    )
        instructions = rules.filtered(lambda rule: rule.match_logic and not rule.match_code)._instructions_text()
        return {"matches": matches, "errors": errors, "instructions": instructions}

    def _parsed_trigger_domain(self):
        return ast.literal_eval(self.trigger_domain) if self.trigger_domain else []

    def _note_error(self, problem):
        # The run goes on; the rule shows why it failed (a staff user's run may not write rules).
        self.sudo().write(
            {
                "last_error": problem,
                "last_error_date": fields.Datetime.now(),
                "fusion_failure_count": self.sudo().fusion_failure_count + 1,
            }
        )

    def _prompt_label(self):
        """``name (origin, rule #id) [accounts]``: how the model sees which rule it follows."""
        self.ensure_one()
        origin = "admin rule" if self.created_by == "admin" else f"AI rule, {self.approval_tier.replace('_', ' ')}"
        extra = []
        if self.fee_account_id:
            extra.append(f"fee account {self.fee_account_id.code}")
        if self.write_off_account_id:
            extra.append(f"write-off account {self.write_off_account_id.code}")
        suffix = f" [{'; '.join(extra)}]" if extra else ""
        return f"{self.name} ({origin}, rule #{self.id}){suffix}"

    def _instructions_text(self):
        """Rules the model interprets, numbered in priority order."""
        return "\n".join(
            f"{number}. {rule._prompt_label()}: {rule.match_logic.strip()}" for number, rule in enumerate(self, start=1)
        )

    @api.model
    def _statement_line_payload(self, st_line, amls):
        """Plain variables for ``match_code`` from a statement line and its candidate journal items."""
        return {
            "key": st_line.id,
            "record": st_line,
            "variables": {
                "line": {
                    "id": st_line.id,
                    "date": st_line.date.isoformat(),
                    "amount": st_line.amount,
                    "label": st_line.payment_ref or "",
                    "partner_id": st_line.partner_id.id or None,
                    "partner_name": st_line.partner_id.name or st_line.partner_name or "",
                    "journal_id": st_line.journal_id.id,
                },
                "candidates": [
                    {
                        "id": aml.id,
                        "date": aml.date.isoformat(),
                        "amount": aml.amount_residual,
                        "partner_id": aml.partner_id.id or None,
                        "name": aml.move_id.name or "",
                        "ref": aml.move_id.ref or aml.name or "",
                        "account_code": aml.account_id.code or "",
                    }
                    for aml in amls
                ],
            },
        }

    @api.model
    def _move_payload(self, move):
        """Plain variables for an ``audit`` rule's ``match_code``: the posted entry as ``move``, its items as
        ``move['lines']`` (at most :data:`MAX_PAYLOAD_LINES`, the largest first)."""
        lines = move.line_ids.sorted(lambda aml: (-abs(aml.balance), aml.id))
        return {
            "key": move.id,
            "record": move,
            "variables": {
                "move": {
                    "id": move.id,
                    "name": move.name or "",
                    "ref": move.ref or "",
                    "date": move.date.isoformat(),
                    "move_type": move.move_type,
                    "journal_id": move.journal_id.id,
                    "journal_code": move.journal_id.code or "",
                    "partner_id": move.partner_id.id or None,
                    "partner_name": move.partner_id.name or "",
                    "amount": move.amount_total_signed,
                    "account_codes": sorted(set(move.line_ids.account_id.mapped("code"))),
                    "tax_names": sorted(set(move.line_ids.tax_ids.mapped("name"))),
                    "lines": [
                        {
                            "account_code": aml.account_id.code or "",
                            "account_type": aml.account_id.account_type or "",
                            "label": aml.name or "",
                            "balance": aml.balance,
                            "partner_id": aml.partner_id.id or None,
                            "tax_names": aml.tax_ids.mapped("name"),
                        }
                        for aml in lines[:MAX_PAYLOAD_LINES]
                    ],
                }
            },
        }

    # -- scoring ------------------------------------------------------------------

    def _policy(self):
        return ScoringPolicy(threshold=self.promotion_threshold, min_sample=self.min_sample_size)

    def _score(self):
        return Score(
            uses=self.total_uses,
            approved=self.total_approved,
            rejected=self.total_rejected,
            tier=self.approval_tier,
            held=self.tier_held,
        )

    def _store_score(self, score, events=()):
        policy = self._policy()
        self.sudo().write(
            {
                "total_uses": score.uses,
                "total_approved": score.approved,
                "total_rejected": score.rejected,
                "approval_tier": score.tier,
                "tier_held": score.held,
                "confidence_score": round(score.confidence(policy), 3),
            }
        )
        for event in events:
            if event:
                self._message_log(body=self.env._("Tier %(kind)s: %(reason)s", kind=event.kind, reason=event.reason))

    def _record_decision(self, approved):
        """Count a human decision on a proposal made by this rule; promote or demote as scoring says.

        Returns the tier events (possibly empty), one tuple per rule.
        """
        results = []
        for rule in self:
            score, events = record_decision(rule._score(), bool(approved), rule._policy())
            rule._store_score(score, events)
            results.append(events)
        return results

    def _record_use(self):
        """Count an automatic application that nobody decided on."""
        for rule in self:
            rule._store_score(record_use(rule._score()))

    def action_demote(self):
        """Admin: an automatic rule needs approval again, and stays so until reinstated."""
        if not self._is_fusion_admin():
            raise AccessError(self.env._("Only Fusion AI administrators demote rules."))
        for rule in self:
            if rule.approval_tier != AUTO:
                raise UserError(self.env._("Rule %s is not automatic.", rule.name))
            score, event = demote(rule._score(), rule._policy(), reason=self.env._("demoted by %s", self.env.user.name))
            rule._store_score(score, [event])
        return True

    def action_reinstate(self):
        """Admin: undo a demotion; the rule is automatic again if it is still proven."""
        if not self._is_fusion_admin():
            raise AccessError(self.env._("Only Fusion AI administrators reinstate rules."))
        for rule in self.filtered("tier_held"):
            score, event = reinstate(
                rule._score(), rule._policy(), reason=self.env._("reinstated by %s", self.env.user.name)
            )
            rule._store_score(score, [event])
        return True


def _normalize_match(value, variables):
    """``(match, problem)``: a rule's result as ``{"item_ids", "fee"}``, or why it is unusable."""
    if isinstance(value, dict):
        ids, fee = value.get("ids"), value.get("fee", 0.0)
    else:
        ids, fee = value, 0.0
    if not isinstance(ids, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return None, "bad_result: result must be a list of candidate ids or {'ids': [...], 'fee': amount}"
    known = {candidate.get("id") for candidate in variables.get("candidates", ())}
    unknown = sorted(set(ids) - known)
    if unknown:
        return None, f"bad_result: ids {json.dumps(unknown)} are not candidates"
    # A NaN or infinite fee would crash every booking and suggestion of the line (issue 18).
    error = rule_sandbox.check_amount(fee, "fee")
    if error:
        return None, str(error)
    return ({"item_ids": list(ids), "fee": float(fee)} if ids else None), None


def normalize_flag(value, _variables):
    """``(flag, problem)``: an ``audit`` rule's result as ``{"message", "severity"?, "recommendation"?}``.

    A rule flags an entry with ``result = True``, a message, or a dict with a
    ``message`` and optionally a ``severity`` (low, medium, high, critical) and
    a ``recommendation``.
    """
    if value is True:
        return {"message": ""}, None
    if isinstance(value, str):
        return {"message": value}, None
    if not isinstance(value, dict) or not isinstance(value.get("message", ""), str):
        return None, "bad_result: an audit rule's result is True, a message, or {'message': ..., 'severity': ...}"
    severity = value.get("severity", "medium")
    if severity not in AUDIT_SEVERITIES:
        return None, f"bad_result: severity must be one of {', '.join(AUDIT_SEVERITIES)}"
    recommendation = value.get("recommendation", "")
    if not isinstance(recommendation, str):
        return None, "bad_result: recommendation must be a text"
    return {"message": value.get("message", ""), "severity": severity, "recommendation": recommendation}, None
