"""Which accounts hold GST/HST collected and input tax credits, read from the chart's taxes.

A tax's "tax" repartition lines carry the account the tax is booked to and
the tax-report tags it feeds.  On the CRA GST/HST return, line 103 is the tax
collected and line 106 the input tax credits, so the chart's tags (``Ca103``,
``Ca106`` in ``l10n_ca``) say which accounts are which.  Without those tags,
sale taxes give the collected accounts and purchase taxes the ITC accounts.
Accounts named in the settings win over both.

>>> lines = [TaxLine(1, "sale", 21, ("+Ca103",)), TaxLine(2, "purchase", 31, ("Ca106",)),
...          TaxLine(3, "purchase", 40, ("Pst",))]
>>> resolve_tax_accounts(lines)
TaxAccounts(collected=(21,), itc=(31,), source='tags')
>>> resolve_tax_accounts(lines, collected_override=(99,)).collected
(99,)
"""

from dataclasses import dataclass

COLLECTED_TAGS = frozenset({"Ca103"})
ITC_TAGS = frozenset({"Ca106"})


@dataclass(frozen=True)
class TaxLine:
    """One "tax" repartition line: its tax's use (``sale``/``purchase``), account and tag names."""

    tax_id: int
    type_tax_use: str
    account_id: int | None
    tags: tuple = ()


@dataclass(frozen=True)
class TaxAccounts:
    """Account ids of tax collected and of input tax credits, and where they came from."""

    collected: tuple
    itc: tuple
    source: str


def _tag_codes(tags):
    return {tag.lstrip("+-").strip() for tag in tags}


def resolve_tax_accounts(
    lines, collected_override=(), itc_override=(), collected_tags=COLLECTED_TAGS, itc_tags=ITC_TAGS
):
    """Collected and ITC accounts: overrides first, then tags, then the taxes' use."""
    with_account = [line for line in lines if line.account_id]
    by_tag_collected = sorted({line.account_id for line in with_account if _tag_codes(line.tags) & collected_tags})
    by_tag_itc = sorted({line.account_id for line in with_account if _tag_codes(line.tags) & itc_tags})
    source = "tags"
    if not by_tag_collected and not by_tag_itc:
        source = "tax use"
        by_tag_collected = sorted({line.account_id for line in with_account if line.type_tax_use == "sale"})
        by_tag_itc = sorted({line.account_id for line in with_account if line.type_tax_use == "purchase"})
    if collected_override or itc_override:
        source = "settings" if collected_override and itc_override else f"settings and {source}"
    return TaxAccounts(
        collected=tuple(collected_override) or tuple(by_tag_collected),
        itc=tuple(itc_override) or tuple(by_tag_itc),
        source=source,
    )
