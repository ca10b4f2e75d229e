"""Public pages for residents (the reporting flow arrives with the citizen-report issue)."""
from flask import Blueprint, render_template

bp = Blueprint("citizen", __name__)


@bp.get("/")
def home():
    return render_template("citizen/home.html")
