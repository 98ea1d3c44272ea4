"""Replay the demo company's bank statements month by month and measure what the co-pilot learns.

For every statement line, in date order, the matching engine
(``fusion_accounting.services.bank_matching``) proposes its best suggestion;
the memory matcher adjusts its confidence from the decided history; and the
line is matched *automatically* only when its (tool, scenario) pair has been
promoted by ``fusion_accounting.services.scoring`` (scenario = kind of
suggestion, split by whether three or more similar approved matches vouch for
it) and the adjusted confidence clears the bar.  Otherwise the
suggestion is a proposal, approved or rejected from the demo company's answer
key (``fusion_accounting_core.demo_company``), and that decision feeds the
history, the scoring and the rule proposals.  An automatic match the answer
key contradicts counts against precision and is recorded as a rejection, as a
user undoing it would.

Figures per month: ``coverage`` = automatic matches / statement lines,
``precision`` = correct automatic matches / automatic matches.  The statement
lines carry no partner (as most bank feeds): the engine must find it.

Prints one JSON object.
"""

import argparse
import json
import re
import sys
import time
import types
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _register_bare_packages():
    """Import the addons' pure code without Odoo: register each addon as a package whose ``__init__`` is skipped."""
    for addon in ("fusion_accounting_core", "fusion_accounting"):
        if addon not in sys.modules:
            package = types.ModuleType(addon)
            package.__path__ = [str(ROOT / addon)]
            sys.modules[addon] = package


_register_bare_packages()

from fusion_accounting.services.bank_matching import BankLine, ItemIndex, MatchPolicy, OpenItem, suggest  # noqa: E402
from fusion_accounting.services.memory_matcher import MatchFacts, PastMatch, remember  # noqa: E402
from fusion_accounting.services.rule_proposal import pattern_key, propose_rules  # noqa: E402
from fusion_accounting.services.scoring import AUTO, Score, ScoringPolicy, record_decision  # noqa: E402
from fusion_accounting_core.demo_company.planner import build_plan  # noqa: E402

TODAY = date(2026, 11, 22)
TOOL = "match_bank_line_to_payments"
AUTO_BAR = 0.95
HISTORY_WINDOW = 400
REMEMBERED = 3
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
MONTH_FIGURES = ("lines", "auto", "auto_ok", "proposed", "approved")


class Books:
    """Open items of the plan as the engine sees them, with residuals that the answer key settles."""

    def __init__(self, plan):
        self.ids, self.names, self.partners = {}, {}, {}
        self.items = {}  # id -> [date, residual, partner, refs, is_card]
        self.settlements = []  # (date, item key, balance) from entries that settle invoices
        for partner_number, partner in enumerate(plan.partners, start=1):
            self.partners[partner.key] = partner_number
        counters = {}
        for invoice in plan.invoices:
            prefix = {"out_invoice": "INV", "out_refund": "RINV", "in_invoice": "BILL", "in_refund": "RBILL"}
            prefix = prefix[invoice.move_type]
            counters[prefix] = counters.get(prefix, 0) + 1
            name = f"{prefix}/{invoice.date.year}/{counters[prefix]:05d}"
            self.names[invoice.key] = name
            refs = (name, invoice.ref) if invoice.ref else (name,)
            self._add(invoice.key, invoice.date, invoice.item_balance, invoice.partner, refs, False)
        for entry in plan.entries:
            for line in entry.lines:
                if line.item:
                    self._add(line.item, entry.date, line.balance, line.partner, (), line.account == "card_clearing")
                if line.settles:
                    self.settlements.append((entry.date, line.settles, line.balance))
        self.settlements.sort(key=lambda settlement: settlement[0])

    def _add(self, key, day, balance, partner, refs, is_card):  # noqa: PLR0917 - one open item's columns
        self.ids[key] = len(self.ids) + 1
        self.items[self.ids[key]] = [day, balance, self.partners.get(partner), refs, is_card]

    def label(self, text):
        return _PLACEHOLDER.sub(lambda found: self.names.get(found.group(1), found.group(1)), text)

    def settle_entries_until(self, day):
        while self.settlements and self.settlements[0][0] <= day:
            _day, key, balance = self.settlements.pop(0)
            self.items[self.ids[key]][1] += balance

    def open_items(self, day):
        return [
            OpenItem(item_id, item_day, residual, partner, refs, is_card)
            for item_id, (item_day, residual, partner, refs, is_card) in self.items.items()
            if residual and item_day <= day
        ]

    def apply(self, bank_line):
        for counterpart in bank_line.counterparts:
            if counterpart.item:
                self.items[self.ids[counterpart.item]][1] += counterpart.balance


def answer(books, bank_line):
    """``(item ids, fee in cents)`` the answer key says the line settles."""
    ids = frozenset(books.ids[c.item] for c in bank_line.counterparts if c.item)
    fee = sum(c.balance for c in bank_line.counterparts if c.account)
    return ids, fee


def facts(line, suggestion, items_by_id):
    partners = {items_by_id[item_id].partner_id for item_id in suggestion.item_ids if item_id in items_by_id}
    gross = abs(line.amount) + suggestion.fee
    return MatchFacts(
        partner_id=partners.pop() if len(partners) == 1 else None,
        label=line.label,
        amount=line.amount,
        kind=suggestion.kind,
        fee_bps=round(suggestion.fee * 10_000 / gross) if suggestion.fee else None,
        fee_account_id=1 if suggestion.fee else None,
    )


def replay(plan, threshold=0.95, min_sample=30):
    books = Books(plan)
    policy, engine = ScoringPolicy(threshold=threshold, min_sample=min_sample), MatchPolicy()
    scenarios, history, proposals, known = {}, [], [], set()
    months, promotions = {}, []
    lines = sorted(plan.bank_lines, key=lambda line: (line.date, line.key))
    day, index, by_id, settled_today = None, None, {}, set()
    for number, bank_line in enumerate(lines, start=1):
        if bank_line.date != day:
            # One index per day: building it per line is quadratic on the larger sizes.
            day = bank_line.date
            books.settle_entries_until(day)
            items = books.open_items(day)
            index, by_id, settled_today = ItemIndex(items, engine), {item.id: item for item in items}, set()
        month = months.setdefault(day.strftime("%Y-%m"), dict.fromkeys(MONTH_FIGURES, 0))
        month["lines"] += 1
        line = BankLine(number, day, bank_line.amount, books.label(bank_line.label))
        suggestions = [s for s in suggest(line, index, engine) if not settled_today & set(s.item_ids)]
        expected_ids, expected_fee = answer(books, bank_line)
        books.apply(bank_line)
        settled_today |= expected_ids
        if not suggestions:
            continue
        best = suggestions[0]
        ambiguous = len(suggestions) > 1 and suggestions[1].confidence > best.confidence - engine.margin
        match_facts = facts(line, best, by_id)
        recall = remember(match_facts, best.confidence, history[-HISTORY_WINDOW:])
        correct = frozenset(best.item_ids) == expected_ids and best.fee == expected_fee
        # A suggestion that past approvals vouch for is its own scenario: it earns promotion on its own record.
        key = f"{best.kind}/remembered" if len(recall.support) >= REMEMBERED else best.kind
        scenario = scenarios.setdefault(key, Score())
        if scenario.tier == AUTO and recall.confidence >= AUTO_BAR and not ambiguous:
            month["auto"] += 1
            month["auto_ok"] += correct
            if correct:
                continue  # nobody looks at a correct automatic match
        else:
            month["proposed"] += 1
            month["approved"] += correct
        scenarios[key], events = record_decision(scenario, correct, policy)
        promotions.extend(
            {"date": bank_line.date.isoformat(), "scenario": f"{TOOL}/{key}", "event": event.kind} for event in events
        )
        history.append(PastMatch(**match_facts.__dict__, id=number, approved=correct))
        for proposal in propose_rules(history[-HISTORY_WINDOW:], known_keys=known):
            known.add(pattern_key(proposal_match(history, proposal)))
            proposals.append(
                {"date": bank_line.date.isoformat(), "name": proposal.name, "support": len(proposal.support)}
            )
    return months, scenarios, promotions, proposals


def proposal_match(history, proposal):
    return next(match for match in history if match.id == proposal.support[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=42)
    opts = parser.parse_args()
    started = time.perf_counter()
    plan = build_plan(opts.size, opts.seed, TODAY)
    months, scenarios, promotions, proposals = replay(plan)
    policy = ScoringPolicy()
    curve = []
    for month, figures in sorted(months.items()):
        auto = figures["auto"]
        curve.append(
            {
                "month": month,
                "lines": figures["lines"],
                "auto": auto,
                "coverage": round(auto / figures["lines"], 4) if figures["lines"] else 0.0,
                "precision": round(figures["auto_ok"] / auto, 4) if auto else None,
                "proposed": figures["proposed"],
                "approved": figures["approved"],
            }
        )
    total_auto = sum(figures["auto"] for figures in months.values())
    total_ok = sum(figures["auto_ok"] for figures in months.values())
    print(
        json.dumps(
            {
                "source": f"demo company plan (size {opts.size}, seed {opts.seed}, to {TODAY}), answer key from it",
                "lines": sum(figures["lines"] for figures in months.values()),
                "auto_precision": round(total_ok / total_auto, 4) if total_auto else None,
                "curve": curve,
                "scenarios": {
                    kind: {
                        "tier": score.tier,
                        "approved": score.approved,
                        "rejected": score.rejected,
                        "confidence": round(score.confidence(policy), 3),
                    }
                    for kind, score in sorted(scenarios.items())
                },
                "promotions": promotions,
                "rule_proposals": proposals,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
