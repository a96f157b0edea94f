"""A Django shell kept running beside a real server or worker, for tests that read or
change that server's database: each piece of code costs a round trip to the shell, not a
new `manage.py shell` process (several seconds of start-up each).

The shell runs with the environment it was given (settings module, database, folders),
so code in it sees exactly what the server or worker sees. Its database connections are
closed after each piece of code, as a process that ends would close them, so nothing is
held open between one step of a test and the next.

Run as `python -m tests.shell_process`: it reads one JSON-encoded piece of code per line
and answers each with one JSON line: what the code printed, or the error it raised.
"""

import contextlib
import io
import json
import select
import subprocess
import sys
import traceback
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
# As long as a `manage.py` step may take in these tests before it counts as stuck.
TIMEOUT_SECONDS = 180


class ShellProcess:
    """One long-running shell with this environment; `run(code)` returns its printout."""

    def __init__(self, env, log_path):
        self.env = env
        self.log_path = Path(log_path)
        self.process = None

    def run(self, code):
        if self.process is None or self.process.poll() is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a") as log:
                self.process = subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "tests.shell_process"],
                    cwd=PROJECT_DIR,
                    env=self.env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                )
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        # The shell answers each piece of code with one line, so nothing is left buffered
        # from the last answer and waiting on the pipe itself is safe.
        if not select.select([self.process.stdout], [], [], TIMEOUT_SECONDS)[0]:
            self.process.kill()
            raise RuntimeError(f"The shell's code took over {TIMEOUT_SECONDS} s:\n{code}")
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"The shell stopped:\n{self.log_path.read_text()[-3000:]}")
        answer = json.loads(answer)
        if "error" in answer:
            raise RuntimeError(f"The shell's code failed:\n{answer['printed']}{answer['error']}")
        return answer["printed"]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


def serve():
    import django  # noqa: PLC0415 (set up only when run as the shell)
    from django.db import connections  # noqa: PLC0415

    django.setup()
    for line in sys.stdin:
        printed = io.StringIO()
        answer = {}
        try:
            with contextlib.redirect_stdout(printed):
                exec(json.loads(line), {"__name__": "__main__"})  # noqa: S102 (the tests' own code)
        except Exception:  # noqa: BLE001 (every failure goes back to the test that sent the code)
            answer["error"] = traceback.format_exc()
        finally:
            connections.close_all()
        answer["printed"] = printed.getvalue()
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
