#!/usr/bin/env python3
"""Drive a command through a real pseudo-terminal, answering prompts.

Usage: pty_driver.py STEPS_JSON -- command args...
STEPS_JSON is a list of [expect_regex, keys_to_send]. Keys may use \\r, \\x1b[B (down), ' ' (toggle)
and \\x03 (Ctrl-C). Prints the whole transcript to stdout and exits with the command's exit code,
or 124 when an expected prompt does not appear within the timeout.
"""
import json
import os
import pty
import re
import select
import sys
import time

TIMEOUT = float(os.environ.get("PTY_TIMEOUT", "20"))


def main() -> int:
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.environ.pop("CI", None)
        os.execvp(cmd[0], cmd)
    transcript = b""
    clean = ""

    def read(deadline: float) -> bool:
        nonlocal transcript, clean
        r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not r:
            return False
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        transcript += chunk
        clean = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", transcript.decode("utf-8", "replace"))
        return True

    for expect, send in steps:
        deadline = time.time() + TIMEOUT
        pattern = re.compile(expect)
        pos = len(clean)
        while not pattern.search(clean[max(0, pos - 200):]):
            if time.time() > deadline or not read(deadline):
                if time.time() > deadline:
                    sys.stdout.write(clean)
                    sys.stdout.write(f"\n[pty_driver] timed out waiting for {expect!r}\n")
                    os.kill(pid, 9)
                    return 124
        time.sleep(0.15)
        os.write(fd, send.encode())
    deadline = time.time() + TIMEOUT * 3
    while time.time() < deadline:
        if not read(deadline):
            break
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(clean)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
