#!/usr/bin/env python3
"""Checks that an S3-compatible server on loopback does what zkarrow's object storage needs, with
python's standard library only (SigV4 signed by hand, path-style addressing):
PUT/GET, ranged GET, HEAD, ListObjectsV2 with prefix and delimiter, DELETE, multipart upload and the
create-only PUT (If-None-Match: *) that manifests are written with, also under a race.
  s3-features.py <port> <bucket> <access key> <secret key>
Prints one line per feature (ok / FAILED and why); exits 1 when any failed."""
import datetime
import hashlib
import hmac
import http.client
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ElementTree

REGION = "us-east-1"


class S3:
    def __init__(self, port, access_key, secret_key):
        self.port, self.access_key, self.secret_key = port, access_key, secret_key

    def _signing_key(self, day):
        key = ("AWS4" + self.secret_key).encode()
        for part in (day, REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        return key

    def request(self, method, path, query=None, body=b"", headers=None):
        """path is /bucket[/key]; query a dict; returns (status, headers dict lower-cased, body)."""
        query = query or {}
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload_hash = hashlib.sha256(body).hexdigest()
        headers.update({"host": f"127.0.0.1:{self.port}", "x-amz-date": amz_date,
                        "x-amz-content-sha256": payload_hash})
        canonical_uri = urllib.parse.quote(path, safe="/-_.~")
        canonical_query = "&".join(
            f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
            for k, v in sorted(query.items()))
        signed = sorted(headers)
        canonical_headers = "".join(f"{name}:{str(headers[name]).strip()}\n" for name in signed)
        signed_headers = ";".join(signed)
        canonical_request = "\n".join([method, canonical_uri, canonical_query, canonical_headers,
                                       signed_headers, payload_hash])
        scope = f"{day}/{REGION}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                             hashlib.sha256(canonical_request.encode()).hexdigest()])
        signature = hmac.new(self._signing_key(day), to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={self.access_key}/{scope}, "
                                    f"SignedHeaders={signed_headers}, Signature={signature}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        target = canonical_uri + ("?" + canonical_query if canonical_query else "")
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def find_all(xml, name):
    return [e.text or "" for e in ElementTree.fromstring(xml).iter() if local_name(e.tag) == name]


def expect(condition, why):
    if not condition:
        raise AssertionError(why)


def main():
    port, bucket, access_key, secret_key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    s3 = S3(port, access_key, secret_key)
    base = f"/{bucket}/zkarrow-features"
    failures = 0

    def check(name, test):
        nonlocal failures
        try:
            test()
            print(f"ok      {name}")
        except Exception as error:  # one line per feature, whatever went wrong
            failures += 1
            print(f"FAILED  {name}: {error}")

    data = bytes(range(256)) * 4

    def put_get():
        status, _, _ = s3.request("PUT", f"{base}/a/one.arrow", body=data)
        expect(status == 200, f"PUT gave {status}")
        status, _, body = s3.request("GET", f"{base}/a/one.arrow")
        expect(status == 200 and body == data, f"GET gave {status}, {len(body)} bytes")

    def ranged_get():
        status, headers, body = s3.request("GET", f"{base}/a/one.arrow", headers={"Range": "bytes=10-19"})
        expect(status == 206, f"status {status}")
        expect(body == data[10:20], f"body {body!r}")
        expect(headers.get("content-range", "").startswith("bytes 10-19/1024"),
               f"Content-Range {headers.get('content-range')!r}")

    def head():
        status, headers, _ = s3.request("HEAD", f"{base}/a/one.arrow")
        expect(status == 200 and headers.get("content-length") == str(len(data)),
               f"status {status}, Content-Length {headers.get('content-length')}")
        status, _, _ = s3.request("HEAD", f"{base}/a/missing")
        expect(status == 404, f"HEAD of a missing key gave {status}")

    def list_v2():
        for key in ("a/two.arrow", "a/sub/three.arrow", "b/four.arrow"):
            status, _, _ = s3.request("PUT", f"{base}/{key}", body=b"x")
            expect(status == 200, f"PUT {key} gave {status}")
        prefix = "zkarrow-features/a/"
        status, _, body = s3.request("GET", f"/{bucket}", query={"list-type": "2", "prefix": prefix})
        expect(status == 200, f"status {status}")
        keys = find_all(body, "Key")
        want = [prefix + k for k in ("one.arrow", "sub/three.arrow", "two.arrow")]
        expect(keys == want, f"keys {keys}")
        status, _, body = s3.request("GET", f"/{bucket}",
                                     query={"list-type": "2", "prefix": prefix, "delimiter": "/"})
        expect(status == 200, f"with delimiter: status {status}")
        keys, prefixes = find_all(body, "Key"), find_all(body, "Prefix")
        expect(keys == [prefix + "one.arrow", prefix + "two.arrow"], f"with delimiter: keys {keys}")
        expect(prefix + "sub/" in prefixes, f"with delimiter: prefixes {prefixes}")

    def delete():
        status, _, _ = s3.request("DELETE", f"{base}/b/four.arrow")
        expect(status == 204, f"DELETE gave {status}")
        status, _, _ = s3.request("GET", f"{base}/b/four.arrow")
        expect(status == 404, f"GET after DELETE gave {status}")

    def multipart():
        key = f"{base}/multi.arrow"
        status, _, body = s3.request("POST", key, query={"uploads": ""})
        expect(status == 200, f"CreateMultipartUpload gave {status}")
        upload_id = find_all(body, "UploadId")[0]
        parts = [bytes([1]) * (5 * 1024 * 1024), b"the last part may be small"]
        etags = []
        for number, part in enumerate(parts, 1):
            status, headers, _ = s3.request("PUT", key, body=part,
                                            query={"partNumber": str(number), "uploadId": upload_id})
            expect(status == 200, f"UploadPart {number} gave {status}")
            etags.append(headers["etag"])
        complete = "<CompleteMultipartUpload>" + "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
            for n, etag in enumerate(etags, 1)) + "</CompleteMultipartUpload>"
        status, _, body = s3.request("POST", key, query={"uploadId": upload_id}, body=complete.encode())
        expect(status == 200 and b"Error" not in body, f"CompleteMultipartUpload gave {status}: {body[:200]!r}")
        status, _, body = s3.request("GET", key)
        expect(status == 200 and body == b"".join(parts), f"GET gave {status}, {len(body)} bytes")

    def create_only_put():
        key = f"{base}/manifest-1.json"
        s3.request("DELETE", key)
        status, _, _ = s3.request("PUT", key, body=b"first", headers={"If-None-Match": "*"})
        expect(status == 200, f"create-only PUT of a new key gave {status}")
        status, _, _ = s3.request("PUT", key, body=b"second", headers={"If-None-Match": "*"})
        expect(status == 412, f"create-only PUT of an existing key gave {status}, not 412")
        status, _, body = s3.request("GET", key)
        expect(body == b"first", f"the existing object was overwritten: {body!r}")

    def create_only_race():
        # manifests rely on this: of writers racing for one new key, exactly one may win
        for attempt in range(5):
            key = f"{base}/race-{attempt}.json"
            s3.request("DELETE", key)
            statuses = []
            def write(n):
                statuses.append(s3.request("PUT", key, body=f"writer {n}".encode(),
                                           headers={"If-None-Match": "*"})[0])
            writers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join()
            expect(sorted(statuses) == [200] + [412] * 7, f"attempt {attempt}: statuses {sorted(statuses)}")

    check("PUT + GET object", put_get)
    check("ranged GET (Range: bytes=10-19)", ranged_get)
    check("HEAD (and 404 for a missing key)", head)
    check("ListObjectsV2 with prefix, and with delimiter", list_v2)
    check("DELETE", delete)
    check("multipart upload (create, 2 parts, complete)", multipart)
    check("create-only PUT (If-None-Match: * gives 412 on an existing key)", create_only_put)
    check("create-only PUT is atomic (8 racing writers, exactly one wins)", create_only_race)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
