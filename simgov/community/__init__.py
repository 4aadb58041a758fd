"""Community synthesis and state: residents, households, buildings, grids, the network."""

from simgov.community.feasibility import check_feasible
from simgov.community.memory import check_memory, estimate_bytes
from simgov.community.network import build_network
from simgov.community.population import synthesize_residents
from simgov.community.state import (
                                    NEED_TYPES,
                                    TIE_KINDS,
                                    CommunityState,
                                    DisputeBook,
                                    Ledger,
                                    Residents,
                                    SocialNetwork,
)

__all__ = ["NEED_TYPES", "TIE_KINDS", "CommunityState", "DisputeBook", "Ledger", "Residents",
           "SocialNetwork", "build_network", "check_feasible", "check_memory", "estimate_bytes", "synthesize_residents"]
