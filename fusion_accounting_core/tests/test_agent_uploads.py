import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .agent_common import FusionAgentCase

SUMMARY = [["Pay date: 2026-01-16"], ["Employee", "Gross Pay", "CPP", "Net Pay"], ["Avery Lee", 2000, -110.99, 1889.01]]


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name, data):
    return {"name": name, "data": base64.b64encode(data).decode()}


@tagged("post_install", "-at_install")
class TestChatUploads(FusionAgentCase):
    """Payroll summaries uploaded in the chat: read into the message, kept on the session, refused clearly."""

    def setUp(self):
        super().setUp()
        self.authenticate("fa_manager", "fa_manager")

    def send(self, text, *files):
        return self.make_jsonrpc_request("/fusion/ai/message", {"text": text, "files": list(files)})

    def attachments(self, session_id):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "fusion.accounting.session"), ("res_id", "=", session_id)]
        )

    def test_an_xlsx_summary_reaches_the_model_as_csv_and_is_kept(self):
        provider = self.script("I read one employee.")
        data = xlsx(SUMMARY)
        posted = self.send("Check this payroll", upload("Payroll Summary.xlsx", data))
        self.assertEqual((posted["state"], posted.get("errors")), ("queued", None))
        self.run_jobs()

        question = provider.requests[0].messages[-1].text
        self.assertEqual(
            question,
            "Check this payroll\n\nAttached file Payroll Summary.xlsx:\n```\n"
            "Pay date: 2026-01-16\nEmployee,Gross Pay,CPP,Net Pay\nAvery Lee,2000,-110.99,1889.01\n```",
        )
        (attachment,) = self.attachments(posted["session_id"])
        self.assertEqual((attachment.name, attachment.raw), ("Payroll Summary.xlsx", data))
        session = self.env["fusion.accounting.session"].browse(posted["session_id"])
        self.assertEqual(session.state, "idle")

    def test_a_file_alone_is_a_message(self):
        provider = self.script("Noted.")
        posted = self.send("", upload("run.csv", b"Employee,Gross Pay\nAvery,100"))
        self.run_jobs()
        self.assertTrue(provider.requests[0].messages[-1].text.startswith("Attached file run.csv:\n```\nEmployee"))
        self.assertEqual(self.env["fusion.accounting.session"].browse(posted["session_id"]).name, "run.csv")

    def test_another_type_is_refused_and_nothing_is_lost(self):
        provider = self.script("never asked")
        posted = self.send("Book this", upload("payroll.csv", b"Employee,Net\nA,1"), upload("notes.docx", b"PK\x03"))
        self.assertEqual(posted["errors"], ["notes.docx: only CSV, TXT, TSV, XLSX and PDF files can be read."])
        self.assertEqual(posted["state"], "idle", "no turn is queued with a file it cannot read")
        self.run_jobs()
        self.assertFalse(provider.requests)
        self.assertEqual(self.attachments(posted["session_id"]).mapped("name"), ["notes.docx", "payroll.csv"])

    def test_a_file_not_in_base64_is_an_error(self):
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "name and base64 data"):
            agent.post_message("hi", files=[{"name": "x.csv", "data": "not base64!"}])
        self.assertFalse(self.env["fusion.accounting.session"].search([("user_id", "=", self.manager.id)]))
