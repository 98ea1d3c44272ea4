from . import test_ar_aging, test_enterprise_coexistence, test_security, test_settings
from . import test_agent_registry
from . import test_agent_approvals
from . import test_agent_injection
from . import test_agent_controller
from . import test_agent_progress
from . import test_agent_uploads
from . import test_demo_company
from . import test_indexes
from . import test_attack_rights
from . import test_attack_inputs
from . import test_provider_wiring
from . import test_mcp_endpoint
from . import test_provider_sentences
