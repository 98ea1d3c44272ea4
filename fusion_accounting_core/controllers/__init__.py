from . import fusion_ai
from . import mcp
