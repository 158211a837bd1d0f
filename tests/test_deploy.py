"""The nginx config scripts/serve makes from deploy/nginx.conf.template: upstreams, sticky
sessions, websocket upgrade, health location, and `nginx -t` accepting it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deploy.serve import (
    Upstream,
    check_config,
    find_nginx,
    nginx_config,
    render,
    replica_env,
    replicas_down,
)

PORTS = (8601, 8602, 8603)


def config(tmp_path: Path, down: frozenset[int] = frozenset()) -> str:
    upstreams = [Upstream(port, port in down) for port in PORTS]
    return nginx_config(upstreams, 8500, tmp_path, 6_000_000)


def block(text: str, opening: str) -> str:
    """The body of the first `opening { ... }` block (nginx blocks nest; count braces)."""
    start = text.index(opening)
    depth, index = 0, text.index("{", start)
    for end in range(index, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[index + 1:end]
    raise AssertionError(f"{opening} is not closed")


def test_every_replica_is_an_upstream_with_passive_checks(tmp_path):
    upstream = block(config(tmp_path), "upstream kumamap")
    servers = re.findall(r"^\s*server (127\.0\.0\.1:\d+) max_fails=(\d+) fail_timeout=(\w+);",
                         upstream, re.MULTILINE)
    assert [address for address, _, _ in servers] == [f"127.0.0.1:{p}" for p in PORTS]
    assert all(int(fails) >= 1 and timeout for _, fails, timeout in servers)


def test_a_failing_replica_is_marked_down(tmp_path):
    upstream = block(config(tmp_path, frozenset({8602})), "upstream kumamap")
    down = re.findall(r"server (127\.0\.0\.1:\d+)[^;]* down;", upstream)
    assert down == ["127.0.0.1:8602"]


def test_sessions_stick_to_a_replica_by_cookie(tmp_path):
    text = config(tmp_path)
    assert "hash $sticky_key consistent;" in block(text, "upstream kumamap")
    assert re.search(r"map \$cookie_kumamap_replica \$sticky_key \{[^}]*\"\"\s+\$request_id;",
                     text)
    assert "add_header Set-Cookie $sticky_cookie always;" in block(text, "server {")


def test_the_stream_location_upgrades_to_a_websocket(tmp_path):
    stream = block(config(tmp_path), "location /_stcore/stream")
    assert "proxy_http_version 1.1;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert re.search(r"proxy_read_timeout \d+[dh];", stream)


def test_the_map_bundle_may_be_kept_by_the_browser(tmp_path):
    from kumamap.ui import BUNDLE_COMPONENT

    text = config(tmp_path)
    bundle = block(text, f"location /component/kumamap.ui.{BUNDLE_COMPONENT}/")
    assert "expires 1y;" in bundle and "proxy_hide_header Cache-Control;" in bundle
    # An add_header here would drop the server's (the sticky cookie among them).
    assert "add_header" not in bundle and "limit_req zone=requests_per_client" in bundle


def test_health_is_proxied_and_dead_replicas_are_skipped(tmp_path):
    text = config(tmp_path)
    assert "proxy_pass http://kumamap;" in block(text, "location = /_stcore/health")
    assert "proxy_next_upstream error timeout http_502 http_503;" in block(text, "server {")


def test_listens_on_loopback_and_lets_uploads_at_the_limit_through(tmp_path):
    server = block(config(tmp_path), "server {")
    assert "listen 127.0.0.1:8500;" in server
    assert "client_max_body_size 6000000;" in server


def test_every_file_nginx_writes_is_in_the_temporary_folder(tmp_path):
    text = config(tmp_path)
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[;\s]", text,
                       re.MULTILINE)
    assert len(paths) == 8
    assert all(path.startswith(str(tmp_path)) for path in paths)


def test_a_field_left_unfilled_or_unknown_is_an_error():
    with pytest.raises(ValueError, match="template fields"):
        render("listen {{listen}}; root {{root}};", {"listen": "1"})
    with pytest.raises(ValueError, match="template fields"):
        render("listen {{listen}};", {"listen": "1", "extra": "2"})


@pytest.mark.skipif(find_nginx() is None, reason="nginx not installed (Debian package nginx)")
def test_nginx_accepts_the_config(tmp_path):
    path = tmp_path / "nginx.conf"
    path.write_text(config(tmp_path), encoding="utf-8")
    checked = check_config(path, tmp_path)
    assert checked.returncode == 0, checked.stderr


def test_replicas_cap_malloc_arenas_unless_the_operator_chose():
    env = replica_env({"PATH": "/bin"}, Path("geo"), "s3cret")
    assert env["MALLOC_ARENA_MAX"] == "2"
    assert env["PYTHONMALLOC"] == "malloc"
    assert env["KUMAMAP_DATA"] == "geo" and env["STREAMLIT_SERVER_COOKIE_SECRET"] == "s3cret"
    assert replica_env({"MALLOC_ARENA_MAX": "8"}, Path("geo"), "s")["MALLOC_ARENA_MAX"] == "8"


def test_a_replica_is_left_out_when_dead_or_failing_twice_never_all_live_ones():
    every = {1, 2, 3}
    assert replicas_down({1}, set(), {1}, every) == {1}  # its process is gone
    assert replicas_down({2}, set(), set(), every) == set()  # one slow answer
    assert replicas_down({2}, {2}, set(), every) == {2}  # two in a row
    assert replicas_down({1, 2, 3}, {1, 2, 3}, set(), every) == set()  # slow everywhere
    assert replicas_down({1, 2, 3}, {1, 2, 3}, {3}, every) == {3}  # the live ones stay in
    assert replicas_down({1}, {1}, {1}, {1}) == {1}  # nothing alive: nothing to keep
