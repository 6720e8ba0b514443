"""The company's functions (customer success, support, sales...) and their groups, declared once.

A unit of the org does one :class:`Function`. The engine, the KPI catalogue (one cost KPI per
function), the reports and the readiness check all read the list and its groups from here:

- :data:`CUSTOMER_FACING`: the customer journey, in journey order (hand-off distances);
- :data:`POST_SALES`: what a customer organisation can own (the reports' post-sales cost);
- :data:`POST_SALE_CORE`: the post-sale functions one customer executive would own (mark-cco);
- :data:`DELIVERY`: the functions whose cost is cost of revenue.

Groups list their members in the enum's order unless their docstring gives a reason.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "CUSTOMER_FACING",
    "DELIVERY",
    "POST_SALES",
    "POST_SALE_CORE",
    "Function",
    "function_label",
]


class Function(str, Enum):
    """What a unit does. Customer-facing functions drive the engine; others are cost and span."""

    executive = "executive"
    customer_success = "customer_success"
    support = "support"
    onboarding = "onboarding"
    training = "training"
    professional_services = "professional_services"
    renewals = "renewals"
    customer_marketing = "customer_marketing"
    sales_consulting = "sales_consulting"
    new_business_sales = "new_business_sales"
    marketing = "marketing"
    product = "product"
    engineering = "engineering"
    operations = "operations"
    finance = "finance"
    people = "people"
    other = "other"
    # Last, so the codes (and the order costs are summed in) of the others stay as they were.
    customer_experience = "customer_experience"


#: Functions that touch the customer journey; hand-off distances are reported between these.
#: In journey order (sale, onboarding, adoption, renewal), not the enum's.
CUSTOMER_FACING: tuple[Function, ...] = (
    Function.new_business_sales,
    Function.sales_consulting,
    Function.onboarding,
    Function.training,
    Function.professional_services,
    Function.customer_success,
    Function.support,
    Function.renewals,
    Function.customer_marketing,
)

#: The functions a customer organisation can own: every customer-facing function but
#: new-business sales (the reports' post-sales cost and ownership changes), in enum order.
POST_SALES: tuple[Function, ...] = tuple(
    f for f in Function if f in CUSTOMER_FACING and f is not Function.new_business_sales
)

#: The post-sale functions one customer executive would own (the readiness check's count of
#: post-sale owners, after mark-cco), in enum order.
POST_SALE_CORE: tuple[Function, ...] = tuple(
    f for f in POST_SALES if f not in (Function.customer_marketing, Function.sales_consulting)
)

#: Functions whose cost is cost of revenue (delivery). In the order their costs are summed,
#: which floating-point results depend on: keep it.
DELIVERY: tuple[Function, ...] = (
    Function.support,
    Function.onboarding,
    Function.professional_services,
    Function.training,
)


def function_label(function: str) -> str:
    """A function's name as words for tables and charts (``professional services``).

    Raises:
        ValueError: ``function`` is not a function's name.
    """
    return Function(function).value.replace("_", " ")
