"""Analysis of experiments: sensitivity indices and scenario discovery of sweeps.

(Paired effects of comparisons are computed in ``simgov.experiment.compare``.)
"""

from simgov.analysis.sweep_analysis import SweepAnalysis, analyse_sweep

__all__ = ["SweepAnalysis", "analyse_sweep"]
