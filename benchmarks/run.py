"""Requests per second of the main pages, against a bare Django response, on PostgreSQL.

    .venv/bin/python benchmarks/run.py [--reuse] [--duration 5] [--only NAME]   (or: make bench)

Builds the recognise_bench database (10,000 learners, see generate_bench_data), serves
it with gunicorn under production settings, signs in as the benchmark learner and
trainer, and drives each page with wrk. Each page runs in A-B-A-B order with a
"ceiling" view that returns a constant string through the same stack, so a machine
that is busy with other work slows both sides of each ratio alike.

Prints a table (and writes benchmarks/results/latest.json), the peak memory of each
gunicorn worker, the extra peak memory a 10,000-row CSV export costs (and the
organisation-wide compliance export; benchmarks/compliance_export.py measures it at
10,000 learners x 5 courses), and the time from the click to done of assigning a course
to the 10,000-learner cohort (with the job's query count; benchmarks/assignment.py) and
of filling a cohort from a learning platform's roster of 10,000 learners
(benchmarks/roster_import.py). The database is left in place afterwards, for inspection
with psql.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres), Redis on
127.0.0.1:6379 (database 5 is flushed) and wrk (installed from Debian if missing).
"""

# The commands run are local tools (psql, wrk, gunicorn) with arguments made here.
# ruff: noqa: S603, S607, S608

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import django
import redis
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
POST_SCRIPT = ROOT / "benchmarks" / "post.lua"
SUBMIT_SCRIPT = ROOT / "benchmarks" / "submit.lua"
SUBMIT_PATHS = RESULTS / "open-attempts.txt"
# Open attempts made for the submission runs: more than two runs at a few hundred
# submissions a second can use.
OPEN_ATTEMPTS = 6000

DB_NAME = "recognise_bench"
# Production settings plus the data generator, which the measured site does not have.
BENCH_SETTINGS = "benchmarks.settings"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
REDIS_URL = "redis://127.0.0.1:6379/5"
# The data set is created with these; a reused database must have been made with them.
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-not-secret")
TOTP_SECRET = os.environ.get("BENCH_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
GENERATE_ARGS = ["--questions-per-assessment", "10"]
# Written after a complete generation; --reuse trusts it to skip the three minutes.
MARKER = RESULTS / f".{DB_NAME}-generated"

LEARNER = "bench-learner@example.org"
TRAINER = "bench-trainer@example.org"
CEILING = "/bench/ceiling/"
# The reporting API's token for the benchmark organisation, made afresh each run.
API_CLIENT_NAME = "Benchmark"


LOAD_GUIDANCE = """
from recognise.demo.guidance import load_demo_guidance
from recognise.demo.people import load_demo_organisations
load_demo_organisations()
load_demo_guidance()
"""


# Environment -----------------------------------------------------------------------


def bench_environment():
    """Production settings, relaxed only where plain-http benchmarking needs it."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="recognise.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        OPENBADGES_PRIVATE_KEY=new_signing_key(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        REDIS_URL=REDIS_URL,
        # wrk speaks plain http; the redirect to https would be all it measured.
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        # The limits would turn most benchmark requests into 429 pages.
        RATE_LIMIT_QUIZ_ANSWERS="100000000",
        CERTIFICATE_VERIFY_RATE="100000000",
        RATE_LIMIT_EXPORTS="100000000",
        RATE_LIMIT_REPORTING_API="100000000",
        MEDIA_ROOT=str(ROOT / "var" / "bench-media"),
        BENCHMARK_CEILING="1",
        BENCH_PASSWORD=PASSWORD,
        BENCH_TOTP_SECRET=TOTP_SECRET,
        # Page creation logs a line per page; the generation log stays readable.
        LOG_LEVEL="WARNING",
    )
    return env


def new_signing_key():
    sys.path.insert(0, str(ROOT))
    from recognise.settings.signing_key import new_signing_key as make_key  # noqa: PLC0415 (the project is on sys.path from the line above)

    return make_key()


def manage(env, *args, log=None):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=log)


# Database --------------------------------------------------------------------------


def database_exists():
    found = subprocess.run(
        ["psql", *PG, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip() == "1"


def prepare_database(env, reuse):
    """Drop, create, migrate and fill the database, unless --reuse finds it complete."""
    if reuse and MARKER.exists() and database_exists():
        print(f"Reusing {DB_NAME} (remove {MARKER.name} or drop --reuse to rebuild)")
        manage(env, "migrate", "--no-input", "-v0")
        return
    MARKER.unlink(missing_ok=True)
    subprocess.run(["psql", *PG, "-q", "-c", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True)
    subprocess.run(["psql", *PG, "-q", "-c", f"CREATE DATABASE {DB_NAME}"], check=True)
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    with open(RESULTS / "generate.log", "w") as log:
        manage(
            {**env, "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS},
            "generate_bench_data",
            *GENERATE_ARGS,
            "--i-know-this-is-not-production",
            log=log,
        )
        # The benchmark data has no guidance; the demo guidance (with the organisations
        # that publish it, but none of the demo accounts) gives a real page to read.
        manage(env, "shell", "-c", LOAD_GUIDANCE, log=log)
    print(f"Generated the data in {time.monotonic() - started:.0f} s")
    MARKER.write_text(" ".join(GENERATE_ARGS) + "\n")


# Server ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flush_redis():
    redis.Redis.from_url(REDIS_URL).flushdb()


def start_gunicorn(env, port):
    server = subprocess.Popen(
        [
            GUNICORN,
            "recognise.wsgi:application",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            # A 10,000-learner dashboard takes longer than the default 30 s under load.
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            if requests.get(base + CEILING, timeout=5).status_code == 200:
                return server, base
        # A worker still loading on a busy machine may take longer than the timeout.
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within a minute")


def worker_pids(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_memory_kb(pid):
    """VmHWM: the most resident memory the process has ever had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reset_peak_memory(pid):
    """Writing 5 to clear_refs sets VmHWM back to the current resident size (Linux 4.0+)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# Signing in and targets ------------------------------------------------------------


class Browser:
    """Plain requests with a cookie dictionary of its own.

    Production marks the session and CSRF cookies Secure, which a cookie jar would never
    send to http://127.0.0.1, so cookies are kept by name and sent by hand.
    """

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def _request(self, method, path, **kwargs):
        response = requests.request(
            method,
            self.base + path,
            headers={"Cookie": self.cookie_header()},
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                # A cookie set to expire (messages once shown, say) is deleted, as a
                # browser does.
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path):
        return self._request("GET", path)

    def post(self, path, data):
        data = {"csrfmiddlewaretoken": self.csrf_token(path), **data}
        return self._request("POST", path, data=data)

    def csrf_token(self, path):
        page = self.get(path).text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return found.group(1) if found else self.cookies.get("csrftoken", "")

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def sign_in(base, email, totp_secret=None):
    browser = Browser(base)
    response = browser.post("/en/accounts/login/", {"login": email, "password": PASSWORD})
    location = response.headers.get("Location", "")
    if totp_secret and "2fa/authenticate" in location:
        from accounts.totp import current_totp_code  # noqa: PLC0415 (loadable only after setup_django)

        response = browser.post(
            "/en/accounts/2fa/authenticate/", {"code": current_totp_code(totp_secret)}
        )
    if response.status_code != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"Signing in as {email} failed ({response.status_code})")
    # The "signed in" message waits in a cookie until a page shows it; a person sees it
    # on the next page, and the measured requests should not carry it.
    for _redirect in range(3):
        response = browser.get(response.headers["Location"])
        if response.status_code != 302:
            break
    if "messages" in browser.cookies:
        raise SystemExit(f"Messages for {email} were not shown after signing in")
    return browser


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    django.setup()


def forget_sessions():
    """Sessions of earlier runs were signed with another SECRET_KEY; signing in would
    find them undecodable, and each run should start with the same tables."""
    from allauth.usersessions.models import UserSession  # noqa: PLC0415 (loadable only after setup_django)
    from django.contrib.sessions.models import Session  # noqa: PLC0415 (loadable only after setup_django)

    UserSession.objects.all().delete()
    Session.objects.all().delete()


def answers_body(attempt):
    """A form that answers every question of the attempt's paper with its first options."""
    from quizzes import scoring  # noqa: PLC0415 (loadable only after setup_django)

    fields = []
    for item in attempt.paper:
        question = item["question"]
        kind = attempt.keys[str(question)]["kind"]
        if kind == scoring.ORDERING:
            fields += [
                (f"q{question}-{option}", str(position))
                for position, option in enumerate(item["options"], start=1)
            ]
        else:
            fields.append((f"q{question}", str(item["options"][0])))
    return fields


def prepare_targets():
    """Ids and addresses of the pages to measure, read from the database."""
    from accounts.models import User  # noqa: PLC0415 (loadable only after setup_django)
    from certificates.models import Certificate  # noqa: PLC0415 (loadable only after setup_django)
    from cohorts.models import Cohort  # noqa: PLC0415 (loadable only after setup_django)
    from courses.models import CoursePage, Enrolment, LessonPage  # noqa: PLC0415 (loadable only after setup_django)
    from guidance.models import GuidancePage  # noqa: PLC0415 (loadable only after setup_django)
    from learning.attempts import start_attempt  # noqa: PLC0415 (loadable only after setup_django)
    from quizzes.models import AssessmentPage, Attempt  # noqa: PLC0415 (loadable only after setup_django)
    from reports.models import ApiToken  # noqa: PLC0415 (loadable only after setup_django)
    from reports.tokens import create_token  # noqa: PLC0415 (loadable only after setup_django)

    learner = User.objects.get(email=LEARNER)
    enrolment = Enrolment.objects.filter(user=learner).order_by("course__path").first()
    course = CoursePage.objects.get(pk=enrolment.course_id)
    lesson = LessonPage.objects.child_of(course).live().first()
    assessment = AssessmentPage.objects.child_of(course).live().first()
    # The attempts an earlier run submitted go first, so that runs do not pile them up.
    if SUBMIT_PATHS.exists():
        Attempt.objects.filter(pk__in=submission_ids()).delete()
    with transaction.atomic():  # start_attempt locks the enrolment
        attempt = start_attempt(learner, assessment)
    submissions = open_attempts_for_classmates(attempt, OPEN_ATTEMPTS)
    certificate = Certificate.objects.filter(user=learner).first() or Certificate.objects.first()
    cohort = Cohort.objects.filter(name="All learners").order_by("pk").first()
    assignment = cohort.assignments.order_by("pk").first()
    dashboard = f"/en/trainer/cohorts/{cohort.pk}/"
    # A fresh API token of the cohort's organisation each run (its key is shown only
    # once); the last run's goes first.
    ApiToken.objects.filter(organisation=cohort.organisation, name=API_CLIENT_NAME).delete()
    _token, api_key = create_token(
        cohort.organisation, API_CLIENT_NAME, User.objects.get(email=TRAINER)
    )
    return {
        "guidance": GuidancePage.objects.live().first().url,
        "course": course.url,
        "lesson": lesson.url,
        "attempt": f"/en/learning/attempts/{attempt.pk}/",
        "answers": answers_body(attempt),
        "questions": len(attempt.paper),
        "certificate_holder": certificate.user.email,
        "verify": f"/en/verify/{certificate.code}/",
        "pdf": f"/en/certificates/{certificate.pk}/certificate.pdf",
        "dashboard": f"{dashboard}?assignment={assignment.pk}",
        "export": f"{dashboard}export.csv?assignment={assignment.pk}",
        "compliance": "/en/trainer/compliance/",
        "compliance_export": "/en/trainer/compliance/export.csv",
        "cohort_size": cohort.memberships.count(),
        "api_key": api_key,
        "organisation_size": cohort.organisation.memberships.count(),
        "cohort_id": cohort.pk,
        "open_attempts": len(submissions),
        "submissions": submissions,
    }


def open_attempts_for_classmates(attempt, count):
    """An open attempt, same paper, for each of `count` other learners on the course.

    A training day has many officers submitting at once, each their own attempt; a
    learner has one open attempt at an assessment and a handful in all. (One learner
    with thousands of attempts, which the site never allows, made each submission's
    progress refresh read every one of them.) Returns (attempt id, learner id) pairs.
    """
    from courses.models import Enrolment  # noqa: PLC0415 (loadable only after setup_django)
    from quizzes.models import Attempt  # noqa: PLC0415 (loadable only after setup_django)

    # Copies older versions of this script gave the benchmark learner go too.
    Attempt.objects.filter(user=attempt.user, assessment=attempt.assessment).exclude(
        pk=attempt.pk
    ).delete()
    already_open = Attempt.objects.filter(
        assessment=attempt.assessment, submitted_at__isnull=True
    ).values("user")
    learners = list(
        Enrolment.objects.filter(course_id=attempt.assessment.get_parent().pk)
        .exclude(user__in=already_open)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:count]
    )
    last_numbers = dict(
        Attempt.objects.filter(assessment=attempt.assessment, user_id__in=learners)
        .values("user_id")
        .annotate(last=Max("number"))
        .values_list("user_id", "last")
    )
    # The runs come minutes after this; a timed paper must not run out meanwhile.
    deadline = timezone.now() + datetime.timedelta(days=1) if attempt.deadline else None
    copies = Attempt.objects.bulk_create(
        Attempt(
            id=uuid.uuid4(),
            user_id=learner,
            assessment=attempt.assessment,
            number=last_numbers.get(learner, 0) + 1,
            deadline=deadline,
            paper=attempt.paper,
            keys=attempt.keys,
        )
        for learner in learners
    )
    return [(copy.pk, copy.user_id) for copy in copies]


def write_submissions(submissions):
    """A signed-in session for each submitting learner, as if each had been using the
    site (so the session, and the account the site keeps for it, are in the cache), and
    a line per attempt for submit.lua: its address and its learner's session key."""
    from accounts.models import User  # noqa: PLC0415 (loadable only after setup_django)
    from accounts.sessions import LAST_SEEN, STARTED  # noqa: PLC0415 (loadable only after setup_django)

    now = int(time.time())
    session_keys = {}
    with transaction.atomic():
        for user in User.objects.filter(pk__in=[user_id for _pk, user_id in submissions]):
            session = SessionStore()
            session.update(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                    STARTED: now,
                    LAST_SEEN: now,
                }
            )
            session.create()
            session_keys[user.pk] = session.session_key
    backend = load_backend(settings.AUTHENTICATION_BACKENDS[0])
    for user_id in session_keys:
        backend.get_user(user_id)
    SUBMIT_PATHS.write_text(
        "".join(
            f"/en/learning/attempts/{pk}/ {session_keys[user_id]}\n" for pk, user_id in submissions
        )
    )


def attempt_id(line):
    return line.split()[0].rstrip("/").rsplit("/", 1)[1]


def submission_ids():
    return [attempt_id(line) for line in SUBMIT_PATHS.open()]


def keep_open_submissions():
    """Each wrk run starts at the top of the file, so the attempts an earlier run (or the
    check) submitted leave it first: answering "already submitted" costs far less than
    marking, and would flatter the figure."""
    from quizzes.models import Attempt  # noqa: PLC0415 (loadable only after setup_django)

    lines = SUBMIT_PATHS.read_text().splitlines(keepends=True)
    still_open = {
        str(pk)
        for pk in Attempt.objects.filter(
            pk__in=[attempt_id(line) for line in lines], submitted_at__isnull=True
        ).values_list("pk", flat=True)
    }
    SUBMIT_PATHS.write_text("".join(line for line in lines if attempt_id(line) in still_open))


def open_attempts_left():
    from quizzes.models import Attempt  # noqa: PLC0415 (loadable only after setup_django)

    return Attempt.objects.filter(pk__in=submission_ids(), submitted_at__isnull=True).count()


# wrk -------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base, endpoint, duration):
    """One wrk run: requests/s, p50 and p99 in ms, and the count of failed responses."""
    command = [
        "wrk",
        "--latency",
        "-t2",
        "-c8",
        f"-d{duration}s",
        "--timeout=60s",
        *[arg for header in endpoint.get("headers", []) for arg in ("-H", header)],
    ]
    env = dict(os.environ)
    if endpoint.get("script") == SUBMIT_SCRIPT:
        keep_open_submissions()
    if "body" in endpoint:
        command += ["-s", str(endpoint.get("script", POST_SCRIPT))]
        env["WRK_BODY"] = endpoint["body"]
        env["WRK_PATHS"] = str(SUBMIT_PATHS)
    output = subprocess.run(
        [*command, base + endpoint["path"]], capture_output=True, text=True, env=env, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "failed": (int(failed.group(1)) if failed else 0) + (int(errors.group(1)) if errors else 0),
    }


def measure(base, endpoints, duration):
    """Each endpoint in A-B-A-B order with the ceiling; its ratio uses those ceiling runs."""
    ceiling = {"name": "ceiling", "path": CEILING}
    rows, ceiling_runs = [], []
    for endpoint in endpoints:
        pairs = []
        for _ in range(2):
            pairs.append((run_wrk(base, ceiling, duration), run_wrk(base, endpoint, duration)))
        ceiling_runs += [a for a, _b in pairs]
        runs = [b for _a, b in pairs]
        rps = statistics.mean(run["rps"] for run in runs)
        ceiling_rps = statistics.mean(a["rps"] for a, _b in pairs)
        rows.append(summarise(endpoint["name"], runs, rps / ceiling_rps))
        print(f"  {endpoint['name']}: {rps:.1f} requests/s", flush=True)
    rows.insert(0, summarise("ceiling", ceiling_runs, 1.0))
    return rows


def summarise(name, runs, ratio):
    # Latencies are the mean of the runs' percentiles: close enough for two short runs.
    return {
        "endpoint": name,
        "requests_per_second": round(statistics.mean(run["rps"] for run in runs), 1),
        "ratio_to_ceiling": round(ratio, 4),
        "p50_ms": round(statistics.mean(run["p50"] for run in runs), 2),
        "p99_ms": round(statistics.mean(run["p99"] for run in runs), 2),
        "failed_responses": sum(run["failed"] for run in runs),
    }


def endpoint_list(targets, learner, trainer, holder):
    def signed_in(browser):
        return [f"Cookie: {browser.cookie_header()}"]

    body = urlencode([("csrfmiddlewaretoken", learner.cookies["csrftoken"]), *targets["answers"]])
    # Each submission is its own learner's; submit.lua puts each one's session in the
    # cookie, and the check before the runs submits the first as its learner.
    first_submission, first_session = SUBMIT_PATHS.read_text().split("\n", 1)[0].split()
    submitter = f"Cookie: sessionid={first_session}; csrftoken={learner.cookies['csrftoken']}"
    return [
        {"name": "guidance page (anonymous)", "path": targets["guidance"]},
        {"name": "lesson page", "path": targets["lesson"], "headers": signed_in(learner)},
        {"name": "course page", "path": targets["course"], "headers": signed_in(learner)},
        {
            "name": f"save answers ({targets['questions']} questions)",
            "path": targets["attempt"],
            "headers": signed_in(learner),
            "body": body,
            # Saved answers lead back to the attempt; anything else (sign-in) is a failure.
            "expect": 302,
            "expect_location": targets["attempt"],
        },
        {
            "name": f"submit an attempt ({targets['questions']} questions)",
            "path": first_submission,
            "headers": [submitter],
            "body": urlencode(
                [("csrfmiddlewaretoken", learner.cookies["csrftoken"]), *targets["answers"]]
                + [("submit", "1")]
            ),
            "script": SUBMIT_SCRIPT,
            # A submitted attempt leads to its result page.
            "expect": 302,
            "expect_location": "/result/",
        },
        {"name": "my learning", "path": "/en/learning/", "headers": signed_in(learner)},
        {
            "name": f"cohort dashboard ({targets['cohort_size']:,} learners)",
            "path": targets["dashboard"],
            "headers": signed_in(trainer),
        },
        {
            "name": f"reporting API learners ({targets['organisation_size']:,} members, "
            "first page)",
            "path": "/api/v1/reports/learners/",
            "headers": [f"Authorization: Bearer {targets['api_key']}"],
        },
        {
            "name": f"compliance ({targets['cohort_size']:,} learners)",
            "path": targets["compliance"],
            "headers": signed_in(trainer),
        },
        {"name": "certificate verification", "path": targets["verify"]},
        {"name": "certificate PDF", "path": targets["pdf"], "headers": signed_in(holder)},
    ]


def check_endpoints(base, endpoints):
    """One request each: wrk counts redirects as successes, so a lost session would not
    show in its numbers."""
    for endpoint in endpoints:
        headers = dict(h.split(": ", 1) for h in endpoint.get("headers", []))
        if "body" in endpoint:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response = requests.post(
                base + endpoint["path"],
                data=endpoint["body"],
                headers=headers,
                allow_redirects=False,
                timeout=120,
            )
        else:
            response = requests.get(
                base + endpoint["path"], headers=headers, allow_redirects=False, timeout=120
            )
        expected = endpoint.get("expect", 200)
        location = response.headers.get("Location", "")
        if response.status_code != expected or not location.endswith(
            endpoint.get("expect_location", "")
        ):
            raise SystemExit(
                f"{endpoint['name']}: {endpoint['path']} answered {response.status_code} "
                f"{location}, not {expected}"
            )


# Reporting -------------------------------------------------------------------------


def print_table(rows):
    print()
    print(f"{'endpoint':<36} {'req/s':>8} {'ratio':>7} {'p50 ms':>9} {'p99 ms':>9} {'failed':>7}")
    for row in rows:
        print(
            f"{row['endpoint']:<36} {row['requests_per_second']:>8.1f} "
            f"{row['ratio_to_ceiling']:>7.3f} {row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f} "
            f"{row['failed_responses']:>7}"
        )


def export_memory(server, trainer, export_path):
    """The rise in the workers' peak memory caused by one CSV export of the big cohort."""
    pids = worker_pids(server)
    exact = all(reset_peak_memory(pid) for pid in pids)
    before = {pid: peak_memory_kb(pid) for pid in pids}
    response = trainer.get(export_path)
    rows = response.content.count(b"\n") - 1
    if response.status_code != 200:
        raise SystemExit(f"The export answered {response.status_code}")
    after = {pid: peak_memory_kb(pid) for pid in pids}
    return {
        "rows": rows,
        "peak_was_reset_first": exact,
        "workers": [{"pid": pid, "before_kb": before[pid], "after_kb": after[pid]} for pid in pids],
        "increase_kb": max(after[pid] - before[pid] for pid in pids),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep a complete database")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument(
        "--only", default="", help="measure only the endpoints whose name contains this"
    )
    args = parser.parse_args()
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    env = bench_environment()
    prepare_database(env, args.reuse)
    # Manifest static storage refuses to render pages until the files are collected.
    manage(env, "collectstatic", "--no-input", "-v0")
    setup_django(env)
    from benchmarks import assignment as assignment_measurement  # noqa: PLC0415 (loadable only after setup_django)
    from benchmarks import roster_import, trainer_operations  # noqa: PLC0415 (loadable only after setup_django)

    forget_sessions()
    targets = prepare_targets()
    flush_redis()
    write_submissions(targets["submissions"])
    server, base = start_gunicorn(env, free_port())
    try:
        learner = sign_in(base, LEARNER)
        trainer = sign_in(base, TRAINER, TOTP_SECRET)
        holder = learner
        if targets["certificate_holder"] != LEARNER:
            holder = sign_in(base, targets["certificate_holder"])
        endpoints = [
            endpoint
            for endpoint in endpoint_list(targets, learner, trainer, holder)
            if args.only in endpoint["name"]
        ]
        check_endpoints(base, endpoints)
        print(f"Measuring {len(endpoints)} endpoints, {args.duration} s per wrk run")
        rows = measure(base, endpoints, args.duration)
        left = open_attempts_left()
        if left == 0:
            print("  (the submission runs used every open attempt: raise OPEN_ATTEMPTS)")
        peaks = {pid: peak_memory_kb(pid) for pid in worker_pids(server)}
        export = export_memory(server, trainer, targets["export"])
        compliance_export = export_memory(server, trainer, targets["compliance_export"])
        assignment = assignment_measurement.measure_assignment(trainer, targets["cohort_id"])
        operations = trainer_operations.measure_operations(trainer, targets["cohort_id"])
        roster = roster_import.measure_roster_import(trainer, targets["cohort_id"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(rows)
    print()
    for pid, peak in peaks.items():
        print(f"gunicorn worker {pid}: peak resident memory {peak / 1024:.1f} MiB")
    print(
        f"CSV export of {export['rows']:,} rows raised a worker's peak memory by "
        f"{export['increase_kb'] / 1024:.1f} MiB"
        + ("" if export["peak_was_reset_first"] else " (peaks could not be reset first)")
    )
    print(
        f"Compliance CSV export of {compliance_export['rows']:,} rows raised a worker's peak "
        f"memory by {compliance_export['increase_kb'] / 1024:.1f} MiB "
        "(benchmarks/compliance_export.py measures 10,000 x 5)"
    )
    assignment_measurement.print_result(assignment)
    trainer_operations.print_result(operations)
    roster_import.print_result(roster)
    elapsed = time.monotonic() - started
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {
                "endpoints": rows,
                "duration_seconds_per_run": args.duration,
                "worker_peak_memory_kb": {str(pid): kb for pid, kb in peaks.items()},
                "csv_export": export,
                "compliance_csv_export": compliance_export,
                "assign_course_to_cohort": assignment,
                "trainer_operations": operations,
                "roster_import": roster,
                "targets": {
                    k: v
                    for k, v in targets.items()
                    if k not in ("answers", "submissions", "api_key")
                },
                "load_average": os.getloadavg(),
                "wall_clock_seconds": round(elapsed),
            },
            indent=2,
        )
    )
    print(f"Wrote {RESULTS / 'latest.json'}; took {elapsed:.0f} s.")
    print(f"The database {DB_NAME} is left in place: psql {' '.join(PG)} {DB_NAME}")


if __name__ == "__main__":
    main()
