"""The back office, mounted at /admin. Its screens arrive with the admin issue."""
from flask import Blueprint

bp = Blueprint("admin", __name__)
