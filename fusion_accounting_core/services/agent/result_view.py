"""A tool's result as people read it: tables, facts and links, from the result's shape.

Tools answer JSON for the model.  The chat panel shows the same value to a
person: a list of objects becomes a table whose columns say what they hold
(money, date, number, text, a link to a record), scalar entries become facts,
and a totals row adds up the money columns of one currency.  A record is a
link when the result names it: a ``{"id", "name"}`` value under a key that
names a model (``partner``, ``move``, ``account``…), an ``<key>_id`` number, a
``res_model``/``res_id`` pair, or a row ``id`` in a list whose key names the
model (``invoices``, ``bills``, ``lines`` of a bank tool).  Nothing here
depends on a chart of accounts or a label format.

>>> view = result_view("get_ar_aging", '{"as_of": "2026-11-30", "partners": [{"partner": "Acme", '
...     '"partner_id": 7, "currency": "CAD", "current": 10.0, "total": 10.0}, {"partner": "Bolt", "partner_id": 8, '
...     '"currency": "CAD", "current": 5.5, "total": 5.5}]}')
>>> [(c["key"], c["kind"]) for c in view["tables"][0]["columns"]]
[('partner', 'link'), ('current', 'money'), ('total', 'money')]
>>> view["tables"][0]["rows"][0]["partner"], view["tables"][0]["totals"]
({'model': 'res.partner', 'id': 7, 'name': 'Acme'}, {'current': 15.5, 'total': 15.5})
>>> view["facts"]
[{'key': 'as_of', 'label': 'As of', 'kind': 'date', 'value': '2026-11-30'}]
"""

import json
import re

MAX_ROWS = 500  # rows sent to the panel per table; the panel pages them
HIDDEN_FACTS = ("id", "ok", "res_id", "res_model")
MAX_TABLES = 6

# Keys that name a record's model (a value {"id", "name"}, or "<key>_id": id).
KEY_MODELS = {
    "partner": "res.partner",
    "customer": "res.partner",
    "vendor": "res.partner",
    "employee_partner": "res.partner",
    "commercial_partner": "res.partner",
    "move": "account.move",
    "invoice": "account.move",
    "bill": "account.move",
    "entry": "account.move",
    "payment_move": "account.move",
    "payment": "account.payment",
    "account": "account.account",
    "fee_account": "account.account",
    "journal": "account.journal",
    "bank_journal": "account.journal",
    "tax": "account.tax",
    "product": "product.product",
    "employee": "hr.employee",
    "line": "account.move.line",
    "item": "account.move.line",
    "move_line": "account.move.line",
    "statement_line": "account.bank.statement.line",
    "bank_line": "account.bank.statement.line",
    "bank_statement_line": "account.bank.statement.line",
    "company": "res.company",
    "return": "account.return",
    "level": "fusion.followup.level",
    "run": "fusion.followup.run",
    "rule": "fusion.accounting.rule",
}
# Keys of lists whose rows are records of one model (a row's "id").
LIST_MODELS = {
    "partners": "res.partner",
    "customers": "res.partner",
    "vendors": "res.partner",
    "invoices": "account.move",
    "bills": "account.move",
    "moves": "account.move",
    "entries": "account.move",
    "drafts": "account.move",
    "payments": "account.move",
    "items": "account.move.line",
    "move_lines": "account.move.line",
    "accounts": "account.account",
    "journals": "account.journal",
    "bank_lines": "account.bank.statement.line",
    "statement_lines": "account.bank.statement.line",
}
# Words of a key that say it holds money (aging buckets such as "1-30" or "90+" too).
MONEY_WORDS = frozenset(
    """amount amounts total totals balance residual debit credit due overdue paid unpaid tax taxes net gross fee
    fees value cost costs revenue expense expenses owed open price difference sum collected payable receivable
    cpp ei income deductions wages current opening closing outstanding""".split()
)
_BUCKET = re.compile(r"^(\d+-\d+|\d+\+|[a-z_]*\d+_\d+|over_\d+|older)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def label(key):
    """'partner_count' -> 'Partner count', '1-30' -> '1-30'."""
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _model_of_key(key):
    key = str(key)
    if key in KEY_MODELS:
        return KEY_MODELS[key]
    if key.endswith("_id") and key[:-3] in KEY_MODELS:
        return KEY_MODELS[key[:-3]]
    return None


def _is_ref(value):
    return isinstance(value, dict) and isinstance(value.get("id"), int) and "name" in value and len(value) <= 3


def _is_money_key(key):
    key = str(key).lower()
    if _BUCKET.match(key):
        return True
    return any(part in MONEY_WORDS for part in re.split(r"[_\s-]+", key))


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell_kind(key, value):
    if _is_ref(value):
        return "link" if _model_of_key(key) else "text"
    if _is_number(value):
        return "money" if _is_money_key(key) and not str(key).endswith(("_id", "count")) else "number"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return "date"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return "datetime"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (list, dict)):
        return "json"
    return "text"


def _row_link(row, list_key, tool):
    """The record a row is: its ``id`` in a list naming the model, or ``res_model``/``res_id``."""
    if isinstance(row.get("res_model"), str) and isinstance(row.get("res_id"), int):
        return {"model": row["res_model"], "id": row["res_id"]}
    model = LIST_MODELS.get(list_key)
    if model is None and list_key == "lines" and "bank" in tool:
        model = "account.bank.statement.line"
    if model and isinstance(row.get("id"), int):
        return {"model": model, "id": row["id"]}
    return None


_LEADING_NUMBER = re.compile(r"^(\d+)")
_FIRST_MONEY = ("current", "not_due", "opening")
_LAST_MONEY = ("total", "closing", "balance")


def column_order(columns, kinds):
    """Names and links first, then the other columns, then money: buckets by their days, the total last.

    The model reads JSON with sorted keys ("1-30", "120+", "31-60"); a person reads the aging in days.

    >>> column_order(["total", "1-30", "partner", "120+", "31-60", "current"], {"partner": "link"})
    ['partner', 'current', '1-30', '31-60', '120+', 'total']
    """

    def rank(name):
        kind = kinds.get(name, "money")
        if kind in ("link", "text", "date"):
            return (0, 0, 0)
        if kind != "money":
            return (1, 0, 0)
        lowered = str(name).lower()
        if lowered in _FIRST_MONEY:
            return (2, 0, 0)
        if lowered in _LAST_MONEY:
            return (4, _LAST_MONEY.index(lowered), 0)
        number = _LEADING_NUMBER.match(lowered)
        return (3, 0, int(number.group(1))) if number else (3, 0, 10**9)

    return sorted(columns, key=lambda name: (rank(name), columns.index(name)))


def _table(key, rows, tool, add_totals=True):
    rows = [row for row in rows if isinstance(row, dict)]
    linked_ids = {}  # "<x>_id" keys that become the link of the "<x>" column
    for row in rows:
        for name, value in row.items():
            if name.endswith("_id") and isinstance(value, int) and name[:-3] in row and _model_of_key(name):
                linked_ids[name[:-3]] = name
    hidden = {"id", "res_model", "res_id", "currency", *linked_ids.values()}
    columns, kinds = [], {}
    for row in rows:
        for name, value in row.items():
            if name in hidden or value is None:
                continue
            kind = "link" if name in linked_ids else _cell_kind(name, value)
            if name not in kinds:
                columns.append(name)
                kinds[name] = kind
            elif kinds[name] != kind and kinds[name] != "link":
                kinds[name] = "text" if "json" not in (kinds[name], kind) else "json"
    columns = column_order(columns, kinds)
    shaped = []
    for row in rows[:MAX_ROWS]:
        cells = {}
        for name in columns:
            value = row.get(name)
            if name in linked_ids and isinstance(row.get(linked_ids[name]), int):
                value = {"model": _model_of_key(linked_ids[name]), "id": row[linked_ids[name]], "name": value}
            elif kinds[name] == "link" and _is_ref(value):
                value = {"model": _model_of_key(name), "id": value["id"], "name": value["name"]}
            cells[name] = value
        link = _row_link(row, key, tool)
        if link:
            cells["_link"] = link
        if isinstance(row.get("currency"), str):
            cells["_currency"] = row["currency"]
        shaped.append(cells)
    currencies = {row.get("currency") for row in rows if isinstance(row.get("currency"), str)}
    totals = {}
    if add_totals and len(rows) > 1 and len(currencies) <= 1:
        for name in columns:
            if kinds[name] == "money":
                totals[name] = round(sum(row.get(name) or 0.0 for row in rows if _is_number(row.get(name))), 2)
    return {
        "key": key,
        "title": label(key) if key else "",
        "columns": [{"key": name, "label": label(name), "kind": kinds[name]} for name in columns],
        "rows": shaped,
        "total_rows": len(rows),
        "totals": totals,
        "currency": next(iter(currencies)) if len(currencies) == 1 else "",
    }


def _fact(key, value):
    kind = _cell_kind(key, value)
    if kind == "link":
        value = {"model": _model_of_key(key), "id": value["id"], "name": value["name"]}
    return {"key": key, "label": label(key), "kind": kind, "value": value}


def _is_table(value):
    return isinstance(value, list) and value and all(isinstance(item, dict) for item in value)


def _partial(value, rows):
    """True when the result gives its own totals or counts more rows than it lists (a top 10 of 26).

    A totals row of the listed rows would then contradict the result's own figures.
    """
    if any(key in value for key in ("totals", "total")):
        return True
    counts = [v for k, v in value.items() if (k == "count" or k.endswith("_count")) and _is_number(v)]
    return any(count > len(rows) for count in counts)


def _shape(value, tool, prefix=""):
    tables, facts = [], []
    if _is_table(value):
        return [_table(prefix, value, tool)], []
    if not isinstance(value, dict):
        return [], [_fact(prefix or "value", value)]
    currency = value.get("currency") if isinstance(value.get("currency"), str) else ""
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else key
        if _is_table(item):
            tables.append(_table(key, item, tool, add_totals=not _partial(value, item)))
        elif isinstance(item, dict) and not _is_ref(item):
            if item and all(_is_number(v) or v is None for v in item.values()):
                # a breakdown (totals by bucket): a one-row table reads best
                row = {**item, **({"currency": currency} if currency else {})}
                tables.append({**_table(key, [row], tool), "totals": {}})
            else:
                model = _model_of_key(key)
                if model and isinstance(item.get("id"), int):
                    # a record described inline (the statement line a match booked): a link, then its facts
                    title = item.get("name") or item.get("label") or f"#{item['id']}"
                    link = {"model": model, "id": item["id"], "name": str(title)}
                    facts.append({"key": name, "label": label(key), "kind": "link", "value": link})
                inner_tables, inner_facts = _shape(item, tool, name)
                tables += inner_tables
                facts += inner_facts
        elif isinstance(item, list) and item and not _is_table(item):
            facts.append({"key": name, "label": label(key), "kind": "list", "value": item[:MAX_ROWS]})
        elif key in HIDDEN_FACTS and (key != "ok" or item is True):
            continue  # ids are links, and "ok" says nothing a person needs
        elif key != "currency" or not tables:
            facts.append(_fact(name, item) if not prefix else {**_fact(key, item), "key": name})
    return tables, facts


def _sentence(text):
    """A decided proposal's result is a sentence then its JSON ("Approved … Result: {…}"): the sentence.

    The approval card shows what was booked; the JSON stays behind the raw toggle.

    >>> _sentence('Approved by the user and executed. Result: {"ok": true}')
    'Approved by the user and executed.'
    """
    for opener in ("{", "["):
        start = text.find(opener)
        if start > 0:
            try:
                json.loads(text[start:])
            except ValueError:
                continue
            return text[:start].strip().removesuffix("Result:").strip()
    return text


def result_view(tool, content):
    """``{"tables", "facts", "text"}`` of one tool result (``content`` as the model read it).

    A result that is not JSON (a refusal's sentence, an error) is returned as ``text``.
    """
    try:
        value = json.loads(content) if isinstance(content, str) else content
    except ValueError:
        return {"tables": [], "facts": [], "text": _sentence(str(content or ""))}
    if isinstance(value, dict) and value.get("ok") is False and isinstance(value.get("error"), str):
        return {"tables": [], "facts": [], "text": value["error"]}
    tables, facts = _shape(value, tool)
    return {"tables": tables[:MAX_TABLES], "facts": facts, "text": ""}
