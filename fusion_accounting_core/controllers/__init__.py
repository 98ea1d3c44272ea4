from . import fusion_ai
