#!/usr/bin/env python3
"""The project's two entry points, using only the Python standard library.

    python3 dev.py serve   install into .venv, migrate, load the fixtures, serve on http://127.0.0.1:8000
    python3 dev.py test    install into .venv (with test tools) and run ruff, then the whole test suite

Anything after `test` is passed to pytest (e.g. `python3 dev.py test -k permissions`).
The install step is skipped when pyproject.toml has not changed since the last one.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
CHROMIUM = Path("/usr/bin/chromium")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def install(extras=""):
    """Create .venv and install the project (editable) unless the same install is already there."""
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs on whatever python3 the machine has)
        sys.exit("GCM Tracker needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    spec = f".[{extras}]" if extras else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / ".installed"
    if not stamp.exists() or digest not in stamp.read_text().split():
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", spec)
        previous = stamp.read_text().split() if stamp.exists() else []
        stamp.write_text("\n".join([*previous, digest]))


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


def serve():
    install()
    compile_translations()
    manage = (PYTHON, "manage.py")
    run(*manage, "migrate", "--no-input")
    run(*manage, "seed")
    port = os.environ.get("PORT", "8000")
    print(
        f"\nGCM Tracker: http://127.0.0.1:{port}/  (admin: http://127.0.0.1:{port}/admin/)\n"
        f"Create an administrator:  {PYTHON.relative_to(ROOT)} manage.py createsuperuser\n"
        f"Try the staff workflow:   {PYTHON.relative_to(ROOT)} manage.py demo   (demo users and history)\n",
        flush=True,
    )
    os.execv(str(PYTHON), [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}"])


def test(pytest_args):
    install("test")
    compile_translations()
    ensure_chromium()
    run(PYTHON, "-m", "ruff", "check", ".")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT)
    if result.returncode == 5:
        print("No test ran: that is a failure.", flush=True)
        return 1
    return result.returncode


def main(argv):
    if len(argv) < 2 or argv[1] not in {"serve", "test"}:
        print(__doc__)
        return 2
    try:
        if argv[1] == "serve":
            serve()
            return 0
        return test(argv[2:])
    except subprocess.CalledProcessError as failed:
        print(f"Failed (exit {failed.returncode}): {' '.join(str(a) for a in failed.cmd)}", file=sys.stderr)
        return failed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
