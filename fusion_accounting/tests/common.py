"""Domain assertions shared by the co-pilot's Odoo tests."""

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

DASHBOARD_CARDS = ("bank", "ar", "ap", "hst", "audit", "month_end")


class DashboardAssertions:
    def dashboard(self, today, user=None, companies=None):
        model = self.env["fusion.accounting.dashboard"]
        if user:
            model = model.with_user(user)
        if companies:
            model = model.with_context(allowed_company_ids=companies.ids)
        return model.get_dashboard_data(today=today)

    def card(self, data, key):
        return next(card for card in data["cards"] if card["key"] == key)

    def assertLight(self, data, key, light):
        card = self.card(data, key)
        self.assertEqual(card["light"], light, f"{key} card: {card}")


class DashboardCase(AccountTestInvoicingCommon, DashboardAssertions):
    """A fresh company (post_install) with nothing open in it; the dashboard looks at it alone."""

    def dashboard(self, today, user=None, companies=None):
        return super().dashboard(today, user=user, companies=companies or self.company_data["company"])
