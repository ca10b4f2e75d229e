"""Maps from PostGIS: Mapbox Vector Tiles (``mvt``), the Z-order tile key (``tile_key``), the
aggregates behind the leaders' maps (``aggregates``) and compact point lists (``points``)."""
