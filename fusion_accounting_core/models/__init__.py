from . import (
    account_move,
    account_move_line,
    enterprise_presence,
    fusion_agent,
    fusion_match_history,
    fusion_match_history_decision,  # extends fusion_match_history: keep it after
    fusion_mcp,
    fusion_session,
    fusion_tool,
    ir_config_parameter,
    res_config_settings,
)
