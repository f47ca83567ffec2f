"""Running the real platform for a measurement: a PostgreSQL database of its own, the
production settings, gunicorn (and a task worker when asked), Redis, and clean-up.

Used by the scripts beside it; needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust
auth) and Redis on 127.0.0.1:6379.
"""

import http.client
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
# Runs keep to their own key prefix; BENCH_REDIS_URL picks another database beside others' runs.
REDIS_SERVER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60
SETTINGS_MODULE = "qa_bench_settings"


# --- Databases ------------------------------------------------------------------------------


def recreate_database(name):
    """Drop a leftover database and create it afresh; refuse if a run is still using it."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        try:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        except psycopg.errors.ObjectInUse:
            raise SystemExit(
                f"database {name} is in use, probably by another run of a benchmark: "
                "wait for it (two runs would also measure each other) or pass --database"
            ) from None
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def manage(env, *args):
    subprocess.run([VENV_BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- Processes ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_request(port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT, source=None):
    """(status, headers, body bytes); a new connection each time, as sync workers close it.
    ``source``: the local address to connect from, e.g. 127.0.0.2 to stand for a second
    client (all of 127.0.0.0/8 is this machine)."""
    conn = http.client.HTTPConnection(
        HOST, port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def wait_healthy(port, process, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            if http_request(port, "GET", "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds} s")


def start_gunicorn(env, port, workers, log_path, access_log=False, nice=0):
    command = [
        *(["nice", "-n", str(nice)] if nice else []),
        str(VENV_BIN / "gunicorn"),
        "cms.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        *(["--access-logfile", "-"] if access_log else []),
    ]
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    wait_healthy(port, process, log_path)
    return process


def start_worker(env, log_path, nice=0):
    """`manage.py db_worker`: runs the queued background tasks (certificates, their ZIPs)."""
    nice_prefix = ["nice", "-n", str(nice)] if nice else []
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [*nice_prefix, str(VENV_BIN / "python"), "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )


def stop(process, timeout=20):
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_pids(master_pid):
    """gunicorn's worker processes (children of the master), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(entry.name)
            if stat and stat[0] == master_pid:
                pids.append(int(entry.name))
    return pids


def signed_in_sessions(users):
    """A session key per user, written as the sign-in view writes it (Django set up here)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


# --- CPU and the machine ---------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    """(ppid, own CPU s, CPU s of reaped children) from /proc, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    reaped = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
    return int(fields[1]), own, reaped


def tree_cpu(root_pid):
    """CPU seconds of a process, its reaped children and its live children."""
    root = proc_stat(root_pid)
    if root is None:
        return 0.0
    return root[1] + root[2] + sum(proc_stat(pid)[1] for pid in worker_pids(root_pid))


def system_busy():
    """(busy, total) CPU seconds of the machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def percentile(sorted_values, share):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * share // 1))
    return sorted_values[int(rank) - 1]


def print_measures(rows):
    """``(measure, value)`` rows as a Markdown table, with a blank line before and after."""
    width = max(len(name) for name, _ in rows)
    print()
    print(f"| {'measure':{width}} | value |")
    print(f"| {'-' * width} | --- |")
    for name, value in rows:
        print(f"| {name:{width}} | {value} |")
    print()


def machine():
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({model}), {mem_kb / 1024**2:.1f} GiB, {platform.platform()}"


def command_line():
    return shlex.join([os.path.relpath(sys.executable), *sys.argv])


NGINX_CONF = """
daemon off;
user root;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 1000000;
    upstream academy {{ {servers} }}
    upstream academy_quiz {{ {quiz_servers} }}
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_read_timeout 60s;
    log_format timing '$request_time $request_method $uri $status';
    server {{
        listen {host}:{port} backlog=4096;
        location / {{
            proxy_pass http://academy;
        }}
        location ~ ^/learn/(quizzes/[0-9]+/start|attempts/[0-9]+|attempts/[0-9]+/submit)/$ {{
            proxy_pass http://academy;
            access_log {prefix}/quiz.log timing;
        }}
        location ~ ^/learn/attempts/[0-9]+/answer/$ {{
            proxy_pass http://academy_quiz;
            access_log {prefix}/quiz.log timing;
        }}
    }}
}}
"""
QUIZ_REQUESTS = [
    ("start quiz", "POST", re.compile(r"/learn/quizzes/\d+/start/")),
    ("attempt page", "GET", re.compile(r"/learn/attempts/\d+/")),
    ("save answer", "POST", re.compile(r"/learn/attempts/\d+/answer/")),
    ("submit", "POST", re.compile(r"/learn/attempts/\d+/submit/")),
]


# --- The platform ---------------------------------------------------------------------------


class Platform:
    """A temporary settings module over the production settings, its environment, and a
    PostgreSQL database made for the run (or an existing one, which is left as it was).

    ``extra_settings`` is appended to the settings module; ``urls`` (module source), when
    given, becomes ROOT_URLCONF.
    """

    def __init__(self, database, *, existing=False, extra_settings="", urls=None, env=None):
        self.database = database
        self.existing = existing
        self.temp = Path(tempfile.mkdtemp(prefix="qa-bench-"))
        settings = [
            "from cms.settings.production import *  # noqa: F403",
            f"STATIC_ROOT = {str(self.temp / 'static')!r}",
            f"MEDIA_ROOT = {str(self.temp / 'media')!r}",
            f"EMAIL_FILE_PATH = {str(self.temp / 'mail')!r}",
            # The database is made for the run and dropped after it; the load bench's
            # catalog and accounts come from `bootstrap --demo`.
            "BOOTSTRAP_DEMO_ALLOWED = True",
            extra_settings,
        ]
        if urls:
            (self.temp / "qa_bench_urls.py").write_text(urls)
            settings.append('ROOT_URLCONF = "qa_bench_urls"')
        (self.temp / f"{SETTINGS_MODULE}.py").write_text("\n".join(settings) + "\n")
        self.cache_prefix = f"qa-bench-{os.getpid()}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(self.temp),
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"{PG_SERVER}/{database}",
            "REDIS_URL": REDIS_SERVER,
            "CACHE_KEY_PREFIX": self.cache_prefix,
            "PRIVATE_MEDIA_ROOT": str(self.temp / "private"),
            "CERTIFICATE_SIGNING_KEY_FILE": str(self.temp / "signing-key.pem"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            **(env or {}),
        }
        self.processes = []
        self.created = False

    def log(self, name):
        return self.temp / f"{name}.log"

    def prepare(self, *bootstrap_args):
        """Create the database (unless it exists), bootstrap it and collect static files."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        Path(self.env["CERTIFICATE_SIGNING_KEY_FILE"]).write_bytes(key)
        if not self.existing:
            recreate_database(self.database)
            self.created = True
            manage(self.env, "bootstrap", *bootstrap_args)
        manage(self.env, "collectstatic", "--noinput", "--verbosity", "0")

    def setup_django(self):
        """Django in this process, on the same settings and database as the server."""
        os.environ.update({k: v for k, v in self.env.items() if k != "PYTHONPATH"})
        sys.path[:0] = [str(self.temp), str(ROOT)]
        import django

        django.setup()

    def start_gunicorn(self, workers, name="gunicorn", access_log=False, nice=0):
        self.port = free_port()
        process = start_gunicorn(self.env, self.port, workers, self.log(name), access_log, nice)
        self.processes.append(process)
        return process

    def start_proxy(self, upstream_ports, quiz_ports=()):
        """nginx in front of gunicorn, as docs/operations.md has it: it keeps clients'
        connections open and hands gunicorn's sync workers only whole requests, so a client
        that is slow or idle between clicks holds no worker. ``quiz_ports``, when given,
        serve answer saves apart from everything else (the runbook's quiz pool).
        Returns the port to use."""
        port = free_port()
        prefix = self.temp / "nginx"
        prefix.mkdir()

        def servers(ports):
            return "".join(f"server {HOST}:{p};" for p in ports)

        (prefix / "nginx.conf").write_text(
            NGINX_CONF.format(
                prefix=prefix,
                servers=servers(upstream_ports),
                quiz_servers=servers(quiz_ports or upstream_ports),
                host=HOST,
                port=port,
            )
        )
        with open(self.log("nginx"), "ab") as log:
            process = subprocess.Popen(
                ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                stdout=log,
                stderr=log,
            )
        self.processes.append(process)
        wait_healthy(port, process, self.log("nginx"))
        return port

    def proxy_quiz_log_size(self):
        path = self.temp / "nginx" / "quiz.log"
        return path.stat().st_size if path.exists() else 0

    def proxy_quiz_timings(self, since=0):
        """{kind: sorted ms} of the quiz requests nginx logged after byte ``since``: the time
        from reading the request to sending the response's last byte, queueing included."""
        timings = {}
        with open(self.temp / "nginx" / "quiz.log", encoding="ascii") as log:
            log.seek(since)
            for line in log:
                seconds, method, uri, _status = line.split()
                for kind, verb, pattern in QUIZ_REQUESTS:
                    if method == verb and pattern.fullmatch(uri):
                        timings.setdefault(kind, []).append(float(seconds) * 1000)
                        break
        return {kind: sorted(values) for kind, values in timings.items()}

    def start_worker(self, nice=0):
        process = start_worker(self.env, self.log("worker"), nice)
        self.processes.append(process)
        return process

    def log_tail(self, name, lines=20):
        path = self.log(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def close(self):
        for process in reversed(self.processes):
            stop(process)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if self.created:
            drop_database(self.database)
        client = redis.Redis.from_url(REDIS_SERVER)
        keys = list(client.scan_iter(match=f"{self.cache_prefix}:*"))
        if keys:
            client.delete(*keys)
        shutil.rmtree(self.temp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
