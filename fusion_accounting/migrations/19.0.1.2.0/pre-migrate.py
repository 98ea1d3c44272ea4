"""The accrual accounts became a per-company picker: drop the settings views that name the old code field.

The payroll-and-close view named ``fusion_accrual_account_codes``; while the module loads, every
settings view is validated with the others, so the old one still in the database would name a
field that no longer exists.  The close view inherits it (``restrict``), so it goes first; both are
recreated from the module's files right after.
"""

VIEWS = ("res_config_settings_view_form_close", "res_config_settings_view_form_catalog2")


def migrate(cr, version):
    for name in VIEWS:
        cr.execute(
            """DELETE FROM ir_ui_view WHERE id IN (
                   SELECT res_id FROM ir_model_data
                    WHERE module = 'fusion_accounting' AND model = 'ir.ui.view' AND name = %s
               )""",
            [name],
        )
        cr.execute(
            "DELETE FROM ir_model_data WHERE module = 'fusion_accounting' AND model = 'ir.ui.view' AND name = %s",
            [name],
        )
