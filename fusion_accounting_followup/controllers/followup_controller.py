"""JSON-RPC endpoints of the follow-up dashboard; each one is a thin call into the engine.

Follow-ups are per company (its ladder, currency and states): the overdue list answers one
section per company selected in the company switcher (``company_ids``, the web client's
``allowed_company_ids``), and the routes about one customer take the ``company_id`` of the
section it was picked from; a company outside the user's is refused, like the co-pilot dashboard's.

Every route checks what it was sent (``fusion_accounting_core/services/route_inputs.py``)
and answers a refusal as ``{"refused": true, "error": "<one sentence>"}``, with its writes rolled
back, never as a traceback.  The buttons that write go through the engine's
``human_*`` methods: allowed to Fusion Managers, confirmed when they send
outside the schedule, logged in the match history as human actions.
"""

import logging
from dataclasses import asdict
from decimal import Decimal

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.fusion_accounting_core.services.route_inputs import (
    RouteInputError,
    boolean,
    bounded_limit,
    bounded_offset,
    choice,
    id_list,
    odoo_date,
    record_id,
    text_value,
)

from ..models.followup_ledger import PAGE_ORDERS
from ..models.followup_preview import ConfirmedText
from ..services.followup_text_generator import TextSource

_logger = logging.getLogger(__name__)
MAX_PAGE = 500  # partners one page of the overdue list may hold
MAX_HISTORY = 500  # runs one history read may return
MAX_SEARCH = 200  # characters of a name search
MAX_TOKEN = 64  # characters of a confirmation token
MAX_SUBJECT = 200  # characters of a confirmed subject
MAX_BODY = 100_000  # characters of a confirmed body


def _run(run):
    return {
        "id": run.id,
        "state": run.state,
        "level_id": run.level_id.id or None,
        "level": run.level_id.name or "",
        "text_source": run.text_source or "",
        "ai_generated": run.ai_generated,
        "error": run.error or "",
        "skip_reason": run.skip_reason or "",
    }


def _decision(decision):
    return {
        "level_id": decision.level.id if decision.level else None,
        "level": decision.level.name if decision.level else "",
        "tone": decision.level.tone if decision.level else "",
        "needs_action": decision.needs_action,
        "max_days_overdue": decision.max_days_overdue,
        "due_line_ids": list(decision.due_line_ids),
    }


def selected_companies(company_ids):
    """The companies of ``company_ids`` (the switcher's selection) the user is in, in the order sent.

    Without a selection: the current company, as before the switcher was followed.  Reading
    ``env.companies`` refuses a company the user is not in (``AccessError``).
    """
    if company_ids in (None, [], ""):
        return request.env.company
    ids = id_list(company_ids, "company_ids", allow_empty=False)
    return request.env(context={**request.env.context, "allowed_company_ids": ids}).companies


def company_engine(company):
    """The engine computing for ``company`` alone: its ladder, currency and follow-up states."""
    return request.env["fusion.followup.engine"].with_context(allowed_company_ids=company.ids)


def shared_total(sections, key):
    """The sum of ``key`` over ``sections`` when they share one currency (a decimal string), else ``None``."""
    if len({section["currency_id"] for section in sections}) != 1:
        return None
    return str(sum((Decimal(section[key]) for section in sections), Decimal(0)))


def company_header(company):
    return {
        "company_id": company.id,
        "company": company.name,
        "currency_id": company.currency_id.id,
        "currency": company.currency_id.name,
    }


class FusionFollowupController(http.Controller):
    def _engine(self, company_id=None):
        """The engine of the section's company (``company_id``), else of the current company."""
        company = selected_companies([record_id(company_id, "company_id")] if company_id else None)
        return company_engine(company)

    def _answer(self, call):
        """``call()``'s answer; a refusal becomes ``{"refused": True, "error": sentence}``, undoing what ``call`` wrote.

        (A run's own ``error`` key is the run's outcome, not a refusal: the UI tells them apart by ``refused``.)
        """
        try:
            with request.env.cr.savepoint():
                return call()
        except RouteInputError as error:
            return {"refused": True, "error": error.sentence, "field": error.name}
        except (AccessError, MissingError, UserError, ValidationError) as error:
            return {"refused": True, "error": error.args[0] if error.args else str(error)}
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo retries the whole request
        except Exception:  # a bug must still answer a sentence; the log keeps the traceback
            _logger.exception("Fusion follow-up: a dashboard route failed")
            sentence = request.env._("The follow-up action failed unexpectedly; nothing was changed.")
            return {"refused": True, "error": sentence}

    @http.route("/fusion/followup/list_overdue", type="jsonrpc", auth="user")
    def list_overdue(self, offset=0, limit=80, search=None, order="overdue", company_ids=None):
        """A page of overdue customers per selected company (``sections``); ``total_overdue`` sums the
        sections only when their currencies agree (else ``None``), ``total`` counts every section's customers."""

        def call():
            params = {
                "offset": bounded_offset(offset),
                "limit": bounded_limit(limit, default=80, maximum=MAX_PAGE),
                "search": text_value(search, "search", max_length=MAX_SEARCH, default=None) or None,
                "order": choice(order, "order", tuple(PAGE_ORDERS), default="overdue"),
            }
            sections = []
            for company in selected_companies(company_ids):
                page = company_engine(company).list_overdue(**params)
                header = company_header(company)
                for row in page["rows"]:
                    row.update(company_id=company.id, currency_id=header["currency_id"])
                sections.append({**page, **header})
            currencies = {section["currency_id"] for section in sections}
            return {
                "sections": sections,
                "total": sum(section["total"] for section in sections),
                "total_overdue": shared_total(sections, "total_overdue"),
                "currency_id": next(iter(currencies)) if len(currencies) == 1 else None,
            }

        return self._answer(call)

    @http.route("/fusion/followup/get_partner", type="jsonrpc", auth="user")
    def get_partner(self, partner_id=None, company_id=None):
        def call():
            partner = record_id(partner_id, "partner_id")
            engine = self._engine(company_id)
            overdue = engine.get_overdue_for_partner(partner)
            risk = engine.get_partner_risk(partner)
            # What a send would do now (the plan climbs one level at a time), beside the level due by days.
            planned = engine._plan(engine._partner(partner))
            return {
                **overdue.to_dict(),
                **company_header(engine.env.company),
                "level": _decision(engine.compute_followup_level(partner)),
                "next_send": {
                    "level": planned.level.name or "",
                    "skip_reason": engine._plan_sentence(planned),
                },
                "risk": {"score": risk.score, "band": risk.band, "drivers": [asdict(d) for d in risk.drivers]},
                # The status now, as the card shows it (the stored one waits for the daily scan).
                "state": {**engine.get_followup_state(partner), "status": planned.plan.status},
            }

        return self._answer(call)

    @http.route("/fusion/followup/compute_level", type="jsonrpc", auth="user")
    def compute_level(self, partner_id=None, company_id=None):
        return self._answer(
            lambda: _decision(self._engine(company_id).compute_followup_level(record_id(partner_id, "partner_id")))
        )

    @http.route("/fusion/followup/preview_send", type="jsonrpc", auth="user")
    def preview_send(self, partner_id=None, level_id=None, company_id=None):
        """What Send would send now (recipients, level, drafted text) or why it cannot; nothing is sent."""
        return self._answer(
            lambda: self._engine(company_id).preview_send(
                record_id(partner_id, "partner_id"), level=record_id(level_id, "level_id", optional=True)
            )
        )

    @http.route("/fusion/followup/send", type="jsonrpc", auth="user")
    def send(
        self,
        *,
        partner_id=None,
        level_id=None,
        force=False,
        confirm=None,
        subject=None,
        body_html=None,
        text_source=None,
        edited=False,
        company_id=None,
    ):
        """Send the due level (or ``level_id``); ``force`` answers a preview to confirm with its ``confirm`` token.

        ``subject`` and ``body_html`` are the text the person confirmed in the preview (with its
        ``text_source`` and whether it was ``edited``); without them the engine drafts the text.
        """

        def call():
            confirmed = None
            if subject is not None or body_html is not None:
                # A level without e-mail sends no text: the engine refuses an empty subject only for an e-mail.
                confirmed = ConfirmedText(
                    subject=text_value(subject, "subject", max_length=MAX_SUBJECT).strip(),
                    body_html=text_value(body_html, "body_html", max_length=MAX_BODY),
                    source=choice(text_source, "text_source", tuple(s.value for s in TextSource), default="template"),
                    edited=boolean(edited, "edited"),
                )
            result = self._engine(company_id).human_send(
                record_id(partner_id, "partner_id"),
                level=record_id(level_id, "level_id", optional=True),
                force=boolean(force, "force"),
                confirm=text_value(confirm, "confirm", max_length=MAX_TOKEN, default=None),
                text=confirmed,
            )
            return result if isinstance(result, dict) else _run(result)

        return self._answer(call)

    @http.route("/fusion/followup/escalate", type="jsonrpc", auth="user")
    def escalate(self, partner_id=None, confirm=None, company_id=None):
        """One level up: the first call answers a preview, the second (with its ``confirm`` token) sends."""

        def call():
            result = self._engine(company_id).human_escalate(
                record_id(partner_id, "partner_id"),
                confirm=text_value(confirm, "confirm", max_length=MAX_TOKEN, default=None),
            )
            return result if isinstance(result, dict) else _run(result)

        return self._answer(call)

    @http.route("/fusion/followup/pause", type="jsonrpc", auth="user")
    def pause(self, partner_id=None, until_date=None, company_id=None):
        return self._answer(
            lambda: self._engine(company_id).human_pause(
                record_id(partner_id, "partner_id"), until_date=odoo_date(until_date, "until_date")
            )
        )

    @http.route("/fusion/followup/reset", type="jsonrpc", auth="user")
    def reset(self, partner_id=None, company_id=None):
        return self._answer(lambda: self._engine(company_id).human_reset(record_id(partner_id, "partner_id")))

    @http.route("/fusion/followup/history", type="jsonrpc", auth="user")
    def history(self, partner_id=None, limit=50, company_id=None):
        return self._answer(
            lambda: self._engine(company_id).snapshot_followup_history(
                record_id(partner_id, "partner_id"), limit=bounded_limit(limit, default=50, maximum=MAX_HISTORY)
            )
        )

    @http.route("/fusion/followup/generate_text", type="jsonrpc", auth="user")
    def generate_text(self, partner_id=None, level_id=None, company_id=None):
        return self._answer(
            lambda: self._engine(company_id).generate_followup_text(
                record_id(partner_id, "partner_id"), level=record_id(level_id, "level_id", optional=True)
            )
        )
