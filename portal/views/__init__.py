"""Public pages."""
from flask import Blueprint, render_template

from portal.services import stats

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("home.html", counts=stats.public_counts())
