"""The teaching demo (``simgov demo``): a browser app that shows the model's mechanisms to a class.

- ``levers``: the policy panel's settings (a switch and a main slider per policy type) and how
  they become policies that act from the current week;
- ``model``: ``DemoModel``, a ``CommunityModel`` that Mesa's controller can reset and that
  takes the panel's settings mid-run;
- ``drawing``: the community's network and the live plots, drawn with matplotlib;
- ``info``: the NetLogo-style info text, in English and Chinese;
- ``app``: the Solara page (built on Mesa's SolaraViz controller);
- ``server``: checks the optional ``demo`` extra and starts Solara's server offline.

Only ``app`` and ``server`` need the ``demo`` extra (Solara); the rest runs on the core install.
"""
