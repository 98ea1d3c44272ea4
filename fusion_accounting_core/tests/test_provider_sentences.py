"""What the offline co-pilot and the provider status say is said in the user's language."""

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .agent_common import FusionAgentCase

# French of three sentences, as a translator's fr.po would give them.
FRENCH = {
    "%(provider)s selected, no API key: set it in Settings.": (
        "%(provider)s choisi, sans clé d'API : ajoutez-la dans les Paramètres."
    ),
    "No AI model is in use, so I read your question for keywords only.": (
        "Aucun modèle d'IA n'est utilisé : je lis seulement les mots-clés de votre question."
    ),
    "%(tool)s answered: its result is shown above.": "%(tool)s a répondu : son résultat est affiché ci-dessus.",
}


@tagged("post_install", "-at_install")
class TestProviderSentences(FusionAgentCase):
    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("fr_FR")
        self.manager.lang = "fr_FR"
        translations = dict(code_translations.python_translations)
        translations[("fusion_accounting_core", "fr_FR")] = FRENCH
        self.startPatcher(patch.object(code_translations, "python_translations", translations))

    def test_the_provider_status_speaks_the_user_s_language(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("fusion_accounting.ai_provider", "claude")
        params.set_param("fusion_accounting.anthropic_api_key", "")
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        status = agent.provider_status()
        self.assertEqual(status["message"], "Claude choisi, sans clé d'API : ajoutez-la dans les Paramètres.")
        self.assertEqual(status["missing"], "api_key")
        self.manager.lang = "en_US"
        self.assertEqual(agent.provider_status()["message"], "Claude selected, no API key: set it in Settings.")

    def test_an_offline_turn_answers_in_the_user_s_language(self):
        session = self.post(self.manager, "What is my AR aging?")
        self.assertEqual(session.state, "idle", session.last_error)
        self.assertIn("get_ar_aging a répondu : son résultat est affiché ci-dessus.", session.transcript)
        self.assertIn("je lis seulement les mots-clés", session.transcript)
        self.assertNotIn("keywords only", session.transcript)
