"""Pure follow-up services: import nothing from ``odoo`` (checked by the pure suite)."""
