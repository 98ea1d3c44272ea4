from odoo import api, models

from ..services.tax_accounts import TaxLine, resolve_tax_accounts


class FusionTaxAccounts(models.AbstractModel):
    """GST/HST collected and ITC accounts of a company, from its taxes' tags or the settings."""

    _name = "fusion.tax.accounts"
    _description = "Fusion: GST/HST accounts"

    @api.model
    def _resolve(self, company):
        """A :class:`TaxAccounts` for ``company`` (account ids); settings codes win over the chart."""
        Roles = self.env["fusion.account.roles"]
        overrides = {}
        for role in ("hst_collected", "hst_itc"):
            code = Roles._configured_code(role)
            overrides[role] = tuple(Roles._by_code(company, code).ids) if code else ()
        repartition = (
            self.env["account.tax.repartition.line"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("repartition_type", "=", "tax"),
                    ("tax_id.type_tax_use", "in", ("sale", "purchase")),
                    ("account_id", "!=", False),
                ],
                ["tax_id", "account_id", "tag_ids"],
            )
        )
        lines = [
            TaxLine(line.tax_id.id, line.tax_id.type_tax_use, line.account_id.id, tuple(line.tag_ids.mapped("name")))
            for line in repartition
        ]
        return resolve_tax_accounts(lines, overrides["hst_collected"], overrides["hst_itc"])
