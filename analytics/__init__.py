"""The leaders' analytics in one home: heat and hexagon counts for the dashboard's maps (``maps``),
Getis-Ord Gi* hotspots with a false discovery rate (``hotspots``) and the inspection plan that sends
teams to them (``inspection``). Map tiles stay in ``tiles``."""
