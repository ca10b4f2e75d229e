"""Maps from PostGIS: Mapbox Vector Tiles (``mvt``), low-zoom tiles from the kept cells (``kept``) and
compact point lists (``points``). The Z-order tile key is ``geo.tile_key``; the leaders' heat,
hexagon counts, hotspots and inspection plan are ``analytics``."""
