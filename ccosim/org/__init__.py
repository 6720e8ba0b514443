"""The reporting-line model: the org graph, its statistics, people in it, and org diffs.

Drawing lives in :mod:`ccosim.charting`, files (HRIS import, exports) in :mod:`ccosim.io`.
"""

from ccosim.org.analytics import OrgStats, format_stats, org_stats
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
]
