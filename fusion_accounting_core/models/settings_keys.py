"""Names of the suite's ``ir.config_parameter`` keys, shared by settings and guards."""

PREFIX = "fusion_accounting."
ANTHROPIC_API_KEY = PREFIX + "anthropic_api_key"
OPENAI_API_KEY = PREFIX + "openai_api_key"

# Keys that only Fusion administrators (and sudo code) may read.  The ir.rule in
# security/fusion_security.xml lists the same keys; a test keeps both in step.
SECRET_PARAMS = frozenset({ANTHROPIC_API_KEY, OPENAI_API_KEY})
