"""A reference model of the Projects API, which predicts every answer of a contract run.

The schema checks say a response has the documented *shape*; the model says whether it is the
*right* answer. It holds what a caller can observe of the account (the caller, the projects
and their fields, settings and memberships, the project tokens the run was given, the cursors
the service issued) and, for every exchange of a run, predicts the status, the error message
where the spec names one, every field of the body, the order and size of a page and whether a
next page follows. Values only the service can choose (IDs, tokens, timestamps) are learned
from the answer that introduces them and must stay consistent afterwards. Where the spec
leaves an answer open (which of two errors wins, say), the model accepts each answer it
allows, and learns from the one it got.

It is written from openapi.yaml's descriptions and ../shared/api-facts.md, and imports
nothing of the mock: it must be able to tell the mock wrong.

- `exchange`: one request and its response, from whichever HTTP library sent it;
- `account`: the state (projects, the caller, cursors) and how each write changes it;
- `requests`: what the spec says makes a request invalid, and who a credential names;
- `operations`: the prediction for each operation of the Projects API;
- `predict`: outcomes, differences and the comparison of a prediction with an answer;
- `checker`: the model fed exchange after exchange, recording every difference;
- `explore`: the requests the model chooses to reach each boundary the descriptions define.
"""
