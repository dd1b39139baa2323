"""The public pages' blueprint: routes split by area in the modules of portal/views/."""

from flask import Blueprint

bp = Blueprint("public", __name__)
