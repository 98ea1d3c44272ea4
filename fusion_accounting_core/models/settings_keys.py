"""Names of the suite's ``ir.config_parameter`` keys, shared by settings and guards.

The providers' keys come from the provider registry (``services/providers/registry.py``).
"""

from ..services.providers.registry import ANTHROPIC_API_KEY, OPENAI_API_KEY, PREFIX, SECRET_PARAMS

__all__ = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "PREFIX", "SECRET_PARAMS"]

# SECRET_PARAMS: the keys that only Fusion administrators (and sudo code) may read.
# The ir.rule in security/fusion_security.xml lists the same keys; a test keeps both in step.
