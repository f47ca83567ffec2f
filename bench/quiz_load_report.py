"""What bench/quiz_load.py measures besides its learners' own timings: what PostgreSQL's
sessions of the benchmark database are doing while they answer, and the table printed at the
end. See bench/quiz_load.py for the whole procedure.
"""

import os
import re
import threading

import psycopg
from harness import PG_SERVER, command_line, machine, percentile, print_measures, proc_stat

# --- Measuring ----------------------------------------------------------------------------

LITERALS = re.compile(r"'[^']*'|\b\d+\b")


class ActivitySampler(threading.Thread):
    """What PostgreSQL's sessions of the benchmark database are doing, every 0.1 s."""

    QUERY = (
        "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU'), query "
        "FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )

    def __init__(self, database):
        super().__init__(daemon=True)
        self.conn = psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True)
        self.database = database
        self.stop = threading.Event()
        self.samples = 0
        self.counts = {}
        backend = proc_stat(self.conn.info.backend_pid)
        self.postmaster = backend[0] if backend else None

    def run(self):
        while not self.stop.wait(0.1):
            rows = self.conn.execute(self.QUERY, (self.database,)).fetchall()
            self.samples += 1
            for state, wait, query in rows:
                query = LITERALS.sub("?", " ".join(query.split()))[:70]
                label = state if state != "active" else f"active, {wait}: {query}"
                self.counts[label] = self.counts.get(label, 0) + 1

    def summary(self, top=4):
        lines = []
        for label, count in sorted(self.counts.items(), key=lambda item: -item[1])[:top]:
            lines.append(f"{count / max(self.samples, 1):.2f} {label}")
        return lines


def latencies(results, kind):
    return sorted((end - start) * 1000 for start, end in results.times.get(kind, []))


def report(args, results, window, cpu, sampler, workers, load_before):
    from django.conf import settings

    conn_max_age = settings.DATABASES["default"]["CONN_MAX_AGE"]
    saves = latencies(results, "save answer")
    if saves:
        save_times = results.times["save answer"]
        first = min(start for start, _ in save_times)
        last = max(end for _, end in save_times)
        phase = last - first
    else:
        phase = float("nan")

    def p(kind, *shares):
        values = latencies(results, kind)
        return " / ".join(f"{percentile(values, s):.0f}" for s in shares) + f" ({len(values)})"

    rows = [
        ("learners", f"{args.learners}"),
        ("questions per learner", f"{args.questions}"),
        ("answer saves stored (200 OK)", f"{len(saves)} of {args.learners * args.questions}"),
        ("errors (unexpected status or no response)", f"{len(results.errors)}"),
        ("answers saved per second", f"{len(saves) / phase:.0f} (save phase {phase:.1f} s)"),
        ("save p50 / p95 / p99 / max ms", p("save answer", 0.5, 0.95, 0.99, 1.0)),
        ("quiz start p50 / p95 ms (POST, 302)", p("start quiz", 0.5, 0.95)),
        ("attempt page p50 / p95 ms (GET)", p("attempt page", 0.5, 0.95)),
        ("submit p50 / p95 ms (POST, 302)", p("submit", 0.5, 0.95)),
        ("result page p50 / p95 ms (GET)", p("result page", 0.5, 0.95)),
        ("barrier to last response", f"{window:.1f} s"),
        (
            "CPU in cores: gunicorn / PostgreSQL (all databases) / driver / rest",
            " / ".join(f"{c:.2f}" for c in [*cpu[:3], cpu[3] - sum(cpu[:3])])
            + f" (machine busy {cpu[3]:.2f} of {os.cpu_count()})",
        ),
    ]
    print_measures(rows)
    print(
        f"gunicorn: {workers} sync workers; CONN_MAX_AGE={conn_max_age}; "
        f"PostgreSQL sessions of the benchmark database, average count per 0.1 s sample:"
    )
    for line in sampler.summary():
        print(f"  {line}")
    print(f"machine: {machine()}; load average before the run {load_before}")
    print(f"command: {command_line()}")
    for kind, message in results.errors[:10]:
        print(f"error: {kind}: {message}")
