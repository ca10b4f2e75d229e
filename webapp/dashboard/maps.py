"""Folium maps for the dashboard, with every asset served by the app (no CDN at run time)."""
import folium
from flask import url_for
from folium.plugins import HeatMap

HUE_CENTRE = (16.40, 107.55)


def _local(filename: str) -> str:
    return url_for("static", filename=filename)


def local_map(**kwargs) -> folium.Map:
    """A Folium map whose JS/CSS come from /static (Leaflet only: no jQuery, Bootstrap or fonts)."""
    m = folium.Map(location=HUE_CENTRE, zoom_start=10, tiles=None, control_scale=True, **kwargs)
    m.default_js = [("leaflet", _local("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", _local("vendor/leaflet/leaflet.css"))]
    return m


def heat_map(cells: list[list[float]], wards_geojson: dict) -> str:
    m = local_map()
    folium.GeoJson(wards_geojson, style_function=lambda f: {"color": "#0b5394", "weight": 1, "fillOpacity": 0},
                   tooltip=folium.GeoJsonTooltip(["name"])).add_to(m)
    if cells:
        heat = HeatMap(cells, radius=14, blur=18, min_opacity=0.3, max_zoom=15)
        heat.default_js = [("leaflet-heat.js", _local("vendor/leaflet.heat/leaflet-heat.js"))]
        heat.add_to(m)
    return m.get_root().render()


def choropleth(wards_geojson: dict, values: dict[str, float | None], label: str) -> str:
    """Wards coloured by ``values`` (code → number, None when the sample is too small: grey)."""
    known = [v for v in values.values() if v is not None]
    top = max(known) if known else 1.0
    palette = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]

    def style(feature):
        value = values.get(feature["properties"]["code"])
        if value is None:
            return {"fillColor": "#cccccc", "color": "#555", "weight": 1, "fillOpacity": 0.5}
        step = min(int(value / top * (len(palette) - 1) + 0.5), len(palette) - 1) if top else 0
        return {"fillColor": palette[step], "color": "#555", "weight": 1, "fillOpacity": 0.75}

    for feature in wards_geojson["features"]:
        value = values.get(feature["properties"]["code"])
        feature["properties"]["value"] = "—" if value is None else f"{value:.2f}"
    m = local_map()
    folium.GeoJson(wards_geojson, style_function=style,
                   tooltip=folium.GeoJsonTooltip(["name", "value"], aliases=["", label])).add_to(m)
    return m.get_root().render()
