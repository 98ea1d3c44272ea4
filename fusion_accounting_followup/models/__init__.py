from . import (
    account_move_line,
    followup_cron,
    followup_engine,
    followup_ledger,
    followup_level,
    followup_run,
    followup_scan,
    followup_text_cache,
    ir_qweb,
    mail_mail,
    res_company,
    res_partner,
)
