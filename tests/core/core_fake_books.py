"""A tiny fake ledger with one tool per tier, for loop tests without Odoo."""

from dataclasses import dataclass, field

from fusion_accounting_core.services.agent import Agent, Caller, build_system_prompt, select_tools
from fusion_accounting_core.services.tools import ToolRegistry, tool

STAFF = "g.staff"
MANAGER = "g.manager"
REGISTRY = ToolRegistry()


@dataclass
class Books:
    """The execution context handed to tools; ``writes`` must stay empty unless something was approved."""

    partners: dict = field(default_factory=lambda: {1: "Acme"})
    bank_labels: list = field(default_factory=list)
    invoice_refs: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    writes: list = field(default_factory=list)


@tool(domain="ar", tier=1, groups=(STAFF,), registry=REGISTRY)
def get_ar_aging(books, top: int = 10) -> dict:
    """AR aging by partner.

    Args:
        top: How many partners.
    """
    return {"partners": [{"name": name, "due": 100.0} for name in list(books.partners.values())[:top]]}


@tool(domain="bank", tier=1, groups=(STAFF,), registry=REGISTRY)
def get_unreconciled_bank_lines(books) -> list:
    """Unreconciled bank lines."""
    return [{"id": i, "label": label, "amount": 50.0} for i, label in enumerate(books.bank_labels, 1)]


@tool(domain="ar", tier=1, groups=(STAFF,), registry=REGISTRY)
def get_open_invoices(books) -> list:
    """Open invoices."""
    return [{"id": i, "ref": ref} for i, ref in enumerate(books.invoice_refs, 1)]


@tool(domain="ar", tier=1, groups=(STAFF,), registry=REGISTRY)
def explode(books) -> str:
    """Always fails."""
    raise ZeroDivisionError("division by zero in the aging")


@tool(domain="audit", tier=2, groups=(MANAGER,), registry=REGISTRY)
def flag_entry(books, move_id: int, note: str) -> str:
    """Flag a journal entry.

    Args:
        move_id: Entry to flag.
        note: Why.
    """
    books.flags.append((move_id, note))
    return "flagged"


@tool(domain="ar", tier=3, groups=(MANAGER,), registry=REGISTRY)
def reconcile_payment_to_invoice(books, payment_id: int, invoice_id: int) -> str:
    """Reconcile a payment with an invoice.

    Args:
        payment_id: The payment's journal entry.
        invoice_id: The invoice.
    """
    books.writes.append(("reconcile", payment_id, invoice_id))
    return "reconciled"


STAFF_CALLER = Caller(user_id=2, groups=frozenset({STAFF}), may_write=False)
MANAGER_CALLER = Caller(user_id=3, groups=frozenset({STAFF, MANAGER}), may_write=True)


def make_agent(provider, books, *, caller=MANAGER_CALLER, max_tool_calls=20, log=None, logged=None, observer=None):
    """An agent over the fake books; tier-2 records go to ``logged`` (a list) unless ``log`` is given."""
    if log is None and logged is not None:
        log = logged.append
    return Agent(
        provider=provider,
        tools=select_tools(REGISTRY, caller=caller),
        caller=caller,
        execute=lambda spec, arguments: spec.call(books, arguments),
        system=build_system_prompt(today="2026-10-31"),
        log=log,
        max_tool_calls=max_tool_calls,
        observer=observer,
    )
