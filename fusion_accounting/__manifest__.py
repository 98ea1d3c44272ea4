{
    "name": "Fusion Accounting",
    "summary": "AI accounting co-pilot for Odoo: tools across twelve accounting domains, dashboard and chat",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Fusion Accounting contributors",
    "website": "https://github.com/fusion-accounting/fusion-accounting",
    "license": "LGPL-3",
    "depends": ["fusion_accounting_core"],
    "data": [],
    "installable": True,
    "application": False,
}
