{
    "name": "Fusion Accounting",
    "summary": "AI accounting co-pilot for Odoo: tools across twelve accounting domains, dashboard and chat",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Fusion Accounting contributors",
    "website": "https://github.com/fusion-accounting/fusion-accounting",
    "license": "LGPL-3",
    "depends": ["fusion_accounting_core"],
    "data": [
        "views/dashboard_views.xml",
        "security/ir.model.access.csv",
        "security/fusion_rule_security.xml",
        "views/fusion_rule_views.xml",
        "views/fusion_tool_promotion_views.xml",
        "security/fusion_audit_security.xml",
        "data/fusion_audit_cron.xml",
        "report/financial_statement_template.xml",
        "report/audit_report_template.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "fusion_accounting/static/src/scss/*.scss",
            "fusion_accounting/static/src/chat/*",
            "fusion_accounting/static/src/dashboard/*",
        ],
        "web.assets_unit_tests": [
            "fusion_accounting/static/tests/**/*",
            ("remove", "fusion_accounting/static/tests/tours/**/*"),
        ],
        "web.assets_tests": [
            "fusion_accounting/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
