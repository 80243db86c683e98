"""A backend for tests whose outcomes are set by the test, recording every delivery."""

from everychild.notifications.backends import PermanentFailure, TemporaryFailure, UncertainDelivery


class ScriptedBackend:
    outcomes: list[str] = []  # consumed one per send: "ok", "temporary", "permanent", "uncertain"
    delivered: list[tuple[str, str, str]] = []  # (key, subject, body) per successful send
    tries: int = 0

    @classmethod
    def reset(cls, *outcomes: str) -> None:
        cls.outcomes = list(outcomes)
        cls.delivered = []
        cls.tries = 0

    def send(self, message) -> str:
        type(self).tries += 1
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if outcome == "temporary":
            raise TemporaryFailure("Notify is unavailable (503)")
        if outcome == "permanent":
            raise PermanentFailure("400 - email_address Not a valid email address")
        if outcome == "uncertain":
            raise UncertainDelivery("Read timed out")
        self.delivered.append((message.key, message.subject, message.body))
        return f"scripted-{len(self.delivered)}"
