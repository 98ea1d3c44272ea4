"""Whether optional Odoo modules are installed: the one place the suite asks.

Every check of an optional module (stock_account, purchase, fusion_payroll,
Enterprise's account_reports and account_followup) goes through
:func:`module_installed` or :func:`installed_modules`, so that "installed"
means the same thing everywhere: loaded in this database (``installed`` or
``to upgrade``).  ``pending=True`` also counts modules being installed right
now (``to install``), which only code running during that very install needs
(the tool mirror syncs its own addon's tools at install time).
"""

INSTALLED = ("installed", "to upgrade")
PENDING = ("to install",)


def installed_modules(env, *, pending=False):
    """Names of the installed modules of ``env``'s database (one query, no access rights needed)."""
    states = INSTALLED + PENDING if pending else INSTALLED
    env.cr.execute("SELECT name FROM ir_module_module WHERE state IN %s", [states])
    return {name for (name,) in env.cr.fetchall()}


def module_installed(env, name):
    """True when module ``name`` is installed in ``env``'s database."""
    env.cr.execute("SELECT 1 FROM ir_module_module WHERE name = %s AND state IN %s", [name, INSTALLED])
    return bool(env.cr.fetchone())
