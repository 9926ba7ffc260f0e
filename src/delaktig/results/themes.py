"""Automatic themes in free text (Swedish, or English): proposals an official then reviews.

The pipeline, all from packages that ship their data (nothing is fetched at run time):

0. The language of the answers: Swedish unless clearly more of their words are English
   stopwords than Swedish ones (`detect_language`, on at most 2,000 answers).
1. Tokenise on letters (å, ä, ö included), lowercase, drop numbers and one-letter words.
2. Lemmatise each word with simplemma (``lang="sv"`` or ``"en"``); words simplemma does not
   know keep their form. A per-process cache makes this one dictionary lookup per word.
3. Drop the language's stopwords (stopwordsiso) and a short list of words that occur in
   almost every answer to a municipality and so say nothing about the theme.
4. TF-IDF on lemmas and lemma pairs (scikit-learn, sparse), words in at least two answers.
5. Reduce to at most 100 latent dimensions (TruncatedSVD, "LSA") and normalise, so that
   short answers with related words end up close together.
6. Cluster with MiniBatchKMeans. The number of themes ``k`` is chosen by the mean cosine
   silhouette on a fixed random sample of at most 3,000 answers, for k = 2 up to
   min(12, sqrt(n / 2)) (so 60 answers get at most 5 themes); ties go to the smaller k.
   A human can always merge or
   split afterwards, so a slightly wrong k is cheap.
7. Each theme is labelled with its top terms (highest mean TF-IDF inside the cluster
   relative to the whole corpus) and gets representative quotes: the answers closest to
   the cluster centre, at most one per identical text.

100,000 answers take well under a minute and a few hundred MB on two cores
(see ``bench/bench_text_themes.py`` and ``docs/compilation.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

TOKEN_RE = re.compile(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)*", re.IGNORECASE)

# Words that are not stopwords in general Swedish but carry no theme in answers to a
# municipality ("jag tycker att kommunen borde ..."). Lemma forms.
_DOMAIN_WORDS = """
kommun kommunen tycka tycker tyckte tycks tror tänka tänker känna känner kanske
bra dålig dåligt bättre sämre mycket lite fler flera mer mest också ju nog väl
behöva behov borde bör ska skulle vill vilja kunna kan få gör göra finns finnas
sak saker grej ganska helt verkligen typ osv etc mm dock även samt bara alldeles
idag nu år dag gång gånger hel eller och att som det den de
"""
_DOMAIN_WORDS_EN = """
council municipality city town think thought feel maybe perhaps good bad better worse
much little more most also really just quite need needs should would could will want
can get make do thing things lot lots people person way today now year day time etc
"""
DOMAIN_STOPWORDS = frozenset(_DOMAIN_WORDS.split())
LANGUAGES = {"sv": DOMAIN_STOPWORDS, "en": frozenset(_DOMAIN_WORDS_EN.split())}


@lru_cache(maxsize=len(LANGUAGES))
def stopwords(language: str = "sv") -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords(language)) | LANGUAGES[language]


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str = "sv") -> str:
    import simplemma

    try:
        return simplemma.lemmatize(word, lang=language).lower()
    except ValueError:  # pragma: no cover - simplemma refuses odd input
        return word


def detect_language(texts: Iterable[str], sample: int = 2000) -> str:
    """ "en" when the answers' words are clearly more often English stopwords than Swedish
    ones, else "sv". A mixed corpus stays Swedish, the municipality's language."""
    import stopwordsiso

    sv, en = set(stopwordsiso.stopwords("sv")), set(stopwordsiso.stopwords("en"))
    hits = {"sv": 0, "en": 0}
    for i, text in enumerate(texts):
        if i >= sample:
            break
        for match in TOKEN_RE.finditer((text or "").lower()):
            word = match.group(0)
            hits["sv"] += word in sv
            hits["en"] += word in en
    return "en" if hits["en"] > 2 * hits["sv"] else "sv"


def tokenize(text: str, language: str = "sv") -> list[str]:
    """Lemmas of the meaningful words in ``text``, in order."""
    stop = stopwords(language)
    out = []
    for match in TOKEN_RE.finditer(text.lower()):
        word = match.group(0)
        if len(word) < 2 or word in stop:
            continue
        lem = lemma(word, language)
        if len(lem) < 2 or lem in stop:
            continue
        out.append(lem)
    return out


def _with_pairs(tokens: list[str]) -> list[str]:
    """Lemmas plus adjacent lemma pairs ("gång tunnel" tells more than either word)."""
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@dataclass
class ProposedTheme:
    """One automatic theme: its label terms, its members and its best quotes."""

    terms: list[str]
    member_ids: list[int]
    quote_ids: list[int]
    quotes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        words = [t for t in self.terms if " " not in t] or self.terms
        return ", ".join(words[:3]).capitalize()

    @property
    def size(self) -> int:
        return len(self.member_ids)


@dataclass
class ThemeResult:
    themes: list[ProposedTheme]
    k: int
    silhouette: float | None
    documents: int
    unthemed_ids: list[int]
    scores: dict[int, float] = field(default_factory=dict)
    language: str = "sv"


def choose_k(
    x: np.ndarray, candidates: Sequence[int], *, sample: int = 3000, seed: int = 0
) -> tuple[int, float | None, dict[int, float]]:
    """The k with the highest mean cosine silhouette on a fixed sample (ties: smaller k)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    idx = rng.choice(x.shape[0], size=min(sample, x.shape[0]), replace=False)
    xs = x[idx]
    scores: dict[int, float] = {}
    for k in candidates:
        if k >= xs.shape[0]:
            break
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048)
        labels = km.fit_predict(xs)
        if len(set(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(xs, labels, metric="cosine"))
    if not scores:
        return (min(candidates) if candidates else 1), None, scores
    best = max(scores.values())
    k = min(k for k, s in scores.items() if s >= best - 1e-9)
    return k, best, scores


def propose_themes(
    documents: Iterable[tuple[int, str]],
    *,
    k: int | None = None,
    max_k: int = 12,
    top_terms: int = 6,
    quotes: int = 3,
    seed: int = 0,
    language: str | None = None,
) -> ThemeResult:
    """Cluster ``(id, text)`` pairs into themes. Deterministic for the same input and seed.

    `language`: "sv" or "en"; by default detected from the answers (`detect_language`)."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    documents = list(documents)
    language = language or detect_language(text for _pk, text in documents)
    ids: list[int] = []
    texts: list[str] = []
    analysed: list[list[str]] = []
    for pk, text in documents:
        tokens = tokenize(text or "", language)
        if not tokens:
            continue
        ids.append(pk)
        texts.append(text)
        analysed.append(tokens)
    n = len(ids)
    if n < 4:
        return ThemeResult(themes=[], k=0, silhouette=None, documents=n, unthemed_ids=ids)

    vectorizer = TfidfVectorizer(
        analyzer=lambda tokens: (
            tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        ),
        min_df=2 if n >= 20 else 1,
        max_df=0.5,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        tfidf = vectorizer.fit_transform(analysed)
    except ValueError:  # every term was pruned
        return ThemeResult(themes=[], k=0, silhouette=None, documents=n, unthemed_ids=ids)
    del analysed
    terms = np.asarray(vectorizer.get_feature_names_out())
    has_terms = np.asarray(tfidf.getnnz(axis=1) > 0)
    unthemed = [pk for pk, ok in zip(ids, has_terms, strict=True) if not ok]

    n_components = min(100, tfidf.shape[1] - 1, n - 1)
    if n_components >= 2:
        svd = TruncatedSVD(n_components=n_components, random_state=seed, algorithm="randomized")
        reduced = normalize(svd.fit_transform(tfidf)).astype(np.float32)
    else:
        reduced = normalize(tfidf.toarray()).astype(np.float32)

    rows = np.flatnonzero(has_terms)
    if k is None:
        upper = max(2, min(max_k, int(math.sqrt(len(rows) / 2))))
        candidates = list(range(2, upper + 1))
        k, silhouette, scores = choose_k(reduced[rows], candidates, seed=seed)
    else:
        silhouette, scores = None, {}
    k = max(1, min(k, len(rows)))
    km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    labels = km.fit_predict(reduced[rows])
    centres = normalize(km.cluster_centers_)

    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    themes: list[ProposedTheme] = []
    for c in range(k):
        members = rows[labels == c]
        if len(members) == 0:
            continue
        inside = np.asarray(tfidf[members].mean(axis=0)).ravel()
        # Distinctive terms: frequent inside, weighted against the whole corpus.
        weight = inside * np.log1p(inside / (overall + 1e-9))
        order = np.argsort(-weight)
        chosen: list[str] = []
        for t in order:
            if weight[t] <= 0 or len(chosen) >= top_terms:
                break
            term = str(terms[t])
            if any(term in c2.split() or c2 in term.split() for c2 in chosen):
                continue
            chosen.append(term)
        similarity = reduced[members] @ centres[c]
        best = members[np.argsort(-similarity)]
        quote_rows: list[int] = []
        seen: set[str] = set()
        for r in best:
            normal = " ".join(texts[r].lower().split())
            if normal in seen:
                continue
            seen.add(normal)
            quote_rows.append(int(r))
            if len(quote_rows) >= quotes:
                break
        themes.append(
            ProposedTheme(
                terms=chosen,
                member_ids=[ids[r] for r in members],
                quote_ids=[ids[r] for r in quote_rows],
                quotes=[texts[r] for r in quote_rows],
            )
        )
    themes.sort(key=lambda t: -t.size)
    return ThemeResult(
        themes=themes,
        k=k,
        silhouette=silhouette,
        documents=n,
        unthemed_ids=unthemed,
        scores=scores,
        language=language,
    )
