"""Server time of uncached public pages, in-process: N renders of each page with Django's test client.

    DATABASE_URL=postgres://root@127.0.0.1:5432/gcm_bench .venv/bin/python bench/pages.py [-n 15] [--profile PATH]

Run it on data bench/generate.py made (or bench/run.py, which keeps its database). The page cache
is off (CACHE_SECONDS=0) and DEBUG is off (templates compiled once, as in production); the first
render of each page is a warm-up and not counted. Prints, per page, the median and the fastest
render in milliseconds, the median CPU time of this process (steadier than the wall clock on a
busy machine; it leaves out the database server's own time), the number of queries and their
total time (from one extra render with the queries captured). `--profile PATH` writes one
cProfile file per page instead of timing. Like gunicorn's workers (gunicorn.conf.py `pre_fork`),
it freezes what start-up loaded out of the garbage collector's reach before the first render.
`--cache REDIS_URL` keeps the shared cache on (Redis) but still misses the page cache on every
render (each asks with another Accept header, which the page's key folds in): what a page costs
when a write has just retired it, with its fragments (`gcmtracker.cache.fragments`) warm, or with
`--after-write` retired as a status write in France on commitment 1 retires them
(`services.scopes.status_scopes`: the statuses of its state and commitment, the aggregates) before every render.
`--write` also times as many status writes through the API (an editor's token, If-Match), which
add that many status updates to the data. A measure for issue 18 ("every uncached public page ~10 ms"),
not a test; CI does not run it.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcmtracker.settings")
if "--cache" in sys.argv:  # read before Django's settings
    os.environ["REDIS_URL"] = sys.argv[sys.argv.index("--cache") + 1]
    os.environ["CACHE_SECONDS"] = "300"
else:
    os.environ["CACHE_SECONDS"] = "0"
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_ROOT", "/tmp/gcm-bench-static")
os.environ.setdefault("CONN_MAX_AGE", "600")  # persistent connections, as bench/run.py serves
# The API's throttle still runs (its cache reads and writes are part of a request's cost), at a rate
# this one client never reaches: a refused request (429) is not a render.
os.environ.setdefault("API_THROTTLE_ANON", "1000000/minute")
os.environ.setdefault("API_THROTTLE_USER", "1000000/minute")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {
    "state FR": "/states/FR/",
    "commitment 1": "/commitments/1/",
    "dashboard": "/",
    "states list": "/states/",
    "recommendations": "/recommendations/",
    "API FR": "/api/v1/implementations/?state=FR",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=15, help="renders per page (default 15)")
    parser.add_argument("--page", action="append", help="only these pages (their names above)")
    parser.add_argument("--cache", metavar="REDIS_URL", help="keep the shared cache on, in this Redis")
    parser.add_argument("--after-write", action="store_true", help="with --cache: retire FR's scopes first")
    parser.add_argument("--profile", type=Path, help="write cProfile output per page into this folder")
    parser.add_argument(
        "--write", action="store_true", help="also time N status writes through the API, as one editor posts them"
    )
    args = parser.parse_args()
    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    from gcmtracker import scopes

    # As gunicorn.conf.py's pre_fork does in production before each worker starts.
    gc.freeze()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    asked = iter(range(10**6))

    from recommendations.models import Implementation
    from recommendations.services.scopes import status_scopes

    # What a status change of France on commitment 1 declares (the status service's touch).
    written = status_scopes(
        Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    )

    def get(url):
        if args.after_write:
            scopes.bump(written)
        accept = "application/json" if "/api/" in url else "text/html"
        return client.get(url, HTTP_ACCEPT=f"{accept}, x-bench/{next(asked)};q=0.1" if args.cache else "*/*")

    pages = {name: url for name, url in PAGES.items() if not args.page or name in args.page}
    mode = (", cache on" if args.cache else "") + (", after a write" if args.after_write else "")
    print(
        f"| page | median ms | min ms | CPU ms | queries | SQL ms |  (n={args.n}{mode}, load {os.getloadavg()[0]:.1f})"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, url in pages.items():
        response = get(url)
        assert response.status_code == 200, (url, response.status_code)
        if args.profile:
            import cProfile

            args.profile.mkdir(parents=True, exist_ok=True)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                get(url)
            profiler.disable()
            profiler.dump_stats(args.profile / f"{name.replace(' ', '_')}.prof")
            continue
        times, cpu = [], []
        for _ in range(args.n):
            started, started_cpu = time.perf_counter(), time.process_time()
            get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            get(url)
        sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"| {name} | {statistics.median(times):.1f} | {min(times):.1f} | {statistics.median(cpu):.1f} "
            f"| {len(queries)} | {sql:.1f} |"
        )
    if args.write:
        api_writes(args.n)


def api_writes(n: int) -> None:
    """`POST /api/v1/implementations/<id>/status/` n times, a random item and one of the statuses
    that need no evidence each time, with the version last seen as If-Match (as bench/mixed.py's
    writer posts them): the same table's row for one write. It adds n status updates to the data."""
    import json
    import random

    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from recommendations import permissions
    from recommendations.choices import Role
    from recommendations.models import Implementation

    user, _ = get_user_model().objects.get_or_create(username="bench-writer", defaults={"email": "bench@example.org"})
    permissions.grant_role(user, Role.EDITOR)
    TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    token, _ = Token.objects.get_or_create(user=user)
    versions = dict(Implementation.objects.filter(commitment__isnull=False).values_list("pk", "version"))
    items, pick = list(versions), random.Random(18)
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_AUTHORIZATION=f"Token {token.key}")

    def post():
        pk = pick.choice(items)
        body = {"track": "reported", "status": pick.choice(["not_started", "planned", "in_progress"]), "comment": "-"}
        response = client.post(
            f"/api/v1/implementations/{pk}/status/",
            json.dumps(body),
            content_type="application/json",
            HTTP_IF_MATCH=f'"{versions[pk]}"',
        )
        assert response.status_code == 201, (response.status_code, response.content[:200])
        versions[pk] = int(response.headers["ETag"].strip('W/"'))

    post()  # warm-up
    times, cpu = [], []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        post()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        post()
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"| API status write | {statistics.median(times):.1f} | {min(times):.1f} | {statistics.median(cpu):.1f} "
        f"| {len(queries)} | {sql:.1f} |"
    )


if __name__ == "__main__":
    main()
