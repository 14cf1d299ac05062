"""The dataset card's sections that follow the Hugging Face dataset card template (huggingface_hub's
templates/datasetcard_template.md), filled from what the pipeline knows; card.py puts them in order.
tests/test_card_template.py checks the card has every section the template lists."""

from __future__ import annotations

from typing import Any

from incident_corpus.core.labels import LABELS
from incident_corpus.core.pseudonyms import SCHEME_TEXT
from incident_corpus.export.splits import SPLITS

PROJECT = "incident-corpus"
CITATION = """\
@misc{incident_corpus,
  title        = {Incident corpus: news articles about terrorist attacks, annotated with
                  ATTACK, PERPETRATOR, CASUALTY and CLAIM spans and their relations},
  author       = {{incident-corpus contributors}},
  note         = {Dataset built with the incident-corpus pipeline (`annotate export`)},
  howpublished = {Hugging Face dataset (this repository)},
}"""


def details(total: int, license_id: str) -> str:
    return (
        "## Dataset Details\n\n### Dataset Description\n\n"
        f"- **Curated by:** the team that ran the `{PROJECT}` pipeline (Label Studio annotation project).\n"
        f"- **Language:** English (`en`). **License:** `{license_id}` (see the summary above).\n"
        f"- **Size:** {total} annotated articles.\n"
        "- **Task:** span labelling (NER-like) of attacks, perpetrators, casualties and claims, with "
        "attributes and relations that form events (`events`, `incidents` configs).\n\n"
        "### Dataset Sources\n\n"
        f"- **Pipeline:** `{PROJECT}` (`annotate push` → Label Studio → `annotate pull` → `annotate export`); "
        "the exact export command is under *How this was produced*.\n"
        "- **Articles:** the news reports pushed into the project (their `url` and `source` fields name them).")


def uses() -> str:
    return (
        "## Uses\n\n### Direct Use\n\n"
        "- Training and evaluating span taggers (`tokens` config: IOB2 `ner_tags`; spaCy corpus) for "
        f"{', '.join(LABELS)}.\n"
        "- Event and argument extraction research (`events`, `textee`), and casualty-count extraction "
        "(`incidents`).\n"
        "- Bootstrapping pre-annotation models for further annotation (`annotate train`).\n\n"
        "### Out-of-Scope Use\n\n"
        "- Deciding anything about a named person or group (guilt, risk, watch-listing, profiling): the spans "
        "mark what news reports *say*, and an accusation in the news is not a finding of guilt.\n"
        "- Casualty statistics or a database of attacks: articles were not sampled to be complete or "
        "representative, and counts are parsed from the text automatically.\n"
        "- Languages other than English, and text genres other than news reports.\n"
        "- Redistribution of the article texts beyond what their publishers' terms allow.")


def structure() -> str:
    return (
        "## Dataset Structure\n\n"
        "Configurations `spans` (default), `tokens`, `events` and `incidents`, one parquet file per split "
        f"({', '.join(SPLITS)}); the fields of each are in the YAML header (`dataset_info`) and explained "
        "under *Label set*, *Counts* and *Events and incidents*. Every row carries its `article_id` (a hash of "
        "the normalised text), and `spans` rows carry `near_duplicate_group` (use it for grouped cross-validation); "
        "`near_duplicate_groups.json` lists the groups and the checked pairs behind them.")


def curation() -> str:
    return (
        "### Curation Rationale\n\n"
        "A training corpus for extracting who attacked whom, with what toll and who claimed it, from news "
        "reports, with offsets that always index the stored text and splits that never leak one story "
        "(or a near-duplicate of it) across train and test.\n\n"
        "### Source Data\n\n#### Data Collection and Processing\n\n"
        "Articles were read from .txt/.json/.jsonl/.html files, normalised once (line endings, control "
        "characters, Unicode NFC, whitespace), stripped of trailing page boilerplate, identified by the hash of "
        "that text, and pushed one task per distinct article; near-duplicates (reprints, updates, print views, "
        "briefs) were reported at push and, by default, not pushed twice.\n\n"
        "#### Who are the source data producers?\n\n"
        "Journalists and news organisations (the `source` and `url` fields); wire stories are often reprinted "
        "by several outlets, which the near-duplicate grouping accounts for.")


def personal(annotators: int) -> str:
    return (
        "#### Who are the annotators?\n\n"
        f"{annotators} annotator(s) of the Label Studio project, following the project guideline; they are "
        "identified only by pseudonyms.\n\n"
        "#### Personal and Sensitive Information\n\n"
        "- **The texts name real people:** suspects and alleged perpetrators, victims, witnesses, officials. "
        "They are published news reports and are kept as published (names are not removed or replaced: "
        "the PERPETRATOR and CASUALTY spans are the point of the corpus). Victims' names and injuries are "
        "sensitive; treat the data accordingly and honour removal requests.\n"
        f"- **Pseudonymised fields:** `annotator` (`ann-…`, scheme {SCHEME_TEXT}). Annotator e-mail addresses "
        "and Label Studio user ids are never exported.\n"
        "- **Sensitive subject matter:** violence, deaths and injuries; group names that may be designated "
        "terrorist organisations.")


def bias(audit: dict[str, Any] | None, near: dict[str, Any] | None) -> str:
    anchoring = "No pre-annotation audit was available for this export."
    if audit and audit.get("annotations_compared"):
        total = audit["overall"]["total"]
        anchoring = (f"Pre-annotation audit (anchoring): of {total.get('predicted')} suggested spans, annotators "
                     f"kept {_pct(total.get('kept_share'))} unchanged, changed {_pct(total.get('changed_share'))} "
                     f"and deleted {_pct(total.get('deleted_share'))}, and added {total.get('added')} spans "
                     "nobody suggested (details under *Pre-annotation audit*).")
    grouped = ""
    if near:
        grouped = (f" {near['articles_in_near_duplicate_groups']} articles are near-duplicates of another "
                   f"({near['near_duplicate_groups']} groups), kept in one split each.")
    return (
        "## Bias, Risks, and Limitations\n\n"
        "- **Sources:** English-language outlets only; coverage and framing follow the publishers (attacks in "
        "some regions and against some victims are reported more, and perpetrators are named as the press "
        "names them)." + grouped + "\n"
        "- **Pre-annotation:** annotators corrected rule/model suggestions, which can anchor them to the "
        f"suggested spans and boundaries. {anchoring}\n"
        "- **Counts** are parsed automatically from span text and can be wrong or missing.\n\n"
        "### Recommendations\n\n"
        "Report results per split as exported (splits respect near-duplicate groups); do not use the data to "
        "make decisions about individuals; compare the agreement figures before trusting fine-grained "
        "attributes; check publishers' terms before redistributing texts.")


def citation() -> str:
    return "## Citation\n\n**BibTeX:**\n\n```bibtex\n" + CITATION + "\n```"


def tail() -> str:
    return (
        "## Glossary\n\n"
        "- **Near-duplicate:** two articles whose 4-word-shingle Jaccard similarity (or the containment of the "
        "shorter in the longer) reaches the threshold: a reprint, an updated version, a print view, a brief.\n"
        "- **Ground truth:** the annotation a reviewer marked as the reference in Label Studio.\n\n"
        "## More Information\n\n"
        "`near_duplicate_groups.json` lists the groups and the checked pairs behind them; `report.json`, "
        "`agreement.json` and `audit.json` beside the pulled annotations hold the full quality figures.\n\n"
        "## Dataset Card Authors\n\n"
        f"Generated by `{PROJECT}`'s `annotate export` from the data it wrote; edit only by re-exporting.\n\n"
        "## Dataset Card Contact\n\n"
        "The maintainers of the annotation project that produced this export.")


def near_duplicates(near: dict[str, Any] | None) -> str:
    """The near-duplicate figures: how many groups, their sizes, and that the splits respect them."""
    if not near:
        return "### Near-duplicate groups\n\nNot computed for this export."
    sizes = ", ".join(f"{n} of size {k}" for k, n in near["group_sizes"].items()) or "none"
    return (
        "### Near-duplicate groups\n\n"
        f"{near['articles']} articles form {near['groups']} groups: {near['near_duplicate_groups']} groups of "
        f"near-duplicates ({sizes}; {near['articles_in_near_duplicate_groups']} articles) and the rest alone. "
        f"Two articles are in one group when their 4-word-shingle Jaccard similarity, or the share of the "
        f"shorter one's shingles inside the longer one, is at least {near['threshold']:g} (MinHash/LSH "
        "candidates, every pair checked exactly), transitively. **Splits are made by group**, so no group spans "
        f"two splits (groups across splits: {near.get('groups_across_splits', 0)}).")


def _pct(x: Any) -> str:
    return "n/a" if x is None else f"{100 * float(x):.0f} %"
