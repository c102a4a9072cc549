from flask import Blueprint

bp = Blueprint("import_api", __name__)
