from . import followup_controller
