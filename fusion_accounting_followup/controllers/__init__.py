from . import collections_controller, followup_controller
