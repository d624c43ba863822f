"""Synthetic cases for demonstrations and benchmarks: realistic, reproducible from a seed, fast.

`generate_specs(pools=..., count=..., seed=...)` (generation.py) composes cases from UK
public-service vocabulary (vocabulary.py: themes such as council tax, waste collection, social
care, housing repairs, planning, parking, libraries and school admissions; approaches and
technologies; problems, results, what did not work). Word choices are drawn with Zipf-like
weights, and section lengths have a long tail, so the text looks like real cases to a search
engine: a few very common words, many rare ones, short and long records. Codes are real codes
from the code lists and leads are real organisations from the registry (`Pools.load()` reads
both); the same pools and seed always give the same cases.

`write_cases(specs)` (writing.py) bulk-creates the rows and their search documents, a batch per
transaction, so 100,000 cases take minutes. Synthetic cases get no revisions (nobody wrote them,
and history would only double the rows); every one is marked in its provenance
(`PROVENANCE_KEY`), its source catalogue and its slug prefix, so `remove_synthetic_cases()` can
take them all out again.
"""

from kitbag.cases.synthetic.generation import (
    PROVENANCE_KEY,
    SLUG_PREFIX,
    CaseSpec,
    Pools,
    generate_specs,
)
from kitbag.cases.synthetic.writing import (
    real_written_cases,
    remove_synthetic_cases,
    synthetic_cases,
    write_cases,
)

__all__ = [
    "PROVENANCE_KEY",
    "SLUG_PREFIX",
    "CaseSpec",
    "Pools",
    "generate_specs",
    "real_written_cases",
    "remove_synthetic_cases",
    "synthetic_cases",
    "write_cases",
]
