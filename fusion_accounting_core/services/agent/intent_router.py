"""The offline co-pilot's intent router: which of the user's tools fit a plain question.

Without a model nothing reads free text, but a question still names what it is
about: "What is my AR aging?", "relevé bancaire non rapproché", "HST due this
quarter".  The router scores every tool the caller may use by the words of its
name, domain and description, widened by accounting synonyms in English and
French, and by where the user is (the page).  It keeps the few that fit and
says for each one what the panel can do with it:

* ``RUN``: a tier-1 tool the gate lets this caller run, with every required
  argument known: the offline provider calls it, through the loop and the gate
  like any model's tool call;
* ``FORM``: a tier-1 tool missing required arguments: the panel shows a small
  form built from the tool's JSON schema;
* ``SUGGEST``: a tool that writes (tier 2 or 3): never run from a guess; the
  user fills its form and sends it as an explicit ``/tool`` command, which the
  gate then runs, logs or turns into a proposal.

Tools the gate refuses to the caller are never picked.

>>> from ..tools import Tier, ToolSpec
>>> from .gate import Caller
>>> specs = (
...     ToolSpec("get_ar_aging", "Accounts receivable aging buckets.", "accounts_receivable", Tier.READ),
...     ToolSpec("get_unreconciled_bank_lines", "Unreconciled bank lines.", "bank_reconciliation", Tier.READ),
... )
>>> [(c.name, c.action.value) for c in route("What is my AR aging?", specs, Caller(user_id=1))]
[('get_ar_aging', 'run')]
>>> route("Quelles lignes bancaires ne sont pas rapprochées ?", specs, Caller(user_id=1))[0].name
'get_unreconciled_bank_lines'
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from rapidfuzz import fuzz, process

from ..tools import Tier
from .gate import Verdict, gate

MAX_CHOICES = 3
MIN_SCORE = 3.0  # below it a tool only shares a common word with the question
RELATIVE_CUT = 0.5  # a choice must score at least half the best one
FUZZY_RATIO = 86  # "recievable" still finds "receivable"
FUZZY_MIN_LENGTH = 5

# Accounting words, EN and FR (accents stripped), grouped by what they are about.  A question and a
# tool that share a concept fit even when they share no word.
CONCEPTS = {
    "receivable": (
        "receivable receivables ar owes owed customer customers debtor debtors client clients creance creances "
        "encaisser recevoir"
    ),
    "aging": "aging ageing aged vieillissement anciennete",
    "overdue": "overdue late retard retards echu echus echue echues past-due",
    "unpaid": "unpaid impaye impayes impayee impayees outstanding open",
    "payable": "payable payables ap bill bills vendor vendors supplier suppliers fournisseur fournisseurs dette dettes",
    "invoice": "invoice invoices facture factures bill bills",
    "bank": (
        "bank banque banking reconcile reconciled reconciliation unreconciled unmatched match matching matched "
        "rapprochement rapprocher rapproche rapprochee rapprochees rapproches statement statements releve releves "
        "bancaire bancaires deposit deposits depot depots transaction transactions"
    ),
    "tax": "hst gst pst qst tps tvq tvh tax taxes taxe fiscal itc cti",
    "payroll": (
        "payroll paie t4 t4s roe salary salaries salaire salaires wage wages employee employees employe employes "
        "cpp rrq ei ae deductions retenues paycheque paycheques cheque cheques"
    ),
    "remittance": "remittance remittances remit remise remises versement cra arc",
    "close": "close closing closed month-end monthend lock locked cloture cloturer fermeture fermer verrouiller verrou",
    "period": "month monthly mois period periods periode periodes quarter trimestre year annee",
    "audit": (
        "audit audits anomaly anomalies issue issues problem problems verifier verification controle flagged "
        "risk risks integrity integrite"
    ),
    "duplicate": "duplicate duplicates doublon doublons double twice",
    "followup": (
        "followup followups follow-up reminder reminders relance relances dunning collect collection recouvrement"
    ),
    "journal": "journal journals entry entries ecriture ecritures",
    "draft": "draft drafts brouillon brouillons unposted",
    "report": "report reports rapport rapports statement etat etats",
    "balance": "balance balances solde soldes trial",
    "profit": "profit loss pnl income revenue expenses resultat benefice perte revenus depenses",
    "cash": "cash flow tresorerie liquidites",
    "inventory": "inventory stock stocks valuation inventaire cogs warehouse entrepot",
    "rule": "rule rules regle regles automation automate",
    "adp": "adp assistive",
}
_WORD_CONCEPTS = {}
for _concept, _words in CONCEPTS.items():
    for _word in _words.split():
        _WORD_CONCEPTS.setdefault(_word, set()).add(_concept)
_FUZZY_WORDS = tuple(word for word in _WORD_CONCEPTS if len(word) >= FUZZY_MIN_LENGTH)
# Verbs and fillers of tool names that say nothing of what a tool is about.
GENERIC_NAME_WORDS = frozenset(
    "get find list run check verify calculate compare generate match set send prepare parse propose apply "
    "auto create export validate answer sum".split()
)

STOPWORDS = frozenset(
    """a an the is are was were be of to in on for at by with and or my our your me us we i it its this that these
    those what which who how much many show list give get tell please can could would do does any all there here
    le la les un une des du de d l est sont mon ma mes notre nos votre vos quel quelle quels quelles combien
    montre montrer donne donner liste lister et ou en au aux pour par sur avec ce cet cette ces qui que quoi
    est-ce ne pas y a-t-il il elle je j moi nous""".split()
)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")


# What a form calls an argument and how a sentence asks for it ("needs a start date and an end date"): the one
# place an argument name becomes words.  Every required argument of the catalog has its entry (a pure test);
# another argument is labelled from its name.
ARGUMENT_WORDS = {
    "date_from": ("Start date", "a start date"),
    "date_to": ("End date", "an end date"),
    "as_of": ("Date", "a date"),
    "month_end": ("Month end", "the month's last day"),
    "year": ("Year", "a year"),
    "partner_id": ("Customer or vendor", "a customer or vendor"),
    "statement_line_id": ("Bank statement line", "a bank statement line"),
    "bank_journal_id": ("Bank journal", "a bank journal"),
    "move_id": ("Journal entry", "a journal entry"),
    "move_line_ids": ("Journal items", "the journal items"),
    "invoice_id": ("Invoice", "an invoice"),
    "payment_move_id": ("Payment", "a payment"),
    "bill_id": ("Vendor bill", "a vendor bill"),
    "reconcile_model_id": ("Reconciliation model", "a reconciliation model"),
    "return_id": ("Tax return", "a tax return"),
    "dispute_id": ("Dispute", "a dispute"),
    "employee_name": ("Employee", "an employee's name"),
    "report": ("Report", "a report"),
    "text": ("Text", "the text to read"),
    "reason": ("Reason", "a reason"),
    "recommendation": ("Recommendation", "a recommendation"),
}


def argument_label(name):
    """What a form calls argument ``name``.

    >>> argument_label("date_from"), argument_label("journal_id"), argument_label("top_n")
    ('Start date', 'Journal', 'Top n')
    """
    if name in ARGUMENT_WORDS:
        return ARGUMENT_WORDS[name][0]
    label = name[:-3] if name.endswith("_id") else name
    return label.replace("_", " ").strip().capitalize() or name


def needed_words(names):
    """The arguments ``names`` as a sentence asks for them.

    >>> needed_words(["date_from", "date_to"])
    'a start date and an end date'
    >>> needed_words(["partner_id", "date_from", "journal_id"])
    'a customer or vendor, a start date and the journal'
    """
    words_ = [
        ARGUMENT_WORDS[name][1] if name in ARGUMENT_WORDS else f"the {argument_label(name).lower()}" for name in names
    ]
    return " and ".join(filter(None, (", ".join(words_[:-1]), words_[-1]))) if words_ else ""


class Action(Enum):
    RUN = "run"  # tier 1, every required argument known: run through the loop and the gate
    FORM = "form"  # tier 1, required arguments missing: ask for them
    SUGGEST = "suggest"  # writes: the user sends it explicitly, the gate decides


@dataclass(frozen=True)
class FormField:
    """One input of a tool's form, from its JSON schema property."""

    name: str
    label: str
    kind: str  # integer, number, boolean, date, text, list, choice
    required: bool
    description: str = ""
    default: object = None
    choices: tuple = ()


@dataclass(frozen=True)
class Choice:
    """A tool that fits the question, what to do with it, and the arguments read from the question."""

    name: str
    description: str
    tier: Tier
    score: float
    action: Action
    arguments: dict = field(default_factory=dict)
    missing: tuple = ()
    fields: tuple = ()
    label: str = ""  # what people read for the tool (its declared label, else its name)


def normalize(text):
    """Lower case, accents stripped: 'Relevé' and 'releve' are one word."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The meaningful words of ``text`` (no stop words); snake_case names split on underscores.

    >>> words("What is my AR aging?"), words("get_unreconciled_bank_lines")
    (('ar', 'aging'), ('unreconciled', 'bank', 'lines'))
    """
    found = _WORD.findall(normalize(text).replace("_", " "))
    return tuple(word for word in found if word not in STOPWORDS)


def concepts(tokens):
    """The accounting concepts ``tokens`` speak of ('aged' and 'overdue' both speak of receivables)."""
    found = set()
    for token in tokens:
        found |= _concepts_of(token)
    return found


def _concepts_of(token):
    known = _WORD_CONCEPTS.get(token) or _WORD_CONCEPTS.get(token.rstrip("s"))
    if known:
        return known
    if len(token) >= FUZZY_MIN_LENGTH:  # a typo of a known word ("recievable")
        hit = process.extractOne(token, _FUZZY_WORDS, scorer=fuzz.ratio, score_cutoff=FUZZY_RATIO)
        if hit:
            return _WORD_CONCEPTS[hit[0]]
    return set()


@dataclass(frozen=True)
class _ToolText:
    name: tuple  # the words of the name that say what it is about (no verbs)
    domain: frozenset
    description: frozenset
    description_concepts: frozenset


def _tool_text(spec):
    name = tuple(word for word in words(spec.name) if word not in GENERIC_NAME_WORDS)
    description = words(spec.description)
    return _ToolText(name, frozenset(words(spec.domain)), frozenset(description), frozenset(concepts(description)))


def _fuzzy_hit(token, candidates):
    if len(token) < FUZZY_MIN_LENGTH:
        return False
    return any(len(c) >= FUZZY_MIN_LENGTH and fuzz.ratio(token, c) >= FUZZY_RATIO for c in candidates)


def score(question_words, spec, page_words=()):
    """How well ``spec`` fits the question's words: 0 when it does not.

    A word of the question found in the tool's name weighs most, then in its
    domain, then in its description.  A concept the question speaks of weighs
    by how many words of the tool's name and domain speak of it too (the
    close checklist of the month-end domain speaks twice of the close).  A
    name word the question does not cover costs a little: "AR aging" fits
    ``get_ar_aging`` better than ``get_adp_receivable_aging``.

    >>> from ..tools import ToolSpec
    >>> spec = ToolSpec("get_ar_aging", "Receivable aging.", "accounts_receivable", Tier.READ)
    >>> score(("ar", "aging"), spec) > score(("bank",), spec) == 0
    True
    """
    text = _tool_text(spec)
    names = set(text.name)
    positive = 0.0
    for token in set(question_words):
        if token in names:
            positive += 3.0
        elif token in text.domain:
            positive += 2.0
        elif token in text.description:
            positive += 1.0
        elif _fuzzy_hit(token, names | text.domain):
            positive += 2.0
    asked = concepts(question_words)
    labelled = [_concepts_of(word) for word in (*text.name, *text.domain)]
    for concept in asked:
        positive += 2.0 * min(2, sum(concept in found for found in labelled))
        positive += 1.0 if concept in text.description_concepts else 0.0
    if positive < MIN_SCORE:
        return 0.0
    # Where the user is: a small nudge, never a reason on its own.
    positive += 0.5 * len(concepts(page_words) & set().union(*labelled)) if labelled else 0.0
    covered = set(question_words)
    uncovered = [w for w in text.name if w not in covered and not (_concepts_of(w) & asked)]
    return round(positive - 0.5 * len(uncovered), 2)


def _kind(schema):
    types = schema.get("type", "string")
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"]
    kind = types[0] if types else "string"
    if schema.get("enum"):
        return "choice"
    if kind == "string" and schema.get("format") == "date":
        return "date"
    return {"integer": "integer", "number": "number", "boolean": "boolean", "array": "list"}.get(kind, "text")


def form_fields(parameters, values=None):
    """The inputs of a tool's form, required ones first, from its JSON schema.

    >>> schema = {"properties": {"top": {"type": "integer", "default": 10}, "partner_id": {"type": "integer"}},
    ...           "required": ["partner_id"]}
    >>> [(f.name, f.label, f.kind, f.required) for f in form_fields(schema)]
    [('partner_id', 'Customer or vendor', 'integer', True), ('top', 'Top', 'integer', False)]
    """
    required = set(parameters.get("required") or ())
    properties = parameters.get("properties") or {}
    fields_ = []
    for name, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        fields_.append(
            FormField(
                name=name,
                label=argument_label(name),
                kind=_kind(schema),
                required=name in required,
                description=str(schema.get("description") or ""),
                default=(values or {}).get(name, schema.get("default")),
                choices=tuple(schema.get("enum") or ()),
            )
        )
    return tuple(sorted(fields_, key=lambda f: not f.required))


def _month_start(day):
    return day.replace(day=1)


def _month_end(day):
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _quarter_start(day):
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


def _last_month(today):
    end = _month_start(today) - timedelta(days=1)
    return _month_start(end), end


def _last_quarter(today):
    end = _quarter_start(today) - timedelta(days=1)
    return _quarter_start(end), end


# Periods a question names, EN and FR (normalized text), as functions of today: (first day, last day).
_PERIODS = (
    (r"\b(last|previous) month\b|\bmois (dernier|passe|precedent)\b", _last_month),
    (r"\bthis month\b|\bce mois\b|\bmois en cours\b|\bmonth to date\b", lambda t: (_month_start(t), t)),
    (r"\b(last|previous) quarter\b|\btrimestre (dernier|passe|precedent)\b", _last_quarter),
    (r"\bthis quarter\b|\bce trimestre\b|\btrimestre en cours\b", lambda t: (_quarter_start(t), t)),
    (
        r"\b(last|previous) year\b|\bannee (derniere|passee|precedente)\b|\ban dernier\b",
        lambda t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)),
    ),
    (r"\bthis year\b|\bcette annee\b|\bytd\b|\byear to date\b", lambda t: (date(t.year, 1, 1), t)),
)


def period_of(question, today):
    """``(first day, last day)`` of the period ``question`` names, or None.

    >>> period_of("HST for last quarter", date(2026, 12, 2))
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    >>> period_of("TPS du mois dernier", date(2026, 3, 15))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    >>> period_of("profit 2025-01-01 to 2025-03-31", date(2026, 3, 15))
    (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    """
    text = normalize(question)
    dates = sorted(date.fromisoformat(found) for found in _ISO_DATE.findall(text) if _is_date(found))
    if len(dates) >= 2:
        return dates[0], dates[-1]
    for pattern, period in _PERIODS:
        if re.search(pattern, text):
            return period(today)
    years = _YEAR.findall(text)
    if len(years) == 1 and not dates:
        year = int(years[0])
        return date(year, 1, 1), min(date(year, 12, 31), today) if year == today.year else date(year, 12, 31)
    return None


def _is_date(text):
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


_START_NAMES = ("date_from", "start_date", "from_date")
_END_NAMES = ("date_to", "end_date", "to_date", "as_of")


def _arguments_from(question, parameters, today=None):
    """What the question says of a tool's dates (a named period, ISO dates) and, given ``today``, the usual ones.

    Only arguments the schema has are filled.  With ``today``, a lone required end
    date (``date_to``, ``as_of``) means today; a period that is not named stays for the form.
    """
    properties = parameters.get("properties") or {}
    start = next((name for name in _START_NAMES if name in properties), None)
    end = next((name for name in _END_NAMES if name in properties), None)
    arguments = {}
    period = period_of(question, today) if today else None
    dates = [found for found in _ISO_DATE.findall(question or "") if _is_date(found)]
    if period is None and len(dates) == 1:
        period = (None, date.fromisoformat(dates[0]))
    if period is not None:
        if start and period[0] is not None:
            arguments[start] = period[0].isoformat()
        if end:
            arguments[end] = period[1].isoformat()
        elif start and period[0] is None:
            arguments[start] = period[1].isoformat()
    if "year" in properties and _YEAR.search(question or ""):
        arguments["year"] = int(_YEAR.search(question).group(1))
    if today and end and end not in arguments and not start and end in (parameters.get("required") or ()):
        arguments[end] = today.isoformat()
    return arguments


def form_defaults(parameters, today):
    """Values a form starts with: the month so far for a period, today for a date."""
    properties = parameters.get("properties") or {}
    defaults = {}
    for name in _START_NAMES:
        if name in properties:
            defaults[name] = _month_start(today).isoformat()
    for name in _END_NAMES:
        if name in properties:
            defaults[name] = today.isoformat()
    return defaults


def _action(spec, caller, missing):
    if spec.tier == Tier.READ and gate(spec, caller).verdict is Verdict.RUN:
        return Action.FORM if missing else Action.RUN
    return Action.SUGGEST


def choice_for(spec, caller, question="", points=0.0, today=None):
    """The :class:`Choice` of ``spec`` for ``caller``: what the panel may do with it and its form."""
    arguments = _arguments_from(question, spec.parameters, today)
    required = tuple(spec.parameters.get("required") or ())
    missing = tuple(name for name in required if name not in arguments)
    defaults = {**(form_defaults(spec.parameters, today) if today else {}), **arguments}
    return Choice(
        name=spec.name,
        description=(spec.description or "").split("\n")[0],
        tier=spec.tier,
        score=round(points, 2),
        action=_action(spec, caller, missing),
        arguments=arguments,
        missing=missing,
        fields=form_fields(spec.parameters, defaults),
        label=spec.title,
    )


def route(question, specs, caller, *, page="", limit=MAX_CHOICES, today=None):
    """The tools of ``specs`` that fit ``question`` best for ``caller``, best first (at most ``limit``).

    Tools the gate refuses to ``caller`` are left out; ties go to reading tools, then to the name.
    """
    asked = words(question)
    if not asked:
        return ()
    page_words = words(page)
    scored = []
    for spec in specs:
        if gate(spec, caller).verdict is Verdict.REFUSE:
            continue
        points = score(asked, spec, page_words)
        if points > 0:
            scored.append((points, spec))
    if not scored:
        return ()
    # Ties: a tool that can answer now (fewer required arguments), then reading tools, then the name.
    scored.sort(
        key=lambda item: (-item[0], len(item[1].parameters.get("required") or ()), int(item[1].tier), item[1].name)
    )
    best = scored[0][0]
    kept = [(points, spec) for points, spec in scored if points >= best * RELATIVE_CUT][: max(0, limit)]
    return tuple(choice_for(spec, caller, question, points, today) for points, spec in kept)


def to_run(choices):
    """The choice the offline provider runs at once: the best one, when it may run and clearly leads."""
    if not choices or choices[0].action is not Action.RUN:
        return None
    if len(choices) > 1 and choices[1].score >= choices[0].score:
        return None  # a tie: let the user pick
    return choices[0]


def search(query, specs, caller, limit=200, today=None):
    """The tool picker: every tool the caller may use whose name or description matches ``query``.

    An empty query lists them all by name; otherwise by score.
    """
    allowed = [spec for spec in specs if gate(spec, caller).verdict is not Verdict.REFUSE]
    asked = words(query)
    if not asked:
        ranked = sorted(allowed, key=lambda spec: spec.name)
        return tuple(choice_for(spec, caller, today=today) for spec in ranked[:limit])
    scored = [(score(asked, spec), spec) for spec in allowed]
    scored = [(points, spec) for points, spec in scored if points > 0]
    scored.sort(key=lambda item: (-item[0], item[1].name))
    return tuple(choice_for(spec, caller, query, points, today) for points, spec in scored[:limit])


@dataclass(frozen=True)
class IntentRouter:
    """:func:`route` bound to one caller's tools: what the offline provider asks with a question."""

    specs: tuple
    caller: object
    page: str = ""
    today: date | None = None

    def __call__(self, question):
        return route(question, self.specs, self.caller, page=self.page, today=self.today)


def choice_json(choice):
    """A :class:`Choice` as the chat panel reads it."""
    return {
        "name": choice.name,
        "label": choice.label,
        "description": choice.description,
        "tier": int(choice.tier),
        "score": choice.score,
        "action": choice.action.value,
        "arguments": dict(choice.arguments),
        "missing": list(choice.missing),
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "required": f.required,
                "description": f.description,
                "default": f.default,
                "choices": list(f.choices),
            }
            for f in choice.fields
        ],
    }
