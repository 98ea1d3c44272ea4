"""Account settings became per-company pickers: drop the two settings views that name the old code fields.

Each view is validated together with the other while the module loads, so the old
one still in the database would name fields that no longer exist; both are
recreated from the module's files right after.
"""

VIEWS = ("res_config_settings_view_form_catalog1", "res_config_settings_view_form_catalog2")


def migrate(cr, version):
    cr.execute(
        """DELETE FROM ir_ui_view WHERE id IN (
               SELECT res_id FROM ir_model_data
                WHERE module = 'fusion_accounting' AND model = 'ir.ui.view' AND name IN %s
           )""",
        [VIEWS],
    )
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'fusion_accounting' AND model = 'ir.ui.view' AND name IN %s", [VIEWS]
    )
