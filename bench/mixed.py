"""`bench/run.py --mixed`: the public spread over the whole site while staff write (issue 18).

Readers ask for every state page, every commitment page and the dashboard in the four languages,
one chosen at random per request (wrk with a Lua script), on one gunicorn server with the Redis
cache, in five phases of `--duration` seconds each:

1. cold: the cache empty when the phase starts;
2. warm: every URL cached first (one request each);
3. warm + one writer posting a status change per second through the API (an editor's token);
4. the same at ten writes per second;
5. `/healthz`, the minimal view, on the same server (also measured first: the mean of the two).

It prints req/s, p50, p99 of each phase with their ratios to `/healthz`, the readers' cache hit
ratio (X-Cache: hit) and the writes that landed.
"""

import concurrent.futures
import json
import random
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

LANGUAGES = ("", "/fr", "/es", "/ar")
STATUSES = ("not_started", "planned", "in_progress")

LUA = r"""
local paths = {%(paths)s}
local threads = {}
local counter = 0
wrk.headers["X-Forwarded-Proto"] = "https"
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  hits, misses, other = 0, 0, 0
  math.randomseed(os.time() * 1000 + id)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function response(status, headers, body)
  local state = headers["X-Cache"]
  if state == "hit" or state == "revalidated" then hits = hits + 1
  elseif state == "miss" then misses = misses + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h, m, o = h + thread:get("hits"), m + thread:get("misses"), o + thread:get("other")
  end
  io.write(string.format("CACHE %%d %%d %%d\n", h, m, o))
end
"""

SETUP = """
import json
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from recommendations import permissions
from recommendations.choices import Role
from recommendations.models import Commitment, Implementation, State
user, _ = get_user_model().objects.get_or_create(username="bench-writer", defaults={"email": "bench@example.org"})
permissions.grant_role(user, Role.EDITOR)
TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
token, _ = Token.objects.get_or_create(user=user)
items = list(Implementation.objects.filter(commitment__isnull=False).values_list("pk", "version"))
print(json.dumps({
    "token": token.key,
    "states": list(State.objects.order_by("iso2").values_list("iso2", flat=True)),
    "commitments": list(Commitment.objects.order_by("number").values_list("number", flat=True)),
    "items": items,
}))
"""


def reader_paths(states, commitments) -> list[str]:
    pages = ["/", *(f"/states/{iso2}/" for iso2 in states), *(f"/commitments/{n}/" for n in commitments)]
    return [prefix + page for prefix in LANGUAGES for page in pages]


class Writer(threading.Thread):
    """Posts status changes through the API at `rate` per second (one reported-track change of a
    random state x commitment each time, with the version it last saw as If-Match)."""

    def __init__(self, base_url, token, versions, rate):
        super().__init__(daemon=True)
        self.base_url, self.token, self.rate = base_url, token, rate
        self.versions = versions  # {implementation id: version}, shared by the writers of a run
        self.stop, self.landed, self.failed = threading.Event(), 0, 0
        self.random = random.Random(18 + rate)
        self.lock = threading.Lock()

    def post(self, pk):
        body = {"track": "reported", "status": self.random.choice(STATUSES), "comment": "Benchmark write."}
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/implementations/{pk}/status/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "If-Match": f'"{self.versions[pk]}"',
                "X-Forwarded-Proto": "https",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                self.versions[pk] = int(response.headers["ETag"].strip('W/"'))
                with self.lock:
                    self.landed += 1
        except urllib.error.HTTPError as error:
            with self.lock:
                self.failed += 1
            if error.code == 412:  # a stale version: read the current one and go on
                read = urllib.request.Request(
                    f"{self.base_url}/api/v1/implementations/{pk}/",
                    headers={"Authorization": f"Token {self.token}", "X-Forwarded-Proto": "https"},
                )
                with urllib.request.urlopen(read, timeout=30) as response:
                    self.versions[pk] = int(response.headers["ETag"].strip('W/"'))

    def run(self):
        """One write every 1/rate s, each in a thread of its own pool (a write takes longer than
        1/10 s on a busy machine: in turn, they would fall behind the rate)."""
        interval, next_at, ids = 1.0 / self.rate, time.monotonic(), sorted(self.versions)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            while not self.stop.is_set():
                pool.submit(self.post, self.random.choice(ids))
                next_at += interval
                self.stop.wait(max(0.0, next_at - time.monotonic()))


def wrk_mixed(url, script, *, duration, connections, threads, parse):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    output = subprocess.run([*command, "-s", script, url], capture_output=True, text=True, check=True).stdout
    result = parse(output)
    hits, misses, other = (int(n) for n in output.split("CACHE ", 1)[1].split()[:3])
    result["hit_ratio"] = hits / max(1, hits + misses + other)
    return result


def warm(server, paths, fetch, workers=4):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(lambda path: fetch(server.url(path))[0], paths))
    bad = [path for path, status in zip(paths, statuses, strict=True) if status != 200]
    if bad:
        raise SystemExit(f"{len(bad)} reader URLs did not answer 200, e.g. {bad[:3]}")


def run_mixed(*, server, manage, args, fetch, wrk, parse, flush_cache):
    """The five phases on `server`; returns the rows of the table."""
    facts = json.loads(manage(SETUP).strip().splitlines()[-1])
    paths = reader_paths(facts["states"], facts["commitments"])
    load = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": ", ".join(json.dumps(path) for path in paths)})
    rows = []

    def phase(label, **extra):
        result = wrk_mixed(server.url("/"), script.name, parse=parse, **load)
        rows.append({"label": label, "urls": len(paths), **result, **extra})

    # Warm the processes, not the cache: each worker's first pages in each language compile
    # their templates and load the catalogs (seconds on a busy machine); then empty the cache.
    warm(server, random.Random(1).sample(paths, 60), fetch)
    healthz_before = wrk(server.url("/healthz"), **load)
    flush_cache()
    phase("cold (cache empty at the start)")
    warm(server, paths, fetch)
    phase("warm")
    versions = dict(facts["items"])
    for rate in (1, 10):
        writer = Writer(server.url(""), facts["token"], versions, rate)
        writer.start()
        time.sleep(1)
        phase(f"warm + {rate} write/s through the API")
        writer.stop.set()
        writer.join()
        rows[-1].update(writes_landed=writer.landed, writes_failed=writer.failed)
        warm(server, paths, fetch)
    healthz_after = wrk(server.url("/healthz"), **load)
    base = {key: (healthz_before[key] + healthz_after[key]) / 2 for key in ("p50", "p99", "rps")}
    rows.insert(0, {"label": "minimal view /healthz (mean of before and after)", **base, "hit_ratio": None})
    Path(script.name).unlink()
    return rows


# Most specific first: "warm + 1 write/s" is also "warm".
GOALS = {"10 write/s": 10, "1 write/s": 5, "warm": 3, "cold": 10}


def mixed_table(rows) -> str:
    base = rows[0]
    lines = [
        "| phase | req/s | p50 ms | p99 ms | healthz ÷ req/s | p50 ÷ healthz | p99 ÷ healthz | cache hits | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        ratio = base["rps"] / row["rps"] if row["rps"] else float("inf")
        goal = next((limit for key, limit in GOALS.items() if key in row["label"]), None)
        verdict = "baseline" if row is base else ""
        if goal:
            met = ratio <= goal and ("1 write/s" not in row["label"] or row["p99"] < 100)
            verdict = f"{'met' if met else 'missed'} (≤ {goal}x" + (
                ", p99 < 100 ms)" if "1 write/s" in row["label"] else ")"
            )
        hits = "" if row["hit_ratio"] is None else f"{row['hit_ratio']:.1%}"
        writes = (
            f" ({row['writes_landed']} writes landed, {row['writes_failed']} refused)" if "writes_landed" in row else ""
        )
        lines.append(
            f"| {row['label']}{writes} | {row['rps']:,.0f} | {row['p50']:.2f} | {row['p99']:.2f} | {ratio:.1f}x | "
            f"{row['p50'] / base['p50']:.1f}x | {row['p99'] / base['p99']:.1f}x | {hits} | {verdict} |"
        )
    return "\n".join(lines)
