#!/usr/bin/env python3
"""Benchmark GCM Tracker at scale: generate data on PostgreSQL, serve it with gunicorn, load it with wrk.

    python3 bench/run.py                      # full scale: 195 states x 1,000 items, 1M updates, 100k evidence
    python3 bench/run.py --items 200 --updates 100000 --evidence 10000 --duration 5   # a quicker run

Needs PostgreSQL (--database-url, default postgres://root@127.0.0.1:5432/gcm_bench; the database
is created when missing) and wrk (`apt-get install wrk`). Redis is used for the cached run
when it answers at --redis-url. From a clean clone it first installs the project into .venv,
as `dev.py` does. See bench/README.md for what is measured and how to read the table.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
BASELINE = ("minimal view", "/healthz")
PAGES = [
    ("dashboard", "/"),
    ("commitment page", "/commitments/1/"),
    ("state page", "/states/FR/"),
    ("recommendations, filtered", "/recommendations/?theme=issue-area-a&kind=practical"),
    ("API list", "/api/v1/implementations/?state=FR"),
]
# Behind a TLS-terminating load balancer, as in production: SECURE_SSL_REDIRECT stays on.
HEADERS = {"X-Forwarded-Proto": "https"}


def ensure_venv():
    """Run under the project's .venv, creating it (like `dev.py`) on a clean clone."""
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        return
    if not VENV_PYTHON.exists():
        sys.path.insert(0, str(ROOT))
        from dev import install

        install()
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(*args, env, **kwargs):
    log("+ " + " ".join(str(a) for a in args))
    subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=True, **kwargs)


def ensure_database(url: str, fresh: bool):
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


class Server:
    """gunicorn on loopback with production settings."""

    def __init__(self, *, env, port, workers):
        self.env, self.port, self.workers = env, port, workers
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "gcmtracker.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,  # the request log: one line per request
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.url("/healthz"))[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def fetch(url):
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


DURATION = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url, *, duration, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    return parse_wrk(subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout)


def parse_wrk(output):
    latency = {int(p): float(v) * UNIT_MS[u] for p, v, u in DURATION.findall(output)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failures = re.search(r"Socket errors:.*", output)
    return {
        "p50": latency[50],
        "p99": latency[99],
        "rps": rps,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": failures.group(0) if failures else "",
    }


def measure(server, *, mode, args):
    """Each page under load, with the minimal view measured before and after them (the machine may be
    busy with other work: the baseline is the mean of the two)."""
    results = []
    for label, path in [BASELINE, *PAGES, BASELINE]:
        status, body = fetch(server.url(path))  # also warms the cache in the cached run
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:500]!r}")
        log(f"  {mode:8} {label} ({path}, {len(body):,} bytes)")
        result = wrk(server.url(path), duration=args.duration, connections=args.connections, threads=args.threads)
        results.append({"mode": mode, "label": label, "path": path, "bytes": len(body), **result})
    first, last = results[0], results.pop()
    for key in ("p50", "p99", "rps"):
        first[key] = (first[key] + last[key]) / 2
    first["non_2xx"] += last["non_2xx"]
    return results


def table(results, *, cached_target=3.0, uncached_target=10.0):
    """One line per page and mode, with its ratios to the minimal view measured in the same run."""
    lines = [
        "| page | cache | p50 ms | p99 ms | req/s | p50 ÷ minimal | p99 ÷ minimal | minimal req/s ÷ req/s | aim |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for mode in ("cached", "uncached"):
        rows = [r for r in results if r["mode"] == mode]
        if not rows:
            continue
        base = rows[0]
        target = cached_target if mode == "cached" else uncached_target
        for row in rows:
            if not row["rps"]:
                lines.append(
                    f"| {row['label']} `{row['path']}` | {mode} | no request finished in the run | | | | | | |"
                )
                continue
            ratio_rps = base["rps"] / row["rps"]
            ratios = (row["p50"] / base["p50"], row["p99"] / base["p99"], ratio_rps)
            met = "baseline" if row is base else ("met" if max(ratios[0], ratios[2]) <= target else "missed")
            errors = f" ({row['non_2xx']} non-2xx!)" if row["non_2xx"] else ""
            lines.append(
                f"| {row['label']} `{row['path']}`{errors} | {mode} | {row['p50']:.2f} | {row['p99']:.2f} | "
                f"{row['rps']:,.0f} | {ratios[0]:.1f}x | {ratios[1]:.1f}x | {ratios[2]:.1f}x | "
                f"{met if row is base else f'{met} (≤ {target:g}x)'} |"
            )
    return "\n".join(lines)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){memory}"


def load_average():
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main():
    ensure_venv()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/gcm_bench")
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/14", help="cache for the cached run, if it answers"
    )
    parser.add_argument("--items", type=int, default=1000, help="tracked items per state (default 1000)")
    parser.add_argument("--updates", type=int, default=1_000_000, help="status updates (default 1,000,000)")
    parser.add_argument("--evidence", type=int, default=100_000, help="evidence records (default 100,000)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the benchmark database first")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the data already in the database")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and mode (default 10)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=0, help="wrk connections (default: 2 per worker)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="readers over every state, commitment and dashboard page in 4 languages, cold, warm and with a "
        "writer at 1 and 10 writes/s, against /healthz (bench/mixed.py)",
    )
    args = parser.parse_args()
    args.connections = args.connections or 2 * args.workers
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (or brew install wrk)")

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    env.pop("REPLICA_DATABASE_URL", None)
    python = sys.executable
    started = time.monotonic()
    ensure_database(args.database_url, args.fresh and not args.skip_generate)
    # Always: the code may have new migrations since the data was generated.
    run(python, "manage.py", "migrate", "--no-input", "-v0", env=env)
    if not args.skip_generate:
        log("Generating data")
        run(python, "manage.py", "seed", "-v0", env=env)
        run(
            python,
            "bench/generate.py",
            "--items",
            args.items,
            "--updates",
            args.updates,
            "--evidence",
            args.evidence,
            env=env,
        )
    generated = time.monotonic() - started
    with tempfile.TemporaryDirectory(prefix="gcm-bench-static-") as static_root:
        env["STATIC_ROOT"] = static_root
        run(python, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
        if args.mixed:
            return run_mixed_mode(env, args, python, generated)
        results = []
        load_before = load_average()
        log("Uncached: CACHE_SECONDS=0, every request renders")
        with Server(env={**env, "CACHE_SECONDS": "0"}, port=args.port, workers=args.workers) as server:
            results += measure(server, mode="uncached", args=args)
        cached_env = {**env, "CACHE_SECONDS": "600"}
        backend = "local memory (one per worker)"
        if redis_answers(args.redis_url):
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
            cached_env["REDIS_URL"], backend = args.redis_url, f"Redis {args.redis_url}"
        log(f"Cached: CACHE_SECONDS=600, {backend}")
        with Server(env=cached_env, port=args.port, workers=args.workers) as server:
            results += measure(server, mode="cached", args=args)

    counts = subprocess.run(
        [python, "manage.py", "shell", "-v0", "-c", COUNTS], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout.strip()
    print()
    print(f"GCM Tracker benchmark, {time.strftime('%Y-%m-%d')}")
    print(f"Machine: {machine()}; PostgreSQL and Redis on the same machine; wrk on loopback.")
    print(f"Load average before / after the load runs: {load_before} / {load_average()} (other work on the machine).")
    print(f"Data: {counts}")
    print(
        f"Load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s per page; gunicorn {args.workers} sync "
        f"workers; cached run on {backend}. Data generated in {generated:.0f} s."
    )
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "data": counts, "results": results}, indent=2))


def empty_app_cache(client):
    """Delete the app's keys only (KEY_PREFIX "gcm"), not what test runs keep in the same database."""
    keys = list(client.scan_iter(match="gcm:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def run_mixed_mode(env, args, python, generated):
    import redis
    from mixed import mixed_table, run_mixed  # bench/ is on the path of a script run from it

    if not redis_answers(args.redis_url):
        raise SystemExit(f"--mixed needs Redis (the production cache) at --redis-url {args.redis_url}")
    cached_env = {**env, "CACHE_SECONDS": "600", "REDIS_URL": args.redis_url}

    def manage(code):
        command = [python, "manage.py", "shell", "-v0", "-c", code]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout

    load_before = load_average()
    with Server(env=cached_env, port=args.port, workers=args.workers) as server:
        rows = run_mixed(
            server=server,
            manage=manage,
            args=args,
            fetch=fetch,
            wrk=wrk,
            parse=parse_wrk,
            flush_cache=lambda: empty_app_cache(redis.Redis.from_url(args.redis_url)),
        )
    print()
    print(f"GCM Tracker mixed benchmark, {time.strftime('%Y-%m-%d')}")
    print(f"Machine: {machine()}; PostgreSQL and Redis on the same machine; wrk on loopback.")
    print(f"Load average before / after: {load_before} / {load_average()} (other work on the machine).")
    print(f"Data: {manage(COUNTS).strip()}")
    print(
        f"Load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s per phase over {rows[1]['urls']} URLs "
        f"at random; gunicorn {args.workers} sync workers; Redis {args.redis_url}. Data generated in {generated:.0f} s."
    )
    print()
    print(mixed_table(rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "mixed": rows}, indent=2))


COUNTS = (
    "from recommendations.models import *;"
    "print(f'{State.objects.count()} states x {Commitment.objects.count() + Recommendation.objects.count()} "
    "tracked items = {Implementation.objects.count():,} implementations, {StatusUpdate.objects.count():,} status "
    "updates, {Evidence.objects.count():,} evidence records')"
)

if __name__ == "__main__":
    main()
