"""Write src/incident_corpus/preannotate/patterns/casing.txt.gz, the table `preannotate/recase.py` uses to
give text in capitals (old wire copy, shouted headlines) the casing the rules read.

Source: the English lexeme probabilities of spaCy's `spacy-lookups-data` (MIT; `en_lexeme_prob`, log
probabilities of cased word forms in a large English corpus). For every word seen often enough (a form at
or above THRESHOLD), the table keeps the casing it is usually written in, when that is not title case:
`l` (lower case: *attack*, *market*) or `U` (capitals: *FBI*, *PKK*). A word the table does not hold is
read as a name (title case), which is what a rare word in old wire copy usually is (*Cristiani*).

    pip download --no-deps spacy-lookups-data==1.0.5 -d /tmp/lookups
    python scripts/make_casing_table.py /tmp/lookups/spacy_lookups_data-1.0.5-py2.py3-none-any.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import zipfile
from pathlib import Path

THRESHOLD = -17.0  # natural log probability: about one word in 24 million
MEMBER = "spacy_lookups_data/data/en_lexeme_prob.json.gz"
OUT = Path(__file__).resolve().parents[1] / "src/incident_corpus/preannotate/patterns/casing.txt.gz"


def _form(word: str) -> str | None:
    if word.islower():
        return "l"
    if word.isupper() and len(word) > 1:
        return "U"
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return "T"
    return None  # mixed case (McVeigh, iPhone): no rule of thumb to restore


def table(probs: dict[str, float]) -> dict[str, str]:
    """lower-cased word -> its usual form ("l" or "U"); title-case words are left out (the default)."""
    best: dict[str, dict[str, float]] = {}
    for word, logprob in probs.items():
        if logprob < THRESHOLD or not word.replace("'", "").replace("-", "").isalpha():
            continue
        form = _form(word)
        if form is None:
            continue
        forms = best.setdefault(word.lower(), {})
        forms[form] = max(logprob, forms.get(form, float("-inf")))
    chosen = {key: max(forms, key=forms.__getitem__) for key, forms in best.items()}
    return {key: form for key, form in sorted(chosen.items()) if form != "T"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="the spacy-lookups-data wheel (pip download)")
    args = parser.parse_args()
    with zipfile.ZipFile(args.wheel) as wheel:
        probs = json.loads(gzip.decompress(wheel.read(MEMBER)))
    rows = table(probs)
    body = io.StringIO()
    body.write(f"# word\tform (l: lower case, U: capitals); from spacy-lookups-data en_lexeme_prob >= {THRESHOLD}\n")
    for word, form in rows.items():
        body.write(f"{word}\t{form}\n")
    # mtime=0: the same table gives the same bytes
    OUT.write_bytes(gzip.compress(body.getvalue().encode("utf-8"), mtime=0))
    print(f"{OUT}: {len(rows)} words")


if __name__ == "__main__":
    main()
