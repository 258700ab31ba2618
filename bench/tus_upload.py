#!/usr/bin/env python3
"""Sends a file with tus in pieces of the given size, one after another on one kept-alive connection, each piece read
from the file as it is sent, and prints the rate (MiB/s). The token is in $TOKEN. For the bench scripts.
Usage: tus_upload.py FILE PIECE_BYTES PORT"""
import base64, http.client, os, sys, time
path, chunk, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = os.path.getsize(path)
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": f"Bearer {os.environ['TOKEN']}", "Tus-Resumable": "1.0.0"}
t0 = time.time()
c.request("POST", "/api/uploads", headers={**h, "Upload-Length": str(size), "Upload-Metadata": "filename " + base64.b64encode(b"file.pdf").decode()})
r = c.getresponse(); r.read(); location = r.getheader("Location")
offset = 0
with open(path, "rb") as f:
    while offset < size:
        f.seek(offset)
        c.request("PATCH", location, body=f.read(chunk), headers={**h, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
        r = c.getresponse(); r.read()
        if r.status != 204: sys.exit(f"PATCH answered {r.status}")
        offset = int(r.getheader("Upload-Offset"))
print(f"{size / (time.time() - t0) / 1048576:.0f} MiB/s")
