"""The förbund file: one förbund described in YAML, loaded and dumped.

    load_forbund_file(path_or_text, replace=False) -> Forbund
    dump_forbund(forbund) -> str
    parse(text) -> dict   (checked, clean data; no database)
    normalize(data) -> dict   (a budget without blocks as the blocks it prints as)

The format is documented in docs/forbundsfil.md; budget/demo/ holds three examples.
"""

from .dump import dump_forbund
from .load import delete_forbund, load_forbund_file, summary
from .schema import ForbundsfilError, normalize, parse

__all__ = [
    "ForbundsfilError",
    "delete_forbund",
    "dump_forbund",
    "load_forbund_file",
    "normalize",
    "parse",
    "summary",
]
