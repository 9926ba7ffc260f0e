"""Automatic Swedish themes for 100,000 free-text answers: time and peak memory.

    .venv/bin/python bench/bench_text_themes.py [--n 100000] [--skip-db]

Two measurements, each in a fresh process so peak RSS (ru_maxrss) belongs to it alone:

1. pipeline: `themes.propose_themes` on n generated answers (combined from real-looking
   Swedish sentences in `results.sample_texts`), with k chosen by silhouette;
2. end to end: the same answers as Contributions in a throw-away SQLite database, then
   `actions.run_automatic_themes` (streams texts with .iterator(), writes themes and one
   ThemeAssignment per answer).

Also reports how well the themes match the topics the answers were generated from.
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pipeline(n: int) -> dict:
    from delaktig.results import sample_texts, themes

    docs = sample_texts.generate(n, seed=42)
    before = rss_mb()
    t = time.perf_counter()
    result = themes.propose_themes((i, text) for i, (_topic, text) in enumerate(docs))
    seconds = time.perf_counter() - t
    agree = sum(
        Counter(docs[i][0] for i in theme.member_ids).most_common(1)[0][1]
        for theme in result.themes
    )
    return {
        "stage": "pipeline",
        "n": n,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before),
        "peak_rss_mb": round(rss_mb()),
        "k": result.k,
        "silhouette": round(result.silhouette or 0, 3),
        "purity": round(agree / n, 3),
        "themes": [t.name for t in result.themes],
    }


def end_to_end(n: int, var_dir: str) -> dict:
    os.environ["DELAKTIG_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delaktig.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from delaktig.governance.models import Dialogue
    from delaktig.organisation.models import Municipality, PolicyProfile
    from delaktig.organisation.profile_data import sync_profiles
    from delaktig.participation.models import Activity
    from delaktig.results import actions, sample_texts

    if not PolicyProfile.objects.exists():
        sync_profiles()
    m = Municipality.objects.create(
        name="Bench", slug="bench", profile=PolicyProfile.objects.first()
    )
    d = Dialogue.objects.create(municipality=m, title="Bench", slug="bench", status="compiling")
    a = Activity.objects.create(dialogue=d, method="survey", title="Enkät", slug="enkat")
    sql = (
        "INSERT INTO participation_contribution (dialogue_id, activity_id, kind, channel, "
        "participant_key, text, data, language, status, moderation_reason, source_type, "
        "source_id, created_at) VALUES (%s, %s, 'comment', 'digital', %s, %s, '{}', 'sv', "
        "'published', '', '', '', '2026-01-01 10:00:00')"
    )
    docs = sample_texts.generate(n, seed=42)
    with connection.cursor() as cur:
        cur.executemany(sql, [(d.pk, a.pk, f"p{i}", text) for i, (_t, text) in enumerate(docs)])
    del docs
    before = rss_mb()
    t = time.perf_counter()
    compilation = actions.run_automatic_themes(dialogue=d)
    seconds = time.perf_counter() - t
    return {
        "stage": "end_to_end",
        "n": n,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before),
        "peak_rss_mb": round(rss_mb()),
        "themes": compilation.themes.count(),
        "assignments": sum(t.assignments.count() for t in compilation.themes.all()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--skip-db", action="store_true")
    ns = parser.parse_args()
    stages = [["--child", "pipeline", str(ns.n)]]
    if not ns.skip_db:
        stages.append(["--child", "end_to_end", str(ns.n)])
    for stage in stages:
        out = subprocess.run(
            [sys.executable, __file__, *stage], check=True, capture_output=True, text=True
        ).stdout
        print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        n = int(sys.argv[3])
        if sys.argv[2] == "pipeline":
            print(json.dumps(pipeline(n), ensure_ascii=False))
        else:
            with tempfile.TemporaryDirectory() as var_dir:
                print(json.dumps(end_to_end(n, var_dir), ensure_ascii=False))
    else:
        main()
