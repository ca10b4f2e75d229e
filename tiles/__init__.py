"""Maps from PostGIS: Mapbox Vector Tiles (``mvt``), the aggregates behind the leaders' maps
(``aggregates``), low-zoom tiles from the kept cells (``kept``), compact point lists (``points``) and
the inspection plan (``inspection``). The Z-order tile key is ``geo.tile_key``."""
