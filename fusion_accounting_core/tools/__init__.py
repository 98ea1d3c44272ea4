"""The Odoo side of the first tools, registered in the code registry on import."""

from . import ar_aging, bank_lines, links, reconcile
