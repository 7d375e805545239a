"""The benchmark's launcher: runs each measured command from a small process, so wait4's peak RSS is the command's own.

On Linux a process's peak RSS (ru_maxrss) includes the peak of the memory it was started from: exec records the old
address space's high-water mark, and subprocess starts a command with vfork, in its parent's address space. Started
straight from the benchmark, which by then has read the content library and composed every visit of the mixed day
(about 60 MiB), every command "peaked" at least that high (the mixed day's workers at 61 MiB where each process's own
high-water mark was 58). This process is started first, while the benchmark is small, and starts the commands itself.

Protocol, one JSON object per line: in {"command", "cwd", "env"}; out {"pid"} once started, then {"took" (wall
seconds), "maxrss" (KiB: the command's and its waited children's peak), "code", "err" (the end of stderr)}.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(job["command"], cwd=job["cwd"], env=job["env"], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err)
            print(json.dumps({"pid": proc.pid}), flush=True)
            _, status, usage = os.wait4(proc.pid, 0)
            took = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            text = err.read().decode(errors="replace")[-2000:]
        print(json.dumps({"took": took, "maxrss": usage.ru_maxrss, "code": proc.returncode, "err": text}), flush=True)


if __name__ == "__main__":
    main()
