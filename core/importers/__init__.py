"""Import actions from what builders already have: a cURL command, an OpenAPI (or Swagger) document."""

from .curl import import_curl
from .result import Candidate, ImportResult, candidates, choose, with_variables

__all__ = ["Candidate", "ImportResult", "candidates", "choose", "import_curl", "with_variables"]
