"""Compile 1,000,000 survey answers: time and peak memory of compile_survey + a cross-tab.

    .venv/bin/python bench/bench_survey_compile.py [--responses 100000] [--questions 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/...

Generates `responses` submitted responses × `questions` questions (default 106,000 × 10:
about 1,000,000 answers after the conditional question; single choice, scale, number,
multiple choice, one conditional scale) with plain executemany inserts into a throw-away
SQLite database (or the PostgreSQL database in DATABASE_URL; the bench survey is deleted
again afterwards), then times
`compile_survey(survey)` and `cross_tab(survey, q, by="age_band")`.
Peak memory: ru_maxrss of this process, and tracemalloc's peak during compilation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=106_000)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="delaktig-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DELAKTIG_VAR_DIR"] = tmp
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delaktig.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from delaktig.governance.models import Dialogue
    from delaktig.organisation.models import Municipality, PolicyProfile
    from delaktig.participation.models import Activity, Method
    from delaktig.participation.surveys.actions import insert_answer_rows
    from delaktig.participation.surveys.models import Question, QuestionKind, Response, Survey
    from delaktig.participation.surveys.stats import compile_survey, cross_tab

    if os.environ.get("DATABASE_URL"):
        Survey.objects.filter(activity__slug="bench-survey").delete()
    profile = PolicyProfile.objects.first()
    if profile is None:
        from delaktig.organisation.profile_data import sync_profiles

        sync_profiles()
        profile = PolicyProfile.objects.first()
    municipality, _ = Municipality.objects.get_or_create(
        slug="bench", defaults={"name": "Benchby", "profile": profile}
    )
    dialogue, _ = Dialogue.objects.get_or_create(
        slug="bench-dialogue", defaults={"municipality": municipality, "title": "Bench"}
    )
    activity = Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Bench", slug="bench-survey"
    )
    survey = Survey.objects.create(activity=activity)
    kinds = [
        (QuestionKind.SINGLE, {"options": ["Ja", "Nej", "Vet inte"]}),
        (QuestionKind.SCALE, {"scale_min": 1, "scale_max": 5}),
        (QuestionKind.NUMBER, {}),
        (QuestionKind.MULTIPLE, {"options": ["A", "B", "C", "D"]}),
    ]
    questions = []
    for i in range(args.questions):
        kind, extra = kinds[i % len(kinds)]
        questions.append(
            Question.objects.create(survey=survey, order=i, kind=kind, label=f"Fråga {i}", **extra)
        )
    # Question 1 (scale) is shown only to those who answered "Ja" on question 0.
    questions[1].condition_question = questions[0]
    questions[1].condition_options = [0]
    questions[1].save()

    rng = random.Random(1)
    ages = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "0-12"]
    t = time.perf_counter()
    batch = 10_000
    answers_total = 0
    with transaction.atomic():
        for start in range(0, args.responses, batch):
            n = min(batch, args.responses - start)
            responses = Response.objects.bulk_create(
                [
                    Response(
                        survey=survey,
                        status="submitted",
                        demographics_consent=True,
                        demographics={
                            "age_band": rng.choices(ages, weights=[5, 8, 9, 9, 8, 6, 4, 0.0003])[0],
                            "gender": rng.choice(["kvinna", "man"]),
                        },
                    )
                    for _ in range(n)
                ]
            )
            rows = []
            for r in responses:
                first = rng.choice([0, 0, 1, 2])
                for q in questions:
                    if q.kind == QuestionKind.SINGLE:
                        rows.append((r.pk, q.pk, 0, first if q is questions[0] else 1, None, ""))
                    elif q.kind == QuestionKind.SCALE:
                        if q is questions[1] and first != 0:
                            continue
                        v = rng.randint(1, 5)
                        rows.append((r.pk, q.pk, 0, v, float(v), ""))
                    elif q.kind == QuestionKind.NUMBER:
                        rows.append((r.pk, q.pk, 0, None, float(rng.randint(0, 120)), ""))
                    else:
                        rows.append((r.pk, q.pk, rng.randint(0, 3), None, None, ""))
                        rows[-1] = (r.pk, q.pk, rows[-1][2], rows[-1][2], None, "")
            answers_total += insert_answer_rows(rows)
    generate_s = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_answer")
            cursor.execute("ANALYZE surveys_response")

    rss_before = rss_mb()
    tracemalloc.start()
    t = time.perf_counter()
    compilation = compile_survey(survey)
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    tab = cross_tab(survey, questions[1], by="age_band")
    crosstab_s = time.perf_counter() - t
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "responses": args.responses,
                "answers": answers_total,
                "generate_seconds": round(generate_s, 1),
                "compile_seconds": round(compile_s, 2),
                "crosstab_seconds": round(crosstab_s, 2),
                "total_seconds": round(compile_s + crosstab_s, 2),
                "tracemalloc_peak_mb": round(traced_peak / 1024 / 1024, 1),
                "rss_before_compile_mb": round(rss_before),
                "peak_rss_mb": round(rss_mb()),
                "conditional_denominator": compilation.questions[1].denominator,
                "suppressed_groups": tab.suppressed_groups,
            },
            indent=2,
        )
    )
    if connection.vendor != "sqlite":
        # Leave the shared database as it was.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM surveys_answer WHERE question_id IN "
                "(SELECT id FROM surveys_question WHERE survey_id = %s)",
                [survey.pk],
            )
        Response.objects.filter(survey=survey).delete()
        activity.delete()


if __name__ == "__main__":
    main()
