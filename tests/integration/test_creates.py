"""Creates under group commit: many at once over keep-alive, pipelined with reads, single and bulk
together. A 201 means the link is committed, whichever other creates shared its commit
(docs/ARCHITECTURE.md, "Creating links")."""

import json

from hoptest import CODE_RE, HopTestCase, main, read_http_response, run_threads


def metric(server, name):
    status, _, body = server.request("GET", "/metrics")
    assert status == 200, status
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return int(line.split()[1])
    raise AssertionError(f"no {name} in /metrics")


class CreatesTest(HopTestCase):

    def test_many_concurrent_creates_over_keep_alive_all_commit_with_distinct_codes(self):
        before = metric(self.server, "hop_links_created_total")
        connections, per_connection = 32, 20
        made = [[] for _ in range(connections)]

        def create(i):
            conn = self.server.connection()
            try:
                sock = None
                for j in range(per_connection):
                    url = f"https://example.com/many/{i}/{j}"
                    status, hdrs, link = self.json("POST", "/api/v1/links", {"url": url}, conn=conn)
                    assert status == 201, (status, link)
                    assert link["url"] == url, link
                    assert hdrs.get("location") == f"/api/v1/links/{link['code']}", hdrs
                    sock = sock or conn.sock
                    assert conn.sock is sock, "the keep-alive connection was closed"
                    made[i].append((link["code"], url))
            finally:
                conn.close()

        run_threads(connections, create)
        links = [link for per in made for link in per]
        self.assertEqual(len(links), connections * per_connection)
        self.assertEqual(len({code for code, _ in links}), len(links), "two creates got one code")
        for code, url in links:
            self.assertRegex(code, CODE_RE)
            status, hdrs, _ = self.visit(code)
            self.assertEqual((status, hdrs.get("location")), (302, url), code)
        self.assertEqual(metric(self.server, "hop_links_created_total") - before, len(links))

    def test_single_and_bulk_creates_at_once_all_commit(self):
        def create(i):
            if i % 2:
                body = {"links": [{"url": f"https://example.com/mixed/{i}/{j}"} for j in range(50)]}
                status, _, answer = self.json("POST", "/api/v1/links/bulk", body)
                assert status == 200, (status, answer)
                assert all("link" in r for r in answer["results"]), answer
                created = [r["link"] for r in answer["results"]]
            else:
                status, _, link = self.json("POST", "/api/v1/links",
                                            {"url": f"https://example.com/mixed/{i}"})
                assert status == 201, (status, link)
                created = [link]
            for link in created:
                assert self.get_link(link["code"])["url"] == link["url"], link

        run_threads(12, create)

    def test_pipelined_creates_and_reads_are_answered_in_order(self):
        auth = self.server.auth_line()

        def post(path, body, close=False):
            data = json.dumps(body).encode()
            return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode() + auth +
                    (b"Connection: close\r\n" if close else b"") +
                    b"Content-Length: %d\r\n\r\n%s" % (len(data), data))

        def get(path):
            return f"GET {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.0\r\n".encode() + auth + b"\r\n"

        requests = [
            get("/piped-one"),   # caches "no such link" on this worker...
            post("/api/v1/links", {"url": "https://example.com/p1", "alias": "piped-one"}),
            get("/piped-one"),   # ... which the create answered before this one made it forget
            get("/api/v1/links/piped-one"),
            post("/api/v1/links", {"url": "https://example.com/again", "alias": "piped-one"}),
            post("/api/v1/links/bulk", {"links": [{"url": "https://example.com/p2", "alias": "piped-two"},
                                                  {"url": "javascript:alert(1)"}]}),
            post("/api/v1/links", {"url": "https://example.com/p3"}),
            get("/api/v1/links/piped-two"),
            post("/api/v1/links", {"url": "https://example.com/p4"}, close=True),
        ]
        with self.server.raw_socket() as sock:
            sock.sendall(b"".join(requests))
            stream = sock.makefile("rb")
            responses = [read_http_response(stream) for _ in requests]
        self.assertNotIn(None, responses, "a pipelined request went unanswered")
        self.assertEqual([r[0] for r in responses], [404, 201, 302, 200, 409, 200, 201, 200, 201])
        self.assertEqual(responses[2][1].get("location"), "https://example.com/p1")
        self.assertEqual(json.loads(responses[3][2])["url"], "https://example.com/p1")
        self.assertEqual(json.loads(responses[4][2])["code"], "alias_taken")
        results = json.loads(responses[5][2])["results"]
        self.assertEqual(results[0]["link"]["code"], "piped-two")
        self.assertEqual(results[1]["error"]["code"], "invalid_url")
        self.assertEqual(json.loads(responses[7][2])["url"], "https://example.com/p2")
        self.assertEqual(responses[8][1].get("connection"), "close")
        for response in (responses[6], responses[8]):
            code = json.loads(response[2])["code"]
            self.assertEqual(self.get_link(code)["code"], code)


if __name__ == "__main__":
    main()
