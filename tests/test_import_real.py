"""Imports of real inputs nobody here wrote (a small, fast subset of benchmarks/corpus).

cURL: real curl and the imported action send to one local echo server; the requests must match
(benchmarks/importcheck/curl_check.py says how they are compared). The full corpus runs in
benchmarks/import_real.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from benchmarks.importcheck.curl_check import CurlCase, check
from benchmarks.importcheck.echo import EchoServer

CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus"
CURL = CORPUS / "curl"

#: Fixtures of curlconverter that exercise the parser: quoting, data flags, forms, auth, cookies, -G, globs.
CURLCONVERTER = ["bash_redirect", "bash_redirect_heredoc", "get_basic_auth", "get_complex_url_params",
                 "get_user_agent", "get_with_data", "get_with_env_var", "get_with_form", "get_with_header_without_value",
                 "j_patch_array", "multiline_post_with_data", "multiple_d_post", "parse_form_data", "post_json",
                 "post_same_field_multiple_times", "post_with_data_with_percent_sign", "post_with_quotes_anywhere",
                 "post_with_urlencoded_data", "put_xput", "range", "repeated_query_key", "url_query",
                 "post_with_data_binary", "get_referer", "post_empty",
                 # methods beyond the five (generic target), file uploads, -T, standard input and here-strings
                 "head", "options", "strange_http_method", "post_image", "multipart_post", "j_patch_file_with_data",
                 "post_with_extra_whitespace", "upload_file", "read_stdin", "bash_redirect_herestring"]
REFUSED = {"get_digest_auth": "Digest", "redirect_command_url_query": "command substitution"}
DOCS = {"digitalocean": ["resources/apps/examples/curl/apps_get_logs.yml", "resources/droplets/examples/curl/"
                         "droplets_create.yml", "resources/droplets/examples/curl/droplets_list.yml"],
        "openai": ["/chat/completions/post/x-oaiMeta/examples/0/request/curl",
                   "/realtime/calls/{call_id}/accept/post/x-oaiMeta/examples/request/curl",
                   "/assistants/get/x-oaiMeta/examples/request/curl"]}


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("needs curl and bash")
    with EchoServer() as server:
        yield server


def doc_cases() -> list[CurlCase]:
    out = []
    for source, wanted in DOCS.items():
        rows = [json.loads(line) for line in (CURL / f"{source}.jsonl").read_text(encoding="utf-8").splitlines()]
        for piece in wanted:
            row = next(r for r in rows if r["id"].endswith(piece))
            out.append(CurlCase(row["id"], source, row["command"]))
    return out


@pytest.mark.parametrize("name", CURLCONVERTER)
def test_curlconverter_fixture_sends_what_curl_sends(echo: EchoServer, name: str) -> None:
    case = CurlCase(name, "curlconverter", (CURL / "curlconverter" / f"{name}.sh").read_text(encoding="utf-8"))
    outcome = check(case, echo, CURL / "files")
    assert outcome.status == "equivalent", outcome.detail


@pytest.mark.parametrize("case", doc_cases(), ids=lambda c: c.id.rsplit(":", 1)[-1][-60:])
def test_api_docs_command_sends_what_curl_sends(echo: EchoServer, case: CurlCase) -> None:
    outcome = check(case, echo, CURL / "files")
    assert outcome.status == "equivalent", outcome.detail
    assert not outcome.lint_errors


@pytest.mark.parametrize("name,reason", REFUSED.items())
def test_what_an_action_cannot_send_is_refused_clearly(echo: EchoServer, name: str, reason: str) -> None:
    case = CurlCase(name, "curlconverter", (CURL / "curlconverter" / f"{name}.sh").read_text(encoding="utf-8"))
    outcome = check(case, echo, CURL / "files")
    assert outcome.status in ("refused", "invalid") and (outcome.status == "invalid" or reason in outcome.detail)


#: uploads of real binary bytes (the corpus' stand-in files are text), checked against curl the same way
BINARY = ["curl -F 'photo=@cat.png' -F 'doc=@notes.bin;type=application/x-notes;filename=n.bin' "
          "http://uploads.example.com/up",
          "curl --data-binary @cat.png http://uploads.example.com/raw",
          "curl -H 'Content-Type: image/png' --data-binary @cat.png http://uploads.example.com/raw",
          "curl -T cat.png http://uploads.example.com/files/",
          "curl -X PURGE -H 'Content-Type:' -d 'a=1' http://cdn.example.com/x"]


@pytest.mark.parametrize("command", BINARY, ids=lambda c: c.split(" http")[0][5:40])
def test_binary_uploads_send_the_bytes_curl_sends(echo: EchoServer, tmp_path: Path, command: str) -> None:
    (tmp_path / "cat.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    (tmp_path / "notes.bin").write_bytes(bytes(range(256)))
    outcome = check(CurlCase("binary", "here", command), echo, tmp_path)
    assert outcome.status == "equivalent", outcome.detail
