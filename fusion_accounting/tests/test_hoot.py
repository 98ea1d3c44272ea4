"""Runs this addon's Hoot unit tests (static/tests/*.test.js) in headless Chromium."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCopilotHoot(HttpCase):
    def test_copilot_components(self):
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&filter=FusionCopilotUI",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=lambda message: "[HOOT]" not in message,
        )
