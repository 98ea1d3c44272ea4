from . import test_security
from . import test_settings
from . import test_enterprise_coexistence
