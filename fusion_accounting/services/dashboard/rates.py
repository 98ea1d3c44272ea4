"""Approval and override rates per tool, from settled tier-3 proposals.

An *override* is an approval or rejection where the user also said what
should have been done instead: the AI was at least partly wrong.

>>> rows = [ToolDecisions("match_bank_line", approved=9, rejected=1, overridden=2, pending=3)]
>>> tool_rates(rows)[0]
ToolRates(tool='match_bank_line', decided=10, pending=3, approval_rate=0.9, override_rate=0.2)
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolDecisions:
    tool: str
    approved: int = 0
    rejected: int = 0
    overridden: int = 0
    pending: int = 0


@dataclass(frozen=True)
class ToolRates:
    tool: str
    decided: int
    pending: int
    approval_rate: float | None  # None until something was decided
    override_rate: float | None


def tool_rates(rows):
    """One :class:`ToolRates` per tool, most decided first, then by name."""
    rates = []
    for row in rows:
        decided = row.approved + row.rejected
        rates.append(
            ToolRates(
                tool=row.tool,
                decided=decided,
                pending=row.pending,
                approval_rate=round(row.approved / decided, 4) if decided else None,
                override_rate=round(min(row.overridden, decided) / decided, 4) if decided else None,
            )
        )
    return sorted(rates, key=lambda rate: (-rate.decided, rate.tool))
