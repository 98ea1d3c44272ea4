"""Pure rules behind the Fusion AI dashboard: traffic lights, rates, usage."""

from .aging import AgingFigures, aging_figures
from .freshness import Freshness, freshness
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
from .labels import tool_label
from .rates import ToolDecisions, ToolRates, tool_rates
from .usage import UsageTotals, usage_totals

__all__ = [
    "AgingFigures",
    "Freshness",
    "Light",
    "ToolDecisions",
    "ToolRates",
    "UsageTotals",
    "aging_figures",
    "ap_light",
    "ar_light",
    "audit_light",
    "audit_score",
    "bank_light",
    "freshness",
    "hst_light",
    "month_end_light",
    "tool_label",
    "tool_rates",
    "usage_totals",
]
