"""`make bench`: run every benchmark in turn and keep their output.

Each benchmark prints its own Markdown table; the combined output is written to
bench/results/<date>.md so the figures in docs/performance.md can be checked against it.
The load test needs wrk (Debian package `wrk`) and PostgreSQL (the submission breakdown
needs PostgreSQL and Redis only); it is skipped with a note
when wrk is missing. The fault benchmark starts its own PostgreSQL cluster (as the `postgres`
user) and falls back to SQLite without the restart scenarios when it cannot.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BENCHES = [
    ["bench/bench_pb_count.py"],
    ["bench/bench_opinion_map.py"],
    ["bench/bench_survey_compile.py"],
    ["bench/bench_text_themes.py"],
    ["bench/bench_exports.py"],
    ["bench/bench_faults.py"],
    ["bench/load/breakdown.py"],  # PostgreSQL and Redis, no wrk
]


def main() -> int:
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / f"{datetime.datetime.now():%Y-%m-%d-%H%M}.md"
    runs = [*BENCHES]
    if shutil.which("wrk"):
        runs.append(["bench/load/run.py"])
    else:
        print("wrk saknas: hoppar över lasttestet (apt-get install -y wrk).")
    failed = 0
    with report.open("w", encoding="utf-8") as fh:
        for args in runs:
            command = [PYTHON, *args]
            print(f"\n## {' '.join(args)}\n", flush=True)
            fh.write(f"\n## `{' '.join(args)}`\n\n")
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            print(result.stdout, flush=True)
            fh.write(result.stdout)
            if result.returncode != 0:
                failed += 1
                print(result.stderr[-3000:], file=sys.stderr)
                fh.write(f"\n(failed with exit code {result.returncode})\n")
    print(f"\nResultat sparat i {report.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
