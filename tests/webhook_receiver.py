"""A webhook receiver as a partner would write one, run as its own process on loopback.

``python tests/webhook_receiver.py PORT SECRET LOG [REFUSE]``: checks each POST's
``Newsfacts-Signature`` with the README's verification snippet (read from README.md, so the
documented code is the code tested), appends one JSON line per event it accepts to LOG
(``{"id", "type", "valid", "body"}``), and answers 2xx; the first REFUSE requests get a 503 instead.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
MARKER = "<!-- webhook-verify"


def readme_verify():  # -> the README's verify(secret, body, header, tolerance_s=300)
    """The README's verification snippet, executed: the ```python block after its marker."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    match = re.search(r"```python\n(.*?)\n```", after, re.DOTALL)
    assert match is not None, "no python block after the webhook-verify marker in README.md"
    namespace: dict = {}
    exec(compile(match.group(1), "README.md#webhook-verify", "exec"), namespace)  # noqa: S102
    return namespace["verify"]


def main() -> None:
    port, secret, log_path = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    refuse = [int(sys.argv[4]) if len(sys.argv) > 4 else 0]
    verify = readme_verify()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                if refuse[0] > 0:
                    refuse[0] -= 1
                    self.send_response(503)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                line = {
                    "id": self.headers.get("newsfacts-event-id"),
                    "type": self.headers.get("newsfacts-event-type"),
                    "valid": verify(secret, body, self.headers.get("newsfacts-signature", "")),
                    "body": json.loads(body),
                }
                with log_path.open("a", encoding="utf-8") as log:
                    log.write(json.dumps(line) + "\n")
            self.send_response(204)
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
