"""Importing cURL commands: parsed like curl, secrets moved to env:NAME, refusals that say why.

The equivalence with what curl itself sends is checked against real curl in test_import_real.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import cli
from core.errors import ImportSourceError
from core.importers import candidates, choose, import_curl, with_variables
from core.lint import lint
from core.render import render


def one(command: str, **kw):
    return import_curl(command, **kw).action


# --------------------------------------------------------------------------- auth and secrets
def test_a_literal_bearer_token_moves_to_env_and_the_user_is_told_which_variable():
    result = import_curl("curl -H 'Authorization: Bearer sk-live-123456' -H 'Accept: application/json' "
                         "'https://api.example.com/orders/status?order_number={{order_number}}&format=json'")
    action = result.action
    assert action.auth.type == "bearer" and action.auth.token == "env:EXAMPLE_TOKEN"
    assert result.secrets == {"EXAMPLE_TOKEN": "sk-live-123456"}
    assert any("EXAMPLE_TOKEN" in line and "123456" not in line for line in result.secret_notes())
    assert action.headers == {"Accept": "application/json"}  # the credential is not left in a header
    assert action.query == {"order_number": "{{order_number}}", "format": "json"}
    assert [(v.name, v.required) for v in action.variables] == [("order_number", True)]
    assert "sk-live-123456" not in json.dumps(action.to_file_dict())


def test_user_password_becomes_basic_auth_with_the_password_in_env():
    result = import_curl("curl -u agent@example.com:s3cret https://help.example.com/tickets")
    auth = result.action.auth
    assert (auth.type, auth.username, auth.password) == ("basic", "agent@example.com", "env:EXAMPLE_PASSWORD")
    assert result.secrets == {"EXAMPLE_PASSWORD": "s3cret"}


def test_a_stripe_style_key_as_user_name_is_the_secret():
    result = import_curl("curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:")
    assert (result.action.auth.username, result.action.auth.password) == ("env:STRIPE_API_KEY", "")


def test_basic_authorization_header_is_decoded():
    result = import_curl("curl -H 'Authorization: Basic YWdlbnQ6czNjcmV0' https://help.example.com/tickets")
    assert (result.action.auth.username, result.action.auth.password) == ("agent", "env:EXAMPLE_PASSWORD")
    assert "Authorization" not in result.action.headers


@pytest.mark.parametrize("header", ["X-API-Key", "x-api-key", "Api-Key", "X-Auth-Token"])
def test_an_api_key_header_becomes_header_auth(header):
    result = import_curl(f"curl https://inv.example.com/stock -H '{header}: key-123'")
    auth = result.action.auth
    assert (auth.type, auth.name) == ("header", header) and auth.value.startswith("env:EXAMPLE_")
    assert list(result.secrets.values()) == ["key-123"] and result.action.headers == {}


def test_a_second_secret_header_keeps_its_place_with_an_env_value():
    action = one("curl https://api.example.com/x -H 'Authorization: Bearer abc' -H 'X-App-Key: k-1'")
    assert action.auth.type == "bearer" and action.headers == {"X-App-Key": "env:EXAMPLE_X_APP_KEY"}


def test_shell_variables_become_env_references_or_variables():
    action = one('curl -H "Authorization: Bearer $DO_TOKEN" "https://api.example.com/v2/images?key=$KEY" '
                 '-H "X-Trace: run-$RUN_ID"')
    assert action.auth.token == "env:DO_TOKEN"
    assert action.query == {"key": "env:KEY"}
    assert action.headers == {"X-Trace": "run-{{run_id}}"}  # inside a longer value: a variable
    assert [v.name for v in action.variables] == ["run_id"]


def test_a_password_field_in_the_body_moves_to_body_auth():
    result = import_curl("""curl https://api.example.com/login -H 'Content-Type: application/json' \\
        -d '{"user": "ada", "password": "hunter2"}'""")
    assert result.action.body == {"user": "ada"}
    assert result.action.auth.type == "body" and result.action.auth.fields == {"password": "env:EXAMPLE_PASSWORD"}


# --------------------------------------------------------------------------- parsed like curl
def test_an_option_value_is_never_taken_for_the_url():
    action = one("curl --trace-ascii log.txt -o out.json --retry 3 https://api.example.com/items")
    assert action.url == "https://api.example.com/items"


@pytest.mark.parametrize("command", [
    "curl -XPATCH https://api.example.com/items",
    "curl --request patch https://api.example.com/items",
    "curl -sSL -m 10 -X PATCH https://api.example.com/items",
    "curl --location --url https://api.example.com/items -X PATCH",
    "curl --sil -X PATCH https://api.example.com/items",  # curl accepts an unambiguous prefix (--silent)
])
def test_method_and_url_in_common_spellings(command):
    assert (one(command).method, one(command).url) == ("PATCH", "https://api.example.com/items")


def test_data_pieces_join_with_ampersand_into_a_form_body():
    action = one("curl https://api.example.com/t -d a=1 -d 'b=two words' --data-urlencode 'c=x&y'")
    assert action.method == "POST" and action.body_format == "form"
    assert action.body == {"a": "1", "b": "two words", "c": "x&y"}


def test_json_option_sets_json_headers_and_concatenates():
    action = one("""curl --json '{"drink":' --json ' "coffee"}' https://api.example.com/order""")
    assert action.body == {"drink": "coffee"} and action.body_format == "json"
    assert action.headers == {"Content-Type": "application/json", "Accept": "application/json"}


def test_get_moves_the_data_into_the_query():
    action = one("curl -G https://api.example.com/search -d q=shoes -d limit=5")
    assert action.method == "GET" and action.body is None
    assert action.query == {"q": "shoes", "limit": "5"}


def test_form_fields_become_a_multipart_body():
    action = one("curl https://api.mailgun.net/v3/x/messages -F from='a@example.com' --form-string 'text=@not a file'")
    assert action.body_format == "multipart" and action.body == {"from": "a@example.com", "text": "@not a file"}


def test_ansi_c_quotes_and_line_continuations(tmp_path: Path):
    action = one("curl 'https://api.example.com/notes' \\\n  -H 'Content-Type: text/plain' \\\n"
                 "  --data-raw $'line one\\nline \\'two\\''")
    assert action.body_format == "text" and action.body == "line one\nline 'two'"


def test_data_from_a_file_is_read_where_the_import_runs(tmp_path: Path):
    (tmp_path / "body.json").write_text('{"qty": 2}\n', encoding="utf-8")
    action = one("curl -H 'Content-Type: application/json' -d @body.json https://api.example.com/cart", cwd=tmp_path)
    assert action.body == {"qty": 2}


def test_a_json_body_without_content_type_is_sent_as_curl_sends_it():
    result = import_curl("""curl https://api.example.com/cart -d '{"qty": 2}'""")
    assert result.action.body_format == "text" and result.action.body == '{"qty": 2}'
    assert result.action.headers == {"Content-Type": "application/x-www-form-urlencoded"}
    assert any("Content-Type: application/json" in n for n in result.notes)


def test_a_url_without_scheme_gets_http_as_curl_does():
    assert one("curl api.example.com/items").url == "http://api.example.com/items"


def test_user_agent_referer_cookie_and_range_are_headers():
    result = import_curl("curl https://api.example.com/x -A 'Bot/1' -e 'https://ref.example.com' -b 'a=1' -b 'b=2' "
                         "-r 0-99")
    assert result.action.headers == {"User-Agent": "Bot/1", "Referer": "https://ref.example.com",
                                     "Cookie": "env:EXAMPLE_COOKIE", "Range": "bytes=0-99"}
    assert result.secrets == {"EXAMPLE_COOKIE": "a=1; b=2"}  # a cookie is a credential: it leaves the file


def test_a_url_glob_imports_its_first_request():
    result = import_curl("curl 'https://api.example.com/v2/apps/{app_id}/logs'")
    assert result.action.url == "https://api.example.com/v2/apps/app_id/logs"
    assert any("{{app_id}}" in n for n in result.notes)


def test_ignored_options_are_reported():
    assert any("-k/--insecure" in n for n in import_curl("curl -k https://api.example.com/x").notes)


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize("command, message", [
    ("http POST example.com name=x", "not a cURL command: it starts with 'http' (that looks like HTTPie)"),
    ("wget https://example.com", "not a cURL command"),
    ("curl -H 'Accept: application/json'", "has no URL"),
    ("curl 'https://api.example.com/items", "check the quotes"),
    ("curl 'https://{{tenant}}.example.com/orders'", "only in the URL's path"),
    ("curl -u alice:pw --digest https://api.example.com/x", "Digest auth (--digest) is not supported"),
    ("curl -X CONNECT https://api.example.com/x", "CONNECT opens a tunnel"),
    ("curl -F file=@photo.jpg https://api.example.com/upload", "reads the file 'photo.jpg', which cannot be read here"),
    ("curl -F 'files=@a.png,b.png' https://api.example.com/upload", "several files in one field"),
    ("curl -d @- https://api.example.com/x", "reads standard input; give the data with the import"),
    ("curl -d @body.json https://api.example.com/x", "reads the file 'body.json'"),
    ("curl -u alice https://api.example.com/x", "curl would ask for one"),
    ("curl --frobnicate https://api.example.com/x", "unknown curl option --frobnicate"),
    ("curl --req PATCH https://api.example.com/x", "ambiguous"),
    ("curl -H \"Authorization: Bearer $(cat token)\" https://api.example.com/x", "command substitution"),
    ("curl https://api.example.com/x -d a=1 -F b=2", "mixes -d and -F"),
])
def test_what_cannot_be_imported_is_refused_in_one_line(command, message):
    with pytest.raises(ImportSourceError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        import_curl(command)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- methods, files, standard input
@pytest.mark.parametrize("command, method", [("curl -I https://api.example.com/x", "HEAD"),
                                             ("curl --head https://api.example.com/x", "HEAD"),
                                             ("curl -X options https://api.example.com/x", "OPTIONS"),
                                             ("curl -X PURGE https://cdn.example.com/x", "PURGE"),
                                             ("curl -X wHat https://api.example.com/x", "wHat")])
def test_methods_beyond_the_five_import_and_lint_says_they_need_the_generic_target(command, method):
    action = one(command)
    assert action.method == method  # a custom method keeps its case: curl sends it as written
    [error] = [f for f in lint(action) if f.severity == "error"]
    assert error.code == "method-target" and 'target = "generic"' in error.message
    assert not [f for f in lint(action, target="generic") if f.severity == "error"]


def test_a_file_upload_is_embedded_as_a_file_part_with_curls_name_and_type(tmp_path: Path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (tmp_path / "notes.txt").write_text("plain notes\n", encoding="utf-8")
    action = one("curl https://api.example.com/upload -F title=Cat -F image=@photo.jpg "
                 "-F 'doc=@notes.txt;type=text/markdown;filename=readme.md' "
                 """-F 'meta={"a": 1};type=application/json'""", cwd=tmp_path)
    assert action.body_format == "multipart"
    assert action.body == {
        "title": "Cat",
        "image": {"$file": "photo.jpg", "content_type": "image/jpeg", "base64": "/9j/4CBqcGVn"},
        "doc": {"$file": "readme.md", "content_type": "text/markdown", "text": "plain notes\n"},
        "meta": {"$text": '{"a": 1}', "content_type": "application/json"}}
    assert render(action).content.count(b'filename="') == 2


def test_an_upload_with_T_is_a_file_body_sent_without_a_content_type(tmp_path: Path):
    (tmp_path / "report.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    action = one("curl -T report.csv https://files.example.com/reports/", cwd=tmp_path)
    assert (action.method, action.url, action.body_format) == ("PUT", "https://files.example.com/reports/report.csv",
                                                               "file")
    assert action.body == {"$file": "report.csv", "text": "a,b\n1,2\n"}
    request = render(action)
    assert "Content-Type" not in request.headers and request.content == b"a,b\n1,2\n"


def test_a_file_over_the_embedding_limit_is_refused(tmp_path: Path):
    (tmp_path / "big.bin").write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(ImportSourceError, match="an action embeds files up to 1 MB"):
        import_curl("curl -F f=@big.bin https://api.example.com/upload", cwd=tmp_path)


def test_data_from_standard_input_is_the_data_given_with_the_import():
    action = one("curl -H 'Content-Type: application/json' -d @- https://api.example.com/orders",
                 stdin='{"qty": 2}\n')
    assert action.body == {"qty": 2} and action.body_format == "json"
    heredoc = one("curl -d @- https://api.example.com/notes <<EOF\nnote=hi\nEOF\n", stdin="ignored")
    assert heredoc.body == {"note": "hi"}  # the command's own input wins


def test_a_here_string_of_a_shell_variable_becomes_a_variable():
    action = one('curl -H "Content-Type: application/json" --data-binary @- https://api.example.com/x <<< $PAYLOAD')
    assert action.body_format == "text" and action.body == "{{payload}}\n"
    assert [v.name for v in action.variables] == ["payload"]
    assert render(action, {"payload": '{"a": 1}'}).content == b'{"a": 1}\n'


def test_cli_import_curl_gives_piped_data_to_at_minus(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("name=Jenny"))
    assert cli.main(["import", "curl", "curl -d @- https://api.example.com/customers", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["body"] == {"name": "Jenny"}


# --------------------------------------------------------------------------- candidates, description, lint
def test_json_leaf_values_are_offered_as_candidate_variables():
    action = one("""curl https://api.example.com/tickets -H 'Content-Type: application/json' \\
        -d '{"title": "Printer jam", "priority": 2, "urgent": true, "tags": ["hw"], "caller": {"email": "a@b.co"}}'""")
    offered = candidates(action)
    assert [(c.label, c.name, c.type) for c in offered] == [
        ("body.title", "title", "string"), ("body.priority", "priority", "integer"),
        ("body.urgent", "urgent", "boolean"), ("body.tags", "tags", "array"), ("body.caller.email", "email", "email")]
    made = with_variables(action, choose(offered, "title,body.caller.email"))
    assert made.body["title"] == "{{title}}" and made.body["caller"] == {"email": "{{email}}"}
    assert render(made, {"title": "Jam", "email": "x@y.co"}).body["caller"] == {"email": "x@y.co"}
    with pytest.raises(ImportSourceError, match="pick from: title, priority"):
        choose(offered, "nope")


def test_the_description_says_what_the_call_does_and_passes_lint():
    action = one("curl -X DELETE https://api.example.com/v1/customers/cus_123abc456def")
    assert action.name == "Delete Customers"
    assert action.description == "Delete customers on api.example.com (DELETE /v1/customers/cus_123abc456def)."
    assert not [f for f in lint(action) if f.severity == "error"]


# --------------------------------------------------------------------------- the command line
def test_cli_import_curl_writes_a_new_file_and_never_overwrites(tmp_path: Path, capsys):
    command = "curl -H 'Authorization: Bearer tok-123456789' https://api.example.com/orders"
    assert cli.main(["import", "curl", command, "--out", str(tmp_path), "--name", "List Orders"]) == 0
    assert cli.main(["import", "curl", command, "--out", str(tmp_path), "--name", "List Orders"]) == 0
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == ["list_orders.json", "list_orders_2.json"]
    err = capsys.readouterr().err
    assert "export EXAMPLE_TOKEN=" in err and "tok-123456789" not in err


def test_cli_import_curl_json_reads_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("curl https://api.example.com/items \\\n  -d a=1\n"))
    assert cli.main(["import", "curl", "-", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "POST" and data["body_format"] == "form"


def test_cli_import_curl_vars_makes_variables(capsys):
    assert cli.main(["import", "curl", "curl https://api.example.com/items -G -d q=shoes", "--vars", "all",
                     "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == {"q": "{{q}}"} and data["variables"][0]["example"] == "shoes"


def test_cli_import_of_something_that_is_not_curl_exits_2_with_one_line(capsys):
    assert cli.main(["import", "curl", "http POST example.com x=1", "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not a cURL command" in err


def test_binary_data_binary_is_a_file_body_and_binary_d_is_refused(tmp_path: Path):
    (tmp_path / "cat.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    action = one("curl --data-binary @cat.png https://api.example.com/raw", cwd=tmp_path)
    assert (action.method, action.body_format, action.body) == ("POST", "file",
                                                                {"$file": "cat.png", "base64": "iVBORw0KGgo="})
    assert action.headers == {"Content-Type": "application/x-www-form-urlencoded"}  # what curl sends
    with pytest.raises(ImportSourceError, match="sends the binary file 'cat.png' as text"):
        import_curl("curl -d @cat.png https://api.example.com/raw", cwd=tmp_path)
