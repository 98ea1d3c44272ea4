from . import (
    test_attack_followup,
    test_followup_access,
    test_followup_coexistence,
    test_followup_controller,
    test_followup_cron,
    test_followup_engine,
    test_followup_hoot,
    test_followup_text_wiring,
    test_followup_tours,
    test_followup_wizard,
)
