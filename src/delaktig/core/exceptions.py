"""Domain errors carry a message in plain Swedish that the UI shows as it is."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the policy refused the action. `message` is shown to the user."""

    def __init__(self, message: str, *, code: str = "refused", missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing = missing or []

    def __str__(self) -> str:
        if self.missing:
            return f"{self.message} " + "; ".join(str(m) for m in self.missing)
        return str(self.message)


class NotAllowed(DomainError):
    def __init__(self, message: str = "Du har inte behörighet att göra detta."):
        super().__init__(message, code="not_allowed")
