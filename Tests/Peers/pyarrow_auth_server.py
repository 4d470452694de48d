#!/usr/bin/env python3
"""A pyarrow Flight server with authentication and middleware, for Swift client tests.

Usage: pyarrow_auth_server.py --mode handshake|basic|rotating [--port 0]

handshake: a ServerAuthHandler; the client writes b"user:password" ("arrow:flight" is
  valid) and reads back the token b"token-arrow"; every call must carry it.
basic: no auth handler's checks (a no-op one answers Handshake); a middleware implements
  Basic-to-Bearer: `authorization: Basic arrow:flight` gets `authorization: Bearer
  token-arrow` back in the response headers; other calls need that Bearer header. The user
  `quiet` (password `hush`) is accepted without a token in the answer, as Arrow allows.
rotating: a ServerAuthHandler whose handshake accepts anything and whose is_valid accepts
  any token starting with `rot-`, the token itself being the identity (tokens that change
  from call to call).
Both: a middleware echoes the request header `x-middleware` as a response header; action
`whoami` returns the peer identity. Prints `Server listening on localhost:<port>` first
and exits when stdin closes.
"""

import argparse
import base64

import pyarrow.flight as flight

from peerlib import serve_until_stdin_eof

USERS = {"arrow": "flight"}
QUIET_USERS = {"quiet": "hush"}


class HandshakeAuth(flight.ServerAuthHandler):
    def authenticate(self, outgoing, incoming):
        credentials = incoming.read()
        user, _, password = credentials.decode().partition(":")
        if USERS.get(user) != password:
            raise flight.FlightUnauthenticatedError("invalid credentials")
        outgoing.write(f"token-{user}".encode())

    def is_valid(self, token):
        user = token.decode().removeprefix("token-") if token else ""
        if user not in USERS:
            raise flight.FlightUnauthenticatedError("invalid token")
        return user


class RotatingAuth(flight.ServerAuthHandler):
    def authenticate(self, outgoing, incoming):
        pass

    def is_valid(self, token):
        if not token or not token.startswith(b"rot-"):
            raise flight.FlightUnauthenticatedError("invalid token")
        return token.decode()


class NoopAuth(flight.ServerAuthHandler):
    def authenticate(self, outgoing, incoming):
        pass

    def is_valid(self, token):
        return ""


class BasicMiddleware(flight.ServerMiddleware):
    def __init__(self, token):
        self.token = token

    def sending_headers(self):
        return {"authorization": f"Bearer {self.token}"} if self.token else {}


class BasicMiddlewareFactory(flight.ServerMiddlewareFactory):
    def start_call(self, info, headers):
        values = headers.get("authorization", [])
        if not values:
            raise flight.FlightUnauthenticatedError("missing authorization header")
        value = values[0]
        if info.method == flight.FlightMethod.HANDSHAKE:
            kind, _, encoded = value.partition(" ")
            user, _, password = base64.b64decode(encoded).decode().partition(":")
            if kind == "Basic" and QUIET_USERS.get(user) == password:
                return BasicMiddleware(None)
            if kind != "Basic" or USERS.get(user) != password:
                raise flight.FlightUnauthenticatedError("invalid user name or password")
            return BasicMiddleware(f"token-{user}")
        if value != "Bearer token-arrow":
            raise flight.FlightUnauthenticatedError("invalid token")
        return BasicMiddleware(None)


class EchoMiddleware(flight.ServerMiddleware):
    def __init__(self, value):
        self.value = value

    def sending_headers(self):
        return {"x-middleware": self.value} if self.value else {}


class EchoMiddlewareFactory(flight.ServerMiddlewareFactory):
    def start_call(self, info, headers):
        values = headers.get("x-middleware", [])
        return EchoMiddleware(values[0] if values else None)


class Server(flight.FlightServerBase):
    def list_actions(self, context):
        return [("whoami", "The caller's identity")]

    def do_action(self, context, action):
        if action.type == "whoami":
            return [flight.Result(context.peer_identity())]
        if action.type == "fail":
            raise flight.FlightServerError("failing on purpose")
        raise NotImplementedError(action.type)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["handshake", "basic", "rotating"], required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    middleware = {"echo": EchoMiddlewareFactory()}
    if args.mode == "handshake":
        server = Server(f"grpc://localhost:{args.port}", auth_handler=HandshakeAuth(), middleware=middleware)
    elif args.mode == "rotating":
        server = Server(f"grpc://localhost:{args.port}", auth_handler=RotatingAuth(), middleware=middleware)
    else:
        middleware["basic"] = BasicMiddlewareFactory()
        server = Server(f"grpc://localhost:{args.port}", auth_handler=NoopAuth(), middleware=middleware)

    serve_until_stdin_eof(server)


if __name__ == "__main__":
    main()
