#!/usr/bin/env python3
"""Writes the Swift glue between the Swift message types of Sources/FlightProto and the C that
protoc-c generates from a .proto file.

Usage: generate-swift-glue.py DESCRIPTOR_SET PROTO_FILE OUTPUT.swift

DESCRIPTOR_SET is what `protoc-c --descriptor_set_out --include_imports` wrote for PROTO_FILE
(read with the `protobuf` package of the project's .venv). For each message that MESSAGES below
binds to a Swift type, the output has:

- the binding: the C struct, its generated `*__init`, the message name, and the public
  `serialized()` and `init(serializedBytes:)` (all packing and unpacking is generic, in
  ProtobufCBridge.swift);
- unless the message is marked custom, `fill` and `init(c:)`, one line per field. A field maps
  to the Swift stored property named in camelCase (or as renamed below); the property's type
  picks the conversion (`String` or `[UInt8]` for bytes, `T` or `T?` for a message, ...), so
  the generator needs no Swift types. A one-field oneof named `_<field>` (a proto3 `optional`
  field as protoc-c takes it) maps to an optional property.

Scripts/generate-protos.sh runs it; Scripts/check-protos.sh checks its output for drift.
"""

import sys

from google.protobuf import descriptor_pb2

FieldDescriptor = descriptor_pb2.FieldDescriptorProto

# The Swift side of each .proto: message full name -> options.
#   swift:    the Swift type (default: the message name)
#   custom:   fill and init(c:) are hand-written in ProtobufCBridge.swift (the Swift type's shape
#             differs from the message's: an enum, a dictionary, a validated value)
#   rename:   proto field name -> Swift property name, where it is not the camelCase name
#   required: fields whose absence is an error (otherwise an absent message field decodes as
#             nil for an optional property, or as the message's default value)
# Messages not listed (FlightData, which has its own codec; map entries; nested helpers of
# custom messages) get no Swift glue.
MESSAGES = {
    "Flight.proto": {
        "google.protobuf.Timestamp": {},
        "arrow.flight.protocol.HandshakeRequest": {},
        "arrow.flight.protocol.HandshakeResponse": {},
        "arrow.flight.protocol.BasicAuth": {},
        "arrow.flight.protocol.Empty": {},
        "arrow.flight.protocol.ActionType": {},
        "arrow.flight.protocol.Criteria": {},
        "arrow.flight.protocol.Action": {},
        "arrow.flight.protocol.Result": {"swift": "FlightResult"},
        "arrow.flight.protocol.SchemaResult": {},
        "arrow.flight.protocol.FlightDescriptor": {"custom": True},
        "arrow.flight.protocol.FlightInfo": {"rename": {"endpoint": "endpoints"}},
        "arrow.flight.protocol.PollInfo": {},
        "arrow.flight.protocol.CancelFlightInfoRequest": {"required": ["info"]},
        "arrow.flight.protocol.CancelFlightInfoResult": {},
        "arrow.flight.protocol.Ticket": {},
        "arrow.flight.protocol.Location": {"custom": True},
        "arrow.flight.protocol.FlightEndpoint": {"rename": {"location": "locations"}},
        "arrow.flight.protocol.RenewFlightEndpointRequest": {"required": ["endpoint"]},
        "arrow.flight.protocol.PutResult": {},
        "arrow.flight.protocol.SessionOptionValue": {"custom": True},
        "arrow.flight.protocol.SetSessionOptionsRequest": {},
        "arrow.flight.protocol.SetSessionOptionsResult": {"custom": True},
        "arrow.flight.protocol.GetSessionOptionsRequest": {},
        "arrow.flight.protocol.GetSessionOptionsResult": {},
        "arrow.flight.protocol.CloseSessionRequest": {},
        "arrow.flight.protocol.CloseSessionResult": {},
    },
}

SCALARS = {
    FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_SFIXED32,
    FieldDescriptor.TYPE_SFIXED64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64,
}


# protoc-c's C names: `arrow.flight.protocol.PollInfo` is the struct
# `Arrow__Flight__Protocol__PollInfo`, with functions `arrow__flight__protocol__poll_info__*`
# and constants `ARROW__FLIGHT__PROTOCOL__POLL_INFO__*`.
def camel_to_lower(name):
    out = ""
    for index, char in enumerate(name):
        if char.isupper() and index > 0 and not name[index - 1].isupper():
            out += "_"
        out += char.lower()
    return out


def c_struct(package, path):
    parts = [part[:1].upper() + part[1:] for part in package.split(".")] + path
    return "__".join(parts)


def c_lower(package, path):
    return "__".join(package.split(".") + [camel_to_lower(name) for name in path])


def camel_case(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Field:
    """One field of a message, with the Swift lines that fill and read it."""

    def __init__(self, package, path, message, field, options):
        self.proto = field.name
        self.swift = options.get("rename", {}).get(field.name, camel_case(field.name))
        self.name = f"{message.name}.{field.name}"
        self.field = field
        self.required = field.name in options.get("required", [])
        self.presence = None
        self.entry = None
        if field.HasField("oneof_index"):
            oneof = message.oneof_decl[field.oneof_index].name
            members = [f for f in message.field if f.HasField("oneof_index") and f.oneof_index == field.oneof_index]
            if oneof != "_" + field.name or len(members) != 1:
                raise SystemExit(f"{self.name}: only one-field oneofs `_<field>` map to Swift")
            constant = f"{c_lower(package, path).upper()}__{oneof.upper()}_{field.name.upper()}"
            self.presence = (f"{oneof}_case", constant)
        # A map field as its wire equivalent: repeated <Field>Entry { key = 1; value = 2; }.
        entry_name = "".join(part[:1].upper() + part[1:] for part in field.name.split("_")) + "Entry"
        for nested in message.nested_type:
            if field.type_name.endswith(f".{message.name}.{entry_name}"):
                if nested.name == entry_name and [(f.name, f.number) for f in nested.field] == [("key", 1), ("value", 2)]:
                    self.entry = (c_lower(package, path + [entry_name]), Field(package, path, nested, nested.field[1], {}))

    def label(self, suffix=""):
        return '"' + self.name + suffix + '"'

    def to_c(self, value):
        """The expression that converts the Swift `value` for the C field."""
        kind = self.field.type
        if kind in SCALARS:
            return value
        if kind == FieldDescriptor.TYPE_BOOL:
            return f"cBool({value})"
        if kind == FieldDescriptor.TYPE_ENUM:
            return f"cEnum({value})"
        if kind in (FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_STRING):
            return f"arena.binary({value})"
        if kind == FieldDescriptor.TYPE_MESSAGE:
            return f"arena.field({value})"
        raise SystemExit(f"{self.name}: unsupported type {kind}")

    def from_c(self, value, label):
        """The expression that converts the C field `value` for the Swift property."""
        kind = self.field.type
        if kind in SCALARS:
            return value
        if kind == FieldDescriptor.TYPE_BOOL:
            return f"{value} != 0"
        if kind == FieldDescriptor.TYPE_ENUM:
            return f"swiftEnum({value})"
        if kind in (FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_STRING):
            return f"try swiftBytes({value}, {label})"
        if kind == FieldDescriptor.TYPE_MESSAGE:
            function = "swiftRequired" if self.required else "swiftMessage"
            return f"try {function}({value}, {label})"
        raise SystemExit(f"{self.name}: unsupported type {kind}")

    def fill_lines(self):
        c_field = f"message.pointee.{self.proto}"
        count = f"message.pointee.n_{self.proto}"
        if self.entry:
            entry_init, value = self.entry
            return [
                f"({count}, {c_field}) = arena.map({self.swift}, {entry_init}__init) {{ entry, key, value in",
                "  entry.pointee.key = arena.binary(key)",
                f"  entry.pointee.value = {value.to_c('value')}",
                "}",
            ]
        if self.field.label == FieldDescriptor.LABEL_REPEATED:
            return [f"({count}, {c_field}) = arena.array({self.swift}) {{ {self.to_c('$0')} }}"]
        if self.presence:
            case, constant = self.presence
            return [
                f"if let {self.swift} {{",
                f"  message.pointee.{case} = {constant}",
                f"  {c_field} = {self.to_c(self.swift)}",
                "}",
            ]
        return [f"{c_field} = {self.to_c(self.swift)}"]

    def read_lines(self):
        c_field = f"message.pointee.{self.proto}"
        count = f"message.pointee.n_{self.proto}"
        if self.entry:
            _, value = self.entry
            key = self.label("[\\(index)].key")
            value = value.from_c("entry.pointee.value", self.label("[\\(index)].value"))
            return [
                f"{self.swift} = try swiftMap({c_field}, {count}) {{ (entry, index) throws(FieldError) in",
                f"  (try swiftBytes(entry.pointee.key, {key}), {value})",
                "}",
            ]
        if self.field.label == FieldDescriptor.LABEL_REPEATED:
            element = self.from_c("value", self.label("[\\(index)]"))
            return [f"{self.swift} = try swiftArray({c_field}, {count}) {{ (value, index) throws(FieldError) in {element} }}"]
        if self.presence:
            case, constant = self.presence
            return [f"{self.swift} = message.pointee.{case} == {constant} ? {self.from_c(c_field, self.label())} : nil"]
        return [f"{self.swift} = {self.from_c(c_field, self.label())}"]


def message_glue(package, path, message, options, proto_file):
    struct = c_struct(package, path)
    lower = c_lower(package, path)
    swift_type = options.get("swift", message.name)
    lines = [
        f"// MARK: {'.'.join(path)}",
        "",
        f"extension {swift_type}: CBridged {{",
        f"  typealias CMessage = {struct}",
        "",
        f"  /// The message name in `Protos/{proto_file}`.",
        f"  public static var protoName: String {{ {swift_string(message.name)} }}",
        "",
        "  /// Encodes the message in its protobuf wire form.",
        "  public func serialized() -> [UInt8] { encode() }",
        "",
        "  /// Decodes a message from its protobuf wire form.",
        "  ///",
        "  /// - Throws: ``ProtoError`` naming the message type and the problem.",
        "  public init(serializedBytes bytes: some Collection<UInt8>) throws {",
        "    self = try Self.decode(bytes)",
        "  }",
        "",
        "  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {",
        f"    {lower}__init(message)",
        "  }",
    ]
    if not options.get("custom"):
        fields = [Field(package, path, message, field, options) for field in message.field]
        fill = [line for field in fields for line in field.fill_lines()]
        read = [line for field in fields for line in field.read_lines()]
        if fill:
            lines += ["", "  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {"]
            lines += ["    " + line for line in fill]
            lines += ["  }", "", "  init(c message: UnsafePointer<CMessage>) throws(FieldError) {"]
            lines += ["    " + line for line in read]
            lines += ["  }"]
        else:
            lines += [
                "",
                "  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}",
                "",
                "  init(c message: UnsafePointer<CMessage>) throws(FieldError) { self.init() }",
            ]
    lines += ["}"]
    return lines


def main():
    descriptor_set, proto_file, output = sys.argv[1:]
    files = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set, "rb") as handle:
        files.ParseFromString(handle.read())
    wanted = dict(MESSAGES[proto_file])

    blocks = []
    for file in files.file:
        def visit(message, path):
            full_name = ".".join([file.package] + path)
            if full_name in wanted:
                blocks.append(message_glue(file.package, path, message, wanted.pop(full_name), proto_file))
            for nested in message.nested_type:
                visit(nested, path + [nested.name])

        for message in file.message_type:
            visit(message, [message.name])
    if wanted:
        raise SystemExit(f"messages not found in {proto_file}: {', '.join(sorted(wanted))}")

    text = [
        f"// Generated, do not edit: Scripts/generate-protos.sh writes this file from Protos/{proto_file}",
        "// (with Scripts/generate-swift-glue.py). It binds each Swift message type to the C that protoc-c",
        "// generates; the generic packing and unpacking is in ProtobufCBridge.swift.",
        "",
        "internal import CFlightProto",
    ]
    for block in blocks:
        text += [""] + block
    with open(output, "w") as handle:
        handle.write("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
