"""Attack family: the follow-up dashboard's routes over real JSON-RPC, with real users.

A person's button may do what the AI may only propose, but only by role,
after an explicit confirmation when it sends outside the schedule, and logged
as a human action.  Every attempt below runs in ``self.attack``: no financial
table, no e-mail, no follow-up run and no chatter message may appear.
"""

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fusion_accounting_core.tests.attack_common import AttackSuiteMixin

from .common import MANAGER, TODAY, FollowupCommon, FollowupRoutes

STAFF = "base.group_user,fusion_accounting_core.group_fusion_user"
INT4_TOO_BIG = 2**31
HISTORY = "fusion.accounting.match.history"


def refused(answer):
    return isinstance(answer, dict) and bool(answer.get("refused") or answer.get("confirm_required"))


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestAttackFollowup(FollowupRoutes, AttackSuiteMixin, FollowupCommon, HttpCase):
    attack_extra_snapshot = {
        "mail_mail": "SELECT count(*) FROM mail_mail",
        "mail_message": "SELECT count(*) FROM mail_message",
        "fusion_followup_run": "SELECT count(*) FROM fusion_followup_run",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.invoice(cls.partner_a, 100, 10)  # Reminder due
        cls.manager = new_test_user(cls.env, login="fu_manager", groups=MANAGER, company_id=company.id)
        cls.staff = new_test_user(cls.env, login="fu_staff", groups=STAFF, company_id=company.id)
        (cls.manager | cls.staff).company_ids = company
        other = cls.setup_other_company()["company"]
        cls.elsewhere = new_test_user(cls.env, login="fu_elsewhere", groups=MANAGER, company_id=other.id)
        cls.elsewhere.company_ids = other
        # A customer of the first company only: the second company's Manager must not learn it exists.
        cls.private = cls.env["res.partner"].create(
            {"name": "Company One Only", "email": "one@example.com", "company_id": company.id}
        )
        cls.invoice(cls.private, 300, 40)
        cls.missing_id = cls.env["res.partner"].search([], order="id desc", limit=1).id + 1000

    def as_user(self, login):
        self.authenticate(login, login)

    def human_rows(self, partner, tool_name):
        return self.env[HISTORY].search(
            [("partner_id", "=", partner.id), ("tool_name", "=", tool_name), ("channel", "=", "human")]
        )

    def assertSentence(self, answer, label):
        self.assertIsInstance(answer, dict, f"{label}: no JSON answer")
        self.assertIs(answer.get("refused"), True, f"{label}: {answer!r} is not a refusal")
        sentence = answer.get("error")
        self.assertIsInstance(sentence, str, f"{label}: {answer!r} is not an error")
        self.assertTrue(sentence.strip().endswith((".", "?")), f"{label}: {sentence!r} is not a sentence")
        self.assertNotIn("Traceback", sentence, label)
        self.assertNotIn("unexpectedly", sentence, f"{label}: the route crashed")
        return sentence

    # ------------------------------------------------------------------ force resend
    def test_force_resend_needs_the_confirmation_of_what_it_resends(self):
        self.as_user("fu_manager")
        first = self.rpc("send", partner_id=self.partner_a.id)
        self.assertEqual((first["state"], first["level_id"]), ("sent", self.reminder.id))
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)

        question = self.attack(
            "force resend without confirmation",
            lambda: self.rpc("send", partner_id=self.partner_a.id, force=True),
            refused_if=refused,
        )
        self.assertTrue(question["confirm_required"])
        self.assertEqual((question["level_id"], question["already_sent_today"]), (self.reminder.id, 1))
        self.assertIn(self.reminder.name, question["message"])
        for label, params in [
            ("the same level again, not forced", {}),
            ("forced, forged token", {"force": True, "confirm": "0" * 32}),
            ("forced, token of another action", {"force": True, "confirm": question["confirm"][::-1]}),
            ("a token without force", {"confirm": question["confirm"]}),
        ]:
            answer = self.attack(
                label, lambda params=params: self.rpc("send", partner_id=self.partner_a.id, **params), refused
            )
            self.assertSentence(answer, label)
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1, "no e-mail was resent")

        resent = self.rpc("send", partner_id=self.partner_a.id, force=True, confirm=question["confirm"])
        self.assertEqual(resent["state"], "sent")
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)
        row = self.human_rows(self.partner_a, "followup_send_now")
        self.assertEqual((len(row), row.user_id, row.decided_by), (1, self.manager, self.manager))
        self.assertEqual((row.execution_state, row.session_id.id), ("done", False))

        replay = self.attack(
            "replay of a used confirmation",
            lambda: self.rpc("send", partner_id=self.partner_a.id, force=True, confirm=question["confirm"]),
            refused,
        )
        self.assertIn("no longer matches", self.assertSentence(replay, "replay"))
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)

    # ------------------------------------------------------------------ escalate
    def test_escalate_moves_one_level_per_confirmation_and_is_logged(self):
        self.as_user("fu_manager")
        self.rpc("send", partner_id=self.partner_a.id)
        question = self.attack(
            "escalate without confirmation",
            lambda: self.rpc("escalate", partner_id=self.partner_a.id),
            refused_if=refused,
        )
        self.assertEqual((question["confirm_required"], question["level_id"]), (True, self.warning.id))
        self.assertFalse(self.human_rows(self.partner_a, "followup_escalate"))

        escalated = self.rpc("escalate", partner_id=self.partner_a.id, confirm=question["confirm"])
        self.assertEqual((escalated["state"], escalated["level_id"]), ("sent", self.warning.id))
        row = self.human_rows(self.partner_a, "followup_escalate")
        self.assertEqual(len(row), 1, "one history row for one escalation")
        self.assertEqual((row.user_id, row.channel, row.tier), (self.manager, "human", "2"))
        self.assertEqual(row._arguments(), {"partner_id": self.partner_a.id, "level_id": self.warning.id})
        self.assertIn('"state":"sent"', row.tool_result)

        answer = self.attack(
            "the same confirmation for a second level",
            lambda: self.rpc("escalate", partner_id=self.partner_a.id, confirm=question["confirm"]),
            refused,
        )
        self.assertSentence(answer, "second escalation")
        self.assertEqual(self.partner_a.with_company(self.env.company).fusion_followup_last_level_id, self.warning)
        self.assertEqual(len(self.human_rows(self.partner_a, "followup_escalate")), 1)

    def test_pause_and_reset_are_logged_as_human_actions(self):
        self.as_user("fu_manager")
        self.assertEqual(self.rpc("pause", partner_id=self.partner_a.id, until_date="2025-07-31")["status"], "paused")
        self.assertEqual(self.rpc("reset", partner_id=self.partner_a.id)["last_level_id"], None)
        pause = self.human_rows(self.partner_a, "followup_pause")
        self.assertEqual((len(pause), pause.user_id), (1, self.manager))
        self.assertEqual(pause._arguments(), {"partner_id": self.partner_a.id, "until_date": "2025-07-31"})
        self.assertEqual(self.human_rows(self.partner_a, "followup_reset").user_id, self.manager)

    def test_partner_form_buttons_follow_the_same_rules(self):
        partner = self.partner_a.with_user(self.manager)
        partner.action_fusion_followup_send()
        self.attack("the form's Send twice the same day", partner.action_fusion_followup_send)
        partner.action_fusion_followup_escalate()
        self.assertEqual(self.partner_a.with_company(self.env.company).fusion_followup_last_level_id, self.warning)
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)
        self.assertEqual(
            self.env[HISTORY]
            .search([("partner_id", "=", self.partner_a.id), ("channel", "=", "human")])
            .mapped("tool_name"),
            ["followup_escalate", "followup_send_due"],
        )

    # ------------------------------------------------------------------ roles
    def test_staff_reads_but_cannot_act(self):
        self.as_user("fu_staff")
        self.assertEqual(self.rpc("get_partner", partner_id=self.partner_a.id)["total_overdue"], "100.00")
        history_before = self.env[HISTORY].search_count([])
        for endpoint, params in [
            ("send", {}),
            ("send", {"force": True}),
            ("escalate", {}),
            ("escalate", {"confirm": "0" * 32}),
            ("pause", {}),
            ("reset", {}),
        ]:
            label = f"staff {endpoint} {params}"
            answer = self.attack(
                label,
                lambda endpoint=endpoint, params=params: self.rpc(endpoint, partner_id=self.partner_a.id, **params),
                refused,
            )
            self.assertIn("rights", self.assertSentence(answer, label))
        self.assertEqual(self.env[HISTORY].search_count([]), history_before)

    # ------------------------------------------------------------------ companies
    def test_another_companys_partner_answers_like_a_missing_one(self):
        self.as_user("fu_elsewhere")
        for endpoint in ("get_partner", "compute_level", "history", "generate_text", "send", "escalate", "pause"):
            answers = []
            for partner_id in (self.private.id, self.missing_id):
                label = f"{endpoint} on partner {partner_id} from the other company"
                answer = self.attack(
                    label, lambda endpoint=endpoint, pid=partner_id: self.rpc(endpoint, partner_id=pid), refused
                )
                answers.append(self.assertSentence(answer, label).replace(str(partner_id), "<id>"))
            self.assertEqual(answers[0], answers[1], f"{endpoint} tells an existing partner from a missing one")

    # ------------------------------------------------------------------ hostile inputs
    def test_hostile_inputs_answer_a_sentence(self):
        self.as_user("fu_manager")
        pid = self.partner_a.id
        bad_ids = ["abc", -1, 0, INT4_TOO_BIG, 2**63, 1.5, [pid], {"id": pid}, f"{pid}\x00", True, "", None]
        table = []
        for endpoint in ("get_partner", "compute_level", "send", "escalate", "pause", "reset", "history"):
            table += [(endpoint, {"partner_id": value}) for value in bad_ids]
        table += [("generate_text", {"partner_id": value}) for value in ("abc", INT4_TOO_BIG, [pid])]
        table += [
            ("list_overdue", {"limit": "ten"}),
            ("list_overdue", {"limit": -5}),
            ("list_overdue", {"limit": 0}),
            ("list_overdue", {"limit": 10**9}),
            ("list_overdue", {"limit": float("1e308")}),
            ("list_overdue", {"offset": -1}),
            ("list_overdue", {"offset": "abc"}),
            ("list_overdue", {"offset": INT4_TOO_BIG}),
            ("list_overdue", {"order": "name; DROP TABLE res_partner"}),
            ("list_overdue", {"order": "rp.id"}),
            ("list_overdue", {"order": ["overdue"]}),
            ("list_overdue", {"search": "a\x00b"}),
            ("list_overdue", {"search": ["acme"]}),
            ("list_overdue", {"search": "x" * 10_000}),
            ("history", {"partner_id": pid, "limit": -1}),
            ("history", {"partner_id": pid, "limit": "all"}),
            ("history", {"partner_id": pid, "limit": INT4_TOO_BIG}),
            ("pause", {"partner_id": pid, "until_date": "0001-01-01"}),
            ("pause", {"partner_id": pid, "until_date": "0000-00-00"}),
            ("pause", {"partner_id": pid, "until_date": "2025-02-30"}),
            ("pause", {"partner_id": pid, "until_date": "10000-01-01"}),
            ("pause", {"partner_id": pid, "until_date": 20250731}),
            ("pause", {"partner_id": pid, "until_date": ["2025-07-31"]}),
            ("pause", {"partner_id": pid, "until_date": "2025-07-31\x00"}),
            ("pause", {"partner_id": pid, "until_date": "2025-06-01"}),  # a real day, but in the past
            ("send", {"partner_id": pid, "level_id": "abc"}),
            ("send", {"partner_id": pid, "level_id": INT4_TOO_BIG}),
            ("send", {"partner_id": pid, "level_id": 987654}),  # no such level
            ("send", {"partner_id": pid, "force": "yes"}),
            ("send", {"partner_id": pid, "force": [True]}),
            ("send", {"partner_id": pid, "force": True, "confirm": ["token"]}),
            ("send", {"partner_id": pid, "force": True, "confirm": "x" * 100}),
            ("send", {"partner_id": pid, "force": True, "confirm": "a\x00b"}),
            ("escalate", {"partner_id": pid, "confirm": {"token": 1}}),
            ("generate_text", {"partner_id": pid, "level_id": -3}),
        ]
        for endpoint, params in table:
            label = f"{endpoint} {params!r:.80}"
            answer = self.attack(label, lambda endpoint=endpoint, params=params: self.rpc(endpoint, **params), refused)
            self.assertSentence(answer, label)
        self.assertFalse(self.followup_mails(self.partner_a))
