"""The platform under load, measured against a floor, in one run.

    .venv/bin/python bench/load.py [--existing qa_city | --scale 1.0] [--seconds 15]
        [--concurrency 50] [--learners 200 1000] [--questions 10] [--think 5 15]
        [--quiz-workers 2] [--pages-nice 10] [--quiz-only] [--no-proxy] [--certificate]

Needs PostgreSQL and Redis (see harness.py), wrk and nginx (`apt-get install wrk nginx-light`).

What one run does:

1. Starts from a PostgreSQL database with the city data generator's data: either a new one
   (``bootstrap --demo``, then ``generate_city_data --scale``; 1.0 is the city-sized set of
   100,000 learners and takes about 3 minutes) or ``--existing NAME``, made that way before
   and left as it was found, apart from the accounts and the quiz course this run adds.
2. Starts gunicorn (sync workers, 2 x cores + 1) with the production settings, Redis as the
   cache, session store and page cache, and one extra URL: the floor, a Django view that
   returns a fixed HTML page of the home page's size through the same middleware; a second
   gunicorn, the quiz pool (``--quiz-workers``, 2), for answer saves alone, with
   the page workers at a lower CPU priority (``--pages-nice``, 10); and nginx in front of
   both; and the task worker (``manage.py db_worker``) at nice 15. All as in
   docs/operations.md. Every request below goes through nginx.
3. With wrk (one thread, ``--concurrency`` connections, ``--seconds`` each after a 3-second
   warm-up), measures the floor; the home page, catalog, a course and a lesson for anonymous
   visitors (the page cache serves them) and for signed-in learners (50 of the generated
   learners with enrolments, one session each, taken in turn; on the lesson row each goes
   through the course's lessons in order, so every view records a visit, as a learner's
   does); the certificate PDF download
   by its holder; an administrator's district report and a training manager's staff list.
4. As many visitors as learners ask for the floor twice each, all at once (bench/burst.py):
   the least a quiz start can wait on this machine with this driver. Then simulated
   learners start the same quiz at once (threads, a new connection per request, as
   in quiz_load.py): released together, each starts an attempt, opens it, reads each of the
   ``--questions`` questions for ``--think`` seconds (uniform) before saving its answer,
   submits and opens the result. Once with each number of ``--learners``. With
   ``--certificate`` the quiz is the only unit of a course with a certificate and a pass
   mark of 10, so nearly every submission completes the course and queues its certificate,
   as on the day of a final exam; the run waits for the task worker to issue them, and every
   learner who passed must then hold exactly one certificate.
5. Prints one table (requests per second, p50 and p95 in ms, errors, throughput as a share of
   the floor's), checks every quiz attempt in the database, and exits 1 on any error.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from burst import KINDS as BURST_KINDS
from burst import floor_burst
from harness import (
    HOST,
    Platform,
    command_line,
    http_request,
    machine,
    manage,
    percentile,
    signed_in_sessions,
    stop,
    system_busy,
    tree_cpu,
)
from quiz_load import (
    ActivitySampler,
    Learner,
    Results,
    check_attempts,
    check_certificates,
    prepare_learners,
    write_course_package,
)

FLOOR_URLS = """
from django.http import HttpResponse
from django.urls import include, path

FLOOR = ("<!DOCTYPE html><html lang=zh-Hans><body><p>" + "质量" * {chars} + "</p></body></html>")


def floor(request):
    return HttpResponse(FLOOR)


urlpatterns = [path("bench/floor/", floor), path("", include("cms.urls"))]
handler500 = "cms.views.server_error"
"""
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
WORKER_NICE = 15


def wrk(port, path, concurrency, seconds, sessions_file=None, think_ms=None, paths=()):
    url = f"http://{HOST}:{port}{path}"
    env = {
        **os.environ,
        "WRK_THINK_MS": " ".join(map(str, think_ms)) if think_ms else "",
        "WRK_PATHS": " ".join(paths),
    }
    base = ["wrk", "-t1", f"-c{concurrency}", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    tail = [url, "--", sessions_file] if sessions_file else [url]
    subprocess.run([*base, "-d3s", *tail], check=True, capture_output=True, env=env)  # warm-up
    done = subprocess.run([*base, f"-d{seconds}s", *tail], check=True, capture_output=True, env=env)
    line = [row for row in done.stdout.decode().splitlines() if row.startswith("{")][-1]
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"]
    result["think_ms"] = think_ms
    result["error_count"] = sum(result["errors"].values())
    if not result["requests"]:
        result["error_count"] += 1
        print(f"no answer from {path}:\n{done.stdout.decode()}{done.stderr.decode()}")
    return result


def write_sessions(folder, name, keys):
    path = Path(folder) / f"{name}.sessions"
    path.write_text("\n".join(keys) + "\n")
    return str(path)


def pick_subjects():
    """URLs and the people who will ask for them, from the generated data."""
    from django.db import transaction
    from django.db.models import Count

    from accounts.models import Membership, Role, User
    from certificates import services as certificates
    from courses.models import CoursePage, Enrolment, LessonPage

    course = (
        CoursePage.objects.live()
        .annotate(n=Count("enrolments"))
        .filter(n__gt=50)
        .order_by("-n")
        .first()
    )
    lesson = LessonPage.objects.child_of(course).live().first()
    learners = list(
        User.objects.filter(enrolments__course=course, is_staff=False)
        .annotate(n=Count("enrolments"))
        .order_by("-n", "pk")[:50]
    )
    completed = (
        Enrolment.objects.filter(course__certificate=True, completed_at__isnull=False)
        .select_related("user", "course")
        .order_by("pk")
        .first()
    )
    certificate = certificates.issue_for(completed) if completed else None
    if certificate is not None:  # a PDF in this run's storage (generated ones have none)
        with transaction.atomic():
            certificate = certificates.reissue(certificate, note="load test")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    biggest = (
        Membership.objects.values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["organisation"]
    )
    manager = (
        Membership.objects.filter(organisation=biggest, role=Role.MANAGER)
        .select_related("user")
        .first()
    )
    manager_user = manager.user if manager else None
    if manager_user is None:
        manager_user = User.objects.create_user("bench-manager", real_name="基准测试经理")
        Membership.objects.create(user=manager_user, organisation_id=biggest, role=Role.MANAGER)
    return course, lesson, learners, certificate, admin, manager_user


def quiz_phase(port, package, learners, questions, think, prefix, database, servers, certificate):
    """``servers``: {name: pid} of the processes whose CPU time is reported, children included;
    ``certificate``: the quiz completes a course with a certificate, checked afterwards."""
    from django.db import connections

    quiz_id, quiz_url, keys = prepare_learners(package, learners, prefix=prefix)
    connections.close_all()
    results = Results()
    barrier = threading.Barrier(learners + 1, timeout=600)
    threads = [
        Learner(n, port, key, quiz_id, quiz_url, barrier, results, think=think)
        for n, key in enumerate(keys)
    ]
    for thread in threads:
        thread.start()
    sampler = ActivitySampler(database)
    servers = {**servers, "PostgreSQL": sampler.postmaster or -1}
    barrier.wait()
    released = time.perf_counter()
    before = ({n: tree_cpu(pid) for n, pid in servers.items()}, time.process_time(), system_busy())
    sampler.start()
    for thread in threads:
        thread.join(900)
    window = time.perf_counter() - released
    after = ({n: tree_cpu(pid) for n, pid in servers.items()}, time.process_time(), system_busy())
    sampler.stop.set()
    sampler.join(5)
    sampler.conn.close()
    cores = {n: (after[0][n] - before[0][n]) / window for n in servers}
    cores["driver"] = (after[1] - before[1]) / window
    machine_busy = (after[2][0] - before[2][0]) / window
    cores["rest of the machine"] = machine_busy - sum(cores.values())
    print(
        f"CPU over {window:.0f} s, in cores: "
        + ", ".join(f"{name} {value:.2f}" for name, value in cores.items())
        + f" (machine busy {machine_busy:.2f} of {os.cpu_count()})"
    )
    print("PostgreSQL sessions, average count per 0.1 s sample:")
    for line in sampler.summary(6):
        print(f"  {line}")
    print_timeline(results, released)
    if any(thread.is_alive() for thread in threads):
        results.error("learner", "still running after 900 s")
        results.stopped.set()
    problems = check_attempts(quiz_id, learners, questions, prefix=prefix)
    if certificate:
        # The task worker issues them after the submissions: wait for it (10 minutes at most).
        finished = time.perf_counter()
        while True:
            passed, issued, wrong = check_certificates(quiz_id, prefix)
            if issued >= passed or time.perf_counter() - finished > 600:
                break
            time.sleep(1)
        print(
            f"{passed} learners passed; {issued} certificates issued by the task worker, "
            f"the last {time.perf_counter() - finished:.0f} s after the last learner finished"
        )
        problems += wrong
    connections.close_all()
    return results, problems


def print_timeline(results, released, step=10):
    """Requests and save p95 per ``step`` seconds after the release, by when they were sent."""
    buckets = {}
    for kind, spans in results.times.items():
        for start, end in spans:
            bucket = buckets.setdefault(int((start - released) // step), {})
            bucket.setdefault(kind, []).append((end - start) * 1000)
    print(f"timeline (requests sent in each {step} s; save p95 ms):")
    for index in sorted(buckets):
        bucket = buckets[index]
        counts = ", ".join(f"{kind} {len(values)}" for kind, values in sorted(bucket.items()))
        saves = sorted(bucket.get("save answer", []))
        p95 = f"; save p95 {percentile(saves, 0.95):.0f}" if saves else ""
        print(f"  {index * step:4d} s: {counts}{p95}")


QUIZ_KINDS = ("start quiz", "attempt page", "save answer", "submit")


def quiz_rows(label, results, proxy_timings, kinds=QUIZ_KINDS):
    """The learners' own timings; then, behind nginx, the same requests as nginx timed them
    (without the connection set-up and without the driver's 1,000 threads waiting their turn
    for the interpreter, which both add to what the learners measure)."""
    rows = []
    for kind in kinds:
        spans = results.times.get(kind, [])
        values = sorted((end - start) * 1000 for start, end in spans)
        if spans:
            first = min(start for start, _ in spans)
            last = max(end for _, end in spans)
            rate = len(spans) / max(last - first, 1e-9)
        else:
            rate = 0.0
        errors = sum(1 for k, _ in results.errors if k == kind)
        rows.append(
            (
                f"{label}: {kind}",
                "",
                rate,
                percentile(values, 0.5),
                percentile(values, 0.95),
                errors,
                None,
            )
        )
    for kind in kinds if proxy_timings else ():
        values = proxy_timings.get(kind, [])
        rows.append(
            (
                f"{label}: {kind}, timed by nginx",
                "",
                None,
                percentile(values, 0.5),
                percentile(values, 0.95),
                "",
                None,
            )
        )
    return rows


def measure_pages(port, args, subjects, temp):
    """wrk's rows: the floor, then each page, with its throughput as a share of the floor's."""
    from courses.models import LessonPage

    course, lesson, learners, certificate, admin, manager = subjects
    folder = tempfile.mkdtemp(dir=temp)
    learner_file = write_sessions(folder, "learners", signed_in_sessions(learners))
    c, s = args.concurrency, args.seconds
    floor = wrk(port, "/bench/floor/", c, s)
    rows = [("floor (fixed HTML, same middleware)", c, floor)]
    pages = [
        ("home", "/"),
        ("catalog", "/courses/"),
        ("course", course.url),
        ("lesson", lesson.url),
    ]
    for name, url in pages:
        rows.append((f"anonymous {name}", c, wrk(port, url, c, s)))
    signed_in = [*pages, ("dashboard", "/dashboard/")]
    # Signed-in learners move through the course's lessons, so each view records a visit.
    units = LessonPage.objects.child_of(course).live().order_by("path")
    lessons = {"lesson": [unit.url for unit in units]}
    for name, url in signed_in:
        result = wrk(port, url, c, s, learner_file, paths=lessons.get(name, ()))
        rows.append((f"signed-in {name}", c, result))
    think = [int(seconds * 1000) for seconds in args.click_think]
    for name, url in signed_in:
        result = wrk(port, url, c, max(s, 30), learner_file, think, lessons.get(name, ()))
        rows.append((f"signed-in {name}, {c} people clicking", c, result))
    if certificate:
        holder = write_sessions(folder, "holder", signed_in_sessions([certificate.user]))
        pdf = certificate_url(certificate)
        rows.append(("certificate PDF (holder)", 10, wrk(port, pdf, 10, s, holder)))
    admin_file = write_sessions(folder, "admin", signed_in_sessions([admin]))
    report_url = "/admin/reports/?start=2025-01-01&end=2026-12-31&by=district"
    rows.append(("report by district (admin)", 2, wrk(port, report_url, 2, s, admin_file)))
    manager_file = write_sessions(folder, "manager", signed_in_sessions([manager]))
    rows.append(("staff list (manager)", 5, wrk(port, "/org/staff/", 5, s, manager_file)))
    return [
        (
            name,
            conc,
            r["rps"],
            r["p50_ms"],
            r["p95_ms"],
            r["error_count"],
            None if r.get("think_ms") else r["rps"] / floor["rps"],
        )
        for name, conc, r in rows
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--existing", metavar="DATABASE", help="a generated database to reuse")
    parser.add_argument("--database", default="qa_bench_load")
    parser.add_argument("--scale", default="1.0", help="generate_city_data --scale")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--learners", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument(
        "--think", type=float, nargs=2, default=[5.0, 15.0], help="seconds per question"
    )
    parser.add_argument(
        "--click-think", type=float, nargs=2, default=[1.0, 3.0], help="seconds between clicks"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--quiz-workers",
        type=int,
        default=2,
        help="workers of the quiz pool serving answer saves (0: none)",
    )
    parser.add_argument(
        "--pages-nice",
        type=int,
        default=10,
        help="niceness of the page workers, as the runbook sets it (0 to 19)",
    )
    parser.add_argument(
        "--no-proxy", action="store_true", help="straight to gunicorn (no quiz pool)"
    )
    parser.add_argument("--quiz-only", action="store_true", help="skip the pages")
    parser.add_argument(
        "--certificate",
        action="store_true",
        help="the quiz completes a course with a certificate: each pass queues its PDF",
    )
    args = parser.parse_args()

    database = args.existing or args.database
    with Platform(
        database,
        existing=bool(args.existing),
        urls=FLOOR_URLS.replace("{chars}", "1"),
        env={"STAFF_TWO_FACTOR_REQUIRED": "0"},
    ) as bench:
        print(f"preparing database {database} ...", flush=True)
        bench.prepare("--demo")
        if not args.existing:
            manage(bench.env, "generate_city_data", "--scale", args.scale)

        # The floor must weigh what the home page weighs: measure it, then write the floor.
        probe = bench.start_gunicorn(1)
        status, _, content = http_request(bench.port, "GET", "/")
        assert status == 200, status
        home_size = len(content)
        bench.processes.remove(probe)
        stop(probe)
        chars = max(1, (home_size - 60) // 6)
        (bench.temp / "qa_bench_urls.py").write_text(FLOOR_URLS.replace("{chars}", str(chars)))

        bench.setup_django()
        from django.db import connections

        subjects = pick_subjects()
        connections.close_all()
        servers = {"pages": bench.start_gunicorn(args.workers, nice=args.pages_nice).pid}
        pages_port = bench.port
        quiz_ports = []
        if args.quiz_workers and not args.no_proxy:
            servers["quiz pool"] = bench.start_gunicorn(args.quiz_workers, name="gunicorn-quiz").pid
            quiz_ports.append(bench.port)
        port = pages_port if args.no_proxy else bench.start_proxy([pages_port], quiz_ports)
        # The task worker beside them, below the pages, as the runbook has it on one machine.
        servers["task worker"] = bench.start_worker(nice=WORKER_NICE).pid
        table = [] if args.quiz_only else measure_pages(port, args, subjects, bench.temp)
        floor_size = len(http_request(port, "GET", "/bench/floor/")[2])

        package = write_course_package(bench.temp, args.questions, args.certificate)
        problems = []
        quiz_errors = []
        for n in args.learners:
            print(f"{n} visitors ask for the floor at once ...", flush=True)
            burst = floor_burst(port, n)
            table += quiz_rows(f"{n} at once", burst, None, kinds=BURST_KINDS)
            quiz_errors += burst.errors
            print(f"{n} learners start the same quiz ...", flush=True)
            logged = None if args.no_proxy else bench.proxy_quiz_log_size()
            results, found = quiz_phase(
                port,
                package,
                n,
                args.questions,
                tuple(args.think),
                prefix=f"load{os.getpid()}-{n}-",
                database=database,
                servers=servers,
                certificate=args.certificate,
            )
            timings = None if logged is None else bench.proxy_quiz_timings(logged)
            table += quiz_rows(f"{n} learners", results, timings)
            problems += [f"{n} learners: {p}" for p in found]
            quiz_errors += results.errors

        print()
        print("| measure | connections | requests/s | p50 ms | p95 ms | errors | of floor |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, conc, rps, p50, p95, errors, ratio in table:
            share = f"{ratio:.2f}" if ratio is not None else ""
            rate = f"{rps:.0f}" if rps is not None else ""
            print(f"| {name} | {conc} | {rate} | {p50:.0f} | {p95:.0f} | {errors} | {share} |")
        print()
        print(
            f"floor {floor_size} bytes, home page {home_size} bytes; gunicorn {args.workers} "
            f"sync workers{'' if args.no_proxy else ' behind nginx'}"
            f"{f' at nice {args.pages_nice}' if args.pages_nice else ''}"
            f"{f', quiz pool of {args.quiz_workers}' if quiz_ports else ''}; "
            "wrk 1 thread, "
            f"{args.seconds} s per row after a 3 s warm-up (30 s for people "
            f"clicking, {args.click_think[0]:g}-{args.click_think[1]:g} s between clicks); "
            f"quiz: {args.questions} questions, {args.think[0]:g}-{args.think[1]:g} s per question"
            + ("; passing it issues a certificate (pass mark 10)" if args.certificate else "")
        )
        print(f"machine: {machine()}")
        print(f"command: {command_line()}")
        for kind, message in quiz_errors[:10]:
            print(f"error: {kind}: {message}")
        for problem in problems[:10]:
            print(f"database check: {problem}")
        failed = bool(quiz_errors or problems or any(r[5] for r in table))
        if failed:
            for name in ("gunicorn", "gunicorn-quiz"):
                print(f"{name} log (last lines):\n" + bench.log_tail(name))
    return 1 if failed else 0


def certificate_url(certificate):
    from django.urls import reverse

    return reverse("certificate_pdf", args=[certificate.pk])


if __name__ == "__main__":
    sys.exit(main())
