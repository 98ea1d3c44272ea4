from odoo.tests import TransactionCase, tagged

# (table, index name part, what its definition must hold): the index-only scans the dashboard,
# the agings and the follow-ups rely on at a million journal items (docs/performance.md).
INDEXES = [
    (
        "account_move_line",
        "fusion_open_items",
        [
            "(account_id) INCLUDE (company_id, partner_id, amount_residual, date_maturity, date)",
            "reconciled IS NOT TRUE",
        ],
    ),
    (
        "account_move_line",
        "fusion_tax_lines",
        ["(date) INCLUDE (company_id, tax_line_id, balance, parent_state, move_id)", "tax_line_id IS NOT NULL"],
    ),
    ("account_move", "fusion_company_date", ["(id) INCLUDE (company_id, date)"]),
]


@tagged("post_install", "-at_install")
class TestIndexes(TransactionCase):
    def test_our_covering_indexes_exist(self):
        for table, name, parts in INDEXES:
            with self.subTest(index=name):
                self.env.cr.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
                    [table, f"%{name}%"],
                )
                definition = self.env.cr.fetchone()
                self.assertTrue(definition, f"the {name} index is missing")
                for part in parts:
                    self.assertIn(part, definition[0])
