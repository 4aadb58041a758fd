"""Fused kernels: hot loops compiled with numba, each beside its numpy reference.

Why numba: at a community's size (a few thousand residents) a week is bound by the number
of numpy calls, not by arithmetic: a keyed draw over a mask is five or more passes (the
mask's indices, the key conversion, splitmix64's steps, the conversion to a float, the
comparison), each allocating a temporary; one compiled loop does it in one pass and
allocates only its result. numba is a maintained LLVM compiler for numpy loops;
``cache=True`` keeps the compiled code on disk beside the module, so only the first process
of a machine pays the compile (about a second per kernel).

- :mod:`simgov.kernels.draws`: keyed uniforms and keyed selections (simgov.streams), Poisson
  quantiles by summed terms;
- :mod:`simgov.kernels.network`: passes over the tie network's CSR arrays (influence's
  averaging of two attributes and their update) and the merge of new ties into them;
- :mod:`simgov.kernels.participation`: joining and leaving over the friendly ties, and the
  volunteers' recruitment, quitting and fatigue, each in one pass;
- :mod:`simgov.kernels.outreach`: self-report and referral over the holders' own ties, routine
  visits, and the bookkeeping of a found need;
- :mod:`simgov.kernels.events`: the hazards of disputes on ties and of new needs;
- :mod:`simgov.kernels.residents`: reductions over the residents' need matrices.

Every kernel equals its numpy reference (bit for bit where the arithmetic is the same
sequence of IEEE operations, else within 1e-12): tests/test_kernels.py. Kernels take CSR
column indices unsigned (``network.unsigned``): numba checks a signed index for Python's
negative wrap-around on every access.
"""

from simgov.kernels.draws import keyed_uniform, select_array, select_scalar
from simgov.kernels.threads import set_threads, threads_for

__all__ = ["keyed_uniform", "select_array", "select_scalar", "set_threads", "threads_for"]

