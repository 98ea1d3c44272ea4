"""Provider-neutral conversation: messages, tool calls, results and usage.

Every provider translates these to and from its vendor's format, so the agent
loop and the stored sessions never see a vendor's JSON.

>>> turn = (Message.user("hi"), Message.assistant(TextBlock("hello")))
>>> messages_from_json(messages_to_json(turn)) == turn
True
>>> Usage(input_tokens=10, output_tokens=2) + Usage(input_tokens=1, cache_read_tokens=5)
Usage(input_tokens=11, output_tokens=2, cache_read_tokens=5, cache_write_tokens=0)
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class TextBlock:
    text: str


@dataclass(frozen=True)
class ToolCall:
    """A call the model asked for.  ``parse_error`` is set when its arguments were not a JSON object."""

    id: str
    name: str
    arguments: dict = field(default_factory=dict)
    parse_error: str = ""


@dataclass(frozen=True)
class ToolResult:
    """The answer to one :class:`ToolCall`; ``content`` is what the model reads."""

    call_id: str
    name: str
    content: str
    is_error: bool = False


_BLOCK_TYPES = {"text": TextBlock, "tool_call": ToolCall, "tool_result": ToolResult}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


@dataclass(frozen=True)
class Message:
    """``role`` is ``user`` (text), ``assistant`` (text and tool calls) or ``tool`` (tool results)."""

    role: str
    blocks: tuple

    @classmethod
    def user(cls, text):
        return cls("user", (TextBlock(text),))

    @classmethod
    def assistant(cls, *blocks):
        return cls("assistant", tuple(blocks))

    @classmethod
    def tool_results(cls, *results):
        return cls("tool", tuple(results))

    @property
    def text(self):
        return "\n".join(block.text for block in self.blocks if isinstance(block, TextBlock))

    @property
    def tool_calls(self):
        return tuple(block for block in self.blocks if isinstance(block, ToolCall))


@dataclass(frozen=True)
class Usage:
    """Tokens of one or more requests.

    ``input_tokens`` counts input billed at the full price; input served from
    the prompt cache is in ``cache_read_tokens`` and input written to it in
    ``cache_write_tokens`` (vendors count these differently; providers
    normalise them to this meaning).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other):
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True)
class ToolDefinition:
    """What a model is told about a tool."""

    name: str
    description: str
    parameters: dict


@dataclass(frozen=True)
class ModelRequest:
    system: str
    messages: tuple
    tools: tuple = ()
    max_tokens: int = 4096


@dataclass(frozen=True)
class ModelResponse:
    message: Message
    usage: Usage = Usage()
    model: str = ""
    stop_reason: str = ""


def _block_to_json(block):
    return {"type": _BLOCK_NAMES[type(block)], **asdict(block)}


def _block_from_json(data):
    data = dict(data)
    return _BLOCK_TYPES[data.pop("type")](**data)


def messages_to_json(messages):
    """JSON-ready list for storing a conversation."""
    return [{"role": m.role, "blocks": [_block_to_json(b) for b in m.blocks]} for m in messages]


def messages_from_json(data):
    """Inverse of :func:`messages_to_json`."""
    return tuple(Message(m["role"], tuple(_block_from_json(b) for b in m["blocks"])) for m in data or ())
