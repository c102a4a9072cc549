from flask import Blueprint

bp = Blueprint("alerts_api", __name__)
