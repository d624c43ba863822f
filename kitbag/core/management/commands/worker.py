from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.celery import app


class Command(BaseCommand):
    help = "Run a Celery worker (with the periodic-task scheduler) for Kitbag's background work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--no-beat", action="store_true", help="Do not run the scheduler here.")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "CELERY_BROKER_URL is not set: tasks run in-process, so there is nothing for a worker "
                "to do. Set it (e.g. redis://127.0.0.1:6379/0) to run work on Celery."
            )
        argv = [
            "worker",
            f"--concurrency={options['concurrency']}",
            f"--loglevel={options['loglevel']}",
        ]
        if not options["no_beat"]:
            argv.append("--beat")
        app.worker_main(argv)
