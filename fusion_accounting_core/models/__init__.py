from . import enterprise_presence
from . import ir_config_parameter
from . import res_config_settings
