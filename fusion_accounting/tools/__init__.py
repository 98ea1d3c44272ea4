"""The co-pilot's tools; importing a module registers its tools in the platform registry."""

from . import (
    adp,
    audit,
    bank_reconciliation,
    close_adjustments,
    hst,
    inventory,
    journal_review,
    month_end,
    payables,
    payroll,
    receivables,
    reporting,
    rules,
)
