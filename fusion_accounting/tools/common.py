"""What every catalog tool shares: groups, paging, company scoping and JSON-ready values."""

from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, ToolRefusal, tool  # noqa: F401 (re-exported)

STAFF = ("fusion_accounting_core.group_fusion_user",)
MAX_LIMIT = 100


def register(domain, tier, requires=(), label=""):
    """``@tool`` for this catalog: Fusion Staff may see every tool; the tier gate decides who may run it.

    ``requires``: the optional modules the tool needs; without them it is not offered to the model.
    ``label``: what people read for the tool (picker, approval card, dashboard).
    """
    return tool(domain=domain, tier=tier, groups=STAFF, registry=REGISTRY, requires=requires, label=label)


def page(limit, offset):
    """``(limit, offset)`` clamped to what a prompt can hold."""
    return max(1, min(int(limit or 20), MAX_LIMIT)), max(0, int(offset or 0))


def company_domain(env, field="company_id"):
    """Restrict to the companies the user has selected (record rules allow at most these)."""
    return [(field, "in", env.companies.ids)]


def money(value):
    """A currency amount rounded for the model to read."""
    return round(value or 0.0, 2)


def ref(record):
    """``{"id", "name"}`` of a record, or None."""
    return {"id": record.id, "name": record.display_name} if record else None


def not_available(reason):
    """The answer of a tool whose feature this database lacks: a result, not an error.

    A tool that cannot do what was asked (unknown id, nothing to do) raises
    :class:`ToolRefusal` instead: its run is recorded as failed.
    """
    return {"available": False, "reason": reason}


def browse_own(env, model, record_id):
    """``model`` record ``record_id`` if the user may see it and it is of one of their companies (or shared)."""
    domain = [("id", "=", record_id)]
    if "company_id" in env[model]._fields:
        # Records without a company (most partners) are shared by all companies.
        domain.append(("company_id", "in", [*env.companies.ids, False]))
    return env[model].search(domain, limit=1)


def paged(rows, total, limit, offset, **extra):
    """The standard envelope of a list result."""
    return {"total": total, "limit": limit, "offset": offset, "rows": rows, **extra}


def residual_page(model, domain, fnames, *, order, limit, offset):
    """``(count, residual sum, records of one page)`` of ``domain``: two queries, whatever its size."""
    [(count, residual)] = model._read_group(domain, aggregates=["__count", "amount_residual:sum"])
    return count, residual, model.search_fetch(domain, fnames, order=order, limit=limit, offset=offset)
