"""The reporting-line graph and what is computed, drawn and exported from it."""

from ccosim.org.analytics import OrgStats, format_stats, org_stats
from ccosim.org.formats import read_csv_units, read_graphml, to_csv, to_dot, to_graphml, to_mermaid
from ccosim.org.graph import OrgGraph
from ccosim.org.org_diff import OrgDiff, diff_orgs, format_diff

__all__ = [
    "OrgDiff",
    "OrgGraph",
    "OrgStats",
    "diff_orgs",
    "format_diff",
    "format_stats",
    "org_stats",
    "read_csv_units",
    "read_graphml",
    "to_csv",
    "to_dot",
    "to_graphml",
    "to_mermaid",
]
