from . import batch_followup_wizard, collection_wizard, migration_wizard
