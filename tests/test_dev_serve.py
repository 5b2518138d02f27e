"""`python3 dev.py serve` runs the web server and the task worker side by side and they live and
die together (dev.supervise): Ctrl+C or SIGTERM stops both, and if one stops the other is stopped.
Tried here with two stand-in processes under a real supervising process; the README's full
`dev.py serve` was tried by hand from a clean clone (notes/issue-15.md)."""

import os
import signal
import subprocess
import sys
import time

from tests.served import ROOT

SUPERVISOR = """
import subprocess, sys
import dev
children = [subprocess.Popen([sys.executable, "-c", code]) for code in sys.argv[1:]]
print(" ".join(str(child.pid) for child in children), flush=True)
sys.exit(dev.supervise(children))
"""
SLEEPER = "import time; time.sleep(120)"


def _default_ctrl_c():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _supervise(*codes):
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, *codes],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As from a terminal: a suite started in the background by a shell (`cmd &`) runs with Ctrl+C
        # ignored, and an ignored signal stays ignored in every process it starts.
        preexec_fn=_default_ctrl_c,
    )
    children = [int(pid) for pid in process.stdout.readline().split()]
    return process, children


def _gone(pid: int, within: float = 20) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _stop(process, sig):
    process.send_signal(sig)
    return process.wait(timeout=30)


def test_sigterm_stops_the_server_and_the_worker():
    process, children = _supervise(SLEEPER, SLEEPER)
    time.sleep(0.5)

    _stop(process, signal.SIGTERM)

    assert all(_gone(child) for child in children)


def test_ctrl_c_stops_the_server_and_the_worker():
    process, children = _supervise(SLEEPER, SLEEPER)
    time.sleep(0.5)

    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl+C does: the whole foreground group
    process.wait(timeout=30)

    assert all(_gone(child) for child in children)


def test_when_one_stops_the_other_is_stopped_and_its_exit_code_is_kept():
    process, children = _supervise("import sys, time; time.sleep(1); sys.exit(3)", SLEEPER)

    assert process.wait(timeout=30) == 3
    assert all(_gone(child) for child in children)
