from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reports.citydata import CityDataError, Targets, generate

# SQLite would take many minutes and gigabytes for the full set; the generator is for
# benchmarking the reports on PostgreSQL, and the test suite uses tiny scales.
SQLITE_MAX_SCALE = 0.05
MIN_SCALE = 0.001


class Command(BaseCommand):
    help = (
        "Fill the database with a city-sized data set for benchmarks: at --scale 1, 100,000 "
        "learners in 5,000 organisations, 50 courses, 1,000,000 lesson-progress rows and "
        "300,000 quiz attempts. --reset first removes what an earlier run generated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the full city")
        parser.add_argument("--seed", type=int, default=2015, help="same seed, same data")
        parser.add_argument(
            "--reset", action="store_true", help="remove previously generated data first"
        )

    def handle(self, *args, scale, seed, reset, **options):
        if scale < MIN_SCALE:
            raise CommandError(f"--scale must be at least {MIN_SCALE}.")
        if connection.vendor == "sqlite" and scale > SQLITE_MAX_SCALE:
            raise CommandError(
                f"This is SQLite; the city data set is meant for PostgreSQL. Use --scale "
                f"{SQLITE_MAX_SCALE} or less here, or set DATABASE_URL to a PostgreSQL database."
            )
        targets = Targets.at(scale)
        self.stdout.write(
            f"Generating at scale {scale} with seed {seed}: {targets.users} learners, "
            f"{targets.organisations} organisations, {targets.enrolments} enrolments, "
            f"{targets.progress} lesson-progress rows, {targets.attempts} quiz attempts."
        )
        try:
            counts, elapsed, analyzed = generate(scale, seed, reset, log=self.stdout.write)
        except CityDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\nRows per table (all rows, generated and other):")
        for table, count in counts.items():
            self.stdout.write(f"  {table:32} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {elapsed:.1f} s; ANALYZE {analyzed:.1f} s.")
        )
