"""Uncertainty: priors over the parameters (priors), draws from them or from a posterior
(draws), and comparisons and decisions under them (comparison, decision, output).

Between the experiment layer (runs) and the analysis layer (what they mean): nothing here is
imported by the model, the mechanisms or the policies, except the prior constructors that
parameter declarations use (simgov.uncertainty.priors).
"""

from simgov.uncertainty.priors import Entry, Prior, priors, table

__all__ = ["Entry", "Prior", "priors", "table"]
