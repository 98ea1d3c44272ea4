"""Pure platform code: imports nothing from ``odoo`` (checked by the pure suite)."""
