"""Folium maps for the dashboard, with every asset served by the app (no CDN at run time).

Folium (with requests and branca) is imported when a leader's map is first drawn, not when a web
worker starts: most workers never draw one, and it costs each ~8 MiB of memory (bench/http.py)."""
from html import escape
from typing import TYPE_CHECKING

from flask import url_for
from flask_babel import gettext as _

if TYPE_CHECKING:
    import folium

HUE_CENTRE = (16.40, 107.55)
PALETTE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]
# The heat layer's colours by relative density (leaflet.heat's own, given here so that the legend is
# drawn from the same stops: nothing shows below 0.4).
GRADIENT = {0.4: "blue", 0.6: "cyan", 0.7: "lime", 0.8: "yellow", 1.0: "red"}
HEAT_LEGEND = "linear-gradient(to right, rgba(0,0,255,0) 0%, " + ", ".join(
    f"{colour} {round(stop * 100)}%" for stop, colour in GRADIENT.items()) + ")"

# A legend inside the map, styled by classes from a <style> block (the page's CSP nonce reaches it;
# style attributes would be refused).
LEGEND_STYLE = """<style>
.pa-legend { position: absolute; bottom: 18px; left: 10px; z-index: 1000; background: #fff; padding: 6px 8px;
  border-radius: 6px; font: 13px/1.5 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 60%; }
.pa-legend i { display: inline-block; width: 16px; height: 11px; margin-right: 5px; vertical-align: middle;
  border: 1px solid #999; }
""" + "".join(f".pa-legend i.p{k} {{ background: {colour}; }}\n" for k, colour in enumerate(PALETTE)) + """
.pa-legend i.none { background: #cccccc; }
.pa-legend i.heat { width: 120px; background: HEAT_LEGEND; }
</style>""".replace("HEAT_LEGEND", HEAT_LEGEND)


def _legend(m: "folium.Map", title: str, rows: list[tuple[str, str]]) -> None:
    import folium

    items = "".join(f'<div><i class="{css}" aria-hidden="true"></i>{escape(text)}</div>' for css, text in rows)
    m.get_root().html.add_child(folium.Element(
        f'{LEGEND_STYLE}<div class="pa-legend" role="note"><strong>{escape(title)}</strong>{items}</div>'))


def _local(filename: str) -> str:
    return url_for("static", filename=filename)


def local_map(**kwargs) -> "folium.Map":
    """A Folium map whose JS/CSS come from /static (Leaflet only: no jQuery, Bootstrap or fonts)."""
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    m = folium.Map(location=HUE_CENTRE, zoom_start=10, tiles=None, **kwargs)
    m.default_js = [("leaflet", _local("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", _local("vendor/leaflet/leaflet.css"))]
    scale = MacroElement()  # metres and kilometres only (Folium's control_scale adds miles and feet)
    scale._template = Template("{% macro script(this, kwargs) %}L.control.scale({imperial: false})"
                               ".addTo({{ this._parent.get_name() }});{% endmacro %}")
    m.add_child(scale)
    return m


def heat_map(cells: list[list[float]], wards_geojson: dict) -> str:
    import folium
    from folium.plugins import HeatMap

    m = local_map()
    folium.GeoJson(wards_geojson, style_function=lambda f: {"color": "#0b5394", "weight": 1, "fillOpacity": 0},
                   tooltip=folium.GeoJsonTooltip(["name"])).add_to(m)
    if cells:
        heat = HeatMap(cells, radius=14, blur=18, min_opacity=0.3, max_zoom=15, gradient=GRADIENT)
        heat.default_js = [("leaflet-heat.js", _local("vendor/leaflet.heat/leaflet-heat.js"))]
        heat.add_to(m)
    _legend(m, _("Where reports gather"), [("heat", _("few → many reports (relative to the densest place)"))])
    return m.get_root().render()


def quantile_classes(known: list[float], classes: int) -> list[float]:
    """The upper bounds of ``classes`` classes holding about as many wards each (quantiles): equal
    steps of the value put all the wards of a city in one colour when one ward stands out."""
    ordered = sorted(known)
    return [ordered[min(len(ordered) - 1, round(len(ordered) * k / classes) - 1)] for k in range(1, classes + 1)]


def choropleth(wards_geojson: dict, values: dict[str, float | None], label: str, shown=str) -> str:
    """Wards coloured by ``values`` (code → number, None when the sample is too small: grey), in classes
    of about as many wards each; ``shown`` writes a value the reader's way."""
    import folium

    known = [v for v in values.values() if v is not None]
    bounds = quantile_classes(known, len(PALETTE)) if known else []

    def style(feature):
        value = values.get(feature["properties"]["code"])
        if value is None:
            return {"fillColor": "#cccccc", "color": "#555", "weight": 1, "fillOpacity": 0.5}
        step = next(k for k, bound in enumerate(bounds) if value <= bound or k == len(bounds) - 1)
        return {"fillColor": PALETTE[step], "color": "#555", "weight": 1, "fillOpacity": 0.75}

    for feature in wards_geojson["features"]:
        value = values.get(feature["properties"]["code"])
        feature["properties"]["value"] = "—" if value is None else shown(value)
    m = local_map()
    folium.GeoJson(wards_geojson, style_function=style,
                   tooltip=folium.GeoJsonTooltip(["name", "value"], aliases=["", label])).add_to(m)
    lows = [min(known)] + bounds[:-1] if known else []
    rows = [(f"p{k}", f"{shown(low)} – {shown(high)}") for k, (low, high) in enumerate(zip(lows, bounds))
            if k == 0 or high > bounds[k - 1]]
    _legend(m, label, rows + [("none", _("small sample or no data"))])
    return m.get_root().render()
