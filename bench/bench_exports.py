"""Exports stay flat in memory: peak RSS of a CSV/XLSX export at 100,000 vs 1,000,000 rows.

    .venv/bin/python bench/bench_exports.py [--rows 100000 1000000] [--xlsx-rows 100000 300000]

Each size gets its own throw-away SQLite database (in a temporary DELAKTIG_VAR_DIR) filled
with raw inserts, then a FRESH process runs the export exactly as the view does
(`exports.contribution_rows` → `csv_stream` / `write_xlsx`) and reports its peak RSS
(ru_maxrss) and the RSS before the export started. Flat memory = the peak does not grow
with the number of rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _django(var_dir: str) -> None:
    os.environ["DELAKTIG_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delaktig.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(var_dir: str, rows: int) -> None:
    _django(var_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from delaktig.governance.models import Dialogue
    from delaktig.organisation.models import Municipality, PolicyProfile
    from delaktig.organisation.profile_data import sync_profiles
    from delaktig.participation.models import Activity
    from delaktig.results import sample_texts

    if not PolicyProfile.objects.exists():
        sync_profiles()
    m = Municipality.objects.create(
        name="Bench", slug="bench", profile=PolicyProfile.objects.first()
    )
    d = Dialogue.objects.create(municipality=m, title="Bench", slug="bench", status="compiling")
    a = Activity.objects.create(dialogue=d, method="survey", title="Enkät", slug="enkat")
    texts = [t for _topic, t in sample_texts.generate(5000, seed=1)]
    demo = json.dumps(
        {"demographics": {"age_band": "25-34", "gender": "kvinna", "district": "Centrum"}}
    )
    sql = (
        "INSERT INTO participation_contribution (dialogue_id, activity_id, kind, channel, "
        "participant_key, text, data, language, status, moderation_reason, source_type, "
        "source_id, created_at) VALUES (%s, %s, 'comment', 'digital', %s, %s, %s, 'sv', "
        "'published', '', '', '', '2026-01-01 10:00:00')"
    )
    batch = 20000
    with connection.cursor() as cur:
        for start in range(0, rows, batch):
            cur.executemany(
                sql,
                [
                    (d.pk, a.pk, f"p{i}", texts[i % len(texts)], demo)
                    for i in range(start, min(rows, start + batch))
                ],
            )
    print(json.dumps({"dialogue": d.pk}))


def export(var_dir: str, fmt: str) -> None:
    _django(var_dir)
    from delaktig.governance.models import Dialogue
    from delaktig.results import exports

    dialogue = Dialogue.objects.get(slug="bench")
    before = rss_mb()
    t = time.perf_counter()
    n = 0
    size = 0
    if fmt == "csv":
        for chunk in exports.csv_stream(exports.contribution_rows(dialogue)):
            size += len(chunk)
        n = -1
    else:
        handle = exports.write_xlsx([("Bidrag", exports.contribution_rows(dialogue))])
        handle.seek(0, 2)
        size = handle.tell()
        handle.close()
    print(
        json.dumps(
            {
                "fmt": fmt,
                "seconds": round(time.perf_counter() - t, 1),
                "rss_before_mb": round(before),
                "peak_rss_mb": round(rss_mb()),
                "bytes": size,
                "n": n,
            }
        )
    )


def run(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--xlsx-rows", type=int, nargs="*", default=[100_000, 1_000_000])
    ns = parser.parse_args()
    for rows in sorted(set(ns.rows) | set(ns.xlsx_rows)):
        with tempfile.TemporaryDirectory() as var_dir:
            t = time.perf_counter()
            run("--child-setup", var_dir, str(rows))
            print(f"{rows:>9} rows: database filled in {time.perf_counter() - t:.0f} s", flush=True)
            for fmt in ("csv", "xlsx"):
                if rows not in (ns.rows if fmt == "csv" else ns.xlsx_rows):
                    continue
                r = run("--child-export", var_dir, fmt)
                print(
                    f"{rows:>9} rows {fmt:>4}: {r['seconds']:>6} s, "
                    f"RSS before {r['rss_before_mb']} MB, peak {r['peak_rss_mb']} MB, "
                    f"{r['bytes'] / 1e6:.0f} MB written",
                    flush=True,
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-setup":
        setup(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-export":
        export(sys.argv[2], sys.argv[3])
    else:
        main()
