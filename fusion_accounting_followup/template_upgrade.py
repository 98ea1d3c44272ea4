"""What an upgrade does to the follow-up e-mail templates, which the module ships as ``noupdate``.

(Not named ``upgrades``: Odoo reads a package of that name as upgrade tests.)

Users adapt these texts, so an upgrade never overwrites a template someone edited.  Odoo's data
load never rewrites a ``noupdate`` record, so the templates file is loaded again as at install,
which rewrites all three, and the rows of those a user edited (last written by someone other than
the superuser that loads data) are put back as they were, every column and translation.
"""

from psycopg2.extras import Json

from odoo import SUPERUSER_ID
from odoo.tools import SQL
from odoo.tools.convert import convert_file

MODULE = "fusion_accounting_followup"
TEMPLATES = ("mail_template_followup_reminder", "mail_template_followup_warning", "mail_template_followup_legal")


def refresh_untouched_templates(env):
    """Give the shipped templates nobody edited the module's current text; returns their xml ids."""
    templates = {name: env.ref(f"{MODULE}.{name}", raise_if_not_found=False) for name in TEMPLATES}
    edited = [template.id for template in templates.values() if template and template.write_uid.id != SUPERUSER_ID]
    env.flush_all()
    env.cr.execute("SELECT * FROM mail_template WHERE id = ANY(%s)", [edited])
    rows = env.cr.dictfetchall()
    convert_file(env, MODULE, "data/mail_templates_data.xml", {}, mode="init")
    env.flush_all()
    for row in rows:
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(column), Json(value) if isinstance(value, dict) else value)
            for column, value in row.items()
            if column != "id"
        )
        env.cr.execute(SQL("UPDATE mail_template SET %s WHERE id = %s", assignments, row["id"]))
    env.invalidate_all()
    return sorted(name for name, template in templates.items() if template and template.id not in edited)
