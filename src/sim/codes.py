"""The shared vocabulary: routes, relations, kinds of person, statuses, outcomes, flows and measures.

Integers index numpy arrays on the hot path; the names are what files and people see.
"""

from __future__ import annotations

__all__ = [
    "ROUTES", "ASYLUM", "NAREIS", "ART8",
    "RELATIONS", "SPOUSE_PARTNER", "MINOR_CHILD", "ADULT_CHILD", "PARENT", "SIBLING", "OTHER", "NO_RELATION",
    "KINDS", "K_ADULT", "K_AMV", "K_PARTNER", "K_CHILD", "K_YOUNG_ADULT", "K_PARENT", "K_SEP_PARENT", "K_LEAF",
    "STATUSES", "NO_STATUS", "STATUS_A", "STATUS_B",
    "OUTCOMES", "PENDING", "GRANTED", "REFUSED",
    "REASONS", "FLOWS", "MEASURES", "COHORT_OUTCOMES",
]

# Routes of an application (and the route by which a person entered).
ROUTES = ("asylum", "nareis", "art8")
ASYLUM, NAREIS, ART8 = 0, 1, 2

# The family member's relation to the sponsor of the application.
RELATIONS = ("spouse_partner", "minor_child", "adult_child", "parent", "sibling", "other")
SPOUSE_PARTNER, MINOR_CHILD, ADULT_CHILD, PARENT, SIBLING, OTHER = range(6)
NO_RELATION = -1  # a first asylum applicant came through nobody

# Kinds of person in the potential family tree: what family of their own they can have abroad.
KINDS = ("adult", "amv", "partner", "child", "young_adult", "parent", "separated_parent", "leaf")
K_ADULT, K_AMV, K_PARTNER, K_CHILD, K_YOUNG_ADULT, K_PARENT, K_SEP_PARENT, K_LEAF = range(8)

# The sponsor's independent asylum status when the application is filed.
STATUSES = ("none", "A", "B")
NO_STATUS, STATUS_A, STATUS_B = 0, 1, 2

OUTCOMES = ("pending", "granted", "refused")
PENDING, GRANTED, REFUSED = 0, 1, 2

# Why an application ended as it did (recorded per application; see docs/results.md).
REASONS = (
    "none",            # pending, or granted
    "not_granted",     # refused on the merits (the grant draw)
    "claim_detected",  # the identifying interview found the claim does not hold
    "outside_circle",  # a pending application outside the nareis circle after a rule change
    "conditions",      # income and housing conditions not met
    "interview",       # a genuine family member refused after a stricter interview (false refusal)
    "sponsor_withdrawn",  # the sponsor's derived permit was withdrawn and they lost residence
)

# The ten flows of DESIGN.md section 4, in output order.
FLOWS = (
    "asylum_first",
    "asylum_family",
    "nareis",
    "art8",
    "amv_sibling_nareis",
    "amv_sibling_art8",
    "nareis_on_nareis",
    "art8_after_nareis",
    "nareis_after_art8",
    "art8_after_art8",
)
MEASURES = ("applications", "grants", "refusals", "arrivals", "pending", "withdrawals")
COHORT_OUTCOMES = ("applications", "grants", "refusals", "pending")
