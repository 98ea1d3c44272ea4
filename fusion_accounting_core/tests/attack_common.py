"""The hostile-input and attack suite's one yardstick: did an attempt write money?

Every attack test wraps each attempt in :meth:`AttackSuiteMixin.attack`, which
counts the rows of every financial table (and what posting or reconciling
changes in them) before and after the attempt.  An attempt that changed any of
them without an approval is an *unapproved write*: the test fails and the
class's closing log line says so.  ``tools/suite.py`` adds up those lines and
prints ``attack suite: N attempts, N refused, N unapproved writes``.

Add a family to the suite by mixing this into an ``HttpCase`` (real JSON-RPC)
or a ``TransactionCase`` and calling :meth:`attack` for each attempt.
"""

import logging
from collections import Counter

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests.common import JsonRpcException

_logger = logging.getLogger(__name__)

# Tables whose change is a financial write.  Counted and fingerprinted: a
# posting changes ``parent_state``, a reconciliation changes residuals.
FINANCIAL_SNAPSHOT = {
    "account_move": "SELECT count(*), count(*) FILTER (WHERE state = 'posted') FROM account_move",
    "account_move_line": (
        "SELECT count(*), coalesce(sum(abs(amount_residual)), 0), count(*) FILTER (WHERE reconciled) "
        "FROM account_move_line"
    ),
    "account_partial_reconcile": "SELECT count(*), coalesce(sum(amount), 0) FROM account_partial_reconcile",
    "account_full_reconcile": "SELECT count(*) FROM account_full_reconcile",
    "account_payment": "SELECT count(*) FROM account_payment",
}
REFUSALS = (AccessError, MissingError, UserError, ValidationError, JsonRpcException, ValueError, TypeError)
ATTACK_LOG_PREFIX = "FUSION-ATTACK"


class AttackSuiteMixin:
    """Count attempts, refusals and writes without approval; fail on any such write."""

    #: extra ``{name: SQL returning one row}`` a family also watches (rules, e-mails, ...)
    attack_extra_snapshot = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._attack_counts = Counter()

    @classmethod
    def tearDownClass(cls):
        counts = cls._attack_counts
        _logger.info(
            "%s %s attempts=%d refused=%d unapproved_writes=%d",
            ATTACK_LOG_PREFIX,
            cls.__name__,
            counts["attempts"],
            counts["refused"],
            counts["unapproved_writes"],
        )
        super().tearDownClass()

    def financial_snapshot(self):
        self.env.flush_all()
        snapshot = {}
        for name, query in {**FINANCIAL_SNAPSHOT, **self.attack_extra_snapshot}.items():
            self.env.cr.execute(query)
            snapshot[name] = tuple(self.env.cr.fetchone())
        return snapshot

    def attack(self, label, attempt, refused_if=None):
        """Run ``attempt()``; return its result (``None`` when it raised a refusal).

        ``refused_if(result)`` tells a refusal answered as a value (a route's
        ``{"error": ...}``) from a success.  Whatever happens, no financial
        table may change.
        """
        before = self.financial_snapshot()
        result, refused = None, False
        try:
            with self.env.cr.savepoint(flush=False):
                result = attempt()
        except REFUSALS:
            refused = True
        if not refused and refused_if is not None:
            refused = bool(refused_if(result))
        after = self.financial_snapshot()
        self.env.invalidate_all()
        changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
        self._attack_counts["attempts"] += 1
        self._attack_counts["refused"] += refused
        self._attack_counts["unapproved_writes"] += bool(changed)
        self.assertFalse(changed, f"{label}: financial write without approval {changed}")
        return result
