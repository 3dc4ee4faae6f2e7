"""`yakkan serve`: the real server (uvicorn in a child process, loopback, a free port) over a store
built from the corpus with the batch machinery, called with an HTTP client.

Expected values come from the documents: NAS 第24条 charges 年14.5%, 第16条第1項 asks for notice
3ヶ月前まで, 第13条第1項(1) cites 第18条 as 「料金等」, the title block says (Ver1.6) and
2022年4月1日現在.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pdfgen
import psutil
import pytest
from conftest import CORPUS
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pipeline.cli.main import app as cli
from pipeline.rules import parameter_payload, stored_parameter_payload
from pipeline.schema import SCHEMA_DIR
from pipeline.service.server import BackgroundServer
from pipeline.store.batch import run_batch
from pipeline.store.sqlite import Store

SOURCES = [CORPUS / f / f"source.{kind}" for f in ("nas", "nec") for kind in ("txt", "pdf")]
TOKEN = "test-token-7f3a"
NAS_TXT = hashlib.sha256((CORPUS / "nas" / "source.txt").read_bytes()).hexdigest()
NAS_PDF = hashlib.sha256((CORPUS / "nas" / "source.pdf").read_bytes()).hexdigest()


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return loaded


def valid(body: Any, name: str) -> None:
    """The body is valid against the committed schema `name`."""
    errors = sorted(Draft202012Validator(schema(name)).iter_errors(body), key=str)
    assert not errors, f"{name}: {errors[0]}"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus (NAS and NEC, text and PDF) processed into a store by the batch machinery."""
    db = tmp_path_factory.mktemp("serve") / "corpus.db"
    with Store(db) as store:
        summary = run_batch(SOURCES, store, workers=2)
    assert not summary.failed, summary.failed
    return db


@pytest.fixture(scope="module")
def server(corpus_db: Path) -> Iterator[httpx.Client]:
    """The read-only server (the default) over the corpus store."""
    with (
        BackgroundServer(corpus_db) as running,
        httpx.Client(base_url=running.url, timeout=60) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def uploads(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server accepting uploads, over its own copy of the corpus store."""
    db = tmp_path_factory.mktemp("uploads") / "uploads.db"
    shutil.copy(corpus_db, db)
    with (
        BackgroundServer(
            db, "--allow-upload", "--max-upload-mb", "1", env={"YAKKAN_TOKEN": TOKEN}
        ) as running,
        httpx.Client(base_url=running.url, timeout=300) as client,
    ):
        yield client


def error(response: httpx.Response, status: int, code: str) -> str:
    """Assert a JSON error with this status and code; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    valid(body, "error.schema.json")
    assert body["code"] == code, body
    assert "Traceback" not in body["message"]
    return str(body["message"])


# --------------------------------------------------------------------------------------------
# Families and versions
# --------------------------------------------------------------------------------------------


def test_families_list_the_corpus_with_their_newest_version(server: httpx.Client) -> None:
    response = server.get("/families")
    assert response.status_code == 200
    body = response.json()
    valid(body, "families.schema.json")
    families = {f["family"]: f for f in body["families"]}
    assert sorted(families) == ["nas", "nec"]
    nas = families["nas"]
    assert nas["title"] == "日経統合システム(NAS)サービス契約約款"
    assert (nas["documents"], nas["versions"]) == (2, 1)  # the text and its PDF: one version
    assert nas["latest_version"] == "Ver1.6"
    assert nas["latest_effective_date"] == "2022-04-01"
    assert nas["latest_document_id"] == NAS_TXT  # the text rendition answers for the version


def test_versions_of_a_family(server: httpx.Client) -> None:
    body = server.get("/families/nas/versions").json()
    valid(body, "versions.schema.json")
    rows = [
        (v["document_id"], v["version"], v["effective_date"], v["source"], v["source_kind"])
        for v in body["versions"]
    ]
    assert rows == [
        (NAS_TXT, "Ver1.6", "2022-04-01", "source.txt", "text"),
        (NAS_PDF, "Ver1.6", "2022-04-01", "source.pdf", "pdf"),
    ]
    assert all(v["validated"] for v in body["versions"])


def test_parameters_in_force_by_latest_label_and_date(server: httpx.Client) -> None:
    latest = server.get("/families/nas/parameters", params={"version": "latest"})
    assert latest.status_code == 200
    body = latest.json()
    valid(body, "parameters.schema.json")
    assert (body["document_id"], body["version"]) == (NAS_TXT, "Ver1.6")
    rate = body["parameters"]["late_payment_interest_rate"]
    assert rate["value"]["value"] == 14.5 and rate["value"]["basis"] == "year"
    assert rate["path"] == "art:24/para:1"
    notice = body["parameters"]["termination_notice_period"]
    assert (notice["value"]["value"], notice["value"]["unit"]) == (3, "month")
    assert notice["path"] == "art:16/para:1"
    for version in ("Ver1.6", "ver 1.6", "1.6", "2022-04-01", "2030-01-01"):
        same = server.get("/families/nas/parameters", params={"version": version})
        assert same.status_code == 200, version
        assert same.json() == body, version
    assert server.get("/families/nas/parameters").json() == body  # latest by default


def test_the_payload_read_from_the_report_is_the_one_params_prints(corpus_db: Path) -> None:
    with Store(corpus_db) as store:
        document, report = store.document(NAS_TXT), store.report(NAS_TXT)
    assert report is not None
    assert stored_parameter_payload(report) == parameter_payload(document, report)


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


def test_document_report_and_parameters(server: httpx.Client) -> None:
    document = server.get(f"/documents/{NAS_TXT}")
    assert document.status_code == 200
    body = document.json()
    valid(body, "document.schema.json")
    assert body["id"] == NAS_TXT
    assert [a["number"] for a in body["articles"]] == [str(n) for n in range(1, 41)]
    report = server.get(f"/documents/{NAS_TXT}/report").json()
    valid(report, "validation-report.schema.json")
    assert (report["rule_model"], report["passed"]) == ("nas", True)
    parameters = server.get(f"/documents/{NAS_TXT}/parameters").json()
    assert parameters == server.get("/families/nas/parameters").json()
    # The PDF rendition is served by its own id and reads the same rate on its page.
    pdf = server.get(f"/documents/{NAS_PDF}/parameters").json()
    rate = pdf["parameters"]["late_payment_interest_rate"]
    assert rate["value"]["value"] == 14.5 and rate["page"] is not None


def test_a_provision_with_its_values_and_references(server: httpx.Client) -> None:
    paragraph = server.get(f"/documents/{NAS_TXT}/provisions/art:24/para:1")
    assert paragraph.status_code == 200
    body = paragraph.json()
    valid(body, "provision.schema.json")
    assert (body["kind"], body["path"]) == ("paragraph", "art:24/para:1")
    assert "年14.5%の割合による遅延損害金" in body["text"]
    rates = [v for v in body["values"] if v["kind"] == "percentage"]
    assert [(v["text"], v["value"]["value"]) for v in rates] == [("年14.5%", 14.5)]

    # 第13条第1項(1): 第18条(料金等)に定める利用料金… — a reference with its target.
    item = server.get(f"/documents/{NAS_TXT}/provisions/art:13/para:1/item:1").json()
    cites = [r for r in item["references"] if "art:18" in r["value"]["targets"]]
    assert cites and cites[0]["value"]["cited_title"] == "料金等"

    # …and 第18条 knows who cites it; an id prefix as `yakkan history` prints it is enough.
    article = server.get(f"/documents/{NAS_TXT[:12]}/provisions/art:18").json()
    assert (article["kind"], article["title"]) == ("article", "利用料金")
    assert "art:18/para:1" in article["children"]
    assert any(r["path"] == "art:13/para:1/item:1" for r in article["referenced_by"])


def test_diff_of_two_stored_documents_as_json_and_html(server: httpx.Client) -> None:
    as_json = server.get("/diff", params={"old": NAS_TXT, "new": NAS_PDF})
    assert as_json.status_code == 200
    body = as_json.json()
    valid(body, "document-diff.schema.json")
    assert (body["old"]["id"], body["new"]["id"]) == (NAS_TXT, NAS_PDF)
    as_html = server.get("/diff", params={"old": NAS_TXT, "new": NAS_PDF, "format": "html"})
    assert as_html.status_code == 200
    assert as_html.headers["content-type"].startswith("text/html")
    assert as_html.text.lstrip().lower().startswith("<!doctype html")
    assert "日経統合システム(NAS)サービス契約約款" in as_html.text


# --------------------------------------------------------------------------------------------
# Caching, errors, the OpenAPI document
# --------------------------------------------------------------------------------------------


def test_etag_is_the_document_id_and_if_none_match_answers_304(server: httpx.Client) -> None:
    first = server.get("/families/nas/parameters")
    assert first.headers["etag"] == f'"{NAS_TXT}"'
    again = server.get("/families/nas/parameters", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    weak = server.get(f"/documents/{NAS_TXT}/report", headers={"If-None-Match": f'W/"{NAS_TXT}"'})
    assert weak.status_code == 304
    other = server.get(f"/documents/{NAS_PDF}", headers={"If-None-Match": f'"{NAS_TXT}"'})
    assert other.status_code == 200 and other.headers["etag"] == f'"{NAS_PDF}"'
    # A listing's ETag comes from its body: unchanged store, 304.
    listing = server.get("/families")
    same = server.get("/families", headers={"If-None-Match": listing.headers["etag"]})
    assert same.status_code == 304


def test_errors_are_json_with_stable_codes(server: httpx.Client) -> None:
    assert "nas, nec" in error(server.get("/families/nope/versions"), 404, "family_not_found")
    error(server.get("/families/nope/parameters"), 404, "family_not_found")
    message = error(
        server.get("/families/nas/parameters", params={"version": "Ver9.9"}),
        404,
        "version_not_found",
    )
    assert "Ver1.6" in message  # says what is stored
    error(
        server.get("/families/nas/parameters", params={"version": "2022-03-31"}),
        404,
        "version_not_found",
    )
    error(server.get("/documents/" + "0" * 64), 404, "document_not_found")
    error(server.get("/documents/not-an-id/report"), 404, "document_not_found")
    error(server.get(f"/documents/{NAS_TXT}/provisions/art:99/para:1"), 404, "provision_not_found")
    error(server.get("/no/such/route"), 404, "not_found")
    error(
        server.get("/diff", params={"old": NAS_TXT, "new": NAS_PDF, "format": "xml"}),
        400,
        "bad_request",
    )
    error(server.get("/diff", params={"old": NAS_TXT}), 400, "bad_request")
    error(server.delete("/families"), 405, "method_not_allowed")
    error(server.post("/documents", content=b"x"), 403, "upload_disabled")


def test_readers_are_not_blocked_by_a_writer_holding_a_transaction(
    server: httpx.Client, corpus_db: Path
) -> None:
    writer = sqlite3.connect(corpus_db, isolation_level=None, timeout=5)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO sources (path, document_id, seen_at) VALUES ('held.txt', ?, 'now')",
            (NAS_TXT,),
        )
        for _ in range(5):
            assert server.get("/families/nas/parameters").status_code == 200
            assert server.get("/families").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def schema_differences(
    a: Any, a_defs: dict[str, Any], b: Any, b_defs: dict[str, Any], where: str, seen: set[Any]
) -> list[str]:
    """Where schema `a` (refs into a_defs) and `b` (refs into b_defs) say different things.
    References are followed on both sides; a pair of definitions already compared is not
    compared again (the models are recursive: Item holds Items)."""
    if isinstance(a, dict) and isinstance(b, dict) and ("$ref" in a or "$ref" in b):
        name_a = _ref_name(a["$ref"]) if "$ref" in a else None
        name_b = _ref_name(b["$ref"]) if "$ref" in b else None
        if (name_a, name_b) in seen:
            return []
        seen.add((name_a, name_b))
        return schema_differences(
            a_defs[name_a] if name_a else a,
            a_defs,
            b_defs[name_b] if name_b else b,
            b_defs,
            f"{where}→{name_a or name_b}",
            seen,
        )
    if isinstance(a, dict) and isinstance(b, dict):
        keys = (set(a) | set(b)) - {"$schema", "$defs"}
        found = [f"{where}.{k}: on one side only" for k in keys if (k in a) != (k in b)]
        for key in sorted(k for k in keys if k in a and k in b):
            if key == "mapping":  # discriminator mappings name definitions by reference
                same = {k: _ref_name(v) for k, v in a[key].items()} == {
                    k: _ref_name(v) for k, v in b[key].items()
                }
                found += [] if same else [f"{where}.mapping differs"]
                continue
            found += schema_differences(a[key], a_defs, b[key], b_defs, f"{where}.{key}", seen)
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in schema_differences(x, a_defs, y, b_defs, f"{where}[{i}]", seen)
        ]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


ANSWERS = {
    ("get", "/families"): "families.schema.json",
    ("get", "/families/{family}/versions"): "versions.schema.json",
    ("get", "/families/{family}/parameters"): "parameters.schema.json",
    ("get", "/documents/{document_id}"): "document.schema.json",
    ("get", "/documents/{document_id}/parameters"): "parameters.schema.json",
    ("get", "/documents/{document_id}/report"): "validation-report.schema.json",
    ("get", "/documents/{document_id}/provisions/{path}"): "provision.schema.json",
    ("get", "/diff"): "document-diff.schema.json",
    ("post", "/documents"): "validation-report.schema.json",
}


def test_openapi_answers_agree_with_the_committed_schemas(server: httpx.Client) -> None:
    openapi = server.get("/openapi.json").json()
    components = openapi["components"]["schemas"]
    operations = {
        (method, path): op for path, ops in openapi["paths"].items() for method, op in ops.items()
    }
    assert set(operations) == set(ANSWERS)
    for (method, path), op in operations.items():
        for status, answer in op["responses"].items():
            content = answer.get("content", {}).get("application/json")
            if content is None:
                continue
            name = ANSWERS[(method, path)] if status in ("200", "201") else "error.schema.json"
            committed = schema(name)
            differences = schema_differences(
                content["schema"], components, committed, committed.get("$defs", {}), "", set()
            )
            assert not differences, (method, path, status, differences[:5])
        errors = {s for s in op["responses"] if s.startswith(("4", "5"))}
        assert errors, (method, path)  # every route documents its errors


# --------------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------------


def nas_ver_1_7() -> bytes:
    """NAS Ver1.6 edited into a Ver1.7: the title block, a 附則 sentence for the new version,
    and 第24条's rate raised from 年14.5% to 年14.6%."""
    text = (CORPUS / "nas" / "source.txt").read_text(encoding="utf-8")
    edits = [
        ("(Ver1.6)\n2022年4月1日現在", "(Ver1.7)\n2023年4月1日現在"),
        ("年14.5%の割合", "年14.6%の割合"),
        (
            "本約款(Ver1.6)は2022年4月1日から実施します。",
            "本約款(Ver1.6)は2022年4月1日から実施します。本約款(Ver1.7)は2023年4月1日から実施します。",
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def test_upload_of_nas_ver_1_7_becomes_the_latest_parameters(uploads: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    families_tag = uploads.get("/families").headers["etag"]
    data = nas_ver_1_7()
    posted = uploads.post("/documents", content=data, params={"name": "nas-1.7.txt"}, headers=auth)
    assert posted.status_code == 201, posted.text
    report = posted.json()
    valid(report, "validation-report.schema.json")
    new_id = hashlib.sha256(data).hexdigest()
    assert posted.headers["location"] == f"/documents/{new_id}"
    assert (report["document_id"], report["family"], report["version"]) == (
        new_id,
        "nas",
        "Ver1.7",
    )
    rate = next(p for p in report["parameters"] if p["name"] == "late_payment_interest_rate")
    assert rate["status"] == "changed" and rate["found"]["value"]["value"] == 14.6

    latest = uploads.get("/families/nas/parameters", params={"version": "latest"}).json()
    assert (latest["document_id"], latest["version"]) == (new_id, "Ver1.7")
    assert latest["parameters"]["late_payment_interest_rate"]["value"]["value"] == 14.6
    # On a day before Ver1.7 took effect, Ver1.6 was in force.
    before = uploads.get("/families/nas/parameters", params={"version": "2023-03-31"}).json()
    assert (before["version"], before["document_id"]) == ("Ver1.6", NAS_TXT)
    assert before["parameters"]["late_payment_interest_rate"]["value"]["value"] == 14.5
    assert (
        uploads.get("/families/nas/parameters", params={"version": "2023-04-01"}).json() == latest
    )
    versions = uploads.get("/families/nas/versions").json()["versions"]
    assert [v["version"] for v in versions] == ["Ver1.6", "Ver1.6", "Ver1.7"]
    # The listing changed, so its old ETag no longer matches.
    families = uploads.get("/families", headers={"If-None-Match": families_tag})
    assert families.status_code == 200 and families.headers["etag"] != families_tag

    # The 新旧対照表 from Ver1.6 to Ver1.7 names the changed rate.
    changes = uploads.get("/diff", params={"old": NAS_TXT, "new": new_id}).json()
    pairs = [(c["old_text"], c["new_text"]) for c in changes["parameter_changes"]]
    assert ("年14.5%", "年14.6%") in pairs

    # The same bytes again: already stored, the stored report comes back.
    again = uploads.post("/documents", content=data, headers=auth)
    assert again.status_code == 200 and again.json() == report


def test_upload_errors(uploads: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = (CORPUS / "nas" / "source.txt").read_bytes()
    error(uploads.post("/documents", content=text), 401, "unauthorized")
    error(
        uploads.post("/documents", content=text, headers={"Authorization": "Bearer wrong"}),
        401,
        "unauthorized",
    )
    # Over the 1 MB limit the server was started with.
    error(uploads.post("/documents", content=text * 30, headers=auth), 413, "upload_too_large")
    # Binary bytes (a gzip stream) are neither PDF nor text, whatever the declared type.
    binary = gzip.compress((CORPUS / "nas" / "source.txt").read_bytes())
    error(
        uploads.post("/documents", content=binary, headers={**auth, "Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    error(uploads.post("/documents", content=b"", headers=auth), 415, "unsupported_media_type")
    # Japanese prose without any provision is not a terms document.
    diary = "今日は晴れていたので公園まで歩いた。桜はまだ咲いていなかったが、風が心地よかった。\n"
    message = error(
        uploads.post(
            "/documents", content=diary.encode("utf-8"), params={"name": "diary.txt"}, headers=auth
        ),
        422,
        "not_terms_document",
    )
    assert message.startswith("diary.txt: ")
    # A PDF parsed in the worker: unreadable without a text layer; a one-article PDF of no
    # known family is read, but no rule model gives it parameters.
    error(
        uploads.post("/documents", content=pdfgen.image_only_pdf(), headers=auth),
        422,
        "unreadable_document",
    )
    message = error(
        uploads.post("/documents", content=pdfgen.text_pdf(), headers=auth), 422, "unknown_family"
    )
    assert message.startswith("upload.pdf: ") and "no rule model" in message
    # The corpus PDF is already stored: its stored report answers.
    pdf = (CORPUS / "nas" / "source.pdf").read_bytes()
    stored = uploads.post("/documents", content=pdf, headers=auth)
    assert stored.status_code == 200 and stored.json()["document_id"] == NAS_PDF


def slow_upload() -> bytes:
    """The Ver1.7 with 20,000 more copies of 第24条's sentence: over a second to parse."""
    sentence = "当社が別に定める方法により支払うものとします。"
    return nas_ver_1_7().decode("utf-8").replace(sentence, sentence * 20_001, 1).encode("utf-8")


def upload_server(corpus_db: Path, db: Path, timeout: float) -> BackgroundServer:
    """A server over a copy of the corpus store at `db`, taking uploads (with the test token)
    parsed within `timeout` seconds."""
    shutil.copy(corpus_db, db)
    return BackgroundServer(
        db, "--allow-upload", "--upload-timeout", str(timeout), env={"YAKKAN_TOKEN": TOKEN}
    )


def test_a_parse_that_exceeds_the_timeout_is_stopped_and_the_server_goes_on(
    corpus_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "timeout.db"
    # Over a second to parse, far past 10 ms and past the pool's own timeout checks: the worker
    # is stopped mid-parse.
    slow = slow_upload()
    with (
        upload_server(corpus_db, db, timeout=0.01) as running,
        httpx.Client(base_url=running.url, timeout=300) as client,
    ):
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for _ in range(2):  # the pool replaced the stopped worker
            response = client.post("/documents", content=slow, headers=auth)
            error(response, 422, "parse_timeout")
        assert client.get("/families/nas/parameters").status_code == 200

        # Eight at once on one parsing worker: four wait their turn (each stopped worker is
        # replaced, which takes seconds), the others are refused at once instead of queueing.
        async def flood() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=running.url, timeout=300) as http:
                posts = [
                    http.post("/documents", content=slow, headers=auth) for _ in range(8)
                ]
                return list(await asyncio.gather(*posts))

        answers = asyncio.run(flood())
        codes = sorted(a.json()["code"] for a in answers)
        assert set(codes) == {"parse_timeout", "upload_busy"}, codes
        assert codes.count("parse_timeout") <= 4
        for answer in answers:
            error(
                answer,
                503 if answer.json()["code"] == "upload_busy" else 422,
                answer.json()["code"],
            )
    with Store(db) as store:
        assert [v.version for v in store.versions("nas")] == ["Ver1.6", "Ver1.6"]


def test_an_upload_whose_worker_is_killed_is_answered_and_the_next_are_parsed(
    corpus_db: Path, tmp_path: Path
) -> None:
    slow = slow_upload()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with (
        upload_server(corpus_db, tmp_path / "killed.db", timeout=120) as running,
        httpx.Client(base_url=running.url, timeout=300) as client,
    ):
        # A one-article PDF of no family: parsed in a worker, so the pool is up.
        error(
            client.post("/documents", content=pdfgen.text_pdf(), headers=auth),
            422,
            "unknown_family",
        )
        assert running.process is not None
        server = psutil.Process(running.process.pid)
        answers: list[httpx.Response] = []
        posting = threading.Thread(
            target=lambda: answers.append(client.post("/documents", content=slow, headers=auth))
        )
        posting.start()
        # The workers are the fork server's children, the server's grandchildren. The slow
        # upload takes over a second to parse; kill its worker while it works on it.
        workers: list[psutil.Process] = []
        for _ in range(100):
            workers = [p for p in server.children(recursive=True) if p.ppid() != server.pid]
            if workers and any(w.cpu_percent(0.05) > 50 for w in workers):
                break
        assert workers, "no parsing worker found"
        for worker in workers:
            worker.kill()
        posting.join(300)
        message = error(answers[0], 422, "unreadable_document")
        assert "worker process died" in message
        # The pool replaced the worker and parses the next upload.
        posted = client.post("/documents", content=nas_ver_1_7(), headers=auth)
        assert posted.status_code == 201, posted.text
        assert posted.json()["version"] == "Ver1.7"
        # A worker killed while idle (pebble then gives up the whole pool when the next task
        # finds no worker): the next upload is parsed all the same, on a new pool.
        for worker in [p for p in server.children(recursive=True) if p.ppid() != server.pid]:
            worker.kill()
        again = nas_ver_1_7() + "(写し)\n".encode()
        posted = client.post("/documents", content=again, headers=auth)
        assert posted.status_code == 201, posted.text
        assert posted.json()["document_id"] == hashlib.sha256(again).hexdigest()


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def test_serve_refuses_to_start_without_a_store_or_a_token(tmp_path: Path, corpus_db: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1
    assert missing.output.strip() == f"yakkan: error: {tmp_path / 'none.db'}: no such database"
    no_token = runner.invoke(
        cli,
        ["serve", "--db", str(corpus_db), "--allow-upload", "--token-env", "YAKKAN_TEST_NO_TOKEN"],
    )
    assert no_token.exit_code == 1
    assert "YAKKAN_TEST_NO_TOKEN: --allow-upload needs a bearer token" in no_token.output
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    other = runner.invoke(cli, ["serve", "--db", str(foreign)])
    assert other.exit_code == 1 and "not a yakkan database" in other.output


def test_the_upload_write_path_waits_for_a_batch_holding_the_write_lock(corpus_db: Path) -> None:
    # An upload opens the store for writing while a batch may be mid-transaction: opening
    # must wait for the lock (the busy timeout), not fail with "database is locked".
    writer = sqlite3.connect(corpus_db, isolation_level=None, timeout=5, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO sources (path, document_id, seen_at) VALUES ('batch.txt', ?, 'now')",
        (NAS_TXT,),
    )
    release = threading.Timer(0.5, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        with Store(corpus_db) as store:
            assert store.has(NAS_TXT)
    finally:
        release.join()
        writer.execute("DELETE FROM sources WHERE path = 'batch.txt'")
        writer.close()


@pytest.mark.parametrize("doc_id", [NAS_TXT, NAS_PDF])
def test_every_stored_provision_is_served(corpus_db: Path, doc_id: str) -> None:
    # Every provision the store lists (chapters, sections, articles, paragraphs, items, 附則…)
    # is found by its path, with its own text and kind.
    from pipeline.service.reader import ReadOnlyStore, provision_view

    with ReadOnlyStore(corpus_db) as store:
        rows = store.query(
            "SELECT path, kind, text FROM provisions WHERE document_id = ? ORDER BY seq", (doc_id,)
        )
        assert len(rows) > 100
        for row in rows:
            view = provision_view(store, doc_id, row["path"])
            assert (view.path, view.kind, view.text) == (row["path"], row["kind"], row["text"])
