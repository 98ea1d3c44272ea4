from . import controllers, models, tools


def post_init_hook(env):
    """Put every internal user in the enterprise-absent group when it applies."""
    env["fusion.enterprise.presence"]._sync_enterprise_absent_group()
