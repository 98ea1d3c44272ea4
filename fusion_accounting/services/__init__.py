"""Pure co-pilot code: imports nothing from ``odoo`` (checked by the pure suite)."""
