from lxml import etree

from odoo import models

COMPILE_MEMO = "fusion_qweb_compile_memo"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        # EXTENDS base: a mail template is rendered from its source, which QWeb compiles again for
        # every record (only views are cached), about half of rendering a follow-up email.  The
        # daily scan renders one template for a whole batch of partners with a dict under
        # COMPILE_MEMO in the context; within it, a source is compiled once per rendering options.
        memo = self.env.context.get(COMPILE_MEMO)
        if memo is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        options = tuple(self.env.context.get(key) or False for key in self._get_template_cache_keys())
        key = (etree.tostring(template), options)
        if key not in memo:
            memo[key] = super()._compile(template)
        return memo[key]
