"""A real Ralph LRS (its FastAPI app under uvicorn, file backend) on 127.0.0.1, started and
stopped by the tests as a separate process, with a basic-auth user written to its auth file.

Why not ``ralph runserver -b fs`` itself: with ralph-malph 5.1.0 its file backend writes each
POST with the "create" operation, which refuses to write a file that exists; the LRS stores
the first batch and answers 500 to every later one ("fs_lrs.jsonl already exists and
overwrite is not allowed with operation_type create or index"). Run as a script, this module
serves the same app as ``runserver`` (``ralph.api:app``, configured by the same
RALPH_* environment) with two changes to its file backend, each for a fault of 5.1.0:

- it appends (above);
- its verb and activity filters compare the statement's id with the query's value as a
  string. The API turns ``verb`` and ``activity`` into Ralph's IRI model (a pydantic
  RootModel) before the query, which never equals a string, so ``GET /xAPI/statements?verb=``
  found nothing with the file backend.

Validation, duplicate handling, storage and the queries themselves are Ralph's own.
"""

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import bcrypt

USER, PASSWORD = "academy", "lrs-test-secret"
VERSION = {"X-Experience-API-Version": "1.0.3"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RalphLRS:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None
        self.auth_file = self.directory / "auth.json"
        # Ralph's own format (what `ralph auth -w` writes); a low bcrypt cost keeps it quick.
        digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        self.auth_file.write_text(
            json.dumps(
                [
                    {
                        "agent": {"mbox": "mailto:lrs@example.org", "objectType": "Agent"},
                        "scopes": ["all"],
                        "hash": digest,
                        "username": USER,
                    }
                ]
            )
        )

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self, timeout=90):
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.directory / "app"),
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data),
        }
        self.log = open(self.directory / "ralph.log", "ab")  # noqa: SIM115 (kept while it runs)
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(self.port)],
            cwd=self.directory,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own process group, stopped as a whole.
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ralph runserver exited: {self.read_log()}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2
                ) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"ralph runserver did not answer in {timeout} s: {self.read_log()}")

    def stop(self):
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        self.log.close()
        # The port is closed once the group is gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.2)

    def read_log(self):
        path = self.directory / "ralph.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def get(self, **params):
        """GET /xAPI/statements with xAPI's filters, following ``more`` to the end."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        url = f"{self.endpoint}/statements?" + urllib.parse.urlencode(params)
        found = []
        while url:
            request = urllib.request.Request(
                url, headers={**VERSION, "Authorization": f"Basic {token}"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read())
            found.extend(body["statements"])
            more = body.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return found

    def stored(self):
        """Every statement in the file backend, as written (one JSON document a line)."""
        rows = []
        for path in sorted(self.data.glob("*")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rows.append(json.loads(line))
        return rows


def serve(port):
    """Ralph's LRS app as ``ralph runserver`` serves it, the file backend appending."""
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    by_verb, by_activity = FSLRSBackend._add_filter_by_verb, FSLRSBackend._add_filter_by_activity

    def _text(value):
        return None if value is None else str(value)

    FSLRSBackend._add_filter_by_verb = staticmethod(
        lambda filters, verb_id: by_verb(filters, _text(verb_id))
    )
    FSLRSBackend._add_filter_by_activity = staticmethod(
        lambda filters, object_id, related: by_activity(filters, _text(object_id), related)
    )
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=port, log_level="info")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
