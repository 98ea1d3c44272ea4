{
    "name": "Fusion Accounting Follow-ups",
    "summary": "Customer follow-ups (dunning) with aging, risk score, tone and AI-drafted text",
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
