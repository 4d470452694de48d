#!/usr/bin/env python3
"""pyarrow client TLS checks against a Swift server that requires client certificates.

Usage: pyarrow_tls_client_checks.py --port P --certs DIR

DIR holds ca.pem, client.pem/.key (valid), other-client.pem/.key (another CA) and
expired-client.pem/.key. The Swift server's action `whoami` returns the peer identity.
"""

import argparse
import os

import pyarrow.flight as flight

from peerlib import check


def read(directory, name):
    with open(os.path.join(directory, name), "rb") as f:
        return f.read()


def whoami(client):
    return [r.body.to_pybytes() for r in client.do_action(flight.Action("whoami", b""))]


def refused(name, **kwargs):
    try:
        client = flight.connect(LOCATION, **kwargs)
        whoami(client)
    except flight.FlightError as e:
        check(name, True)
        return
    check(name, False, "the call succeeded")


def main():
    global LOCATION
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", required=True)
    parser.add_argument("--certs", required=True)
    args = parser.parse_args()
    LOCATION = f"grpc+tls://localhost:{args.port}"
    roots = read(args.certs, "ca.pem")
    client = flight.connect(LOCATION, tls_root_certs=roots, cert_chain=read(args.certs, "client.pem"),
                            private_key=read(args.certs, "client.key"))
    identity = whoami(client)
    check("client certificate identity", identity == [b"flight-test-client"], identity)
    refused("no client certificate", tls_root_certs=roots)
    refused("client certificate of another CA", tls_root_certs=roots,
            cert_chain=read(args.certs, "other-client.pem"), private_key=read(args.certs, "other-client.key"))
    refused("expired client certificate", tls_root_certs=roots,
            cert_chain=read(args.certs, "expired-client.pem"), private_key=read(args.certs, "expired-client.key"))
    refused("wrong server CA", tls_root_certs=read(args.certs, "other-ca.pem"),
            cert_chain=read(args.certs, "client.pem"), private_key=read(args.certs, "client.key"))
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
