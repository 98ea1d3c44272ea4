"""Pure rules behind the Fusion AI dashboard: traffic lights, rates, usage."""

from .health import (
    Light,
    ap_light,
    ar_light,
    audit_light,
    audit_score,
    bank_light,
    hst_light,
    month_end_light,
)
from .rates import ToolDecisions, ToolRates, tool_rates
from .usage import UsageTotals, usage_totals

__all__ = [
    "Light",
    "ToolDecisions",
    "ToolRates",
    "UsageTotals",
    "ap_light",
    "ar_light",
    "audit_light",
    "audit_score",
    "bank_light",
    "hst_light",
    "month_end_light",
    "tool_rates",
    "usage_totals",
]
