from . import followup_tools
