"""Linking the levels (``IMPLEMENTS``, ``DERIVED_FROM``, ``CONTINUES``): :func:`link` is the entry point.

One module a job, bottom up: :mod:`.text` (a task's n-grams and named objects), :mod:`.features` (the
IDF table and each document's arrays), :mod:`.scoring` (a document pair's score matrices),
:mod:`.evidence` (shared spans, kinds, review hashes), :mod:`.choose` (a pair's links), :mod:`.documents`
(document parents), :mod:`.years`, :mod:`.confirmed` (reviews applied), :mod:`.runner` (the workers).
"""
from .choose import DEFAULT_THRESHOLD
from .confirmed import apply_reviews, reuse_reviews
from .documents import link_documents, title_core
from .evidence import evidence_spans, review_hash
from .features import IDF_TABLE, fixed_idf, write_idf_table
from .runner import LINK_WORKERS, PARALLEL_MIN_TASKS, link, link_tasks
from .scoring import DEFAULT_METHODS, METHODS, PRESETS, similarity
from .text import named_objects
from .years import link_years

# the lookup keys of link_documents, which cascade.incremental computes once per document
from .documents import docno_key, document_rank, is_national, region_chain
from .years import issuer_key

__all__ = ["link", "link_documents", "link_tasks", "link_years", "apply_reviews", "reuse_reviews",
           "similarity", "evidence_spans", "named_objects", "review_hash", "title_core",
           "fixed_idf", "write_idf_table", "IDF_TABLE", "METHODS", "PRESETS", "DEFAULT_METHODS",
           "DEFAULT_THRESHOLD", "LINK_WORKERS", "PARALLEL_MIN_TASKS",
           "docno_key", "document_rank", "is_national", "region_chain", "issuer_key"]
