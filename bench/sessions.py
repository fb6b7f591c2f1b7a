"""The session read: Django's database session store against lms/sessions.py (a written-out query).

In alternating rounds (Django's, ours, ours, Django's, ...), measures this process's CPU time per
`SessionStore.load()` and per signed-in GET of /healthz/ through Django's test client (the session and the user
are read). Uses the database of DATABASE_URL, migrated first:

    DATABASE_URL=sqlite:////tmp/lms-bench-sessions.sqlite3 .venv/bin/python bench/sessions.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_sessions .venv/bin/python bench/sessions.py

With Redis, production uses Django's own `cached_db` store: the session is read from Redis, and the database only
on a miss (docs/architecture.md, "Reads written out in SQL").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ENGINES = {"django": "django.contrib.sessions.backends.db", "lms": "lms.sessions"}


def measure(rounds: int, loads: int, gets: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.utils.module_loading import import_string

    from lms.models import User
    from lms.testing import make_user

    user = User.objects.filter(username="bench-session").first() or make_user(username="bench-session")
    results = {name: {"load": [], "get": []} for name in ENGINES}
    for round_number in range(rounds):
        order = list(ENGINES) if round_number % 2 == 0 else list(reversed(ENGINES))
        for name in order:
            settings.SESSION_ENGINE = ENGINES[name]
            client = Client()  # a new handler: its SessionMiddleware takes the engine
            client.force_login(user)
            key = client.session.session_key
            store_class = import_string(f"{ENGINES[name]}.SessionStore")
            start = time.process_time()
            for _ in range(loads):
                store_class(session_key=key).load()
            results[name]["load"].append((time.process_time() - start) / loads * 1e3)
            assert client.get("/healthz/").status_code == 200
            start = time.process_time()
            for _ in range(gets):
                client.get("/healthz/")
            results[name]["get"].append((time.process_time() - start) / gets * 1e3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--loads", type=int, default=3000, help="SessionStore.load() calls per round")
    parser.add_argument("--gets", type=int, default=600, help="signed-in GETs of /healthz/ per round")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS, settings.DEBUG = ["*"], False
    call_command("migrate", verbosity=0)
    results = measure(args.rounds, args.loads, args.gets)
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{database}, {args.rounds} alternating rounds; ms of CPU, median (rounds)")
    for name, figures in results.items():
        for what, label in (("load", "SessionStore.load()"), ("get", "signed-in GET /healthz/")):
            rounds = ", ".join(f"{value:.3f}" for value in figures[what])
            print(f"  {name:6s} {label:24s} {statistics.median(figures[what]):.3f} ({rounds})")


if __name__ == "__main__":
    main()
