#!/usr/bin/env python3
"""pyarrow client checks of a Swift server's authentication and middleware.

Usage: pyarrow_auth_client_checks.py --location URI --mode handshake|basic

handshake: the Swift server has a ServerAuthHandler accepting payload b"arrow:flight" and
  answering the token b"token-arrow"; action `whoami` returns the peer identity.
basic: the Swift server has the Basic-to-Bearer middleware (arrow/flight valid, user
  "blocked" forbidden).
Both: a Swift middleware echoes `x-middleware`; checked with a pyarrow client middleware.
"""

import argparse

import pyarrow.flight as flight

from peerlib import check, expect_raises


class ClientAuth(flight.ClientAuthHandler):
    def __init__(self, credentials):
        super().__init__()
        self.credentials = credentials
        self.token = None

    def authenticate(self, outgoing, incoming):
        outgoing.write(self.credentials)
        self.token = incoming.read()

    def get_token(self):
        return self.token


class HeaderRecorder(flight.ClientMiddleware):
    def __init__(self, factory):
        self.factory = factory

    def sending_headers(self):
        return {"x-middleware": "expected value"}

    def received_headers(self, headers):
        self.factory.seen.append(headers.get("x-middleware"))


class HeaderRecorderFactory(flight.ClientMiddlewareFactory):
    def __init__(self):
        self.seen = []

    def start_call(self, info):
        return HeaderRecorder(self)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--location", required=True)
    parser.add_argument("--mode", choices=["handshake", "basic"], required=True)
    args = parser.parse_args()
    whoami = flight.Action("whoami", b"")

    if args.mode == "handshake":
        client = flight.connect(args.location)
        expect_raises("no token is unauthenticated", flight.FlightUnauthenticatedError,
                      lambda: list(client.do_action(whoami)))
        expect_raises("wrong credentials", flight.FlightUnauthenticatedError,
                      lambda: client.authenticate(ClientAuth(b"arrow:wrong")))
        client.authenticate(ClientAuth(b"arrow:flight"))
        identity = [r.body.to_pybytes() for r in client.do_action(whoami)]
        check("identity reaches the handler", identity == [b"arrow"], identity)
    else:
        client = flight.connect(args.location)
        expect_raises("no header is unauthenticated", flight.FlightUnauthenticatedError,
                      lambda: list(client.do_action(whoami)))
        expect_raises("wrong password", flight.FlightUnauthenticatedError,
                      lambda: client.authenticate_basic_token("arrow", "wrong"))
        expect_raises("forbidden user", flight.FlightUnauthorizedError,
                      lambda: client.authenticate_basic_token("blocked", "blocked"))
        key, value = client.authenticate_basic_token("arrow", "flight")
        check("bearer header", key == b"authorization" and value.startswith(b"Bearer "), (key, value))
        options = flight.FlightCallOptions(headers=[(key, value)])
        identity = [r.body.to_pybytes() for r in client.do_action(whoami, options=options)]
        check("identity from the token", identity == [b"arrow"], identity)
        forged = flight.FlightCallOptions(headers=[(b"authorization", b"Bearer forged")])
        expect_raises("forged token", flight.FlightUnauthenticatedError,
                      lambda: list(client.do_action(whoami, options=forged)))

    # Middleware: the Swift server echoes x-middleware on a failing and a succeeding call. With
    # a handshake auth handler the call must authenticate first: as in Arrow C++, the handler
    # runs before the middleware, and a call it refuses reaches no middleware.
    recorder = HeaderRecorderFactory()
    watched = flight.connect(args.location, middleware=[recorder])
    if args.mode == "handshake":
        watched.authenticate(ClientAuth(b"arrow:flight"))
    try:
        list(watched.do_action(flight.Action("whoami", b"")))
    except flight.FlightError:
        pass
    # received_headers sees the initial metadata and then the trailers: the echo is in one.
    check("middleware header echoed", ["expected value"] in recorder.seen, recorder.seen)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
