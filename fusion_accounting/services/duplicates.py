"""Documents that look entered twice: same partner and amount, dates close together.

>>> from datetime import date
>>> docs = [Fingerprint(1, 5, 11300, date(2026, 3, 1)), Fingerprint(2, 5, 11300, date(2026, 3, 4)),
...         Fingerprint(3, 5, 11300, date(2026, 5, 1)), Fingerprint(4, 6, 11300, date(2026, 3, 1))]
>>> [g.ids for g in duplicate_groups(docs, window_days=7)]
[(1, 2)]

Two equal payments of one day that settle different invoices are two payments, not a copy:

>>> settle_different_documents([{10, 99}, {11, 99}]), settle_different_documents([{10, 99}, {99}])
(True, False)
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Fingerprint:
    """What two copies of one document share; ``scope`` adds a key that must also be equal (e.g. journal)."""

    id: int
    partner_id: int | None
    amount: int
    date: date
    scope: object = None


@dataclass(frozen=True)
class DuplicateGroup:
    """Documents of one partner and amount whose dates chain within the window."""

    ids: tuple
    partner_id: int | None
    amount: int
    first_date: date
    last_date: date


def duplicate_groups(fingerprints, window_days, require_partner=True):
    """Groups of 2+ documents of equal partner, amount and scope, each within ``window_days`` of the previous.

    A zero amount is never a duplicate, nor, with ``require_partner``, a
    document without partner: too many legitimate entries share those.
    """
    keyed = {}
    for doc in fingerprints:
        if doc.amount and (doc.partner_id or not require_partner):
            keyed.setdefault((doc.partner_id, doc.amount, doc.scope), []).append(doc)
    groups = []
    for (partner_id, amount, _scope), docs in keyed.items():
        docs.sort(key=lambda doc: (doc.date, doc.id))
        run = [docs[0]]
        for doc in docs[1:]:
            if (doc.date - run[-1].date).days <= window_days:
                run.append(doc)
                continue
            if len(run) > 1:
                groups.append(_group(run, partner_id, amount))
            run = [doc]
        if len(run) > 1:
            groups.append(_group(run, partner_id, amount))
    return sorted(groups, key=lambda group: (group.first_date, group.ids))


def _group(run, partner_id, amount):
    return DuplicateGroup(tuple(doc.id for doc in run), partner_id, amount, run[0].date, run[-1].date)


def settle_different_documents(matched_sets):
    """True when each document of a group settles some document no other of the group settles.

    ``matched_sets`` holds, per document, the ids of the documents its items
    are reconciled with.  Equal card payments of one day, each settling its
    own invoice (and all in one batch deposit), are then told apart from a
    copy, which settles nothing new: the original already did.
    """
    matched_sets = [set(matched) for matched in matched_sets]
    for index, matched in enumerate(matched_sets):
        others = set().union(*matched_sets[:index], *matched_sets[index + 1 :])
        if not matched - others:
            return False
    return True
