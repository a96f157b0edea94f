import base64
import binascii
import datetime
import os
import textwrap
import time

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.bench_data import (
    BENCH_LEARNER_EMAIL,
    BENCH_TRAINER_EMAIL,
    DEFAULT_EPOCH,
    AlreadyGenerated,
    SizeError,
    Sizes,
    existing_learners,
    generate,
)

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"
COUNT_OPTIONS = {
    "learners": "learners (the first is the bench learner)",
    "organisations": "organisations (the first holds every learner)",
    "courses": "courses, each with its lessons and one final assessment",
    "lessons_per_course": "lessons in each course (not scaled)",
    "questions_per_assessment": "questions in each final assessment (not scaled)",
    "enrolments_per_learner": "courses each learner is enrolled on (not scaled)",
    "completions": "lesson completions in all",
    "attempts": "marked assessment attempts in all",
    "certificates": "completed courses, each with its certificate",
    "cohorts": "cohorts (the first holds every learner)",
}

HELP_PARAGRAPHS = [
    "Fill the database with a large, deterministic data set for performance measurements.",
    f"With the defaults: {Sizes.learners:,} learners in {Sizes.organisations} organisations, "
    f"{Sizes.courses} courses of {Sizes.lessons_per_course} lessons and a final assessment of "
    f"{Sizes.questions_per_assessment} questions (a question bank per course), "
    f"{Sizes.enrolments_per_learner} enrolments per learner, {Sizes.completions:,} lesson "
    f"completions, {Sizes.attempts:,} marked attempts with their answers, "
    f"{Sizes.certificates:,} certificates and {Sizes.cohorts} cohorts with members and course "
    "assignments.",
    "Every learner belongs to the first organisation, which has one cohort (“All learners”) "
    f"holding every learner, run by {BENCH_TRAINER_EMAIL}: its dashboards are those of a "
    "10,000-learner organisation. Each learner also belongs to one of the other "
    "organisations and to one of its cohorts; each of those organisations has a trainer "
    f"(bench-trainer-02@example.org and so on). {BENCH_LEARNER_EMAIL} is the first learner; "
    "their enrolment on the first course is always left unfinished. The other learners are "
    "bench-learner-00002@example.org and so on.",
    "Every account has the password given by --password (or BENCH_PASSWORD). The bench "
    "trainer has an authenticator with the base32 secret given by --trainer-totp-secret (or "
    "BENCH_TOTP_SECRET); without one, a new secret is made and printed.",
    "--scale multiplies learners, organisations, courses, cohorts, completions, attempts and "
    "certificates (default or given), rounding, with at least 1 learner and cohort, 2 "
    "organisations and as many courses as each learner takes: --scale 0.01 makes 100 "
    "learners, 2 organisations, 10 courses, 5,000 completions, 1,000 attempts, 200 "
    "certificates and 2 cohorts.",
    "The same seed and sizes give the same data: dates are fixed relative to --epoch, not to "
    "the time of the run. Everything is created in one transaction. A database that already "
    "holds benchmark data for the same number of learners is left as it is; one with other "
    "benchmark data is refused.",
    "Every account shares one known password, so this refuses to run unless "
    "settings.DEMO_DATA_ALLOWED is on (development and tests) or "
    f"{NOT_PRODUCTION_FLAG} is given, for a benchmark database run with production settings.",
]


def epoch_argument(text):
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--epoch: not an ISO date or time: {text!r}") from error
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = "\n\n".join(
        textwrap.fill(paragraph, 88, break_on_hyphens=False) for paragraph in HELP_PARAGRAPHS
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the counts (default 1)."
        )
        for name, description in COUNT_OPTIONS.items():
            default = getattr(Sizes, name)
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=int,
                default=default,
                help=f"Number of {description} (default {default:,}).",
            )
        parser.add_argument(
            "--epoch",
            type=epoch_argument,
            default=DEFAULT_EPOCH,
            help=f"Dates fall in the year before this moment (default {DEFAULT_EPOCH:%Y-%m-%d}).",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("BENCH_PASSWORD", ""),
            help="Password of every generated account (default: $BENCH_PASSWORD).",
        )
        parser.add_argument(
            "--trainer-totp-secret",
            default=os.environ.get("BENCH_TOTP_SECRET", ""),
            help="Base32 authenticator secret of the bench trainer (default: "
            "$BENCH_TOTP_SECRET, or a new one, printed).",
        )
        parser.add_argument(
            NOT_PRODUCTION_FLAG,
            action="store_true",
            dest="not_production",
            help="Run even though settings.DEMO_DATA_ALLOWED is off.",
        )

    def handle(self, *args, **options):
        if not (settings.DEMO_DATA_ALLOWED or options["not_production"]):
            raise CommandError(
                "Benchmark accounts share one known password, so this only runs where "
                f"settings.DEMO_DATA_ALLOWED is on, or with {NOT_PRODUCTION_FLAG} on a "
                "database that is not production."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be more than 0.")
        sizes = Sizes(**{name: options[name] for name in COUNT_OPTIONS}).scaled(options["scale"])
        problems = sizes.problems()
        if problems:
            raise CommandError("These sizes do not fit together: " + " ".join(problems))
        if not options["password"]:
            raise CommandError("Give the accounts' password with --password or BENCH_PASSWORD.")

        existing = existing_learners()
        if existing == sizes.learners:
            self.stdout.write(
                f"The database already holds benchmark data for {existing:,} learners; "
                "nothing was changed."
            )
            return
        if existing is not None:
            raise CommandError(self.other_data_message(existing, sizes))

        secret, made_up = self.totp_secret(options["trainer_totp_secret"])
        started = time.monotonic()
        try:
            inserted = generate(
                sizes, options["seed"], options["epoch"], options["password"], secret
            )
        except SizeError as error:
            raise CommandError(str(error)) from error
        except AlreadyGenerated as error:
            raise CommandError(self.other_data_message(error.args[0], sizes)) from error
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Benchmark data generated in {elapsed:.0f} s."))
        self.stdout.write(
            f"  {sizes.courses} courses of {sizes.lessons_per_course} lessons and a final "
            f"assessment of {sizes.questions_per_assessment} questions"
        )
        for label, count in sorted(inserted.items()):
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(f"Trainer: {BENCH_TRAINER_EMAIL} (cohort “All learners”)")
        self.stdout.write(f"Learner: {BENCH_LEARNER_EMAIL}")
        if made_up:
            self.stdout.write(f"The trainer's authenticator secret: {secret}")

    def totp_secret(self, given):
        if not given:
            return generate_totp_secret(), True
        try:
            base64.b32decode(given, casefold=True)
        except (binascii.Error, ValueError) as error:
            raise CommandError("--trainer-totp-secret must be base32.") from error
        return given.upper(), False

    def other_data_message(self, existing, sizes):
        found = f"{existing:,} benchmark learners" if existing else "part of a benchmark data set"
        return (
            f"The database already holds {found}, not the {sizes.learners:,} asked for. "
            "Generate into a fresh database."
        )
