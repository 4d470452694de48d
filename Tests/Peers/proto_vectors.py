"""Expected protobuf bytes of Flight messages, for the FlightProto byte-equality tests.

Usage: proto_vectors.py pyarrow | protobuf

Prints one JSON object on stdout mapping a vector name to the hex of the message bytes.

- ``pyarrow``: messages pyarrow can ``serialize()`` (Action, BasicAuth, FlightDescriptor,
  FlightEndpoint, FlightInfo, Result, SchemaResult, Ticket), plus ``schema`` (the IPC
  schema bytes pyarrow embeds, so Swift can build the same FlightInfo).
- ``protobuf``: every other message, and FlightData, encoded by the ``protobuf`` Python
  runtime from message classes built here from a FileDescriptorProto written in code from
  the Flight specification (independent of our Protos/Flight.proto and protoc-c).

The values must match those the Swift tests build (Tests/FlightProtoTests/InteropTests.swift).
Not a server: it exits when done.
"""

import json
import sys


def pyarrow_vectors():
    import pyarrow as pa
    import pyarrow.flight as fl

    schema = pa.schema([("id", pa.int64()), ("name", pa.utf8())], metadata={"k": "v"})
    expiration = pa.scalar(1_700_000_000_123_456_789, pa.timestamp("ns", "UTC"))
    endpoint = fl.FlightEndpoint(
        b"ticket-1",
        ["grpc+tcp://localhost:8815", "grpc+tls://example.com:443"],
        expiration_time=expiration,
        app_metadata=b"endpoint-meta",
    )
    plain_endpoint = fl.FlightEndpoint(b"t2", [])
    info = fl.FlightInfo(
        schema,
        fl.FlightDescriptor.for_path("examples", "ints"),
        [endpoint, plain_endpoint],
        total_records=-1,
        total_bytes=-1,
        ordered=True,
        app_metadata=b"info-meta",
    )
    sized_info = fl.FlightInfo(
        schema,
        fl.FlightDescriptor.for_command(b"SELECT 1"),
        [plain_endpoint],
        total_records=1000,
        total_bytes=8000,
    )
    vectors = {
        "schema": schema.serialize().to_pybytes(),
        "action": fl.Action("do-thing", b"\x00body\xff").serialize(),
        "action_empty_body": fl.Action("list", b"").serialize(),
        "basic_auth": fl.BasicAuth("user", "p\u00e4ssword").serialize(),
        "descriptor_path": fl.FlightDescriptor.for_path("a", "b/c", "\u00e9").serialize(),
        "descriptor_cmd": fl.FlightDescriptor.for_command(b"SELECT 1\x00\xff").serialize(),
        "endpoint": endpoint.serialize(),
        "endpoint_plain": plain_endpoint.serialize(),
        "info": info.serialize(),
        "info_sized": sized_info.serialize(),
        "result": fl.Result(b"result-body").serialize(),
        "schema_result": fl.SchemaResult(schema).serialize(),
        "ticket": fl.Ticket(b"tick\x00et").serialize(),
    }
    return vectors


def build_classes():
    """Message classes for the Flight protocol, from a descriptor written here."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from google.protobuf import timestamp_pb2  # registers google/protobuf/timestamp.proto

    F = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(
        name="flight_vectors/Flight.proto",
        package="arrow.flight.protocol",
        syntax="proto3",
        dependency=["google/protobuf/timestamp.proto"],
    )
    pkg = ".arrow.flight.protocol."

    def field(message, name, number, kind, type_name=None, repeated=False, oneof=None, optional=False):
        f = message.field.add(name=name, number=number, type=kind)
        f.label = F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL
        if type_name:
            f.type_name = type_name
        if oneof is not None:
            f.oneof_index = oneof
        if optional:
            f.proto3_optional = True
        return f

    def message(name):
        return file.message_type.add(name=name)

    def enum(parent, name, values):
        e = parent.enum_type.add(name=name)
        for value_name, number in values:
            e.value.add(name=value_name, number=number)
        return e

    m = message("HandshakeRequest")
    field(m, "protocol_version", 1, F.TYPE_UINT64)
    field(m, "payload", 2, F.TYPE_BYTES)
    m = message("HandshakeResponse")
    field(m, "protocol_version", 1, F.TYPE_UINT64)
    field(m, "payload", 2, F.TYPE_BYTES)
    m = message("Empty")
    m = message("ActionType")
    field(m, "type", 1, F.TYPE_STRING)
    field(m, "description", 2, F.TYPE_STRING)
    m = message("Criteria")
    field(m, "expression", 1, F.TYPE_BYTES)
    m = message("PutResult")
    field(m, "app_metadata", 1, F.TYPE_BYTES)
    m = message("Ticket")
    field(m, "ticket", 1, F.TYPE_BYTES)
    m = message("Location")
    field(m, "uri", 1, F.TYPE_STRING)

    m = message("FlightDescriptor")
    enum(m, "DescriptorType", [("UNKNOWN", 0), ("PATH", 1), ("CMD", 2)])
    field(m, "type", 1, F.TYPE_ENUM, pkg + "FlightDescriptor.DescriptorType")
    field(m, "cmd", 2, F.TYPE_BYTES)
    field(m, "path", 3, F.TYPE_STRING, repeated=True)

    m = message("FlightEndpoint")
    field(m, "ticket", 1, F.TYPE_MESSAGE, pkg + "Ticket")
    field(m, "location", 2, F.TYPE_MESSAGE, pkg + "Location", repeated=True)
    field(m, "expiration_time", 3, F.TYPE_MESSAGE, ".google.protobuf.Timestamp")
    field(m, "app_metadata", 4, F.TYPE_BYTES)

    m = message("FlightInfo")
    field(m, "schema", 1, F.TYPE_BYTES)
    field(m, "flight_descriptor", 2, F.TYPE_MESSAGE, pkg + "FlightDescriptor")
    field(m, "endpoint", 3, F.TYPE_MESSAGE, pkg + "FlightEndpoint", repeated=True)
    field(m, "total_records", 4, F.TYPE_INT64)
    field(m, "total_bytes", 5, F.TYPE_INT64)
    field(m, "ordered", 6, F.TYPE_BOOL)
    field(m, "app_metadata", 7, F.TYPE_BYTES)

    m = message("PollInfo")
    field(m, "info", 1, F.TYPE_MESSAGE, pkg + "FlightInfo")
    field(m, "flight_descriptor", 2, F.TYPE_MESSAGE, pkg + "FlightDescriptor")
    m.oneof_decl.add(name="_progress")
    field(m, "progress", 3, F.TYPE_DOUBLE, oneof=0, optional=True)
    field(m, "expiration_time", 4, F.TYPE_MESSAGE, ".google.protobuf.Timestamp")

    m = message("CancelFlightInfoRequest")
    field(m, "info", 1, F.TYPE_MESSAGE, pkg + "FlightInfo")
    enum(
        file,
        "CancelStatus",
        [
            ("CANCEL_STATUS_UNSPECIFIED", 0),
            ("CANCEL_STATUS_CANCELLED", 1),
            ("CANCEL_STATUS_CANCELLING", 2),
            ("CANCEL_STATUS_NOT_CANCELLABLE", 3),
        ],
    )
    m = message("CancelFlightInfoResult")
    field(m, "status", 1, F.TYPE_ENUM, pkg + "CancelStatus")
    m = message("RenewFlightEndpointRequest")
    field(m, "endpoint", 1, F.TYPE_MESSAGE, pkg + "FlightEndpoint")

    m = message("SessionOptionValue")
    inner = m.nested_type.add(name="StringListValue")
    field(inner, "values", 1, F.TYPE_STRING, repeated=True)
    m.oneof_decl.add(name="option_value")
    field(m, "string_value", 1, F.TYPE_STRING, oneof=0)
    field(m, "bool_value", 2, F.TYPE_BOOL, oneof=0)
    field(m, "int64_value", 3, F.TYPE_SFIXED64, oneof=0)
    field(m, "double_value", 4, F.TYPE_DOUBLE, oneof=0)
    field(m, "string_list_value", 5, F.TYPE_MESSAGE, pkg + "SessionOptionValue.StringListValue", oneof=0)

    def map_entry(parent, entry_name, value_kind, value_type=None):
        entry = parent.nested_type.add(name=entry_name)
        entry.options.map_entry = True
        field(entry, "key", 1, F.TYPE_STRING)
        field(entry, "value", 2, value_kind, value_type)

    m = message("SetSessionOptionsRequest")
    map_entry(m, "SessionOptionsEntry", F.TYPE_MESSAGE, pkg + "SessionOptionValue")
    field(m, "session_options", 1, F.TYPE_MESSAGE, pkg + "SetSessionOptionsRequest.SessionOptionsEntry", repeated=True)

    m = message("SetSessionOptionsResult")
    enum(m, "ErrorValue", [("UNSPECIFIED", 0), ("INVALID_NAME", 1), ("INVALID_VALUE", 2), ("ERROR", 3)])
    error = m.nested_type.add(name="Error")
    field(error, "value", 1, F.TYPE_ENUM, pkg + "SetSessionOptionsResult.ErrorValue")
    map_entry(m, "ErrorsEntry", F.TYPE_MESSAGE, pkg + "SetSessionOptionsResult.Error")
    field(m, "errors", 1, F.TYPE_MESSAGE, pkg + "SetSessionOptionsResult.ErrorsEntry", repeated=True)

    message("GetSessionOptionsRequest")
    m = message("GetSessionOptionsResult")
    map_entry(m, "SessionOptionsEntry", F.TYPE_MESSAGE, pkg + "SessionOptionValue")
    field(m, "session_options", 1, F.TYPE_MESSAGE, pkg + "GetSessionOptionsResult.SessionOptionsEntry", repeated=True)

    message("CloseSessionRequest")
    m = message("CloseSessionResult")
    enum(m, "Status", [("UNSPECIFIED", 0), ("CLOSED", 1), ("CLOSING", 2), ("NOT_CLOSEABLE", 3)])
    field(m, "status", 1, F.TYPE_ENUM, pkg + "CloseSessionResult.Status")

    m = message("FlightData")
    field(m, "flight_descriptor", 1, F.TYPE_MESSAGE, pkg + "FlightDescriptor")
    field(m, "data_header", 2, F.TYPE_BYTES)
    field(m, "app_metadata", 3, F.TYPE_BYTES)
    field(m, "data_body", 1000, F.TYPE_BYTES)

    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
    pool.Add(file)
    classes = {}
    for message_type in file.message_type:
        descriptor = pool.FindMessageTypeByName("arrow.flight.protocol." + message_type.name)
        classes[message_type.name] = message_factory.GetMessageClass(descriptor)
    classes["Timestamp"] = message_factory.GetMessageClass(pool.FindMessageTypeByName("google.protobuf.Timestamp"))
    return classes


def protobuf_vectors():
    c = build_classes()

    def timestamp(seconds, nanos):
        return c["Timestamp"](seconds=seconds, nanos=nanos)

    def path(*parts):
        return c["FlightDescriptor"](type=1, path=list(parts))

    def command(cmd):
        return c["FlightDescriptor"](type=2, cmd=cmd)

    endpoint = c["FlightEndpoint"](
        ticket=c["Ticket"](ticket=b"ticket-1"),
        location=[c["Location"](uri="grpc+tcp://localhost:8815"), c["Location"](uri="arrow-flight-reuse-connection://?")],
        expiration_time=timestamp(1_700_000_000, 5),
        app_metadata=b"endpoint-meta",
    )
    info = c["FlightInfo"](
        schema=b"\xff\xff\xff\xff\x08\x00\x00\x00schema!!",
        flight_descriptor=path("examples", "ints"),
        endpoint=[endpoint, c["FlightEndpoint"](ticket=c["Ticket"](ticket=b"t2"))],
        total_records=-1,
        total_bytes=-1,
        ordered=True,
        app_metadata=b"info-meta",
    )
    value = c["SessionOptionValue"]
    string_list = value.StringListValue

    def sort_maps(message):
        return message.SerializeToString(deterministic=True)

    set_request = c["SetSessionOptionsRequest"]()
    set_request.session_options["a.string"].CopyFrom(value(string_value="text"))
    set_request.session_options["b.bool"].CopyFrom(value(bool_value=True))
    set_request.session_options["c.int"].CopyFrom(value(int64_value=-42))
    set_request.session_options["d.double"].CopyFrom(value(double_value=2.5))
    set_request.session_options["e.list"].CopyFrom(value(string_list_value=string_list(values=["x", "", "z"])))
    set_request.session_options["f.unset"].CopyFrom(value())
    set_result = c["SetSessionOptionsResult"]()
    set_result.errors["bad.name"].value = 1
    set_result.errors["bad.value"].value = 2
    set_result.errors["unspecified"].value = 0
    get_result = c["GetSessionOptionsResult"]()
    get_result.session_options["k"].CopyFrom(value(string_value="v"))
    get_result.session_options["n"].CopyFrom(value(int64_value=7))

    messages = {
        "poll_info_running": c["PollInfo"](
            info=info, flight_descriptor=command(b"poll"), progress=0.1, expiration_time=timestamp(1_700_000_100, 0)
        ),
        "poll_info_done": c["PollInfo"](info=info, progress=1.0),
        "poll_info_zero_progress": c["PollInfo"](info=info, progress=0.0),
        "cancel_request": c["CancelFlightInfoRequest"](info=info),
        "cancel_result": c["CancelFlightInfoResult"](status=2),
        "cancel_result_unspecified": c["CancelFlightInfoResult"](status=0),
        "renew_request": c["RenewFlightEndpointRequest"](endpoint=endpoint),
        "set_session_request": set_request,
        "set_session_result": set_result,
        "get_session_request": c["GetSessionOptionsRequest"](),
        "get_session_result": get_result,
        "close_session_request": c["CloseSessionRequest"](),
        "close_session_result": c["CloseSessionResult"](status=3),
        "session_value_list": value(string_list_value=string_list(values=["a", "\u00e9"])),
        "session_value_double": value(double_value=-0.5),
        "handshake_request": c["HandshakeRequest"](protocol_version=300, payload=b"\x00hello"),
        "handshake_response": c["HandshakeResponse"](protocol_version=2**64 - 1, payload=b"token"),
        "put_result": c["PutResult"](app_metadata=b"ack-0"),
        "action_type": c["ActionType"](type="echo", description="Echo the action body back \u2713"),
        "criteria": c["Criteria"](expression=b"name = 'x'"),
        "empty": c["Empty"](),
        "location": c["Location"](uri="grpc+unix:///tmp/flight.sock"),
        "timestamp_negative": timestamp(-1, 999_999_999),
        "flight_data_full": c["FlightData"](
            flight_descriptor=path("upload", "t"),
            data_header=b"\x10\x00\x00\x00header-flatbuffer",
            app_metadata=b"meta",
            data_body=bytes(range(256)) * 3,
        ),
        "flight_data_metadata_only": c["FlightData"](app_metadata=b"progress: 50%"),
        "flight_data_descriptor_only": c["FlightData"](flight_descriptor=command(b"exchange")),
        "flight_data_schema": c["FlightData"](data_header=b"schema-message"),
        "flight_data_big_body": c["FlightData"](data_header=b"h", data_body=b"\xab" * 300_000),
    }
    return {name: sort_maps(message) for name, message in messages.items()}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "pyarrow":
        vectors = pyarrow_vectors()
    elif mode == "protobuf":
        vectors = protobuf_vectors()
    else:
        sys.exit("usage: proto_vectors.py pyarrow | protobuf")
    json.dump({name: value.hex() for name, value in vectors.items()}, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
