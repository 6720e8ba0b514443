"""One colour per function, shared by every chart ccosim draws (org charts and reports).

Customer-facing functions get distinct, colour-blind-safe hues (Okabe-Ito and Tol); the
functions a CCO does not own are muted greys and pastels so the customer org stands out.
"""

from __future__ import annotations

__all__ = ["FUNCTION_COLORS", "function_color", "text_color_on"]

FUNCTION_COLORS: dict[str, str] = {
    "executive": "#4D4D4D",
    "customer_success": "#0072B2",
    "support": "#56B4E9",
    "onboarding": "#009E73",
    "training": "#F0E442",
    "professional_services": "#E69F00",
    "renewals": "#D55E00",
    "customer_marketing": "#CC79A7",
    "sales_consulting": "#882255",
    "new_business_sales": "#AA4499",
    "marketing": "#DDCC77",
    "product": "#88CCEE",
    "engineering": "#BBBBBB",
    "operations": "#999933",
    "finance": "#CCCCCC",
    "people": "#DDDDDD",
    "other": "#EEEEEE",
    "customer_experience": "#44AA99",
}


def function_color(function: str) -> str:
    """The colour of a function (``other``'s for an unknown name)."""
    return FUNCTION_COLORS.get(function, FUNCTION_COLORS["other"])


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (a ``#RRGGBB`` colour)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.5 else "#FFFFFF"
