"""The provider contract: one method, :meth:`Provider.complete`."""

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderConfig:
    """Settings a provider is built from.  ``api_key`` never leaves the provider (not in repr)."""

    model: str = ""
    api_key: str = ""
    base_url: str = ""
    timeout: float = 60.0
    store: bool = False

    def __repr__(self):
        return f"ProviderConfig(model={self.model!r}, base_url={self.base_url!r}, timeout={self.timeout!r})"


class Provider(ABC):
    """Talks to one kind of model.  ``label`` names it in the chat and in sessions."""

    label = "provider"
    model = ""

    @abstractmethod
    def complete(self, request):
        """Answer a :class:`~.messages.ModelRequest` with a :class:`~.messages.ModelResponse`.

        Raises :class:`~.errors.ProviderError` (or a subclass) and nothing else.
        """

    def __repr__(self):
        return f"{type(self).__name__}(model={self.model!r})"
