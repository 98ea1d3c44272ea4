"""Evaluation of follow-up aging and levels (``fusion_accounting_followup/services/followup_plan.py``).

Each seed draws a company ladder (two to four levels, random delays), a day, and partners
of many styles, each with the generator's own answer: the aging bucket of every amount
(Enterprise's six periods, written out here independently of the table), the status, the
level a send uses (the first rung at first contact, one rung at a time, or the level by
days when the seed allows skipping) and whether a send happens.

* **plain**: invoices past due and not yet due, never reminded;
* **partial**: invoices partly paid (the residual is what ages and what is chased);
* **credit_note**: an open credit note beside invoices (it lowers the balance, never the level);
* **credit_covered**: credit notes and unapplied payments past due that cover every overdue
  invoice, or a payment received today that leaves nothing owed: never chased;
* **credit_partial**: past-due credits covering part of the overdue invoices (and a credit in
  another company, which nets nothing here): chased for the rest;
* **installments**: a payment term with several due dates, some not yet due;
* **third_party**: a payer (ADP, an insurer) owing shares of many clients' invoices, booked by
  split entries: aged and dunned like invoices;
* **other_company**: the same partner's items in another company, which must be left alone;
* **disputed**: an open dispute on the oldest invoice, which must be left out of the chase;
* **excluded**: items a person excluded from follow-ups: aged, never dunned;
* **not_due**: nothing past due yet: left alone;
* **reminded**: earlier levels sent on some items (and some days ago), the next rung is due;
* **sent_today**: a level went out today: nothing more until tomorrow;
* **paused**: paused until a later day;
* **promised**: a promise to pay through a later day.

A partner's plan is judged on five answers: ``send`` (precision/recall of the decision to
send), ``level`` (the level sent, when one is sent), ``status``, ``aging`` (every bucket
to the cent) and ``amount`` (the total a follow-up states: overdue debits less past-due
credits).  The last line of stdout is one JSON object: figures per kind and per seed.

Usage: ``python tools/evals/eval_followup_levels.py --seeds 20``
"""

import argparse
import json
import random
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pure_addons, also when loaded by a test
import pure_addons


def _load_pure():
    """Import the pure services without running the addons' ``__init__`` (which needs Odoo)."""
    pure_addons.register("fusion_accounting_core", "fusion_accounting_followup")
    from fusion_accounting_core.services import ar_aging_buckets
    from fusion_accounting_followup.services import followup_plan, level_resolver, open_item, partner_overdue

    return ar_aging_buckets, followup_plan, level_resolver, open_item, partner_overdue


aging_mod, plan_mod, levels_mod, item_mod, overdue_mod = _load_pure()
OpenItem, LevelSpec, Ladder = item_mod.OpenItem, levels_mod.LevelSpec, levels_mod.Ladder
FollowupState, plan_followup = plan_mod.FollowupState, plan_mod.plan_followup

KINDS = (
    "plain",
    "partial",
    "credit_note",
    "credit_covered",
    "credit_partial",
    "installments",
    "third_party",
    "other_company",
    "disputed",
    "excluded",
    "not_due",
    "reminded",
    "sent_today",
    "paused",
    "promised",
)
PARTNERS_PER_KIND = 8
COMPANY, OTHER_COMPANY = 1, 2


def expected_bucket(days):
    """Enterprise's aged receivable periods, written out: At Date, 1-30, 31-60, 61-90, 91-120, Older."""
    if days <= 0:
        return "current"
    for top, key in ((30, "1-30"), (60, "31-60"), (90, "61-90"), (120, "91-120")):
        if days <= top:
            return key
    return "120+"


def money(rng, low, high):
    return Decimal(rng.randint(low * 100, high * 100)) / 100


class Partner:
    """One partner's generated items and state, and the answer the plan must give."""

    def __init__(self, kind, partner_id, today):
        self.kind, self.id, self.today = kind, partner_id, today
        self.items = []  # (OpenItem, company)
        self.disputed = set()
        self.state = FollowupState()
        self._next_line = partner_id * 1000

    def add(self, amount, days_late, *, company=COMPANY, excluded=False, level=None, sent_days_ago=None):
        self._next_line += 1
        sent_on = self.today - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
        item = OpenItem(
            self._next_line,
            amount,
            self.today - timedelta(days=days_late),
            f"INV/{self._next_line}",
            level,
            excluded,
            sent_on,
        )
        self.items.append((item, company))
        return item

    def company_items(self):
        return [item for item, company in self.items if company == COMPANY]


def build_ladder(rng):
    delays = sorted(rng.sample(range(3, 150), rng.randint(2, 4)))
    tones = ("gentle", "firm", "firm", "legal")
    return Ladder.of(LevelSpec(10 + i, f"Level {i + 1}", d, tones[i]) for i, d in enumerate(delays))


def generate(rng, kind, partner_id, today, ladder):
    p = Partner(kind, partner_id, today)
    top = ladder.levels[-1].delay_days
    late = lambda: rng.randint(1, top + 60)  # noqa: E731 (a draw, named for reading)
    early = lambda: -rng.randint(0, 45)  # noqa: E731
    if kind == "plain":
        for _ in range(rng.randint(1, 4)):
            p.add(money(rng, 50, 5000), late())
        p.add(money(rng, 50, 900), early())
    elif kind == "partial":
        for _ in range(rng.randint(1, 3)):
            total = money(rng, 200, 5000)
            p.add((total * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.01")), late())
    elif kind == "credit_note":
        p.add(money(rng, 500, 5000), late())
        p.add(-money(rng, 10, 400), rng.randint(-10, top + 60))
    elif kind in ("credit_covered", "credit_partial"):
        add_credits(rng, p, kind, late, top)
    elif kind == "installments":
        first = rng.randint(top // 2, top + 60)
        share = money(rng, 100, 2000)
        for k in range(rng.randint(2, 4)):
            p.add(share, first - 30 * k)  # monthly installments; the later ones may not be due yet
    elif kind == "third_party":
        for _ in range(rng.randint(3, 8)):  # the payer's share of each client's invoice
            p.add(money(rng, 300, 6000), late())
    elif kind == "other_company":
        p.add(money(rng, 100, 3000), rng.randint(1, top + 60), company=OTHER_COMPANY)
        p.add(money(rng, 100, 3000), rng.randint(1, max(2, ladder.levels[0].delay_days - 1)))
    elif kind == "disputed":
        oldest = p.add(money(rng, 500, 5000), top + rng.randint(1, 60))
        p.disputed.add(oldest.line_id)
        p.add(money(rng, 50, 900), rng.randint(1, top))
    elif kind == "excluded":
        for _ in range(rng.randint(1, 3)):
            p.add(money(rng, 100, 3000), late(), excluded=True)
    elif kind == "not_due":
        for _ in range(rng.randint(1, 3)):
            p.add(money(rng, 100, 3000), early())
    elif kind in ("reminded", "sent_today"):
        rank = rng.randrange(len(ladder.levels) - 1) if len(ladder.levels) > 1 else 0
        level = ladder.levels[rank]
        ago = 0 if kind == "sent_today" else rng.randint(1, 20)
        p.add(money(rng, 100, 3000), top + rng.randint(1, 40), level=level.id, sent_days_ago=ago)
        p.add(money(rng, 100, 3000), late())
        p.state = FollowupState(last_level_id=level.id, last_sent_on=today - timedelta(days=ago))
    elif kind == "paused":
        p.add(money(rng, 100, 3000), late())
        p.state = FollowupState(paused=True, paused_until=today + timedelta(days=rng.randint(1, 30)))
    elif kind == "promised":
        p.add(money(rng, 100, 3000), late())
        p.state = FollowupState(promised_until=today + timedelta(days=rng.randint(0, 20)))
    return p


def add_credits(rng, p, kind, late, top):
    """Invoices past due and the customer's open credits (credit notes, unapplied payments) against them."""
    if kind == "credit_partial":
        owed = p.add(money(rng, 1000, 5000), late())
        p.add(-(owed.amount_residual * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01")), late())
        p.add(-money(rng, 10, 200), rng.randint(1, 30))
        p.add(-money(rng, 5000, 9000), late(), company=OTHER_COMPANY)  # another company's books
        return
    owed = [p.add(money(rng, 50, 3000), late()) for _ in range(rng.randint(1, 3))]
    total = sum((item.amount_residual for item in owed), Decimal(0))
    if rng.random() < 0.5:  # credit notes and payments past due, as much as the invoices or more
        part = (total * Decimal(rng.randint(20, 80)) / 100).quantize(Decimal("0.01"))
        p.add(-part, rng.randint(1, top + 60))
        p.add(part - total - money(rng, 0, 300), rng.randint(1, 60))
    else:  # paid today, not reconciled yet: current, so the aging still says overdue
        p.add(-total, 0)


def _delay(level):
    return level.delay_days


def answer(p, ladder, skip_levels):
    """What the plan must say, from the generator's own reading of the rules."""
    items = [item for item in p.company_items() if item.line_id not in p.disputed]
    days = lambda item: (p.today - item.date_maturity).days  # noqa: E731
    chased = [item for item in items if item.amount_residual > 0 and not item.excluded and days(item) > 0]
    aging = defaultdict(Decimal)
    for item in p.company_items():
        aging[expected_bucket(days(item))] += item.amount_residual
    reached = [
        max((lv for lv in ladder.levels if lv.delay_days <= days(item)), key=_delay, default=None) for item in chased
    ]
    by_days = max((lv for lv in reached if lv), key=_delay, default=None)
    needs_action = any(
        lv and ladder.rank(lv.id) > ladder.rank(item.last_level_id) for lv, item in zip(reached, chased, strict=True)
    )
    if by_days is None:
        level = None
    elif skip_levels:
        level = by_days
    else:
        level = ladder.levels[min(ladder.rank(by_days.id), ladder.rank(p.state.last_level_id) + 1)]
    paused = p.state.paused and (p.state.paused_until is None or p.state.paused_until > p.today)
    promised = p.state.promised_until is not None and p.today <= p.state.promised_until
    sent_today = p.state.last_sent_on == p.today
    # Credits are netted: past-due ones against the overdue, and nothing is chased while the
    # customer owes nothing in all (a payment received today).
    counted = [item for item in items if not item.excluded]
    amount = sum((item.amount_residual for item in counted if days(item) > 0), Decimal(0))
    owes = amount > 0 and sum((item.amount_residual for item in counted), Decimal(0)) > 0
    due = needs_action and owes
    sends = bool(chased) and level is not None and not (paused or promised or sent_today) and due
    overdue = sum((item.amount_residual for item in items if days(item) > 0), Decimal(0))
    if paused:
        status = "paused"
    elif due and not promised and not sent_today:
        status = "action_needed"
    elif overdue > 0:
        status = "overdue"
    else:
        status = "no_action"
    return {
        "sends": sends,
        "level": level.id if sends else None,
        "status": status,
        "aging": dict(aging),
        "amount": amount,
    }


def judge(p, ladder, skip_levels):
    expected = answer(p, ladder, skip_levels)
    plan = plan_followup(p.company_items(), ladder, p.state, p.today, disputed=p.disputed, skip_levels=skip_levels)
    summary = overdue_mod.summarize(p.id, "CAD", p.company_items(), p.today, buckets=aging_mod.AGING_BUCKETS)
    chased = plan_mod.chased_items(p.company_items(), p.disputed)  # what the engine sums for the e-mail
    stated = overdue_mod.summarize(p.id, "CAD", chased, p.today, buckets=aging_mod.AGING_BUCKETS).followup_total
    got_aging = {key: amount for key, amount in summary.aging.amounts.items() if amount}
    want_aging = {key: amount for key, amount in expected["aging"].items() if amount}
    return {
        "expected_send": expected["sends"],
        "got_send": plan.sends,
        "level_ok": not expected["sends"] or (plan.sends and plan.level.id == expected["level"]),
        "status_ok": plan.status == expected["status"],
        "aging_ok": got_aging == want_aging,
        "amount_ok": stated == expected["amount"],
    }


def _figures(verdicts):
    tp = sum(v["expected_send"] and v["got_send"] for v in verdicts)
    fp = sum(v["got_send"] and not v["expected_send"] for v in verdicts)
    fn = sum(v["expected_send"] and not v["got_send"] for v in verdicts)
    count = len(verdicts)
    return {
        "partners": count,
        "expected_sends": tp + fn,
        "send_precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "send_recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "level_accuracy": round(sum(v["level_ok"] for v in verdicts) / count, 4) if count else 1.0,
        "status_accuracy": round(sum(v["status_ok"] for v in verdicts) / count, 4) if count else 1.0,
        "aging_exact": round(sum(v["aging_ok"] for v in verdicts) / count, 4) if count else 1.0,
        "amount_exact": round(sum(v["amount_ok"] for v in verdicts) / count, 4) if count else 1.0,
    }


def evaluate(seeds):
    by_kind, by_seed, misses = defaultdict(list), {}, []
    for seed in range(seeds):
        rng = random.Random(seed)
        today = date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))
        ladder = build_ladder(rng)
        skip_levels = seed % 3 == 2  # a third of the companies allow skipping levels
        verdicts = []
        for index in range(len(KINDS) * PARTNERS_PER_KIND):
            kind = KINDS[index % len(KINDS)]
            partner = generate(rng, kind, seed * 10_000 + index + 1, today, ladder)
            verdict = judge(partner, ladder, skip_levels)
            by_kind[kind].append(verdict)
            verdicts.append(verdict)
            agrees = verdict["expected_send"] == verdict["got_send"]
            if not (agrees and all(verdict[key] for key in ("level_ok", "status_ok", "aging_ok", "amount_ok"))):
                misses.append({"seed": seed, "kind": kind, **verdict})
        by_seed[str(seed)] = _figures(verdicts)
    every = [v for verdicts in by_kind.values() for v in verdicts]
    return {
        "overall": _figures(every),
        "per_kind": {kind: _figures(by_kind[kind]) for kind in KINDS},
        "per_seed": by_seed,
        "misses": misses[:10],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    print(json.dumps(evaluate(parser.parse_args().seeds), sort_keys=True, default=str))


if __name__ == "__main__":
    main()
