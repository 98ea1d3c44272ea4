from . import batch_followup_wizard, migration_wizard
