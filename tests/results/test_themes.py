"""The Swedish text pipeline: tokens, lemmas, stopwords and the themes it finds."""

from __future__ import annotations

from collections import Counter

from delaktig.results import sample_texts, themes


def test_tokenize_lowercases_lemmatises_and_drops_stopwords() -> None:
    tokens = themes.tokenize("Jag tycker att Belysningen vid gatorna är för dålig, 2025!")
    assert "belysning" in tokens
    assert "gata" in tokens
    # stopwords (jag, att, vid, är, för) and domain words (tycker, dålig) are gone
    for word in ["jag", "att", "vid", "är", "för", "tycka", "tycker", "dålig", "2025"]:
        assert word not in tokens


def test_tokenize_keeps_swedish_letters() -> None:
    assert "övergångsställe" in themes.tokenize("Ett övergångsställe behövs.")


def test_propose_themes_recovers_the_topics_the_answers_were_written_about() -> None:
    docs = sample_texts.generate(1500, seed=3, topics=["belysning", "trafik", "parker", "fritid"])
    result = themes.propose_themes((i, text) for i, (_topic, text) in enumerate(docs))
    assert result.documents == 1500
    assert 3 <= result.k <= 12
    assert result.silhouette is not None
    # every theme is dominated by one written topic, and every topic has a theme
    dominant = set()
    agreeing = 0
    for theme in result.themes:
        counts = Counter(docs[i][0] for i in theme.member_ids)
        topic, n = counts.most_common(1)[0]
        assert n / theme.size > 0.55, (theme.terms, counts)
        agreeing += n
        dominant.add(topic)
        assert theme.terms and theme.name
        assert 1 <= len(theme.quote_ids) <= 3
        assert set(theme.quote_ids) <= set(theme.member_ids)
        assert len(set(theme.quotes)) == len(theme.quotes)
    assert dominant == {"belysning", "trafik", "parker", "fritid"}
    # overall purity: most answers sit in a theme about what they were written about
    assert agreeing / 1500 > 0.8
    assert sum(t.size for t in result.themes) + len(result.unthemed_ids) == 1500


def test_propose_themes_labels_a_lighting_theme_with_lighting_words() -> None:
    docs = sample_texts.generate(600, seed=5, topics=["belysning", "trafik"])
    result = themes.propose_themes(((i, t) for i, (_topic, t) in enumerate(docs)), k=2)
    assert result.k == 2
    words = {w for theme in result.themes for term in theme.terms for w in term.split()}
    assert words & {"belysning", "lampa", "mörk", "gatlampa"}
    assert words & {"bil", "korsning", "hastighet", "övergångsställe", "köra"}


def test_propose_themes_is_deterministic() -> None:
    docs = [(i, t) for i, (_topic, t) in enumerate(sample_texts.generate(300, seed=9))]
    a = themes.propose_themes(docs)
    b = themes.propose_themes(docs)
    assert [t.member_ids for t in a.themes] == [t.member_ids for t in b.themes]


def test_too_few_or_empty_answers_give_no_themes() -> None:
    assert themes.propose_themes([(1, "Bra!"), (2, ""), (3, "och att")]).themes == []


def test_k_is_capped_for_small_dialogues() -> None:
    docs = [(i, t) for i, (_topic, t) in enumerate(sample_texts.generate(60, seed=2))]
    assert themes.propose_themes(docs).k <= 5


def test_english_answers_get_english_themes_without_english_stopwords() -> None:
    """Real English free text (the Brexit Polis conversation's comments): the themes are
    named from English words, never from "is", "to" or "my"."""
    import csv

    import stopwordsiso

    from tests.shared_data import polis_comments

    rows = list(csv.DictReader(polis_comments("brexit-consensus").open(encoding="utf-8")))
    documents = [(int(r["comment-id"]), r["comment-body"]) for r in rows]
    assert themes.detect_language(text for _pk, text in documents) == "en"
    result = themes.propose_themes(documents, seed=1)
    assert result.language == "en" and result.themes
    english = set(stopwordsiso.stopwords("en"))
    for theme in result.themes:
        assert not set(theme.name.lower().replace(",", " ").split()) & english, theme.name
    # Swedish answers stay Swedish.
    assert themes.detect_language(["Det är för mörkt vid stationen på kvällen."]) == "sv"
