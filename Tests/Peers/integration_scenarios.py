"""The Arrow Flight cross-implementation scenarios, played by pyarrow (and raw gRPC).

Usage:
  integration_scenarios.py server --scenario NAME [--port 0]
  integration_scenarios.py client --scenario NAME [--host localhost] --port PORT
  integration_scenarios.py list

The same scenarios as `flight-integration` (Sources/FlightIntegration), with the same messages
and checks as the Arrow C++ integration tests:

  auth:basic_proto, middleware, ordered, expiration_time:do_get,
  expiration_time:list_actions, expiration_time:cancel_flight_info,
  expiration_time:renew_flight_endpoint, do_exchange:echo, location:reuse_connection,
  poll_flight_info, app_metadata_flight_info_endpoint, session_options

pyarrow has no methods for the standard actions (CancelFlightInfo, RenewFlightEndpoint,
SetSessionOptions, GetSessionOptions, CloseSession): their bodies and results are protobuf
messages built here with the `protobuf` runtime (message classes from proto_vectors.py).
pyarrow cannot make or serve PollFlightInfo at all: poll_flight_info uses the raw `grpcio`
package with the same hand-built messages, for both roles. pyarrow has no session middleware:
session_options keeps the `arrow_flight_session_id` cookie with its own middleware.

The server follows the peer protocol (Tests/Peers/README.md): its first stdout line is
`Server listening on localhost:<port>`, and it exits when stdin reaches end of file. The client
exits 0 on success, else 1 with one line on stderr naming the failed expectation.
"""

import argparse
import os
import sys
import threading
import time

import pyarrow as pa
import pyarrow.flight as flight

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import serve_until_stdin_eof  # noqa: E402
from proto_vectors import build_classes  # noqa: E402

PB = build_classes()
SERVICE = "/arrow.flight.protocol.FlightService/"


class ScenarioFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise ScenarioFailure(message)


def now_ns():
    return time.time_ns()


def ts_scalar(ns):
    return pa.scalar(ns, pa.timestamp("ns", "UTC"))


def number_table(type_, values):
    schema = pa.schema([pa.field("number", type_, nullable=False)])
    return pa.Table.from_arrays([pa.array(values, type_)], schema=schema)


# ---------------------------------------------------------------------------------------------
# auth:basic_proto

USERNAME = "arrow"
PASSWORD = "flight"


class AuthServerHandler(flight.ServerAuthHandler):
    def authenticate(self, outgoing, incoming):
        credentials = flight.BasicAuth.deserialize(incoming.read())
        if credentials.username.decode() != USERNAME or credentials.password.decode() != PASSWORD:
            raise flight.FlightUnauthenticatedError("Invalid token")
        outgoing.write(USERNAME.encode())

    def is_valid(self, token):
        if token != USERNAME.encode():
            raise flight.FlightUnauthenticatedError("Invalid token")
        return USERNAME


class AuthClientHandler(flight.ClientAuthHandler):
    def __init__(self):
        super().__init__()
        self.token = None

    def authenticate(self, outgoing, incoming):
        outgoing.write(flight.BasicAuth(USERNAME, PASSWORD).serialize())
        self.token = incoming.read()

    def get_token(self):
        return self.token


class AuthServer(flight.FlightServerBase):
    def do_action(self, context, action):
        return [flight.Result(context.peer_identity())]


def auth_client(client):
    action = flight.Action("", b"")
    try:
        list(client.do_action(action))
        raise ScenarioFailure("Expected UNAUTHENTICATED but got OK")
    except flight.FlightUnauthenticatedError:
        pass
    except flight.FlightError as error:
        raise ScenarioFailure(f"Expected UNAUTHENTICATED but got {type(error).__name__}: {error}")
    client.authenticate(AuthClientHandler())
    results = [r.body.to_pybytes() for r in client.do_action(action)]
    expect(results, "Action result stream ended early")
    expect(results[0] == USERNAME.encode(), f"Got wrong result; expected {USERNAME} but got {results[0]!r}")
    expect(len(results) == 1, "Action result stream had too many entries")


# ---------------------------------------------------------------------------------------------
# middleware


class EchoServerMiddleware(flight.ServerMiddleware):
    def __init__(self, received):
        self.received = received

    def sending_headers(self):
        return {"x-middleware": self.received}


class EchoServerMiddlewareFactory(flight.ServerMiddlewareFactory):
    def start_call(self, info, headers):
        values = headers.get("x-middleware", [])
        return EchoServerMiddleware(values[0] if values else "")


class MiddlewareServer(flight.FlightServerBase):
    def get_flight_info(self, context, descriptor):
        if descriptor.descriptor_type == flight.DescriptorType.CMD and descriptor.command == b"success":
            endpoint = flight.FlightEndpoint(b"foo", ["grpc+tcp://localhost:10010"])
            return flight.FlightInfo(pa.schema([]), descriptor, [endpoint], -1, -1)
        raise flight.FlightServerError("Unknown")


class HeaderClientMiddleware(flight.ClientMiddleware):
    def __init__(self, factory):
        self.factory = factory

    def sending_headers(self):
        return {"x-middleware": "expected value"}

    def received_headers(self, headers):
        values = headers.get("x-middleware", [])
        if values:
            value = values[0]
            self.factory.received = value.decode() if isinstance(value, bytes) else value


class HeaderClientMiddlewareFactory(flight.ClientMiddlewareFactory):
    def __init__(self):
        self.received = ""

    def start_call(self, info):
        return HeaderClientMiddleware(self)


def middleware_client(host, port):
    factory = HeaderClientMiddlewareFactory()
    client = flight.connect(f"grpc://{host}:{port}", middleware=[factory])
    try:
        client.get_flight_info(flight.FlightDescriptor.for_command(b""))
        raise ScenarioFailure("Expected call to fail")
    except flight.FlightError:
        pass
    expect(
        factory.received == "expected value",
        f"Expected to receive header 'x-middleware: expected value', but instead got: '{factory.received}'",
    )
    print("Headers received successfully on failing call.", file=sys.stderr)
    factory.received = ""
    client.get_flight_info(flight.FlightDescriptor.for_command(b"success"))
    expect(
        factory.received == "expected value",
        f"Expected to receive header 'x-middleware: expected value', but instead got '{factory.received}'",
    )
    print("Headers received successfully on passing call.", file=sys.stderr)
    client.close()


# ---------------------------------------------------------------------------------------------
# ordered

ORDERED_DATA = {b"1": [1, 2, 3], b"2": [10, 20, 30], b"3": [100, 200, 300]}


class OrderedServer(flight.FlightServerBase):
    schema = pa.schema([pa.field("number", pa.int32(), nullable=False)])

    def get_flight_info(self, context, descriptor):
        ordered = descriptor.descriptor_type == flight.DescriptorType.CMD and descriptor.command == b"ordered"
        tickets = [b"1", b"2", b"3"] if ordered else [b"1", b"3", b"2"]
        endpoints = [flight.FlightEndpoint(t, []) for t in tickets]
        return flight.FlightInfo(self.schema, descriptor, endpoints, -1, -1, ordered=ordered)

    def do_get(self, context, ticket):
        if ticket.ticket not in ORDERED_DATA:
            raise KeyError(f"Could not find flight: {ticket.ticket.decode(errors='replace')}")
        return flight.RecordBatchStream(number_table(pa.int32(), ORDERED_DATA[ticket.ticket]))


def ordered_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"ordered"))
    expect(info.ordered, "Server must return FlightInfo.ordered = true")
    tables = []
    for endpoint in info.endpoints:
        expect(
            not endpoint.locations,
            f"Expected to receive empty locations to use the original service: {endpoint.locations}",
        )
        tables.append(client.do_get(endpoint.ticket).read_all())
    table = pa.concat_tables(tables)
    expected = number_table(pa.int32(), [1, 2, 3, 10, 20, 30, 100, 200, 300])
    expect(table.equals(expected), f"Read data isn't expected. Expected: {expected} Actual: {table}")


# ---------------------------------------------------------------------------------------------
# expiration_time:*

CANCEL_ACTION = flight.ActionType(
    "CancelFlightInfo",
    "Explicitly cancel a running FlightInfo.\nRequest Message: CancelFlightInfoRequest\n"
    "Response Message: CancelFlightInfoResult",
)
RENEW_ACTION = flight.ActionType(
    "RenewFlightEndpoint",
    "Extend expiration time of the given FlightEndpoint.\nRequest Message: RenewFlightEndpointRequest\n"
    "Response Message: Renewed FlightEndpoint",
)
CANCEL_STATUS_UNSPECIFIED, CANCEL_STATUS_CANCELLED, CANCEL_STATUS_CANCELLING, CANCEL_STATUS_NOT_CANCELLABLE = 0, 1, 2, 3


class ExpirationTimeServer(flight.FlightServerBase):
    schema = pa.schema([pa.field("number", pa.uint32(), nullable=False)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()
        self.statuses = []  # [expiration_ns or None, gets, cancelled]

    def get_flight_info(self, context, descriptor):
        now = now_ns()
        plan = [("No expiration time", None), ("5 seconds", now + 5_000_000_000), ("6 seconds", now + 6_000_000_000)]
        with self.lock:
            self.statuses = [[expiration, 0, False] for _, expiration in plan]
        endpoints = [
            flight.FlightEndpoint(
                f"{i}: {name}".encode(), [], expiration_time=None if exp is None else ts_scalar(exp)
            )
            for i, (name, exp) in enumerate(plan)
        ]
        return flight.FlightInfo(self.schema, descriptor, endpoints, -1, -1)

    def index_of(self, ticket):
        text = ticket.decode(errors="replace")
        prefix = text.split(":", 1)[0]
        if not prefix.isdigit():
            raise KeyError(f"Invalid flight: no index: {text}")
        index = int(prefix)
        if index >= len(self.statuses):
            raise KeyError(f"Invalid flight: out of index: {text}")
        return index

    def do_get(self, context, ticket):
        text = ticket.ticket.decode(errors="replace")
        with self.lock:
            index = self.index_of(ticket.ticket)
            status = self.statuses[index]
            if status[2]:
                raise KeyError(f"Invalid flight: canceled: {text}")
            if status[0] is not None:
                if status[0] < now_ns():
                    raise KeyError(f"Invalid flight: expired: {text}")
            elif status[1] > 0:
                raise KeyError(f"Invalid flight: can't read multiple times: {text}")
            status[1] += 1
        return flight.RecordBatchStream(number_table(pa.uint32(), [index]))

    def list_actions(self, context):
        return [CANCEL_ACTION, RENEW_ACTION]

    def do_action(self, context, action):
        body = action.body.to_pybytes() if action.body is not None else b""
        if action.type == "CancelFlightInfo":
            request = PB["CancelFlightInfoRequest"].FromString(body)
            status = CANCEL_STATUS_UNSPECIFIED
            with self.lock:
                for endpoint in request.info.endpoint:
                    try:
                        index = self.index_of(endpoint.ticket.ticket)
                    except KeyError:
                        status = CANCEL_STATUS_NOT_CANCELLABLE
                        continue
                    if self.statuses[index][2]:
                        status = CANCEL_STATUS_NOT_CANCELLABLE
                    else:
                        self.statuses[index][2] = True
                        if status == CANCEL_STATUS_UNSPECIFIED:
                            status = CANCEL_STATUS_CANCELLED
            return [flight.Result(PB["CancelFlightInfoResult"](status=status).SerializeToString())]
        if action.type == "RenewFlightEndpoint":
            request = PB["RenewFlightEndpointRequest"].FromString(body)
            endpoint = request.endpoint
            text = endpoint.ticket.ticket.decode(errors="replace")
            expiration = now_ns() + 10_000_000_000
            with self.lock:
                index = self.index_of(endpoint.ticket.ticket)
                if self.statuses[index][2]:
                    raise pa.ArrowInvalid(f"Invalid flight: canceled: {text}")
                self.statuses[index][0] = expiration
            endpoint.ticket.ticket = (text + ": renewed (+ 10 seconds)").encode()
            endpoint.expiration_time.seconds = expiration // 1_000_000_000
            endpoint.expiration_time.nanos = expiration % 1_000_000_000
            return [flight.Result(endpoint.SerializeToString())]
        raise pa.ArrowInvalid(f"Unknown action: {action.type}")


def single_result(client, action_type, body):
    results = [r.body.to_pybytes() for r in client.do_action(flight.Action(action_type, body))]
    expect(len(results) == 1, f"{action_type}: expected one result, got {len(results)}")
    return results[0]


def expiration_do_get_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"expiration_time"))
    tables = []
    for endpoint in info.endpoints:
        if not tables:
            expect(endpoint.expiration_time is None, "endpoints[0] must not have expiration time")
        else:
            expect(endpoint.expiration_time is not None, f"endpoints[{len(tables)}] must have expiration time")
        tables.append(client.do_get(endpoint.ticket).read_all())
    table = pa.concat_tables(tables)
    expected = number_table(pa.uint32(), [0, 1, 2])
    expect(table.equals(expected), f"Read data isn't expected. Expected: {expected} Actual: {table}")


def expiration_list_actions_client(client):
    actual = sorted(a.type for a in client.list_actions())
    expected = ["CancelFlightInfo", "RenewFlightEndpoint"]
    expect(actual == expected, f"Invalid ListActions response: expected={expected} actual={actual}")


def expiration_cancel_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"expiration"))
    request = PB["CancelFlightInfoRequest"](info=PB["FlightInfo"].FromString(info.serialize()))
    result = PB["CancelFlightInfoResult"].FromString(
        single_result(client, "CancelFlightInfo", request.SerializeToString())
    )
    expect(
        result.status == CANCEL_STATUS_CANCELLED,
        f"CancelFlightInfo must return CANCEL_STATUS_CANCELLED: {result.status}",
    )
    for endpoint in info.endpoints:
        try:
            client.do_get(endpoint.ticket).read_all()
        except flight.FlightError:
            continue
        except pa.ArrowException:
            continue
        raise ScenarioFailure("DoGet after CancelFlightInfo must be failed")


def expiration_renew_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"expiration"))
    for endpoint in info.endpoints:
        if endpoint.expiration_time is None:
            continue
        original = PB["FlightEndpoint"].FromString(endpoint.serialize())
        request = PB["RenewFlightEndpointRequest"](endpoint=original)
        renewed = PB["FlightEndpoint"].FromString(
            single_result(client, "RenewFlightEndpoint", request.SerializeToString())
        )
        expect(renewed.HasField("expiration_time"), f"Renewed endpoint must have expiration time: {renewed}")
        old = (original.expiration_time.seconds, original.expiration_time.nanos)
        new = (renewed.expiration_time.seconds, renewed.expiration_time.nanos)
        expect(new > old, f"Renewed endpoint must have newer expiration time. Original: {old} Renewed: {new}")


# ---------------------------------------------------------------------------------------------
# do_exchange:echo


class EchoServer(flight.FlightServerBase):
    def do_exchange(self, context, descriptor, reader, writer):
        if descriptor.descriptor_type != flight.DescriptorType.CMD or descriptor.command != b"echo":
            raise NotImplementedError(f"Unsupported command: {descriptor}")
        begun = False
        for chunk in reader:
            if chunk.data is not None:
                if not begun:
                    writer.begin(reader.schema)
                    begun = True
                if chunk.app_metadata is not None:
                    writer.write_with_metadata(chunk.data, chunk.app_metadata)
                else:
                    writer.write_batch(chunk.data)
            elif chunk.app_metadata is not None:
                writer.write_metadata(chunk.app_metadata)
        if not begun and reader.schema is not None:
            writer.begin(reader.schema)


def echo_client(client):
    schema = pa.schema([pa.field("x", pa.int32(), nullable=False)])
    writer, reader = client.do_exchange(flight.FlightDescriptor.for_command(b"echo"))
    writer.begin(schema)
    for batch_index in range(4):
        batch = pa.record_batch([pa.array([batch_index + i for i in range(10)], pa.int32())], schema=schema)
        metadata = str(batch_index).encode() if batch_index % 2 == 0 else None
        if metadata is not None:
            writer.write_with_metadata(batch, pa.py_buffer(metadata))
        else:
            writer.write_batch(batch)
        try:
            chunk = reader.read_chunk()
        except StopIteration:
            raise ScenarioFailure("Unexpected end of reader")
        received = None if chunk.app_metadata is None else chunk.app_metadata.to_pybytes()
        expect(received == metadata, f"batch {batch_index}: expected app_metadata {metadata!r}, got {received!r}")
        expect(reader.schema.equals(schema), f"expected schema {schema}, got {reader.schema}")
        expect(chunk.data is not None, f"batch {batch_index}: the echo carried no batch")
        expect(chunk.data.equals(batch), f"batch {batch_index}: expected {batch}, got {chunk.data}")
    writer.done_writing()
    try:
        chunk = reader.read_chunk()
    except StopIteration:
        chunk = None
    expect(chunk is None, "Expected to reach end of reader")
    writer.close()


# ---------------------------------------------------------------------------------------------
# location:reuse_connection

REUSE_CONNECTION = "arrow-flight-reuse-connection://?"


class ReuseConnectionServer(flight.FlightServerBase):
    def get_flight_info(self, context, descriptor):
        endpoint = flight.FlightEndpoint(b"reuse", [REUSE_CONNECTION])
        return flight.FlightInfo(pa.schema([]), descriptor, [endpoint], -1, -1)


def reuse_connection_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"reuse"))
    expect(len(info.endpoints) == 1, f"expected 1 endpoint, got {len(info.endpoints)}")
    locations = info.endpoints[0].locations
    expect(len(locations) == 1, f"expected 1 location, got {len(locations)}: {locations}")
    uri = locations[0].uri
    uri = uri.decode() if isinstance(uri, bytes) else uri
    expect(uri == REUSE_CONNECTION, f"expected location {REUSE_CONNECTION}, got {uri}")


# ---------------------------------------------------------------------------------------------
# poll_flight_info (raw gRPC: pyarrow has no PollFlightInfo)


def poll_schema_bytes():
    return pa.schema([pa.field("number", pa.uint32(), nullable=False)]).serialize().to_pybytes()


def make_poll_info(descriptor):
    info = PB["FlightInfo"](
        schema=poll_schema_bytes(),
        flight_descriptor=descriptor,
        endpoint=[PB["FlightEndpoint"](ticket=PB["Ticket"](ticket=b"long-running query"))],
        total_records=-1,
        total_bytes=-1,
    )
    if descriptor.type == 2 and descriptor.cmd == b"poll":
        return PB["PollInfo"](info=info, progress=1.0)
    expiration = now_ns() + 10_000_000_000
    return PB["PollInfo"](
        info=info,
        flight_descriptor=PB["FlightDescriptor"](type=2, cmd=b"poll"),
        progress=0.1,
        expiration_time=PB["Timestamp"](seconds=expiration // 1_000_000_000, nanos=expiration % 1_000_000_000),
    )


class GrpcPollServer:
    """A gRPC server with only PollFlightInfo; every other Flight method is UNIMPLEMENTED."""

    def __init__(self, port):
        import grpc
        from concurrent import futures

        def poll(request, context):
            return make_poll_info(request)

        handler = grpc.method_handlers_generic_handler(
            "arrow.flight.protocol.FlightService",
            {
                "PollFlightInfo": grpc.unary_unary_rpc_method_handler(
                    poll,
                    request_deserializer=PB["FlightDescriptor"].FromString,
                    response_serializer=lambda m: m.SerializeToString(),
                )
            },
        )
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self.server.add_generic_rpc_handlers((handler,))
        self.port = self.server.add_insecure_port(f"localhost:{port}")
        self.server.start()
        self.stopped = threading.Event()

    def serve(self):
        self.stopped.wait()
        self.server.stop(grace=2).wait()

    def shutdown(self):
        self.stopped.set()


def poll_client(host, port):
    import grpc

    with grpc.insecure_channel(f"{host}:{port}") as channel:
        call = channel.unary_unary(
            SERVICE + "PollFlightInfo",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=PB["PollInfo"].FromString,
        )
        info = call(PB["FlightDescriptor"](type=2, cmd=b"heavy query"), timeout=30)
        expect(info.HasField("flight_descriptor"), f"Description is missing: {info}")
        expect(info.HasField("progress"), f"Progress is missing: {info}")
        expect(0.0 <= info.progress <= 1.0, f"Invalid progress: {info}")
        expect(info.HasField("expiration_time"), f"Expiration time is missing: {info}")
        info = call(info.flight_descriptor, timeout=30)
        expect(not info.HasField("flight_descriptor"), f"Retried but not finished yet: {info}")
        expect(info.HasField("progress"), f"Progress is missing in finished query: {info}")
        expect(abs(info.progress - 1.0) <= 1e-5, f"Progress for finished query isn't 1.0: {info}")
        expect(not info.HasField("expiration_time"), f"Expiration time must not be set for finished query: {info}")


# ---------------------------------------------------------------------------------------------
# app_metadata_flight_info_endpoint


class AppMetadataServer(flight.FlightServerBase):
    def get_flight_info(self, context, descriptor):
        if descriptor.descriptor_type != flight.DescriptorType.CMD:
            raise pa.ArrowInvalid("request descriptor should be of type CMD")
        schema = pa.schema([pa.field("number", pa.uint32(), nullable=False)])
        endpoint = flight.FlightEndpoint(b"", [], app_metadata=descriptor.command)
        return flight.FlightInfo(schema, descriptor, [endpoint], -1, -1, app_metadata=descriptor.command)


def app_metadata_client(client):
    info = client.get_flight_info(flight.FlightDescriptor.for_command(b"foobar"))
    expect(info.app_metadata == b"foobar", f"app_metadata should have been 'foobar', got: {info.app_metadata!r}")
    expect(len(info.endpoints) == 1, f"should have gotten exactly one FlightEndpoint back, got: {len(info.endpoints)}")
    metadata = info.endpoints[0].app_metadata
    expect(metadata == b"foobar", f"FlightEndpoint app_metadata should be 'foobar', got: {metadata!r}")


# ---------------------------------------------------------------------------------------------
# session_options

COOKIE = "arrow_flight_session_id"
INVALID_NAME = "lol_invalid"
STRING_LIST = ["a", "b", "sea", "dee", " ", "  ", "geee", "(づ｡◕‿‿◕｡)づ"]
INVALID_NAME_ERROR, INVALID_VALUE_ERROR = 1, 2
CLOSE_SESSION_CLOSED = 1


def option_to_python(value):
    kind = value.WhichOneof("option_value")
    if kind is None:
        return None
    if kind == "string_list_value":
        return ("string_list", list(value.string_list_value.values))
    return (kind[: -len("_value")], getattr(value, kind))


def option_from_python(value):
    message = PB["SessionOptionValue"]()
    if value is None:
        return message
    kind, payload = value
    if kind == "string_list":
        message.string_list_value.values.extend(payload)
    else:
        setattr(message, kind + "_value", payload)
    return message


def parse_cookies(header):
    cookies = []
    for part in header.split(";"):
        if "=" in part:
            name, value = part.split("=", 1)
            cookies.append((name.strip(), value.strip().strip('"')))
    return cookies


class SessionStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.sessions = {}
        self.next_id = 1000


class SessionServerMiddleware(flight.ServerMiddleware):
    def __init__(self, store, session_id):
        self.store = store
        self.session_id = session_id
        self.created = False
        self.closed = False

    def session(self):
        with self.store.lock:
            if self.closed:
                raise pa.ArrowInvalid("the session is closed")
            if self.session_id is None:
                self.session_id = str(self.store.next_id)
                self.store.next_id += 1
                self.store.sessions[self.session_id] = {}
                self.created = True
            return self.store.sessions[self.session_id]

    def close(self):
        with self.store.lock:
            if self.session_id is None or self.closed:
                raise KeyError("there is no session to close")
            self.store.sessions.pop(self.session_id, None)
            self.closed = True

    def sending_headers(self):
        if self.session_id is None:
            return {}
        if self.closed:
            return {"set-cookie": f"{COOKIE}={self.session_id}; Max-Age=0"}
        if self.created:
            return {"set-cookie": f"{COOKIE}={self.session_id}"}
        return {}


class SessionServerMiddlewareFactory(flight.ServerMiddlewareFactory):
    def __init__(self):
        self.store = SessionStore()

    def start_call(self, info, headers):
        session_id = None
        for header in headers.get("cookie", []):
            for name, value in parse_cookies(header):
                if name == COOKIE:
                    session_id = value
        if session_id is not None:
            with self.store.lock:
                if session_id not in self.store.sessions:
                    raise pa.ArrowInvalid(f"Invalid or expired {COOKIE} cookie.")
            return SessionServerMiddleware(self.store, session_id)
        # pyarrow asks for the response headers before the handler runs, so a session made
        # on first use could not send its cookie: a call without one gets a session at once.
        middleware = SessionServerMiddleware(self.store, None)
        middleware.session()
        return middleware


class SessionOptionsServer(flight.FlightServerBase):
    def do_action(self, context, action):
        body = action.body.to_pybytes() if action.body is not None else b""
        middleware = context.get_middleware("session_middleware")
        if action.type == "SetSessionOptions":
            request = PB["SetSessionOptionsRequest"].FromString(body)
            session = middleware.session()
            result = PB["SetSessionOptionsResult"]()
            for name, value in request.session_options.items():
                python_value = option_to_python(value)
                if name == INVALID_NAME:
                    result.errors[name].value = INVALID_NAME_ERROR
                elif python_value == ("string", "lol_invalid"):
                    result.errors[name].value = INVALID_VALUE_ERROR
                elif python_value is None:
                    session.pop(name, None)
                else:
                    session[name] = python_value
            return [flight.Result(result.SerializeToString(deterministic=True))]
        if action.type == "GetSessionOptions":
            PB["GetSessionOptionsRequest"].FromString(body)
            session = middleware.session()
            result = PB["GetSessionOptionsResult"]()
            for name, value in session.items():
                result.session_options[name].CopyFrom(option_from_python(value))
            return [flight.Result(result.SerializeToString(deterministic=True))]
        if action.type == "CloseSession":
            PB["CloseSessionRequest"].FromString(body)
            middleware.close()
            return [flight.Result(PB["CloseSessionResult"](status=CLOSE_SESSION_CLOSED).SerializeToString())]
        raise NotImplementedError(f"Unknown action: {action.type}")


class CookieClientMiddleware(flight.ClientMiddleware):
    def __init__(self, jar):
        self.jar = jar

    def sending_headers(self):
        if not self.jar:
            return {}
        return {"cookie": "; ".join(f"{name}={value}" for name, value in self.jar.items())}

    def received_headers(self, headers):
        for header in headers.get("set-cookie", []):
            header = header.decode() if isinstance(header, bytes) else header
            parts = parse_cookies(header)
            if not parts:
                continue
            name, value = parts[0]
            expired = any(k.lower() == "max-age" and v.lstrip("-").isdigit() and int(v) <= 0 for k, v in parts[1:])
            self.jar.pop(name, None)
            if not expired:
                self.jar[name] = value


class CookieClientMiddlewareFactory(flight.ClientMiddlewareFactory):
    def __init__(self):
        self.jar = {}

    def start_call(self, info):
        return CookieClientMiddleware(self.jar)


def session_options_client(host, port):
    client = flight.connect(f"grpc://{host}:{port}", middleware=[CookieClientMiddlewareFactory()])

    def set_options(options):
        request = PB["SetSessionOptionsRequest"]()
        for name, value in options.items():
            request.session_options[name].CopyFrom(option_from_python(value))
        body = single_result(client, "SetSessionOptions", request.SerializeToString(deterministic=True))
        return {name: error.value for name, error in PB["SetSessionOptionsResult"].FromString(body).errors.items()}

    def get_options():
        body = single_result(client, "GetSessionOptions", PB["GetSessionOptionsRequest"]().SerializeToString())
        result = PB["GetSessionOptionsResult"].FromString(body)
        return {name: option_to_python(value) for name, value in result.session_options.items()}

    errors = set_options(
        {
            "foolong": ("int64", 123),
            "bardouble": ("double", 456.0),
            "lol_invalid": ("string", "this won't get set"),
            "key_with_invalid_value": ("string", "lol_invalid"),
            "big_ol_string_list": ("string_list", STRING_LIST),
        }
    )
    expected_errors = {"lol_invalid": INVALID_NAME_ERROR, "key_with_invalid_value": INVALID_VALUE_ERROR}
    expect(errors == expected_errors, f"res1 incorrect: expected errors {expected_errors}, got {errors}")
    options = get_options()
    expected = {
        "foolong": ("int64", 123),
        "bardouble": ("double", 456.0),
        "big_ol_string_list": ("string_list", STRING_LIST),
    }
    expect(options == expected, f"res2 incorrect: expected {expected}, got {options}")
    joined = ",".join(STRING_LIST)
    set_options({"foolong": None, "big_ol_string_list": ("string", joined)})
    options = get_options()
    expected = {"bardouble": ("double", 456.0), "big_ol_string_list": ("string", joined)}
    expect(options == expected, f"res4 incorrect: expected {expected}, got {options}")
    body = single_result(client, "CloseSession", PB["CloseSessionRequest"]().SerializeToString())
    status = PB["CloseSessionResult"].FromString(body).status
    expect(status == CLOSE_SESSION_CLOSED, f"CloseSession must return CLOSED, got {status}")
    client.close()


# ---------------------------------------------------------------------------------------------
# Scenario table

# name: (make server(location) or None, client(host, port))
def plain_client(check):
    def run(host, port):
        client = flight.connect(f"grpc://{host}:{port}")
        try:
            check(client)
        finally:
            client.close()

    return run


SCENARIOS = {
    "auth:basic_proto": (lambda loc: AuthServer(loc, auth_handler=AuthServerHandler()), plain_client(auth_client)),
    "middleware": (
        lambda loc: MiddlewareServer(loc, middleware={"grpc_trailers": EchoServerMiddlewareFactory()}),
        middleware_client,
    ),
    "ordered": (OrderedServer, plain_client(ordered_client)),
    "expiration_time:do_get": (ExpirationTimeServer, plain_client(expiration_do_get_client)),
    "expiration_time:list_actions": (ExpirationTimeServer, plain_client(expiration_list_actions_client)),
    "expiration_time:cancel_flight_info": (ExpirationTimeServer, plain_client(expiration_cancel_client)),
    "expiration_time:renew_flight_endpoint": (ExpirationTimeServer, plain_client(expiration_renew_client)),
    "do_exchange:echo": (EchoServer, plain_client(echo_client)),
    "location:reuse_connection": (ReuseConnectionServer, plain_client(reuse_connection_client)),
    "poll_flight_info": (None, poll_client),
    "app_metadata_flight_info_endpoint": (AppMetadataServer, plain_client(app_metadata_client)),
    "session_options": (
        lambda loc: SessionOptionsServer(loc, middleware={"session_middleware": SessionServerMiddlewareFactory()}),
        session_options_client,
    ),
}


def serve(name, port):
    make, _ = SCENARIOS[name]
    server = GrpcPollServer(port) if make is None else make(f"grpc://localhost:{port}")

    serve_until_stdin_eof(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=["server", "client", "list"])
    parser.add_argument("--scenario", "-scenario")
    parser.add_argument("--host", "-host", default="localhost")
    parser.add_argument("--port", "-port", type=int, default=0)
    args = parser.parse_args()
    if args.role == "list":
        print("\n".join(sorted(SCENARIOS)))
        return 0
    if args.scenario not in SCENARIOS:
        parser.error(f"unknown scenario {args.scenario!r}; known: {', '.join(sorted(SCENARIOS))}")
    if args.role == "server":
        serve(args.scenario, args.port)
        return 0
    try:
        SCENARIOS[args.scenario][1](args.host, args.port)
    except ScenarioFailure as failure:
        print(f"integration_scenarios.py client: scenario {args.scenario} failed: {failure}".replace("\n", " | "),
              file=sys.stderr)
        return 1
    except Exception as error:  # a call that had to succeed failed
        message = f"{type(error).__name__}: {error}".replace("\n", " | ")
        print(f"integration_scenarios.py client: scenario {args.scenario} failed: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
