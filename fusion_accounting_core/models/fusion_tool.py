from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..services.tools import REGISTRY
from ..tools.modules import installed_modules


def _addon_of(module_name):
    """``odoo.addons.<addon>.tools.x`` -> ``<addon>`` (empty for code outside an addon)."""
    parts = (module_name or "").split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["odoo", "addons"] else ""


class FusionAccountingTool(models.Model):
    """The code registry of AI tools, mirrored in the database (design 2.1, 3.1).

    Code is the source of truth: :meth:`_sync_from_code` runs on install and
    upgrade (``data/fusion_tool_sync.xml``).  Administrators only switch a tool
    off (``enabled``); they never edit what it is.
    """

    _name = "fusion.accounting.tool"
    _description = "Fusion AI tool"
    _order = "domain, name"

    name = fields.Char(required=True, readonly=True)
    description = fields.Text(readonly=True)
    domain = fields.Char(required=True, readonly=True, index=True)
    tier = fields.Selection(
        [("1", "1 - Read only"), ("2", "2 - Logged write"), ("3", "3 - Needs approval")], required=True, readonly=True
    )
    group_ids = fields.Many2many("res.groups", string="Required Groups", readonly=True)
    addon = fields.Char(readonly=True, help="The module whose code defines the tool.")
    parameters = fields.Json(readonly=True, help="JSON Schema of the arguments, derived from the code.")
    in_code = fields.Boolean(default=True, readonly=True, help="False once the code no longer defines the tool.")
    enabled = fields.Boolean(default=True, help="Administrators can switch a tool off for everyone.")
    requires = fields.Char(readonly=True, help="Optional modules the tool needs, declared on the tool in code.")
    fusion_unavailable_reason = fields.Char(
        string="Not Available Because",
        compute="_compute_fusion_unavailable_reason",
        search="_search_fusion_unavailable_reason",
        help="Why the tool is not offered on this database (a module it needs is not installed); empty when it is.",
    )
    usage_count = fields.Integer(readonly=True, help="Executions by the agent, direct runs and approvals.")
    approved_count = fields.Integer(compute="_compute_decision_counts")
    rejected_count = fields.Integer(compute="_compute_decision_counts")
    approval_rate = fields.Float(compute="_compute_decision_counts", help="Approved / (approved + rejected).")

    _name_unique = models.Constraint("UNIQUE(name)", "A tool name is unique.")

    def write(self, vals):
        # Code is the source of truth (the tier gate reads the code, not this mirror); admins only switch tools off.
        if not self.env.su and set(vals) - {"enabled"}:
            raise AccessError(self.env._("Only the Enabled switch of a tool can be changed."))
        return super().write(vals)

    @api.depends("name")
    def _compute_decision_counts(self):
        counts = dict.fromkeys(self.mapped("name"), (0, 0))
        groups = (
            self.env["fusion.accounting.match.history"]
            .sudo()
            ._read_group(
                [("tool_name", "in", self.mapped("name")), ("decision", "in", ("approved", "rejected"))],
                groupby=["tool_name", "decision"],
                aggregates=["__count"],
            )
        )
        for name, decision, count in groups:
            approved, rejected = counts.get(name, (0, 0))
            counts[name] = (approved + count, rejected) if decision == "approved" else (approved, rejected + count)
        for record in self:
            approved, rejected = counts.get(record.name, (0, 0))
            record.approved_count, record.rejected_count = approved, rejected
            record.approval_rate = approved / (approved + rejected) if approved + rejected else 0.0

    @api.depends("name")
    def _compute_fusion_unavailable_reason(self):
        reasons = self._unavailable_reasons()
        for record in self:
            record.fusion_unavailable_reason = reasons.get(record.name, False)

    def _search_fusion_unavailable_reason(self, operator, value):
        # Only "is set" / "is not set" make sense (the ORM turns "= False" into "in [False]"): the code words it.
        values = {value} if value is None or isinstance(value, (str, bool)) else set(value)
        if operator not in ("in", "not in") or not values or values - {False, None, ""}:
            return NotImplemented
        names = list(self._unavailable_reasons())
        return [("name", "not in" if operator == "in" else "in", names)]

    @api.model
    def _unavailable_reasons(self):
        """``{tool name: reason}`` of the code's tools whose required modules are not installed here."""
        installed = installed_modules(self.env)
        reasons = {spec.name: spec.unavailable_reason(installed) for spec in self._code_specs()}
        return {name: reason for name, reason in reasons.items() if reason}

    @api.model
    def _installed_addons(self):
        # The addon being installed counts: its data file syncs its own tools during that install.
        return installed_modules(self.env, pending=True)

    @api.model
    def _code_specs(self):
        """Specs of the registry whose addon is installed in this database (one process serves many)."""
        installed = self._installed_addons()
        return [spec for spec in REGISTRY if _addon_of(spec.module) in installed]

    @api.model
    def _sync_from_code(self):
        """Create or update one record per tool in code; mark the ones gone from code."""
        records = self.sudo().with_context(active_test=False)
        existing = {tool.name: tool for tool in records.search([])}
        seen = set()
        for spec in self._code_specs():
            groups = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in spec.groups]
            values = {
                "description": spec.description,
                "domain": spec.domain,
                "tier": str(int(spec.tier)),
                "group_ids": [fields.Command.set([g.id for g in groups if g])],
                "addon": _addon_of(spec.module),
                "parameters": spec.parameters,
                "requires": ", ".join(spec.requires) or False,
                "in_code": True,
            }
            seen.add(spec.name)
            if spec.name in existing:
                existing[spec.name].write(values)
            else:
                records.create({"name": spec.name, **values})
        gone = records.browse([tool.id for name, tool in existing.items() if name not in seen])
        gone.write({"in_code": False})
        return len(seen)

    @api.model
    def _spec(self, name):
        """The code spec of tool ``name`` (raises :class:`UnknownToolError`)."""
        return REGISTRY.get(name)

    @api.model
    def _available_specs(self):
        """Specs that may be offered or run now: in code, installed and enabled, at their coded tier.

        What was learned never changes a spec: it is an input of the gate (:meth:`_learned_tiers`).
        """
        enabled = set(self.sudo().search([("enabled", "=", True), ("in_code", "=", True)]).mapped("name"))
        return [spec for spec in self._code_specs() if spec.name in enabled]

    @api.model
    def _offered_specs(self):
        """The available specs the model is offered: those whose required modules are all installed.

        A tool left out here still runs when called directly (:meth:`_available_specs`) and answers
        its own "not available" result.
        """
        installed = installed_modules(self.env)
        return [spec for spec in self._available_specs() if not spec.missing(installed)]

    @api.model
    def _learned_tiers(self, spec, arguments):
        """The tiers learned for one call of ``spec`` (inputs of the gate): the tool's, then the call's."""
        return (self._tool_tier(spec), self._call_tier(spec, arguments))

    @api.model
    def _tool_tier(self, spec):
        """The tier learned for every call of ``spec``: its coded tier here.

        Hook for promotions of the tool as a whole (design 3.1): an override may
        answer a lower tier; the gate clamps it and never lets it raise the tier.
        """
        return spec.tier

    @api.model
    def _call_tier(self, spec, arguments):
        """The tier the gate may use for one call of ``spec`` with these (validated) ``arguments``.

        The spec's own tier here.  Hook for promotions of narrower scenarios
        (design 3.1): an override may answer a lower tier for the calls of a
        promoted scenario; the gate never lets it raise the tier.
        """
        return spec.tier

    @api.model
    def _count_usage(self, names):
        """Add one use per occurrence of a name in ``names``."""
        names = list(names)
        for tool in self.sudo().search([("name", "in", names)]):
            tool.usage_count += names.count(tool.name)
