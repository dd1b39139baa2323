"""The city's colours as a stylesheet: the Content-Security-Policy allows no inline styles."""

from __future__ import annotations

from flask import Response, render_template

from portal import city
from portal.views.blueprint import bp


@bp.get("/city.css")
def city_css():
    css = render_template("city.css", colours=city.current().colours)
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
