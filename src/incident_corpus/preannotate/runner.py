"""Runs the rule-based pre-annotation (incident-rules-18): the Label Studio "predictions" that annotators correct.

Rules, not a model, so that suggestions are identical on every machine and cheap enough to run
over every pushed article. The pipeline is the project's blank English tokenizer plus one rule
component (`rules.IncidentRules`: one PhraseMatcher over the patterns in `patterns/*.jsonl`,
small walks around each anchor, one module per label), so token boundaries match the exports.
This module runs it, shares a large input with a worker process, and turns the candidates into
records: overlaps resolved by the policy the exports use (core/overlap.py), same-sentence
relations, char offsets into the caller's text, a score per span.
Extents and attributes follow `schema/guideline.md`; precision comes before recall, because a
wrong suggestion costs an annotator more than a missing one.
"""

from __future__ import annotations

import bisect
import collections
import operator
import pickle
import sys
from collections.abc import Iterable, Iterator, Sized
from concurrent.futures import Future
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from incident_corpus.core import scoring
from incident_corpus.core.batches import batches
from incident_corpus.core.cpu import free_cpus, spare_cpus, usable_cpus
from incident_corpus.core.gcpasses import FewerGcPasses, gc_paused
from incident_corpus.core.labels import RELATION_BY_PAIR
from incident_corpus.core.nlp import new_blank
from incident_corpus.core.overlap import Contender, keep_non_overlapping
from incident_corpus.preannotate.recase import recase
from incident_corpus.preannotate.rules import component
from incident_corpus.preannotate.rules.context import Candidate, DocContext, Proposals
from incident_corpus.preannotate.surface import squeeze

__all__ = ["RULESET_VERSION", "Preannotator", "score_spans"]

RULESET_VERSION = "incident-rules-18"

_RELATIONS_FROM: dict[str, list[tuple[str, str]]] = {}
for (_from, _to), _rel in RELATION_BY_PAIR.items():
    _RELATIONS_FROM.setdefault(_from, []).append((_to, _rel))
_TOKEN_RANGE = operator.itemgetter(0, 1)


def _resolve(ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
    """A non-overlapping subset by the shared overlap policy (longer, then label priority, then score).

    Only clusters of overlapping candidates go through the policy; a candidate that overlaps
    nothing is kept as it is.
    """
    kept: list[Candidate] = []
    cluster: list[Candidate] = []
    cluster_end = -1
    for c in sorted(cands, key=_TOKEN_RANGE):
        if c.start < cluster_end:
            cluster.append(c)
            if c.end > cluster_end:
                cluster_end = c.end
            continue
        if len(cluster) == 1:
            kept.append(cluster[0])
        elif cluster:
            _keep_cluster(cluster, ctx, kept)
        cluster = [c]
        cluster_end = c.end
    if len(cluster) == 1:
        kept.append(cluster[0])
    elif cluster:
        _keep_cluster(cluster, ctx, kept)
    return kept


def _keep_cluster(cluster: list[Candidate], ctx: DocContext, kept: list[Candidate]) -> None:
    starts = ctx.starts
    contenders = [Contender(c.start, c.end, starts.item(c.start), ctx.end_char(c.end - 1), c.label, c.score)
                  for c in cluster]
    kept.extend(cluster[i] for i in keep_non_overlapping(contenders, ctx.n))


def _relations(spans: list[dict[str, Any]], sents: list[int]) -> list[dict[str, str]]:
    """Same-sentence proposals: link X to Y only when the sentence has exactly one Y."""
    by_sent: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for span, sent in zip(spans, sents, strict=True):
        by_sent.setdefault((sent, span["label"]), []).append(span)
    rels = []
    for span, sent in zip(spans, sents, strict=True):
        for to_label, rel_type in _RELATIONS_FROM.get(span["label"], ()):
            targets = by_sent.get((sent, to_label))
            if targets is not None and len(targets) == 1:
                rels.append({"from_id": span["id"], "to_id": targets[0]["id"], "type": rel_type})
    return rels


class Preannotator:
    """Builds the rule pipeline once; turns article texts into span records and relations.

    With `model` (a spaCy pipeline with NER), its PERSON/ORG entities in a perpetrator role
    are added as PERPETRATOR candidates (see ner.py).
    """

    def __init__(self, *, model: str | None = None) -> None:
        self.nlp = new_blank(lexeme_attrs=component.LEXEME_ATTRS)
        self.nlp.add_pipe(component.COMPONENT)
        rules = self.nlp.get_pipe(component.COMPONENT)
        assert isinstance(rules, component.IncidentRules)  # spaCy types get_pipe as any callable
        self.rules = rules
        self.model_name = model
        self.model: Language | None = None
        if model is not None:
            from incident_corpus.preannotate.ner import load_model

            self.model = load_model(model)

    def annotate(self, text: str) -> dict[str, Any]:
        """Pre-annotate one text; see `annotate_many`."""
        return next(self.annotate_many([text]))

    def annotate_many(self, texts: Iterable[str], *, batch_size: int = 64,
                      workers: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield {"spans", "relations", "score"} per text, in input order (streams with nlp.pipe).

        A list of at least PARALLEL_MIN_TEXTS texts is shared with one worker process when a CPU
        is spare (`workers=None`); `workers=0` keeps everything in this process, `workers=N`
        forces N workers. The results are the same either way (the worker runs these rules).
        """
        if self.model is not None:
            yield from self._annotate_with_model(texts, batch_size)
            return
        workers = workers_for(texts, workers)
        if workers < 1:
            yield from self._annotate_here(texts, batch_size)
        else:
            yield from self._annotate_shared(texts, batch_size, workers)

    def _annotate_here(self, texts: Iterable[str], batch_size: int) -> Iterator[dict[str, Any]]:
        # as_tuples hands the original string back with each doc: Doc.text would rebuild it. The rules read
        # the text with runs of spaces squeezed (surface.py); `where` maps their offsets back.
        pairs = (_squeezed(text) for text in texts)
        for doc, (text, where) in self.nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
            yield self._finish(doc, text, (), where)

    def _annotate_shared(self, texts: Iterable[str], batch_size: int, workers: int) -> Iterator[dict[str, Any]]:
        """Chunks go to the worker(s) while this process annotates the chunks between them, in order.

        Each worker keeps two chunks queued so it never waits for this process.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = _start_method()
        # A forked worker inherits these rules (not pickled); a spawned one builds its own.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_init_worker, initargs=(self if method == "fork" else None,))
        pending: collections.deque[Future[bytes] | list[dict[str, Any]]] = collections.deque()
        try:
            for chunk in batches(texts, PARALLEL_CHUNK, small_tail=TAIL_CHUNKS):
                while pending and (isinstance(pending[0], list) or pending[0].done()):
                    yield from _take(pending.popleft())
                queued = sum(1 for p in pending if not isinstance(p, list) and not p.done())
                if queued < 2 * workers:
                    pending.append(pool.submit(_annotate_in_worker, chunk))
                else:
                    pending.append(list(self._annotate_here(chunk, batch_size)))
                while len(pending) > MAX_PENDING_CHUNKS:
                    yield from _take(pending.popleft())  # bounded memory while the first job waits
            while pending:
                yield from _take(pending.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _annotate_with_model(self, texts: Iterable[str], batch_size: int) -> Iterator[dict[str, Any]]:
        for batch in batches(texts, batch_size):
            yield from self._finish_batch(batch, batch_size)

    def _finish_batch(self, batch: list[str], batch_size: int) -> Iterator[dict[str, Any]]:
        from incident_corpus.preannotate.ner import entity_offsets

        assert self.model is not None
        docs = self.nlp.pipe(map(recase, batch), batch_size=batch_size)  # same length: the model's offsets hold
        model_docs = self.model.pipe(batch, batch_size=batch_size)
        for text, doc, mdoc in zip(batch, docs, model_docs, strict=True):
            yield self._finish(doc, text, entity_offsets(mdoc))

    def _finish(self, doc: Doc, text: str, model_ents: Iterable[tuple[int, int, str]],
                where: list[int] | None = None) -> dict[str, Any]:
        found: Proposals = doc.user_data.pop(component.USER_KEY)
        cands, ctx = found.candidates, found.context
        if model_ents:
            from incident_corpus.preannotate.ner import model_candidates

            cands = cands + model_candidates(self.rules.words, ctx, doc, model_ents)
        chosen = _resolve(ctx, cands)
        spans: list[dict[str, Any]] = []
        sents: list[int] = []
        starts, end_char, sent_ends, sent_of = ctx.starts, ctx.end_char, ctx.sent_ends, bisect.bisect_left
        for k, (start, end, label, attrs, conf) in enumerate(chosen, 1):
            start_char = starts.item(start)  # a Python int, without a numpy scalar on the way
            stop_char = end_char(end - 1)
            if where is not None:  # offsets into the squeezed text -> the caller's
                start_char, stop_char = where[start_char], where[stop_char - 1] + 1
            spans.append({"id": f"p{k}", "start": start_char, "end": stop_char, "label": label,
                          "text": text[start_char:stop_char], "attributes": dict(attrs), "score": conf})
            sents.append(sent_of(sent_ends, start))
        score = sum(c.score for c in chosen) / len(chosen) if chosen else 0.0
        return {"spans": spans, "relations": _relations(spans, sents), "score": round(score, 4)}


def _squeezed(text: str) -> tuple[str, tuple[str, list[int] | None]]:
    """What the rules read (runs of spaces squeezed, lines in capitals recased), and what maps it back."""
    squeezed, where = squeeze(text)
    return recase(squeezed), (text, where)


# ---------------------------------------------------------------------------------------------
# Sharing a large input with a worker process (the rules alone, no model).

PARALLEL_MIN_TEXTS = 1000  # below this a worker's start-up (~1 s of imports and rule set-up) does not pay
PARALLEL_CHUNK = 256  # texts per job: large enough that pickling is noise, small enough to balance
MAX_WORKERS = 1
MAX_PENDING_CHUNKS = 8
TAIL_CHUNKS = 3  # the last this many chunks' worth of a list goes in quarter chunks (core/batches.py)

_worker_pre: Preannotator | None = None
_WORKER_GC = FewerGcPasses()


def _spare_cpus() -> int:
    """CPUs a worker may take now (core/cpu.py: measured, not guessed)."""
    cpus = usable_cpus()
    return spare_cpus(cpus, free_cpus(cpus))


def workers_for(texts: Iterable[str], workers: int | None) -> int:
    """Worker processes for this input: as asked, else one for a large list when a CPU is spare."""
    if workers is not None:
        return workers
    big = isinstance(texts, Sized) and len(texts) >= PARALLEL_MIN_TEXTS
    return min(MAX_WORKERS, _spare_cpus()) if big else 0


def _start_method() -> str:
    """fork on Linux while this process has no other thread, else spawn.

    A forked worker starts at once with the rules already built in its copy-on-write memory, but
    it would inherit another thread's locks in whatever state they were (push lists a large
    project's tasks in a thread meanwhile), and macOS frameworks do not survive a fork; a spawned
    one imports spaCy and builds the rules (about a second) while this process already works.
    """
    import threading

    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"


def _init_worker(pre: Preannotator | None) -> None:
    """Worker start: the rules, then the cyclic GC off what they hold and make (core/gcpasses.py).

    The worker lives for one `annotate_many` call, so nothing needs restoring.
    """
    global _worker_pre
    _worker_pre = pre if pre is not None else Preannotator()
    _WORKER_GC.start()


def _annotate_in_worker(texts: list[str]) -> bytes:
    """The chunk's records, pickled here so that the other process unpickles them with its GC paused
    (`_take`): the executor would unpickle them in its own thread, GC on."""
    assert _worker_pre is not None
    _WORKER_GC.tick(len(texts))
    return pickle.dumps(list(_worker_pre.annotate_many(texts, workers=0)), protocol=pickle.HIGHEST_PROTOCOL)


def _take(job: Future[bytes] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(job, list):
        return job
    data = job.result()
    with gc_paused():
        records: list[dict[str, Any]] = pickle.loads(data)
    return records


# ---------------------------------------------------------------------------------------------
# Scoring against a gold set (used by the benchmarks and the tests).

def score_spans(gold: Iterable[Iterable[dict[str, Any]]], pred: Iterable[Iterable[dict[str, Any]]]
                ) -> dict[str, dict[str, dict[str, Any]]]:
    """Precision/recall/F1 per label and micro overall, for exact and overlap matching (scoring.py)."""
    pairs = (([(g["start"], g["end"], g["label"]) for g in g_spans],
              [(p["start"], p["end"], p["label"]) for p in p_spans])
             for g_spans, p_spans in zip(gold, pred, strict=True))
    return {mode: {label: s.as_dict() for label, s in per.items()} for mode, per in scoring.score_spans(pairs).items()}
