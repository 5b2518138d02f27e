#!/usr/bin/env python3
"""The project's two entry points, using only the Python standard library.

    python3 dev.py serve   install into .venv, migrate, load the fixtures, serve on http://127.0.0.1:8000
                           and run the task worker beside it (Ctrl+C stops both)
    python3 dev.py test    install into .venv (with test tools), run ruff check and ruff format --check,
                           then the whole test suite
                           with coverage (it fails under the floor in pyproject.toml)
    python3 dev.py lock    re-lock: rewrite uv.lock from pyproject.toml after changing dependencies

Anything after `test` is passed to pytest (e.g. `python3 dev.py test -k permissions`).
Every install is `uv sync --locked` from the committed uv.lock: exact versions, hashes checked,
and a refusal when uv.lock does not match pyproject.toml (then run `python3 dev.py lock`).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
CHROMIUM = Path("/usr/bin/chromium")
UV_VENV = ROOT / ".venv-uv"
# The uv that reads and writes uv.lock. Raise it on purpose, like any other pin (README, Upgrading).
UV_VERSION = "0.13.9"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_uv():
    """The locking installer, uv, at the version this file names, in its own small venv (.venv-uv).

    It comes from PyPI like everything else, so a machine needs nothing but Python 3.11+.
    """
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs on whatever python3 the machine has)
        sys.exit("GCM Tracker needs Python 3.11 or newer.")
    uv = UV_VENV / ("Scripts/uv.exe" if os.name == "nt" else "bin/uv")
    version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout if uv.exists() else ""
    if f"uv {UV_VERSION}" not in version:
        venv.create(UV_VENV, with_pip=True, clear=True)
        tool_python = UV_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        run(tool_python, "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}")
    return uv


def uv_env():
    # Use the python3 that runs this file; never download an interpreter.
    return {
        # The platform's certificate store, as pip uses: it has what a TLS-inspecting proxy needs.
        "UV_SYSTEM_CERTS": "1",
        **os.environ,
        "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_PROJECT_ENVIRONMENT": str(VENV),
    }


def install(*extras):
    """Install exactly what uv.lock says into .venv (hashes checked).

    `--locked` refuses when uv.lock does not match pyproject.toml: after changing the dependencies,
    re-lock with `python3 dev.py lock` and commit uv.lock with the change.
    """
    uv = ensure_uv()
    args = [uv, "sync", "--locked", *(f"--extra={extra}" for extra in extras)]
    if not extras:
        # serve keeps test tools that `dev.py test` installed, rather than removing them each time
        args.append("--inexact")
    try:
        run(*args, env=uv_env())
    except subprocess.CalledProcessError:
        print(
            "\nThe install from uv.lock failed. If it says the lock file needs to be updated, pyproject.toml's\n"
            "dependencies changed without a re-lock: run  python3 dev.py lock  and commit uv.lock.",
            file=sys.stderr,
            flush=True,
        )
        raise


def lock(args):
    """Re-resolve uv.lock from pyproject.toml (`dev.py lock --upgrade`: every pin to the newest allowed)."""
    uv = ensure_uv()
    run(uv, "lock", *args, env=uv_env())
    return 0


def ensure_chromium():
    """Browser tests drive Debian's chromium. Install it with apt when we may; never download a browser build."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-core"], check=False, env=env)
    if not CHROMIUM.exists():
        print("chromium is not installed: browser tests will be skipped (apt-get install chromium).", flush=True)


def ensure_gettext():
    """compilemessages needs GNU gettext's msgfmt. Install it with apt when we may."""
    if shutil.which("msgfmt"):
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "gettext"], check=False, env=env)
    if not shutil.which("msgfmt"):
        sys.exit("GNU gettext (msgfmt) is needed to compile the translations: apt-get install gettext.")


def compile_translations():
    """The .po catalogs are committed; the .mo files Django reads are built from them at install."""
    ensure_gettext()
    run(PYTHON, "manage.py", "compilemessages", "--ignore=.venv", stdout=subprocess.DEVNULL)


def supervise(processes):
    """Wait until one process ends or Ctrl+C/SIGTERM arrives, then stop them all: they live and die together."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        code = next(process.returncode for process in processes if process.returncode is not None)
        print(f"A process stopped (exit {code}): stopping the others.", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return code


def serve():
    install()
    compile_translations()
    manage = (PYTHON, "manage.py")
    run(*manage, "migrate", "--no-input")  # also creates the database cache table
    run(*manage, "seed")
    port = os.environ.get("PORT", "8000")
    print(
        f"\nGCM Tracker: http://127.0.0.1:{port}/  (admin: http://127.0.0.1:{port}/admin/)\n"
        f"Create an administrator:  {PYTHON.relative_to(ROOT)} manage.py createsuperuser\n"
        f"Try the staff workflow:   {PYTHON.relative_to(ROOT)} manage.py demo   (demo users and history)\n"
        "The task worker (imports, emails) runs beside the server; Ctrl+C stops both.\n",
        flush=True,
    )
    web = subprocess.Popen([str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}"], cwd=ROOT)
    worker = subprocess.Popen([str(PYTHON), "manage.py", "run_worker", "--reload"], cwd=ROOT)
    return supervise([web, worker])


def test(pytest_args):
    install("test")
    compile_translations()
    ensure_chromium()
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")  # fix with: .venv/bin/python -m ruff format .
    coverage = []
    if not pytest_args:
        # The whole suite measures line coverage and fails under the floor in pyproject.toml
        # ([tool.coverage.report] fail_under); a selection of tests would always fall short.
        coverage = ["--cov", "--cov-report=term:skip-covered"]
    result = subprocess.run([str(PYTHON), "-m", "pytest", *coverage, *pytest_args], cwd=ROOT)
    if result.returncode == 5:
        print("No test ran: that is a failure.", flush=True)
        return 1
    return result.returncode


def main(argv):
    if len(argv) < 2 or argv[1] not in {"serve", "test", "lock"}:
        print(__doc__)
        return 2
    try:
        if argv[1] == "serve":
            return serve()
        if argv[1] == "lock":
            return lock(argv[2:])
        return test(argv[2:])
    except subprocess.CalledProcessError as failed:
        print(f"Failed (exit {failed.returncode}): {' '.join(str(a) for a in failed.cmd)}", file=sys.stderr)
        return failed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
