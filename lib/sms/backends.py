"""Development and test backends: print the message, or write it to a file."""

import json
import sys
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from lib.sms import Message


class BaseBackend:
    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message: "Message") -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Print each message to standard output, like Django's console email backend."""

    lock = threading.Lock()

    def send(self, message: "Message") -> None:
        with self.lock:
            sys.stdout.write(f"SMS to {message.to} [{message.template}, {message.language}]: {message.text}\n")
            sys.stdout.flush()


class FileBackend(BaseBackend):
    """Write each message as one JSON file into ``SMS_FILE_PATH``; tests and the local stack read them back."""

    def __init__(self, file_path: str | Path | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.directory = Path(file_path or settings.SMS_FILE_PATH)

    def send(self, message: "Message") -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "to": message.to,
            "template": message.template,
            "params": {name: str(value) for name, value in message.params.items()},
            "language": message.language,
            "text": message.text,
            "sent_at": timezone.now().isoformat(),
        }
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.json"
        path = self.directory / name
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        path.chmod(0o600)


def read_outbox(directory: str | Path | None = None) -> list[dict[str, Any]]:
    """Every message the file backend wrote, oldest first (for tests and the local stack)."""
    directory = Path(directory or settings.SMS_FILE_PATH)
    if not directory.exists():
        return []
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))]
