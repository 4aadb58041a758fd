"""Adapters: simgov as a model of other tools' frameworks (EMA Workbench: simgov.adapters.ema).

Beside the experiment layer: an adapter runs simgov through ``simulate`` and the scenario's
path language, and imports its tool only when used (the tool is an optional extra).
"""
