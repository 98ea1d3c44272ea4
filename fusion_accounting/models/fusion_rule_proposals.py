import json

from odoo import api, fields, models

from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json

from ..services.memory_matcher import PastMatch
from ..services.money import to_cents
from ..services.rule_proposal import propose_rules

# The tool whose approval creates the rule, through the rule wizard (as when the AI proposes one in the chat).
PROPOSE_RULE_TOOL = "propose_rule"
# The nightly detection reads the decisions of this many days back, at most this many.
PROPOSAL_WINDOW_DAYS = 90
PROPOSAL_HISTORY_SIZE = 2000


class FusionAccountingMatchHistoryProposals(models.Model):
    """Decided bank matches as the rule-proposal detection reads them, and the proposals it stores."""

    _inherit = "fusion.accounting.match.history"

    fusion_pattern_key = fields.Char(
        string="Pattern", readonly=True, index=True, help="The repeated pattern a rule proposal was made for."
    )

    @api.model
    def _fusion_decided_matches(self, company, since, limit=PROPOSAL_HISTORY_SIZE):
        """Tier-3 bank matches of ``company`` decided since ``since``, not made by a rule, as :class:`PastMatch`."""
        records = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("tier", "=", "3"),
                ("decision", "in", ("approved", "rejected")),
                ("decided_at", ">=", since),
                ("bank_statement_line_id", "!=", False),
                ("rule_id", "=", False),
            ],
            order="decided_at desc, id desc",
            limit=limit,
        )
        return [record._fusion_past_match() for record in records]

    def _fusion_past_match(self):
        """This decided bank match with its fee account and fee ratio (basis points of the matched items)."""
        self.ensure_one()
        arguments = self._arguments()
        st_line = self.bank_statement_line_id
        fee = to_cents(arguments.get("fee_amount") or 0.0)
        fee_account = self.env["account.account"]
        fee_bps = None
        if fee:
            code = arguments.get("fee_account_code")
            fee_account = (
                fee_account.search([("company_ids", "in", self.company_id.ids), ("code", "=", code)], limit=1)
                if code
                else self.env["fusion.account.roles"]._account(self.company_id, "card_fee")
            )
            ids = [i for i in arguments.get("move_line_ids") or () if type(i) is int]
            items = to_cents(sum(abs(b) for b in self.env["account.move.line"].browse(ids).exists().mapped("balance")))
            fee_bps = round(fee * 10000 / items) if items else None
        return PastMatch(
            partner_id=(self.partner_id or st_line.partner_id).commercial_partner_id.id or None,
            label=st_line.payment_ref or "",
            amount=to_cents(st_line.amount),
            kind=self.fusion_scenario or self.tool_name,
            fee_bps=fee_bps,
            fee_account_id=fee_account.id or None,
            id=self.id,
            approved=self.decision == "approved",
        )

    @api.model
    def _fusion_store_rule_proposal(self, company, proposal):
        """A pending tier-3 ``propose_rule`` call for ``proposal``, decided in the approval queue until it expires."""
        fee_account = self.env["account.account"].browse(proposal.fee_account_id or [])
        arguments = {
            "name": proposal.name,
            "match_logic": proposal.match_logic,
            "rule_type": proposal.rule_type,
            "description": self.env._("Proposed by the nightly detection of repeated approved matches."),
            "fee_account_code": fee_account.code or "",
            "evidence": self.env._("Approved matches %s", ", ".join(f"#{record_id}" for record_id in proposal.support)),
        }
        return self.sudo().create(
            {
                "company_id": company.id,
                "user_id": self.env.uid,
                "tool_name": PROPOSE_RULE_TOOL,
                "tool_id": self.env["fusion.accounting.tool"].sudo().search([("name", "=", PROPOSE_RULE_TOOL)]).id,
                "tier": "3",
                "tool_params": canonical_json(arguments),
                "arguments_hash": arguments_hash(arguments),
                "ai_reasoning": proposal.match_logic,
                "fusion_pattern_key": _key_text(proposal.key),
                # Expires like the chat's proposals (the core's expiry job): evidence goes stale, and an
                # expired pattern may be proposed again from fresh decisions.
                "expires_at": self.env["fusion.accounting.agent"]._proposal_expiry(),
            }
        )


class FusionAccountingRuleProposals(models.Model):
    """The scheduled rule-proposal job (design 4.2, step 1)."""

    _inherit = "fusion.accounting.rule"

    @api.model
    def _cron_propose_rules(self):
        """Nightly: in each company, propose a rule for every new pattern of 3+ identical approved matches."""
        companies = self.env["res.company"].search([])
        for index, company in enumerate(companies):
            self.with_company(company)._propose_rules(company)
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)

    @api.model
    def _propose_rules(self, company, since=None):
        """Store the proposals of ``company``'s recent decisions; return the new proposal records.

        A pattern already proposed (pending, approved or rejected) or a rule
        of the same name is not proposed again; an expired proposal may be.
        """
        History = self.env["fusion.accounting.match.history"].sudo()
        since = since or fields.Datetime.subtract(fields.Datetime.now(), days=PROPOSAL_WINDOW_DAYS)
        known = set(
            History.search(
                [
                    ("company_id", "=", company.id),
                    ("fusion_pattern_key", "!=", False),
                    ("decision", "!=", "expired"),
                ]
            ).mapped("fusion_pattern_key")
        )
        names = set(
            self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)]).mapped("name")
        )
        created = History.browse()
        for proposal in propose_rules(History._fusion_decided_matches(company, since)):
            if _key_text(proposal.key) in known or proposal.name in names:
                continue
            created |= History._fusion_store_rule_proposal(company, proposal)
        return created


def _key_text(key):
    return json.dumps(key)
