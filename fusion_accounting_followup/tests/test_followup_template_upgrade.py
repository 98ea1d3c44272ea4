"""An upgrade gives the shipped follow-up e-mails their new text, except those a user adapted."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.fusion_accounting_followup.template_upgrade import refresh_untouched_templates

MODULE = "fusion_accounting_followup"


@tagged("post_install", "-at_install")
class TestTemplateUpgrade(TransactionCase):
    def test_the_templates_nobody_edited_get_the_new_text_and_an_edited_one_is_kept(self):
        reminder = self.env.ref(f"{MODULE}.mail_template_followup_reminder")
        legal = self.env.ref(f"{MODULE}.mail_template_followup_legal")
        # As a database of the previous version: the shipped text was older, and a user adapted one template.
        reminder.write({"body_html": "<p>Please pay.</p>"})
        legal.with_user(self.env.ref("base.user_admin")).write({"body_html": "<p>Our own legal words.</p>"})
        self.env.flush_all()

        refreshed = refresh_untouched_templates(self.env)

        self.assertEqual(refreshed, ["mail_template_followup_reminder", "mail_template_followup_warning"])
        self.assertIn("Total overdue", reminder.body_html)
        self.assertEqual(legal.body_html, "<p>Our own legal words.</p>")
        self.assertEqual(legal.write_uid, self.env.ref("base.user_admin"))
        flags = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "mail.template")])
        self.assertTrue(all(flags.mapped("noupdate")), "later upgrades leave the templates alone")
