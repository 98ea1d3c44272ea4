{
    "name": "Fusion Accounting Follow-ups",
    "summary": "Customer follow-ups (dunning) with aging, risk score, tone and AI-drafted text",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Fusion Accounting contributors",
    "website": "https://github.com/fusion-accounting/fusion-accounting",
    "license": "LGPL-3",
    "depends": ["fusion_accounting_core"],
    "data": [
        "security/ir.model.access.csv",
        "security/followup_security.xml",
        "data/mail_templates_data.xml",
        "data/followup_levels_data.xml",
        "data/cron.xml",
        "data/fusion_tool_sync.xml",
        "views/followup_level_views.xml",
        "views/followup_run_views.xml",
        "views/res_partner_views.xml",
        "views/wizard_views.xml",
        "views/menus.xml",
        "views/followup_dashboard_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            # Variables first: SCSS files of an addon cannot @import each other in 19.
            "fusion_accounting_followup/static/src/scss/_variables.scss",
            "fusion_accounting_followup/static/src/scss/followup.scss",
            "fusion_accounting_followup/static/src/scss/dark_mode.scss",
            "fusion_accounting_followup/static/src/services/*.js",
            "fusion_accounting_followup/static/src/components/**/*",
            "fusion_accounting_followup/static/src/views/**/*",
        ],
        "web.assets_unit_tests": [
            "fusion_accounting_followup/static/tests/**/*",
        ],
        "web.assets_tests": [
            "fusion_accounting_followup/static/src/tours/followup_tours.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
